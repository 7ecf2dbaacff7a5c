//go:build synth

// This test renders pages with the synthetic-scan generator of
// fixtures/synth and reads them with Tesseract. It is behind the "synth"
// build tag so that the package's tests do not depend on the generator's
// API while it is young:
//
//	go test -tags synth ./archive/docmeta/ -run TestSynth -v

package docmeta

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/sohoa/sohoa/fixtures/synth"
	"github.com/sohoa/sohoa/pipeline"
)

var synthN = flag.Int("synthn", 9, "how many synthetic documents TestSynth renders and reads")

func TestSynth(t *testing.T) {
	if _, err := exec.LookPath("tesseract"); err != nil {
		t.Skip("tesseract not installed")
	}
	n := *synthN
	if testing.Short() {
		n = 3
	}
	certain, right, wrongCertain := 0, 0, 0
	for i := range n {
		opts := synth.Options{Seed: uint64(1000 + i), Type: synth.Types[i%len(synth.Types)], Mode: synth.Gray}
		switch i % 3 {
		case 1:
			opts.Seal, opts.Mode, opts.Paper, opts.Contrast = true, synth.Color, 235, 0.3
		case 2:
			opts.Noise, opts.Blur, opts.Mode = 12, 0.8, synth.Bilevel
		}
		if i%4 == 3 {
			opts.Skew = 0.6 // left for the worker to straighten; read as is here
		}
		doc, imgs, err := synth.NewDoc(opts)
		if err != nil {
			t.Fatal(err)
		}
		var png bytes.Buffer
		if err := synth.WritePNG(&png, imgs[0], 300); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "page.png")
		if err := os.WriteFile(path, png.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("tesseract", path, "stdout", "-l", "vie", "hocr").Output()
		if err != nil {
			t.Fatalf("tesseract: %v", err)
		}
		pt, err := pageFromHOCR(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		m := Extract([]*pipeline.PageText{pt})
		checkInvariants(t, m)
		ok := m.DocNumber == doc.DocNumber && m.Date == doc.Date
		if ok {
			right++
		}
		if !m.NeedsReview {
			certain++
			if !ok {
				wrongCertain++
				t.Errorf("seed %d: wrong and certain: %q %q, printed %q %q", opts.Seed, m.DocNumber, m.Date, doc.DocNumber, doc.Date)
			}
		}
		if m.Type != doc.Type {
			t.Logf("seed %d: type %q, printed %q", opts.Seed, m.Type, doc.Type)
		}
		t.Logf("seed %d %-10s: %-20q %q (printed %q %q) type %q review=%v %q",
			opts.Seed, opts.Mode, m.DocNumber, m.Date, doc.DocNumber, doc.Date, m.Type, m.NeedsReview, m.Review)
	}
	t.Logf("synthetic pages: %d, right %d, certain %d, wrong and certain %d", n, right, certain, wrongCertain)
}
