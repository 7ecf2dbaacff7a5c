package pages

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"runtime"
	"testing"

	"github.com/sohoa/sohoa/internal/tiff"
)

func TestSplitJPEGAndPNG(t *testing.T) {
	gray, rgb := testGray(64, 48), testRGB(40, 30)
	jpegWithDensity, err := encodeJPEG(gray, 200, 200)
	if err != nil {
		t.Fatal(err)
	}
	pngWithPHYs, err := encodePNG(rgb, 300, 300)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		data       []byte
		format     Format
		w, h       int
		dpiX, dpiY float64
	}{
		{"jpeg gray", encodeTestJPEG(t, gray), JPEG, 64, 48, 0, 0},
		{"jpeg rgb", encodeTestJPEG(t, rgb), JPEG, 40, 30, 0, 0},
		{"jpeg with JFIF density", jpegWithDensity, JPEG, 64, 48, 200, 200},
		{"jpeg with EXIF resolution", jpegWithEXIF(t, encodeTestJPEG(t, gray), 240), JPEG, 64, 48, 240, 240},
		{"png gray", encodeTestPNG(t, gray), PNG, 64, 48, 0, 0},
		{"png rgb with pHYs", pngWithPHYs, PNG, 40, 30, 300, 300},
		{"png 1-bit", encodeTestPNG(t, toBilevel(bw(33, 17))), PNG, 33, 17, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, pages, err := Split(tc.data, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if f != tc.format || len(pages) != 1 {
				t.Fatalf("Split = %q, %d pages", f, len(pages))
			}
			p := pages[0]
			if !bytes.Equal(p.Data, tc.data) {
				t.Error("page data is not the file unchanged")
			}
			if p.Format != tc.format || p.Width != tc.w || p.Height != tc.h {
				t.Errorf("page %s %dx%d, want %s %dx%d", p.Format, p.Width, p.Height, tc.format, tc.w, tc.h)
			}
			if p.DPIX != tc.dpiX || p.DPIY != tc.dpiY {
				t.Errorf("dpi %v/%v, want %v/%v", p.DPIX, p.DPIY, tc.dpiX, tc.dpiY)
			}
			decodePage(t, p)
		})
	}
}

// jpegWithEXIF inserts an EXIF APP1 segment giving dpi as the resolution
// (big-endian TIFF inside, to use the other byte order).
func jpegWithEXIF(t testing.TB, j []byte, dpi uint32) []byte {
	t.Helper()
	var exif bytes.Buffer
	bo := binary.BigEndian
	exif.WriteString("MM\x00*")
	binary.Write(&exif, bo, uint32(8))
	binary.Write(&exif, bo, uint16(3))
	entry := func(tag, typ uint16, count, val uint32) {
		binary.Write(&exif, bo, tag)
		binary.Write(&exif, bo, typ)
		binary.Write(&exif, bo, count)
		if typ == tiff.TypeShort {
			binary.Write(&exif, bo, uint16(val))
			binary.Write(&exif, bo, uint16(0))
		} else {
			binary.Write(&exif, bo, val)
		}
	}
	ratAt := uint32(8 + 2 + 3*12 + 4)
	entry(tiff.TagXResolution, tiff.TypeRational, 1, ratAt)
	entry(tiff.TagYResolution, tiff.TypeRational, 1, ratAt)
	entry(tiff.TagResolutionUnit, tiff.TypeShort, 1, 2)
	binary.Write(&exif, bo, uint32(0))
	binary.Write(&exif, bo, dpi)
	binary.Write(&exif, bo, uint32(1))
	seg := append([]byte("Exif\x00\x00"), exif.Bytes()...)
	out := append([]byte{}, j[:2]...)
	out = append(out, 0xFF, 0xE1, byte((len(seg)+2)>>8), byte(len(seg)+2))
	out = append(out, seg...)
	return append(out, j[2:]...)
}

func TestSplitRasterCorrupt(t *testing.T) {
	j := encodeTestJPEG(t, testRGB(200, 150))
	p := encodeTestPNG(t, testRGB(200, 150))
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"jpeg cut in half", j[:len(j)/2], ErrCorrupt},
		{"jpeg without its last 10 bytes", j[:len(j)-10], ErrCorrupt},
		{"jpeg header only", j[:200], ErrCorrupt},
		{"jpeg magic only", j[:3], ErrCorrupt},
		{"png cut in half", p[:len(p)/2], ErrCorrupt},
		{"png without IEND", p[:len(p)-12], ErrCorrupt},
		{"png magic only", p[:8], ErrCorrupt},
		{"png with a bad crc", flipByte(p, len(p)/2), ErrCorrupt},
		{"png declaring 100000x100000", pngHeader(100000, 100000), ErrTooLarge},
		{"jpeg declaring 60000x60000", jpegWithSize(j, 60000, 60000), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, pages, err := Split(tc.data, Limits{})
			if !errors.Is(err, tc.want) || pages != nil {
				t.Fatalf("Split: %d pages, %v; want %v", len(pages), err, tc.want)
			}
		})
	}
}

func flipByte(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x55
	return c
}

// pngHeader is a PNG signature, an IHDR declaring w×h 8-bit RGB, and a tiny
// IDAT: a decompression bomb's header.
func pngHeader(w, h uint32) []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
		start := len(b)
		b = append(b, typ...)
		b = append(b, data...)
		b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b
}

// jpegWithSize rewrites the size in a baseline JPEG's SOF0.
func jpegWithSize(j []byte, w, h uint16) []byte {
	c := bytes.Clone(j)
	i := bytes.Index(c, []byte{0xFF, 0xC0})
	binary.BigEndian.PutUint16(c[i+5:], h)
	binary.BigEndian.PutUint16(c[i+7:], w)
	return c
}

// TestTooLargeAllocatesNothing: a header declaring ten gigapixels is refused
// from the header alone.
func TestTooLargeAllocatesNothing(t *testing.T) {
	bomb := pngHeader(100000, 100000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, err := Split(bomb, Limits{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Split: %v, want ErrTooLarge", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("refusing the bomb allocated %d bytes", got)
	}
}

func TestLimits(t *testing.T) {
	j := encodeTestJPEG(t, testGray(100, 100))
	if _, _, err := Split(j, Limits{MaxPixels: 100*100 - 1}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxPixels just below: %v, want ErrTooLarge", err)
	}
	if _, _, err := Split(j, Limits{MaxPixels: 100 * 100}); err != nil {
		t.Errorf("MaxPixels exactly: %v", err)
	}
	if got := (Limits{}).withDefaults(); got.MaxPages != DefaultMaxPages || got.MaxPixels != DefaultMaxPixels {
		t.Errorf("zero Limits means %+v", got)
	}
}
