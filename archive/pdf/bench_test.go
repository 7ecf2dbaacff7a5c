package pdf

import (
	"io"
	"sync"
	"testing"

	"github.com/sohoa/sohoa/ccitt"
)

// TestConcurrentWrite writes the same document from several goroutines at
// once (run with -race to check that Write shares no state).
func TestConcurrentWrite(t *testing.T) {
	pages := document(t)
	want := len(writePDF(t, pages, testInfo))
	var wg sync.WaitGroup
	errs := make([]error, 4)
	sizes := make([]int, 4)
	for i := range errs {
		wg.Go(func() {
			var c countWriter
			errs[i] = Write(&c, pages, testInfo)
			sizes[i] = int(c)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
		// The dates and the second ID element may differ, not the length.
		if sizes[i] != want {
			t.Errorf("writer %d wrote %d bytes, want %d", i, sizes[i], want)
		}
	}
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

// BenchmarkWrite measures one A4 page at 300 dpi with a full line of text
// per 120 pixels, for each way an image is embedded.
func BenchmarkWrite(b *testing.B) {
	var lines []testLine
	for i := range 25 {
		lines = append(lines, testLine{words: vietnamese[i%len(vietnamese)].words, para: i/5 + 1, gap: 20, tesseract: true})
	}
	img, text := textPage(lines)
	g4 := ccitt.EncodeG4(img)
	for _, bc := range []struct {
		name string
		page Page
	}{
		{"jpeg", Page{Image: encodeJPEG(b, img), Format: "jpeg", Text: text}},
		{"png gray", Page{Image: encodePNG(b, img), Format: "png", Text: text}},
		{"tiff g4", Page{Image: buildTIFF(tiffFile{width: a4W, height: a4H, compression: 4, strips: [][]byte{g4}}), Format: "tiff", Text: text}},
		{"tiff g4 in strips", Page{Image: buildTIFF(tiffFile{width: a4W, height: a4H, compression: 4, rowsPerStrip: 256,
			strips: g4Strips(img, 256)}), Format: "tiff", Text: text}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Write(io.Discard, []Page{bc.page}, testInfo); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
