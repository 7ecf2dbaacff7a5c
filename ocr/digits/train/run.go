package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"time"

	"github.com/sohoa/sohoa/ocr/digits"
	"github.com/sohoa/sohoa/ocr/digits/internal/convnet"
	"github.com/sohoa/sohoa/ocr/digits/internal/mnist"
)

func trainAndWrite(cfg config, out string) error {
	start := time.Now()
	dir, err := mnist.Dir()
	if err != nil {
		return err
	}
	tr, err := mnist.Train(dir)
	if err != nil {
		return err
	}
	test, err := mnist.Test(dir)
	if err != nil {
		return err
	}
	g, err := loadGlyphs()
	if err != nil {
		return err
	}
	fmt.Fprintf(cfg.log, "training on %d MNIST digits, %d font digits and %d rejects per epoch (%d glyphs of reject), %d epochs, %d workers\n",
		tr.Len(), cfg.fontDigits, cfg.rejects, len(g.reject), cfg.epochs, cfg.workers)
	// The weights so far are written after every epoch, so that a run cut
	// short leaves a usable file; the last epoch's are the result.
	cfg.epochDone = func(p *convnet.Params) error { return writeFile(out, convnet.Marshal(p)) }
	p, err := train(cfg, newSampler(tr, g), test)
	if err != nil {
		return err
	}
	fmt.Fprintf(cfg.log, "wrote %s (%d bytes) in %s\n", out, len(convnet.Marshal(p)), time.Since(start).Round(time.Second))
	return nil
}

// writeFile replaces name with data, never leaving a half-written file.
func writeFile(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

func evaluate(weights string, confusion bool, workers int) error {
	var m *digits.Model
	if weights == "" {
		m = digits.Default()
	} else {
		data, err := os.ReadFile(weights)
		if err != nil {
			return err
		}
		if m, err = digits.Parse(data); err != nil {
			return fmt.Errorf("%s: %w", weights, err)
		}
	}
	dir, err := mnist.Dir()
	if err != nil {
		return err
	}
	test, err := mnist.Test(dir)
	if err != nil {
		return err
	}
	acc, right, _ := mnistAccuracy(m, test, workers)
	fmt.Printf("mnist test accuracy: %.2f%% (%d/%d)\n", 100*acc, right, test.Len())
	if confusion {
		var c [10][digits.Classes]int
		for i := range test.Len() {
			class, _ := digits.Best(m.Predict(digits.Normalize(test.Gray(i))))
			c[test.Labels[i]][class]++
		}
		fmt.Println("truth  read as: 0     1     2     3     4     5     6     7     8     9     reject")
		for d, row := range c {
			fmt.Printf("%d     ", d)
			for _, n := range row {
				fmt.Printf(" %5d", n)
			}
			fmt.Println()
		}
	}
	return nil
}

// showSamples writes a sheet of the first samples of epoch 0 as the network
// sees them (after Normalize), 32 to a row, each labelled by its row's kind:
// MNIST digits, font digits, rejects.
func showSamples(cfg config, out string) error {
	dir, err := mnist.Dir()
	if err != nil {
		return err
	}
	tr, err := mnist.Train(dir)
	if err != nil {
		return err
	}
	g, err := loadGlyphs()
	if err != nil {
		return err
	}
	s := newSampler(tr, g)
	const cols, rows = 32, 24
	const cell = digits.Size + 2
	sheet := image.NewGray(image.Rect(0, 0, cols*cell, rows*cell))
	for i := range sheet.Pix {
		sheet.Pix[i] = 128
	}
	for r := range rows {
		for c := range cols {
			var id int
			switch {
			case r < 8:
				id = r*cols + c
			case r < 14:
				id = tr.Len() + r*cols + c
			default:
				id = tr.Len() + cfg.fontDigits + r*cols + c
			}
			in, _ := s.sample(sampleRNG(cfg.seed, 0, id), id, cfg.fontDigits)
			for y := range digits.Size {
				for x := range digits.Size {
					sheet.Pix[(r*cell+y+1)*sheet.Stride+c*cell+x+1] = 255 - uint8(in[y*digits.Size+x]*255+0.5)
				}
			}
		}
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := png.Encode(f, sheet); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
