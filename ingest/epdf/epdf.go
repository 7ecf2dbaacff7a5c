package epdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/png" // DecodeConfig of pdftoppm's output
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sohoa/sohoa/ingest/pages"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/viet"
)

// ErrTool: a poppler program is not installed, or did not run to its end
// because the caller's context ended. Not the file's fault: try again.
var ErrTool = errors.New("poppler")

// Defaults of a Config.
const (
	DefaultDPI       = 300
	DefaultTimeout   = 2 * time.Minute
	DefaultMaxText   = 64 << 20
	DefaultMaxMemory = 2 << 30
	// minDPI is the least resolution a page is rendered at; a page so
	// large that this would pass the pixel limit is refused.
	minDPI = 100
	// TextConf is the confidence given to a word of a page's own text:
	// it is what the page says, not a reading of it.
	TextConf = 99
)

// Config of Read; the zero value means the defaults.
type Config struct {
	// DPI pages are rendered at (default 300, the resolution of scans).
	DPI float64
	// Timeout of one run of a poppler program (default 2 minutes): a file
	// that keeps the renderer longer is refused as too complex.
	Timeout time.Duration
	// MaxPixels of one rendered page (default pipeline.MaxPagePixels).
	MaxPixels int64
	// MaxText bounds the text pdftotext may give for the pages (default
	// 256 MiB: its XHTML takes about 100 bytes a word, so some 2000 full
	// pages).
	MaxText int64
	// MaxMemory bounds the address space of each run of a tool (default
	// 2 GiB; a page at the pixel limit needs about 600 MiB), through
	// util-linux's prlimit, which every Debian has; a run that needs more
	// fails, and its file is refused.
	MaxMemory int64
	// TempDir holds the file while the tools read it ("" for the system's).
	TempDir string
}

func (c Config) withDefaults() Config {
	if c.DPI <= 0 {
		c.DPI = DefaultDPI
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxPixels <= 0 {
		c.MaxPixels = pipeline.MaxPagePixels
	}
	if c.MaxText <= 0 {
		c.MaxText = DefaultMaxText
	}
	if c.MaxMemory <= 0 {
		c.MaxMemory = DefaultMaxMemory
	}
	return c
}

// Page is one page as Read gives it.
type Page struct {
	// Number of the page in the file, from 1.
	Number int
	// Image is the page rendered (PNG: grey, or RGB for a page with
	// colour), Width × Height pixels at DPI.
	Image         []byte
	Width, Height int
	DPI           float64
	// Lines are the page's own text in Image's pixels, NFC, when it has
	// usable text (Text is then true); nil otherwise, and the page is to
	// be OCR'd from Image.
	Lines []pipeline.Line
	Text  bool
	// Fonts are the page's fonts as pdffonts names them; Legacy the legacy
	// encodings its text was decoded from (none for Unicode text).
	Fonts  []Font
	Legacy []viet.Legacy
}

// Font is a font a page uses.
type Font struct {
	Name     string
	Type     string
	Encoding string
	Embedded bool
	// Object is the font dictionary's object number.
	Object int
	Legacy viet.Legacy
}

// Read renders the pages numbered in which (from 1) of the PDF data and
// reads their own text. See the package documentation.
func Read(ctx context.Context, data []byte, which []int, cfg Config) ([]Page, error) {
	cfg = cfg.withDefaults()
	dir, err := os.MkdirTemp(cfg.TempDir, "sohoa-epdf-")
	if err != nil {
		return nil, fmt.Errorf("epdf: %w", err)
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(src, data, 0o600); err != nil {
		return nil, fmt.Errorf("epdf: %w", err)
	}
	fc := filepath.Join(dir, "fonts.conf")
	if err := os.WriteFile(fc, []byte(fontsConf), 0o600); err != nil {
		return nil, fmt.Errorf("epdf: %w", err)
	}
	r := &run{cfg: cfg, dir: dir, env: "FONTCONFIG_FILE=" + fc}

	if len(which) == 0 {
		return nil, nil
	}
	// The text of the pages from the first asked for to the last: one run,
	// with the time of as many pages. Its pages are numbered from first.
	first, last := slices.Min(which), slices.Max(which)
	if first < 1 {
		return nil, fmt.Errorf("epdf: page %d: %w", first, pages.ErrCorrupt)
	}
	long := *r
	long.cfg.Timeout *= time.Duration(last - first + 1)
	out, err := long.tool(ctx, "pdftotext", "-bbox-layout", "-enc", "UTF-8", "-q",
		"-f", strconv.Itoa(first), "-l", strconv.Itoa(last), src, "-")
	if err != nil {
		return nil, err
	}
	got, err := parseBBox(out)
	if err != nil {
		return nil, fmt.Errorf("epdf: pdftotext: %w: %v", pages.ErrCorrupt, err)
	}
	doc := make([]bboxPage, first-1, first-1+len(got)) // page n is doc[n-1]
	doc = append(doc, got...)
	res := make([]Page, 0, len(which))
	var legacyFonts []Font
	// The fonts of each page, or, for a long file, of them all: each run
	// of pdffonts parses the whole file again.
	var all []Font
	once := len(which) > maxFontRuns
	if once {
		if all, err = r.fonts(ctx, src, 0); err != nil {
			return nil, err
		}
	}
	for _, n := range which {
		if n < 1 || n > len(doc) {
			return nil, fmt.Errorf("epdf: page %d: %w: pdftotext gave %d pages", n, pages.ErrCorrupt, len(doc))
		}
		fonts := all
		if !once {
			if fonts, err = r.fonts(ctx, src, n); err != nil {
				return nil, err
			}
		}
		p := Page{Number: n, Fonts: fonts}
		for _, f := range fonts {
			if f.Legacy != viet.Unicode && !f.Embedded {
				legacyFonts = append(legacyFonts, f)
			}
		}
		res = append(res, p)
	}
	// Render from a copy whose legacy fonts name the letters they draw.
	render := src
	if len(legacyFonts) > 0 {
		fixed, err := withLegacyEncodings(data, legacyFonts)
		if err == nil {
			render = filepath.Join(dir, "render.pdf")
			if err := os.WriteFile(render, fixed, 0o600); err != nil {
				return nil, fmt.Errorf("epdf: %w", err)
			}
		}
		// If the copy cannot be made, the page is rendered as it is: its
		// text layer and metadata are still right.
	}
	dpis := make([]float64, len(res))
	for i, p := range res {
		pg := doc[p.Number-1]
		if dpis[i], err = cfg.dpiFor(p.Number, pg.width, pg.height); err != nil {
			return nil, err
		}
	}
	// Consecutive pages at one resolution are rendered by one run of
	// pdftoppm: each run parses the whole file again.
	for i := 0; i < len(res); {
		j := i + 1
		for j < len(res) && res[j].Number == res[j-1].Number+1 && dpis[j] == dpis[i] && j-i < maxRenderRun {
			j++
		}
		imgs, err := r.render(ctx, render, res[i].Number, res[j-1].Number, dpis[i])
		if err != nil {
			return nil, err
		}
		for k := i; k < j; k++ {
			p := &res[k]
			pg := doc[p.Number-1]
			img := greyIfColourless(imgs[p.Number])
			c, _, err := image.DecodeConfig(bytes.NewReader(img))
			if err != nil {
				return nil, fmt.Errorf("epdf: page %d: %w: pdftoppm's image: %v", p.Number, pages.ErrCorrupt, err)
			}
			p.Image, p.Width, p.Height, p.DPI = img, c.Width, c.Height, dpis[i]
			// pdftotext gives a page turned by /Rotate its unturned size,
			// but its words where they are on the turned page, as rendered.
			pw, ph := pg.width, pg.height
			if (c.Width > c.Height) != (pw > ph) && pw != ph {
				pw, ph = ph, pw
			}
			kx, ky := float64(c.Width)/pw, float64(c.Height)/ph
			lines, used := decodeLines(pg, p.Fonts)
			p.Legacy = used
			if usable(lines) {
				p.Lines, p.Text = toPixels(lines, kx, ky), true
			}
		}
		i = j
	}
	return res, nil
}

// maxRenderRun is the most pages one run of pdftoppm renders, so that its
// images in the temporary folder stay a few hundred megabytes at most.
const maxRenderRun = 100

// dpiFor is the resolution page n (w × h points) is rendered at.
func (c Config) dpiFor(n int, w, h float64) (float64, error) {
	if !(w > 0 && h > 0) || math.IsInf(w, 0) || math.IsInf(h, 0) {
		return 0, fmt.Errorf("epdf: page %d: %w: page size %gx%g", n, pages.ErrCorrupt, w, h)
	}
	dpi := c.DPI
	if px := w / 72 * dpi * h / 72 * dpi; px > float64(c.MaxPixels) {
		dpi = math.Floor(72 * math.Sqrt(float64(c.MaxPixels)/(w*h)))
	}
	if dpi < minDPI {
		return 0, fmt.Errorf("epdf: page %d: %w: a page of %.0f × %.0f mm would pass the limit of %d pixels even at %d dpi",
			n, pages.ErrTooLarge, w/72*25.4, h/72*25.4, c.MaxPixels, minDPI)
	}
	return dpi, nil
}

// run is one call of Read: where its files are, how the tools run.
type run struct {
	cfg Config
	dir string
	env string
}

// tool runs a poppler program and returns its standard output, at most
// MaxText bytes of it.
func (r *run) tool(ctx context.Context, name string, args ...string) ([]byte, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return nil, fmt.Errorf("epdf: %w: %s is not installed (apt-get install poppler-utils; deploy/install-deps.sh does)", ErrTool, name)
	}
	if lim, err := exec.LookPath("prlimit"); err == nil {
		args = append([]string{"--as=" + strconv.FormatInt(r.cfg.MaxMemory, 10), "--", path}, args...)
		path = lim
	}
	tctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	cmd := exec.CommandContext(tctx, path, args...)
	cmd.Dir = r.dir
	cmd.Env = append(cmd.Environ(), r.env)
	out := &capped{max: r.cfg.MaxText}
	var stderr capped
	stderr.max = 4 << 10
	cmd.Stdout, cmd.Stderr = out, &stderr
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("epdf: %s: %w: %w", name, ErrTool, ctx.Err())
	case tctx.Err() != nil:
		return nil, fmt.Errorf("epdf: %s: %w: ran longer than %v on this file", name, pages.ErrTooLarge, r.cfg.Timeout)
	case out.over:
		return nil, fmt.Errorf("epdf: %s: %w: more than %d MiB of text", name, pages.ErrTooLarge, r.cfg.MaxText>>20)
	case err != nil:
		return nil, fmt.Errorf("epdf: %s: %w: %v: %s", name, pages.ErrCorrupt, err, strings.TrimSpace(stderr.b.String()))
	}
	return out.b.Bytes(), nil
}

// capped keeps what is written to it up to max bytes, and notes more.
type capped struct {
	b    bytes.Buffer
	max  int64
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	if int64(c.b.Len()+len(p)) > c.max {
		c.over = true
		return 0, errors.New("output too large")
	}
	return c.b.Write(p)
}

// render runs pdftoppm on pages first to last at dpi and returns their
// PNGs by page number. The run may take Timeout for each page.
func (r *run) render(ctx context.Context, src string, first, last int, dpi float64) (map[int][]byte, error) {
	dir, err := os.MkdirTemp(r.dir, "render-")
	if err != nil {
		return nil, fmt.Errorf("epdf: %w", err)
	}
	defer os.RemoveAll(dir)
	d := strconv.FormatFloat(dpi, 'f', -1, 64)
	long := *r
	long.cfg.Timeout *= time.Duration(last - first + 1)
	if _, err := long.tool(ctx, "pdftoppm", "-q", "-png", "-f", strconv.Itoa(first), "-l", strconv.Itoa(last),
		"-r", d, src, filepath.Join(dir, "p")); err != nil {
		return nil, err
	}
	// pdftoppm names them p-N.png, N zero-padded to the width of the
	// file's page count.
	names, err := filepath.Glob(filepath.Join(dir, "p-*.png"))
	if err != nil {
		return nil, fmt.Errorf("epdf: %w", err)
	}
	out := map[int][]byte{}
	for _, name := range names {
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(name), "p-"), ".png"))
		if err != nil || n < first || n > last {
			continue
		}
		if out[n], err = os.ReadFile(name); err != nil {
			return nil, fmt.Errorf("epdf: %w", err)
		}
	}
	for n := first; n <= last; n++ {
		if out[n] == nil {
			return nil, fmt.Errorf("epdf: page %d: %w: pdftoppm wrote no image", n, pages.ErrCorrupt)
		}
	}
	return out, nil
}

// maxFontRuns is the most pages whose fonts are listed one by one.
const maxFontRuns = 50

// fonts lists the fonts of page n (of every page for 0) with pdffonts.
func (r *run) fonts(ctx context.Context, src string, n int) ([]Font, error) {
	args := []string{src}
	if n > 0 {
		args = []string{"-f", strconv.Itoa(n), "-l", strconv.Itoa(n), src}
	}
	out, err := r.tool(ctx, "pdffonts", args...)
	if err != nil {
		return nil, err
	}
	return parseFonts(string(out)), nil
}

// parseFonts reads pdffonts' table. Its columns are fixed: name (36
// characters), type (17), encoding (16), emb, sub, uni, object ID; a name
// may be longer than its column, so the columns are found from the
// dashes under the header, and the name is what comes before the type.
func parseFonts(out string) []Font {
	lines := strings.Split(out, "\n")
	if len(lines) < 2 {
		return nil
	}
	var fonts []Font
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// From the end: object ID (two fields), uni, sub, emb, encoding.
		if len(f) < 7 {
			continue
		}
		k := len(f)
		obj, err := strconv.Atoi(f[k-2])
		if err != nil {
			continue
		}
		emb := f[k-5] == "yes"
		enc := f[k-6]
		rest := strings.Join(f[:k-6], " ")
		// The type is one of pdffonts' names, one or two words.
		name, typ := rest, ""
		for _, t := range []string{"CID Type 0C (OT)", "CID TrueType (OT)", "CID Type 0C", "CID TrueType", "CID Type 0", "Type 1C (OT)", "TrueType (OT)", "Type 1C", "Type 1", "Type 3", "TrueType", "unknown"} {
			if strings.HasSuffix(rest, " "+t) {
				name, typ = strings.TrimSpace(strings.TrimSuffix(rest, " "+t)), t
				break
			}
		}
		fonts = append(fonts, Font{Name: name, Type: typ, Encoding: enc, Embedded: emb, Object: obj, Legacy: viet.LegacyOfFont(name)})
	}
	return fonts
}

// fontsConf makes poppler's substitutes for the fonts office software
// names without embedding them the metric-compatible Liberation faces
// (package fonts-liberation2): fontconfig knows "Times New Roman" but not
// the PostScript names PDFs use, nor the legacy Vietnamese families.
var fontsConf = func() string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>\n")
	for _, a := range []struct{ face, families string }{
		{"Liberation Serif", "TimesNewRomanPSMT TimesNewRomanPS TimesNewRoman Times .VnTime .VnTimeH VnTime VnTimeH VNI"},
		{"Liberation Sans", "ArialMT Arial .VnArial .VnArialH VnArial VnArialH .VnHelvetica .VnHelveticaH"},
		{"Liberation Mono", "CourierNewPSMT CourierNew .VnCourier .VnCourierH"},
	} {
		for _, f := range strings.Fields(a.families) {
			fmt.Fprintf(&b, "<match target=\"pattern\"><test name=\"family\"><string>%s</string></test><edit name=\"family\" mode=\"assign\" binding=\"strong\"><string>%s</string></edit></match>\n", f, a.face)
		}
	}
	b.WriteString("</fontconfig>\n")
	return b.String()
}()
