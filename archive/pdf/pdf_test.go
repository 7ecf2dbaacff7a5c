package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/ccitt"
	"github.com/sohoa/sohoa/pipeline"
)

// document is a three-page document: a JPEG page with text, a G4 TIFF page
// with text, and a PNG page without text.
func document(t *testing.T) []Page {
	t.Helper()
	img, text := textPage(vietnamese[:6])
	img2, text2 := textPage(vietnamese[6:])
	g4 := ccitt.EncodeG4(img2)
	return []Page{
		{Image: encodeJPEG(t, img), Format: "jpeg", DPIX: 300, DPIY: 300, Text: text},
		{Image: buildTIFF(tiffFile{width: a4W, height: a4H, compression: 4, strips: [][]byte{g4}}), Format: "tiff", Text: text2},
		{Image: encodePNG(t, rgbImage()), Format: "png", DPIX: 72, DPIY: 72},
	}
}

// TestStructure checks the file as a whole: header, trailer ID, no
// encryption, the page tree, the embedded font and its maps, no
// /Interpolate anywhere, and that pdfcpu (strict and relaxed), qpdf and
// pdffonts accept it.
func TestStructure(t *testing.T) {
	pdf := writePDF(t, document(t), testInfo)

	if !bytes.HasPrefix(pdf, []byte("%PDF-1.7\n%")) {
		t.Errorf("header %q, want %%PDF-1.7 and a comment line", pdf[:min(20, len(pdf))])
	}
	line2 := pdf[len("%PDF-1.7\n%"):][:4]
	for _, c := range line2 {
		if c < 0x80 {
			t.Errorf("second line %q is not a binary comment", line2)
			break
		}
	}
	if !bytes.HasSuffix(bytes.TrimRight(pdf, "\r\n"), []byte("%%EOF")) {
		t.Errorf("file does not end with %%%%EOF")
	}
	if !regexp.MustCompile(`(?s)trailer\s*<<.*/ID\s*\[\s*<[0-9A-Fa-f]{32}>\s*<[0-9A-Fa-f]{32}>\s*\].*>>`).Match(pdf) {
		t.Errorf("trailer has no /ID of two 16-byte strings")
	}
	if bytes.Contains(pdf, []byte("/Encrypt")) {
		t.Errorf("file is encrypted")
	}

	for _, mode := range []int{model.ValidationStrict, model.ValidationRelaxed} {
		conf := model.NewDefaultConfiguration()
		conf.ValidationMode = mode
		if err := api.Validate(bytes.NewReader(pdf), conf); err != nil {
			t.Errorf("pdfcpu validation (mode %d): %v", mode, err)
		}
	}

	ctx := readPDF(t, pdf)
	if ctx.PageCount != 3 {
		t.Fatalf("%d pages, want 3", ctx.PageCount)
	}
	checkStructure(t, ctx)

	// The font: one Type0 font shared by the pages with text, none on the
	// page without.
	var fontRefs []types.IndirectRef
	for p := 1; p <= 3; p++ {
		res := deref[types.Dict](t, ctx, pageDict(t, ctx, p)["Resources"])
		fonts, ok := res["Font"]
		if p == 3 {
			if ok {
				t.Errorf("page 3 has no text but has fonts %v", fonts)
			}
			continue
		}
		f := deref[types.Dict](t, ctx, fonts)
		ref, ok := f[fontResource].(types.IndirectRef)
		if !ok || len(f) != 1 {
			t.Fatalf("page %d fonts %v", p, f)
		}
		fontRefs = append(fontRefs, ref)
	}
	if fontRefs[0] != fontRefs[1] {
		t.Errorf("pages use different fonts %v and %v", fontRefs[0], fontRefs[1])
	}
	font := deref[types.Dict](t, ctx, fontRefs[0])
	for k, v := range map[string]string{"Type": "Font", "Subtype": "Type0", "Encoding": "Identity-H", "BaseFont": fontName} {
		if got := font.NameEntry(k); got == nil || *got != v {
			t.Errorf("Type0 font /%s = %v, want /%s", k, got, v)
		}
	}
	desc := font.ArrayEntry("DescendantFonts")
	if len(desc) != 1 {
		t.Fatalf("DescendantFonts %v", desc)
	}
	cid := deref[types.Dict](t, ctx, desc[0])
	if got := cid.NameEntry("Subtype"); got == nil || *got != "CIDFontType2" {
		t.Errorf("descendant font subtype %v", got)
	}
	info := deref[types.Dict](t, ctx, cid["CIDSystemInfo"])
	if info["Registry"] != types.StringLiteral("Adobe") || info["Ordering"] != types.StringLiteral("Identity") || info["Supplement"] != types.Integer(0) {
		t.Errorf("CIDSystemInfo %v", info)
	}
	if _, ok := cid["W"]; !ok {
		t.Errorf("no /W")
	}
	fd := deref[types.Dict](t, ctx, cid["FontDescriptor"])
	ff := deref[types.StreamDict](t, ctx, fd["FontFile2"])
	prog := inflate(t, ff.Raw)
	if !bytes.Equal(prog, fontProgram()) {
		t.Errorf("embedded font program differs from fontProgram()")
	}
	if l1 := ff.IntEntry("Length1"); l1 == nil || *l1 != len(prog) {
		t.Errorf("Length1 %v, want %d", l1, len(prog))
	}
	if got := fd.NameEntry("FontName"); got == nil || *got != fontName {
		t.Errorf("FontName %v", got)
	}

	// CIDToGIDMap: every CID but 0 maps to glyph 1.
	m := inflate(t, deref[types.StreamDict](t, ctx, cid["CIDToGIDMap"]).Raw)
	if len(m) != 2*0x10000 {
		t.Fatalf("CIDToGIDMap has %d bytes, want %d", len(m), 2*0x10000)
	}
	for c := 1; c < 0x10000; c++ {
		if m[2*c] != 0 || m[2*c+1] != 1 {
			t.Fatalf("CID %04X maps to glyph %d", c, int(m[2*c])<<8|int(m[2*c+1]))
		}
	}

	// ToUnicode maps exactly the CIDs shown, each to itself.
	cmap := string(inflate(t, deref[types.StreamDict](t, ctx, font["ToUnicode"]).Raw))
	got := parseToUnicode(t, cmap)
	want := map[uint16]bool{' ': true}
	for _, l := range vietnamese {
		for _, w := range l.words {
			for _, r := range norm.NFC.String(w) {
				want[uint16(r)] = true
			}
		}
	}
	if len(got) != len(want) {
		t.Errorf("ToUnicode maps %d CIDs, want %d", len(got), len(want))
	}
	for c := range want {
		if got[c] != rune(c) {
			t.Errorf("ToUnicode maps CID %04X to %U, want %U", c, got[c], c)
		}
	}

	t.Run("qpdf", func(t *testing.T) {
		out := string(run(t, "qpdf", "--check", tempPDF(t, pdf)))
		if !strings.Contains(out, "No syntax or stream encoding errors") {
			t.Errorf("qpdf --check:\n%s", out)
		}
	})
	t.Run("pdffonts", func(t *testing.T) {
		out := string(run(t, "pdffonts", tempPDF(t, pdf)))
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 {
			t.Fatalf("pdffonts lists %d fonts, want 1:\n%s", len(lines)-2, out)
		}
		f := strings.Fields(lines[2])
		// name, type (2 words), encoding, emb, sub, uni, object id
		if f[0] != fontName || f[1]+" "+f[2] != "CID TrueType" || f[3] != "Identity-H" || f[4] != "yes" || f[6] != "yes" {
			t.Errorf("pdffonts:\n%s", out)
		}
	})
}

// parseToUnicode reads the bfchar and bfrange entries of a ToUnicode CMap
// with one-code-unit destinations, checking the format's limits.
func parseToUnicode(t *testing.T, cmap string) map[uint16]rune {
	t.Helper()
	m := map[uint16]rune{}
	hex := func(s string) int {
		var v int
		for _, c := range strings.Trim(s, "<>") {
			v = v<<4 | strings.IndexRune("0123456789ABCDEF", c)
		}
		return v
	}
	block := regexp.MustCompile(`(?s)(\d+) begin(bfchar|bfrange)\n(.*?)end(bfchar|bfrange)`)
	for _, b := range block.FindAllStringSubmatch(cmap, -1) {
		entries := strings.Split(strings.TrimSpace(b[3]), "\n")
		if n := len(entries); n > 100 || b[1] != strconv.Itoa(n) {
			t.Errorf("%s block declares %s entries, has %d (at most 100 allowed)", b[2], b[1], n)
		}
		for _, e := range entries {
			f := strings.Fields(e)
			switch b[2] {
			case "bfchar":
				m[uint16(hex(f[0]))] = rune(hex(f[1]))
			case "bfrange":
				lo, hi, dst := hex(f[0]), hex(f[1]), hex(f[2])
				if lo>>8 != hi>>8 || hi < lo {
					t.Errorf("bfrange %s crosses a high-byte boundary or is empty", e)
				}
				for c := lo; c <= hi; c++ {
					m[uint16(c)] = rune(dst + c - lo)
				}
			}
		}
	}
	if !strings.Contains(cmap, "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange") {
		t.Errorf("codespace range missing")
	}
	return m
}

func inflate(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestToUnicodeChunks checks the CMap for many CIDs: blocks of at most 100
// entries, ranges within one high byte, every CID mapped to itself.
func TestToUnicodeChunks(t *testing.T) {
	var s cidSet
	for c := 0x20; c < 0x7F; c++ { // one long run: split at no boundary
		s.add(uint16(c))
	}
	for c := 0x1E00; c < 0x1F00; c += 2 { // 128 singles
		s.add(uint16(c))
	}
	for c := 0x3000; c < 0x3400; c += 3 { // 342 runs of 2 that cross 256 boundaries
		s.add(uint16(c))
		s.add(uint16(c + 1))
	}
	s.add(0xFFFD)
	cids := s.sorted()
	m := parseToUnicode(t, string(toUnicodeCMap(cids)))
	if len(m) != len(cids) {
		t.Errorf("CMap maps %d CIDs, want %d", len(m), len(cids))
	}
	for _, c := range cids {
		if m[c] != rune(c) {
			t.Errorf("CID %04X maps to %U", c, m[c])
		}
	}
}

// TestInfo checks the document metadata: title, identifier, producer and
// dates as given (not as pdfcpu stamps them), and the language; Vietnamese
// strings survive as UTF-16.
func TestInfo(t *testing.T) {
	pdf := writePDF(t, document(t)[2:], testInfo)
	ctx := readPDF(t, pdf)
	root, err := ctx.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if lang, _ := types.StringLiteralToString(root["Lang"].(types.StringLiteral)); lang != "vi" {
		t.Errorf("Lang %q", lang)
	}
	info := deref[types.Dict](t, ctx, *ctx.Info)
	date := "D:20200315093000+07'00'"
	for k, want := range map[string]string{
		"Title": testInfo.Title, "Identifier": testInfo.Identifier, "Producer": testInfo.Producer,
		"CreationDate": date, "ModDate": date,
	} {
		got, err := ctx.DereferenceText(info[k])
		if err != nil || got != want {
			t.Errorf("Info /%s = %q (%v), want %q", k, got, err, want)
		}
	}
	if len(info) != 5 {
		t.Errorf("Info has %d entries, want 5: %v", len(info), info)
	}
	t.Run("qpdf", func(t *testing.T) {
		// The Info object was corrected in place: offsets must still hold.
		out := string(run(t, "qpdf", "--check", tempPDF(t, pdf)))
		if !strings.Contains(out, "No syntax or stream encoding errors") {
			t.Errorf("qpdf --check:\n%s", out)
		}
	})
	t.Run("pdfinfo", func(t *testing.T) {
		out := string(run(t, "pdfinfo", "-isodates", tempPDF(t, pdf)))
		for _, s := range []string{
			"Title:           " + testInfo.Title + "\n",
			"Producer:        sohoa 0.1\n",
			"CreationDate:    2020-03-15T09:30:00+07\n",
		} {
			if !strings.Contains(out, s) {
				t.Errorf("pdfinfo lacks %q:\n%s", s, out)
			}
		}
	})

	// Empty fields are left out; the dates default to the time of writing.
	before := time.Now().Add(-time.Second)
	ctx = readPDF(t, writePDF(t, document(t)[2:], Info{}))
	info = deref[types.Dict](t, ctx, *ctx.Info)
	for _, k := range []string{"Title", "Identifier", "Producer"} {
		if _, ok := info[k]; ok {
			t.Errorf("Info has /%s for an empty field", k)
		}
	}
	s, _ := ctx.DereferenceText(info["CreationDate"])
	if d, ok := types.DateTime(s, false); !ok || d.Before(before) || d.After(time.Now().Add(time.Second)) {
		t.Errorf("CreationDate %q is not the time of writing", s)
	}
}

// TestPermanentID checks that the first element of the file ID depends on
// the content only: the same document written twice keeps it, another
// document gets another. The two files differ only in the ID's second,
// per-write element.
func TestPermanentID(t *testing.T) {
	pages := document(t)[2:]
	a, b := writePDF(t, pages, testInfo), writePDF(t, pages, testInfo)
	idA, idB := readPDF(t, a).ID, readPDF(t, b).ID
	if idA[0].String() != idB[0].String() {
		t.Errorf("same document, different IDs %s and %s", idA[0], idB[0])
	}
	second := regexp.MustCompile(`(/ID\s*\[\s*<[0-9A-Fa-f]+>\s*)<[0-9A-Fa-f]+>`)
	if !bytes.Equal(second.ReplaceAll(a, []byte("$1<>")), second.ReplaceAll(b, []byte("$1<>"))) {
		t.Errorf("the same document written twice differs beyond the file ID")
	}
	other := testInfo
	other.Identifier = "16/2020/QĐ-UBND"
	if c := readPDF(t, writePDF(t, pages, other)).ID[0]; c.String() == idA[0].String() {
		t.Errorf("different documents, same ID %s", c)
	}
}

// TestPageWithoutText checks that a document with no text has no font at
// all, and pdftotext finds nothing in it.
func TestPageWithoutText(t *testing.T) {
	empty := &pipeline.PageText{Lines: []pipeline.Line{{Words: []pipeline.Word{{Text: "\x00\t"}}}}}
	pdf := writePDF(t, []Page{
		{Image: encodePNG(t, bilevelImage()), Format: "png"},
		{Image: encodePNG(t, bilevelImage()), Format: "png", Text: empty},
	}, testInfo)
	if bytes.Contains(pdf, []byte("/Font")) {
		t.Errorf("document without text has a font")
	}
	t.Run("pdftotext", func(t *testing.T) {
		if out := strings.TrimSpace(string(run(t, "pdftotext", tempPDF(t, pdf), "-"))); out != "" {
			t.Errorf("pdftotext found %q", out)
		}
	})
}

// TestWriteErrors checks errors that are not about images.
func TestWriteErrors(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, nil, testInfo); err == nil {
		t.Errorf("Write of no pages succeeded")
	}
	pages := document(t)[2:]
	werr := errors.New("disk full")
	err := Write(failWriter{werr}, pages, testInfo)
	if !errors.Is(err, werr) {
		t.Errorf("Write to a failing writer = %v, want it to wrap %v", err, werr)
	}
	if err != nil && !strings.HasPrefix(err.Error(), "pdf: ") {
		t.Errorf("error %q lacks the package prefix", err)
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

// TestDoesNotModifyPages checks that Write leaves its input alone.
func TestDoesNotModifyPages(t *testing.T) {
	pages := document(t)
	var before [][]byte
	for _, p := range pages {
		before = append(before, bytes.Clone(p.Image))
	}
	text := pages[0].Text.Text()
	writePDF(t, pages, testInfo)
	for i, p := range pages {
		if !bytes.Equal(p.Image, before[i]) {
			t.Errorf("page %d image modified", i+1)
		}
	}
	if pages[0].Text.Text() != text {
		t.Errorf("page text modified")
	}
}
