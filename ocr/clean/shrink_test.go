package clean

import (
	"image"
	"testing"
)

func TestShrink(t *testing.T) {
	// A flat image stays flat; a 3-to-2 shrink of a stripe pattern averages.
	flat := image.NewGray(image.Rect(0, 0, 300, 200))
	for i := range flat.Pix {
		flat.Pix[i] = 137
	}
	s := Shrink(flat, 2.0/3)
	if s.Rect.Dx() != 200 || s.Rect.Dy() != 133 {
		t.Fatalf("size %v", s.Rect)
	}
	for i, v := range s.Pix {
		if v != 137 {
			t.Fatalf("pixel %d = %d, want 137", i, v)
		}
	}
	// Columns alternate 0, 255, 0, … : two output pixels per three input.
	stripes := image.NewGray(image.Rect(0, 0, 3, 1))
	copy(stripes.Pix, []uint8{0, 255, 0})
	s = Shrink(stripes, 2.0/3)
	// Output 0 covers source [0, 1.5): 0 and half of 255 → 255/3 ≈ 85.
	if s.Rect.Dx() != 2 || s.Pix[0] != 85 || s.Pix[1] != 85 {
		t.Errorf("stripes shrink to %v", s.Pix)
	}
	if same := Shrink(flat, 1); same != flat {
		t.Errorf("f = 1 must return the image itself")
	}
}

func BenchmarkShrink(b *testing.B) {
	g := image.NewGray(image.Rect(0, 0, 2480, 3508))
	for i := range g.Pix {
		g.Pix[i] = byte(i * 7)
	}
	for b.Loop() {
		Shrink(g, 2.0/3)
	}
}
