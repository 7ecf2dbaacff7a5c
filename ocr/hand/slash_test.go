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
