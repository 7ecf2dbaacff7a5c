package deskew

import (
	"image"
	"image/color"
	"testing"
)

// A region corrected alone matches the same region of the whole page
// corrected, to within the rounding of the interpolation.
func TestCorrectRegionMatchesCorrect(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 300, 400))
	for y := range 400 {
		for x := range 300 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	for _, tc := range []struct {
		rot int
		deg float64
	}{{0, 3.5}, {90, -2}, {180, 0}, {270, 7}} {
		whole := Correct(img, tc.rot, tc.deg).(*image.RGBA)
		r := image.Rect(40, 60, 140, 130)
		part := CorrectRegion(img, tc.rot, tc.deg, r)
		if part.Rect.Dx() != r.Dx() || part.Rect.Dy() != r.Dy() {
			t.Fatalf("region size %v", part.Rect)
		}
		worst := 0
		for y := range r.Dy() {
			for x := range r.Dx() {
				a := whole.RGBAAt(r.Min.X+x, r.Min.Y+y)
				b := part.RGBAAt(x, y)
				for _, d := range []int{int(a.R) - int(b.R), int(a.G) - int(b.G), int(a.B) - int(b.B)} {
					worst = max(worst, d, -d)
				}
			}
		}
		if worst > 2 {
			t.Errorf("rotation %d skew %.1f: region differs from the whole by up to %d levels", tc.rot, tc.deg, worst)
		}
	}
}
