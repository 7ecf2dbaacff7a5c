package ccitt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	xccitt "golang.org/x/image/ccitt"
	"golang.org/x/image/tiff"

	"github.com/sohoa/sohoa/internal/need"
)

// bilevel returns a w x h image whose pixel (x, y) is black when black(x, y).
func bilevel(w, h int, black func(x, y int) bool) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if black(x, y) {
				img.Pix[y*img.Stride+x] = 0
			} else {
				img.Pix[y*img.Stride+x] = 255
			}
		}
	}
	return img
}

type testImage struct {
	name string
	img  *image.Gray
}

func testImages() []testImage {
	r := rand.New(rand.NewPCG(1, 2))
	random := func(w, h int, p float64) *image.Gray {
		return bilevel(w, h, func(int, int) bool { return r.Float64() < p })
	}
	// "text": short horizontal strokes and vertical stems, like glyphs.
	text := image.NewGray(image.Rect(0, 0, 1237, 641))
	for i := range text.Pix {
		text.Pix[i] = 255
	}
	for n := 0; n < 900; n++ {
		x, y := r.IntN(1200), r.IntN(600)
		w, h := 1+r.IntN(30), 1+r.IntN(4)
		if r.IntN(2) == 0 {
			w, h = h, w
		}
		for yy := y; yy < y+h && yy < 641; yy++ {
			for xx := x; xx < x+w && xx < 1237; xx++ {
				text.Pix[yy*text.Stride+xx] = 0
			}
		}
	}
	// A grey ramp: thresholding at 128 must happen inside EncodeG4.
	ramp := image.NewGray(image.Rect(0, 0, 257, 9))
	for y := 0; y < 9; y++ {
		for x := 0; x < 257; x++ {
			ramp.Pix[y*ramp.Stride+x] = uint8((x + 17*y) % 256)
		}
	}
	return []testImage{
		{"1x1 white", bilevel(1, 1, func(int, int) bool { return false })},
		{"1x1 black", bilevel(1, 1, func(int, int) bool { return true })},
		{"1x37 column", random(1, 37, 0.5)},
		{"41x1 row", random(41, 1, 0.5)},
		{"all white 333x77", bilevel(333, 77, func(int, int) bool { return false })},
		{"all black 333x77", bilevel(333, 77, func(int, int) bool { return true })},
		{"random 0.5 101x103", random(101, 103, 0.5)},
		{"random 0.05 517x211", random(517, 211, 0.05)},
		{"random 0.95 213x97", random(213, 97, 0.95)},
		{"checkerboard 199x61", bilevel(199, 61, func(x, y int) bool { return (x+y)%2 == 0 })},
		{"stripes 63x64", bilevel(63, 64, func(x, _ int) bool { return x%2 == 1 })},
		{"diagonals 300x300", bilevel(300, 300, func(x, y int) bool { return (x+3*y)%11 < 3 })},
		{"disc 311x309", bilevel(311, 309, func(x, y int) bool {
			dx, dy := x-155, y-154
			return dx*dx+dy*dy < 140*140 && dx*dx+dy*dy > 120*120
		})},
		{"text 1237x641", text},
		{"ramp 257x9", ramp},
		// Runs longer than the largest make-up code (2560) in both colours.
		{"long runs 6007x5", bilevel(6007, 5, func(x, y int) bool {
			switch y {
			case 0:
				return x >= 5300
			case 1:
				return x < 5300
			case 2:
				return x > 1 && x < 6000
			case 3:
				return x == 2559 || x == 2560 || x == 5120
			}
			return x%2561 == 0
		})},
	}
}

// blacks reports for every pixel of img whether it is black (< 128).
func blacks(img image.Image) []bool {
	b := img.Bounds()
	out := make([]bool, 0, b.Dx()*b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out = append(out, color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y < 128)
		}
	}
	return out
}

func samePixels(t testing.TB, want, got image.Image) {
	t.Helper()
	if want.Bounds().Size() != got.Bounds().Size() {
		t.Fatalf("size %v, want %v", got.Bounds().Size(), want.Bounds().Size())
	}
	w, g := blacks(want), blacks(got)
	for i := range w {
		if w[i] != g[i] {
			dx := want.Bounds().Dx()
			t.Fatalf("pixel (%d,%d): black=%v, want %v", i%dx, i/dx, g[i], w[i])
		}
	}
}

func TestEncodeG4RoundTrip(t *testing.T) {
	for _, tc := range testImages() {
		t.Run(tc.name, func(t *testing.T) {
			data := EncodeG4(tc.img)
			b := tc.img.Bounds()
			got := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
			if err := xccitt.DecodeIntoGray(got, bytes.NewReader(data), xccitt.MSB, xccitt.Group4, nil); err != nil {
				t.Fatalf("decode: %v", err)
			}
			samePixels(t, tc.img, got)
		})
	}
}

func TestEncodeG4EndsWithEOFB(t *testing.T) {
	// An all-white line codes as V0 ("1"); EOFB is two 12-bit EOLs: 25 bits
	// in 4 bytes.
	got := EncodeG4(bilevel(10, 1, func(int, int) bool { return false }))
	want := []byte{0x80, 0x08, 0x00, 0x80}
	if !bytes.Equal(got, want) {
		t.Errorf("EncodeG4 = % x, want % x", got, want)
	}
	if got := EncodeG4(image.NewGray(image.Rect(0, 0, 0, 0))); !bytes.Equal(got, []byte{0x00, 0x10, 0x01}) {
		t.Errorf("EncodeG4(empty) = % x, want EOFB only", got)
	}
}

func TestEncodeG4SubImage(t *testing.T) {
	full := testImages()[13].img // text
	sub := full.SubImage(image.Rect(101, 33, 700, 400)).(*image.Gray)
	got := image.NewGray(image.Rect(0, 0, sub.Bounds().Dx(), sub.Bounds().Dy()))
	if err := xccitt.DecodeIntoGray(got, bytes.NewReader(EncodeG4(sub)), xccitt.MSB, xccitt.Group4, nil); err != nil {
		t.Fatal(err)
	}
	samePixels(t, sub, got)
}

func TestWriteTIFFRoundTrip(t *testing.T) {
	for _, tc := range testImages() {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteTIFF(&buf, tc.img, 300); err != nil {
				t.Fatal(err)
			}
			got, err := tiff.Decode(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			samePixels(t, tc.img, got)
		})
	}
}

// ifdOffsets lists the IFD offsets of a little-endian TIFF file.
func ifdOffsets(t testing.TB, file []byte) []uint32 {
	t.Helper()
	le := binary.LittleEndian
	var offs []uint32
	for off := le.Uint32(file[4:]); off != 0; {
		offs = append(offs, off)
		n := uint32(le.Uint16(file[off:]))
		off = le.Uint32(file[off+2+12*n:])
		if len(offs) > 1000 {
			t.Fatal("IFD chain does not end")
		}
	}
	return offs
}

// SelectIFD returns a copy of file whose header points at its k-th IFD, so
// that a decoder reading only the first IFD decodes page k.
func selectIFD(file []byte, off uint32) []byte {
	c := bytes.Clone(file)
	binary.LittleEndian.PutUint32(c[4:], off)
	return c
}

func TestWriteTIFFPages(t *testing.T) {
	imgs := testImages()
	pages := []*image.Gray{imgs[6].img, imgs[13].img, imgs[12].img}
	var buf bytes.Buffer
	if err := WriteTIFFPages(&buf, pages, 300); err != nil {
		t.Fatal(err)
	}
	offs := ifdOffsets(t, buf.Bytes())
	if len(offs) != len(pages) {
		t.Fatalf("%d IFDs, want %d", len(offs), len(pages))
	}
	for i, off := range offs {
		got, err := tiff.Decode(bytes.NewReader(selectIFD(buf.Bytes(), off)))
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		samePixels(t, pages[i], got)
	}
}

func TestWriteTIFFErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTIFFPages(&buf, nil, 300); err == nil {
		t.Error("no pages: no error")
	}
	if err := WriteTIFF(&buf, image.NewGray(image.Rect(0, 0, 0, 5)), 300); err == nil {
		t.Error("empty page: no error")
	}
	if err := WriteTIFF(&buf, image.NewGray(image.Rect(0, 0, 5, 5)), 0); err == nil {
		t.Error("0 dpi: no error")
	}
}

func TestRational(t *testing.T) {
	for _, tc := range []struct {
		v        float64
		num, den uint32
	}{{300, 300, 1}, {200, 200, 1}, {72.5, 725, 10}, {96.25, 9625, 100}, {1.0 / 3, 333, 1000}} {
		if num, den := rational(tc.v); num != tc.num || den != tc.den {
			t.Errorf("rational(%v) = %d/%d, want %d/%d", tc.v, num, den, tc.num, tc.den)
		}
	}
}

// TestLibtiff decodes the TIFF files with libtiff (Debian's libtiff-tools):
// tiffinfo -D must decode every page without complaint, and tiffcp -c none
// must produce an uncompressed copy with exactly the same pixels.
func TestLibtiff(t *testing.T) {
	for _, tool := range []string{"tiffinfo", "tiffcp"} {
		need.Tool(t, tool, "libtiff-tools")
	}
	imgs := testImages()
	pages := []*image.Gray{imgs[6].img, imgs[13].img, imgs[15].img, imgs[2].img}
	dir := t.TempDir()
	src := filepath.Join(dir, "g4.tif")
	var buf bytes.Buffer
	if err := WriteTIFFPages(&buf, pages, 300); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("tiffinfo", "-D", src).CombinedOutput()
	if err != nil {
		t.Fatalf("tiffinfo: %v\n%s", err, out)
	}
	for _, want := range []string{"CCITT Group 4", "Resolution: 300, 300 pixels/inch", "Page Number: 3-4"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("tiffinfo output lacks %q:\n%s", want, out)
		}
	}
	if bytes.Contains(bytes.ToLower(out), []byte("error")) || bytes.Contains(bytes.ToLower(out), []byte("warning")) {
		t.Errorf("tiffinfo complains:\n%s", out)
	}
	dst := filepath.Join(dir, "raw.tif")
	if out, err := exec.Command("tiffcp", "-c", "none", src, dst).CombinedOutput(); err != nil || len(out) > 0 {
		t.Fatalf("tiffcp: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if string(raw[:2]) != "II" {
		t.Skip("tiffcp wrote a big-endian file")
	}
	offs := ifdOffsets(t, raw)
	if len(offs) != len(pages) {
		t.Fatalf("tiffcp copy has %d pages, want %d", len(offs), len(pages))
	}
	for i, off := range offs {
		t.Run(fmt.Sprint("page", i+1), func(t *testing.T) {
			got, err := tiff.Decode(bytes.NewReader(selectIFD(raw, off)))
			if err != nil {
				t.Fatal(err)
			}
			samePixels(t, pages[i], got)
		})
	}
}

// fuzzImage builds a small image from fuzz input: two bytes of size, then
// the pixels as bits (repeated), with runs stretched by the third byte so
// that both noisy and long-run images occur.
func fuzzImage(data []byte) *image.Gray {
	if len(data) < 3 {
		return image.NewGray(image.Rect(0, 0, 1, 1))
	}
	w, h := 1+int(data[0])%130, 1+int(data[1])%40
	if data[2]&0x80 != 0 {
		w *= 23 // exercise make-up codes, up to 2990 pixels
	}
	stretch := 1 + int(data[2]&0x7f)%16
	bits := data[3:]
	return bilevel(w, h, func(x, y int) bool {
		if len(bits) == 0 {
			return false
		}
		i := (y*w + x) / stretch
		return bits[i/8%len(bits)]>>(i%8)&1 == 1
	})
}

func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{7, 3, 0, 0xAA, 0x55})
	f.Add([]byte{200, 30, 0x85, 0xF0, 0x0F, 0x33})
	f.Add([]byte{1, 1, 0, 1})
	f.Add([]byte{129, 39, 0xFF, 0x00, 0xFF, 0xFF, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		img := fuzzImage(data)
		var buf bytes.Buffer
		if err := WriteTIFF(&buf, img, 300); err != nil {
			t.Fatal(err)
		}
		got, err := tiff.Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("decode %dx%d: %v", img.Bounds().Dx(), img.Bounds().Dy(), err)
		}
		samePixels(t, img, got)
	})
}

func BenchmarkEncodeG4(b *testing.B) {
	img := testImages()[13].img
	b.SetBytes(int64(len(img.Pix)))
	for b.Loop() {
		EncodeG4(img)
	}
}
