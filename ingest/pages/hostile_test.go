package pages

import (
	"bytes"
	"compress/zlib"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/ingest/pages/pagestest"
)

// splitMeasured runs Split and reports what it allocated meanwhile (all of
// it, freed or not) and the most the heap grew.
func splitMeasured(data []byte, lim Limits) (pages []Page, err error, alloc, heap uint64) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, pages, err = Split(data, lim)
	runtime.ReadMemStats(&after)
	alloc = after.TotalAlloc - before.TotalAlloc
	if after.HeapInuse > before.HeapInuse {
		heap = after.HeapInuse - before.HeapInuse
	}
	return pages, err, alloc, heap
}

// The strip bomb of the attack: 294 KB whose 4,000 strips all point at the
// same 256 KiB. Split used to copy every strip into the page, a gigabyte,
// and the worker then ran out of memory on it at every restart. It must be
// refused, as corrupt and permanently, without allocating anything like it.
func TestStripBomb(t *testing.T) {
	bomb := pagestest.StripBomb()
	if len(bomb) > 300_000 {
		t.Fatalf("the bomb is %d bytes, not the attacker's 294 KB", len(bomb))
	}
	pages, err, alloc, heap := splitMeasured(bomb, Limits{})
	t.Logf("bomb of %d bytes: allocated %d KiB, heap grew %d KiB, err: %v", len(bomb), alloc>>10, heap>>10, err)
	if !errors.Is(err, ErrCorrupt) || pages != nil {
		t.Fatalf("Split = %d pages, %v; want ErrCorrupt", len(pages), err)
	}
	if !strings.Contains(err.Error(), "share bytes") {
		t.Errorf("the reason does not say what is wrong: %v", err)
	}
	if alloc > 32<<20 {
		t.Errorf("refusing the bomb allocated %d MiB", alloc>>20)
	}
	// Permanent: the same bytes fail the same way.
	if _, _, err2 := Split(bomb, Limits{}); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("second Split: %v, first: %v", err2, err)
	}
}

// Each hostile file is refused from its header with the kind of error and
// the reason a clerk's IT can act on, and without allocating what it claims.
func TestHostileFiles(t *testing.T) {
	for _, tt := range []struct {
		name   string
		data   []byte
		lim    Limits
		kind   error
		reason string
	}{
		{"strip bomb", pagestest.StripBomb(), Limits{}, ErrCorrupt, "share bytes"},
		{"strips past the end", pagestest.StripsPastEOF(), Limits{}, ErrCorrupt, "runs past the end of the file"},
		{"more strips than rows", pagestest.MoreStripsThanRows(), Limits{}, ErrCorrupt, "more strips than rows"},
		{"compressed data too large for the page", pagestest.Oversized(), Limits{}, ErrCorrupt, "more than the"},
		{"pages sharing one strip", pagestest.SharedAcrossPages(50), Limits{}, ErrCorrupt, "pages share them"},
		{"1000 pages of 100 Mpx", pagestest.ManyHugePages(1000, 10000, 10000), Limits{}, ErrTooLarge, "limit for one file"},
		{"budget of a smaller limit", pagestest.ManyHugePages(3, 1000, 1000), Limits{MaxDecodedBytes: 2_500_000}, ErrTooLarge, "tiff page 3"},
		{"196 Mpx PNG", pagestest.PNGHeader(14000, 14000), Limits{}, ErrTooLarge, "exceeds the limit"},
		{"TIFF page over the pixel limit", pagestest.ManyHugePages(1, 12000, 12000), Limits{}, ErrTooLarge, "exceeds the limit"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pages, err, alloc, _ := splitMeasured(tt.data, tt.lim)
			if !errors.Is(err, tt.kind) || pages != nil {
				t.Fatalf("Split = %d pages, %v; want %v", len(pages), err, tt.kind)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("reason %q does not say %q", err, tt.reason)
			}
			if limit := uint64(len(tt.data)) + 16<<20; alloc > limit {
				t.Errorf("allocated %d MiB for a file of %d KiB", alloc>>20, len(tt.data)>>10)
			}
		})
	}
}

// The files that stop just short of each bound still pass, so that the
// bounds above are not refusing everything.
func TestHostileBoundsKeepGoodFiles(t *testing.T) {
	for _, tt := range []struct {
		name string
		data []byte
		lim  Limits
	}{
		{"three pages within a budget", pagestest.ManyHugePages(3, 1000, 1000), Limits{MaxDecodedBytes: 3_000_000}},
		{"a page at the pixel limit", pagestest.ManyHugePages(1, 1<<14, 1<<13), Limits{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, pages, err := Split(tt.data, tt.lim); err != nil || len(pages) == 0 {
				t.Fatalf("Split = %d pages, %v", len(pages), err)
			}
		})
	}
}

// zeros is n zero bytes compressed with zlib, written a block at a time so
// that the test does not hold n bytes either.
func zeros(t *testing.T, n int) []byte {
	var b bytes.Buffer
	z := zlib.NewWriter(&b)
	block := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, len(block))
		if _, err := z.Write(block[:k]); err != nil {
			t.Fatal(err)
		}
		n -= k
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A Flate image in a PDF that inflates far past its declared size (a zip
// bomb: 256 MiB of zeros for a 1000 × 1000 grey image) is refused without
// being inflated whole: decoding stops at what the image's size needs.
func TestPDFFlateBomb(t *testing.T) {
	bomb := onePagePDF("/Width 1000 /Height 1000 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", zeros(t, 256<<20), 0)
	pages, err, alloc, _ := splitMeasured(bomb, Limits{})
	t.Logf("PDF of %d KiB inflating to 256 MiB: allocated %d MiB, err: %v", len(bomb)>>10, alloc>>20, err)
	if !errors.Is(err, ErrCorrupt) || pages != nil {
		t.Fatalf("Split = %d pages, %v; want ErrCorrupt", len(pages), err)
	}
	if alloc > 32<<20 {
		t.Errorf("refusing the bomb allocated %d MiB", alloc>>20)
	}
}

// The decoded-bytes budget counts PDF pages too, by their samples: three
// 1000 × 1000 RGB pages are 9 MB, over a budget of 8 MB at the third.
func TestPDFBudget(t *testing.T) {
	var w pdfWriter
	rgb := w.image("/Width 1000 /Height 1000 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /FlateDecode", zeros(t, 3_000_000))
	page := testPDFPage{content: fullPage, xobjects: map[string]int{"Im0": rgb}}
	file := w.finish([]testPDFPage{page, page, page}, "")
	if _, pages, err := Split(file, Limits{MaxDecodedBytes: 9_000_000}); err != nil || len(pages) != 3 {
		t.Fatalf("within the budget: %d pages, %v", len(pages), err)
	}
	_, _, err := Split(file, Limits{MaxDecodedBytes: 8_000_000})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "pdf page 3") {
		t.Fatalf("over the budget: %v; want ErrTooLarge at page 3", err)
	}
}

// Strips fewer than the rows need, and tiles more than the size needs, are
// as inconsistent as more strips than rows.
func TestBlockCountsMatchTheSize(t *testing.T) {
	few := pagestest.Page{Width: 100, Height: 10, RowsPerStrip: 2,
		Strips: []pagestest.Block{{Off: 0, Count: 200}, {Off: 200, Count: 200}}}
	_, _, err := Split(pagestest.Build(make([]byte, 400), []pagestest.Page{few}), Limits{})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "2 strips, but 10 rows at 2 rows a strip make 5") {
		t.Errorf("too few strips: %v", err)
	}
	g := testGray(20, 18)
	tiled := tiledGrayIFD(g) // 2x2 tiles of 16x16
	tiled.blocks = append(tiled.blocks, tiled.blocks[0])
	data, _, _ := buildTestTIFF(leBO, []tIFD{tiled})
	_, _, err = Split(data, Limits{})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "5 tiles, but an image of 20x18 in tiles of 16x16 has 4") {
		t.Errorf("too many tiles: %v", err)
	}
}
