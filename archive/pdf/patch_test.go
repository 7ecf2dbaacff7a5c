package pdf

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/ccitt"
)

// A black-and-white page with a colour patch over part of it: the patch
// shows where it is placed, the page elsewhere, and both images are kept as
// they were encoded (G4 and JPEG).
func TestPatches(t *testing.T) {
	needTool(t, "pdfimages")
	const w, h = 600, 800
	base := image.NewGray(image.Rect(0, 0, w, h))
	for i := range base.Pix {
		base.Pix[i] = 255
	}
	for y := 100; y < 120; y++ { // a black bar across the page
		for x := range w {
			base.Pix[y*w+x] = 0
		}
	}
	var g4 bytes.Buffer
	if err := ccitt.WriteTIFF(&g4, base, 100); err != nil {
		t.Fatal(err)
	}
	red := image.NewRGBA(image.Rect(0, 0, 200, 150))
	for i := 0; i < len(red.Pix); i += 4 {
		red.Pix[i], red.Pix[i+1], red.Pix[i+2], red.Pix[i+3] = 220, 30, 30, 255
	}
	var patch bytes.Buffer
	if err := jpeg.Encode(&patch, red, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	pdf := writePDF(t, []Page{{
		Image: g4.Bytes(), Format: "tiff", DPIX: 100, DPIY: 100,
		Patches: []Patch{{Image: patch.Bytes(), Format: "jpeg", X: 300, Y: 500, Width: 200, Height: 150}},
	}}, testInfo)

	list := string(run(t, "pdfimages", "-list", tempPDF(t, pdf)))
	if !strings.Contains(list, "ccitt") || !strings.Contains(list, "jpeg") {
		t.Errorf("pdfimages -list:\n%s", list)
	}
	img := render(t, pdf, 100, 100, false)
	at := func(x, y int) color.RGBA {
		r, g, b, _ := img.At(x, y).RGBA()
		return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}
	}
	if c := at(400, 575); c.R < 180 || c.G > 80 {
		t.Errorf("inside the patch: %v, want red", c)
	}
	if c := at(100, 110); c.R > 60 {
		t.Errorf("on the bar: %v, want black", c)
	}
	if c := at(100, 600); c.R < 240 || c.G < 240 {
		t.Errorf("outside the patch: %v, want white", c)
	}
	// A patch off the page is refused.
	_, err := writeErr([]Page{{Image: g4.Bytes(), Format: "tiff", DPIX: 100, DPIY: 100,
		Patches: []Patch{{Image: patch.Bytes(), Format: "jpeg", X: 500, Y: 700, Width: 200, Height: 150}}}})
	if err == nil {
		t.Errorf("a patch outside the page was accepted")
	}
}

func writeErr(pages []Page) ([]byte, error) {
	var b bytes.Buffer
	err := Write(&b, pages, testInfo)
	return b.Bytes(), err
}
