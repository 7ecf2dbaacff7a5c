package deskew

import (
	"image"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/sohoa/sohoa/fixtures/synth"
)

func TestAngleCorpus(t *testing.T) {
	g := generator(t)
	n := corpusLen(64, 24)
	ss := corpus(n, 1, 15)
	type res struct {
		err, conf float64
		name      string
	}
	rs := each(t, ss, func(s sample) res {
		img, truth, err := s.render(g)
		if err != nil {
			t.Error(err)
			return res{}
		}
		d, c := Angle(img)
		return res{d - truth.Skew, c, s.name}
	})
	var errs []float64
	for _, r := range rs {
		errs = append(errs, math.Abs(r.err))
		if math.Abs(r.err) > 0.2 || r.conf < 0.5 {
			t.Logf("%s: error %+.3f° confidence %.2f", r.name, r.err, r.conf)
		}
	}
	slices.Sort(errs)
	q := func(p float64) float64 { return errs[int(math.Ceil(p*float64(len(errs))))-1] }
	t.Logf("skew error over %d pages: median %.3f°, p95 %.3f°, max %.3f°", len(errs), q(0.5), q(0.95), errs[len(errs)-1])
	if q(0.5) > 0.1 || q(0.95) > 0.3 {
		t.Errorf("median %.3f° (want ≤ 0.1°), p95 %.3f° (want ≤ 0.3°)", q(0.5), q(0.95))
	}
}

// TestAngleHardPages adds to straight synthetic pages what real scans carry
// (pictures, tables, dark scanner borders, punch holes and specks, uneven
// lighting, a page of a few lines), skews them, and wants the skew back.
func TestAngleHardPages(t *testing.T) {
	g := generator(t)
	_, imgs, err := g.Render(synth.Options{Seed: 99, Mode: synth.Gray, Noise: 12, Blur: 0.7, Seal: true})
	if err != nil {
		t.Fatal(err)
	}
	base := imgs[0].(*image.Gray)
	tests := []struct {
		name   string
		skew   float64
		before func(*image.Gray) *image.Gray // on the straight page
		after  func(*image.Gray) *image.Gray // on the skewed page
	}{
		{name: "plain", skew: 4},
		{name: "picture", skew: -3.3, before: picture},
		{name: "table rules", skew: 2.2, before: table},
		{name: "dark borders", skew: 1.7, after: darkBorders},
		{name: "punch holes and specks", skew: -6.1, after: specks},
		{name: "uneven lighting", skew: 9.4, after: uneven},
		{name: "few lines", skew: -2.6, before: fewLines},
		{name: "+15°", skew: 14.9},
		{name: "-15°", skew: -14.9},
		{name: "tiny", skew: 0.12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := clone(base)
			if tt.before != nil {
				img = tt.before(img)
			}
			img = Correct(img, 0, -tt.skew).(*image.Gray) // counter-clockwise
			if tt.after != nil {
				img = tt.after(img)
			}
			d, c := Angle(img)
			t.Logf("skew %+.2f°: found %+.3f° (confidence %.2f)", tt.skew, d, c)
			if math.Abs(d-tt.skew) > 0.15 || c < 0.5 {
				t.Errorf("Angle = %+.3f° (confidence %.2f), want %+.2f°", d, c, tt.skew)
			}
		})
	}
}

func TestAngleBlank(t *testing.T) {
	for _, v := range []uint8{255, 128, 0} {
		g := image.NewGray(image.Rect(0, 0, 1200, 1700))
		for i := range g.Pix {
			g.Pix[i] = v
		}
		if d, c := Angle(g); d != 0 || c != 0 {
			t.Errorf("blank page of level %d: Angle = %v, %v; want 0, 0", v, d, c)
		}
	}
	if d, c := Angle(image.NewGray(image.Rect(0, 0, 3, 3))); d != 0 || c != 0 {
		t.Errorf("3×3 page: Angle = %v, %v; want 0, 0", d, c)
	}
}

func clone(g *image.Gray) *image.Gray {
	c := image.NewGray(g.Rect)
	copy(c.Pix, g.Pix)
	return c
}

func fill(g *image.Gray, r image.Rectangle, v func(x, y int) uint8) {
	r = r.Intersect(g.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			g.Pix[y*g.Stride+x] = v(x, y)
		}
	}
}

// picture puts a photograph-like block (shaded blobs and grain) over the
// lower middle of the page.
func picture(g *image.Gray) *image.Gray {
	rng := rand.New(rand.NewPCG(3, 4))
	b := g.Rect
	r := image.Rect(b.Dx()/5, b.Dy()/2, b.Dx()*4/5, b.Dy()*3/4)
	fill(g, r, func(x, y int) uint8 {
		v := 128 + 80*math.Sin(float64(x)/97)*math.Cos(float64(y)/61) + 30*rng.NormFloat64()
		return uint8(max(0, min(255, v)))
	})
	return g
}

// table rules a grid over the lower half of the page.
func table(g *image.Gray) *image.Gray {
	b := g.Rect
	black := func(int, int) uint8 { return 0 }
	for y := b.Dy() / 2; y < b.Dy()*9/10; y += 90 {
		fill(g, image.Rect(200, y, b.Dx()-200, y+4), black)
	}
	for x := 200; x <= b.Dx()-200; x += 400 {
		fill(g, image.Rect(x, b.Dy()/2, x+4, b.Dy()*9/10-90), black)
	}
	return g
}

// darkBorders blackens the scanner lid around the page, unevenly.
func darkBorders(g *image.Gray) *image.Gray {
	b := g.Rect
	black := func(int, int) uint8 { return 20 }
	fill(g, image.Rect(0, 0, 90, b.Dy()), black)
	fill(g, image.Rect(0, 0, b.Dx(), 70), black)
	fill(g, image.Rect(b.Dx()-50, 0, b.Dx(), b.Dy()), black)
	for x := range b.Dx() {
		h := 40 + x/30
		fill(g, image.Rect(x, b.Dy()-h, x+1, b.Dy()), black)
	}
	return g
}

// specks adds punch holes in the left margin and dirt all over.
func specks(g *image.Gray) *image.Gray {
	rng := rand.New(rand.NewPCG(5, 6))
	b := g.Rect
	for _, cy := range []int{b.Dy() / 3, b.Dy() * 2 / 3} {
		cx, r := 110, 45
		fill(g, image.Rect(cx-r, cy-r, cx+r, cy+r), func(x, y int) uint8 {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r {
				return 10
			}
			return g.Pix[y*g.Stride+x]
		})
	}
	for range 3000 {
		x, y, s := rng.IntN(b.Dx()), rng.IntN(b.Dy()), 1+rng.IntN(5)
		fill(g, image.Rect(x, y, x+s, y+s), func(int, int) uint8 { return 0 })
	}
	return g
}

// uneven darkens the page from right to left, as a curled page under the
// lid, down to 45% at the left edge.
func uneven(g *image.Gray) *image.Gray {
	w := float64(g.Rect.Dx())
	fill(g, g.Rect, func(x, y int) uint8 {
		return uint8(float64(g.Pix[y*g.Stride+x]) * (0.45 + 0.55*float64(x)/w))
	})
	return g
}

// fewLines keeps three lines of body text: the rest of the page is paper.
func fewLines(g *image.Gray) *image.Gray {
	b := g.Rect
	keep := image.Rect(0, b.Dy()*4/10, b.Dx(), b.Dy()*4/10+200)
	fill(g, b, func(x, y int) uint8 {
		if image.Pt(x, y).In(keep) {
			return g.Pix[y*g.Stride+x]
		}
		return 255
	})
	return g
}

// TestAngleNoLines: paper with noise or specks and no text has no skew to
// find.
func TestAngleNoLines(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	noisy := image.NewGray(image.Rect(0, 0, 2480, 3508))
	for i := range noisy.Pix {
		noisy.Pix[i] = uint8(max(0, min(255, 220+30*rng.NormFloat64())))
	}
	dirt := image.NewGray(image.Rect(0, 0, 2480, 3508))
	for i := range dirt.Pix {
		dirt.Pix[i] = 255
	}
	specks(dirt)
	for name, g := range map[string]*image.Gray{"noise": noisy, "specks": dirt} {
		if d, c := Angle(g); d != 0 || c > 0.1 {
			t.Errorf("%s: Angle = %+.2f° with confidence %.2f, want 0 with none", name, d, c)
		}
	}
}
