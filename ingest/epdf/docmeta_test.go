package epdf_test

import (
	"context"
	"testing"

	"github.com/sohoa/sohoa/archive/docmeta"
	"github.com/sohoa/sohoa/ingest/epdf"
	"github.com/sohoa/sohoa/ingest/epdf/epdftest"
	"github.com/sohoa/sohoa/internal/need"
	"github.com/sohoa/sohoa/pipeline"
)

// docmeta reads an electronic original's identity from its own text as it
// reads a scan's from OCR: typed, so right and certain — in Unicode and in
// TCVN3 alike.
func TestDocmetaOfElectronicPages(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdftoppm", "pdffonts"} {
		need.Tool(t, tool, "poppler-utils")
	}
	for _, d := range []epdftest.Doc{epdftest.QuyetDinh, epdftest.ThongBao, epdftest.ChiThi, epdftest.KeHoach} {
		data := epdftest.Make([]epdftest.Page{{Lines: d.Lines}}, epdftest.Options{})
		got, err := epdf.Read(context.Background(), data, []int{1}, epdf.Config{DPI: 200})
		if err != nil {
			t.Fatal(err)
		}
		p := got[0]
		if !p.Text {
			t.Fatalf("%s: no usable text", d.Number)
		}
		pt := &pipeline.PageText{Page: 1, Width: p.Width, Height: p.Height, DPIX: p.DPI, DPIY: p.DPI, Lines: p.Lines}
		m := docmeta.Extract([]*pipeline.PageText{pt})
		if m.DocNumber != d.Number || m.Date != d.Date || m.Type != d.Type || m.Agency != d.Agency || m.NeedsReview {
			t.Errorf("%s: read %q %q %q %q, review %v %q", d.Number, m.DocNumber, m.Date, m.Type, m.Agency, m.NeedsReview, m.Review)
		}
	}
}
