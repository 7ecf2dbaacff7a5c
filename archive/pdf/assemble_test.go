package pdf

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/archive/pdfcheck"
)

var itoa = strconv.Itoa

// Split and merge: pages taken from documents Write made come out as
// they went in (images and text, page by page), in a PDF/A-2u file with
// the metadata given and an identity of its own; the same assembly made
// twice keeps that identity, and a signature of a part is left behind.
func TestAssemble(t *testing.T) {
	needTool(t, "pdftotext")
	first, _ := textPDF(t, vietnamese[:3])
	second, _ := textPDF(t, vietnamese[4:7])
	third, _ := textPDF(t, vietnamese[7:])
	var three bytes.Buffer
	if err := Retitle(&three, first, testInfo); err != nil {
		t.Fatal(err)
	}
	// A document of three pages: first, second, third.
	doc := assemble(t, []Part{{first, []int{1}}, {second, []int{1}}, {third, []int{1}}}, testInfo)
	info := Info{Title: "Phần tách ra", Identifier: "16/2020/QĐ-UBND", Language: "vi", Producer: "sohoa test",
		Created: time.Date(2020, 4, 1, 8, 0, 0, 0, time.UTC)}
	// Split: its pages 3 and 2, in that order; merge: it again after.
	split := assemble(t, []Part{{doc, []int{3, 2}}}, info)
	merged := assemble(t, []Part{{doc, []int{1, 2, 3}}, {split, []int{1, 2}}}, info)

	pageText := func(pdf []byte, n int) string {
		return strings.Join(strings.Fields(string(run(t, "pdftotext", "-enc", "UTF-8", "-f", itoa(n), "-l", itoa(n), tempPDF(t, pdf), "-"))), " ")
	}
	want := []string{pageText(first, 1), pageText(second, 1), pageText(third, 1)}
	for i, w := range want {
		if got := pageText(doc, i+1); got != w {
			t.Errorf("page %d of the assembly: %q, want %q", i+1, got, w)
		}
	}
	if got := pageText(split, 1); got != want[2] {
		t.Errorf("page 1 of the split: %q, want page 3 %q", got, want[2])
	}
	for i, w := range []string{want[0], want[1], want[2], want[2], want[1]} {
		if got := pageText(merged, i+1); got != w {
			t.Errorf("page %d of the merge: %q, want %q", i+1, got, w)
		}
	}
	if meta := string(run(t, "pdfinfo", tempPDF(t, split))); !strings.Contains(meta, "Phần tách ra") || !strings.Contains(meta, "Pages:           2") {
		t.Errorf("pdfinfo of the split:\n%s", meta)
	}
	// The image of page 3 is the same stream: type, size, colour,
	// encoding and bytes.
	image := func(pdf []byte, n int) string {
		out := strings.Split(strings.TrimSpace(string(run(t, "pdfimages", "-list", "-f", itoa(n), "-l", itoa(n), tempPDF(t, pdf)))), "\n")
		f := strings.Fields(out[len(out)-1])
		if len(f) < 15 {
			return strings.Join(out, "\n")
		}
		return strings.Join(append(f[2:9:9], f[14]), " ")
	}
	if a, b := image(doc, 3), image(split, 1); a != b {
		t.Errorf("the image of page 3 changed in the split: %s, then %s", a, b)
	}

	id := func(pdf []byte) string { return readPDF(t, pdf).ID[0].String() }
	if again := assemble(t, []Part{{doc, []int{3, 2}}}, info); id(again) != id(split) {
		t.Errorf("the same split made twice has two identities: %s, %s", id(split), id(again))
	}
	if id(split) == id(doc) || id(merged) == id(doc) || id(merged) == id(split) {
		t.Errorf("assemblies share an identity: doc %s split %s merged %s", id(doc), id(split), id(merged))
	}
	if err := Assemble(&bytes.Buffer{}, []Part{{doc, []int{4}}}, info); err == nil {
		t.Error("a page the document does not have was taken")
	}
	if err := Assemble(&bytes.Buffer{}, []Part{{[]byte("%PDF-1.7 no"), []int{1}}}, info); err == nil {
		t.Error("garbage was assembled")
	}
}

// assemble runs Assemble, checks the result is PDF/A-2u, and has
// pdfa_check.py check it too.
func assemble(t *testing.T, parts []Part, info Info) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Assemble(&b, parts, info); err != nil {
		t.Fatalf("Assemble: %v", err)
	}
	problems, err := pdfcheck.Check(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil || len(problems) > 0 {
		t.Errorf("not PDF/A-2u: %v %v", problems, err)
	}
	keepPDF(t, b.Bytes(), true)
	return b.Bytes()
}

// ReadText gives back the words, their order and lines, and their boxes
// (to a few pixels; heights are one em of the line) of the text layer
// Write wrote.
func TestReadText(t *testing.T) {
	src, text := textPDF(t, vietnamese)
	doc := assemble(t, []Part{{src, []int{1}}, {src, []int{1}}}, testInfo)
	pts, err := ReadText(doc, []int{2})
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 1 {
		t.Fatalf("%d pages read, want 1", len(pts))
	}
	got := pts[0]
	if got.Page != 2 || got.Width != text.Width || got.Height != text.Height || got.DPIX != 300 || got.DPIY != 300 {
		t.Errorf("page %d %dx%d at %vx%v dpi, want page 2 %dx%d at 300 dpi", got.Page, got.Width, got.Height, got.DPIX, got.DPIY, text.Width, text.Height)
	}
	if len(got.Lines) != len(text.Lines) {
		t.Fatalf("%d lines, want %d:\n%s", len(got.Lines), len(text.Lines), got.Text())
	}
	for i, l := range text.Lines {
		g := got.Lines[i]
		if len(g.Words) != len(l.Words) {
			t.Errorf("line %d: %d words, want %d", i+1, len(g.Words), len(l.Words))
			continue
		}
		for j, w := range l.Words {
			gw := g.Words[j]
			if gw.Text != norm.NFC.String(w.Text) {
				t.Errorf("line %d word %d: %q, want %q", i+1, j+1, gw.Text, w.Text)
			}
			// x0 exact to rounding; x1 where writeText moved words apart
			// is within the gap it keeps; the baseline region overlaps.
			if d := gw.Box.X0 - w.Box.X0; d < -2 || d > 2 {
				t.Errorf("line %d word %q: x0 %d, want %d", i+1, w.Text, gw.Box.X0, w.Box.X0)
			}
			if gw.Box.Y1 < w.Box.Y0 || gw.Box.Y0 > w.Box.Y1 {
				t.Errorf("line %d word %q: rows %d–%d, want within %d–%d", i+1, w.Text, gw.Box.Y0, gw.Box.Y1, w.Box.Y0, w.Box.Y1)
			}
		}
	}
	// Paragraphs are not in a PDF: the text differs from the OCR's only in
	// where they break.
	if g, w := strings.Fields(got.Text()), strings.Fields(norm.NFC.String(text.Text())); !slices.Equal(g, w) {
		t.Errorf("text:\n%s\nwant\n%s", g, w)
	}
	if _, err := ReadText(doc, []int{3}); err == nil {
		t.Error("a page the document does not have was read")
	}
}
