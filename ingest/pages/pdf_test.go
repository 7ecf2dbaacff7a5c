package pages

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/sohoa/sohoa/internal/tiff"
)

// TestSplitRealPDFs splits the real scanner PDFs: 1-bit CCITT pages, colour
// JPEG pages, pages with small signature images beside the scan, and a
// landscape page.
func TestSplitRealPDFs(t *testing.T) {
	type want struct {
		format Format
		w, h   int
	}
	for _, tc := range []struct {
		file    string
		pages   []want
		wrapped bool // JPEGs stored as [/FlateDecode /DCTDecode]
	}{
		{"07-CT-UBND-2018.pdf", []want{{TIFF, 2413, 3423}, {TIFF, 2400, 3423}, {TIFF, 2400, 3414}, {TIFF, 2413, 3429}}, false},
		{"11-CT-UBND-2021.pdf", []want{{TIFF, 2482, 3513}, {TIFF, 2496, 3513}, {JPEG, 2489, 3527}}, false},
		{"157-QD-ND-UB-1999.pdf", []want{{JPEG, 2104, 2993}, {JPEG, 2096, 2987}, {JPEG, 2080, 3000}, {JPEG, 1980, 2758}, {JPEG, 3936, 2740}}, true},
		{"23-BC-UBND-2025.pdf", []want{{JPEG, 2471, 3508}, {JPEG, 2461, 3508}}, false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data := readReal(t, tc.file)
			f, pages, err := Split(data, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if f != PDF || len(pages) != len(tc.pages) {
				t.Fatalf("Split = %q, %d pages; want pdf, %d", f, len(pages), len(tc.pages))
			}
			embedded := pdfimagesJPEGs(t, filepath.Join(realDir, tc.file))
			for i, p := range pages {
				w := tc.pages[i]
				if p.Format != w.format || p.Width != w.w || p.Height != w.h {
					t.Errorf("page %d: %s %dx%d, want %s %dx%d", i+1, p.Format, p.Width, p.Height, w.format, w.w, w.h)
					continue
				}
				// Scanned at 300 dpi, placed at 72 points per inch (give or
				// take a few points of page size).
				if p.DPIX < 295 || p.DPIX > 305 || p.DPIY < 295 || p.DPIY > 305 {
					t.Errorf("page %d: dpi %v/%v, want about 300", i+1, p.DPIX, p.DPIY)
				}
				img := decodePage(t, p)
				switch p.Format {
				case JPEG:
					// The embedded JPEG, byte for byte: it is in the file as is
					// (unless Flate-compressed)...
					if !tc.wrapped && !bytes.Contains(data, p.Data) {
						t.Errorf("page %d: JPEG is not the embedded stream", i+1)
					}
					// ...and it is what pdfimages -j extracts.
					if embedded != nil && !embedded[string(p.Data)] {
						t.Errorf("page %d: JPEG differs from every image pdfimages -j extracted", i+1)
					}
				case TIFF:
					d := outIFD(t, p)
					if comp, _ := d.Uint(tiff.TagCompression, 1); comp != 4 {
						t.Errorf("page %d: compression %d, want 4 (G4)", i+1, comp)
					}
					// The G4 data is the embedded stream, not re-encoded.
					if s := tiffStrips(t, d); len(s) != 1 || !bytes.Contains(data, s[0]) {
						t.Errorf("page %d: G4 data is not the embedded stream", i+1)
					}
					// A typed page: some black on white, not inverted.
					if r := darkRatio(img); r < 0.01 || r > 0.25 {
						t.Errorf("page %d: %.1f%% black pixels", i+1, 100*r)
					}
					// Page 1 of 07-CT-UBND-2018: checked by libtiff too, when installed.
					if tc.file == "07-CT-UBND-2018.pdf" && i == 0 {
						checkTiffinfo(t, p, "2413", "3423", "CCITT Group 4", "min-is-white")
					}
				}
			}
		})
	}
}

// pdfimagesJPEGs returns the JPEGs that pdfimages -j extracts from a PDF, or
// nil if poppler's pdfimages is not installed.
func pdfimagesJPEGs(t *testing.T, file string) map[string]bool {
	t.Helper()
	if _, err := exec.LookPath("pdfimages"); err != nil {
		t.Log("pdfimages not installed: not comparing with it")
		return nil
	}
	dir := t.TempDir()
	if out, err := exec.Command("pdfimages", "-j", file, filepath.Join(dir, "img")).CombinedOutput(); err != nil {
		t.Fatalf("pdfimages: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.jpg"))
	m := make(map[string]bool)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m[string(b)] = true
	}
	return m
}

// checkTiffinfo reads a page TIFF with libtiff's tiffinfo, when installed.
func checkTiffinfo(t *testing.T, p Page, says ...string) {
	t.Helper()
	if _, err := exec.LookPath("tiffinfo"); err != nil {
		return
	}
	f := filepath.Join(t.TempDir(), "page.tiff")
	if err := os.WriteFile(f, p.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("tiffinfo", "-D", f).CombinedOutput()
	if err != nil {
		t.Fatalf("tiffinfo: %v\n%s", err, out)
	}
	for _, s := range says {
		if !strings.Contains(string(out), s) {
			t.Errorf("tiffinfo does not say %q:\n%s", s, out)
		}
	}
	if strings.Contains(strings.ToLower(string(out)), "error") || strings.Contains(string(out), "warning") {
		t.Errorf("tiffinfo complains:\n%s", out)
	}
}

// TestSplitPDFImages covers the kinds of image a scanner PDF can hold, and
// how a page may show them, with small PDFs written here.
func TestSplitPDFImages(t *testing.T) {
	g4 := realG4(t)
	g4Img, err := decodeTIFF(g4.tiff)
	if err != nil {
		t.Fatal(err)
	}
	g4Gray := grayOf(g4Img)
	g4Dict := fmt.Sprintf("/Width %d /Height %d /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /CCITTFaxDecode", g4.w, g4.h)
	g4Parms := func(extra string) string {
		return fmt.Sprintf("%s /DecodeParms << /K -1 /Columns %d /Rows %d %s >>", g4Dict, g4.w, g4.h, extra)
	}
	inverse := func(g *image.Gray) *image.Gray {
		c := image.NewGray(g.Rect)
		for i, v := range g.Pix {
			c.Pix[i] = ^v
		}
		return c
	}

	tinyAligned, tinyWant := tinyG4Rows(true)
	gray := testGray(60, 80)
	rgb := testRGB(60, 80)
	bwImg := bw(61, 80) // odd width: rows padded to a byte
	grayJPEG := encodeTestJPEG(t, gray)
	rgbJPEG := encodeTestJPEG(t, rgb)

	rgbBytes := make([]byte, 0, 60*80*3)
	for i := 0; i < len(rgb.Pix); i += 4 {
		rgbBytes = append(rgbBytes, rgb.Pix[i:i+3]...)
	}
	// A 2-bit Indexed image over RGB: four colours.
	pal := []color.RGBA{{255, 255, 255, 255}, {200, 0, 0, 255}, {0, 0, 0, 255}, {0, 0, 200, 255}}
	idx := image.NewPaletted(image.Rect(0, 0, 10, 4), color.Palette{pal[0], pal[1], pal[2], pal[3]})
	idxData := make([]byte, 0, 3*4)
	for y := 0; y < 4; y++ {
		var row [3]byte
		for x := 0; x < 10; x++ {
			v := uint8((x + y) % 4)
			idx.SetColorIndex(x, y, v)
			row[x/4] |= v << (6 - 2*(x%4))
		}
		idxData = append(idxData, row[:]...)
	}

	type check func(t *testing.T, p Page, img image.Image)
	samePixels := func(want *image.Gray) check {
		return func(t *testing.T, p Page, img image.Image) { sameGray(t, "page", img, want) }
	}
	// darkQuarter checks where the dark quarter of testGray/testRGB ended up
	// in a lossy (JPEG) page.
	darkQuarter := func(want string) check {
		return func(t *testing.T, p Page, img image.Image) {
			b := img.Bounds()
			w, h := b.Dx(), b.Dy()
			q := map[string]image.Rectangle{
				"top-left":     image.Rect(2, 2, w/2-2, h/2-2),
				"top-right":    image.Rect(w/2+2, 2, w-2, h/2-2),
				"bottom-left":  image.Rect(2, h/2+2, w/2-2, h-2),
				"bottom-right": image.Rect(w/2+2, h/2+2, w-2, h-2),
			}
			for name, r := range q {
				m := meanGray(img, r)
				if dark := m < 40; dark != (name == want) {
					t.Errorf("%s quarter mean gray %.0f; want the %s quarter dark", name, m, want)
				}
			}
		}
	}

	for _, tc := range []struct {
		name    string
		pdf     []byte
		format  Format
		w, h    int
		dpiX    float64
		dpiY    float64
		check   check
		rawSame []byte // Data must equal this
	}{
		{
			name: "DCT gray, upright: the JPEG unchanged", format: JPEG, w: 60, h: 80, dpiX: 7.06, dpiY: 7.27,
			pdf:     onePagePDF("/Width 60 /Height 80 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /DCTDecode", grayJPEG, 0),
			rawSame: grayJPEG, check: darkQuarter("top-left"),
		},
		{
			name: "DCT rgb, /Rotate 90: re-encoded, turned clockwise", format: JPEG, w: 80, h: 60, dpiX: 7.27, dpiY: 7.06,
			pdf:   onePagePDF("/Width 60 /Height 80 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /DCTDecode", rgbJPEG, 90),
			check: darkQuarter("top-right"),
		},
		{
			name: "DCT rgb, /Rotate 180", format: JPEG, w: 60, h: 80,
			pdf:   onePagePDF("/Width 60 /Height 80 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /DCTDecode", rgbJPEG, 180),
			check: darkQuarter("bottom-right"),
		},
		{
			name: "DCT gray, /Rotate -90 (= 270)", format: JPEG, w: 80, h: 60,
			pdf:   onePagePDF("/Width 60 /Height 80 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /DCTDecode", grayJPEG, -90),
			check: darkQuarter("bottom-left"),
		},
		{
			name: "DCT behind Flate", format: JPEG, w: 60, h: 80,
			pdf:     onePagePDF("/Width 60 /Height 80 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter [/FlateDecode /DCTDecode]", flateBytes(t, grayJPEG), 0),
			rawSame: grayJPEG,
		},
		{
			name: "Flate gray 8-bit", format: PNG, w: 60, h: 80, dpiX: 7.06, dpiY: 7.27,
			pdf:   onePagePDF("/Width 60 /Height 80 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", flateBytes(t, gray.Pix), 0),
			check: samePixels(gray),
		},
		{
			name: "Flate gray, /Rotate 90", format: PNG, w: 80, h: 60,
			pdf:   onePagePDF("/Width 60 /Height 80 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", flateBytes(t, gray.Pix), 90),
			check: samePixels(turnCW(gray)),
		},
		{
			name: "uncompressed gray drawn upside down by its matrix", format: PNG, w: 60, h: 80,
			pdf: func() []byte {
				var w pdfWriter
				im := w.image("/Width 60 /Height 80 /BitsPerComponent 8 /ColorSpace /DeviceGray", gray.Pix)
				return w.finish([]testPDFPage{{content: "q 612 0 0 -792 0 792 cm /Im0 Do Q", xobjects: map[string]int{"Im0": im}}}, "")
			}(),
			check: samePixels(flipV(gray)),
		},
		{
			name: "landscape scan turned into a portrait page by its matrix", format: PNG, w: 60, h: 80,
			pdf: func() []byte {
				// The image is stored 80 wide and 60 high and drawn turned a
				// quarter clockwise: what shows is turnCW of the stored image.
				stored := turnCW(turnCW(turnCW(gray))) // 80x60
				var w pdfWriter
				im := w.image("/Width 80 /Height 60 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", flateBytes(t, stored.Pix))
				return w.finish([]testPDFPage{{content: "q 0 -792 612 0 0 792 cm /Im0 Do Q", xobjects: map[string]int{"Im0": im}}}, "")
			}(),
			check: samePixels(gray),
		},
		{
			name: "Flate RGB", format: PNG, w: 60, h: 80,
			pdf: onePagePDF("/Width 60 /Height 80 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /FlateDecode", flateBytes(t, rgbBytes), 0),
			check: func(t *testing.T, p Page, img image.Image) {
				sameGray(t, "page", img, grayOf(rgb))
				if _, ok := img.ColorModel().(color.Palette); ok {
					t.Error("RGB page written paletted")
				}
			},
		},
		{
			name: "ICCBased N=3", format: PNG, w: 60, h: 80,
			pdf: func() []byte {
				var w pdfWriter
				icc := w.add("/N 3", []byte("not really a profile"))
				im := w.image(fmt.Sprintf("/Width 60 /Height 80 /BitsPerComponent 8 /ColorSpace [/ICCBased %d 0 R] /Filter /FlateDecode", icc), flateBytes(t, rgbBytes))
				return w.finish([]testPDFPage{{content: fullPage, xobjects: map[string]int{"Im0": im}}}, "")
			}(),
			check: func(t *testing.T, p Page, img image.Image) { sameGray(t, "page", img, grayOf(rgb)) },
		},
		{
			name: "ICCBased N=1", format: PNG, w: 60, h: 80,
			pdf: func() []byte {
				var w pdfWriter
				icc := w.add("/N 1", []byte("not really a profile"))
				im := w.image(fmt.Sprintf("/Width 60 /Height 80 /BitsPerComponent 8 /ColorSpace [/ICCBased %d 0 R] /Filter /FlateDecode", icc), flateBytes(t, gray.Pix))
				return w.finish([]testPDFPage{{content: fullPage, xobjects: map[string]int{"Im0": im}}}, "")
			}(),
			check: samePixels(gray),
		},
		{
			name: "Flate 1-bit: a 1-bit PNG", format: PNG, w: 61, h: 80,
			pdf: onePagePDF("/Width 61 /Height 80 /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /FlateDecode", flateBytes(t, pack1(bwImg)), 0),
			check: func(t *testing.T, p Page, img image.Image) {
				sameGray(t, "page", img, bwImg)
				if pal, ok := img.ColorModel().(color.Palette); !ok || len(pal) != 2 || p.Data[24] != 1 {
					t.Errorf("not a 1-bit paletted PNG: %T, bit depth %d", img.ColorModel(), p.Data[24])
				}
			},
		},
		{
			name: "Flate 1-bit with /Decode [1 0]", format: PNG, w: 61, h: 80,
			pdf:   onePagePDF("/Width 61 /Height 80 /BitsPerComponent 1 /ColorSpace /DeviceGray /Decode [1 0] /Filter /FlateDecode", flateBytes(t, pack1(inverse(bwImg))), 0),
			check: samePixels(bwImg),
		},
		{
			name: "stencil mask", format: PNG, w: 61, h: 80,
			pdf:   onePagePDF("/Width 61 /Height 80 /ImageMask true /Filter /FlateDecode", flateBytes(t, pack1(bwImg)), 0),
			check: samePixels(bwImg),
		},
		{
			name: "Indexed 2-bit over RGB", format: PNG, w: 10, h: 4,
			pdf: onePagePDF("/Width 10 /Height 4 /BitsPerComponent 2 /ColorSpace [/Indexed /DeviceRGB 3 <FFFFFFC800000000000000C8>] /Filter /FlateDecode",
				flateBytes(t, idxData), 0),
			check: func(t *testing.T, p Page, img image.Image) {
				if _, ok := img.(*image.Paletted); !ok {
					t.Errorf("decoded as %T, want paletted", img)
				}
				for y := 0; y < 4; y++ {
					for x := 0; x < 10; x++ {
						r, g, b, _ := img.At(x, y).RGBA()
						w := pal[(x+y)%4]
						if uint8(r>>8) != w.R || uint8(g>>8) != w.G || uint8(b>>8) != w.B {
							t.Fatalf("pixel %d,%d = %d,%d,%d; want %v", x, y, r>>8, g>>8, b>>8, w)
						}
					}
				}
			},
		},
		{
			name: "CCITT G4: a G4 TIFF", format: TIFF, w: g4.w, h: g4.h,
			pdf: onePagePDF(g4Parms(""), g4.strip, 0),
			check: func(t *testing.T, p Page, img image.Image) {
				sameGray(t, "page", img, g4Gray)
				if s := tiffStrips(t, outIFD(t, p)); !bytes.Equal(s[0], g4.strip) {
					t.Error("G4 data re-encoded")
				}
			},
		},
		{
			name: "CCITT G4 without Rows: rows from /Height", format: TIFF, w: g4.w, h: g4.h,
			pdf:   onePagePDF(fmt.Sprintf("%s /DecodeParms << /K -1 /Columns %d >>", g4Dict, g4.w), g4.strip, 0),
			check: samePixels(g4Gray),
		},
		{
			name: "CCITT G4 with BlackIs1: inverted, as a PNG", format: PNG, w: g4.w, h: g4.h,
			pdf:   onePagePDF(g4Parms("/BlackIs1 true"), g4.strip, 0),
			check: samePixels(inverse(g4Gray)),
		},
		{
			name: "CCITT G4 with BlackIs1 and /Decode [1 0]: not inverted", format: TIFF, w: g4.w, h: g4.h,
			pdf:   onePagePDF(g4Parms("/BlackIs1 true")+" /Decode [1 0]", g4.strip, 0),
			check: samePixels(g4Gray),
		},
		{
			name: "CCITT G4 with EncodedByteAlign: decoded, as a PNG", format: PNG, w: 16, h: 8,
			pdf: onePagePDF("/Width 16 /Height 8 /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 16 /Rows 8 /EncodedByteAlign true >>",
				tinyAligned, 0),
			check: samePixels(tinyWant),
		},
		{
			name: "CCITT G4, /Rotate 270: a 1-bit PNG", format: PNG, w: g4.h, h: g4.w,
			pdf: onePagePDF(g4Parms(""), g4.strip, 270),
			check: func(t *testing.T, p Page, img image.Image) {
				sameGray(t, "page", img, turnCW(turnCW(turnCW(g4Gray))))
				if p.Data[24] != 1 {
					t.Errorf("PNG bit depth %d, want 1", p.Data[24])
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, pages, err := Split(tc.pdf, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if f != PDF || len(pages) != 1 {
				t.Fatalf("Split = %q, %d pages", f, len(pages))
			}
			p := pages[0]
			if p.Format != tc.format || p.Width != tc.w || p.Height != tc.h {
				t.Fatalf("page %s %dx%d, want %s %dx%d", p.Format, p.Width, p.Height, tc.format, tc.w, tc.h)
			}
			if tc.dpiX != 0 && (p.DPIX != tc.dpiX || p.DPIY != tc.dpiY) {
				t.Errorf("dpi %v/%v, want %v/%v", p.DPIX, p.DPIY, tc.dpiX, tc.dpiY)
			}
			if tc.rawSame != nil && !bytes.Equal(p.Data, tc.rawSame) {
				t.Error("page data is not the embedded JPEG")
			}
			img := decodePage(t, p)
			if tc.check != nil {
				tc.check(t, p, img)
			}
			// PNG records dots per metre: close, not equal.
			if x, y := pageDPIFromData(p); tc.format != JPEG && p.DPIX > 0 && (math.Abs(x-p.DPIX) > 0.02 || math.Abs(y-p.DPIY) > 0.02) {
				t.Errorf("resolution in the %s is %v/%v, Page says %v/%v", p.Format, x, y, p.DPIX, p.DPIY)
			}
		})
	}
}

// pageDPIFromData reads the resolution recorded in a page's data.
func pageDPIFromData(p Page) (float64, float64) {
	switch p.Format {
	case PNG:
		return pngDPI(p.Data)
	case JPEG:
		return jpegDPI(p.Data)
	}
	tf, err := tiff.Parse(p.Data)
	if err != nil {
		return 0, 0
	}
	d, err := tf.ReadIFD(tf.First)
	if err != nil {
		return 0, 0
	}
	return tiffDPI(d)
}

// TestSplitPDFChoosesTheScan: the page image is the largest image the page
// draws, wherever it is drawn from; images it does not draw do not count.
func TestSplitPDFChoosesTheScan(t *testing.T) {
	scan := testGray(120, 160)
	stamp := testGray(30, 30)
	unused := testGray(300, 300)
	scanDict := "/Width 120 /Height 160 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode"
	stampDict := "/Width 30 /Height 30 /BitsPerComponent 8 /ColorSpace /DeviceGray"
	for _, tc := range []struct {
		name string
		pdf  func(w *pdfWriter) []byte
	}{
		{"scan and a signature stamp", func(w *pdfWriter) []byte {
			st := w.image(stampDict, stamp.Pix)
			sc := w.image(scanDict, flateBytes(t, scan.Pix))
			return w.finish([]testPDFPage{{
				content:  fullPage + " q 60 0 0 60 400 50 cm /Stamp Do Q",
				xobjects: map[string]int{"Im0": sc, "Stamp": st},
			}}, "")
		}},
		{"scan inside a form XObject", func(w *pdfWriter) []byte {
			st := w.image(stampDict, stamp.Pix)
			sc := w.image(scanDict, flateBytes(t, scan.Pix))
			form := w.add(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Matrix [612 0 0 792 0 0] /Resources << /XObject << /Scan %d 0 R >> >>", sc),
				[]byte("/Scan Do"))
			return w.finish([]testPDFPage{{
				content:  "q /Fm0 Do Q q 60 0 0 60 400 50 cm /Stamp Do Q",
				xobjects: map[string]int{"Fm0": form, "Stamp": st},
			}}, "")
		}},
		{"a form that draws itself", func(w *pdfWriter) []byte {
			sc := w.image(scanDict, flateBytes(t, scan.Pix))
			form := w.reserve()
			w.set(form, fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /Self %d 0 R /Scan %d 0 R >> >>", form, sc),
				[]byte("/Self Do q 612 0 0 792 0 0 cm /Scan Do Q"))
			return w.finish([]testPDFPage{{content: "/Fm0 Do", xobjects: map[string]int{"Fm0": form}}}, "")
		}},
		{"shared resources with an image the page does not draw", func(w *pdfWriter) []byte {
			big := w.image("/Width 300 /Height 300 /BitsPerComponent 8 /ColorSpace /DeviceGray", unused.Pix)
			sc := w.image(scanDict, flateBytes(t, scan.Pix))
			return w.finish([]testPDFPage{{content: fullPage, noRes: true}},
				fmt.Sprintf("/Resources << /XObject << /Im0 %d 0 R /Big %d 0 R >> >>", sc, big))
		}},
		{"a mixed-raster page: a full-resolution mask over a low-resolution background", func(w *pdfWriter) []byte {
			bg := w.image("/Width 40 /Height 50 /BitsPerComponent 8 /ColorSpace /DeviceGray", testGray(40, 50).Pix)
			sc := w.image(scanDict, flateBytes(t, scan.Pix))
			return w.finish([]testPDFPage{{
				content:  "q 612 0 0 792 0 0 cm /Bg Do Q " + fullPage,
				xobjects: map[string]int{"Im0": sc, "Bg": bg},
			}}, "")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w pdfWriter
			_, pages, err := Split(tc.pdf(&w), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if len(pages) != 1 {
				t.Fatalf("%d pages", len(pages))
			}
			sameGray(t, "page", decodePage(t, pages[0]), scan)
		})
	}
}

func TestSplitPDFErrors(t *testing.T) {
	gray := testGray(60, 80)
	grayDict := "/Width 60 /Height 80 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode"
	// twoPages is a good first page and the second page that second adds.
	twoPages := func(second func(w *pdfWriter) testPDFPage) []byte {
		var w pdfWriter
		im := w.image(grayDict, flateBytes(t, gray.Pix))
		return w.finish([]testPDFPage{{content: fullPage, xobjects: map[string]int{"Im0": im}}, second(&w)}, "")
	}
	text := func(content string) func(w *pdfWriter) testPDFPage {
		return func(w *pdfWriter) testPDFPage { return testPDFPage{content: content} }
	}
	var w pdfWriter
	im := w.image(grayDict, flateBytes(t, gray.Pix))
	goodTwo := w.finish([]testPDFPage{
		{content: fullPage, xobjects: map[string]int{"Im0": im}},
		{content: fullPage, xobjects: map[string]int{"Im0": im}},
	}, "")

	for _, tc := range []struct {
		name string
		pdf  []byte
		lim  Limits
		want error
		says string
	}{
		{"page of text", twoPages(text("BT /F1 12 Tf 72 700 Td (Hello) Tj ET")), Limits{}, ErrNoImage, "pdf page 2"},
		{"blank page", twoPages(text("")), Limits{}, ErrNoImage, "pdf page 2"},
		{"text with a small logo", twoPages(func(w *pdfWriter) testPDFPage {
			logo := w.image("/Width 30 /Height 30 /BitsPerComponent 8 /ColorSpace /DeviceGray", testGray(30, 30).Pix)
			return testPDFPage{
				content:  "BT /F1 12 Tf 72 700 Td (Hello) Tj ET q 60 0 0 60 50 700 cm /Logo Do Q",
				xobjects: map[string]int{"Logo": logo},
			}
		}), Limits{}, ErrNoImage, "covers only"},
		{"page pieced together from two strips", twoPages(func(w *pdfWriter) testPDFPage {
			top := w.image(grayDict, flateBytes(t, gray.Pix))
			bottom := w.image("/Width 60 /Height 70 /BitsPerComponent 8 /ColorSpace /DeviceGray", testGray(60, 70).Pix)
			return testPDFPage{
				content:  "q 612 0 0 396 0 396 cm /Top Do Q q 612 0 0 396 0 0 cm /Bottom Do Q",
				xobjects: map[string]int{"Top": top, "Bottom": bottom},
			}
		}), Limits{}, ErrUnsupported, "several images"},
		{"inline image", twoPages(text("q 612 0 0 792 0 0 cm BI /W 60 /H 80 /CS /G /BPC 8 ID " + string(gray.Pix) + " EI Q")), Limits{}, ErrUnsupported, "inline"},
		{"JBIG2", onePagePDF("/Width 60 /Height 80 /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /JBIG2Decode", []byte("not jbig2"), 0), Limits{}, ErrUnsupported, "JBIG2"},
		{"JPEG 2000", onePagePDF("/Width 60 /Height 80 /Filter /JPXDecode", []byte("not jpx"), 0), Limits{}, ErrUnsupported, "JPEG 2000"},
		{"CCITT G3 2-D", onePagePDF("/Width 60 /Height 80 /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /CCITTFaxDecode /DecodeParms << /K 2 /Columns 60 >>", []byte{0, 1}, 0), Limits{}, ErrUnsupported, "2-D"},
		{"Lab colour", onePagePDF("/Width 60 /Height 80 /BitsPerComponent 8 /ColorSpace [/Lab << /WhitePoint [1 1 1] >>] /Filter /FlateDecode", flateBytes(t, gray.Pix), 0), Limits{}, ErrUnsupported, "Lab"},
		{"broken JPEG", onePagePDF("/Width 60 /Height 80 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /DCTDecode", encodeTestJPEG(t, gray)[:300], 0), Limits{}, ErrCorrupt, "pdf page 1"},
		{"broken CCITT", onePagePDF("/Width 60 /Height 80 /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 60 >>", []byte("garbage garbage"), 0), Limits{}, ErrCorrupt, ""},
		{"short image data", onePagePDF(grayDict, flateBytes(t, gray.Pix[:1000]), 0), Limits{}, ErrCorrupt, "image data"},
		{"broken Flate", onePagePDF(grayDict, []byte("this is not zlib"), 0), Limits{}, ErrCorrupt, ""},
		{"no colour space", onePagePDF("/Width 60 /Height 80 /BitsPerComponent 8 /Filter /FlateDecode", flateBytes(t, gray.Pix), 0), Limits{}, ErrCorrupt, "colour space"},
		{"too many pages", goodTwo, Limits{MaxPages: 1}, ErrTooLarge, "2 pages"},
		{"too many pixels", goodTwo, Limits{MaxPixels: 60*80 - 1}, ErrTooLarge, ""},
		{"huge image declared", onePagePDF("/Width 100000 /Height 100000 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", flateBytes(t, gray.Pix), 0), Limits{}, ErrTooLarge, ""},
		{"cut in half", goodTwo[:len(goodTwo)/2], Limits{}, ErrCorrupt, ""},
		{"cut before %%EOF", goodTwo[:len(goodTwo)-7], Limits{}, ErrCorrupt, "truncated"},
		{"header only", []byte("%PDF-1.7\n"), Limits{}, ErrCorrupt, ""},
		{"garbage after the header", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("garbage \x00\xff"), 100)...), Limits{}, ErrCorrupt, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, pages, err := Split(tc.pdf, tc.lim)
			if !errors.Is(err, tc.want) || pages != nil {
				t.Fatalf("Split: %d pages, %v; want %v", len(pages), err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
			t.Log(err)
			// SplitAll hands a page without a scan back for rendering,
			// in its place, and refuses all else as Split does.
			_, all, err := SplitAll(tc.pdf, tc.lim)
			if errors.Is(tc.want, ErrNoImage) || errors.Is(tc.want, ErrUnsupported) {
				electronic := 0
				for _, p := range all {
					if p.Electronic {
						electronic++
					}
					if p.Electronic != (p.Data == nil) {
						t.Errorf("SplitAll: page %+v", p)
					}
				}
				if err != nil || electronic != 1 {
					t.Errorf("SplitAll: %d pages, %d electronic, %v; want the page Split refuses to be electronic", len(all), electronic, err)
				}
			} else if !errors.Is(err, tc.want) || all != nil {
				t.Errorf("SplitAll: %d pages, %v; want %v", len(all), err, tc.want)
			}
		})
	}
}

// TestSplitAllRealScans: the real scans carry text (their publisher's
// signature stamp), but every page is a scan, so none is electronic.
func TestSplitAllRealScans(t *testing.T) {
	for _, name := range []string{"07-CT-UBND-2018.pdf", "11-CT-UBND-2021.pdf", "157-QD-ND-UB-1999.pdf", "23-BC-UBND-2025.pdf"} {
		_, pages, err := SplitAll(readReal(t, name), Limits{})
		if err != nil || len(pages) == 0 {
			t.Fatalf("%s: %v", name, err)
		}
		for i, p := range pages {
			if p.Electronic || len(p.Data) == 0 {
				t.Errorf("%s page %d: electronic %v, %d bytes", name, i+1, p.Electronic, len(p.Data))
			}
		}
	}
}

// TestSplitPDFRealTruncated: real scanner PDFs cut short are corrupt, even
// where pdfcpu could rebuild enough of them to find every page.
func TestSplitPDFRealTruncated(t *testing.T) {
	for _, name := range []string{"07-CT-UBND-2018.pdf", "23-BC-UBND-2025.pdf"} {
		data := readReal(t, name)
		for _, frac := range []float64{0.01, 0.5, 0.9, 0.999} {
			n := int(float64(len(data)) * frac)
			if _, _, err := Split(data[:n], Limits{}); !errors.Is(err, ErrCorrupt) {
				t.Errorf("%s cut to %d of %d bytes: %v, want ErrCorrupt", name, n, len(data), err)
			}
		}
	}
}

// TestSplitPDFEncrypted: a PDF that needs a password is ErrEncrypted; one
// that opens without (an empty user password) is read.
func TestSplitPDFEncrypted(t *testing.T) {
	src := readReal(t, "23-BC-UBND-2025.pdf")
	_, plain, err := Split(src, Limits{})
	if err != nil {
		t.Fatal(err)
	}

	locked := encryptPDF(t, src, "user", "owner")
	if _, _, err := Split(locked, Limits{}); !errors.Is(err, ErrEncrypted) {
		t.Errorf("password-protected PDF: %v, want ErrEncrypted", err)
	} else {
		t.Log(err)
	}

	open := encryptPDF(t, src, "", "owner")
	_, pages, err := Split(open, Limits{})
	if err != nil {
		t.Fatalf("PDF encrypted with an empty user password: %v", err)
	}
	if len(pages) != len(plain) {
		t.Fatalf("%d pages, want %d", len(pages), len(plain))
	}
	for i := range pages {
		if !bytes.Equal(pages[i].Data, plain[i].Data) {
			t.Errorf("page %d differs from the unencrypted file's", i+1)
		}
	}
}

// encryptPDF encrypts a PDF with AES-256, with qpdf if it is installed, else
// with pdfcpu.
func encryptPDF(t *testing.T, src []byte, user, owner string) []byte {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	if _, err := exec.LookPath("qpdf"); err == nil {
		if err := os.WriteFile(in, src, 0o644); err != nil {
			t.Fatal(err)
		}
		if b, err := exec.Command("qpdf", "--encrypt", user, owner, "256", "--", in, out).CombinedOutput(); err != nil {
			t.Fatalf("qpdf: %v\n%s", err, b)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	t.Log("qpdf not installed: encrypting with pdfcpu")
	api.DisableConfigDir()
	var b bytes.Buffer
	if err := api.Encrypt(bytes.NewReader(src), &b, model.NewAESConfiguration(user, owner, 256)); err != nil {
		t.Fatalf("pdfcpu encrypt: %v", err)
	}
	return b.Bytes()
}

// A page with text beside a chart over a third of it is a scan to Split
// (its image is taken out) but not to SplitAll, which hands it on to be
// rendered, so that its text is not lost; a scan over the whole page is a
// scan to both.
func TestSplitAllChartBesideText(t *testing.T) {
	var w pdfWriter
	chart := w.image("/Width 60 /Height 60 /BitsPerComponent 8 /ColorSpace /DeviceGray", testGray(60, 60).Pix)
	scan := w.image("/Width 60 /Height 80 /BitsPerComponent 8 /ColorSpace /DeviceGray", testGray(60, 80).Pix)
	pdf := w.finish([]testPDFPage{
		{content: "BT /F1 12 Tf 72 740 Td (Report) Tj ET q 400 0 0 400 100 200 cm /Chart Do Q", xobjects: map[string]int{"Chart": chart}},
		{content: fullPage, xobjects: map[string]int{"Im0": scan}},
	}, "")
	_, split, err := Split(pdf, Limits{})
	if err != nil || len(split) != 2 || split[0].Data == nil {
		t.Fatalf("Split: %d pages, %v", len(split), err)
	}
	_, all, err := SplitAll(pdf, Limits{})
	if err != nil || len(all) != 2 || !all[0].Electronic || all[1].Electronic || all[1].Data == nil {
		t.Fatalf("SplitAll: %+v, %v; want page 1 electronic, page 2 a scan", all, err)
	}
	if c := all[0].Cover; c < 0.32 || c > 0.34 || c < LargeImage {
		t.Errorf("the chart covers %.3f of the page, want 400×400 of 612×792 pt", c)
	}
}
