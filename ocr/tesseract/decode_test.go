package tesseract

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	_ "image/jpeg"

	"golang.org/x/image/tiff"

	"github.com/sohoa/sohoa/ccitt"
)

// Leptonica's decoders give the same pixels as Go's, for the kinds of page
// image sohoa handles.
func TestDecodeMatchesGo(t *testing.T) {
	gray := image.NewGray(image.Rect(0, 0, 37, 23))
	rgba := image.NewRGBA(image.Rect(0, 0, 37, 23))
	bilevel := image.NewGray(image.Rect(0, 0, 37, 23))
	for y := range 23 {
		for x := range 37 {
			gray.SetGray(x, y, color.Gray{uint8(x*7 + y*3)})
			rgba.SetRGBA(x, y, color.RGBA{uint8(x * 6), uint8(y * 9), uint8(x ^ y), 255})
			if (x+y)%5 == 0 {
				bilevel.SetGray(x, y, color.Gray{0})
			} else {
				bilevel.SetGray(x, y, color.Gray{255})
			}
		}
	}
	var g4 bytes.Buffer
	if err := ccitt.WriteTIFF(&g4, bilevel, 300); err != nil {
		t.Fatal(err)
	}
	enc := func(img image.Image) []byte {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	var tifGray bytes.Buffer
	if err := tiff.Encode(&tifGray, gray, nil); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"png gray": enc(gray), "png rgb": enc(rgba), "tiff g4": g4.Bytes(), "tiff gray": tifGray.Bytes(),
	} {
		want, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.Bounds() != want.Bounds() {
			t.Fatalf("%s: bounds %v, want %v", name, got.Bounds(), want.Bounds())
		}
		for y := range 23 {
			for x := range 37 {
				r1, g1, b1, _ := got.At(x, y).RGBA()
				r2, g2, b2, _ := want.At(x, y).RGBA()
				if r1>>8 != r2>>8 || g1>>8 != g2>>8 || b1>>8 != b2>>8 {
					t.Fatalf("%s: pixel %d,%d = %v, want %v", name, x, y, got.At(x, y), want.At(x, y))
				}
			}
		}
	}
	if _, err := Decode([]byte("not an image")); err == nil {
		t.Error("garbage decoded")
	}
}
