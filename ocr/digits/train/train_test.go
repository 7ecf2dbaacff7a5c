package main

import (
	"bytes"
	"github.com/sohoa/sohoa/ocr/digits/internal/convnet"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/sohoa/sohoa/ocr/digits"
	"github.com/sohoa/sohoa/ocr/digits/internal/mnist"
)

var testSampler = sync.OnceValues(func() (*sampler, error) {
	dir, err := mnist.Dir()
	if err != nil {
		return nil, err
	}
	tr, err := mnist.Train(dir)
	if err != nil {
		return nil, err
	}
	g, err := loadGlyphs()
	if err != nil {
		return nil, err
	}
	return newSampler(tr, g), nil
})

func mustSampler(tb testing.TB) *sampler {
	s, err := testSampler()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestSampleDeterministic: a sample depends on its seed, epoch and id only,
// not on what was drawn before it or on which goroutine draws it.
func TestSampleDeterministic(t *testing.T) {
	s := mustSampler(t)
	const nFont = 9000
	ids := []int{0, 59999, 60000, 65000, 69000, 75000, 78999}
	first := make([]*digits.Input, len(ids))
	for i, id := range ids {
		first[i], _ = s.sample(sampleRNG(1, 3, id), id, nFont)
	}
	var wg sync.WaitGroup
	for i := len(ids) - 1; i >= 0; i-- {
		wg.Go(func() {
			again, _ := s.sample(sampleRNG(1, 3, ids[i]), ids[i], nFont)
			if *again != *first[i] {
				t.Errorf("sample %d drawn twice differs", ids[i])
			}
		})
	}
	wg.Wait()
	other, _ := s.sample(sampleRNG(2, 3, ids[0]), ids[0], nFont)
	if *other == *first[0] {
		t.Error("another seed draws the same sample")
	}
}

// TestSampleLabels: MNIST ids carry MNIST's label, font digits a digit,
// the rest Reject, and every sample has ink.
func TestSampleLabels(t *testing.T) {
	s := mustSampler(t)
	const nFont = 100
	n := s.train.Len()
	for id := n - 300; id < n+nFont+300; id++ {
		in, label := s.sample(sampleRNG(1, 0, id), id, nFont)
		var ink float32
		for _, v := range in {
			ink += v
		}
		if ink == 0 {
			t.Errorf("sample %d (label %d) is blank", id, label)
		}
		switch {
		case id < n && label != int(s.train.Labels[id]):
			t.Errorf("MNIST sample %d labelled %d, MNIST says %d", id, label, s.train.Labels[id])
		case id >= n && id < n+nFont && (label < 0 || label > 9):
			t.Errorf("font sample %d labelled %d", id, label)
		case id >= n+nFont && label != digits.Reject:
			t.Errorf("reject sample %d labelled %d", id, label)
		}
	}
}

func BenchmarkSample(b *testing.B) {
	s := mustSampler(b)
	id := 0
	for b.Loop() {
		s.sample(sampleRNG(1, 0, id), id, 9000)
		id = (id + 7919) % 79000
	}
}

// BenchmarkTrainSample is one training sample: drawn, normalised, forward
// and backward.
func BenchmarkTrainSample(b *testing.B) {
	s := mustSampler(b)
	p := convnet.New()
	p.Init(rand.New(rand.NewPCG(1, 1)).NormFloat64)
	g := convnet.New()
	var sc convnet.Scratch
	var dl [convnet.Out]float32
	id := 0
	for b.Loop() {
		in, label := s.sample(sampleRNG(1, 0, id), id, 9000)
		convnet.Forward(p, &sc, in[:])
		convnet.Backward(p, g, &sc, label, dl[:])
		id = (id + 7919) % 79000
	}
}

// TestTrainDeterministic: a short run gives the same weights, byte for
// byte, on one worker and on three (whose shards finish in any order).
func TestTrainDeterministic(t *testing.T) {
	s := mustSampler(t)
	small := newSampler(&mnist.Set{Images: s.train.Images[:320], Labels: s.train.Labels[:320]}, s.glyphs)
	test := &mnist.Set{Images: s.train.Images[320:420], Labels: s.train.Labels[320:420]}
	run := func(workers int) []byte {
		cfg := config{seed: 5, epochs: 2, batch: 32, lr: 1e-3, lrEnd: 1e-4, fontDigits: 40, rejects: 40,
			workers: workers, log: io.Discard}
		p, err := train(cfg, small, test)
		if err != nil {
			t.Fatal(err)
		}
		return convnet.Marshal(p)
	}
	one, three := run(1), run(3)
	if !bytes.Equal(one, three) {
		t.Error("1 and 3 workers train different weights")
	}
	untrained := convnet.New()
	untrained.Init(rand.New(rand.NewPCG(5, 1)).NormFloat64)
	if bytes.Equal(one, convnet.Marshal(untrained)) {
		t.Error("training changed nothing")
	}
}
