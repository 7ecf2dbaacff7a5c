package pdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// jpegHeaders builds the marker segments of a JPEG up to and including its
// first scan header, followed by a few bytes of (fake) entropy-coded data.
func jpegHeaders(segments ...[]byte) []byte {
	b := []byte{0xFF, 0xD8}
	for _, s := range segments {
		b = append(b, s...)
	}
	return append(b, 0x12, 0x34, 0xFF, 0xD9)
}

func segment(marker byte, payload []byte) []byte {
	b := []byte{0xFF, marker}
	b = binary.BigEndian.AppendUint16(b, uint16(2+len(payload)))
	return append(b, payload...)
}

func sof(marker, precision byte, w, h, comps int) []byte {
	p := []byte{precision}
	p = binary.BigEndian.AppendUint16(p, uint16(h))
	p = binary.BigEndian.AppendUint16(p, uint16(w))
	p = append(p, byte(comps))
	for i := range comps {
		p = append(p, byte(i+1), 0x11, 0)
	}
	return segment(marker, p)
}

var (
	app0  = segment(0xE0, []byte("JFIF\x00\x01\x02\x01\x01\x2c\x01\x2c\x00\x00"))
	adobe = segment(0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x02"))
	dqt   = segment(0xDB, make([]byte, 65))
	sos   = segment(0xDA, []byte{1, 1, 0, 0, 63, 0})
)

func TestParseJPEG(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want jpegInfo
		ok   bool
	}{
		{"baseline gray", jpegHeaders(app0, dqt, sof(0xC0, 8, 640, 480, 1), sos), jpegInfo{640, 480, 1, false}, true},
		{"progressive rgb", jpegHeaders(app0, sof(0xC2, 8, 2480, 3508, 3), sos), jpegInfo{2480, 3508, 3, false}, true},
		{"extended cmyk adobe", jpegHeaders(adobe, sof(0xC1, 8, 10, 20, 4), sos), jpegInfo{10, 20, 4, true}, true},
		{"fill bytes before markers", append([]byte{0xFF, 0xD8, 0xFF, 0xFF}, append(sof(0xC0, 8, 5, 6, 3), sos...)...), jpegInfo{5, 6, 3, false}, true},
		{"not a jpeg", []byte("\x89PNG\r\n\x1a\n"), jpegInfo{}, false},
		{"12-bit", jpegHeaders(sof(0xC1, 12, 10, 10, 1), sos), jpegInfo{}, false},
		{"arithmetic", jpegHeaders(sof(0xC9, 8, 10, 10, 1), sos), jpegInfo{}, false},
		{"lossless", jpegHeaders(sof(0xC3, 8, 10, 10, 1), sos), jpegInfo{}, false},
		{"two components", jpegHeaders(sof(0xC0, 8, 10, 10, 2), sos), jpegInfo{}, false},
		{"height in DNL", jpegHeaders(sof(0xC0, 8, 10, 0, 1), sos), jpegInfo{}, false},
		{"scan before frame", jpegHeaders(app0, sos), jpegInfo{}, false},
		{"truncated segment", jpegHeaders(app0)[:10], jpegInfo{}, false},
		{"no scan", []byte{0xFF, 0xD8, 0xFF, 0xD9}, jpegInfo{}, false},
		{"two frames", jpegHeaders(sof(0xC0, 8, 10, 10, 1), sof(0xC0, 8, 10, 10, 1), sos), jpegInfo{}, false},
	}
	for _, tt := range tests {
		got, err := parseJPEG(tt.data)
		if (err == nil) != tt.ok {
			t.Errorf("%s: error %v, want ok=%v", tt.name, err, tt.ok)
			continue
		}
		if tt.ok && got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// cmykBlocks are the colours of testdata/cmyk.jpg, 16x16 pixels each, left
// to right.
var cmykBlocks = []color.CMYK{{255, 0, 0, 0}, {0, 255, 0, 0}, {0, 0, 255, 0}, {0, 0, 0, 255}, {0, 0, 0, 0}, {64, 128, 32, 96}}

// TestJPEGCMYK checks that CMYK JPEGs, which PDF/A does not allow under an
// RGB output intent, are converted to RGB JPEGs with the right colours: an
// Adobe JPEG (inverted samples), and the same data without its Adobe
// marker, where the samples are taken as they are, as PDF readers do.
func TestJPEGCMYK(t *testing.T) {
	adobeJPEG := readTestdata(t, "cmyk.jpg")
	if !bytes.Equal(adobeJPEG[2:9], []byte{0xFF, 0xEE, 0, 14, 'A', 'd', 'o'}) {
		t.Fatalf("testdata/cmyk.jpg does not start with an Adobe APP14 marker")
	}
	plainJPEG := append(bytes.Clone(adobeJPEG[:2]), adobeJPEG[2+2+14:]...)
	for _, tt := range []struct {
		name   string
		src    []byte
		invert bool // the decoded samples are the complement of cmykBlocks
	}{
		{"adobe", adobeJPEG, false},
		{"no adobe marker", plainJPEG, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sd := pageImageStream(t, readPDF(t, writePDF(t, []Page{{Image: tt.src, Format: "jpeg"}}, testInfo)), 1)
			if cs := sd.NameEntry("ColorSpace"); cs == nil || *cs != "DeviceRGB" {
				t.Errorf("ColorSpace %v, want DeviceRGB", cs)
			}
			if f := sd.NameEntry("Filter"); f == nil || *f != "DCTDecode" {
				t.Errorf("Filter %v, want DCTDecode", f)
			}
			if d, ok := sd.Find("Decode"); ok {
				t.Errorf("Decode %v, want none", d)
			}
			img, err := jpeg.Decode(bytes.NewReader(sd.Raw))
			if err != nil {
				t.Fatalf("embedded JPEG: %v", err)
			}
			if _, ok := img.(*image.YCbCr); !ok {
				t.Errorf("embedded JPEG decodes as %T, want a 3-component (YCbCr) image", img)
			}
			if b := img.Bounds(); b.Dx() != 16*len(cmykBlocks) || b.Dy() != 16 {
				t.Errorf("embedded JPEG is %v", b)
			}
			for i, c := range cmykBlocks {
				if tt.invert {
					c = color.CMYK{0xFF - c.C, 0xFF - c.M, 0xFF - c.Y, 0xFF - c.K}
				}
				wr, wg, wb := color.CMYKToRGB(c.C, c.M, c.Y, c.K)
				r, g, b, _ := img.At(16*i+8, 8).RGBA()
				if abs(int(r>>8)-int(wr)) > 6 || abs(int(g>>8)-int(wg)) > 6 || abs(int(b>>8)-int(wb)) > 6 {
					t.Errorf("block %d (%v): RGB %d %d %d, want %d %d %d", i, c, r>>8, g>>8, b>>8, wr, wg, wb)
				}
			}
		})
	}

	var b bytes.Buffer
	err := Write(&b, []Page{{Image: jpegHeaders(sof(0xC9, 8, 10, 10, 3), sos), Format: "jpeg"}}, testInfo)
	if !errors.Is(err, ErrBadImage) {
		t.Errorf("arithmetic JPEG: %v, want ErrBadImage", err)
	}
	// A CMYK JPEG whose data cannot be decoded.
	err = Write(&b, []Page{{Image: jpegHeaders(adobe, sof(0xC0, 8, 40, 30, 4), sos), Format: "jpeg"}}, testInfo)
	if !errors.Is(err, ErrBadImage) {
		t.Errorf("corrupt CMYK JPEG: %v, want ErrBadImage", err)
	}
}
