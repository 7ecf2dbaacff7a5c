package pdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
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

// TestJPEGCMYK checks the image dictionary of a CMYK JPEG: DeviceCMYK, and
// the inverted Decode array only with an Adobe marker.
func TestJPEGCMYK(t *testing.T) {
	for _, withAdobe := range []bool{true, false} {
		segs := [][]byte{sof(0xC0, 8, 40, 30, 4), sos}
		if withAdobe {
			segs = append([][]byte{adobe}, segs...)
		}
		src := jpegHeaders(segs...)
		sd := pageImageStream(t, readPDF(t, writePDF(t, []Page{{Image: src, Format: "jpeg"}}, testInfo)), 1)
		if cs := sd.NameEntry("ColorSpace"); cs == nil || *cs != "DeviceCMYK" {
			t.Errorf("adobe %v: ColorSpace %v", withAdobe, cs)
		}
		decode, ok := sd.Find("Decode")
		if want := types.NewIntegerArray(1, 0, 1, 0, 1, 0, 1, 0); withAdobe && (!ok || decode.String() != want.String()) {
			t.Errorf("Adobe CMYK: Decode %v, want %v", decode, want)
		}
		if !withAdobe && ok {
			t.Errorf("plain CMYK: Decode %v, want none", decode)
		}
		if !bytes.Equal(sd.Raw, src) {
			t.Errorf("adobe %v: JPEG not passed through", withAdobe)
		}
	}
	var b bytes.Buffer
	err := Write(&b, []Page{{Image: jpegHeaders(sof(0xC9, 8, 10, 10, 3), sos), Format: "jpeg"}}, testInfo)
	if !errors.Is(err, ErrBadImage) {
		t.Errorf("arithmetic JPEG: %v, want ErrBadImage", err)
	}
}
