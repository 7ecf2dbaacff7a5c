package ocr

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // decoders for DecodeConfig
	_ "image/png"

	_ "golang.org/x/image/tiff"
)

// Prepared is a page made ready for OCR.
type Prepared struct {
	// ForOCR is the image Tesseract reads.
	ForOCR []byte
	// Fixed is the corrected page image to archive in place of the
	// original, when the page had to be turned or straightened (nil
	// otherwise), encoded as FixedFormat. OCR boxes refer to it.
	Fixed       []byte
	FixedFormat string
	// Rotation and Skew that were corrected, in degrees.
	Rotation int
	Skew     float64
}

// maxPixels guards the decoders against decompression bombs; ingest
// rejects larger pages before they are queued.
const maxPixels = 200_000_000

// Prepare checks that a page image is decodable within bounds and returns
// what Tesseract should read. The page is read as scanned: orientation and
// skew correction belong here, and so does the cleaner copy for recognition;
// the archived image always stays faithful to the scan.
func Prepare(img []byte, format string) (*Prepared, error) {
	cfg, kind, err := image.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		return nil, fmt.Errorf("decode %s page: %w", format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, errors.New("page image has no pixels")
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return nil, fmt.Errorf("page image of %dx%d pixels is too large", cfg.Width, cfg.Height)
	}
	_ = kind
	return &Prepared{ForOCR: img}, nil
}
