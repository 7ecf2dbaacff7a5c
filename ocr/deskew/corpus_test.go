package deskew

import (
	"flag"
	"fmt"
	"image"
	"image/draw"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/sohoa/sohoa/fixtures/synth"
)

// testGen parses the fonts once for every test of the package.
var testGen = sync.OnceValues(func() (*synth.Generator, error) { return synth.NewGenerator() })

// sample is one synthetic page of a corpus with what was done to it.
type sample struct {
	name  string
	opts  synth.Options
	short bool // keep only a band of a few lines across the middle of the page
}

// corpus draws n pages: skew uniform in ±maxSkew, every font, colour, grey
// and bilevel modes, noise, blur, salt and pepper, grey paper, lost
// contrast, seals, 200 and 400 dpi, pages scanned sideways or upside down,
// and short pages of a few lines, all from a fixed seed. Colour pages are
// the slowest to render and the fewest.
func corpus(n int, seed uint64, maxSkew float64) []sample {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]sample, n)
	for i := range out {
		o := synth.Options{
			Seed: seed*1000 + uint64(i),
			Font: synth.Families[r.IntN(len(synth.Families))],
			Skew: float64(int((2*r.Float64()-1)*maxSkew*100)) / 100,
			Mode: []synth.Mode{synth.Color, synth.Gray, synth.Gray, synth.Gray, synth.Bilevel, synth.Bilevel}[r.IntN(6)],
		}
		switch r.IntN(4) { // scanner quality
		case 0: // clean
		case 1:
			o.Noise, o.Blur = 10+20*r.Float64(), 0.5+0.5*r.Float64()
		case 2:
			o.Noise, o.Blur, o.SaltPepper = 25+20*r.Float64(), 0.8+0.4*r.Float64(), 0.002
		case 3:
			o.Paper, o.Contrast, o.Noise = uint8(200+r.IntN(40)), 0.3+0.4*r.Float64(), 15
		}
		o.Seal = r.IntN(2) == 0
		if r.IntN(6) == 0 {
			o.DPI = []int{200, 400}[r.IntN(2)]
		}
		if r.IntN(5) == 0 {
			o.Rotation = 90 * (1 + r.IntN(3))
		}
		s := sample{opts: o, short: r.IntN(8) == 0}
		s.name = fmt.Sprintf("seed%d/%s/%s/dpi%d/rot%d/skew%+.2f", o.Seed, o.Font, o.Mode, o.DPI, o.Rotation, o.Skew)
		if s.short {
			s.name += "/short"
		}
		out[i] = s
	}
	return out
}

// generator returns the shared generator, or skips the test when the fonts
// are not installed.
func generator(t testing.TB) *synth.Generator {
	t.Helper()
	g, err := testGen()
	if err != nil {
		t.Skipf("synthetic pages need the fonts: %v", err)
	}
	return g
}

// render returns the first page of the sample as grey. It is safe to call
// from any goroutine.
func (s sample) render(g *synth.Generator) (*image.Gray, synth.PageTruth, error) {
	doc, imgs, err := g.Render(s.opts)
	if err != nil {
		return nil, synth.PageTruth{}, fmt.Errorf("%s: %w", s.name, err)
	}
	img := toGray(imgs[0])
	if s.short {
		// A band a seventh of the page high across its middle: four to
		// six lines of text.
		b := img.Bounds()
		if b.Dx() > b.Dy() { // sideways: the band runs across the lines
			w := b.Dx() / 7
			img = img.SubImage(image.Rect(b.Min.X+3*w, b.Min.Y, b.Min.X+4*w, b.Max.Y)).(*image.Gray)
		} else {
			h := b.Dy() / 7
			img = img.SubImage(image.Rect(b.Min.X, b.Min.Y+3*h, b.Max.X, b.Min.Y+4*h)).(*image.Gray)
		}
	}
	return img, doc.Pages[0], nil
}

func toGray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g
}

// each runs fn on every sample, on all cores, and returns the results in
// order.
func each[T any](t testing.TB, ss []sample, fn func(s sample) T) []T {
	out := make([]T, len(ss))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, s := range ss {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i] = fn(s)
		}()
	}
	wg.Wait()
	return out
}

var corpusSize = flag.Int("corpus", 0, "pages in the synthetic corpora of TestAngleCorpus, TestOrientationCorpus and TestAnalyzeCorpus (0: the default)")

// corpusLen is the number of pages a corpus test generates: n, short with
// -short, or what -corpus says.
func corpusLen(n, short int) int {
	switch {
	case *corpusSize > 0:
		return *corpusSize
	case testing.Short():
		return short
	}
	return n
}
