package hand

import (
	"image"
	"testing"

	"github.com/sohoa/sohoa/pipeline"
)

// slashCrop is a number's crop 400×150, baseline at 110, print 40 px
// high: a handwritten 1 (a tall leaning stroke) at 120, then the printed
// slash with its foot at slashX and, when letters, "TH" after it.
func slashCrop(slashX int, letters bool) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 400, 150))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	fill := func(x0, y0, x1, y1 int) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				g.Pix[y*g.Stride+x] = 0
			}
		}
	}
	lean := func(x, foot, tall, across int) { // a stroke leaning right
		for y := foot - tall; y < foot; y++ {
			off := (foot - y) * across / tall
			fill(x+off, y, x+off+5, y+1)
		}
	}
	lean(120, 112, 64, 14) // the handwritten 1, 1.6 times the print
	lean(slashX, 111, 41, 14)
	if letters {
		x := slashX + 22
		fill(x, 70, x+24, 74) // T
		fill(x+10, 70, x+14, 110)
		x += 30
		fill(x, 70, x+4, 110) // H
		fill(x+20, 70, x+24, 110)
		fill(x, 88, x+24, 92)
	}
	return g
}

func TestPlaceSlash(t *testing.T) {
	s := Spot{Field: pipeline.BlankNumber, Left: 20, Right: 180, Base: 110, H: 40, Region: image.Rect(0, 0, 400, 150)}
	// OCR's estimate (180) is short of the slash (230), as when it glued
	// a wide handwritten number to the symbol.
	if got := PlaceSlash(s, slashCrop(230, true)).Right; got != 230 {
		t.Errorf("slash before TH at 230: Right %d, want 230", got)
	}
	// A leaning print-high stroke with no letters after it is not the
	// slash: the estimate stands.
	if got := PlaceSlash(s, slashCrop(230, false)).Right; got != 180 {
		t.Errorf("no letters after the stroke: Right %d, want 180", got)
	}
	// A blank OCR read no slash for is known once the slash is seen, and
	// not otherwise.
	s.NeedsSlash = true
	if got := PlaceSlash(s, slashCrop(230, true)); got.NeedsSlash || got.Right != 230 {
		t.Errorf("slash seen: NeedsSlash %v Right %d, want false 230", got.NeedsSlash, got.Right)
	}
	if got := PlaceSlash(s, slashCrop(230, false)); !got.NeedsSlash {
		t.Error("no slash seen: the blank needs it still")
	}
	// A blank found from its label alone (labelSpot) may end anywhere
	// before the right column: the slash is sought past the handwriting,
	// and the symbol's end is measured.
	w := Spot{Field: pipeline.BlankNumber, Left: 20, Right: 400, Base: 110, H: 40, Region: image.Rect(0, 0, 400, 150), NeedsSlash: true, wide: true}
	if got := PlaceSlash(w, slashCrop(300, true)); got.NeedsSlash || got.Right != 300 || got.SymbolEnd != 376 || got.wide {
		t.Errorf("label spot: NeedsSlash %v Right %d SymbolEnd %d wide %v, want false 300 376 false", got.NeedsSlash, got.Right, got.SymbolEnd, got.wide)
	}
	if got := PlaceSlash(w, slashCrop(300, false)); !got.NeedsSlash {
		t.Error("label spot, no slash seen: the blank needs it still")
	}
	s.NeedsSlash = false
	// The handwritten 1 is too tall to be taken for the slash, however
	// near the estimate.
	s.Right = 125
	if got := PlaceSlash(s, slashCrop(300, false)).Right; got != 125 {
		t.Errorf("only the handwritten 1 near: Right %d, want 125", got)
	}
	// Not a number's blank: nothing to place.
	s.Field = pipeline.BlankDay
	if got := PlaceSlash(s, slashCrop(230, true)).Right; got != 125 {
		t.Errorf("a day's blank: Right %d, want 125", got)
	}
}

// Ink higher than print at a side of the crop is handwriting the crop
// cut; print, a rule and the line above at the side are not.
func TestCutBySide(t *testing.T) {
	const w, h, base = 300, 40, 110
	for _, c := range []struct {
		name string
		box  image.Rectangle
		want bool
	}{
		{"a digit cut at the right", image.Rect(280, 40, 300, 112), true},
		{"a digit cut at the left", image.Rect(0, 45, 15, 110), true},
		{"a printed letter cut", image.Rect(285, 70, 300, 110), false},
		{"a rule", image.Rect(200, 20, 300, 24), false},
		{"the line above", image.Rect(270, 0, 300, 45), false},
		{"a digit inside", image.Rect(100, 40, 140, 112), false},
	} {
		if got := cutBySide([]comp{{box: c.box, label: 1}}, w, h, base); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// A legal document's symbol carries the year: "/2016/NQ". The blank ends
// at the slash before the year, not at the one before the letters.
func TestPlaceSlashBeforeYear(t *testing.T) {
	g := slashCrop(300, true) // the slash before "TH"
	fill := func(x0, y0, x1, y1 int) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				g.Pix[y*g.Stride+x] = 0
			}
		}
	}
	// The slash before the year at 190, then four printed digits (boxes
	// as print-high as the capitals, 16 px wide).
	for y := 70; y < 111; y++ {
		off := (111 - y) * 14 / 41
		fill(190+off, y, 195+off, y+1)
	}
	for k := range 4 {
		x := 212 + k*20
		fill(x, 70, x+16, 74)
		fill(x, 106, x+16, 110)
		fill(x, 70, x+4, 110)
		fill(x+12, 70, x+16, 110)
	}
	s := Spot{Field: pipeline.BlankNumber, Left: 20, Right: 290, Base: 110, H: 40, Region: image.Rect(0, 0, 400, 150)}
	if got := PlaceSlash(s, g).Right; got != 190 {
		t.Errorf("/2016/TH: Right %d, want 190 (the slash before the year)", got)
	}
	// Without the year the slash before the letters stands.
	if got := PlaceSlash(s, slashCrop(300, true)).Right; got != 300 {
		t.Errorf("/TH: Right %d, want 300", got)
	}
}

// OCR's box of a symbol with handwriting glued in is much taller than the
// print: Measure takes the print's height from the symbol's last letters,
// and moves a Left estimated from a glued "Số:" with it.
func TestMeasure(t *testing.T) {
	tail := image.NewGray(image.Rect(0, 0, 90, 110))
	for i := range tail.Pix {
		tail.Pix[i] = 255
	}
	for _, x := range []int{10, 40, 70} { // three printed capitals 34 px high
		for y := 60; y < 94; y++ {
			for xx := x; xx < x+12; xx++ {
				tail.Pix[y*tail.Stride+xx] = 0
			}
		}
	}
	s := Spot{Field: pipeline.BlankNumber, Left: 213, Right: 400, Base: 94, H: 67, SymbolEnd: 600, label: 100}
	got := Measure(s, tail)
	if want := 40; got.H != want {
		t.Errorf("H %d, want %d from the print", got.H, want)
	}
	if want := 100 + int(soWidth*float64(got.H)); got.Left != want {
		t.Errorf("Left %d, want %d: from the glued label with the print's height", got.Left, want)
	}
	// A box as high as print with its slash is left as it is.
	s.H = 40
	if got := Measure(s, tail); got.H != 40 || got.Left != s.Left {
		t.Errorf("print-high box: H %d Left %d, want them unchanged", got.H, got.Left)
	}
}

// A 0's inside is a loop: a cut through it would read a 6 and a 7. Two
// 0s touching leave the column where they meet free to cut.
func TestLoops(t *testing.T) {
	const w, h = 80, 40
	labels := make([]int32, w*h)
	ring := func(cx int) {
		for y := range h {
			for x := range w {
				dx, dy := float64(x-cx)/16, float64(y-20)/18
				if r := dx*dx + dy*dy; r <= 1 && r >= 0.45 {
					labels[y*w+x] = 1
				}
			}
		}
	}
	ring(20)
	loops := func(g glyph) [][2]int {
		return loopSpans(holes(g, labels, w), newShear(inkPoints(g, labels, w), g.box, 0))
	}
	one := glyph{box: image.Rect(4, 2, 37, 39), labels: []int32{1}}
	ls := loops(one)
	if len(ls) != 1 || !throughLoop(16, ls) {
		t.Fatalf("one ring: loops %v, want one the middle column runs through", ls)
	}
	ring(51)
	two := glyph{box: image.Rect(4, 2, 68, 39), labels: []int32{1}}
	ls = loops(two)
	if len(ls) != 2 {
		t.Fatalf("two rings: loops %v, want two", ls)
	}
	if throughLoop(32, ls) {
		t.Errorf("the column where two rings touch (32 from the glyph's left) is taken for a loop's inside: %v", ls)
	}
	if !throughLoop(16, ls) || !throughLoop(47, ls) {
		t.Errorf("the rings' middles are not kept from cuts: %v", ls)
	}
}
