package pages

import (
	"archive/zip"
	"bytes"
	"errors"
	"image"
	"math/rand/v2"
	"strings"
	"testing"
)

func zipFile(t testing.TB, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, n := range names {
		w, err := z.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<xml/>"))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDetect(t *testing.T) {
	smallJPEG := encodeTestJPEG(t, testGray(16, 16))
	smallPNG := encodeTestPNG(t, testGray(16, 16))
	le, _, _ := buildTestTIFF(leBO, []tIFD{grayIFD(testGray(8, 8), 8)})
	be, _, _ := buildTestTIFF(beBO, []tIFD{grayIFD(testGray(8, 8), 8)})
	random := make([]byte, 1024)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(r.UintN(256))
	}
	random[0], random[1] = 0x00, 0xEE // not by chance a magic number

	for _, tc := range []struct {
		name string
		head []byte
		want Format
		says string // for ErrUnsupported: part of the message
	}{
		{"jpeg", smallJPEG, JPEG, ""},
		{"png", smallPNG, PNG, ""},
		{"tiff II", le, TIFF, ""},
		{"tiff MM", be, TIFF, ""},
		{"pdf", []byte("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj"), PDF, ""},
		{"pdf after junk", append(bytes.Repeat([]byte{'\n'}, 300), "%PDF-1.7\n"...), PDF, ""},
		{"pdf too late", append(bytes.Repeat([]byte{' '}, 2000), "%PDF-1.7\n"...), "", "text"},
		{"jpeg named .pdf is still jpeg", smallJPEG[:8], JPEG, ""},
		{"docx", zipFile(t, "[Content_Types].xml", "word/document.xml"), "", "docx"},
		{"xlsx", zipFile(t, "[Content_Types].xml", "xl/workbook.xml"), "", "xlsx"},
		{"zip", zipFile(t, "a.txt"), "", "zip"},
		{"gif", []byte("GIF89a\x10\x00\x10\x00\x80\x00\x00"), "", "GIF"},
		{"bmp", append([]byte("BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00"), make([]byte, 40)...), "", "BMP"},
		{"webp", []byte("RIFF\x24\x00\x00\x00WEBPVP8 "), "", "WebP"},
		{"heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), "", "HEIC"},
		{"doc", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00"), "", ".doc"},
		{"bigtiff", []byte("II+\x00\x08\x00\x00\x00"), "", "BigTIFF"},
		{"text", []byte("Ủy ban nhân dân huyện\nSố: 15/2020/QĐ-UBND\n"), "", "text"},
		{"html", []byte("<!DOCTYPE html><html><body>"), "", "HTML"},
		{"random", random, "", "unknown format"},
		{"short", []byte{0xFF}, "", "unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Detect(tc.head)
			if tc.want != "" {
				if err != nil || got != tc.want {
					t.Fatalf("Detect = %q, %v; want %q", got, err, tc.want)
				}
				return
			}
			if !errors.Is(err, ErrUnsupported) {
				t.Fatalf("Detect = %q, %v; want ErrUnsupported", got, err)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
			// Split agrees with Detect.
			if _, _, err := Split(tc.head, Limits{}); !errors.Is(err, ErrUnsupported) {
				t.Errorf("Split: %v, want ErrUnsupported", err)
			}
		})
	}
}

// An empty file is ErrEmpty, not an unsupported format: the clerk is told
// there is nothing in it (a copy that wrote nothing), not to change the
// scanner's format.
func TestDetectEmpty(t *testing.T) {
	if _, err := Detect(nil); !errors.Is(err, ErrEmpty) || !strings.Contains(err.Error(), "0 bytes") {
		t.Errorf("Detect(nil): %v, want ErrEmpty saying 0 bytes", err)
	}
	if _, _, err := Split(nil, Limits{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("Split(nil): %v, want ErrEmpty", err)
	}
}

// TestDetectIgnoresTheName: there is no name to look at; a PNG stays a PNG
// whatever the caller thinks, and its first 8 bytes are enough.
func TestDetectHeadOnly(t *testing.T) {
	b := encodeTestPNG(t, image.NewGray(image.Rect(0, 0, 4, 4)))
	for _, n := range []int{8, 16, 1024} {
		if f, err := Detect(b[:min(n, len(b))]); f != PNG || err != nil {
			t.Errorf("Detect(first %d bytes) = %q, %v", n, f, err)
		}
	}
}
