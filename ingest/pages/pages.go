package pages

import (
	"errors"
	"fmt"
	"math"
	"runtime/debug"

	"github.com/sohoa/sohoa/pipeline"
)

// Format is the encoding of a file or of a page image.
type Format string

// The formats Detect recognises and Split accepts. Pages are always JPEG, PNG
// or TIFF; PDF is only an input format.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	TIFF Format = "tiff"
	PDF  Format = "pdf"
)

// Errors that callers test for with errors.Is. Every error returned by Detect
// and Split wraps exactly one of them, with the page number and a readable
// detail in the message (for the note written beside a file in failed/). All
// of them are permanent: reading the same bytes again gives the same error.
var (
	// ErrUnsupported: the file is not JPEG, PNG, TIFF or PDF (the message says
	// what it looks like, when known: zip/docx, gif, bmp, webp, heic, text…),
	// or it uses a feature the OCR pipeline's decoders cannot read (JPEG-in-TIFF,
	// JBIG2 or JPEG 2000 images in a PDF, CCITT 2-D Group 3, unusual colour
	// spaces).
	ErrUnsupported = errors.New("unsupported")
	// ErrCorrupt: the file looks like a supported format but is truncated or
	// damaged, or a page image does not decode.
	ErrCorrupt = errors.New("corrupt")
	// ErrEncrypted: a PDF that needs a password to open.
	ErrEncrypted = errors.New("encrypted")
	// ErrTooLarge: more pages than Limits.MaxPages, a page with more pixels
	// than Limits.MaxPixels, or pages that together decode to more than
	// Limits.MaxDecodedBytes. Nothing that large is decoded.
	ErrTooLarge = errors.New("too large")
	// ErrNoImage: a PDF page that draws no scanned image (a born-digital page
	// of text, or a blank page). The message names the page.
	ErrNoImage = errors.New("no page image")
	// ErrEmpty: nothing to read — a file of 0 bytes, or a PDF without a page.
	ErrEmpty = errors.New("empty")
)

// Page is one page image, ready to be stored as a blob.
type Page struct {
	// Data is the encoded image. For a JPEG or PNG file it is the file itself
	// (the same slice that was passed to Split, not a copy).
	Data []byte
	// Format is the encoding of Data: JPEG, PNG or TIFF (a single-page TIFF).
	Format Format
	// Width and Height are the size of the image in Data, in pixels.
	Width, Height int
	// DPIX and DPIY are the resolution from the file (JFIF or EXIF density,
	// PNG pHYs, TIFF resolution, or the size at which a PDF page shows the
	// image); 0 if the file does not say.
	DPIX, DPIY float64
	// Electronic, from SplitAll only: a PDF page that draws no scan (a page
	// of an electronic original: text, perhaps with a logo or a scanned
	// seal). Data is nil; the page is to be read from the PDF's own text
	// or rendered (package epdf).
	Electronic bool
	// Cover, for an Electronic page, is the share of the page its largest
	// image covers (0 for none; 1 for an image this package cannot take
	// out, which is the page's scan).
	Cover float64
}

// Default limits, used for the zero fields of a Limits.
const (
	DefaultMaxPages = 2000
	// DefaultMaxPixels is the pipeline's one page limit, which the OCR
	// worker and the PDF writer apply too: a page ingest lets through is
	// never refused further on for its size.
	DefaultMaxPixels = pipeline.MaxPagePixels
	// DefaultMaxDecodedBytes bounds the pages of one file together: about
	// 980 A4 pages at 300 dpi in grey or black and white, 330 in colour, or
	// 64 grey pages at the pixel limit; a thicker file must be split.
	DefaultMaxDecodedBytes = 8 << 30
)

// Limits bound what Split will accept; the zero value means the defaults.
type Limits struct {
	// MaxPages is the most pages a file may have (default 2000).
	MaxPages int
	// MaxPixels is the most pixels one page may have (default
	// pipeline.MaxPagePixels, 2^27, about 134 megapixels). Raising it above
	// the default only moves the refusal to the OCR worker.
	// It is checked against the image header before anything is decoded, so a
	// decompression bomb is refused without allocating its pixels.
	MaxPixels int64
	// MaxDecodedBytes is the most that all the pages of one file may
	// decode to, counted from their headers as width × height × bytes per
	// pixel (at least one; a black-and-white page counts a byte a pixel, as
	// the OCR worker holds it), before any page is decoded or copied
	// (default DefaultMaxDecodedBytes, 8 GiB). It stops a small file of many
	// huge, highly compressed pages from costing hours of OCR.
	MaxDecodedBytes int64
}

func (l Limits) withDefaults() Limits {
	if l.MaxPages <= 0 {
		l.MaxPages = DefaultMaxPages
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxDecodedBytes <= 0 {
		l.MaxDecodedBytes = DefaultMaxDecodedBytes
	}
	return l
}

// decodeBudget is what is left of Limits.MaxDecodedBytes for the pages of
// one file. It is used by one call of Split, never shared.
type decodeBudget struct {
	left, max int64
}

func (l Limits) budget() *decodeBudget {
	return &decodeBudget{left: l.MaxDecodedBytes, max: l.MaxDecodedBytes}
}

// take counts a page of w×h pixels of bytesPerPixel bytes (at least 1)
// against the budget, refusing it with ErrTooLarge when the file's pages
// together would decode to more. Sizes are already within the pixel limit.
func (b *decodeBudget) take(what string, w, h, bytesPerPixel int64) error {
	n := w * h * max(bytesPerPixel, 1)
	if n > b.left {
		return fmt.Errorf("pages: %s: %w: the pages up to this one decode to more than %d MiB, the limit for one file (%d MiB); split the file",
			what, ErrTooLarge, (b.max-b.left+n)>>20, b.max>>20)
	}
	b.left -= n
	return nil
}

// checkPixels refuses an image of w×h pixels that is empty or larger than the limit.
func (l Limits) checkPixels(what string, w, h int64) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("pages: %s: %w: image size %dx%d", what, ErrCorrupt, w, h)
	}
	if w > math.MaxInt32 || h > math.MaxInt32 || w*h > l.MaxPixels {
		return fmt.Errorf("pages: %s: %w: image of %dx%d pixels exceeds the limit of %d pixels",
			what, ErrTooLarge, w, h, l.MaxPixels)
	}
	return nil
}

// Split returns the pages of a file, in order, and the format of the file.
//
// The format is decided by content (see Detect). What each format gives:
//
//   - JPEG, PNG: one page whose Data is the file itself, unchanged.
//   - TIFF: one single-page TIFF per page, in the file's byte order, with the
//     page's strips or tiles copied, not re-encoded (a CCITT G4 page stays
//     G4), and only the fields a reader needs (no SubIFDs, EXIF or page
//     numbers). Reduced-resolution images (NewSubfileType bit 0) and SubIFDs
//     are skipped. A CCITT page with PhotometricInterpretation BlackIsZero,
//     which libtiff and x/image/tiff show differently, becomes a 1-bit PNG
//     of what libtiff shows.
//   - PDF (image-only scanner PDFs): for each page, the largest image the
//     page draws (followed through its content stream and form XObjects)
//     is the scan; small images beside it, such as the stamp of a digital
//     signature, are ignored. A JPEG (DCTDecode) comes out byte for byte; a
//     CCITT G4 or 1-D G3 image is wrapped, still compressed, in a
//     single-page TIFF; anything else (Flate, LZW, RunLength, none) is
//     decoded and written as PNG (1-bit for black and white, 8-bit gray,
//     RGB, or paletted for Indexed). The page comes out the way a PDF viewer
//     shows it: a page with /Rotate, or an image drawn turned or mirrored,
//     is turned, which means decoding it and writing a JPEG (quality 90) or
//     PNG; CCITT data that is shown inverted or has byte-aligned rows is
//     decoded and written as a 1-bit PNG. DPI is the image's pixels over the
//     size at which the page draws it.
//
// PDF pages that are not a single scan are refused rather than half-read: a
// page that draws no image, or whose largest image covers less than a
// quarter of it (a born-digital page of text, perhaps with a logo), is
// ErrNoImage; a page pieced together from several large images (strips or
// tiles of a scan), one whose scan is an inline image, or a JBIG2 or JPEG
// 2000 image, is ErrUnsupported. A PDF without %%EOF in its last 1024 bytes
// is ErrCorrupt: it was cut short, even if what is left can be read.
//
// Encrypted PDFs: a PDF that opens without a password (an empty user
// password, as when only printing or copying is restricted) is read like any
// other, because only the archived copy matters and the archive writes a
// new, unencrypted PDF/A; a PDF that needs a password is ErrEncrypted.
//
// Pages are not decoded here unless Split has to convert them (a rotated
// JPEG, a CCITT page libtiff and Go would show differently, Flate images
// from a PDF): decoding costs as much as a tenth of the page's OCR, and the
// worker decodes every page anyway and fails the document if it cannot.
// Headers are checked with the worker's own decoders, and the ends of JPEG
// and PNG files, where an interrupted copy shows (a PNG's chunk CRCs are
// all verified). On error the pages are nil and the
// error wraps one of ErrUnsupported, ErrCorrupt, ErrEncrypted, ErrTooLarge or
// ErrNoImage; the format is returned whenever it could be detected. Split
// does not panic on any input and does not modify data; it keeps no state
// and may be called from several goroutines at once.
func Split(data []byte, lim Limits) (f Format, pages []Page, err error) {
	return split(data, lim, false)
}

// SplitAll is Split for files that may be electronic originals, and for
// PDFs whose pages a renderer must draw: a PDF page whose largest image
// covers less than 80% of it (none, a logo, a seal, a chart beside text),
// or that Split refuses with ErrUnsupported (an inline image, a scan in
// strips, JBIG2, JPEG 2000, an unusual colour space), is returned as a Page
// with Electronic set and no Data, in its place among the others, to be
// rendered (package epdf) and read from its own text or by OCR. A page
// with a scan over the page is a scan even when it carries text as well (a
// scanner's own OCR layer, or the text of a digital signature's stamp):
// its image is the original. Everything else, ErrTooLarge and ErrCorrupt
// included, is as for Split.
func SplitAll(data []byte, lim Limits) (f Format, pages []Page, err error) {
	return split(data, lim, true)
}

func split(data []byte, lim Limits, electronic bool) (f Format, pages []Page, err error) {
	lim = lim.withDefaults()
	f, err = Detect(data)
	if err != nil {
		return "", nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			pages = nil
			err = fmt.Errorf("pages: %s: %w: decoder failed: %w", f, ErrCorrupt,
				&panicError{value: r, stack: debug.Stack()})
		}
	}()
	switch f {
	case JPEG:
		pages, err = splitJPEG(data, lim)
	case PNG:
		pages, err = splitPNG(data, lim)
	case TIFF:
		pages, err = splitTIFF(data, lim)
	case PDF:
		pages, err = splitPDF(data, lim, electronic)
	}
	if err != nil {
		return f, nil, err
	}
	return f, pages, nil
}

// guard runs f and turns a panic inside it (in pdfcpu or an image decoder,
// on malformed data) into ErrCorrupt, with what in the message.
func guard(what string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pages: %s: %w: the decoder failed on malformed data: %w", what, ErrCorrupt,
				&panicError{value: r, stack: debug.Stack()})
		}
	}()
	return f()
}

// panicError is a panic recovered from a decoder (ours or a third party's),
// turned into ErrCorrupt. The stack is kept for tests and debugging.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }
