package ccitt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
)

// TIFF tags written by WriteTIFFPages, in the ascending order an IFD needs.
const (
	tagNewSubfileType  = 254
	tagImageWidth      = 256
	tagImageLength     = 257
	tagBitsPerSample   = 258
	tagCompression     = 259
	tagPhotometric     = 262
	tagFillOrder       = 266
	tagStripOffsets    = 273
	tagSamplesPerPixel = 277
	tagRowsPerStrip    = 278
	tagStripByteCounts = 279
	tagXResolution     = 282
	tagYResolution     = 283
	tagT6Options       = 293
	tagResolutionUnit  = 296
	tagPageNumber      = 297
)

const (
	typeShort    = 3
	typeLong     = 4
	typeRational = 5
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
	// The file is built in memory: strips and IFDs refer to each other by
	// absolute offsets, and a page's G4 data is a few hundred kilobytes.
	buf := []byte{'I', 'I', 42, 0, 0, 0, 0, 0}
	le := binary.LittleEndian
	nextIFDAt := 4 // where the offset of the next IFD is to be patched in
	for i, img := range pages {
		b := img.Bounds()
		if b.Dx() < 1 || b.Dy() < 1 || b.Dx() > math.MaxUint32 || b.Dy() > math.MaxUint32 {
			return fmt.Errorf("ccitt: write tiff: page %d: bad size %dx%d", i+1, b.Dx(), b.Dy())
		}
		data := EncodeG4(img)
		stripAt := len(buf)
		buf = append(buf, data...)
		if len(buf)%2 == 1 {
			buf = append(buf, 0) // IFDs start on a word boundary
		}

		type entry struct {
			tag, typ    uint16
			count, valu uint32
		}
		num, den := rational(dpi)
		entries := []entry{
			{tagImageWidth, typeLong, 1, uint32(b.Dx())},
			{tagImageLength, typeLong, 1, uint32(b.Dy())},
			{tagBitsPerSample, typeShort, 1, 1},
			{tagCompression, typeShort, 1, 4},
			{tagPhotometric, typeShort, 1, 0},
			{tagFillOrder, typeShort, 1, 1},
			{tagStripOffsets, typeLong, 1, uint32(stripAt)},
			{tagSamplesPerPixel, typeShort, 1, 1},
			{tagRowsPerStrip, typeLong, 1, uint32(b.Dy())},
			{tagStripByteCounts, typeLong, 1, uint32(len(data))},
			{tagXResolution, typeRational, 1, 0}, // offsets patched below
			{tagYResolution, typeRational, 1, 0},
			{tagT6Options, typeLong, 1, 0},
			{tagResolutionUnit, typeShort, 1, 2}, // inch
		}
		if len(pages) > 1 {
			entries = append([]entry{{tagNewSubfileType, typeLong, 1, 2}}, entries...)
			// PageNumber is two SHORTs packed into the value field.
			entries = append(entries, entry{tagPageNumber, typeShort, 2, uint32(i) | uint32(len(pages))<<16})
		}
		ifdAt := len(buf)
		ratAt := ifdAt + 2 + 12*len(entries) + 4
		for k := range entries {
			switch entries[k].tag {
			case tagXResolution:
				entries[k].valu = uint32(ratAt)
			case tagYResolution:
				entries[k].valu = uint32(ratAt + 8)
			}
		}
		le.PutUint32(buf[nextIFDAt:], uint32(ifdAt))
		buf = le.AppendUint16(buf, uint16(len(entries)))
		for _, e := range entries {
			buf = le.AppendUint16(buf, e.tag)
			buf = le.AppendUint16(buf, e.typ)
			buf = le.AppendUint32(buf, e.count)
			if e.typ == typeShort && e.count == 1 {
				// A SHORT is left-justified in the 4-byte value field.
				buf = le.AppendUint16(buf, uint16(e.valu))
				buf = le.AppendUint16(buf, 0)
			} else {
				buf = le.AppendUint32(buf, e.valu)
			}
		}
		nextIFDAt = len(buf)
		buf = le.AppendUint32(buf, 0)
		for range 2 {
			buf = le.AppendUint32(buf, num)
			buf = le.AppendUint32(buf, den)
		}
		if len(buf) > math.MaxUint32 {
			return errors.New("ccitt: write tiff: file exceeds 4 GiB")
		}
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
