package pages

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/image/ccitt"

	"github.com/sohoa/sohoa/internal/tiff"
)

// minCoverage is the least part of a PDF page that its largest image must
// cover for the page to count as a scan. A born-digital page of text with a
// logo is not a scan, and its logo is not the page.
const minCoverage = 0.25

// LargeImage is the share of an electronic page (Page.Cover) from which its
// largest image is a picture of its own, perhaps a scan smaller than the
// page with a signature stamp's text over it: such a page is read by OCR
// from its rendering, text and image alike, rather than from its text.
const LargeImage = minCoverage

// minScanCoverage is, for SplitAll, the least part of a page its largest
// image must cover for the page to be taken as a scan and its image taken
// out: scanners draw the scan over the whole page. A page of an electronic
// original with a chart or a photo over a third of it is rendered instead,
// so that its text is read and nothing drawn beside the image is lost.
const minScanCoverage = 0.8

// pdfConfig is the pdfcpu configuration for reading one file of size bytes.
// It is built here rather than with model.NewDefaultConfiguration, which
// reads (and may create) pdfcpu's configuration directory: this package
// touches no files.
func pdfConfig(size int, lim Limits) *model.Configuration {
	limits := model.DefaultResourceLimits()
	limits.MaxStreamBytes = int64(max(size, 1)) // no stream is longer than the file
	limits.MaxDecodeBytes = 256 << 20           // object and xref streams
	limits.MaxImagePixels = lim.MaxPixels
	limits.MaxObjectCount = 1_000_000
	limits.MaxObjectStreamCount = 100_000
	limits.MaxXRefEntries = 1_000_000
	return &model.Configuration{
		Reader15:                  true,
		ValidationMode:            model.ValidationRelaxed,
		UnsupportedResourcePolicy: model.UnsupportedResourceSkip,
		Eol:                       types.EolLF,
		Cmd:                       model.EXTRACTIMAGES,
		Offline:                   true,
		Limits:                    limits,
	}
}

// splitPDF returns the scanned image of every page of an image-only PDF.
// With electronic, a page without a scan (ErrNoImage, at minScanCoverage),
// or whose image this package cannot take out (ErrUnsupported), is returned
// as a Page with Electronic set, not refused.
func splitPDF(data []byte, lim Limits, electronic bool) ([]Page, error) {
	// pdfcpu rebuilds a lost cross-reference table and so reads a truncated
	// file as far as it goes; a file cut short must not pass for the whole
	// document.
	if !bytes.Contains(data[max(0, len(data)-pdfHeaderWindow):], []byte("%%EOF")) {
		return nil, fmt.Errorf("pages: pdf: %w: truncated (no %%%%EOF at the end of the file)", ErrCorrupt)
	}
	var ctx *model.Context
	err := guard("pdf", func() error {
		var err error
		if ctx, err = api.ReadContext(bytes.NewReader(data), pdfConfig(len(data), lim)); err != nil {
			return pdfReadError(data, err)
		}
		if root, err := ctx.Pages(); err != nil || root == nil {
			return fmt.Errorf("pages: pdf: %w: no page tree (%v)", ErrCorrupt, err)
		}
		if err := ctx.EnsurePageCount(); err != nil {
			return fmt.Errorf("pages: pdf: %w: page tree: %v", ErrCorrupt, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	n := ctx.PageCount
	switch {
	case n <= 0:
		return nil, fmt.Errorf("pages: pdf: %w: no pages", ErrEmpty)
	case n > lim.MaxPages:
		return nil, fmt.Errorf("pages: pdf: %w: %d pages, more than %d", ErrTooLarge, n, lim.MaxPages)
	}
	pages := make([]Page, 0, n)
	left := lim.budget()
	for i := 1; i <= n; i++ {
		var p Page
		err := guard(fmt.Sprintf("pdf page %d", i), func() error {
			var err error
			cover := minCoverage
			if electronic {
				cover = minScanCoverage
			}
			p, err = pdfPage(ctx, i, lim, left, cover)
			return err
		})
		// What poppler renders that this package does not take out (an
		// inline image, strips, JBIG2, JPEG 2000, another colour space)
		// is rendered too, and read by OCR.
		if electronic && (errors.Is(err, ErrNoImage) || errors.Is(err, ErrUnsupported)) {
			var ce *coverError
			switch {
			case errors.As(err, &ce):
				p = Page{Electronic: true, Cover: ce.cover}
			case errors.Is(err, ErrUnsupported):
				p = Page{Electronic: true, Cover: 1} // a scan after all
			default:
				p = Page{Electronic: true} // no image
			}
			err = nil
		}
		if err != nil {
			return nil, err
		}
		pages = append(pages, p)
	}
	return pages, nil
}

// coverError is the ErrNoImage of a page whose largest image covers too
// little of it to be its scan, and how much it covers.
type coverError struct {
	error
	cover float64
}

func (e *coverError) Unwrap() error { return e.error }

// pdfReadError sorts an error from reading a PDF: a file that needs a
// password (or uses encryption pdfcpu cannot open) is ErrEncrypted, anything
// else ErrCorrupt.
func pdfReadError(data []byte, err error) error {
	if errors.Is(err, pdfcpu.ErrWrongPassword) {
		return fmt.Errorf("pages: pdf: %w: the file needs a password to open", ErrEncrypted)
	}
	if errors.Is(err, pdfcpu.ErrEncrypted) || bytes.Contains(data, []byte("/Encrypt")) {
		return fmt.Errorf("pages: pdf: %w: cannot open the encrypted file: %v", ErrEncrypted, err)
	}
	return fmt.Errorf("pages: pdf: %w: %v", ErrCorrupt, err)
}

// pdfPage returns the scan of page n, its decoded size taken from left.
func pdfPage(ctx *model.Context, n int, lim Limits, left *decodeBudget, minCover float64) (Page, error) {
	what := fmt.Sprintf("pdf page %d", n)
	xref := ctx.XRefTable
	pd, _, attrs, err := xref.PageDict(n, false)
	if err != nil || pd == nil || attrs == nil {
		return Page{}, fmt.Errorf("pages: %s: %w: page not found in the page tree: %v", what, ErrCorrupt, err)
	}
	content, err := pageContent(xref, pd)
	if err != nil {
		return Page{}, fmt.Errorf("pages: %s: %w: content stream: %v", what, ErrCorrupt, err)
	}
	sc := &contentScanner{xref: xref, active: make(map[int]bool)}
	sc.scan(content, attrs.Resources, identity, 0)
	var best *drawnImage
	for i := range sc.images {
		if im := &sc.images[i]; best == nil || im.area() > best.area() {
			best = im
		}
	}
	if best == nil {
		return Page{}, fmt.Errorf("pages: %s: %w: the page draws no image (a page of text, or blank), so it is not a scan", what, ErrNoImage)
	}
	if best.inline {
		return Page{}, fmt.Errorf("pages: %s: %w: the page image is an inline image", what, ErrUnsupported)
	}
	box := pageBox(attrs)
	if c := coverage(best.ctm, box); box != nil && c < minCover {
		return Page{}, &coverError{fmt.Errorf("pages: %s: %w: the largest image (%dx%d pixels) covers only %.0f%% of the page, so the page is not a scan",
			what, ErrNoImage, best.w, best.h, 100*c), c}
	}
	if box != nil {
		if other := uncovered(sc.images, best, box); other >= maxUncovered {
			return Page{}, fmt.Errorf("pages: %s: %w: the page is pieced together from several images (%.0f%% of it lies outside the largest); only one image per page is supported",
				what, ErrUnsupported, 100*other)
		}
	}
	rot := attrs.Rotate % 360
	if rot < 0 {
		rot += 360
	}
	o := orientationOf(best.ctm)
	if rot%90 == 0 {
		for k := 0; k < rot/90; k++ {
			o = o.rotateCW()
		}
	}
	im := pdfImage{xref: xref, sd: best.sd, ctm: best.ctm, unit: userUnit(xref, pd), o: o, lim: lim, left: left, what: what}
	return im.page()
}

// pageBox is the visible area of a page: its crop box (within the media box)
// or else its media box; nil if it has neither.
func pageBox(attrs *model.InheritedPageAttrs) *types.Rectangle {
	box := attrs.MediaBox
	if c := attrs.CropBox; c != nil {
		if box == nil {
			box = c
		} else {
			box = types.NewRectangle(max(c.LL.X, box.LL.X), max(c.LL.Y, box.LL.Y), min(c.UR.X, box.UR.X), min(c.UR.Y, box.UR.Y))
		}
	}
	if box == nil || box.Width() <= 0 || box.Height() <= 0 {
		return nil
	}
	return box
}

// rect is an axis-aligned rectangle in user space.
type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) area() float64 { return max(r.x1-r.x0, 0) * max(r.y1-r.y0, 0) }

func (r rect) intersect(s rect) rect {
	return rect{max(r.x0, s.x0), max(r.y0, s.y0), min(r.x1, s.x1), min(r.y1, s.y1)}
}

// bounds is the bounding box of the unit square drawn with m.
func bounds(m matrix) rect {
	r := rect{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range [][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
		x, y := m.apply(p[0], p[1])
		r = rect{min(r.x0, x), min(r.y0, y), max(r.x1, x), max(r.y1, y)}
	}
	return r
}

func boxRect(b *types.Rectangle) rect { return rect{b.LL.X, b.LL.Y, b.UR.X, b.UR.Y} }

// coverage is the part of box covered by the unit square drawn with m.
func coverage(m matrix, box *types.Rectangle) float64 {
	if box == nil {
		return 1
	}
	page := boxRect(box)
	return bounds(m).intersect(page).area() / page.area()
}

// Thresholds for a page pieced together from several images (strips or
// tiles of one scan): images that each cover at least minPiece of the page
// and together cover maxUncovered of it outside the largest image. Stamps
// and signatures are smaller; the layers of a mixed-raster page lie over
// one another.
const (
	minPiece     = 0.05
	maxUncovered = 0.10
)

// uncovered is the part of box covered by sizeable images other than best
// and outside best.
func uncovered(images []drawnImage, best *drawnImage, box *types.Rectangle) float64 {
	page := boxRect(box)
	main := bounds(best.ctm).intersect(page)
	sum := 0.0
	for i := range images {
		im := &images[i]
		if im == best {
			continue
		}
		r := bounds(im.ctm).intersect(page)
		if r.area() < minPiece*page.area() {
			continue
		}
		sum += r.area() - r.intersect(main).area()
	}
	return sum / page.area()
}

// maxContent bounds the decoded content streams of one page (a page of a
// scanner PDF has a few dozen bytes).
const maxContent = 64 << 20

// pageContent returns the decoded content of a page: its content stream,
// or its content streams joined. A page without content has none.
func pageContent(xref *model.XRefTable, pd types.Dict) ([]byte, error) {
	o, err := xref.Dereference(pd["Contents"])
	if err != nil {
		return nil, err
	}
	var streams []types.Object
	switch v := o.(type) {
	case nil:
		return nil, nil
	case types.StreamDict:
		streams = []types.Object{v}
	case types.Array:
		streams = v
	default:
		return nil, fmt.Errorf("/Contents is a %T", o)
	}
	var out []byte
	for _, s := range streams {
		sd, _, err := xref.DereferenceStreamDict(s)
		if err != nil {
			return nil, err
		}
		if sd == nil {
			continue
		}
		left := maxContent - int64(len(out))
		if left <= 0 {
			return nil, fmt.Errorf("content streams longer than %d bytes", maxContent)
		}
		c := *sd
		c.Content = nil
		if err := c.DecodeWithLimit(left); err != nil {
			return nil, err
		}
		out = append(append(out, c.Content...), '\n')
	}
	return out, nil
}

// userUnit is the size of the page's unit in 1/72 inch (PDF 1.6 UserUnit).
func userUnit(xref *model.XRefTable, pd types.Dict) float64 {
	if o, ok := pd["UserUnit"]; ok {
		if v, err := xref.DereferenceNumber(o); err == nil && v > 0 && v < 1e5 {
			return v
		}
	}
	return 1
}

// pdfImage is the image chosen as the scan of a page, and what is needed to
// turn it into a page image.
type pdfImage struct {
	xref *model.XRefTable
	sd   *types.StreamDict
	ctm  matrix
	unit float64     // user unit of the page
	o    orientation // how the image is shown on the page, /Rotate included
	lim  Limits
	left *decodeBudget // of the file's pages
	what string
}

func (im *pdfImage) unsupported(format string, a ...any) error {
	return fmt.Errorf("pages: %s: %w: %s", im.what, ErrUnsupported, fmt.Sprintf(format, a...))
}

func (im *pdfImage) corrupt(format string, a ...any) error {
	return fmt.Errorf("pages: %s: %w: %s", im.what, ErrCorrupt, fmt.Sprintf(format, a...))
}

// dpi is the resolution of a w×h image drawn with the image's matrix, in
// the image's own axes.
func (im *pdfImage) dpi(w, h int) (x, y float64) {
	sx := math.Hypot(im.ctm[0], im.ctm[1]) * im.unit
	sy := math.Hypot(im.ctm[2], im.ctm[3]) * im.unit
	if sx > 0 {
		x = roundDPI(float64(w) * 72 / sx)
	}
	if sy > 0 {
		y = roundDPI(float64(h) * 72 / sy)
	}
	return x, y
}

// shownDPI is dpi after the turn of the image, if any.
func (im *pdfImage) shownDPI(w, h int) (x, y float64) {
	x, y = im.dpi(w, h)
	if im.o.swapsAxes() {
		return y, x
	}
	return x, y
}

func (im *pdfImage) page() (Page, error) {
	w, _ := intEntry(im.xref, im.sd.Dict, "Width")
	h, _ := intEntry(im.xref, im.sd.Dict, "Height")
	if err := im.lim.checkPixels(im.what, int64(w), int64(h)); err != nil {
		return Page{}, err
	}
	if err := im.left.take(im.what, int64(w), int64(h), im.sampleBytes()); err != nil {
		return Page{}, err
	}
	var last string
	if n := len(im.sd.FilterPipeline); n > 0 {
		last = im.sd.FilterPipeline[n-1].Name
	}
	switch last {
	case filter.DCT:
		return im.dctPage(w, h)
	case filter.CCITTFax:
		return im.ccittPage(w, h)
	case filter.JPX:
		return Page{}, im.unsupported("JPEG 2000 (JPXDecode) image %dx%d cannot be decoded; scan to JPEG, CCITT or Flate", w, h)
	case filter.JBIG2:
		return Page{}, im.unsupported("JBIG2 image %dx%d cannot be decoded; scan to CCITT G4 instead", w, h)
	}
	return im.rasterPage(w, h)
}

// sampleBytes is the bytes a pixel of the image decodes to, as far as its
// dictionary says (components times bits per component); 1 when it does not.
func (im *pdfImage) sampleBytes() int64 {
	cs, err := parseColourSpace(im.xref, im.sd.Dict["ColorSpace"], false)
	if err != nil || cs.indexed {
		return 1
	}
	bpc, _ := intEntry(im.xref, im.sd.Dict, "BitsPerComponent")
	if bpc <= 0 || bpc > 16 {
		bpc = 8
	}
	return int64(max(1, (cs.n*bpc+7)/8))
}

// encoded returns the image data with every filter but the last (the image
// codec) undone. The compressed image of w×h pixels is taken to be no larger
// than 4 bytes a pixel.
func (im *pdfImage) encoded(w, h int) ([]byte, error) {
	limit := 4*int64(w)*int64(h) + 1<<20
	data := im.sd.Raw
	fpl := im.sd.FilterPipeline
	for _, f := range fpl[:len(fpl)-1] {
		switch f.Name {
		case filter.DCT, filter.CCITTFax, filter.JPX, filter.JBIG2:
			return nil, im.unsupported("image filter %s before %s", f.Name, fpl[len(fpl)-1].Name)
		}
		fi, err := filter.NewFilter(f.Name, filterParms(im.xref, f.DecodeParms), limit)
		if err != nil {
			return nil, im.unsupported("filter %s: %v", f.Name, err)
		}
		r, err := fi.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, im.corrupt("filter %s: %v", f.Name, err)
		}
		if data, err = io.ReadAll(r); err != nil {
			return nil, im.corrupt("filter %s: %v", f.Name, err)
		}
	}
	return data, nil
}

// dctPage returns a JPEG image: the embedded JPEG unchanged if it is shown
// as stored.
func (im *pdfImage) dctPage(w, h int) (Page, error) {
	data, err := im.encoded(w, h)
	if err != nil {
		return Page{}, err
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Page{}, decodeError(im.what, "jpeg", err)
	}
	if err := im.lim.checkPixels(im.what, int64(cfg.Width), int64(cfg.Height)); err != nil {
		return Page{}, err
	}
	if im.o == upright {
		if err := jpegComplete(data); err != nil {
			return Page{}, im.corrupt("jpeg: %v", err)
		}
		dx, dy := im.dpi(cfg.Width, cfg.Height)
		return Page{Data: data, Format: JPEG, Width: cfg.Width, Height: cfg.Height, DPIX: dx, DPIY: dy}, nil
	}
	img, err := decodeJPEG(data)
	if err != nil {
		return Page{}, decodeError(im.what, "jpeg", err)
	}
	// The page is rotated (or the image drawn turned or mirrored): the page
	// image must read the right way up, and JPEG cannot be turned without
	// decoding, so this page alone is re-encoded, at quality 90.
	t := im.o.apply(img)
	dx, dy := im.shownDPI(cfg.Width, cfg.Height)
	out, err := encodeJPEG(t, dx, dy)
	if err != nil {
		return Page{}, im.corrupt("encode jpeg: %v", err)
	}
	b := t.Bounds()
	return Page{Data: out, Format: JPEG, Width: b.Dx(), Height: b.Dy(), DPIX: dx, DPIY: dy}, nil
}

// ccittPage returns a CCITT image: wrapped, still compressed, in a
// single-page TIFF when it is shown as stored; decoded and written as a
// 1-bit PNG when it has to be turned, or when its data cannot be put in a
// TIFF that every decoder reads the same way.
func (im *pdfImage) ccittPage(w, h int) (Page, error) {
	data, err := im.encoded(w, h)
	if err != nil {
		return Page{}, err
	}
	parms := im.sd.FilterPipeline[len(im.sd.FilterPipeline)-1].DecodeParms
	k := paramInt(im.xref, parms, "K", 0)
	cols := paramInt(im.xref, parms, "Columns", 0)
	if cols <= 0 {
		cols = w
	}
	rows := paramInt(im.xref, parms, "Rows", 0)
	if rows <= 0 {
		rows = h
	}
	if err := im.lim.checkPixels(im.what, int64(cols), int64(rows)); err != nil {
		return Page{}, err
	}
	if k > 0 {
		return Page{}, im.unsupported("CCITT Group 3 2-D (K=%d) image cannot be decoded; scan to CCITT G4 instead", k)
	}
	align := paramInt(im.xref, parms, "EncodedByteAlign", 0) != 0
	// The picture shows coded black runs as white when exactly one of
	// BlackIs1 and a /Decode [1 0] inverts it.
	inverted := (paramInt(im.xref, parms, "BlackIs1", 0) != 0) != decodeInverted(im.xref, im.sd.Dict)
	sf := ccitt.Group3
	if k < 0 {
		sf = ccitt.Group4
	}

	var g *image.Gray
	if !align && !inverted {
		// PhotometricInterpretation 0 (WhiteIsZero) shows coded black as
		// black, as the PDF does. The inverted case is not written as a TIFF
		// with PhotometricInterpretation 1: libtiff (leptonica) honours that
		// for CCITT data but x/image/tiff does not, and the two readers of
		// the blob must agree. Byte-aligned rows (EncodedByteAlign) have no
		// TIFF equivalent for G4 and are not read by x/image/tiff for G3.
		dx, dy := im.dpi(cols, rows)
		out, err := ccittTIFF(data, cols, rows, k < 0, dx, dy)
		if err != nil {
			return Page{}, im.corrupt("%v", err)
		}
		dec, err := decodeTIFF(out)
		if err != nil {
			return Page{}, decodeError(im.what, "tiff", err)
		}
		if im.o == upright {
			return Page{Data: out, Format: TIFF, Width: cols, Height: rows, DPIX: dx, DPIY: dy}, nil
		}
		var ok bool
		if g, ok = dec.(*image.Gray); !ok {
			return Page{}, im.corrupt("CCITT image decoded as %T", dec)
		}
	} else {
		g = image.NewGray(image.Rect(0, 0, cols, rows))
		if err := ccitt.DecodeIntoGray(g, bytes.NewReader(data), ccitt.MSB, sf, &ccitt.Options{Align: align}); err != nil {
			return Page{}, im.corrupt("CCITT data: %v", err)
		}
		if inverted {
			for i, v := range g.Pix {
				g.Pix[i] = ^v
			}
		}
	}
	t := im.o.apply(toBilevel(g))
	dx, dy := im.shownDPI(cols, rows)
	out, err := encodePNG(t, dx, dy)
	if err != nil {
		return Page{}, im.corrupt("encode png: %v", err)
	}
	b := t.Bounds()
	return Page{Data: out, Format: PNG, Width: b.Dx(), Height: b.Dy(), DPIX: dx, DPIY: dy}, nil
}

// ccittTIFF wraps CCITT data (G4, or 1-D G3 without byte alignment) in a
// single-page, single-strip TIFF with PhotometricInterpretation WhiteIsZero.
func ccittTIFF(data []byte, cols, rows int, g4 bool, dpiX, dpiY float64) ([]byte, error) {
	comp := uint16(3)
	if g4 {
		comp = 4
	}
	entries := []tiff.Field{
		tiff.Long(tiff.TagImageWidth, uint32(cols)),
		tiff.Long(tiff.TagImageLength, uint32(rows)),
		tiff.Short(tiff.TagBitsPerSample, 1),
		tiff.Short(tiff.TagCompression, comp),
		tiff.Short(tiff.TagPhotometric, 0),
		tiff.Short(tiff.TagSamplesPerPixel, 1),
		tiff.Long(tiff.TagRowsPerStrip, uint32(rows)),
	}
	if !g4 {
		entries = append(entries, tiff.Long(tiff.TagT4Options, 0))
	}
	if dpiX > 0 && dpiY > 0 {
		entries = append(entries,
			tiff.Rational(tiff.TagXResolution, uint32(math.Round(dpiX*100)), 100),
			tiff.Rational(tiff.TagYResolution, uint32(math.Round(dpiY*100)), 100),
			tiff.Short(tiff.TagResolutionUnit, 2))
	}
	return tiff.Write(binary.LittleEndian, entries, tiff.TagStripOffsets, tiff.TagStripByteCounts, [][]byte{data})
}

// filterParms turns a DecodeParms dictionary into the form pdfcpu's filters
// take: integers, and booleans as 0 or 1.
func filterParms(xref *model.XRefTable, d types.Dict) map[string]int {
	m := make(map[string]int)
	for k, v := range d {
		v, err := xref.Dereference(v)
		if err != nil {
			continue
		}
		switch v := v.(type) {
		case types.Integer:
			m[k] = v.Value()
		case types.Boolean:
			if v.Value() {
				m[k] = 1
			} else {
				m[k] = 0
			}
		}
	}
	return m
}

// paramInt returns an integer or boolean (as 0 or 1) decode parameter.
func paramInt(xref *model.XRefTable, d types.Dict, key string, def int) int {
	if v, ok := filterParms(xref, d)[key]; ok {
		return v
	}
	return def
}

// decodeInverted reports whether an image's /Decode array maps its first
// component the wrong way round ([1 0]).
func decodeInverted(xref *model.XRefTable, d types.Dict) bool {
	a, err := xref.DereferenceArray(d["Decode"])
	if err != nil || len(a) < 2 {
		return false
	}
	lo, err1 := xref.DereferenceNumber(a[0])
	hi, err2 := xref.DereferenceNumber(a[1])
	return err1 == nil && err2 == nil && lo > hi
}
