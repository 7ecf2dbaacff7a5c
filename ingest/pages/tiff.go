package pages

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"image"
	"slices"

	xtiff "golang.org/x/image/tiff"

	"github.com/sohoa/sohoa/internal/tiff"
)

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

// tiffDPI returns the resolution in dots per inch, or zeros if the IFD gives none
// or gives it without a unit.
func tiffDPI(d *tiff.IFD) (x, y float64) {
	unit, err := d.Uint(tiff.TagResolutionUnit, 2)
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
	return roundDPI(d.Rational(tiff.TagXResolution) * f), roundDPI(d.Rational(tiff.TagYResolution) * f)
}

// pageIFDs walks the IFD chain and returns the IFDs of the pages, skipping
// reduced-resolution images. SubIFDs are never followed.
func pageIFDs(t *tiff.File, lim Limits) ([]*tiff.IFD, error) {
	maxIFDs := 4*lim.MaxPages + 16
	var out []*tiff.IFD
	err := t.Walk(maxIFDs, func(_ int, d *tiff.IFD) error {
		if d.Reduced() {
			return nil
		}
		out = append(out, d)
		if len(out) > lim.MaxPages {
			return fmt.Errorf("pages: tiff: %w: more than %d pages", ErrTooLarge, lim.MaxPages)
		}
		return nil
	})
	switch {
	case errors.Is(err, tiff.ErrTooMany):
		return nil, fmt.Errorf("pages: tiff: %w: %v", ErrTooLarge, err)
	case errors.Is(err, tiff.ErrLoop):
		return nil, fmt.Errorf("pages: tiff: %w: %v", ErrCorrupt, err)
	case errors.Is(err, ErrTooLarge):
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("pages: tiff: %w: %v", ErrCorrupt, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("pages: tiff: %w: no full-resolution image", ErrCorrupt)
	}
	return out, nil
}

// splitTIFF returns one single-page TIFF per page of a TIFF file.
func splitTIFF(data []byte, lim Limits) ([]Page, error) {
	t, err := tiff.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("pages: tiff: %w: %v", ErrCorrupt, err)
	}
	ifds, err := pageIFDs(t, lim)
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
func tiffCompression(d *tiff.IFD) error {
	c, err := d.Uint(tiff.TagCompression, 1)
	if err != nil {
		return err
	}
	switch c {
	case 1, 4, 5, 8, 32773, 32946: // none, G4, LZW, Deflate, PackBits, old Deflate
		return nil
	case 3:
		t4, err := d.Uint(tiff.TagT4Options, 0)
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
func tiffPage(d *tiff.IFD, lim Limits, left *decodeBudget, copied *uint64, pageNo uint64, what string) (Page, error) {
	corrupt := func(err error) (Page, error) {
		return Page{}, fmt.Errorf("pages: %s: %w: %v", what, ErrCorrupt, err)
	}
	w, err := d.Uint(tiff.TagImageWidth, 0)
	if err != nil {
		return corrupt(err)
	}
	h, err := d.Uint(tiff.TagImageLength, 0)
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
	spp, err := d.Uint(tiff.TagSamplesPerPixel, 1)
	if err != nil {
		return corrupt(err)
	}
	if planar, err := d.Uint(tiff.TagPlanarConfig, 1); err != nil {
		return corrupt(err)
	} else if planar == 2 && spp > 1 {
		return Page{}, fmt.Errorf("pages: %s: %w: separate colour planes (PlanarConfiguration 2) cannot be decoded", what, ErrUnsupported)
	}

	bps, err := d.Uint(tiff.TagBitsPerSample, 1)
	if err != nil {
		return corrupt(err)
	}
	if bps == 0 || bps > 32 || spp == 0 || spp > 16 {
		return corrupt(fmt.Errorf("%d samples of %d bits a pixel", spp, bps))
	}
	if err := left.take(what, int64(w), int64(h), int64((spp*bps+7)/8)); err != nil {
		return Page{}, err
	}

	offTag, cntTag := uint16(tiff.TagStripOffsets), uint16(tiff.TagStripByteCounts)
	if d.Find(tiff.TagTileWidth) != nil {
		offTag, cntTag = tiff.TagTileOffsets, tiff.TagTileByteCounts
	}
	offs, err := d.Uints(offTag, maxBlocks)
	if err != nil {
		return corrupt(err)
	}
	cnts, err := d.Uints(cntTag, maxBlocks)
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
		blocks[i] = d.File.Data[o : o+cnts[i]]
		*copied += cnts[i]
	}
	var entries []tiff.Field
	for _, e := range d.Entries {
		if !copiedTags[e.Tag] {
			continue
		}
		if e.Val == nil {
			return corrupt(fmt.Errorf("tag %d: values outside the file", e.Tag))
		}
		entries = append(entries, tiff.Field{Tag: e.Tag, Type: e.Type, Count: e.Count, Val: e.Val})
		*copied += uint64(len(e.Val))
	}
	if *copied > pageNo*sharedSlack+uint64(len(d.File.Data)) {
		return corrupt(fmt.Errorf("the pages' strips, tiles and fields come to %d bytes, more than the file's %d: pages share them", *copied, len(d.File.Data)))
	}
	out, err := tiff.Write(d.File.Order, entries, offTag, cntTag, blocks)
	if err != nil {
		return corrupt(err)
	}
	// The header is checked by the decoder the worker will use (colour
	// model, samples, bits); the compressed data is decoded only by the
	// worker, which fails the document if it is damaged.
	if _, err := xtiff.DecodeConfig(bytes.NewReader(out)); err != nil {
		return Page{}, decodeError(what, "tiff", err)
	}
	dx, dy := tiffDPI(d)
	comp, _ := d.Uint(tiff.TagCompression, 1)
	photometric, _ := d.Uint(tiff.TagPhotometric, 0)
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
func blockLayout(d *tiff.IFD, w, h, bitsPerPixel uint64, offs, cnts []uint64, lim Limits, what string) error {
	corrupt := func(format string, a ...any) error {
		return fmt.Errorf("pages: %s: %w: %s", what, ErrCorrupt, fmt.Sprintf(format, a...))
	}
	var want, rows uint64 // blocks the size needs, rows of samples they hold
	rowBytes := (w*bitsPerPixel + 7) / 8
	// plain(i) is how many bytes block i holds when it is not compressed.
	var plain func(i int) uint64
	if d.Find(tiff.TagTileWidth) != nil {
		tw, err := d.Uint(tiff.TagTileWidth, 0)
		if err != nil {
			return corrupt("%v", err)
		}
		th, err := d.Uint(tiff.TagTileLength, 0)
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
		rps, err := d.Uint(tiff.TagRowsPerStrip, h)
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

	comp, err := d.Uint(tiff.TagCompression, 1)
	if err != nil {
		return corrupt("%v", err)
	}
	uncompressed := comp == 1
	size := uint64(len(d.File.Data))
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
	return xtiff.Decode(bytes.NewReader(b))
}

func isTIFFUnsupported(err error) bool {
	var u xtiff.UnsupportedError
	return errors.As(err, &u)
}
