package pdf

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
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

// pdfaDocuments are the documents the PDF/A tests write: every kind of
// page image, with and without text, and metadata full, empty and awkward.
func pdfaDocuments(t *testing.T) []struct {
	name  string
	pages []Page
	info  Info
} {
	img, text := textPage(vietnamese[:3])
	g4 := ccitt.EncodeG4(bilevelImage())
	awkward := Info{
		Title:      norm.NFD.String("Về việc <sửa đổi> \"Quy chế\" & 'phụ lục'\n\tkèm theo\x00"),
		Identifier: "01/2021/NQ-HĐND",
		Language:   "vi",
		Producer:   "sohoa 0.1 <dev>",
		Created:    time.Date(2021, 12, 31, 23, 59, 59, 999, time.UTC),
	}
	return []struct {
		name  string
		pages []Page
		info  Info
	}{
		{"three pages", document(t), testInfo},
		{"text on png", []Page{{Image: encodePNG(t, img), Format: "png", Text: text}}, awkward},
		{"cmyk jpeg with text", []Page{{Image: readTestdata(t, "cmyk.jpg"), Format: "jpeg", DPIX: 96, DPIY: 96, Text: cmykText}}, Info{}},
		{"g4 and gray without text", []Page{
			{Image: buildTIFF(tiffFile{width: testW, height: testH, compression: 4, strips: [][]byte{g4}}), Format: "tiff"},
			{Image: encodePNG(t, grayImage()), Format: "png", DPIX: 0.5, DPIY: 0.5},
		}, testInfo},
	}
}

// cmykText is OCR text for testdata/cmyk.jpg.
var cmykText = &pipeline.PageText{Lines: []pipeline.Line{{Words: []pipeline.Word{
	{Text: "Màu", Box: pipeline.Box{X0: 2, Y0: 2, X1: 40, Y1: 14}},
	{Text: "in", Box: pipeline.Box{X0: 50, Y0: 2, X1: 70, Y1: 14}},
}}}}

// TestPDFA checks each PDF/A-2u clause that applies to the files Write
// produces, on several documents, by walking the written file, and runs
// pdfcpu's strict validation, qpdf --check and, where it is installed,
// sohoa's independent checker pdfa_check.py.
func TestPDFA(t *testing.T) {
	for _, doc := range pdfaDocuments(t) {
		t.Run(doc.name, func(t *testing.T) {
			pdf := writePDF(t, doc.pages, doc.info)
			checkFileStructure(t, pdf)

			conf := model.NewDefaultConfiguration()
			conf.ValidationMode = model.ValidationStrict
			ctx, err := api.ReadContext(bytes.NewReader(pdf), conf)
			if err != nil {
				t.Fatalf("pdfcpu read: %v", err)
			}
			checkStructure(t, ctx)
			checkMetadata(t, ctx, newDocMeta(doc.info))
			checkOutputIntent(t, ctx)
			checkImages(t, ctx)
			checkFonts(t, ctx)
			if err := api.ValidateContext(ctx); err != nil {
				t.Errorf("pdfcpu strict validation: %v", err)
			}

			t.Run("qpdf", func(t *testing.T) {
				out := string(run(t, "qpdf", "--check", tempPDF(t, pdf)))
				if !strings.Contains(out, "No syntax or stream encoding errors") {
					t.Errorf("qpdf --check:\n%s", out)
				}
			})
			t.Run("pdfa_check.py", func(t *testing.T) {
				path := tempPDF(t, pdf)
				out, err := pdfaCheck(t, path)
				want := path + ": OK\n"
				if !hasText(doc.pages) {
					// The tool's own heuristic, not a PDF/A clause: a
					// scan without text is a legitimate archive document.
					want = path + ": no text layer (no fonts on any page)\n"
				}
				if out != want {
					t.Errorf("pdfa_check.py (%v):\n%s", err, out)
				}
			})
		})
	}
}

func hasText(pages []Page) bool {
	for _, p := range pages {
		if hasWords(p.Text) {
			return true
		}
	}
	return false
}

// pdfaCheckTool is sohoa's independent PDF/A checker, in the shared folder
// beside the repository's root (../shared from it; this package is two
// levels down).
var pdfaCheckTool = filepath.Join("..", "..", "..", "shared", "tools", "pdfa_check.py")

// pdfaCheck runs pdfa_check.py on a file. Without the tool or what it
// needs the test fails when SOHOA_REQUIRE_PDFA is set (make test installs
// python3-pikepdf and qpdf, and CI lays ../shared beside the clone), and
// is skipped otherwise.
func pdfaCheck(t *testing.T, path string) (string, error) {
	t.Helper()
	if err := pdfaCheckReady(); err != nil {
		if os.Getenv("SOHOA_REQUIRE_PDFA") != "" {
			t.Fatalf("the PDF/A checker cannot run: %v", err)
		}
		t.Skipf("the PDF/A checker cannot run: %v", err)
	}
	out, err := exec.Command("/usr/bin/python3", pdfaCheckTool, path).CombinedOutput()
	return string(out), err
}

// checkFileStructure checks the bytes of the file: the header and binary
// comment (6.1.2), nothing after %%EOF but an end-of-line (6.1.3), and the
// trailer with /ID and without /Encrypt (6.1.3).
func checkFileStructure(t *testing.T, pdf []byte) {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.7\n%")) {
		t.Errorf("header %q, want %%PDF-1.7, an EOL and a comment", pdf[:min(20, len(pdf))])
	} else {
		for _, c := range pdf[len("%PDF-1.7\n%"):][:4] {
			if c <= 127 {
				t.Errorf("the comment after the header does not start with four bytes > 127")
				break
			}
		}
	}
	eof := bytes.LastIndex(pdf, []byte("%%EOF"))
	if rest := string(pdf[eof+5:]); eof < 0 || (rest != "" && rest != "\n" && rest != "\r\n" && rest != "\r") {
		t.Errorf("%q after the last %%%%EOF", rest)
	}
	trailer := pdf[bytes.LastIndex(pdf, []byte("trailer")):]
	if !regexp.MustCompile(`/ID\s*\[\s*<[0-9A-Fa-f]{32}>\s*<[0-9A-Fa-f]{32}>\s*\]`).Match(trailer) {
		t.Errorf("trailer has no /ID of two 16-byte strings:\n%s", trailer)
	}
	if bytes.Contains(pdf, []byte("/Encrypt")) {
		t.Errorf("file has /Encrypt")
	}
}

// checkStructure checks the trailer (an ID, no encryption) and every
// object: no LZW (6.1.7.2), no image interpolation (6.2.8), no stream keys
// for external data (6.1.7.1), no actions or JavaScript (6.5), no
// annotations, and page sizes within PDF/A's limits (6.1.13).
func checkStructure(t *testing.T, ctx *model.Context) {
	t.Helper()
	if ctx.Encrypt != nil {
		t.Errorf("trailer has /Encrypt")
	}
	if len(ctx.ID) != 2 {
		t.Errorf("trailer /ID %v, want two strings", ctx.ID)
	}
	for nr, e := range ctx.Table {
		if e == nil || e.Object == nil {
			continue
		}
		var d types.Dict
		switch o := e.Object.(type) {
		case types.Dict:
			d = o
		case types.StreamDict:
			d = o.Dict
			for _, k := range []string{"F", "FFilter", "FDecodeParms"} {
				if _, ok := d[k]; ok {
					t.Errorf("stream %d has /%s", nr, k)
				}
			}
		default:
			continue
		}
		if f, ok := d.Find("Filter"); ok && strings.Contains(f.String(), "LZW") {
			t.Errorf("object %d uses LZW", nr)
		}
		if v, ok := d.Find("Interpolate"); ok && v == types.Boolean(true) {
			t.Errorf("object %d has /Interpolate true", nr)
		}
		for _, k := range []string{"AA", "OpenAction", "JS", "JavaScript", "Annots", "A"} {
			if _, ok := d[k]; ok {
				t.Errorf("object %d has /%s", nr, k)
			}
		}
		if s := d.NameEntry("S"); s != nil && *s == "JavaScript" {
			t.Errorf("object %d is a JavaScript action", nr)
		}
	}
	for p := 1; p <= ctx.PageCount; p++ {
		mb := pageDict(t, ctx, p).ArrayEntry("MediaBox")
		for _, i := range []int{2, 3} {
			if v := numberValue(mb[i]) - numberValue(mb[i-2]); v < minPageSize || v > maxPageSize {
				t.Errorf("page %d: MediaBox %v outside %d to %d units", p, mb, minPageSize, maxPageSize)
			}
		}
	}
}

// xmpNode is an element of an XMP packet.
type xmpNode struct {
	name     xml.Name
	attrs    []xml.Attr
	text     string
	children []*xmpNode
}

func parseXMP(t *testing.T, b []byte) *xmpNode {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	root := &xmpNode{}
	stack := []*xmpNode{root}
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("XMP is not well-formed XML: %v", err)
			}
			break
		}
		top := stack[len(stack)-1]
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &xmpNode{name: tok.Name, attrs: tok.Attr}
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.text += string(tok)
		}
	}
	return root
}

// find returns the descendants of n named space:local, depth first.
func (n *xmpNode) find(space, local string) []*xmpNode {
	var out []*xmpNode
	for _, c := range n.children {
		if c.name.Space == space && c.name.Local == local {
			out = append(out, c)
		}
		out = append(out, c.find(space, local)...)
	}
	return out
}

const (
	nsRDF    = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsDC     = "http://purl.org/dc/elements/1.1/"
	nsXMP    = "http://ns.adobe.com/xap/1.0/"
	nsPDF    = "http://ns.adobe.com/pdf/1.3/"
	nsPDFAID = "http://www.aiim.org/pdfa/ns/id/"
)

// checkMetadata checks the XMP metadata (6.6.2, 6.6.4) and that the Info
// dictionary states the same values.
func checkMetadata(t *testing.T, ctx *model.Context, m docMeta) {
	t.Helper()
	root, err := ctx.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	sd := deref[types.StreamDict](t, ctx, root["Metadata"])
	if tp, st := sd.NameEntry("Type"), sd.NameEntry("Subtype"); tp == nil || *tp != "Metadata" || st == nil || *st != "XML" {
		t.Errorf("metadata stream /Type %v /Subtype %v", tp, st)
	}
	if _, ok := sd.Find("Filter"); ok {
		t.Errorf("metadata stream is filtered")
	}
	b := sd.Raw
	if !norm.NFC.IsNormal(b) {
		t.Errorf("XMP is not NFC")
	}
	header := regexp.MustCompile(`^<\?xpacket begin="\x{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"\?>`).Find(b)
	if header == nil {
		t.Errorf("XMP does not start with an xpacket header with a UTF-8 BOM: %.80q", b)
	}
	if !bytes.HasSuffix(b, []byte(`<?xpacket end="r"?>`)) {
		t.Errorf("XMP does not end with an xpacket trailer")
	}
	if regexp.MustCompile(`<\?xpacket[^>]*(bytes|encoding)=`).Match(b) {
		t.Errorf("xpacket header has a bytes or encoding attribute")
	}

	x := parseXMP(t, b)
	descs := x.find(nsRDF, "Description")
	if len(descs) != 1 {
		t.Fatalf("%d rdf:Description elements, want 1", len(descs))
	}
	desc := descs[0]
	simple := func(space, local string) (string, bool) {
		n := desc.find(space, local)
		if len(n) > 1 {
			t.Errorf("%s %s given %d times", space, local, len(n))
		}
		if len(n) == 0 {
			return "", false
		}
		if len(n[0].children) != 0 {
			t.Errorf("%s %s is not a simple value", space, local)
		}
		return n[0].text, true
	}
	want := map[[2]string]string{
		{nsPDFAID, "part"}:        "2",
		{nsPDFAID, "conformance"}: "U",
		{nsDC, "format"}:          "application/pdf",
		{nsDC, "identifier"}:      m.identifier,
		{nsXMP, "CreateDate"}:     xmpDate(m.date),
		{nsXMP, "ModifyDate"}:     xmpDate(m.date),
		{nsXMP, "MetadataDate"}:   xmpDate(m.date),
		{nsXMP, "CreatorTool"}:    m.producer,
		{nsPDF, "Producer"}:       m.producer,
	}
	for k, v := range want {
		got, ok := simple(k[0], k[1])
		if v == "" && ok {
			t.Errorf("XMP has %s for an empty field", k[1])
		}
		if v != "" && got != v {
			t.Errorf("XMP %s = %q, want %q", k[1], got, v)
		}
	}
	// dc:title: a Lang Alt with an x-default entry; dc:language: a Bag.
	container := func(local, kind string) []*xmpNode {
		n := desc.find(nsDC, local)
		if len(n) != 1 || len(n[0].children) != 1 || n[0].children[0].name != (xml.Name{Space: nsRDF, Local: kind}) {
			return nil
		}
		return n[0].children[0].children
	}
	if li := container("title", "Alt"); m.title == "" {
		if len(desc.find(nsDC, "title")) != 0 {
			t.Errorf("XMP has dc:title for an empty title")
		}
	} else if len(li) != 1 || len(li[0].attrs) != 1 || li[0].attrs[0].Value != "x-default" ||
		li[0].attrs[0].Name.Local != "lang" || li[0].text != m.title {
		t.Errorf("dc:title is not an Alt with the x-default %q", m.title)
	}
	if li := container("language", "Bag"); m.language != "" && (len(li) != 1 || li[0].text != m.language) {
		t.Errorf("dc:language is not a Bag of %q", m.language)
	}

	// The Info dictionary states the same.
	info := deref[types.Dict](t, ctx, *ctx.Info)
	for k, v := range map[string]string{"Title": m.title, "Identifier": m.identifier, "Producer": m.producer} {
		o, ok := info[k]
		if v == "" {
			if ok {
				t.Errorf("Info has /%s %v for an empty field", k, o)
			}
			continue
		}
		got, err := ctx.DereferenceText(o)
		if err != nil || got != v {
			t.Errorf("Info /%s = %q (%v), want %q as in the XMP", k, got, err, v)
		}
	}
	for _, k := range []string{"CreationDate", "ModDate"} {
		s, _ := ctx.DereferenceText(info[k])
		got, ok := types.DateTime(s, false)
		if !ok || !got.Equal(m.date) {
			t.Errorf("Info /%s = %q, want the instant %s of the XMP dates", k, s, xmpDate(m.date))
		}
		_, off := m.date.Zone()
		if zone := fmt.Sprintf("%+03d'%02d'", off/3600, abs(off/60)%60); !strings.HasSuffix(s, zone) {
			t.Errorf("Info /%s = %q lacks the time zone %s", k, s, zone)
		}
	}
	if lang, _ := ctx.DereferenceText(root["Lang"]); lang != m.language {
		t.Errorf("catalog /Lang %q, want %q", lang, m.language)
	}
}

// checkOutputIntent checks the catalog's output intents (6.2.3): one, the
// PDF/A one, with the generated sRGB profile.
func checkOutputIntent(t *testing.T, ctx *model.Context) {
	t.Helper()
	root, err := ctx.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	ois := deref[types.Array](t, ctx, root["OutputIntents"])
	if len(ois) != 1 {
		t.Fatalf("%d output intents, want 1", len(ois))
	}
	oi := deref[types.Dict](t, ctx, ois[0])
	if s := oi.NameEntry("S"); s == nil || *s != "GTS_PDFA1" {
		t.Errorf("output intent /S %v, want GTS_PDFA1", s)
	}
	if id, _ := ctx.DereferenceText(oi["OutputConditionIdentifier"]); id != srgbDescription {
		t.Errorf("OutputConditionIdentifier %q", id)
	}
	if _, ok := oi["DestOutputProfileRef"]; ok {
		t.Errorf("output intent has DestOutputProfileRef")
	}
	sd := deref[types.StreamDict](t, ctx, oi["DestOutputProfile"])
	if n := sd.IntEntry("N"); n == nil || *n != 3 {
		t.Errorf("profile /N %v, want 3", n)
	}
	if !bytes.Equal(inflate(t, sd.Raw), srgbProfile()) {
		t.Errorf("embedded profile differs from srgbProfile()")
	}
}

// checkImages checks every image XObject (6.2.4.3, 6.2.8): DeviceGray or
// DeviceRGB (the RGB output intent covers both), 1 or 8 bits, no
// /Interpolate, /Alternates, /OPI or /SMask.
func checkImages(t *testing.T, ctx *model.Context) {
	t.Helper()
	for nr, e := range ctx.Table {
		sd, ok := e.Object.(types.StreamDict)
		if !ok || sd.Subtype() == nil || *sd.Subtype() != "Image" {
			continue
		}
		cs := sd.NameEntry("ColorSpace")
		bpc := sd.IntEntry("BitsPerComponent")
		switch {
		case cs == nil || (*cs != "DeviceGray" && *cs != "DeviceRGB"):
			t.Errorf("image %d: ColorSpace %v", nr, sd.Dict["ColorSpace"])
		case bpc == nil || !(*bpc == 8 || *bpc == 1 && *cs == "DeviceGray"):
			t.Errorf("image %d: %v bits per component in %s", nr, bpc, *cs)
		}
		for _, k := range []string{"Interpolate", "Alternates", "OPI", "SMask", "Decode"} {
			if v, ok := sd.Find(k); ok {
				t.Errorf("image %d has /%s %v", nr, k, v)
			}
		}
	}
}

// checkFonts checks the text layer's font against the font clauses: the
// font program embedded (6.2.11.4), CIDSystemInfo (6.2.11.3.1), a
// CIDToGIDMap (6.2.11.3.2) that sends no CID shown to glyph 0, .notdef
// (6.2.11.8), /W widths equal to the program's advances for every CID shown
// (6.2.11.5), and a ToUnicode map of every CID shown to a valid code point
// (6.2.11.7.2). The CIDs shown are read from the content streams.
func checkFonts(t *testing.T, ctx *model.Context) {
	t.Helper()
	shown := map[uint16]bool{}
	var font types.Dict
	for p := 1; p <= ctx.PageCount; p++ {
		page := pageDict(t, ctx, p)
		res := deref[types.Dict](t, ctx, page["Resources"])
		fonts, ok := res["Font"]
		if !ok {
			continue
		}
		font = deref[types.Dict](t, ctx, deref[types.Dict](t, ctx, fonts)[fontResource])
		content := inflate(t, deref[types.StreamDict](t, ctx, page["Contents"]).Raw)
		for _, m := range regexp.MustCompile(`<([0-9A-F]*)> Tj`).FindAllSubmatch(content, -1) {
			if len(m[1])%4 != 0 {
				t.Fatalf("page %d shows %s, not 2-byte codes", p, m[1])
			}
			for i := 0; i < len(m[1]); i += 4 {
				c, _ := strconv.ParseUint(string(m[1][i:i+4]), 16, 16)
				shown[uint16(c)] = true
			}
		}
	}
	if font == nil {
		if len(shown) != 0 {
			t.Errorf("text without a font")
		}
		return
	}
	if len(shown) == 0 {
		t.Fatalf("a font but no text")
	}

	if _, ok := font["ToUnicode"]; !ok {
		t.Fatalf("no ToUnicode")
	}
	toUnicode := parseToUnicode(t, string(inflate(t, deref[types.StreamDict](t, ctx, font["ToUnicode"]).Raw)))
	cid := deref[types.Dict](t, ctx, font.ArrayEntry("DescendantFonts")[0])
	if si := deref[types.Dict](t, ctx, cid["CIDSystemInfo"]); si["Registry"] == nil || si["Ordering"] == nil || si["Supplement"] == nil {
		t.Errorf("CIDSystemInfo %v incomplete", si)
	}
	gidMap := inflate(t, deref[types.StreamDict](t, ctx, cid["CIDToGIDMap"]).Raw)
	fd := deref[types.Dict](t, ctx, cid["FontDescriptor"])
	prog := inflate(t, deref[types.StreamDict](t, ctx, fd["FontFile2"]).Raw)
	advances := hmtxAdvances(t, prog)
	dw := 1000
	if v := cid.IntEntry("DW"); v != nil {
		dw = *v
	}
	widths := cid.ArrayEntry("W")

	for c := range shown {
		u, ok := toUnicode[c]
		switch {
		case !ok:
			t.Errorf("CID %04X has no ToUnicode entry", c)
		case u == 0 || u == 0xFEFF || u == 0xFFFE:
			t.Errorf("CID %04X maps to %U", c, u)
		}
		gid := int(binary.BigEndian.Uint16(gidMap[2*int(c):]))
		if gid == 0 {
			t.Errorf("CID %04X maps to .notdef", c)
		}
		if gid >= len(advances) {
			t.Errorf("CID %04X maps to glyph %d, the program has %d", c, gid, len(advances))
			continue
		}
		if w := cidWidth(t, widths, dw, int(c)); w != advances[gid]*1000/unitsPerEm {
			t.Errorf("CID %04X: /W width %d, glyph %d advances %d", c, w, gid, advances[gid])
		}
	}
}

// hmtxAdvances returns the advance width of each glyph of a TrueType font
// program.
func hmtxAdvances(t *testing.T, prog []byte) []int {
	t.Helper()
	be := binary.BigEndian
	tables := map[string][]byte{}
	for i := range int(be.Uint16(prog[4:])) {
		e := prog[12+16*i:]
		off, n := be.Uint32(e[8:]), be.Uint32(e[12:])
		tables[string(e[:4])] = prog[off : off+n]
	}
	numGlyphs := int(be.Uint16(tables["maxp"][4:]))
	numHMetrics := int(be.Uint16(tables["hhea"][34:]))
	adv := make([]int, numGlyphs)
	for g := range numGlyphs {
		adv[g] = int(be.Uint16(tables["hmtx"][4*min(g, numHMetrics-1):]))
	}
	return adv
}

// cidWidth returns the width of cid given by a /W array, or dw.
func cidWidth(t *testing.T, w types.Array, dw, cid int) int {
	t.Helper()
	num := func(o types.Object) int {
		switch v := o.(type) {
		case types.Integer:
			return int(v)
		case types.Float:
			return int(math.Round(float64(v)))
		}
		t.Fatalf("W entry %v is not a number", o)
		return 0
	}
	for i := 0; i < len(w); {
		first := num(w[i])
		if a, ok := w[i+1].(types.Array); ok {
			if cid >= first && cid < first+len(a) {
				return num(a[cid-first])
			}
			i += 2
			continue
		}
		if last := num(w[i+1]); cid >= first && cid <= last {
			return num(w[i+2])
		}
		i += 3
	}
	return dw
}

// TestMetaText checks how metadata strings are cleaned.
func TestMetaText(t *testing.T) {
	for in, want := range map[string]string{
		"Quyết định":                            "Quyết định",
		norm.NFD.String("Quyết định"):           "Quyết định",
		"  Về việc\n  phê duyệt\r\n\tkế hoạch ": "Về việc phê duyệt kế hoạch",
		"a\x00b\x1Fc\u0085d":                    "a b c d",
		"\uFEFFQĐ\uFFFE\uFFFF":                  "QĐ",
		"":                                      "",
	} {
		if got := metaText(in); got != want {
			t.Errorf("metaText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestXMPParsesInPdfcpu checks that pdfcpu, which parses the catalog's XMP
// when it validates, reads the dates and title back.
func TestXMPParsesInPdfcpu(t *testing.T) {
	info := testInfo
	info.Created = time.Date(2020, 3, 15, 9, 30, 0, 0, time.FixedZone("", -(3*3600+30*60)))
	ctx := readPDF(t, writePDF(t, document(t)[2:], info))
	x := ctx.CatalogXMPMeta
	if x == nil {
		t.Fatal("pdfcpu found no XMP metadata")
	}
	d := x.RDF.Description
	if !time.Time(d.CreationDate).Equal(info.Created) || !time.Time(d.ModDate).Equal(info.Created) {
		t.Errorf("pdfcpu reads the XMP dates as %v and %v, want %v", time.Time(d.CreationDate), time.Time(d.ModDate), info.Created)
	}
	if !slices.Equal(d.Title.Alt.Entries, []string{info.Title}) || d.Producer != info.Producer || d.Creator != info.Producer {
		t.Errorf("pdfcpu reads title %q, producer %q, creator tool %q", d.Title.Alt.Entries, d.Producer, d.Creator)
	}
}

// TestPageSizeLimits checks that pages stay within PDF/A's 3 to 14400
// units whatever resolution the image claims.
func TestPageSizeLimits(t *testing.T) {
	tests := []struct {
		w, h       int
		dpiX, dpiY float64
		wpt, hpt   float64 // 0: an error
	}{
		{200, 150, 72, 72, 200, 150},
		{200, 150, 1, 1, 14400, 10800},        // at the limit, kept
		{2480, 3508, 1, 1, 595.2, 841.92},     // implausible: 300 dpi
		{2480, 3508, 72, 0, 2480, 841.92},     // plausible, kept
		{8, 20, 300, 300, 3, 7.5},             // too small at 300 dpi: scaled up
		{70000, 100, 300, 300, 14400, 20.571}, // too large at 300 dpi: scaled down
		{1, 5000, 300, 300, 0, 0},             // cannot keep its shape
	}
	for _, tt := range tests {
		dx, dy := tt.dpiX, tt.dpiY
		if dy == 0 {
			dy = defaultDPI
		}
		w, h, err := pageSize(tt.w, tt.h, dx, dy)
		if tt.wpt == 0 {
			if err == nil {
				t.Errorf("%dx%d: %vx%v points, want an error", tt.w, tt.h, w, h)
			}
			continue
		}
		if err != nil || !near(w, tt.wpt, 1e-9) || !near(h, tt.hpt, 1e-9) {
			t.Errorf("%dx%d at %vx%v dpi: %vx%v points (%v), want %vx%v", tt.w, tt.h, tt.dpiX, tt.dpiY, w, h, err, tt.wpt, tt.hpt)
		}
	}
	// Through Write: a tiny image claiming 1200 dpi.
	img := image.NewGray(image.Rect(0, 0, 4, 4))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	img.SetGray(1, 1, color.Gray{})
	mb := pageDict(t, readPDF(t, writePDF(t, []Page{{Image: encodePNG(t, img), Format: "png", DPIX: 1200, DPIY: 1200}}, testInfo)), 1).ArrayEntry("MediaBox")
	if numberValue(mb[2]) != 3 || numberValue(mb[3]) != 3 {
		t.Errorf("MediaBox %v, want [0 0 3 3]", mb)
	}
}

// TestNoNotdefCIDs checks, for every CID the text layer can show, that it
// maps to the empty glyph and that the CMap entry is a valid code point.
func TestNoNotdefCIDs(t *testing.T) {
	m := cidToGIDMap()
	var all []string
	for r := rune(0); r <= 0x10FFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		all = append(all, string(r))
	}
	cids := textCIDs(strings.Join(all, ""))
	var s cidSet
	for _, c := range cids {
		if c == 0 || c == 0xFEFF || c == 0xFFFE || c == 0xFFFF {
			t.Errorf("textCIDs gives CID %04X", c)
		}
		if gid := binary.BigEndian.Uint16(m[2*int(c):]); gid != 1 {
			t.Errorf("CID %04X maps to glyph %d", c, gid)
		}
		s.add(c)
	}
	if s.has(0) {
		t.Errorf("CID 0 used")
	}
	// And a page whose OCR text is nothing but such characters has no
	// text layer at all.
	text := &pipeline.PageText{Lines: []pipeline.Line{{Words: []pipeline.Word{{Text: "\x00\uFEFF\x7F"}}}}}
	if hasWords(text) {
		t.Errorf("control characters and BOMs make a word")
	}
}
