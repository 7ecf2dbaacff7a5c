package deskew

import (
	"image"
	"sync"
	"testing"

	"github.com/sohoa/sohoa/fixtures/synth"
)

// benchPage is one A4 page at 300 dpi, 2480×3508 grey, skewed by 4°, with
// the skew's corners cropped away so that the size is exactly A4.
var benchPage = sync.OnceValues(func() (*image.Gray, error) {
	g, err := testGen()
	if err != nil {
		return nil, err
	}
	_, imgs, err := g.Render(synth.Options{Seed: 7, Skew: 4, Noise: 15, Blur: 0.8, Mode: synth.Gray})
	if err != nil {
		return nil, err
	}
	src := imgs[0].(*image.Gray)
	b := src.Bounds()
	a4 := image.Rect(0, 0, 2480, 3508).Add(image.Pt((b.Dx()-2480)/2, (b.Dy()-3508)/2))
	out := image.NewGray(image.Rect(0, 0, 2480, 3508))
	for y := range 3508 {
		copy(out.Pix[y*out.Stride:y*out.Stride+2480], src.Pix[(a4.Min.Y+y)*src.Stride+a4.Min.X:])
	}
	return out, nil
})

func page(b *testing.B) *image.Gray {
	b.Helper()
	p, err := benchPage()
	if err != nil {
		b.Skipf("synthetic page: %v", err)
	}
	return p
}

func BenchmarkAngle(b *testing.B) {
	p := page(b)
	for b.Loop() {
		Angle(p)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/page")
}

// benchColour is benchPage in colour (*image.RGBA).
func benchColour(b *testing.B) *image.RGBA {
	g := page(b)
	c := image.NewRGBA(g.Rect)
	for i, v := range g.Pix {
		c.Pix[4*i], c.Pix[4*i+1], c.Pix[4*i+2], c.Pix[4*i+3] = v, v, v, 255
	}
	return c
}

func BenchmarkCorrect(b *testing.B) {
	gray := page(b)
	bilevel := clone(gray)
	for i, v := range bilevel.Pix {
		bilevel.Pix[i] = 255 * (v / 128)
	}
	colour := benchColour(b)
	for _, bb := range []struct {
		name string
		img  image.Image
		rot  int
		deg  float64
	}{
		{"gray/skew", gray, 0, -4},
		{"gray/turn90", gray, 90, 0},
		{"gray/turn90+skew", gray, 90, -4},
		{"bilevel/skew", bilevel, 0, -4},
		{"rgba/skew", colour, 0, -4},
		{"rgba/turn90", colour, 90, 0},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				Correct(bb.img, bb.rot, bb.deg)
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/page")
		})
	}
}

func BenchmarkOrientation(b *testing.B) {
	p := page(b)
	d, _ := Angle(p)
	straight := Correct(p, 0, d).(*image.Gray)
	for b.Loop() {
		Orientation(straight)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/page")
}
