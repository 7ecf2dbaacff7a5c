package ocr

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/fixtures/synth"
	"github.com/sohoa/sohoa/ocr/deskew"
	"github.com/sohoa/sohoa/ocr/tesseract"
	"github.com/sohoa/sohoa/pipeline"
)

// encodeFor writes a rendered page as ingest would store it.
func encodeFor(t *testing.T, img image.Image, mode synth.Mode) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	if mode == synth.Bilevel {
		if err := synth.WriteTIFF(&b, []image.Image{img}, 300); err != nil {
			t.Fatal(err)
		}
		return b.Bytes(), "tiff"
	}
	if err := synth.WriteJPEG(&b, img, 300); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), "jpeg"
}

func TestPrepareTurnsAndStraightens(t *testing.T) {
	gen, err := synth.NewGenerator()
	if err != nil {
		t.Fatal(err)
	}
	osd, err := tesseract.NewOSD("")
	if err != nil {
		t.Fatal(err)
	}
	defer osd.Close()
	tests := []struct {
		rot     int
		skew    float64
		mode    synth.Mode
		seal    bool
		fixed   string // format of the corrected page, "" for none
		patches bool   // colour patches over it
	}{
		{0, 0, synth.Gray, false, "", false},
		{0, 3.5, synth.Gray, false, "tiff", false},     // text on paper: black and white
		{90, -2, synth.Bilevel, false, "tiff", false},  // G4 stays G4
		{180, 1.2, synth.Color, true, "tiff", true},    // a seal: kept in colour over it
		{270, -4.5, synth.Color, false, "tiff", false}, // tinted paper is not colour
		{0, -14, synth.Bilevel, false, "tiff", false},
	}
	for i, tt := range tests {
		_, imgs, err := gen.Render(synth.Options{Seed: uint64(100 + i), Rotation: tt.rot, Skew: tt.skew, Mode: tt.mode, Seal: tt.seal, Noise: 6})
		if err != nil {
			t.Fatal(err)
		}
		data, format := encodeFor(t, imgs[0], tt.mode)
		p, err := Prepare(data, format, 300, osd)
		if err != nil {
			t.Fatal(err)
		}
		if want := (360 - tt.rot) % 360; p.Rotation != want {
			t.Errorf("page %d turned %d°: Prepare turns it %d°, want %d°", i, tt.rot, p.Rotation, want)
		}
		if math.Abs(p.Skew-tt.skew) > 0.3 {
			t.Errorf("page %d skewed %.1f°: Prepare straightens %.2f°", i, tt.skew, p.Skew)
		}
		if p.FixedFormat != tt.fixed || (tt.fixed == "") != (p.Fixed == nil) {
			t.Errorf("page %d: corrected page %q (%d bytes), want %q", i, p.FixedFormat, len(p.Fixed), tt.fixed)
		}
		if (len(p.Patches) > 0) != tt.patches {
			t.Errorf("page %d: %d colour patches, want some: %v", i, len(p.Patches), tt.patches)
		}
		for _, pt := range p.Patches {
			if !pt.Rect.In(image.Rect(0, 0, p.Width, p.Height)) || pt.Rect.Dx()*pt.Rect.Dy() > p.Width*p.Height/4 {
				t.Errorf("page %d: patch %v on a %dx%d page", i, pt.Rect, p.Width, p.Height)
			}
			cfg, _, err := image.DecodeConfig(bytes.NewReader(pt.Data))
			if err != nil || cfg.Width != pt.Rect.Dx() || cfg.Height != pt.Rect.Dy() {
				t.Errorf("page %d: patch image %dx%d (%v) for %v", i, cfg.Width, cfg.Height, err, pt.Rect)
			}
		}
		// The OCR copy is a PBM at 200 dpi of the corrected page.
		if !bytes.HasPrefix(p.ForOCR, []byte("P4\n")) || math.Abs(p.OCRDPI-200) > 1 {
			t.Errorf("page %d: OCR copy %.10q at %.0f dpi", i, p.ForOCR, p.OCRDPI)
		}
		if r := float64(p.OCRWidth) / float64(p.Width); math.Abs(r-2.0/3) > 0.01 {
			t.Errorf("page %d: OCR copy %dx%d of a %dx%d page", i, p.OCRWidth, p.OCRHeight, p.Width, p.Height)
		}
		if p.Fixed != nil {
			cfg, _, err := image.DecodeConfig(bytes.NewReader(p.Fixed))
			if err != nil || cfg.Width != p.Width || cfg.Height != p.Height {
				t.Errorf("page %d: corrected page %dx%d (%v), want %dx%d", i, cfg.Width, cfg.Height, err, p.Width, p.Height)
			}
			// An upright page is taller than wide.
			if p.Width > p.Height {
				t.Errorf("page %d: corrected page is %dx%d, not upright", i, p.Width, p.Height)
			}
		}
	}
}

func TestPrepareRefusesBadImages(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":     nil,
		"not image": []byte("hello"),
		"truncated": func() []byte {
			var b bytes.Buffer
			g := image.NewGray(image.Rect(0, 0, 50, 50))
			if err := synth.WriteJPEG(&b, g, 300); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()[:b.Len()/2]
		}(),
	} {
		if _, err := Prepare(data, "jpeg", 300, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// pngHeader is the start of a PNG that claims w×h pixels: signature and
// IHDR, enough for image.DecodeConfig and nothing to decode.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0) // 8-bit grey
	b := []byte("\x89PNG\r\n\x1a\n")
	b = binary.BigEndian.AppendUint32(b, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b = append(b, chunk...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
}

// A page over the pipeline's limit is refused from its header: the worker
// must not decode (and allocate) it first. 14 000 × 14 000 is 196 Mpx, which
// the old limit of 200 Mpx let through to be OCR'd and then refused by the
// PDF writer.
func TestPrepareRefusesPagesOverTheLimit(t *testing.T) {
	for _, size := range [][2]uint32{{14000, 14000}, {1 << 14, 1<<13 + 1}, {1 << 30, 1}} {
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Prepare(pngHeader(size[0], size[1]), "png", 300, nil)
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), "too large") {
			t.Errorf("%dx%d: err = %v, want too large", size[0], size[1], err)
		}
		if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
			t.Errorf("%dx%d: %d bytes allocated to refuse it", size[0], size[1], d)
		}
	}
}

// Straightening never takes a page past the limit: the skew is dropped
// instead, and only when it would.
func TestSkewWithin(t *testing.T) {
	for _, tt := range []struct {
		w, h int
		deg  float64
		want float64
	}{
		{2480, 3508, 2, 2},           // A4 at 300 dpi
		{11000, 12200, 0, 0},         // 134.2 Mpx, just under: nothing to do
		{11000, 12200, 0.005, 0.005}, // below deskew's own threshold: no growth
		{11000, 12200, 2, 0},         // would grow to 143 Mpx
		{11000, 12200, -0.5, 0},      // even half a degree grows it past
		{9000, 12000, 2, 2},          // 108 Mpx, 115 Mpx straightened
		{9000, 14900, 3, 0},          // 134.1 Mpx before, 148 Mpx after
	} {
		if got := skewWithin(tt.w, tt.h, tt.deg); got != tt.want {
			nw, nh := deskew.Size(tt.w, tt.h, 0, tt.deg)
			t.Errorf("skewWithin(%d, %d, %v) = %v, want %v (straightened %dx%d = %d px, limit %d)",
				tt.w, tt.h, tt.deg, got, tt.want, nw, nh, nw*nh, pipeline.MaxPagePixels)
		}
	}
}

// BenchmarkPrepare measures what the worker spends on a page before
// Tesseract reads it: decoding, finding skew and orientation, correcting,
// cleaning, and encoding the corrected page for the archive.
func BenchmarkPrepare(b *testing.B) {
	gen, err := synth.NewGenerator()
	if err != nil {
		b.Fatal(err)
	}
	var datas [][]byte
	var formats []string
	for i, o := range []synth.Options{
		{Seed: 1, Skew: 3, Mode: synth.Gray, Noise: 12},
		{Seed: 2, Skew: -2.5, Mode: synth.Color, Seal: true, Noise: 12},
		{Seed: 3, Skew: 4, Mode: synth.Bilevel},
		{Seed: 4, Skew: -1, Rotation: 90, Mode: synth.Color, Noise: 6},
	} {
		_, imgs, err := gen.Render(o)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		format := "jpeg"
		if o.Mode == synth.Bilevel {
			format = "tiff"
			err = synth.WriteTIFF(&buf, imgs, 300)
		} else {
			err = synth.WriteJPEG(&buf, imgs[0], 300)
		}
		if err != nil {
			b.Fatal(i, err)
		}
		datas, formats = append(datas, buf.Bytes()), append(formats, format)
	}
	b.ResetTimer()
	for b.Loop() {
		for i := range datas {
			if _, err := Prepare(datas[i], formats[i], 300, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(datas)), "ms/page")
}
