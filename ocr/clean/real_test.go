package clean

import (
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/fixtures/realpages"
)

var (
	realDir = flag.String("realdir", "../../fixtures/real", "directory holding the real scans (fixtures/real)")
	dumpDir = flag.String("dump", "", "write the binarised real pages as PNG into this directory, to look at")
)

// realPage is one page of a real scan, decoded.
type realPage = realpages.Page

// real returns the pages of the real scans, or skips the test.
func real(t testing.TB) []realPage { return realpages.ForTest(t, *realDir) }

func writePNG(t testing.TB, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// TestRealScans binarises every page of the real scans: the result must be
// bilevel with about as much ink as a global threshold finds (no text lost
// to the adaptive threshold, no background turned to ink), and the red
// seals of 23-BC must be gone. -dump writes the pages, to look at.
func TestRealScans(t *testing.T) {
	for _, p := range real(t) {
		g := Gray(p.Image)
		bin := Binarize(g)
		if *dumpDir != "" {
			writePNG(t, filepath.Join(*dumpDir, p.Name+".gray.png"), g)
			writePNG(t, filepath.Join(*dumpDir, p.Name+".bin.png"), bin)
		}
		ink := 0
		for _, v := range bin.Pix {
			switch v {
			case 0:
				ink++
			case 255:
			default:
				t.Fatalf("%s: level %d in the binarised page", p.Name, v)
			}
		}
		ref := otsuInk(g)
		ratio := float64(ink) / float64(max(ref, 1))
		t.Logf("%-26s %T %dx%d: ink %.2f%% of the page, %.2f× a global Otsu threshold's", p.Name, p.Image, bin.Rect.Dx(), bin.Rect.Dy(), 100*float64(ink)/float64(len(bin.Pix)), ratio)
		if ratio < 0.6 || ratio > 1.6 {
			t.Errorf("%s: %.2f× the ink of a global threshold", p.Name, ratio)
		}
		if strings.HasPrefix(p.Name, "23-BC") {
			red, kept := sealInk(p.Image, bin)
			t.Logf("%-26s %d pixels of red seal, %.1f%% of them left as ink", p.Name, red, 100*float64(kept)/float64(max(red, 1)))
			if red > 0 && kept*20 > red {
				t.Errorf("%s: %d of %d pixels of red seal left as ink", p.Name, kept, red)
			}
		}
	}
}

// otsuInk counts the pixels of g below its global Otsu threshold.
func otsuInk(g *image.Gray) int {
	var hist [256]int
	for _, v := range g.Pix {
		hist[v]++
	}
	var total, sum float64
	for v, n := range hist {
		total += float64(n)
		sum += float64(v) * float64(n)
	}
	var wb, sb, best float64
	t := 0
	for v := range 255 {
		wb += float64(hist[v])
		sb += float64(v) * float64(hist[v])
		if wb == 0 || wb == total {
			continue
		}
		mb, mf := sb/wb, (sum-sb)/(total-wb)
		if between := wb * (total - wb) * (mb - mf) * (mb - mf); between > best {
			best, t = between, v
		}
	}
	n := 0
	for v := 0; v <= t; v++ {
		n += hist[v]
	}
	return n
}

// sealInk counts the pixels of img that are red ink (a seal) at least 3
// pixels from any black ink (where strokes of text, a little heavier once
// binarised, may reach), and how many of them bin keeps as ink.
func sealInk(img image.Image, bin *image.Gray) (red, kept int) {
	b := img.Bounds()
	level := func(x, y int) (r, g, bl uint32) {
		r, g, bl, _ = img.At(x, y).RGBA()
		return r >> 8, g >> 8, bl >> 8
	}
	nearBlack := func(x, y int) bool {
		for dy := -3; dy <= 3; dy++ {
			for dx := -3; dx <= 3; dx++ {
				if p := image.Pt(x+dx, y+dy); p.In(b) {
					if r, g, bl := level(p.X, p.Y); max(r, g, bl) < 110 {
						return true
					}
				}
			}
		}
		return false
	}
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			if r, g, bl := level(x, y); r > 150 && g < 110 && bl < 110 && !nearBlack(x, y) {
				red++
				if bin.GrayAt(x-b.Min.X, y-b.Min.Y).Y == 0 {
					kept++
				}
			}
		}
	}
	return red, kept
}
