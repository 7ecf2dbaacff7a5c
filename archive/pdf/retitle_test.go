package pdf

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/archive/pdfcheck"
)

// Retitle changes the metadata and nothing else: same pages, same images,
// same text, same permanent identifier, still PDF/A-2u.
func TestRetitle(t *testing.T) {
	needTool(t, "pdfinfo")
	src, _ := textPDF(t, vietnamese[:3])
	info := Info{
		Title: "Về việc tăng cường công tác thi hành án hành chính", Identifier: "07/CT-UBND",
		Language: "vi", Producer: "sohoa test", Created: time.Date(2018, 3, 20, 8, 0, 0, 0, time.UTC),
	}
	var out bytes.Buffer
	if err := Retitle(&out, src, info); err != nil {
		t.Fatal(err)
	}
	got := out.Bytes()
	meta := string(run(t, "pdfinfo", tempPDF(t, got)))
	if !strings.Contains(meta, "thi hành án hành chính") || !strings.Contains(meta, "sohoa test") {
		t.Errorf("pdfinfo after Retitle:\n%s", meta)
	}
	if !bytes.Contains(got, []byte("<rdf:li>07/CT-UBND</rdf:li>")) && !bytes.Contains(got, []byte("07/CT-UBND")) {
		t.Errorf("the new identifier is not in the XMP")
	}
	if bytes.Contains(got, []byte(testInfo.Identifier)) {
		t.Errorf("the old identifier %q survived", testInfo.Identifier)
	}
	// The text layer and the images are the same.
	before := string(run(t, "pdftotext", "-enc", "UTF-8", tempPDF(t, src), "-"))
	after := string(run(t, "pdftotext", "-enc", "UTF-8", tempPDF(t, got), "-"))
	if before != after {
		t.Errorf("text changed:\n%s\n---\n%s", before, after)
	}
	if a, b := run(t, "pdfimages", "-list", tempPDF(t, src)), run(t, "pdfimages", "-list", tempPDF(t, got)); !bytes.Equal(a, b) {
		t.Errorf("images changed:\n%s\n---\n%s", a, b)
	}
	// Same permanent identifier.
	id := func(pdf []byte) string {
		ctx := readPDF(t, pdf)
		return ctx.ID[0].String()
	}
	if id(src) != id(got) {
		t.Errorf("permanent /ID changed: %s → %s", id(src), id(got))
	}
	problems, err := pdfcheck.Check(bytes.NewReader(got), int64(len(got)))
	if err != nil || len(problems) > 0 {
		t.Errorf("not PDF/A-2u after Retitle: %v %v", problems, err)
	}
}
