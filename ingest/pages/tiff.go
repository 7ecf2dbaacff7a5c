package pages

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"slices"

	"golang.org/x/image/tiff"
)

// TIFF tags this file uses by number.
const (
	tagNewSubfileType  = 254
	tagSubfileType     = 255
	tagImageWidth      = 256
	tagImageLength     = 257
	tagBitsPerSample   = 258
	tagCompression     = 259
	tagPhotometric     = 262
	tagStripOffsets    = 273
	tagSamplesPerPixel = 277
	tagRowsPerStrip    = 278
	tagStripByteCounts = 279
	tagXResolution     = 282
	tagYResolution     = 283
	tagPlanarConfig    = 284
	tagT4Options       = 292
	tagResolutionUnit  = 296
	tagTileWidth       = 322
	tagTileLength      = 323
	tagTileOffsets     = 324
	tagTileByteCounts  = 325
)

// TIFF field types.
const (
	typeByte     = 1
	typeShort    = 3
	typeLong     = 4
	typeRational = 5
	typeIFD      = 13
)

// typeSize is the size in bytes of one value of each TIFF field type; 0 for
// types this package does not know (their entries are dropped).
var typeSize = [...]int{0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4}

// copiedTags are the tags of a page's IFD that are copied into the page's
// single-page TIFF: what a decoder needs, and descriptive data that holds no
// file offsets. Strip and tile offsets are rewritten; other tags are dropped
// (SubIFDs, EXIF and GPS IFDs, page numbers, NewSubfileType, JPEG tables…).
var copiedTags = map[uint16]bool{
	256: true, 257: true, 258: true, 259: true, // size, bits, compression
	262: true, 263: true, 264: true, 265: true, 266: true, // photometric, thresholding, cell size, fill order
	269: true, 270: true, 271: true, 272: true, 274: true, // names, description, make, model, orientation
	277: true, 278: true, 280: true, 281: true, // samples, rows per strip, min/max sample
	282: true, 283: true, 284: true, 285: true, 286: true, 287: true, // resolution, planar, page name, position
	290: true, 291: true, 292: true, 293: true, 296: true, // gray response, T4/T6 options, resolution unit
	301: true, 305: true, 306: true, 315: true, 316: true, 317: true, // transfer, software, date, artist, host, predictor
	318: true, 319: true, 320: true, 321: true, 322: true, 323: true, // white point, chromaticities, colour map, halftone, tile size
	332: true, 333: true, 334: true, 336: true, 337: true, 338: true, 339: true, 340: true, 341: true,
	529: true, 530: true, 531: true, 532: true, // YCbCr, reference black/white
	700: true, 33432: true, 34675: true, // XMP, copyright, ICC profile
}

// tiffFile is a classic (not Big) TIFF held in memory.
type tiffFile struct {
	data  []byte
	bo    binary.ByteOrder
	first uint32 // offset of the first IFD
}

func newTIFFFile(b []byte) (*tiffFile, error) {
	if len(b) < 8 {
		return nil, errors.New("header truncated")
	}
	t := &tiffFile{data: b}
	switch string(b[:4]) {
	case "II*\x00":
		t.bo = binary.LittleEndian
	case "MM\x00*":
		t.bo = binary.BigEndian
	default:
		return nil, errors.New("not a TIFF header")
	}
	t.first = t.bo.Uint32(b[4:8])
	return t, nil
}

// tiffEntry is one field of an IFD.
type tiffEntry struct {
	tag, typ uint16
	count    uint32
	val      []byte // count values as stored (in the file's byte order); nil if they lie outside the file
}

// tiffIFD is one image file directory, with its entries in file order.
type tiffIFD struct {
	t       *tiffFile
	offset  uint32
	entries []tiffEntry
	next    uint32
}

// readIFD parses the IFD at off. Entries of unknown type are dropped; entries
// whose values lie outside the file are kept with a nil val, so that using
// them (but not merely having them) is an error.
func (t *tiffFile) readIFD(off uint32) (*tiffIFD, error) {
	size := uint64(len(t.data))
	if off < 8 || uint64(off)+2 > size {
		return nil, fmt.Errorf("IFD offset %d outside the file (%d bytes)", off, size)
	}
	n := uint64(t.bo.Uint16(t.data[off:]))
	end := uint64(off) + 2 + 12*n
	if end+4 > size {
		return nil, fmt.Errorf("IFD at offset %d with %d entries runs past the end of the file (%d bytes)", off, n, size)
	}
	d := &tiffIFD{t: t, offset: off, entries: make([]tiffEntry, 0, n), next: t.bo.Uint32(t.data[end:])}
	for i := uint64(0); i < n; i++ {
		p := t.data[uint64(off)+2+12*i:]
		e := tiffEntry{tag: t.bo.Uint16(p[0:2]), typ: t.bo.Uint16(p[2:4]), count: t.bo.Uint32(p[4:8])}
		if int(e.typ) >= len(typeSize) || typeSize[e.typ] == 0 {
			continue
		}
		vs := uint64(typeSize[e.typ]) * uint64(e.count)
		if vs <= 4 {
			e.val = p[8 : 8+vs]
		} else if vo := uint64(t.bo.Uint32(p[8:12])); vo+vs <= size {
			e.val = t.data[vo : vo+vs]
		}
		d.entries = append(d.entries, e)
	}
	return d, nil
}

func (d *tiffIFD) find(tag uint16) *tiffEntry {
	for i := range d.entries {
		if d.entries[i].tag == tag {
			return &d.entries[i]
		}
	}
	return nil
}

// uints returns the values of an integer field (BYTE, SHORT, LONG or IFD),
// refusing a field of more than max values.
func (d *tiffIFD) uints(tag uint16, max int) ([]uint64, error) {
	e := d.find(tag)
	if e == nil {
		return nil, nil
	}
	if uint64(e.count) > uint64(max) {
		return nil, fmt.Errorf("tag %d: %d values, more than %d", tag, e.count, max)
	}
	if e.val == nil {
		return nil, fmt.Errorf("tag %d: values outside the file", tag)
	}
	out := make([]uint64, e.count)
	for i := range out {
		switch e.typ {
		case typeByte:
			out[i] = uint64(e.val[i])
		case typeShort:
			out[i] = uint64(d.t.bo.Uint16(e.val[2*i:]))
		case typeLong, typeIFD:
			out[i] = uint64(d.t.bo.Uint32(e.val[4*i:]))
		default:
			return nil, fmt.Errorf("tag %d: type %d is not an integer type", tag, e.typ)
		}
	}
	return out, nil
}

// uint returns the first value of an integer field, or def if there is none.
func (d *tiffIFD) uint(tag uint16, def uint64) (uint64, error) {
	e := d.find(tag)
	if e == nil || e.count == 0 {
		return def, nil
	}
	if e.val == nil {
		return 0, fmt.Errorf("tag %d: value outside the file", tag)
	}
	switch e.typ {
	case typeByte:
		return uint64(e.val[0]), nil
	case typeShort:
		return uint64(d.t.bo.Uint16(e.val)), nil
	case typeLong, typeIFD:
		return uint64(d.t.bo.Uint32(e.val)), nil
	}
	return 0, fmt.Errorf("tag %d: type %d is not an integer type", tag, e.typ)
}

// rational returns the first value of a RATIONAL field, or 0.
func (d *tiffIFD) rational(tag uint16) float64 {
	e := d.find(tag)
	if e == nil || e.typ != typeRational || e.count == 0 || e.val == nil {
		if v, err := d.uint(tag, 0); err == nil { // some writers use SHORT or LONG
			return float64(v)
		}
		return 0
	}
	num, den := d.t.bo.Uint32(e.val[0:4]), d.t.bo.Uint32(e.val[4:8])
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}

// dpi returns the resolution in dots per inch, or zeros if the IFD gives none
// or gives it without a unit.
func (d *tiffIFD) dpi() (x, y float64) {
	unit, err := d.uint(tagResolutionUnit, 2)
	if err != nil {
		return 0, 0
	}
	f := 0.0
	switch unit {
	case 2:
		f = 1
	case 3:
		f = 2.54
	default:
		return 0, 0
	}
	return roundDPI(d.rational(tagXResolution) * f), roundDPI(d.rational(tagYResolution) * f)
}

// reduced reports whether the IFD holds a reduced-resolution copy (a
// thumbnail or preview) or a transparency mask rather than a page.
func (d *tiffIFD) reduced() bool {
	if v, err := d.uint(tagNewSubfileType, 0); err == nil && v&0b101 != 0 {
		return true
	}
	if v, err := d.uint(tagSubfileType, 1); err == nil && v == 2 {
		return true
	}
	return false
}

// pageIFDs walks the IFD chain and returns the IFDs of the pages, skipping
// reduced-resolution images. SubIFDs are never followed.
func (t *tiffFile) pageIFDs(lim Limits) ([]*tiffIFD, error) {
	maxIFDs := 4*lim.MaxPages + 16
	seen := make(map[uint32]bool)
	var out []*tiffIFD
	for off := t.first; off != 0; {
		if seen[off] {
			return nil, fmt.Errorf("pages: tiff: %w: IFD chain loops back to offset %d", ErrCorrupt, off)
		}
		seen[off] = true
		if len(seen) > maxIFDs {
			return nil, fmt.Errorf("pages: tiff: %w: more than %d IFDs", ErrTooLarge, maxIFDs)
		}
		d, err := t.readIFD(off)
		if err != nil {
			return nil, fmt.Errorf("pages: tiff: %w: IFD %d: %v", ErrCorrupt, len(seen), err)
		}
		if !d.reduced() {
			out = append(out, d)
			if len(out) > lim.MaxPages {
				return nil, fmt.Errorf("pages: tiff: %w: more than %d pages", ErrTooLarge, lim.MaxPages)
			}
		}
		off = d.next
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("pages: tiff: %w: no full-resolution image", ErrCorrupt)
	}
	return out, nil
}

// splitTIFF returns one single-page TIFF per page of a TIFF file.
func splitTIFF(data []byte, lim Limits) ([]Page, error) {
	t, err := newTIFFFile(data)
	if err != nil {
		return nil, fmt.Errorf("pages: tiff: %w: %v", ErrCorrupt, err)
	}
	ifds, err := t.pageIFDs(lim)
	if err != nil {
		return nil, err
	}
	pages := make([]Page, 0, len(ifds))
	left := lim.budget()
	var copied uint64 // bytes of strips and tiles taken, over all pages
	for i, d := range ifds {
		what := fmt.Sprintf("tiff page %d", i+1)
		var p Page
		err := guard(what, func() error {
			var err error
			p, err = tiffPage(d, lim, left, &copied, uint64(i+1), what)
			return err
		})
		if err != nil {
			return nil, err
		}
		pages = append(pages, p)
	}
	return pages, nil
}

// tiffCompression checks that x/image/tiff can decode a compression scheme.
func tiffCompression(d *tiffIFD) error {
	c, err := d.uint(tagCompression, 1)
	if err != nil {
		return err
	}
	switch c {
	case 1, 4, 5, 8, 32773, 32946: // none, G4, LZW, Deflate, PackBits, old Deflate
		return nil
	case 3:
		t4, err := d.uint(tagT4Options, 0)
		if err != nil {
			return err
		}
		if t4&1 != 0 {
			return fmt.Errorf("%w: CCITT Group 3 with 2-D coding (T4Options %d) cannot be decoded", ErrUnsupported, t4)
		}
		return nil
	case 2:
		return fmt.Errorf("%w: CCITT modified Huffman RLE (compression 2) cannot be decoded", ErrUnsupported)
	case 6, 7:
		return fmt.Errorf("%w: JPEG-in-TIFF (compression %d) cannot be decoded; save the scan as plain JPEG, or as TIFF with G4, LZW or Deflate", ErrUnsupported, c)
	case 34712, 33003, 33005:
		return fmt.Errorf("%w: JPEG 2000 in TIFF (compression %d) cannot be decoded", ErrUnsupported, c)
	case 34661:
		return fmt.Errorf("%w: JBIG in TIFF (compression %d) cannot be decoded", ErrUnsupported, c)
	}
	return fmt.Errorf("%w: TIFF compression %d cannot be decoded", ErrUnsupported, c)
}

// maxBlocks bounds the strips or tiles of one page: far more than any real
// file has (one strip per row of a 200-megapixel scan is about 20 000).
const maxBlocks = 1 << 20

// tiffPage copies one page of a TIFF into a single-page TIFF and checks that
// it decodes. Its strips or tiles are checked against its size (blockLayout)
// before anything is copied, and its decoded size is taken from left.
// copied counts the bytes of the file's pages so far (strips, tiles, and
// fields such as an ICC profile): more than the file holds, give or take
// sharedSlack a page for a profile the pages share, means pages share their
// data, which no scanner writes and which would let a small file copy
// itself into pages many times its size. pageNo counts from 1.
func tiffPage(d *tiffIFD, lim Limits, left *decodeBudget, copied *uint64, pageNo uint64, what string) (Page, error) {
	corrupt := func(err error) (Page, error) {
		return Page{}, fmt.Errorf("pages: %s: %w: %v", what, ErrCorrupt, err)
	}
	w, err := d.uint(tagImageWidth, 0)
	if err != nil {
		return corrupt(err)
	}
	h, err := d.uint(tagImageLength, 0)
	if err != nil {
		return corrupt(err)
	}
	if err := lim.checkPixels(what, int64(w), int64(h)); err != nil {
		return Page{}, err
	}
	if err := tiffCompression(d); err != nil {
		if errors.Is(err, ErrUnsupported) {
			return Page{}, fmt.Errorf("pages: %s: %w", what, err)
		}
		return corrupt(err)
	}
	spp, err := d.uint(tagSamplesPerPixel, 1)
	if err != nil {
		return corrupt(err)
	}
	if planar, err := d.uint(tagPlanarConfig, 1); err != nil {
		return corrupt(err)
	} else if planar == 2 && spp > 1 {
		return Page{}, fmt.Errorf("pages: %s: %w: separate colour planes (PlanarConfiguration 2) cannot be decoded", what, ErrUnsupported)
	}

	bps, err := d.uint(tagBitsPerSample, 1)
	if err != nil {
		return corrupt(err)
	}
	if bps == 0 || bps > 32 || spp == 0 || spp > 16 {
		return corrupt(fmt.Errorf("%d samples of %d bits a pixel", spp, bps))
	}
	if err := left.take(what, int64(w), int64(h), int64((spp*bps+7)/8)); err != nil {
		return Page{}, err
	}

	offTag, cntTag := uint16(tagStripOffsets), uint16(tagStripByteCounts)
	if d.find(tagTileWidth) != nil {
		offTag, cntTag = tagTileOffsets, tagTileByteCounts
	}
	offs, err := d.uints(offTag, maxBlocks)
	if err != nil {
		return corrupt(err)
	}
	cnts, err := d.uints(cntTag, maxBlocks)
	if err != nil {
		return corrupt(err)
	}
	if len(offs) == 0 || len(offs) != len(cnts) {
		return corrupt(fmt.Errorf("%d strip or tile offsets but %d byte counts", len(offs), len(cnts)))
	}
	if err := blockLayout(d, w, h, spp*bps, offs, cnts, lim, what); err != nil {
		return Page{}, err
	}
	blocks := make([][]byte, len(offs))
	for i, o := range offs {
		blocks[i] = d.t.data[o : o+cnts[i]]
		*copied += cnts[i]
	}
	var entries []tiffOut
	for _, e := range d.entries {
		if !copiedTags[e.tag] {
			continue
		}
		if e.val == nil {
			return corrupt(fmt.Errorf("tag %d: values outside the file", e.tag))
		}
		entries = append(entries, tiffOut{tag: e.tag, typ: e.typ, count: e.count, val: e.val})
		*copied += uint64(len(e.val))
	}
	if *copied > pageNo*sharedSlack+uint64(len(d.t.data)) {
		return corrupt(fmt.Errorf("the pages' strips, tiles and fields come to %d bytes, more than the file's %d: pages share them", *copied, len(d.t.data)))
	}
	out := writeTIFF(d.t.bo, entries, offTag, cntTag, blocks)
	// The header is checked by the decoder the worker will use (colour
	// model, samples, bits); the compressed data is decoded only by the
	// worker, which fails the document if it is damaged.
	if _, err := tiff.DecodeConfig(bytes.NewReader(out)); err != nil {
		return Page{}, decodeError(what, "tiff", err)
	}
	dx, dy := d.dpi()
	comp, _ := d.uint(tagCompression, 1)
	photometric, _ := d.uint(tagPhotometric, 0)
	if (comp == 3 || comp == 4) && photometric == 1 {
		img, err := decodeTIFF(out)
		if err != nil {
			return Page{}, decodeError(what, "tiff", err)
		}
		// CCITT data with BlackIsZero: libtiff (and so leptonica) shows
		// coded black runs as white, x/image/tiff shows them as black. The
		// two readers of the blob must agree, so this page is decoded and
		// written, losslessly, as a 1-bit PNG of what libtiff shows.
		g, ok := img.(*image.Gray)
		if !ok {
			return corrupt(fmt.Errorf("CCITT page decoded as %T", img))
		}
		for i, v := range g.Pix {
			g.Pix[i] = ^v
		}
		b, err := encodePNG(toBilevel(g), dx, dy)
		if err != nil {
			return corrupt(err)
		}
		return Page{Data: b, Format: PNG, Width: int(w), Height: int(h), DPIX: dx, DPIY: dy}, nil
	}
	return Page{Data: out, Format: TIFF, Width: int(w), Height: int(h), DPIX: dx, DPIY: dy}, nil
}

// Bounds on the compressed data of a TIFF page, against its decoded size.
// The worst real expansion is CCITT on noise: a run of one pixel costs up
// to 7 bits in G4 and 9 in G3, and a G3 row may end in a padded 2-byte EOL;
// LZW and PackBits expand by at most half, Deflate by a thousandth.
const (
	maxExpansion = 8       // compressed bytes per byte of samples
	rowAllowance = 4       // bytes per row (EOLs, padding)
	blockSlack   = 64      // bytes per strip or tile (codec headers, EOFB)
	pageSlack    = 1 << 20 // bytes per page
	// sharedSlack is how much of the file's bytes each page may share with
	// others: an ICC profile or XMP written once for all pages.
	sharedSlack = 64 << 10
)

// blockLayout checks a page's strips or tiles before any is copied: as many
// as its size needs (no more strips than rows), each inside the file, none
// sharing bytes with another, and together no larger than maxExpansion
// times the page's samples. A file that breaks these rules is either
// damaged or built to make its pages cost far more than the file: the strip
// bomb, thousands of strips that all point at the same bytes, would copy a
// 300 KB file into a page of a gigabyte.
func blockLayout(d *tiffIFD, w, h, bitsPerPixel uint64, offs, cnts []uint64, lim Limits, what string) error {
	corrupt := func(format string, a ...any) error {
		return fmt.Errorf("pages: %s: %w: %s", what, ErrCorrupt, fmt.Sprintf(format, a...))
	}
	var want, rows uint64 // blocks the size needs, rows of samples they hold
	rowBytes := (w*bitsPerPixel + 7) / 8
	// plain(i) is how many bytes block i holds when it is not compressed.
	var plain func(i int) uint64
	if d.find(tagTileWidth) != nil {
		tw, err := d.uint(tagTileWidth, 0)
		if err != nil {
			return corrupt("%v", err)
		}
		th, err := d.uint(tagTileLength, 0)
		if err != nil {
			return corrupt("%v", err)
		}
		if tw == 0 || th == 0 || tw > 1<<20 || th > 1<<20 {
			return corrupt("tiles of %dx%d", tw, th)
		}
		across, down := (w+tw-1)/tw, (h+th-1)/th
		if int64(across*tw)*int64(down*th) > 2*lim.MaxPixels {
			return fmt.Errorf("pages: %s: %w: tiles of %dx%d pad the image of %dx%d pixels beyond the limit",
				what, ErrTooLarge, tw, th, w, h)
		}
		want, rows = across*down, down*th
		rowBytes = (across*tw*bitsPerPixel + 7) / 8
		plain = func(int) uint64 { return (tw*bitsPerPixel + 7) / 8 * th }
		if uint64(len(offs)) != want {
			return corrupt("%d tiles, but an image of %dx%d in tiles of %dx%d has %d", len(offs), w, h, tw, th, want)
		}
	} else {
		rps, err := d.uint(tagRowsPerStrip, h)
		if err != nil {
			return corrupt("%v", err)
		}
		if rps == 0 || rps > h {
			rps = h // 2^32-1, the default, means one strip
		}
		if uint64(len(offs)) > h {
			return corrupt("%d strips for %d rows: more strips than rows", len(offs), h)
		}
		want, rows = (h+rps-1)/rps, h
		plain = func(i int) uint64 { return min(rps, h-uint64(i)*rps) * rowBytes }
		if uint64(len(offs)) != want {
			return corrupt("%d strips, but %d rows at %d rows a strip make %d", len(offs), h, rps, want)
		}
	}

	comp, err := d.uint(tagCompression, 1)
	if err != nil {
		return corrupt("%v", err)
	}
	uncompressed := comp == 1
	size := uint64(len(d.t.data))
	type span struct{ off, n uint64 }
	spans := make([]span, 0, len(offs))
	var total uint64
	for i, o := range offs {
		if o > size || cnts[i] > size-o {
			return corrupt("strip or tile %d (%d bytes at offset %d) runs past the end of the file (%d bytes)",
				i+1, cnts[i], o, size)
		}
		// Uncompressed samples cannot be fewer than the block's pixels: the
		// decoder would refuse the page only in the worker.
		if uncompressed && cnts[i] < plain(i) {
			return corrupt("strip or tile %d holds %d bytes of uncompressed samples, fewer than the %d its pixels need",
				i+1, cnts[i], plain(i))
		}
		total += cnts[i]
		if cnts[i] > 0 {
			spans = append(spans, span{o, cnts[i]})
		}
	}
	if limit := maxExpansion*rowBytes*rows + rowAllowance*rows + blockSlack*want + pageSlack; total > limit {
		return corrupt("%d bytes of strips or tiles for an image of %dx%d, more than the %d that image could take", total, w, h, limit)
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.off, b.off) })
	for i := 1; i < len(spans); i++ {
		if prev := spans[i-1]; spans[i].off < prev.off+prev.n {
			return corrupt("strips or tiles share bytes (%d bytes at offset %d overlap %d bytes at offset %d)",
				spans[i].n, spans[i].off, prev.n, prev.off)
		}
	}
	return nil
}

// decodeTIFF decodes the first image of a TIFF with x/image/tiff, as the OCR
// worker will.
func decodeTIFF(b []byte) (image.Image, error) {
	return tiff.Decode(bytes.NewReader(b))
}

func isTIFFUnsupported(err error) bool {
	var u tiff.UnsupportedError
	return errors.As(err, &u)
}

// tiffOut is one field of a TIFF being written, its values already encoded
// in the byte order of the file.
type tiffOut struct {
	tag, typ uint16
	count    uint32
	val      []byte
}

// writeTIFF writes a single-image TIFF: the header, one IFD with the given
// entries (sorted by tag, duplicates dropped) plus offTag and cntTag
// pointing at the blocks (strips or tiles), the entries' out-of-line values,
// then the blocks. Every value and block starts on an even offset.
func writeTIFF(bo binary.ByteOrder, entries []tiffOut, offTag, cntTag uint16, blocks [][]byte) []byte {
	entries = slices.DeleteFunc(slices.Clone(entries), func(e tiffOut) bool { return e.tag == offTag || e.tag == cntTag })
	counts := make([]byte, 4*len(blocks))
	for i, b := range blocks {
		bo.PutUint32(counts[4*i:], uint32(len(b)))
	}
	offsets := make([]byte, 4*len(blocks)) // filled in below
	entries = append(entries,
		tiffOut{tag: offTag, typ: typeLong, count: uint32(len(blocks)), val: offsets},
		tiffOut{tag: cntTag, typ: typeLong, count: uint32(len(blocks)), val: counts})
	slices.SortStableFunc(entries, func(a, b tiffOut) int { return int(a.tag) - int(b.tag) })
	entries = slices.CompactFunc(entries, func(a, b tiffOut) bool { return a.tag == b.tag })

	even := func(n int) int { return n + n&1 }
	pos := even(8 + 2 + 12*len(entries) + 4)
	valPos := make([]int, len(entries))
	for i, e := range entries {
		if len(e.val) > 4 {
			valPos[i] = pos
			pos = even(pos + len(e.val))
		}
	}
	blockPos := make([]int, len(blocks))
	for i, b := range blocks {
		blockPos[i] = pos
		bo.PutUint32(offsets[4*i:], uint32(pos))
		pos = even(pos + len(b))
	}

	out := make([]byte, pos)
	if bo == binary.ByteOrder(binary.BigEndian) {
		copy(out, "MM\x00*")
	} else {
		copy(out, "II*\x00")
	}
	bo.PutUint32(out[4:], 8)
	bo.PutUint16(out[8:], uint16(len(entries)))
	for i, e := range entries {
		p := out[10+12*i:]
		bo.PutUint16(p[0:], e.tag)
		bo.PutUint16(p[2:], e.typ)
		bo.PutUint32(p[4:], e.count)
		if len(e.val) <= 4 {
			copy(p[8:12], e.val)
		} else {
			bo.PutUint32(p[8:], uint32(valPos[i]))
			copy(out[valPos[i]:], e.val)
		}
	}
	// The next-IFD offset after the entries stays 0: one image only.
	for i, b := range blocks {
		copy(out[blockPos[i]:], b)
	}
	return out
}

// tiffShort, tiffLong and tiffRational make fields for a TIFF written from
// scratch, in little-endian order.
func tiffShort(tag uint16, v uint16) tiffOut {
	return tiffOut{tag: tag, typ: typeShort, count: 1, val: binary.LittleEndian.AppendUint16(nil, v)}
}

func tiffLong(tag uint16, v uint32) tiffOut {
	return tiffOut{tag: tag, typ: typeLong, count: 1, val: binary.LittleEndian.AppendUint32(nil, v)}
}

func tiffRational(tag uint16, num, den uint32) tiffOut {
	b := binary.LittleEndian.AppendUint32(nil, num)
	return tiffOut{tag: tag, typ: typeRational, count: 1, val: binary.LittleEndian.AppendUint32(b, den)}
}
