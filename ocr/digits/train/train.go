package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/sohoa/sohoa/ocr/digits"
	"github.com/sohoa/sohoa/ocr/digits/internal/convnet"
	"github.com/sohoa/sohoa/ocr/digits/internal/mnist"
)

// config is one training run. Everything that decides the weights is here:
// the same config gives the same weights, byte for byte, whatever the number
// of workers (on one architecture: Go fuses multiply-adds on some).
type config struct {
	seed       uint64
	epochs     int
	batch      int     // samples per step, split into shards of batch/shards
	lr, lrEnd  float64 // Adam's step size, cosine-annealed from lr to lrEnd
	fontDigits int     // handwriting-font digits per epoch, beside MNIST's 60,000
	rejects    int     // reject samples per epoch
	workers    int     // goroutines; does not change the result
	log        io.Writer
	epochDone  func(*convnet.Params) error // called after each epoch (to save the weights so far)
}

// shards is how many parts a batch is split into: fixed, so that the sum of
// the gradients is taken in the same order however many workers there are.
const shards = 4

// sampleRNG is the random source of sample id in epoch e: a sample is drawn
// the same whichever worker draws it, and whenever.
func sampleRNG(seed uint64, epoch, id int) *rand.Rand {
	return rand.New(rand.NewPCG(seed^0x5eed_d161_75, uint64(epoch)<<32|uint64(id)))
}

type shard struct {
	grad    *convnet.Params
	scratch convnet.Scratch
	loss    float64
	correct int
	dl      [convnet.Out]float32
}

func train(cfg config, s *sampler, test *mnist.Set) (*convnet.Params, error) {
	rng := rand.New(rand.NewPCG(cfg.seed, 1))
	p := convnet.New()
	p.Init(rng.NormFloat64)
	opt := newAdam(convnet.NumParams)

	var sh [shards]*shard
	for i := range sh {
		sh[i] = &shard{grad: convnet.New()}
	}
	total := convnet.New()
	n := s.train.Len() + cfg.fontDigits + cfg.rejects
	steps := n / cfg.batch // a partial last batch is dropped
	per := cfg.batch / shards
	start := time.Now()
	for epoch := range cfg.epochs {
		order := rand.New(rand.NewPCG(cfg.seed, uint64(epoch)+2)).Perm(n)
		var loss float64
		var correct int
		t0 := time.Now()
		for step := range steps {
			batch := order[step*cfg.batch : (step+1)*cfg.batch]
			parallel(cfg.workers, shards, func(k int) {
				w := sh[k]
				w.grad.Zero()
				w.loss, w.correct = 0, 0
				for _, id := range batch[k*per : (k+1)*per] {
					in, label := s.sample(sampleRNG(cfg.seed, epoch, id), id, cfg.fontDigits)
					logits := convnet.Forward(p, &w.scratch, in[:])
					if argmax(logits) == label {
						w.correct++
					}
					w.loss += float64(convnet.Backward(p, w.grad, &w.scratch, label, w.dl[:]))
				}
			})
			total.Zero()
			for _, w := range sh {
				total.Add(w.grad)
				loss += w.loss
				correct += w.correct
			}
			frac := float64(epoch*steps+step) / float64(cfg.epochs*steps)
			lr := cfg.lrEnd + (cfg.lr-cfg.lrEnd)*(1+math.Cos(math.Pi*frac))/2
			opt.step(p.Data, total.Data, float32(1/float64(cfg.batch)), lr)
		}
		acc, right, rejected := mnistAccuracy(model(p), test, cfg.workers)
		fmt.Fprintf(cfg.log, "epoch %d/%d  loss %.4f  train %.2f%%  mnist test %.2f%% (%d/%d, %d rejected)  %s (total %s)\n",
			epoch+1, cfg.epochs, loss/float64(steps*cfg.batch), 100*float64(correct)/float64(steps*cfg.batch),
			100*acc, right, test.Len(), rejected, time.Since(t0).Round(time.Second), time.Since(start).Round(time.Second))
		if cfg.epochDone != nil {
			if err := cfg.epochDone(p); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

func argmax(v []float32) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// model turns parameters into a digits.Model through the weights file, the
// way the library will load them.
func model(p *convnet.Params) *digits.Model {
	m, err := digits.Parse(convnet.Marshal(p))
	if err != nil {
		panic(err) // Marshal's output always parses
	}
	return m
}

// parallel runs fn(0) … fn(n-1) on up to workers goroutines and waits.
func parallel(workers, n int, fn func(i int)) {
	workers = max(1, min(workers, n))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// mnistAccuracy is the share of the test digits that m classifies right,
// each through digits.Normalize of its grey image, Reject counting as wrong;
// with the number right and the number rejected.
func mnistAccuracy(m *digits.Model, test *mnist.Set, workers int) (acc float64, right, rejected int) {
	const chunks = 16
	var r, rej [chunks]int
	parallel(workers, chunks, func(c int) {
		for i := c; i < test.Len(); i += chunks {
			switch class, _ := digits.Best(m.Predict(digits.Normalize(test.Gray(i)))); class {
			case int(test.Labels[i]):
				r[c]++
			case digits.Reject:
				rej[c]++
			}
		}
	})
	for c := range chunks {
		right += r[c]
		rejected += rej[c]
	}
	return float64(right) / float64(test.Len()), right, rejected
}

// adam is the Adam optimiser (Kingma & Ba) over one flat parameter slice.
type adam struct {
	m, v []float32
	t    int
}

func newAdam(n int) *adam { return &adam{m: make([]float32, n), v: make([]float32, n)} }

// step moves p against the gradient g·scale with step size lr.
func (a *adam) step(p, g []float32, scale float32, lr float64) {
	const b1, b2, eps = 0.9, 0.999, 1e-8
	a.t++
	c1 := 1 - math.Pow(b1, float64(a.t))
	c2 := 1 - math.Pow(b2, float64(a.t))
	alpha := float32(lr * math.Sqrt(c2) / c1)
	m, v := a.m[:len(p)], a.v[:len(p)]
	g = g[:len(p)]
	for i := range p {
		gi := g[i] * scale
		m[i] = b1*m[i] + (1-b1)*gi
		v[i] = b2*v[i] + (1-b2)*gi*gi
		p[i] -= alpha * m[i] / (float32(math.Sqrt(float64(v[i]))) + eps)
	}
}
