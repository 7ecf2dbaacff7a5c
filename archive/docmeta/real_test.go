package docmeta

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/ingest/pages"
	"github.com/sohoa/sohoa/pipeline"
)

var (
	update  = flag.Bool("update", false, "regenerate testdata/real/*.json: the golden Meta, and the page-1 OCR (as the worker reads it, with Tesseract) when -realdir holds the scans")
	realDir = flag.String("realdir", "../../fixtures/real", "directory holding the real scans and their labels.json, read by -update")
)

// label is one entry of fixtures/real/labels.json: what a person read on page 1.
type label struct {
	File      string `json:"file"`
	DocNumber string `json:"doc_number"`
	Date      string `json:"date"`
	Type      string `json:"type"`
}

const realData = "testdata/real"

// TestRealScans runs Extract on the page-1 OCR of the real scans, as
// sohoa's worker reads them (ocr.Prepare's cleaned page at 200 dpi,
// Tesseract 5.3 vie with character confidences), stored once as JSON so
// that the test needs no Tesseract. The hard rule: a number or date that is
// not flagged for review is the one printed. The golden Meta pins the rest,
// so that any change in what is read shows up in review.
//
// Regenerate with: go test ./archive/docmeta/ -run TestRealScans -update
// (needs cgo and libtesseract with vie, and the scans in fixtures/real or -realdir).
func TestRealScans(t *testing.T) {
	if *update {
		if _, err := os.Stat(filepath.Join(*realDir, "labels.json")); err == nil {
			regenerateReal(t)
		} else {
			t.Logf("-update: no scans in %s, OCR goldens kept", *realDir)
		}
	}
	labels := readLabels(t, filepath.Join(realData, "labels.json"))
	certain, flagged, wrongCertain := 0, 0, 0
	for _, l := range labels {
		base := strings.TrimSuffix(l.File, ".pdf")
		t.Run(base, func(t *testing.T) {
			var pt pipeline.PageText
			readJSON(t, filepath.Join(realData, base+".page1.json"), &pt)
			m := Extract([]*pipeline.PageText{&pt})
			checkInvariants(t, m)
			numOK := m.DocNumber == l.DocNumber
			dateOK := m.Date == l.Date
			if !m.NeedsReview && (!numOK || !dateOK) {
				wrongCertain++
				t.Errorf("wrong and certain: got %q %q, printed %q %q", m.DocNumber, m.Date, l.DocNumber, l.Date)
			}
			if m.Confidence["doc_number"] >= 0.85 && !numOK {
				t.Errorf("number %q has confidence %.2f, printed %q", m.DocNumber, m.Confidence["doc_number"], l.DocNumber)
			}
			if m.Confidence["date"] >= 0.85 && !dateOK {
				t.Errorf("date %q has confidence %.2f, printed %q", m.Date, m.Confidence["date"], l.Date)
			}
			if m.Type != l.Type {
				t.Errorf("type %q, printed %q", m.Type, l.Type)
			}
			if m.NeedsReview {
				flagged++
			} else {
				certain++
			}
			t.Logf("number %-14q (printed %-14q) date %-12q (printed %s) type %q review=%v %q",
				m.DocNumber, l.DocNumber, m.Date, l.Date, m.Type, m.NeedsReview, m.Review)
			golden := filepath.Join(realData, base+".meta.json")
			got, err := json.MarshalIndent(m, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Meta differs from %s (rerun with -update if the change is intended):\n got: %s\nwant: %s", golden, got, want)
			}
		})
	}
	t.Logf("real scans: %d certain, %d flagged for review, %d wrong and certain", certain, flagged, wrongCertain)
}

func readLabels(t *testing.T, path string) []label {
	t.Helper()
	var ls []label
	readJSON(t, path, &ls)
	if len(ls) == 0 {
		t.Fatalf("%s: no labels", path)
	}
	return ls
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// regenerateReal OCRs page 1 of each real scan the way the worker does
// (see workerOCR): split as ingest splits the PDF, prepared by ocr.Prepare,
// read by Tesseract with a confidence for every character.
func regenerateReal(t *testing.T) {
	w, err := startWorkerOCR()
	if err != nil {
		t.Fatalf("-update needs Tesseract: %v", err)
	}
	defer w.close()
	if err := os.MkdirAll(realData, 0o755); err != nil {
		t.Fatal(err)
	}
	labelData, err := os.ReadFile(filepath.Join(*realDir, "labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(realData, "labels.json"), labelData, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, l := range readLabels(t, filepath.Join(realData, "labels.json")) {
		base := strings.TrimSuffix(l.File, ".pdf")
		data, err := os.ReadFile(filepath.Join(*realDir, l.File))
		if err != nil {
			t.Fatal(err)
		}
		_, ps, err := pages.Split(data, pages.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", l.File, err)
		}
		pt, err := w.read(ps[0])
		if err != nil {
			t.Fatalf("%s: %v", l.File, err)
		}
		pt.Doc, pt.Page, pt.Image = base, 1, base+".page1."+pt.Format
		data, err = json.MarshalIndent(pt, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(realData, base+".page1.json"), append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
