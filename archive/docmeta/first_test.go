package docmeta

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/pipeline"
)

// The first pages of the real scans are first pages; each with its header
// cut away (the rest of the page, as a continuation page holds only body
// text) is not, nor is an empty page.
func TestFirstPage(t *testing.T) {
	labels := readLabels(t, filepath.Join(realData, "labels.json"))
	if len(labels) == 0 {
		t.Fatal("no real pages")
	}
	for _, l := range labels {
		base := l.File[:len(l.File)-len(filepath.Ext(l.File))]
		var pt pipeline.PageText
		readJSON(t, filepath.Join(realData, base+".page1.json"), &pt)
		if !FirstPage(&pt) {
			t.Errorf("%s: page 1 not taken for a first page", base)
		}
		// OCR missed the motto: the "Số:" line and the date line still tell.
		nomotto := pt
		nomotto.Lines = nil
		for _, ln := range pt.Lines {
			var ws []string
			for _, w := range ln.Words {
				ws = append(ws, w.Text)
			}
			if f := strings.ToLower(foldOne(strings.Join(ws, " "))); !strings.Contains(f, "cong hoa") && !strings.Contains(f, "doc lap") {
				nomotto.Lines = append(nomotto.Lines, ln)
			}
		}
		if len(nomotto.Lines) == len(pt.Lines) {
			t.Errorf("%s: no motto line to take away", base)
		}
		if !FirstPage(&nomotto) {
			t.Errorf("%s: page 1 without its motto not taken for a first page", base)
		}
		body := pt
		body.Lines, body.Blanks = nil, nil
		// Moved up to the top of the page, as a continuation page's text
		// starts there.
		cut := pt.Height * 45 / 100
		up := func(b *pipeline.Box) { b.Y0, b.Y1 = b.Y0-cut+pt.Height/20, b.Y1-cut+pt.Height/20 }
		for _, ln := range pt.Lines {
			if ln.Box.Y0 > cut {
				ln.Words = append([]pipeline.Word(nil), ln.Words...)
				up(&ln.Box)
				for i := range ln.Words {
					up(&ln.Words[i].Box)
				}
				body.Lines = append(body.Lines, ln)
			}
		}
		if len(body.Lines) == 0 {
			t.Fatalf("%s: no body text below the header", base)
		}
		if FirstPage(&body) {
			t.Errorf("%s: its body alone taken for a first page", base)
		}
	}
	if FirstPage(&pipeline.PageText{Width: 1654, Height: 2339}) || FirstPage(nil) {
		t.Error("an empty page taken for a first page")
	}
}
