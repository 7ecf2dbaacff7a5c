package pdf

import (
	"errors"
	"fmt"

	"github.com/sohoa/sohoa/internal/tiff"
)

// golang.org/x/image/tiff decodes the pixels; internal/tiff only finds out
// here whether a file is a single page of CCITT data that can go into the PDF
// untouched, and where that data is.

// Bounds on what a file can make parseTIFF and ccittPage read: IFDs along the
// chain, and values of one field (strip offsets and counts).
const (
	maxIFDs   = 1024
	maxValues = 1 << 24
)

// parseTIFF returns the directory of the one full-resolution page of a TIFF.
// Reduced-resolution images (thumbnails) and masks are skipped; a file with
// more than one page is an error, since Write takes one image per page and
// silently dropping pages of a scan is not acceptable.
func parseTIFF(b []byte) (*tiff.IFD, error) {
	f, err := tiff.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("tiff: %v", err)
	}
	var pages []*tiff.IFD
	err = f.Walk(maxIFDs, func(_ int, d *tiff.IFD) error {
		if !d.Reduced() {
			pages = append(pages, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("tiff: %v", err)
	}
	switch len(pages) {
	case 0:
		return nil, errors.New("tiff: no full-resolution image")
	case 1:
		return pages[0], nil
	default:
		return nil, fmt.Errorf("tiff: %d pages, want one", len(pages))
	}
}

// ccittStrips describes the CCITT data of a bilevel TIFF page.
type ccittStrips struct {
	width, height int
	g4            bool   // T.6; otherwise T.4
	t4Options     uint64 // bit 0: 2-D coding, bit 2: EOLs byte-aligned
	blackIs1      bool   // PhotometricInterpretation 1 (BlackIsZero)
	lsbFirst      bool   // FillOrder 2: bits of each byte reversed
	rowsPerStrip  int
	strips        [][]byte
}

// ccittPage returns the CCITT strips of page d of file b, or ok false when
// the page is not a one-sample bilevel image in CCITT G3 or G4 strips.
func ccittPage(b []byte, d *tiff.IFD) (c ccittStrips, ok bool, err error) {
	var bad error
	get := func(tag uint16, def uint64) uint64 {
		v, err := d.Uint(tag, def)
		if err != nil && bad == nil {
			bad = fmt.Errorf("tiff: %v", err)
		}
		return v
	}
	comp := get(tiff.TagCompression, tiff.CompressionNone)
	if bad != nil || comp != tiff.CompressionG3 && comp != tiff.CompressionG4 {
		return c, false, bad
	}
	if get(tiff.TagBitsPerSample, 1) != 1 || get(tiff.TagSamplesPerPixel, 1) != 1 {
		return c, false, cmpErr(bad, errors.New("tiff: CCITT compression needs 1 bit per pixel"))
	}
	if d.Find(tiff.TagTileWidth) != nil {
		return c, false, nil // unusual; leave it to the decoder
	}
	photometric := get(tiff.TagPhotometric, 0)
	if photometric > 1 {
		return c, false, cmpErr(bad, fmt.Errorf("tiff: CCITT data with PhotometricInterpretation %d", photometric))
	}
	w, h := get(tiff.TagImageWidth, 0), get(tiff.TagImageLength, 0)
	if bad != nil {
		return c, false, bad
	}
	if w == 0 || h == 0 || w > 1<<31-1 || h > 1<<31-1 {
		return c, false, fmt.Errorf("tiff: image size %dx%d", w, h)
	}
	c.width, c.height = int(w), int(h)
	c.g4 = comp == tiff.CompressionG4
	c.t4Options = get(tiff.TagT4Options, 0)
	c.blackIs1 = photometric == 1
	c.lsbFirst = get(tiff.TagFillOrder, 1) == 2
	c.rowsPerStrip = c.height
	if rps := get(tiff.TagRowsPerStrip, 0); rps > 0 && rps < uint64(c.height) {
		c.rowsPerStrip = int(rps)
	}
	if bad != nil {
		return c, false, bad
	}
	offs, err := d.Uints(tiff.TagStripOffsets, maxValues)
	if err != nil {
		return c, false, fmt.Errorf("tiff: %v", err)
	}
	counts, err := d.Uints(tiff.TagStripByteCounts, maxValues)
	if err != nil {
		return c, false, fmt.Errorf("tiff: %v", err)
	}
	if len(offs) == 0 || len(offs) != len(counts) {
		return c, false, errors.New("tiff: missing or inconsistent strip offsets")
	}
	if want := (c.height + c.rowsPerStrip - 1) / c.rowsPerStrip; len(offs) != want {
		return c, false, fmt.Errorf("tiff: %d strips, want %d", len(offs), want)
	}
	for i, off := range offs {
		n := counts[i]
		if off > uint64(len(b)) || n > uint64(len(b))-off {
			return c, false, fmt.Errorf("tiff: strip %d out of range", i)
		}
		c.strips = append(c.strips, b[off:off+n])
	}
	return c, true, nil
}

// cmpErr returns the first of a field error met on the way and the error the
// check itself found.
func cmpErr(bad, err error) error {
	if bad != nil {
		return bad
	}
	return err
}
