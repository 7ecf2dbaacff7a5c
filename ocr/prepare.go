package ocr

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // page decoders
	"math"
	"strconv"

	_ "golang.org/x/image/tiff"

	"github.com/sohoa/sohoa/ccitt"
	"github.com/sohoa/sohoa/ocr/clean"
	"github.com/sohoa/sohoa/ocr/deskew"
	"github.com/sohoa/sohoa/ocr/separator"
	"github.com/sohoa/sohoa/ocr/tesseract"
	"github.com/sohoa/sohoa/pipeline"
)

// Prepared is a page made ready for OCR.
type Prepared struct {
	// ForOCR is the image Tesseract reads: the page turned upright,
	// straightened, brought to ocrDPI and made black and white
	// (clean.Binarize), as PBM; OCRWidth×OCRHeight pixels at OCRDPI.
	ForOCR              []byte
	OCRWidth, OCRHeight int
	OCRDPI              float64
	// Width and Height of the corrected page at the scan's resolution, in
	// pixels: the frame of the archived image, to which the OCR boxes are
	// scaled.
	Width, Height int
	// Fixed is the corrected page image to archive in place of the scan,
	// encoded as FixedFormat (tiff: 1-bit G4, jpeg), when the page had to be
	// turned or straightened; nil when the scan is archived as it is.
	Fixed       []byte
	FixedFormat string
	// Patches are the coloured parts of a page whose Fixed image is black
	// and white, to lay over it.
	Patches []Patch
	// Rotation (clockwise, degrees) and Skew (degrees, positive when the
	// scan's lines rose to the right) that were corrected.
	Rotation int
	Skew     float64
	// OrientationConfidence is how sure the orientation is (0 to 1; above
	// 0.5 the page's own text decided it, otherwise Tesseract's OSD did).
	OrientationConfidence float64
	// Ink is the share of the page inside its margins that is ink in the
	// black-and-white copy (see EmptyPage).
	Ink float64
	// Separator is true when the page is a separator sheet (its barcode
	// found by package separator).
	Separator bool

	// src is the scan as decoded and upright the corrected grey page at
	// the scan's resolution, kept for Region.
	src     image.Image
	upright *image.Gray
}

// Region returns the rectangle r of the corrected page at the scan's
// resolution (r in the coordinates of Width×Height, clipped to them): in
// grey, as the page was read (a colour page by its red channel, so blue
// and violet ink stay dark and red seals fade), and in colour from the
// scan itself when the scan is in colour (nil otherwise). Both have bounds
// starting at (0, 0).
func (p *Prepared) Region(r image.Rectangle) (grey *image.Gray, colour *image.RGBA) {
	r = r.Intersect(p.upright.Rect)
	grey = image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := range r.Dy() {
		o := p.upright.PixOffset(r.Min.X, r.Min.Y+y)
		copy(grey.Pix[y*grey.Stride:y*grey.Stride+r.Dx()], p.upright.Pix[o:o+r.Dx()])
	}
	if _, isGray := p.src.(*image.Gray); !isGray && !r.Empty() {
		colour = deskew.CorrectRegion(p.src, p.Rotation, p.Skew, r)
	}
	return grey, colour
}

// orienter confirms a page's orientation when the cheap estimate is unsure
// (tesseract.OSD in production).
type orienter interface {
	Detect(img *image.Gray, dpi int) (rotation int, confidence float64, err error)
}

// Thresholds of Prepare.
const (
	// minSkew is the least skew worth a resampling of the archived page:
	// below it the correction is within Angle's own error.
	minSkew = 0.1
	// sureOrientation: below this confidence the page's own estimate is
	// checked with Tesseract's OSD.
	sureOrientation = 0.5
	// sureOSD is the OSD confidence above which its answer is taken.
	sureOSD = 1.0
	// jpegQuality of a corrected page that has to be re-encoded as JPEG.
	jpegQuality = 90
	// ocrDPI is the resolution Tesseract reads at. Its recogniser scales
	// every line to a fixed height anyway; at 200 dpi body text still has
	// more pixels than that height, and the page's analysis costs a fifth
	// less than at 300 dpi. Measured on the noisy synthetic corpus, word F1
	// 0.987 against 0.988 at 300 dpi, in 80% of the time.
	ocrDPI = 200
	// maxTone is the share of a page in flat grey (pictures, shading) above
	// which its corrected copy is kept in grey rather than black and white.
	maxTone = 0.01
)

// Prepare decodes a page image and makes it ready for OCR: it finds the
// page's skew and orientation (deskew.Analyze; the orientation confirmed by
// osd when unsure; osd may be nil), corrects both in one resampling, and makes a black and
// white copy for Tesseract (clean.Binarize). The archived image stays
// faithful to the scan: when a correction was needed it is the scan turned
// and straightened, re-encoded once; otherwise the scan itself.
func Prepare(data []byte, format string, dpi float64, osd orienter) (*Prepared, error) {
	img, err := decode(data, format)
	if err != nil {
		return nil, err
	}
	g := clean.Gray(img)
	deg, _, rot, conf := deskew.Analyze(g)
	if math.Abs(deg) < minSkew {
		deg = 0
	}
	deg = skewWithin(g.Rect.Dx(), g.Rect.Dy(), deg)
	if conf < sureOrientation {
		rot = 0
		if osd != nil {
			straight := asGray(deskew.Correct(g, 0, deg))
			if r, c, err := osd.Detect(straight, int(math.Round(dpi))); err == nil && c >= sureOSD {
				rot = r
			}
		}
	}
	upright := asGray(deskew.Correct(g, rot, deg))
	small := upright
	if dpi > ocrDPI*1.25 {
		small = clean.Shrink(upright, ocrDPI/dpi)
	}
	bw := clean.Binarize(small)
	p := &Prepared{
		ForOCR:   encodePBM(bw),
		OCRWidth: bw.Rect.Dx(), OCRHeight: bw.Rect.Dy(),
		OCRDPI: dpi * float64(bw.Rect.Dx()) / float64(upright.Rect.Dx()),
		Width:  upright.Rect.Dx(), Height: upright.Rect.Dy(),
		Rotation: rot, Skew: deg, OrientationConfidence: conf,
		Ink: inkShare(bw), Separator: separator.Find(bw),
		src: img, upright: upright,
	}
	if rot == 0 && deg == 0 {
		return p, nil
	}
	p.Fixed, p.FixedFormat, p.Patches, err = encodeFixed(img, upright, rot, deg, dpi)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// skewWithin returns the skew to correct on a w×h page: deg, or 0 when
// straightening would outgrow pipeline.MaxPagePixels. Straightening enlarges
// the canvas (a page of 10 000 × 13 000 turned by 2° gains 9.4 million
// pixels, 7%), and quarter turns do not; a page that would outgrow the
// limit is read and archived as scanned, not straightened, rather than
// allocated past the bound every other stage keeps to.
func skewWithin(w, h int, deg float64) float64 {
	if nw, nh := deskew.Size(w, h, 0, deg); int64(nw)*int64(nh) > pipeline.MaxPagePixels {
		return 0
	}
	return deg
}

// decode reads a page image within bounds.
func decode(data []byte, format string) (image.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode %s page: %w", format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, errors.New("page image has no pixels")
	}
	if int64(cfg.Width)*int64(cfg.Height) > pipeline.MaxPagePixels {
		return nil, fmt.Errorf("page image of %dx%d pixels is too large", cfg.Width, cfg.Height)
	}
	img, err := tesseract.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("decode %s page: %w", format, err)
	}
	return img, nil
}

// encodeFixed encodes the corrected page for the archive, once, in the
// leanest form that keeps what the scan shows:
//   - a black-and-white scan: 1-bit CCITT G4 (lossless, and embedded in the
//     PDF as it is);
//   - a page with pictures or shading (clean.Archival's tone): JPEG, grey
//     unless it has colour;
//   - any other page, text on paper however grey or noisy: 1-bit G4 of its
//     print-weight black-and-white copy (clean.Archival), a tenth of the
//     bytes of a JPEG, with its coloured parts (seals, stamps, signatures in
//     blue) laid over it as small colour patches; a page that is mostly
//     colour stays colour JPEG.
//
// upright is the grey page already corrected for OCR; where there is no
// colour it is the corrected page itself (Gray reads colour pages by their
// red channel, which equals the luminance where there is no colour), so it
// is not resampled a second time.
func encodeFixed(img image.Image, upright *image.Gray, rot int, deg, dpi float64) ([]byte, string, []Patch, error) {
	if dpi <= 0 {
		dpi = defaultDPI
	}
	var b bytes.Buffer
	bilevel := func(g *image.Gray, patches []Patch) ([]byte, string, []Patch, error) {
		if err := ccitt.WriteTIFF(&b, g, dpi); err != nil {
			return nil, "", nil, fmt.Errorf("encode corrected page: %w", err)
		}
		return b.Bytes(), "tiff", patches, nil
	}
	if g, ok := img.(*image.Gray); ok && clean.IsBilevel(g) {
		return bilevel(upright, nil)
	}
	colour := hasColour(img)
	bw, tone := clean.Archival(upright)
	if tone <= maxTone {
		if !colour {
			return bilevel(bw, nil)
		}
		patches, ok, err := colourPatches(img, bw, rot, deg)
		if err != nil {
			return nil, "", nil, err
		}
		if ok {
			return bilevel(bw, patches)
		}
	}
	var fixed image.Image = upright
	if colour {
		fixed = deskew.Correct(img, rot, deg)
	}
	if err := jpeg.Encode(&b, fixed, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return nil, "", nil, fmt.Errorf("encode corrected page: %w", err)
	}
	return b.Bytes(), "jpeg", nil, nil
}

func asGray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	return clean.Gray(img)
}

// hasColour reports whether a page has colour worth keeping (a seal, a
// stamp, a signature in blue): more than one pixel in a thousand, sampled,
// whose chroma stands clear of scanner noise.
func hasColour(img image.Image) bool {
	const chroma = 40 // on 0–255 channels
	b := img.Bounds()
	if rgba, ok := img.(*image.RGBA); ok {
		n, coloured := 0, 0
		step := max(1, min(b.Dx(), b.Dy())/400)
		for py := b.Min.Y; py < b.Max.Y; py += step {
			for px := b.Min.X; px < b.Max.X; px += step {
				o := rgba.Pix[rgba.PixOffset(px, py):]
				n++
				if int(max(o[0], o[1], o[2]))-int(min(o[0], o[1], o[2])) > chroma {
					coloured++
				}
			}
		}
		return coloured*1000 > n
	}
	if y, ok := img.(*image.YCbCr); ok {
		// Cb and Cr are the chroma already: no conversion per sample.
		n, coloured := 0, 0
		step := max(1, min(b.Dx(), b.Dy())/400)
		for py := b.Min.Y; py < b.Max.Y; py += step {
			for px := b.Min.X; px < b.Max.X; px += step {
				i := y.COffset(px, py)
				cb, cr := int(y.Cb[i])-128, int(y.Cr[i])-128
				n++
				if max(cb, -cb)+max(cr, -cr) > chroma {
					coloured++
				}
			}
		}
		return coloured*1000 > n
	}
	n, coloured := 0, 0
	step := max(1, min(b.Dx(), b.Dy())/400)
	for y := b.Min.Y; y < b.Max.Y; y += step {
		for x := b.Min.X; x < b.Max.X; x += step {
			r, g, bl, _ := img.At(x, y).RGBA()
			hi, lo := max(r, g, bl)>>8, min(r, g, bl)>>8
			n++
			if hi-lo > chroma {
				coloured++
			}
		}
	}
	switch img.(type) {
	case *image.Gray, *image.Gray16:
		return false
	}
	return coloured*1000 > n
}

// encodePBM writes a black-and-white image (0 ink, 255 paper) as binary PBM
// (P4), one bit a pixel, 1 for ink.
func encodePBM(g *image.Gray) []byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	head := "P4\n" + strconv.Itoa(w) + " " + strconv.Itoa(h) + "\n"
	stride := (w + 7) / 8
	out := make([]byte, len(head)+stride*h)
	copy(out, head)
	for y := range h {
		row := out[len(head)+y*stride : len(head)+(y+1)*stride]
		src := g.Pix[y*g.Stride : y*g.Stride+w]
		for x, v := range src {
			if v < 128 {
				row[x>>3] |= 0x80 >> (x & 7)
			}
		}
	}
	return out
}
