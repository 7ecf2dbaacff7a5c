package deskew

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/sohoa/sohoa/fixtures/synth"
)

// grid is a w×h grey image whose pixel (x, y) is 10*y + x.
func grid(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			g.Pix[y*g.Stride+x] = uint8(10*y + x)
		}
	}
	return g
}

func TestCorrectQuarterTurns(t *testing.T) {
	src := grid(3, 2) // 0 1 2 / 10 11 12
	tests := []struct {
		rotation int
		want     [][]uint8
	}{
		{0, [][]uint8{{0, 1, 2}, {10, 11, 12}}},
		{90, [][]uint8{{10, 0}, {11, 1}, {12, 2}}}, // clockwise: the left column becomes the top row
		{180, [][]uint8{{12, 11, 10}, {2, 1, 0}}},
		{270, [][]uint8{{2, 12}, {1, 11}, {0, 10}}},
		{-90, [][]uint8{{2, 12}, {1, 11}, {0, 10}}},
		{450, [][]uint8{{10, 0}, {11, 1}, {12, 2}}},
	}
	for _, tt := range tests {
		// The same turn on grey and on colour pixels.
		rgba := image.NewRGBA(src.Rect)
		nrgba := image.NewNRGBA(src.Rect)
		for y := range 2 {
			for x := range 3 {
				v := src.GrayAt(x, y).Y
				rgba.Set(x, y, color.RGBA{v, v + 1, v + 2, 255})
				nrgba.Set(x, y, color.NRGBA{v, v + 1, v + 2, 255})
			}
		}
		for _, img := range []image.Image{src, rgba, nrgba} {
			got := Correct(img, tt.rotation, 0)
			if got.Bounds() != image.Rect(0, 0, len(tt.want[0]), len(tt.want)) {
				t.Errorf("%T turned %d: bounds %v", img, tt.rotation, got.Bounds())
				continue
			}
			for y, row := range tt.want {
				for x, v := range row {
					r, g, b, _ := got.At(x, y).RGBA()
					want := [3]uint32{uint32(v), uint32(v), uint32(v)}
					if _, ok := img.(*image.Gray); !ok {
						want = [3]uint32{uint32(v), uint32(v) + 1, uint32(v) + 2}
					}
					if [3]uint32{r >> 8, g >> 8, b >> 8} != want {
						t.Errorf("%T turned %d: pixel (%d,%d) = %v, want %v", img, tt.rotation, x, y, [3]uint32{r >> 8, g >> 8, b >> 8}, want)
					}
				}
			}
		}
	}
}

// TestCorrectMatchesSynth: a page rendered with skew s and with none must
// agree once Correct(page, 0, s) has straightened the first, and a quarter
// turn must undo synth's Rotation. This pins the sign conventions.
func TestCorrectMatchesSynth(t *testing.T) {
	g := generator(t)
	render := func(skew float64, rot int) *image.Gray {
		_, imgs, err := g.Render(synth.Options{Seed: 5, Mode: synth.Gray, Skew: skew, Rotation: rot})
		if err != nil {
			t.Fatal(err)
		}
		return imgs[0].(*image.Gray)
	}
	straight := render(0, 0)
	for _, tt := range []struct {
		skew float64
		rot  int
	}{{6, 0}, {-4.5, 0}, {3, 90}, {-2, 180}, {0, 270}} {
		page := render(tt.skew, tt.rot)
		right := Correct(page, (360-tt.rot)%360, tt.skew).(*image.Gray)
		wrong := Correct(page, (360-tt.rot)%360, -tt.skew).(*image.Gray)
		dr, dw := centreDiff(right, straight), centreDiff(wrong, straight)
		t.Logf("skew %+.1f° rotation %d: mean difference %.2f levels straightened, %.2f the wrong way", tt.skew, tt.rot, dr, dw)
		if dr > 8 {
			t.Errorf("skew %+.1f° rotation %d: straightened page differs by %.2f levels on average", tt.skew, tt.rot, dr)
		}
		if tt.skew != 0 && dw < 3*dr {
			t.Errorf("skew %+.1f° rotation %d: the wrong sign does as well (%.2f)", tt.skew, tt.rot, dw)
		}
	}
}

// centreDiff is the mean absolute difference of the central halves of a and
// b, aligned on their centres.
func centreDiff(a, b *image.Gray) float64 {
	w, h := b.Rect.Dx()/2, b.Rect.Dy()/2
	ax, ay := (a.Rect.Dx()-w)/2, (a.Rect.Dy()-h)/2
	bx, by := (b.Rect.Dx()-w)/2, (b.Rect.Dy()-h)/2
	var sum float64
	for y := range h {
		for x := range w {
			d := int(a.Pix[(ay+y)*a.Stride+ax+x]) - int(b.Pix[(by+y)*b.Stride+bx+x])
			sum += math.Abs(float64(d))
		}
	}
	return sum / float64(w*h)
}

// TestCorrectKeepsEverything: marks in the four corners survive any turn,
// the canvas is the turned page's bounding box, and the new corners are
// white.
func TestCorrectKeepsEverything(t *testing.T) {
	const w, h = 400, 600
	for _, deg := range []float64{0.5, -3, 15, -15, 45, 89.5} {
		for _, rot := range []int{0, 90, 180, 270} {
			src := image.NewGray(image.Rect(0, 0, w, h))
			for i := range src.Pix {
				src.Pix[i] = 255
			}
			for _, c := range []image.Point{{0, 0}, {w - 8, 0}, {0, h - 8}, {w - 8, h - 8}} {
				fill(src, image.Rectangle{c, c.Add(image.Pt(8, 8))}, func(int, int) uint8 { return 0 })
			}
			out := Correct(src, rot, deg).(*image.Gray)
			th := (float64(rot) + deg) * math.Pi / 180
			ww := math.Abs(w*math.Cos(th)) + math.Abs(h*math.Sin(th))
			hh := math.Abs(w*math.Sin(th)) + math.Abs(h*math.Cos(th))
			if b := out.Bounds(); b.Min != (image.Point{}) || math.Abs(float64(b.Dx())-ww) > 1 || math.Abs(float64(b.Dy())-hh) > 1 {
				t.Errorf("turned %d%+.1f°: bounds %v, want about %.0fx%.0f", rot, deg, b, ww, hh)
			}
			dark := 0
			for _, v := range out.Pix {
				if v < 128 {
					dark++
				}
			}
			if dark < 4*8*8*9/10 || dark > 4*8*8*11/10 {
				t.Errorf("turned %d%+.1f°: %d dark pixels, want about %d", rot, deg, dark, 4*8*8)
			}
			if v := out.Pix[0]; v != 255 && deg != 0 && math.Mod(math.Abs(deg), 90) > 1 {
				t.Errorf("turned %d%+.1f°: corner is %d, want white", rot, deg, v)
			}
		}
	}
}

func TestCorrectBilevelStaysBilevel(t *testing.T) {
	g := generator(t)
	_, imgs, err := g.Render(synth.Options{Seed: 8, Mode: synth.Bilevel, Noise: 30})
	if err != nil {
		t.Fatal(err)
	}
	out := Correct(imgs[0], 90, 3.7).(*image.Gray)
	hist := map[uint8]int{}
	for _, v := range out.Pix {
		hist[v]++
	}
	if len(hist) != 2 || hist[0] == 0 || hist[255] == 0 {
		t.Errorf("corrected bilevel page has levels %v, want only 0 and 255", hist)
	}
}

func TestCorrectTypes(t *testing.T) {
	r := image.Rect(0, 0, 50, 30)
	tests := []struct {
		in   image.Image
		want string
	}{
		{image.NewGray(r), "*image.Gray"},
		{image.NewRGBA(r), "*image.RGBA"},
		{image.NewNRGBA(r), "*image.NRGBA"},
		{image.NewYCbCr(r, image.YCbCrSubsampleRatio420), "*image.RGBA"},
		{image.NewGray16(r), "*image.RGBA"},
	}
	for _, tt := range tests {
		for _, deg := range []float64{0, 2} {
			if got := Correct(tt.in, 90, deg); typeName(got) != tt.want {
				t.Errorf("Correct(%T, 90, %v) is %s, want %s", tt.in, deg, typeName(got), tt.want)
			}
		}
	}
	g := image.NewGray(r)
	if got := Correct(g, 360, 0.001); got != image.Image(g) {
		t.Error("Correct with nothing to do did not return its input")
	}
	defer func() {
		if recover() == nil {
			t.Error("Correct(img, 45, 0) did not panic")
		}
	}()
	Correct(g, 45, 0)
}

func typeName(img image.Image) string {
	switch img.(type) {
	case *image.Gray:
		return "*image.Gray"
	case *image.RGBA:
		return "*image.RGBA"
	case *image.NRGBA:
		return "*image.NRGBA"
	}
	return "other"
}

// TestCorrectRoundTrip: turning by deg and back changes the inside of a
// page little.
func TestCorrectRoundTrip(t *testing.T) {
	g := generator(t)
	_, imgs, err := g.Render(synth.Options{Seed: 9, Mode: synth.Gray})
	if err != nil {
		t.Fatal(err)
	}
	page := imgs[0].(*image.Gray)
	back := Correct(Correct(page, 0, 7), 0, -7).(*image.Gray)
	if d := centreDiff(back, page); d > 4 {
		t.Errorf("turned by 7° and back: mean difference %.2f levels", d)
	}
}

// TestCorrectSameGeometry: the worker straightens the grey copy first, then
// turns it by a quarter; it archives the original corrected in one step.
// Both must have the same size, and the same content at the same place, so
// that OCR boxes fit the archived image.
func TestCorrectSameGeometry(t *testing.T) {
	g := generator(t)
	_, imgs, err := g.Render(synth.Options{Seed: 12, Mode: synth.Color, Skew: 3.3, Rotation: 90})
	if err != nil {
		t.Fatal(err)
	}
	page := imgs[0]
	for _, rot := range []int{0, 90, 180, 270} {
		twoSteps := Correct(Correct(toGray(page), 0, -3.3), rot, 0).(*image.Gray)
		oneStep := toGray(Correct(page, rot, -3.3))
		if twoSteps.Rect != oneStep.Rect {
			t.Errorf("rotation %d: %v in two steps, %v in one", rot, twoSteps.Rect, oneStep.Rect)
			continue
		}
		if d := centreDiff(twoSteps, oneStep); d > 2 {
			t.Errorf("rotation %d: mean difference %.2f levels", rot, d)
		}
	}
}

// Size tells the size Correct will allocate, for every kind of turn.
func TestSize(t *testing.T) {
	for _, sz := range [][2]int{{1, 1}, {37, 53}, {200, 120}} {
		img := image.NewGray(image.Rect(0, 0, sz[0], sz[1]))
		for _, rot := range []int{0, 90, 180, 270, -90, 450} {
			for _, deg := range []float64{0, 0.005, 0.3, -2, 7.5, 45, -89} {
				b := Correct(img, rot, deg).Bounds()
				if w, h := Size(sz[0], sz[1], rot, deg); w != b.Dx() || h != b.Dy() {
					t.Errorf("Size(%d, %d, %d, %v) = %dx%d, Correct gives %dx%d", sz[0], sz[1], rot, deg, w, h, b.Dx(), b.Dy())
				}
			}
		}
	}
}
