package clean

import (
	"image"
	"image/color"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/sohoa/sohoa/fixtures/synth"
)

func TestGray(t *testing.T) {
	r := image.Rect(0, 0, 4, 3)
	paper, black, seal, blue := color.RGBA{250, 247, 240, 255}, color.RGBA{0, 0, 6, 255}, color.RGBA{215, 35, 45, 255}, color.RGBA{25, 45, 150, 255}
	cols := []color.RGBA{paper, black, seal, blue}
	rgba := image.NewRGBA(r)
	nrgba := image.NewNRGBA(r)
	pal := image.NewPaletted(r, color.Palette{paper, black, seal, blue})
	for y := range 3 {
		for x := range 4 {
			c := cols[(x+y)%4]
			rgba.SetRGBA(x, y, c)
			nrgba.Set(x, y, c)
			pal.SetColorIndex(x, y, uint8((x+y)%4))
		}
	}
	want := func(x, y int) uint8 { return cols[(x+y)%4].R }
	for _, img := range []image.Image{rgba, nrgba, pal} {
		g := Gray(img)
		if g.Rect != r {
			t.Errorf("%T: bounds %v", img, g.Rect)
		}
		for y := range 3 {
			for x := range 4 {
				if v := g.GrayAt(x, y).Y; v != want(x, y) {
					t.Errorf("%T: pixel (%d,%d) = %d, want %d (the red channel)", img, x, y, v, want(x, y))
				}
			}
		}
	}
	// A sub-image keeps its pixels and comes back at (0, 0).
	sub := rgba.SubImage(image.Rect(1, 1, 4, 3))
	if g := Gray(sub); g.Rect != image.Rect(0, 0, 3, 2) || g.GrayAt(0, 0).Y != want(1, 1) || g.GrayAt(2, 1).Y != want(3, 2) {
		t.Errorf("sub-image: %v %v", g.Rect, g.Pix)
	}
	// A grey page is returned as it is.
	gray := image.NewGray(r)
	if Gray(gray) != gray {
		t.Error("Gray(*image.Gray) made a copy")
	}
	g16 := image.NewGray16(r)
	g16.SetGray16(1, 1, color.Gray16{0xAB12})
	if v := Gray(g16).GrayAt(1, 1).Y; v != 0xAB {
		t.Errorf("Gray16: %#x, want 0xab", v)
	}
}

// TestGrayYCbCr: JPEG pages decode to YCbCr; their red channel must match
// the standard conversion for every subsampling.
func TestGrayYCbCr(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	r := image.Rect(3, 1, 40, 20) // odd offsets exercise the chroma alignment
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440} {
		src := image.NewYCbCr(r, ratio)
		for i := range src.Y {
			src.Y[i] = uint8(rng.IntN(256))
		}
		for i := range src.Cr {
			src.Cr[i], src.Cb[i] = uint8(rng.IntN(256)), uint8(rng.IntN(256))
		}
		g := Gray(src)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				want, _, _, _ := src.At(x, y).RGBA()
				got := g.GrayAt(x-r.Min.X, y-r.Min.Y).Y
				if d := int(got) - int(want>>8); d < -1 || d > 1 {
					t.Fatalf("%v: pixel (%d,%d) red %d, want %d", ratio, x, y, got, want>>8)
				}
			}
		}
	}
}

// ideal is the page of a seed as printed: rendered clean in grey, ink
// where darker than mid-grey.
func ideal(t *testing.T, g *synth.Generator, seed uint64) *image.Gray {
	_, imgs, err := g.Render(synth.Options{Seed: seed, Mode: synth.Gray})
	if err != nil {
		t.Fatal(err)
	}
	return imgs[0].(*image.Gray)
}

// TestBinarizeFidelity binarises degraded scans of pages whose printed ink
// is known and compares them pixel by pixel. No text may be lost: nearly
// every pixel of printed ink must be ink. Nothing else may become ink: ink
// farther than two pixels from any printed ink (noise, paper, seals; a
// signature is not printed and counts here too) must be rare. Strokes may
// grow by a pixel or two at their edges.
func TestBinarizeFidelity(t *testing.T) {
	g := generator(t)
	tests := []struct {
		name     string
		opts     synth.Options
		after    func(image.Image) image.Image
		maxStray float64 // stray ink, per pixel of printed ink
	}{
		{"clean colour", synth.Options{Mode: synth.Color}, nil, 0.005},
		{"noisy grey", synth.Options{Mode: synth.Gray, Noise: 35, Blur: 1.2, SaltPepper: 0.001}, nil, 0.02},
		{"yellowed paper", synth.Options{Mode: synth.Color, Paper: 200, Noise: 10, Blur: 0.8}, nil, 0.005},
		{"low contrast", synth.Options{Mode: synth.Gray, Paper: 230, Contrast: 0.7, Noise: 12, Blur: 1}, nil, 0.01},
		{"faint typewriter", synth.Options{Mode: synth.Gray, Paper: 215, Contrast: 0.8, Noise: 8, Blur: 1.5}, nil, 0.01},
		{"sealed colour", synth.Options{Mode: synth.Color, Seal: true, Noise: 10, Blur: 0.8}, nil, 0.05},
		{"uneven lighting", synth.Options{Mode: synth.Gray, Noise: 10}, shade, 0.005},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seed := 700 + uint64(i)
			tt.opts.Seed = seed
			_, imgs, err := g.Render(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			img := imgs[0]
			if tt.after != nil {
				img = tt.after(img)
			}
			gray := Gray(img)
			before := slices.Clone(gray.Pix)
			bin := Binarize(gray)
			if !slices.Equal(gray.Pix, before) {
				t.Error("Binarize modified its input")
			}
			ref := ideal(t, g, seed)
			w, h := ref.Rect.Dx(), ref.Rect.Dy()
			near := dilate(ref, 2)
			var printed, kept, stray, all int
			for i, v := range ref.Pix {
				b := bin.Pix[i]
				if b != 0 && b != 255 {
					t.Fatalf("pixel %d is %d, not 0 or 255", i, b)
				}
				if b == 0 {
					all++
				}
				if v < 128 {
					printed++
					if b == 0 {
						kept++
					}
				} else if b == 0 && !near[i] {
					stray++
				}
			}
			recall, strayRate := float64(kept)/float64(printed), float64(stray)/float64(printed)
			t.Logf("%dx%d: %.3f of the printed ink kept, stray ink %.4f of it, ink %.2f× the printed", w, h, recall, strayRate, float64(all)/float64(printed))
			if weight := float64(all) / float64(printed); recall < 0.97 || strayRate > tt.maxStray || weight > 1.8 {
				t.Errorf("%.3f of the printed ink kept (want ≥ 0.97), stray ink %.4f of it (want ≤ %.3f), ink %.2f× the printed (want ≤ 1.8)", recall, strayRate, tt.maxStray, weight)
			}
			if tt.opts.Seal {
				red, kept := sealInk(img, bin)
				t.Logf("%d pixels of red seal, %d of them left as ink", red, kept)
				if red == 0 || kept*20 > red {
					t.Errorf("%d of %d pixels of red seal left as ink", kept, red)
				}
			}
		})
	}
}

// dilate marks the pixels within r (a square) of a pixel of g below 128.
func dilate(g *image.Gray, r int) []bool {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	rows := make([]bool, w*h)
	for y := range h {
		for x := range w {
			if g.Pix[y*g.Stride+x] < 128 {
				for dx := max(0, x-r); dx <= min(w-1, x+r); dx++ {
					rows[y*w+dx] = true
				}
			}
		}
	}
	out := make([]bool, w*h)
	for y := range h {
		for x := range w {
			if rows[y*w+x] {
				for dy := max(0, y-r); dy <= min(h-1, y+r); dy++ {
					out[dy*w+x] = true
				}
			}
		}
	}
	return out
}

// shade darkens a grey page from right to left, to 45% at the left edge.
func shade(img image.Image) image.Image {
	g := img.(*image.Gray)
	w := float64(g.Rect.Dx())
	for y := range g.Rect.Dy() {
		row := g.Pix[y*g.Stride : y*g.Stride+g.Rect.Dx()]
		for x, v := range row {
			row[x] = uint8(float64(v) * (0.45 + 0.55*float64(x)/w))
		}
	}
	return g
}

func TestBinarizeBilevelInput(t *testing.T) {
	g := generator(t)
	_, imgs, err := g.Render(synth.Options{Seed: 11, Mode: synth.Bilevel})
	if err != nil {
		t.Fatal(err)
	}
	page := imgs[0].(*image.Gray)
	dirty := image.NewGray(page.Rect)
	copy(dirty.Pix, page.Pix)
	// Isolated specks on the paper, far from the text: the top margin.
	rng := rand.New(rand.NewPCG(2, 2))
	var specks []int
	for k := range 200 {
		x, y := 10+12*k, 10+rng.IntN(100) // 12 apart: each alone
		if i := y*dirty.Stride + x; dirty.Pix[i] == 255 {
			dirty.Pix[i] = 0
			specks = append(specks, i)
		}
	}
	bin := Binarize(dirty)
	for _, i := range specks {
		if bin.Pix[i] != 255 {
			t.Fatalf("speck at %d kept", i)
		}
	}
	// Everything else is as it was, but other isolated pixels.
	changed := 0
	for i, v := range page.Pix {
		if bin.Pix[i] != v {
			changed++
		}
	}
	if changed > len(page.Pix)/10000 {
		t.Errorf("%d pixels of the bilevel page changed", changed)
	}
}

func TestBinarizeSmallAndFlat(t *testing.T) {
	for _, r := range []image.Rectangle{image.Rect(0, 0, 0, 0), image.Rect(0, 0, 1, 1), image.Rect(5, 5, 8, 300), image.Rect(0, 0, 300, 2)} {
		for _, v := range []uint8{0, 90, 255} {
			g := image.NewGray(r)
			for i := range g.Pix {
				g.Pix[i] = v
			}
			b := Binarize(g)
			if b.Rect != image.Rect(0, 0, r.Dx(), r.Dy()) {
				t.Errorf("%v: bounds %v", r, b.Rect)
			}
			// A flat page has no ink, whatever its level (but black).
			if v != 0 {
				for _, p := range b.Pix {
					if p != 255 {
						t.Errorf("%v level %d: ink on a flat page", r, v)
						break
					}
				}
			}
		}
	}
}

func TestWhiten(t *testing.T) {
	g := image.NewGray(image.Rect(2, 3, 5, 5))
	copy(g.Pix, []uint8{10, 200, 90, 30, 40, 50})
	bw := image.NewGray(image.Rect(0, 0, 3, 2))
	copy(bw.Pix, []uint8{0, 255, 0, 255, 255, 0})
	got := Whiten(g, bw)
	if want := []uint8{10, 255, 90, 255, 255, 50}; got.Rect != bw.Rect || !slices.Equal(got.Pix, want) {
		t.Errorf("Whiten = %v %v, want %v", got.Rect, got.Pix, want)
	}
}
