package clean

import (
	"flag"
	"fmt"
	"image"
	"image/draw"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/fixtures/realpages"
	"github.com/sohoa/sohoa/fixtures/synth"

	"github.com/sohoa/sohoa/internal/need"
)

var ocrPages = flag.Int("ocrpages", 1, "synthetic pages per condition for the OCR measurement (0: skip it)")

// condition is one kind of scan in the OCR measurement.
type condition struct {
	name string
	opts synth.Options
}

var conditions = []condition{
	{"clean", synth.Options{Mode: synth.Color}},
	{"noisy", synth.Options{Mode: synth.Gray, Noise: 35, Blur: 1.2, SaltPepper: 0.001}},
	{"grey paper", synth.Options{Mode: synth.Color, Paper: 200, Noise: 10, Blur: 0.8}},
	{"low contrast", synth.Options{Mode: synth.Gray, Paper: 230, Contrast: 0.7, Noise: 12, Blur: 1}},
	{"sealed colour", synth.Options{Mode: synth.Color, Seal: true, Noise: 10, Blur: 0.8}},
}

// variant is one way of preparing the page Tesseract reads.
type variant struct {
	name string
	prep func(image.Image) image.Image
}

var variants = []variant{
	{"raw", func(img image.Image) image.Image { return img }},
	{"gray", func(img image.Image) image.Image { return Gray(img) }},
	{"binarized", func(img image.Image) image.Image { return Binarize(Gray(img)) }},
	{"whitened", func(img image.Image) image.Image { g := Gray(img); return Whiten(g, Binarize(g)) }},
	{"luma+binarized", func(img image.Image) image.Image { return Binarize(luma(img)) }},
}

// luma is the usual grey conversion (ITU-R 601 luminance), which Gray
// avoids; the measurement compares the two on colour pages.
func luma(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	g := image.NewGray(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g
}

type ocrResult struct {
	cond, variant string
	f1, seconds   float64
}

// TestOCR renders synthetic pages under every condition, has Tesseract
// (vie, one thread) read each as scanned, through Gray, through Binarize,
// and through Whiten, and reports word F1 against the truth and the seconds
// Tesseract took (colour pages also through luminance and Binarize, to
// compare with Gray's red channel). Neither may lose accuracy against the
// page as scanned, beyond what the assertions allow.
// -ocrpages sets the pages per condition (the default run reads one page of
// the two conditions where Binarize matters most; -ocrpages 6 gives the
// figures in the package documentation).
func TestOCR(t *testing.T) {
	if testing.Short() || *ocrPages == 0 {
		t.Skip("OCR measurement skipped in -short mode or with -ocrpages 0")
	}
	need.Tool(t, "tesseract", "tesseract-ocr")
	g := generator(t)
	conds := conditions
	if !flagSet("ocrpages") {
		conds = []condition{conditions[3], conditions[4]} // low contrast, sealed colour
	}
	dir := t.TempDir()
	type job struct {
		cond    condition
		variant variant
		page    int
	}
	var jobs []job
	for _, c := range conds {
		for p := range *ocrPages {
			for _, v := range variants {
				if v.name == "luma+binarized" && (c.opts.Mode != synth.Color || !flagSet("ocrpages")) {
					continue
				}
				jobs = append(jobs, job{c, v, p})
			}
		}
	}
	results := make([]ocrResult, len(jobs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2) // Tesseract, like the worker, one thread a page
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			o := j.cond.opts
			o.Seed = 500 + uint64(j.page)
			doc, imgs, err := g.Render(o)
			if err != nil {
				t.Error(err)
				return
			}
			text, secs, err := tesseract(t, filepath.Join(dir, fmt.Sprintf("job%d", i)), j.variant.prep(imgs[0]))
			if err != nil {
				t.Error(err)
				return
			}
			results[i] = ocrResult{j.cond.name, j.variant.name, wordF1(doc.Pages[0].Text, text), secs}
		}()
	}
	wg.Wait()

	type key struct{ cond, variant string }
	sum := map[key][3]float64{}
	for _, r := range results {
		s := sum[key{r.cond, r.variant}]
		sum[key{r.cond, r.variant}] = [3]float64{s[0] + r.f1, s[1] + r.seconds, s[2] + 1}
	}
	var tb strings.Builder
	fmt.Fprintf(&tb, "word F1 / Tesseract seconds per page, %d page(s) per condition:\n", *ocrPages)
	fmt.Fprintf(&tb, "%-14s", "")
	for _, v := range variants {
		fmt.Fprintf(&tb, " %20s", v.name)
	}
	tb.WriteString("\n")
	for _, c := range conds {
		fmt.Fprintf(&tb, "%-14s", c.name)
		for _, v := range variants {
			s := sum[key{c.name, v.name}]
			if s[2] == 0 {
				fmt.Fprintf(&tb, " %20s", "-")
				continue
			}
			fmt.Fprintf(&tb, " %12.3f / %5.2fs", s[0]/s[2], s[1]/s[2])
		}
		tb.WriteString("\n")
		// The bilevel page may lose a word in a hundred (hooks above
		// letters, see Whiten); the whitened one nothing beyond noise.
		f1 := func(v string) float64 { s := sum[key{c.name, v}]; return s[0] / max(s[2], 1) }
		if bin, raw := f1("binarized"), f1("raw"); bin < raw-0.02 {
			t.Errorf("%s: binarised F1 %.3f, the scan's %.3f", c.name, bin, raw)
		}
		if wh, raw := f1("whitened"), f1("raw"); wh < raw-0.005 {
			t.Errorf("%s: whitened F1 %.3f, the scan's %.3f", c.name, wh, raw)
		}
	}
	t.Log(tb.String())
	realOCR(t, dir)
}

// tesseract writes img as base.png and reads it as the worker does (vie,
// one thread), returning the text and the seconds Tesseract took.
func tesseract(t testing.TB, base string, img image.Image) (string, float64, error) {
	writePNG(t, base+".png", img)
	start := time.Now()
	cmd := exec.Command("tesseract", base+".png", base, "-l", "vie")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", 0, fmt.Errorf("tesseract: %v: %s", err, out)
	}
	secs := time.Since(start).Seconds()
	text, err := os.ReadFile(base + ".txt")
	return string(text), secs, err
}

// handFilled are the real pages that are forms filled in by hand: there
// Tesseract reads the handwriting as noise, differently on every copy, and
// agreement means nothing.
var handFilled = map[string]bool{
	"157-QD-ND-UB-1999.pdf-p3": true,
	"157-QD-ND-UB-1999.pdf-p4": true,
	"157-QD-ND-UB-1999.pdf-p5": true,
}

// realOCR reads real scans as scanned, binarised and whitened. They have no
// truth text: the words read on the scan stand for it, and the cleaned pages
// must find nearly all of them on printed pages (typewritten, sealed and
// 1-bit: text lost by Binarize would show here). The default run reads the
// typewritten page and the sealed one; -ocrpages, all of them.
func realOCR(t *testing.T, dir string) {
	ps, err := realpages.Load(*realDir)
	if err != nil {
		t.Logf("real scans: %v", err)
		return
	}
	if !flagSet("ocrpages") {
		var some []realPage
		for _, p := range ps {
			if p.Name == "157-QD-ND-UB-1999.pdf-p1" || p.Name == "23-BC-UBND-2025.pdf-p1" {
				some = append(some, p)
			}
		}
		ps = some
	}
	preps := []func(image.Image) image.Image{
		func(img image.Image) image.Image { return img },
		func(img image.Image) image.Image { return Binarize(Gray(img)) },
		func(img image.Image) image.Image { g := Gray(img); return Whiten(g, Binarize(g)) },
	}
	type res struct {
		texts [3]string
		secs  [3]float64
	}
	rs := make([]res, len(ps))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, p := range ps {
		for k, prep := range preps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				text, secs, err := tesseract(t, filepath.Join(dir, fmt.Sprintf("real%d-%d", i, k)), prep(p.Image))
				if err != nil {
					t.Error(err)
					return
				}
				rs[i].texts[k], rs[i].secs[k] = text, secs
			}()
		}
	}
	wg.Wait()
	var tb strings.Builder
	tb.WriteString("real scans read as scanned | binarised | whitened: words, seconds, and F1 of the words against the scan's:\n")
	for i, p := range ps {
		r := rs[i]
		words := func(k int) int { return len(strings.Fields(r.texts[k])) }
		fmt.Fprintf(&tb, "%-26s %4d words %5.2fs | %4d %5.2fs %.3f | %4d %5.2fs %.3f", p.Name,
			words(0), r.secs[0], words(1), r.secs[1], wordF1(r.texts[0], r.texts[1]), words(2), r.secs[2], wordF1(r.texts[0], r.texts[2]))
		if handFilled[p.Name] {
			tb.WriteString(" (filled in by hand)")
		}
		tb.WriteString("\n")
		for k := 1; k <= 2 && !handFilled[p.Name]; k++ {
			if a := wordF1(r.texts[0], r.texts[k]); a < 0.85 || float64(words(k)) < 0.9*float64(words(0)) {
				t.Errorf("%s: cleaned page %d reads %d words (scan %d), agreement %.3f", p.Name, k, words(k), words(0), a)
			}
		}
	}
	t.Log(tb.String())
}

// flagSet reports whether the named flag was given on the command line.
func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// wordF1 compares the words of an OCR text with the truth's, as multisets:
// NFC, punctuation around words ignored.
func wordF1(truth, got string) float64 {
	words := func(s string) map[string]int {
		m := map[string]int{}
		for _, w := range strings.Fields(norm.NFC.String(s)) {
			w = strings.Trim(w, ".,;:!?()\"'“”‘’…")
			if w != "" {
				m[w]++
			}
		}
		return m
	}
	tw, gw := words(truth), words(got)
	var match, nt, ng int
	for w, n := range tw {
		nt += n
		match += min(n, gw[w])
	}
	for _, n := range gw {
		ng += n
	}
	if nt == 0 || ng == 0 {
		return 0
	}
	p, r := float64(match)/float64(ng), float64(match)/float64(nt)
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
