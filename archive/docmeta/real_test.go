package docmeta

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/pipeline"
)

var (
	update  = flag.Bool("update", false, "regenerate testdata/real/*.json: the golden Meta, and the page-1 OCR (pdfimages and tesseract) when -realdir holds the scans")
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
// sohoa's worker reads them (Tesseract 5.3, vie), stored once as JSON so
// that the test needs no Tesseract. The hard rule: a number or date that is
// not flagged for review is the one printed. The golden Meta pins the rest,
// so that any change in what is read shows up in review.
//
// Regenerate with: go test ./archive/docmeta/ -run TestRealScans -update
// (needs pdfimages and tesseract, and the scans in fixtures/real or -realdir).
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

// regenerateReal OCRs page 1 of each real scan the way the worker does:
// the page image as stored in the PDF (pdfimages), read by Tesseract in
// Vietnamese, hOCR parsed into a PageText.
func regenerateReal(t *testing.T) {
	for _, tool := range []string{"pdfimages", "tesseract"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("-update needs %s: %v", tool, err)
		}
	}
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
	engine := "tesseract"
	if out, err := exec.Command("tesseract", "--version").CombinedOutput(); err == nil {
		engine = strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0]) + " vie"
	}
	for _, l := range readLabels(t, filepath.Join(realData, "labels.json")) {
		base := strings.TrimSuffix(l.File, ".pdf")
		dir := t.TempDir()
		if out, err := exec.Command("pdfimages", "-png", "-f", "1", "-l", "1", filepath.Join(*realDir, l.File), filepath.Join(dir, "out")).CombinedOutput(); err != nil {
			t.Fatalf("pdfimages %s: %v\n%s", l.File, err, out)
		}
		img := filepath.Join(dir, "out-000.png")
		var stderr bytes.Buffer
		cmd := exec.Command("tesseract", img, "stdout", "-l", "vie", "hocr")
		cmd.Stderr = &stderr
		hocr, err := cmd.Output()
		if err != nil {
			t.Fatalf("tesseract %s: %v\n%s", l.File, err, stderr.Bytes())
		}
		pt, err := pageFromHOCR(bytes.NewReader(hocr))
		if err != nil {
			t.Fatalf("%s: %v", l.File, err)
		}
		pt.Doc, pt.Page, pt.Image, pt.Format, pt.Engine = base, 1, "out-000.png", "png", engine
		data, err := json.MarshalIndent(pt, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(realData, base+".page1.json"), append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// pageFromHOCR is the test's own small reader of Tesseract's hOCR: page
// size, paragraphs, lines (bbox, baseline) and words (bbox, x_wconf).
func pageFromHOCR(r io.Reader) (*pipeline.PageText, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	pt := &pipeline.PageText{}
	type open struct {
		class string
	}
	var stack []open
	para := 0
	var text strings.Builder
	var cur *pipeline.Word
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("hocr: %w", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			var class, title string
			for _, a := range e.Attr {
				switch a.Name.Local {
				case "class":
					class = a.Value
				case "title":
					title = a.Value
				}
			}
			stack = append(stack, open{class})
			props := hocrProps(title)
			switch class {
			case "ocr_page":
				b := hocrBox(props["bbox"])
				pt.Width, pt.Height = b.X1, b.Y1
			case "ocr_par":
				para++
			case "ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat":
				l := pipeline.Line{Box: hocrBox(props["bbox"]), Para: max(para, 1)}
				if f := props["baseline"]; len(f) == 2 {
					l.BaseSlope, _ = strconv.ParseFloat(f[0], 64)
					l.BaseOffset, _ = strconv.ParseFloat(f[1], 64)
				}
				pt.Lines = append(pt.Lines, l)
			case "ocrx_word":
				w := pipeline.Word{Box: hocrBox(props["bbox"])}
				if f := props["x_wconf"]; len(f) == 1 {
					w.Conf, _ = strconv.ParseFloat(f[0], 64)
				}
				cur = &w
				text.Reset()
			}
		case xml.CharData:
			if cur != nil {
				text.Write(e)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if top.class == "ocrx_word" && cur != nil {
				cur.Text = normText(text.String())
				if cur.Text != "" && len(pt.Lines) > 0 {
					l := &pt.Lines[len(pt.Lines)-1]
					l.Words = append(l.Words, *cur)
				}
				cur = nil
			}
		}
	}
	kept := pt.Lines[:0]
	for _, l := range pt.Lines {
		if len(l.Words) > 0 {
			kept = append(kept, l)
		}
	}
	pt.Lines = kept
	return pt, nil
}

func hocrProps(title string) map[string][]string {
	m := map[string][]string{}
	for _, part := range strings.Split(title, ";") {
		f := strings.Fields(part)
		if len(f) > 0 {
			m[f[0]] = f[1:]
		}
	}
	return m
}

func hocrBox(f []string) pipeline.Box {
	if len(f) != 4 {
		return pipeline.Box{}
	}
	var v [4]int
	for i, s := range f {
		v[i], _ = strconv.Atoi(s)
	}
	return pipeline.Box{X0: v[0], Y0: v[1], X1: v[2], Y1: v[3]}
}
