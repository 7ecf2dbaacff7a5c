package ocr

import (
	"bytes"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/sohoa/sohoa/fixtures/synth"
	"github.com/sohoa/sohoa/ingest/pages"
	"github.com/sohoa/sohoa/ocr/tesseract"
	"github.com/sohoa/sohoa/pipeline"
)

func TestEmptyPageRule(t *testing.T) {
	word := func(text string, conf float64) []pipeline.Line {
		return []pipeline.Line{{Words: []pipeline.Word{{Text: text, Conf: conf}}}}
	}
	for _, tc := range []struct {
		name  string
		ink   float64
		lines []pipeline.Line
		empty bool
	}{
		{"nothing", 0, nil, true},
		{"dust", 0.0004, nil, true},
		{"dust read as marks", 0.0004, word("·,", 90), true},
		{"a two-letter guess", 0.001, word("ll", 95), true},
		{"a word of noise, unsure", 0.001, word("Illi", 30), true},
		{"one word", 0.0008, word("Trang", 80), false},
		{"a page number", 0.0002, word("123", 90), false},
		{"ink without words (a drawing, a signature)", 0.01, nil, false},
	} {
		if got := EmptyPage(tc.ink, tc.lines); got != tc.empty {
			t.Errorf("%s: EmptyPage = %v, want %v", tc.name, got, tc.empty)
		}
	}
}

// readPNG runs a page image through ReadPage as the worker does.
func readPNG(t *testing.T, eng *tesseract.Engine, img image.Image, dpi float64) (*Prepared, []pipeline.Line) {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	prep, lines, err := ReadPage(b.Bytes(), "png", dpi, nil, eng)
	if err != nil {
		t.Fatal(err)
	}
	return prep, lines
}

func newEngine(t *testing.T) *tesseract.Engine {
	t.Helper()
	eng, err := tesseract.New(tesseract.Config{Languages: []string{"vie"}})
	if err != nil {
		t.Fatalf("Tesseract is needed (make test installs it): %v", err)
	}
	t.Cleanup(func() { eng.Close() })
	return eng
}

// Blank sheets as duplex scanners give them are found empty: clean, with
// dust, punch holes and a dark edge, on grey noisy paper, and with the
// front's print showing through; a page with one line of text, or only a
// page number, is not.
func TestEmptyPageScans(t *testing.T) {
	eng := newEngine(t)
	const dpi = 300
	_, front, err := synth.NewDoc(synth.Options{Seed: 11, DPI: dpi, Mode: synth.Gray})
	if err != nil {
		t.Fatal(err)
	}
	fg := asGray(front[0])
	w, h := fg.Rect.Dx(), fg.Rect.Dy()
	paper := func(level uint8) *image.Gray {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for i := range g.Pix {
			g.Pix[i] = level
		}
		return g
	}
	rng := rand.New(rand.NewPCG(3, 4))

	dusty := paper(250)
	for range 300 { // dust: specks of 1–3 pixels
		x, y, s := rng.IntN(w-3), rng.IntN(h-3), 1+rng.IntN(3)
		for dy := range s {
			for dx := range s {
				dusty.Pix[(y+dy)*dusty.Stride+x+dx] = 40
			}
		}
	}
	for _, cy := range []int{h / 3, 2 * h / 3} { // two punch holes in the left margin
		for y := cy - 40; y < cy+40; y++ {
			for x := 60; x < 140; x++ {
				if (x-100)*(x-100)+(y-cy)*(y-cy) < 40*40 {
					dusty.Pix[y*dusty.Stride+x] = 20
				}
			}
		}
	}
	for y := range h { // the feeder's dark edge
		for x := w - 30; x < w; x++ {
			dusty.Pix[y*dusty.Stride+x] = 30
		}
	}

	grey := paper(228)
	for i := range grey.Pix {
		grey.Pix[i] = uint8(min(255, max(0, 228+int(rng.NormFloat64()*10))))
	}

	through := paper(250) // the front, mirrored and faint, as thin paper shows it (strong show-through is binarised as ink and kept: see EmptyPage)
	for y := range h {
		for x := range w {
			v := fg.Pix[y*fg.Stride+(w-1-x)]
			through.Pix[y*through.Stride+x] = uint8(250 - (255-int(v))*18/255)
		}
	}

	line := paper(255) // the front with all but one text row, mid-page, painted out
	rows := inkRows(fg)
	k := 0
	for k < len(rows)-1 && rows[k] < h/2 {
		k++
	}
	if k == len(rows)-1 {
		t.Fatal("the synthetic front has no text row below its middle")
	}
	for y := rows[k]; y < rows[k+1]; y++ {
		copy(line.Pix[y*line.Stride:(y+1)*line.Stride], fg.Pix[y*fg.Stride:(y+1)*fg.Stride])
	}

	for _, tc := range []struct {
		name  string
		img   *image.Gray
		empty bool
	}{
		{"white", paper(255), true},
		{"dust, punch holes, a dark edge", dusty, true},
		{"grey noisy paper", grey, true},
		{"faint print showing through", through, true},
		{"one line of text", line, false},
		{"the front", fg, false},
	} {
		prep, lines := readPNG(t, eng, tc.img, dpi)
		got := EmptyPage(prep.Ink, lines)
		t.Logf("%s: ink %.5f, %d lines, empty %v", tc.name, prep.Ink, len(lines), got)
		if got != tc.empty {
			t.Errorf("%s: empty %v, want %v (ink %.5f, lines %v)", tc.name, got, tc.empty, prep.Ink, lines)
		}
	}
}

// No page of the real scans is taken for a blank sheet.
func TestEmptyPageRealScans(t *testing.T) {
	if testing.Short() {
		t.Skip("reads every page of the real scans")
	}
	eng := newEngine(t)
	files, err := filepath.Glob(filepath.Join("..", "fixtures", "real", "*.pdf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no real scans in ../fixtures/real: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		_, ps, err := pages.Split(data, pages.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range ps {
			dpi := float64(p.DPIX)
			if dpi <= 0 {
				dpi = 300
			}
			prep, lines, err := ReadPage(p.Data, string(p.Format), dpi, nil, eng)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s page %d: ink %.4f, %d lines", filepath.Base(f), i+1, prep.Ink, len(lines))
			if EmptyPage(prep.Ink, lines) {
				t.Errorf("%s page %d taken for a blank sheet (ink %.4f, %d lines)", filepath.Base(f), i+1, prep.Ink, len(lines))
			}
		}
	}
}

// inkRows returns the first row of every band of rows with ink (<128).
func inkRows(g *image.Gray) []int {
	var starts []int
	in := false
	for y := range g.Rect.Dy() {
		ink := false
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+g.Rect.Dx()] {
			if v < 128 {
				ink = true
				break
			}
		}
		if ink && !in {
			starts = append(starts, y)
		}
		in = ink
	}
	return starts
}
