package pages

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/ingest/pages/pagestest"
	"github.com/sohoa/sohoa/internal/tiff"
)

// FuzzSplit feeds Split arbitrary bytes, starting from small valid files of
// every format. Split must not panic (a panic recovered from a third-party
// decoder is tolerated, one from this package is a bug), must return one of
// the documented errors, and every page it returns must decode to its
// declared size, and no one input may take over 10 s.
//
//	go test -fuzz=FuzzSplit -fuzztime=60s ./ingest/pages/
func FuzzSplit(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	// Hostile files near the bounds (small ones: the fuzzer mutates them).
	f.Add(pagestest.MoreStripsThanRows())
	f.Add(pagestest.ManyHugePages(3, 64, 64))
	f.Add(pagestest.ManyHugePages(3, 2048, 2048)) // over the budget at page 3
	sentinels := []error{ErrUnsupported, ErrCorrupt, ErrEncrypted, ErrTooLarge, ErrNoImage}
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxPages: 16, MaxPixels: 1 << 21, MaxDecodedBytes: 1 << 23}
		start := time.Now()
		_, pages, err := Split(data, lim)
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("Split of %d bytes took %v", len(data), d) // a hang, not a speed
		}
		var pe *panicError
		if errors.As(err, &pe) {
			if where := panicSite(pe.stack); strings.Contains(where, "sohoa/ingest/pages.") {
				t.Fatalf("panic in this package: %v\n%s", pe.value, pe.stack)
			}
		}
		if err != nil {
			if pages != nil {
				t.Fatalf("pages and an error: %v", err)
			}
			known := false
			for _, s := range sentinels {
				known = known || errors.Is(err, s)
			}
			if !known {
				t.Fatalf("error wraps no sentinel: %v", err)
			}
			if !strings.HasPrefix(err.Error(), "pages: ") {
				t.Fatalf("error without context: %v", err)
			}
			return
		}
		if len(pages) == 0 || len(pages) > lim.MaxPages {
			t.Fatalf("%d pages", len(pages))
		}
		// What the pages may cost: no more pixels than the budget, and no
		// more bytes than the file gives (TIFF strips are copied, never
		// shared) or than a re-encoding of their pixels takes.
		var pixels, copied int64
		for i, p := range pages {
			n := int64(len(p.Data))
			pixels += int64(p.Width) * int64(p.Height)
			if limit := int64(len(data)) + 5*int64(p.Width)*int64(p.Height) + 1<<16; n > limit {
				t.Fatalf("page %d (%s, %dx%d) is %d bytes from a file of %d", i+1, p.Format, p.Width, p.Height, n, len(data))
			}
			if p.Format == TIFF {
				copied += n
			}
		}
		if pixels > lim.MaxDecodedBytes {
			t.Fatalf("the pages have %d pixels, over the budget of %d bytes", pixels, lim.MaxDecodedBytes)
		}
		if limit := int64(len(data)) + int64(len(pages))*(sharedSlack+4096); copied > limit {
			t.Fatalf("the TIFF pages come to %d bytes from a file of %d", copied, len(data))
		}
		for i, p := range pages {
			var (
				cfg image.Config
				err error
			)
			switch p.Format {
			case JPEG:
				cfg, err = jpeg.DecodeConfig(bytes.NewReader(p.Data))
			case PNG:
				cfg, err = png.DecodeConfig(bytes.NewReader(p.Data))
			case TIFF:
				var img image.Image
				if img, err = decodeTIFF(p.Data); err == nil {
					cfg.Width, cfg.Height = img.Bounds().Dx(), img.Bounds().Dy()
				}
			default:
				t.Fatalf("page %d: format %q", i+1, p.Format)
			}
			if err != nil {
				t.Fatalf("page %d (%s) does not decode: %v", i+1, p.Format, err)
			}
			if cfg.Width != p.Width || cfg.Height != p.Height {
				t.Fatalf("page %d: %dx%d, Page says %dx%d", i+1, cfg.Width, cfg.Height, p.Width, p.Height)
			}
			if int64(p.Width)*int64(p.Height) > lim.MaxPixels {
				t.Fatalf("page %d: %dx%d exceeds the pixel limit", i+1, p.Width, p.Height)
			}
		}
	})
}

// panicSite returns the first frame of a panic's stack that is not in the
// runtime: the function that panicked.
func panicSite(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "panic(") {
			continue
		}
		for _, l := range lines[i+1:] {
			if l == "" || strings.HasPrefix(l, "\t") || strings.HasPrefix(l, "runtime.") {
				continue
			}
			return l
		}
	}
	return ""
}

// fuzzSeeds are small valid files of every kind Split reads.
func fuzzSeeds(t testing.TB) [][]byte {
	g := testGray(12, 10)
	bwImg := bw(13, 9)
	le, _, _ := buildTestTIFF(leBO, []tIFD{
		grayIFD(g, 4, tEntry{tiff.TagXResolution, tiff.TypeRational, []uint32{300, 1}}),
		grayIFD(testGray(4, 3), 3, tEntry{tiff.TagNewSubfileType, tiff.TypeLong, []uint32{1}}),
		grayIFD(testGray(5, 7), 7),
	})
	g4, _ := tinyG4()
	g4p := g4Page{w: 16, h: 8, strip: g4}
	be, _, _ := buildTestTIFF(beBO, []tIFD{tiledGrayIFD(testGray(20, 18)), g4IFD(g4p, 0), grayIFD(g, 10)})
	g4Dict := "/Width 16 /Height 8 /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 16 /Rows 8 %s >>"
	withJPEG := func(rotate int) []byte {
		return onePagePDF("/Width 12 /Height 10 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /DCTDecode", encodeTestJPEG(t, g), rotate)
	}
	var w pdfWriter
	sc := w.image("/Width 13 /Height 9 /BitsPerComponent 1 /ColorSpace /DeviceGray /Decode [1 0] /Filter /FlateDecode", flateBytes(t, pack1(bwImg)))
	st := w.image("/Width 3 /Height 3 /BitsPerComponent 8 /ColorSpace [/Indexed /DeviceRGB 1 <FF000000FF00>]", make([]byte, 9))
	form := w.add(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Matrix [612 0 0 792 0 0] /Resources << /XObject << /S %d 0 R >> >>", sc), []byte("/S Do"))
	forms := w.finish([]testPDFPage{
		{content: "q /F Do Q q 20 0 0 20 5 5 cm /T Do Q", xobjects: map[string]int{"F": form, "T": st}, rotate: 90},
		{content: "q 0 -792 612 0 0 792 cm /S Do Q", xobjects: map[string]int{"S": sc}},
	}, "")
	return [][]byte{
		encodeTestJPEG(t, g),
		encodeTestPNG(t, g),
		encodeTestPNG(t, toBilevel(bwImg)),
		le,
		be,
		withJPEG(0),
		withJPEG(270),
		onePagePDF("/Width 12 /Height 10 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", flateBytes(t, g.Pix), 0),
		onePagePDF(fmt.Sprintf(g4Dict, ""), g4, 0),
		onePagePDF(fmt.Sprintf(g4Dict, "/BlackIs1 true"), g4, 180),
		forms,
	}
}

// TestFuzzSeeds: every seed of the fuzzer is a good file (so the fuzzer
// starts from files that get deep into the code).
func TestFuzzSeeds(t *testing.T) {
	for i, s := range fuzzSeeds(t) {
		if _, pages, err := Split(s, Limits{}); err != nil || len(pages) == 0 {
			t.Errorf("seed %d: %d pages, %v", i, len(pages), err)
		}
	}
}

// TestPanicSite: the fuzzer tells this package's panics from others'.
func TestPanicSite(t *testing.T) {
	var stack []byte
	func() {
		defer func() {
			if r := recover(); r != nil {
				stack = debug.Stack()
			}
		}()
		var s []int
		_ = s[len(s)+1] // index out of range, in this package
	}()
	if got := panicSite(stack); !strings.Contains(got, "sohoa/ingest/pages.") {
		t.Errorf("panicSite = %q\n%s", got, stack)
	}
}
