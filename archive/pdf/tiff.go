package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// TIFF tags this package reads. golang.org/x/image/tiff decodes the pixels;
// this small reader only finds out whether a file is a single page of CCITT
// data that can go into the PDF untouched, and where that data is.
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
	tagT4Options       = 292
	tagT6Options       = 293
	tagTileWidth       = 322
)

// readTags are the tags readIFD keeps: only these are ever looked at, and
// skipping the rest (an XMP packet, a colour map) before their values are
// read bounds what a directory can make this reader allocate.
var readTags = map[uint16]bool{
	tagNewSubfileType: true, tagImageWidth: true, tagImageLength: true, tagBitsPerSample: true,
	tagCompression: true, tagPhotometric: true, tagFillOrder: true, tagStripOffsets: true,
	tagSamplesPerPixel: true, tagRowsPerStrip: true, tagStripByteCounts: true, tagT4Options: true,
	tagT6Options: true, tagTileWidth: true,
}

// TIFF compression values.
const (
	compressionG3 = 3 // ITU-T T.4 (CCITT Group 3)
	compressionG4 = 4 // ITU-T T.6 (CCITT Group 4)
)

// maxIFDs bounds the walk along a file's IFD chain.
const maxIFDs = 1024

// tiffIFD holds the tags of one image file directory, each as a list of
// unsigned integers (only SHORT, LONG and BYTE values are kept).
type tiffIFD struct {
	tags map[uint16][]uint64
}

// get returns the first value of tag, or def if the tag is absent.
func (d tiffIFD) get(tag uint16, def uint64) uint64 {
	if v := d.tags[tag]; len(v) > 0 {
		return v[0]
	}
	return def
}

// parseTIFF returns the directory of the one full-resolution page of a TIFF.
// Reduced-resolution images (thumbnails, NewSubfileType bit 0) are skipped;
// a file with more than one page is an error, since Write takes one image
// per page and silently dropping pages of a scan is not acceptable.
func parseTIFF(b []byte) (tiffIFD, error) {
	var bo binary.ByteOrder
	switch {
	case len(b) < 8:
		return tiffIFD{}, errors.New("tiff: short header")
	case b[0] == 'I' && b[1] == 'I':
		bo = binary.LittleEndian
	case b[0] == 'M' && b[1] == 'M':
		bo = binary.BigEndian
	default:
		return tiffIFD{}, errors.New("tiff: bad byte order mark")
	}
	if v := bo.Uint16(b[2:]); v != 42 {
		if v == 43 {
			return tiffIFD{}, errors.New("tiff: BigTIFF is not supported")
		}
		return tiffIFD{}, fmt.Errorf("tiff: bad version %d", v)
	}
	var pages []tiffIFD
	seen := map[uint32]bool{}
	for off := bo.Uint32(b[4:]); off != 0; {
		if seen[off] || len(seen) == maxIFDs {
			return tiffIFD{}, errors.New("tiff: IFD chain loops or is too long")
		}
		seen[off] = true
		d, next, err := readIFD(b, bo, off)
		if err != nil {
			return tiffIFD{}, err
		}
		if d.get(tagNewSubfileType, 0)&1 == 0 {
			pages = append(pages, d)
		}
		off = next
	}
	switch len(pages) {
	case 0:
		return tiffIFD{}, errors.New("tiff: no full-resolution image")
	case 1:
		return pages[0], nil
	default:
		return tiffIFD{}, fmt.Errorf("tiff: %d pages, want one", len(pages))
	}
}

func readIFD(b []byte, bo binary.ByteOrder, off uint32) (tiffIFD, uint32, error) {
	at := int64(off)
	if at+2 > int64(len(b)) {
		return tiffIFD{}, 0, fmt.Errorf("tiff: IFD offset %d out of range", off)
	}
	n := int64(bo.Uint16(b[at:]))
	end := at + 2 + 12*n
	if end+4 > int64(len(b)) {
		return tiffIFD{}, 0, fmt.Errorf("tiff: IFD at %d runs past the end", off)
	}
	d := tiffIFD{tags: make(map[uint16][]uint64, n)}
	for e := at + 2; e < end; e += 12 {
		tag := bo.Uint16(b[e:])
		if !readTags[tag] {
			continue
		}
		typ := bo.Uint16(b[e+2:])
		count := int64(bo.Uint32(b[e+4:]))
		var size int64
		switch typ {
		case 1: // BYTE
			size = 1
		case 3: // SHORT
			size = 2
		case 4: // LONG
			size = 4
		default:
			continue // not needed here
		}
		if count > 1<<24 {
			return tiffIFD{}, 0, fmt.Errorf("tiff: tag %d: count %d too large", tag, count)
		}
		data := b[e+8 : e+12]
		if count*size > 4 {
			p := int64(bo.Uint32(b[e+8:]))
			if p+count*size > int64(len(b)) {
				return tiffIFD{}, 0, fmt.Errorf("tiff: tag %d: values out of range", tag)
			}
			data = b[p : p+count*size]
		}
		vals := make([]uint64, count)
		for i := range vals {
			switch size {
			case 1:
				vals[i] = uint64(data[i])
			case 2:
				vals[i] = uint64(bo.Uint16(data[2*i:]))
			case 4:
				vals[i] = uint64(bo.Uint32(data[4*i:]))
			}
		}
		d.tags[tag] = vals
	}
	return d, bo.Uint32(b[end:]), nil
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
func ccittPage(b []byte, d tiffIFD) (c ccittStrips, ok bool, err error) {
	comp := d.get(tagCompression, 1)
	if comp != compressionG3 && comp != compressionG4 {
		return c, false, nil
	}
	if d.get(tagBitsPerSample, 1) != 1 || d.get(tagSamplesPerPixel, 1) != 1 {
		return c, false, errors.New("tiff: CCITT compression needs 1 bit per pixel")
	}
	if _, tiled := d.tags[tagTileWidth]; tiled {
		return c, false, nil // unusual; leave it to the decoder
	}
	photometric := d.get(tagPhotometric, 0)
	if photometric > 1 {
		return c, false, fmt.Errorf("tiff: CCITT data with PhotometricInterpretation %d", photometric)
	}
	c.width = int(d.get(tagImageWidth, 0))
	c.height = int(d.get(tagImageLength, 0))
	if c.width <= 0 || c.height <= 0 {
		return c, false, fmt.Errorf("tiff: image size %dx%d", c.width, c.height)
	}
	c.g4 = comp == compressionG4
	c.t4Options = d.get(tagT4Options, 0)
	c.blackIs1 = photometric == 1
	c.lsbFirst = d.get(tagFillOrder, 1) == 2
	c.rowsPerStrip = c.height
	if rps := d.get(tagRowsPerStrip, 0); rps > 0 && rps < uint64(c.height) {
		c.rowsPerStrip = int(rps)
	}
	offs, counts := d.tags[tagStripOffsets], d.tags[tagStripByteCounts]
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
