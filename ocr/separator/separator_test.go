package separator

import (
	"image"
	"math"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/fixtures/realpages"
	"github.com/sohoa/sohoa/ocr/clean"
)

// sheet draws an A4 page at dpi with text's barcode across its middle
// (narrow module 1 mm, bars 25 mm), turned by deg, with ink spread by
// spread narrow modules on each edge of a bar, and speckled by noise.
func sheet(t *testing.T, text string, dpi, deg, spread, noise float64, upside bool) *image.Gray {
	t.Helper()
	ms, err := Modules(text)
	if err != nil {
		t.Fatal(err)
	}
	var edges []float64 // bar edges in modules from the barcode's left
	x := 0.0
	for i, m := range ms {
		if i%2 == 0 {
			edges = append(edges, x-spread, x+float64(m)+spread)
		}
		x += float64(m)
	}
	width := x
	w, h := int(210/25.4*dpi), int(297/25.4*dpi)
	g := image.NewGray(image.Rect(0, 0, w, h))
	mm := dpi / 25.4
	cx, cy := float64(w)/2, float64(h)/2
	sin, cos := math.Sincos(deg * math.Pi / 180)
	r := rand.New(rand.NewPCG(1, uint64(dpi)))
	for y := range h {
		for x := range w {
			// The point in the sheet's own frame, millimetres from its centre.
			dx, dy := (float64(x)-cx)/mm, (float64(y)-cy)/mm
			if upside {
				dx, dy = -dx, -dy
			}
			u, v := dx*cos+dy*sin, -dx*sin+dy*cos
			ink := false
			if math.Abs(v) < 12.5 {
				m := u + width/2
				for k := 0; k < len(edges); k += 2 {
					if m >= edges[k] && m < edges[k+1] {
						ink = true
						break
					}
				}
			}
			if r.Float64() < noise {
				ink = !ink
			}
			if ink {
				g.Pix[y*g.Stride+x] = 0
			} else {
				g.Pix[y*g.Stride+x] = 255
			}
		}
	}
	return g
}

func TestModules(t *testing.T) {
	for c, p := range code39 {
		if n := strings.Count(p, "w"); n != 3 || len(p) != 9 {
			t.Errorf("%q: %d wide of %d", c, n, len(p))
		}
	}
	if len(byPattern) != len(code39) {
		t.Fatalf("two characters share a pattern: %d patterns for %d characters", len(byPattern), len(code39))
	}
	ms, err := Modules(Code)
	if err != nil {
		t.Fatal(err)
	}
	// 8 characters (start, PATCHT, stop) of 15 modules, 7 gaps.
	total := 0
	for _, m := range ms {
		total += m
	}
	if len(ms) != 8*9+7 || total != 8*(6+3*wideRatio)+7 {
		t.Fatalf("%d elements, %d modules", len(ms), total)
	}
	if _, err := Modules("PATCH*T"); err == nil {
		t.Error("a star inside the text was taken")
	}
	if _, err := Modules("ĐƠN"); err == nil {
		t.Error("Đ was taken: Code 39 has no such letter")
	}
	svg, err := SVG(Code, 1, 25)
	if err != nil || !strings.HasPrefix(svg, "<svg") || strings.Count(svg, "<rect") != 8*5 {
		t.Fatalf("SVG: %v, %d bars", err, strings.Count(svg, "<rect"))
	}
}

func TestFind(t *testing.T) {
	for _, c := range []struct {
		name                     string
		dpi, deg, spread, noise  float64
		upside, sideways, expect bool
		text                     string
	}{
		{name: "300 dpi", dpi: 300, expect: true},
		{name: "200 dpi skewed 4°", dpi: 200, deg: 4, expect: true},
		{name: "100 dpi skewed -9°", dpi: 100, deg: -9, expect: true},
		{name: "ink spread", dpi: 200, spread: 0.25, expect: true},
		{name: "ink thin", dpi: 200, spread: -0.2, expect: true},
		{name: "speckled", dpi: 200, noise: 0.01, expect: true},
		{name: "upside down", dpi: 200, deg: 2, upside: true, expect: true},
		{name: "sideways", dpi: 150, sideways: true, expect: true},
		{name: "another code", dpi: 200, text: "PATCH2"},
		{name: "too skewed for any line", dpi: 200, deg: 25},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := c.text
			if text == "" {
				text = Code
			}
			g := sheet(t, text, c.dpi, c.deg, c.spread, c.noise, c.upside)
			if c.sideways {
				g = turn(g)
			}
			if got := Find(g); got != c.expect {
				t.Errorf("Find = %v, want %v", got, c.expect)
			}
		})
	}
}

// turn turns g a quarter clockwise.
func turn(g *image.Gray) *image.Gray {
	b := g.Rect
	out := image.NewGray(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			out.Pix[x*out.Stride+(b.Dy()-1-y)] = g.Pix[y*g.Stride+x]
		}
	}
	return out
}

// No page of the real scans is taken for a separator: print, tables,
// seals, signatures and dotted leader lines do not read as the code.
func TestFindNoneOnRealPages(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "fixtures", "real")
	ps := realpages.ForTest(t, dir)
	for _, p := range ps {
		g := clean.Gray(p.Image)
		if Find(g) || Find(clean.Binarize(g)) {
			t.Errorf("%s read as a separator sheet", p.Name)
		}
	}
}

func BenchmarkFind(b *testing.B) {
	t := &testing.T{}
	g := sheet(t, "NOTTHIS", 200, 0, 0, 0.002, false)
	b.ResetTimer()
	for b.Loop() {
		Find(g)
	}
}
