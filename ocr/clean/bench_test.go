package clean

import (
	"image"
	"sync"
	"testing"

	"github.com/sohoa/sohoa/fixtures/synth"
)

// testGen parses the fonts once for every test of the package.
var testGen = sync.OnceValues(func() (*synth.Generator, error) { return synth.NewGenerator() })

func generator(t testing.TB) *synth.Generator {
	t.Helper()
	g, err := testGen()
	if err != nil {
		t.Skipf("synthetic pages need the fonts: %v", err)
	}
	return g
}

// benchPages are an A4 page at 300 dpi (2480×3508) in colour, with a
// seal, noise and grey paper, and the same page in grey.
var benchPages = sync.OnceValues(func() ([2]image.Image, error) {
	var out [2]image.Image
	g, err := testGen()
	if err != nil {
		return out, err
	}
	for i, m := range []synth.Mode{synth.Color, synth.Gray} {
		_, imgs, err := g.Render(synth.Options{Seed: 7, Noise: 15, Blur: 0.8, Paper: 230, Seal: true, Mode: m})
		if err != nil {
			return out, err
		}
		out[i] = imgs[0]
	}
	return out, nil
})

func BenchmarkGrayBinarize(b *testing.B) {
	ps, err := benchPages()
	if err != nil {
		b.Skip(err)
	}
	for _, bb := range []struct {
		name string
		img  image.Image
		fn   func(image.Image)
	}{
		{"gray", ps[0], func(img image.Image) { Gray(img) }},
		{"binarize", ps[1], func(img image.Image) { Binarize(img.(*image.Gray)) }},
		{"gray+binarize/colour", ps[0], func(img image.Image) { Binarize(Gray(img)) }},
		{"gray+binarize/gray", ps[1], func(img image.Image) { Binarize(Gray(img)) }},
		{"gray+binarize+whiten/colour", ps[0], func(img image.Image) { g := Gray(img); Whiten(g, Binarize(g)) }},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bb.fn(bb.img)
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/page")
		})
	}
}
