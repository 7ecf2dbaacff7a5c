package pages

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/internal/tiff"
)

// outIFD parses the single IFD of a page's TIFF.
func outIFD(t testing.TB, p Page) *tiff.IFD {
	t.Helper()
	tf, err := tiff.Parse(p.Data)
	if err != nil {
		t.Fatal(err)
	}
	d, err := tf.ReadIFD(tf.First)
	if err != nil {
		t.Fatal(err)
	}
	if d.Next != 0 {
		t.Errorf("page TIFF has a next IFD at %d", d.Next)
	}
	return d
}

func TestSplitTIFFMultiPage(t *testing.T) {
	g4 := realG4(t)
	g4Img, err := decodeTIFF(g4.tiff)
	if err != nil {
		t.Fatal(err)
	}
	g4Gray := grayOf(g4Img)
	a, b, c := testGray(50, 40), testGray(31, 77), testGray(40, 33)
	thumb := testGray(8, 6)
	res := []tEntry{
		{tiff.TagXResolution, tiff.TypeRational, []uint32{400, 1}},
		{tiff.TagYResolution, tiff.TypeRational, []uint32{200, 1}},
		{tiff.TagResolutionUnit, tiff.TypeShort, []uint32{2}},
	}
	for _, bo := range []binary.ByteOrder{leBO, beBO} {
		t.Run(bo.String(), func(t *testing.T) {
			data, ifdAt, _ := buildTestTIFF(bo, []tIFD{
				grayIFD(a, 7, res...), // several strips, the last one short
				// A reduced-resolution copy of page 1: skipped.
				grayIFD(thumb, 6, tEntry{tiff.TagNewSubfileType, tiff.TypeLong, []uint32{1}}),
				g4IFD(g4, 0),
				// SubIFDs and EXIF pointers lead nowhere useful: dropped.
				grayIFD(b, 77, tEntry{330, tiff.TypeLong, []uint32{8}}, tEntry{34665, tiff.TypeLong, []uint32{8}},
					tEntry{tiff.TagResolutionUnit, tiff.TypeShort, []uint32{3}},
					tEntry{tiff.TagXResolution, tiff.TypeRational, []uint32{100, 1}},
					tEntry{tiff.TagYResolution, tiff.TypeRational, []uint32{100, 1}}),
				tiledGrayIFD(c),
			})
			if len(ifdAt) != 5 {
				t.Fatal("test TIFF not built")
			}
			f, pages, err := Split(data, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if f != TIFF || len(pages) != 4 {
				t.Fatalf("Split = %q, %d pages; want tiff, 4", f, len(pages))
			}
			for i, p := range pages {
				if p.Format != TIFF {
					t.Errorf("page %d format %q", i+1, p.Format)
				}
				if got := p.Data[:2]; string(got) != string(data[:2]) {
					t.Errorf("page %d byte order %q, source %q", i+1, got, data[:2])
				}
			}
			sameGray(t, "page 1", decodePage(t, pages[0]), a)
			sameGray(t, "page 2 (G4)", decodePage(t, pages[1]), g4Gray)
			sameGray(t, "page 3", decodePage(t, pages[2]), b)
			sameGray(t, "page 4 (tiled)", decodePage(t, pages[3]), c)

			if p := pages[0]; p.DPIX != 400 || p.DPIY != 200 {
				t.Errorf("page 1 dpi %v/%v, want 400/200", p.DPIX, p.DPIY)
			}
			if p := pages[1]; p.DPIX != 300 || p.DPIY != 300 || p.Width != g4.w || p.Height != g4.h {
				t.Errorf("page 2: %dx%d at %v/%v dpi", p.Width, p.Height, p.DPIX, p.DPIY)
			}
			if p := pages[2]; p.DPIX != 254 || p.DPIY != 254 {
				t.Errorf("page 3 dpi %v/%v, want 254 (100 per cm)", p.DPIX, p.DPIY)
			}
			if p := pages[3]; p.DPIX != 0 || p.DPIY != 0 {
				t.Errorf("page 4 dpi %v/%v, want unknown", p.DPIX, p.DPIY)
			}

			// The G4 page is still G4, its data copied byte for byte.
			d := outIFD(t, pages[1])
			if comp, _ := d.Uint(tiff.TagCompression, 1); comp != 4 {
				t.Errorf("G4 page has compression %d", comp)
			}
			if strips := tiffStrips(t, d); len(strips) != 1 || !bytes.Equal(strips[0], g4.strip) {
				t.Error("G4 strip not copied unchanged")
			}
			// Page 3 lost its pointers into the source file.
			d = outIFD(t, pages[2])
			for _, tag := range []uint16{330, 34665, tiff.TagNewSubfileType} {
				if d.Find(tag) != nil {
					t.Errorf("page 3 kept tag %d", tag)
				}
			}
			if strips := tiffStrips(t, outIFD(t, pages[0])); len(strips) != 6 {
				t.Errorf("page 1 has %d strips, want 6", len(strips))
			}
		})
	}
}

// TestSplitTIFFBlackIsZeroG4: libtiff and x/image/tiff disagree about CCITT
// data with PhotometricInterpretation 1, so such a page becomes a PNG of what
// libtiff shows: the inverse of the same data with WhiteIsZero.
func TestSplitTIFFBlackIsZeroG4(t *testing.T) {
	g4 := realG4(t)
	data, _, _ := buildTestTIFF(leBO, []tIFD{g4IFD(g4, 0), g4IFD(g4, 1)})
	_, pages, err := Split(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if pages[0].Format != TIFF || pages[1].Format != PNG {
		t.Fatalf("formats %s, %s; want tiff, png", pages[0].Format, pages[1].Format)
	}
	white := grayOf(decodePage(t, pages[0]))
	black := grayOf(decodePage(t, pages[1]))
	for i := range white.Pix {
		if white.Pix[i] != ^black.Pix[i] {
			t.Fatalf("pixel %d: %d vs %d, want inverse", i, white.Pix[i], black.Pix[i])
		}
	}
	if pages[1].DPIX != 300 {
		t.Errorf("png page dpi %v", pages[1].DPIX)
	}
}

func TestSplitTIFFErrors(t *testing.T) {
	g := testGray(20, 10)
	good, ifdAt, nextAt := buildTestTIFF(leBO, []tIFD{grayIFD(g, 5), grayIFD(g, 5), grayIFD(g, 5)})
	patch := func(at int, v uint32) []byte {
		b := bytes.Clone(good)
		binary.LittleEndian.PutUint32(b[at:], v)
		return b
	}
	withEntries := func(e ...tEntry) []byte {
		b, _, _ := buildTestTIFF(beBO, []tIFD{grayIFD(g, 5, e...)})
		return b
	}
	reducedOnly, _, _ := buildTestTIFF(leBO, []tIFD{grayIFD(g, 5, tEntry{tiff.TagNewSubfileType, tiff.TypeLong, []uint32{1}})})
	short := grayIFD(g, 5)
	short.blocks[1] = short.blocks[1][:40] // the second strip's 5 rows of 20 need 100 bytes
	shortStrip, _, _ := buildTestTIFF(leBO, []tIFD{short})
	mismatch := withEntries(tEntry{tiff.TagStripOffsets, tiff.TypeLong, []uint32{8, 8}}, tEntry{tiff.TagStripByteCounts, tiff.TypeLong, []uint32{10}})

	for _, tc := range []struct {
		name string
		data []byte
		lim  Limits
		want error
		says string
	}{
		{"IFD pointing to itself", patch(nextAt[0], uint32(ifdAt[0])), Limits{}, ErrCorrupt, "loop"},
		{"IFD loop of two", patch(nextAt[1], uint32(ifdAt[0])), Limits{}, ErrCorrupt, "loop"},
		{"IFD beyond the end", patch(nextAt[0], uint32(len(good)+100)), Limits{}, ErrCorrupt, "outside"},
		{"first IFD absurd", patch(4, 0xFFFFFFF0), Limits{}, ErrCorrupt, "outside"},
		{"no IFD", patch(4, 0), Limits{}, ErrCorrupt, "no full-resolution"},
		{"cut in half", good[:len(good)/2], Limits{}, ErrCorrupt, ""},
		{"header only", good[:8], Limits{}, ErrCorrupt, ""},
		{"magic only", good[:4], Limits{}, ErrCorrupt, ""},
		{"only a thumbnail", reducedOnly, Limits{}, ErrCorrupt, "no full-resolution"},
		{"too many pages", good, Limits{MaxPages: 2}, ErrTooLarge, "more than 2 pages"},
		{"too many pixels", good, Limits{MaxPixels: 199}, ErrTooLarge, ""},
		{"huge dimensions", withEntries(tEntry{tiff.TagImageWidth, tiff.TypeLong, []uint32{1 << 30}}), Limits{}, ErrTooLarge, ""},
		{"strip beyond the end", withEntries(tEntry{tiff.TagStripOffsets, tiff.TypeLong, []uint32{8, 1 << 20}}, tEntry{tiff.TagStripByteCounts, tiff.TypeLong, []uint32{100, 100}}), Limits{}, ErrCorrupt, "past the end"},
		{"uncompressed strip too short", shortStrip, Limits{}, ErrCorrupt, "strip or tile 2 holds 40 bytes of uncompressed samples, fewer than the 100"},
		{"strip count mismatch", mismatch, Limits{}, ErrCorrupt, "byte counts"},
		{"zero width", withEntries(tEntry{tiff.TagImageWidth, tiff.TypeLong, []uint32{0}}), Limits{}, ErrCorrupt, ""},
		{"JPEG-in-TIFF", withEntries(tEntry{tiff.TagCompression, tiff.TypeShort, []uint32{7}}), Limits{}, ErrUnsupported, "JPEG-in-TIFF (compression 7)"},
		{"old JPEG", withEntries(tEntry{tiff.TagCompression, tiff.TypeShort, []uint32{6}}), Limits{}, ErrUnsupported, "JPEG-in-TIFF"},
		{"modified Huffman", withEntries(tEntry{tiff.TagCompression, tiff.TypeShort, []uint32{2}}), Limits{}, ErrUnsupported, "compression 2"},
		{"G3 2-D", withEntries(tEntry{tiff.TagCompression, tiff.TypeShort, []uint32{3}}, tEntry{tiff.TagT4Options, tiff.TypeLong, []uint32{1}}), Limits{}, ErrUnsupported, "2-D"},
		{"JPEG 2000", withEntries(tEntry{tiff.TagCompression, tiff.TypeShort, []uint32{34712}}), Limits{}, ErrUnsupported, "JPEG 2000"},
		{"CMYK", withEntries(tEntry{tiff.TagPhotometric, tiff.TypeShort, []uint32{5}}), Limits{}, ErrUnsupported, ""},
		{"4 bits per sample", withEntries(tEntry{tiff.TagBitsPerSample, tiff.TypeShort, []uint32{4}}), Limits{}, ErrUnsupported, ""},
		{"planar RGB", withEntries(tEntry{tiff.TagSamplesPerPixel, tiff.TypeShort, []uint32{3}}, tEntry{tiff.TagPlanarConfig, tiff.TypeShort, []uint32{2}}), Limits{}, ErrUnsupported, "PlanarConfiguration"},
		{"garbage G4 data", withEntries(tEntry{tiff.TagCompression, tiff.TypeShort, []uint32{4}}, tEntry{tiff.TagBitsPerSample, tiff.TypeShort, []uint32{1}}), Limits{}, ErrCorrupt, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, pages, err := Split(tc.data, tc.lim)
			if !errors.Is(err, tc.want) || pages != nil {
				t.Fatalf("Split: %d pages, %v; want %v", len(pages), err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
			t.Log(err)
			if !strings.HasPrefix(err.Error(), "pages: tiff") {
				t.Errorf("error %q does not start with pages: tiff", err)
			}
		})
	}
}

// TestWriteTIFFSortsAndAligns: x/image/tiff wants tags in ascending order;
// readers like values on even offsets.
func TestWriteTIFFSortsAndAligns(t *testing.T) {
	g := testGray(3, 3) // 9-byte strips: odd lengths
	entries := []tiff.Field{
		tiff.Short(tiff.TagPhotometric, 1), tiff.Long(tiff.TagImageLength, 3), tiff.Long(tiff.TagImageWidth, 3),
		tiff.Short(tiff.TagBitsPerSample, 8), tiff.Rational(tiff.TagXResolution, 72, 1), tiff.Short(tiff.TagCompression, 1),
		tiff.Long(tiff.TagRowsPerStrip, 1),
	}
	out, err := tiff.Write(leBO, entries, tiff.TagStripOffsets, tiff.TagStripByteCounts,
		[][]byte{g.Pix[0:3], g.Pix[3:6], g.Pix[6:9]})
	if err != nil {
		t.Fatal(err)
	}
	img, err := decodeTIFF(out)
	if err != nil {
		t.Fatal(err)
	}
	sameGray(t, "written", img, g)
	d := outIFD(t, Page{Data: out})
	for i := 1; i < len(d.Entries); i++ {
		if d.Entries[i].Tag <= d.Entries[i-1].Tag {
			t.Fatalf("tags out of order: %d after %d", d.Entries[i].Tag, d.Entries[i-1].Tag)
		}
	}
	offs, _ := d.Uints(tiff.TagStripOffsets, 10)
	for _, o := range offs {
		if o%2 != 0 {
			t.Errorf("strip at odd offset %d", o)
		}
	}
}

func TestTinyG4(t *testing.T) {
	data, want := tinyG4()
	p := g4Page{w: 16, h: 8, strip: data}
	for _, bo := range []binary.ByteOrder{leBO, beBO} {
		b, _, _ := buildTestTIFF(bo, []tIFD{g4IFD(p, 0)})
		_, pages, err := Split(b, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		sameGray(t, "tiny G4 "+bo.String(), decodePage(t, pages[0]), want)
	}
}
