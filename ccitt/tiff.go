package ccitt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"
	"math"

	"github.com/sohoa/sohoa/internal/tiff"
)

// WriteTIFF writes img as a single-page bilevel TIFF (little-endian,
// Compression=4, PhotometricInterpretation=0, one strip) with X and Y
// resolution dpi pixels per inch. Pixels below 128 are black.
func WriteTIFF(w io.Writer, img *image.Gray, dpi float64) error {
	return WriteTIFFPages(w, []*image.Gray{img}, dpi)
}

// WriteTIFFPages writes pages as one multi-page bilevel TIFF: one IFD per
// page, in order, each like the single page WriteTIFF writes; when there is
// more than one page each IFD also carries NewSubfileType=2 (page of a
// multi-page image) and PageNumber. Every page must be at least 1x1 pixel.
func WriteTIFFPages(w io.Writer, pages []*image.Gray, dpi float64) error {
	if len(pages) == 0 {
		return errors.New("ccitt: write tiff: no pages")
	}
	if !(dpi > 0) || dpi > math.MaxUint32/1000 {
		return fmt.Errorf("ccitt: write tiff: resolution %v dpi out of range", dpi)
	}
	if len(pages) > math.MaxUint16 {
		return fmt.Errorf("ccitt: write tiff: %d pages, more than a TIFF numbers", len(pages))
	}
	// The file is built in memory: strips and IFDs refer to each other by
	// absolute offsets, and a page's G4 data is a few hundred kilobytes.
	num, den := rational(dpi)
	imgs := make([]tiff.Image, len(pages))
	for i, img := range pages {
		b := img.Bounds()
		if b.Dx() < 1 || b.Dy() < 1 || b.Dx() > math.MaxUint32 || b.Dy() > math.MaxUint32 {
			return fmt.Errorf("ccitt: write tiff: page %d: bad size %dx%d", i+1, b.Dx(), b.Dy())
		}
		fields := []tiff.Field{
			tiff.Long(tiff.TagImageWidth, uint32(b.Dx())),
			tiff.Long(tiff.TagImageLength, uint32(b.Dy())),
			tiff.Short(tiff.TagBitsPerSample, 1),
			tiff.Short(tiff.TagCompression, tiff.CompressionG4),
			tiff.Short(tiff.TagPhotometric, 0),
			tiff.Short(tiff.TagFillOrder, 1),
			tiff.Short(tiff.TagSamplesPerPixel, 1),
			tiff.Long(tiff.TagRowsPerStrip, uint32(b.Dy())),
			tiff.Rational(tiff.TagXResolution, num, den),
			tiff.Rational(tiff.TagYResolution, num, den),
			tiff.Long(tiff.TagT6Options, 0),
			tiff.Short(tiff.TagResolutionUnit, 2), // inch
		}
		if len(pages) > 1 {
			// PageNumber is two SHORTs: this page (from 0) and how many.
			pn := binary.LittleEndian.AppendUint16(nil, uint16(i))
			pn = binary.LittleEndian.AppendUint16(pn, uint16(len(pages)))
			fields = append(fields, tiff.Long(tiff.TagNewSubfileType, 2),
				tiff.Field{Tag: tiff.TagPageNumber, Type: tiff.TypeShort, Count: 2, Val: pn})
		}
		imgs[i] = tiff.Image{Fields: fields, OffTag: tiff.TagStripOffsets, CntTag: tiff.TagStripByteCounts,
			Blocks: [][]byte{EncodeG4(img)}}
	}
	buf, err := tiff.WriteImages(binary.LittleEndian, imgs)
	if err != nil {
		return fmt.Errorf("ccitt: write tiff: %v", err)
	}
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("ccitt: write tiff: %w", err)
	}
	return nil
}

// rational approximates v as a fraction with a denominator of 1, 10, 100 or
// 1000, the smallest that represents it to within 1/2000.
func rational(v float64) (num, den uint32) {
	for den = 1; den < 1000; den *= 10 {
		if n := math.Round(v * float64(den)); math.Abs(n/float64(den)-v) < 0.0005 {
			return uint32(n), den
		}
	}
	return uint32(math.Round(v * 1000)), 1000
}
