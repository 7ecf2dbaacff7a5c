package pdfcheck

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/sohoa/sohoa/archive/pdf"
	"github.com/sohoa/sohoa/pipeline"
)

func TestMain(m *testing.M) {
	// As main does: pdfcpu must not read or create a configuration
	// directory.
	api.DisableConfigDir()
	os.Exit(m.Run())
}

var info = pdf.Info{
	Title:      "Quyết định về việc phê duyệt kế hoạch thủy lợi",
	Identifier: "15/2020/QĐ-UBND",
	Language:   "vi",
	Producer:   "sohoa test",
	Created:    time.Date(2020, 3, 15, 9, 30, 0, 0, time.FixedZone("ICT", 7*3600)),
}

// page returns a 400x300 page image in format with one line of OCR text.
func page(t *testing.T, format string) pdf.Page {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for y := range 300 {
		for x := range 400 {
			img.Set(x, y, color.RGBA{0xFF, uint8(0xFF - y/3), uint8(0xFF - x/4), 0xFF})
		}
	}
	var b bytes.Buffer
	var err error
	switch format {
	case "jpeg":
		err = jpeg.Encode(&b, img, nil)
	case "png":
		err = png.Encode(&b, img)
	}
	if err != nil {
		t.Fatal(err)
	}
	text := &pipeline.PageText{Lines: []pipeline.Line{{
		Box: pipeline.Box{X0: 20, Y0: 20, X1: 380, Y1: 50},
		Words: []pipeline.Word{
			{Text: "Ủy", Box: pipeline.Box{X0: 20, Y0: 20, X1: 60, Y1: 50}},
			{Text: "ban", Box: pipeline.Box{X0: 80, Y0: 20, X1: 140, Y1: 50}},
			{Text: "nhân", Box: pipeline.Box{X0: 160, Y0: 20, X1: 240, Y1: 50}},
			{Text: "dân", Box: pipeline.Box{X0: 260, Y0: 20, X1: 320, Y1: 50}},
		},
	}}}
	return pdf.Page{Image: b.Bytes(), Format: format, DPIX: 150, DPIY: 150, Text: text}
}

// written returns a file as archive/pdf writes it: two pages, JPEG and PNG.
func written(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := pdf.Write(&b, []pdf.Page{page(t, "jpeg"), page(t, "png")}, info); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func check(t *testing.T, b []byte) []Problem {
	t.Helper()
	problems, err := Check(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return problems
}

// TestWrittenFilesPass checks that what archive/pdf writes breaks no clause.
func TestWrittenFilesPass(t *testing.T) {
	docs := map[string][]pdf.Page{
		"jpeg and png": {page(t, "jpeg"), page(t, "png")},
		"no text":      {{Image: page(t, "png").Image, Format: "png"}},
	}
	for name, pages := range docs {
		for _, in := range []pdf.Info{info, {}} {
			var b bytes.Buffer
			if err := pdf.Write(&b, pages, in); err != nil {
				t.Fatal(err)
			}
			if p := check(t, b.Bytes()); p != nil {
				t.Errorf("%s, info %+v: %q", name, in, p)
			}
		}
	}
}

// edit reads a file into pdfcpu's model, lets fn change it, and writes it
// back with pdfcpu: a classic cross-reference table, no object streams.
// pdfcpu sets the Info dictionary's /Producer and dates as it writes, which
// no check here looks at.
func edit(t *testing.T, b []byte, fn func(ctx *model.Context)) []byte {
	t.Helper()
	ctx, err := api.ReadContext(bytes.NewReader(b), model.NewDefaultConfiguration())
	if err != nil {
		t.Fatal(err)
	}
	if err := ctx.EnsurePageCount(); err != nil {
		t.Fatal(err)
	}
	fn(ctx)
	ctx.Configuration.WriteObjectStream = false
	ctx.Configuration.WriteXRefStream = false
	var out bytes.Buffer
	if err := api.WriteContext(ctx, &out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// find returns the object number and value of the first object for which
// match is true.
func find[T types.Object](t *testing.T, ctx *model.Context, match func(T) bool) (int, T) {
	t.Helper()
	for nr := 1; nr <= *ctx.Size; nr++ {
		e, ok := ctx.Find(nr)
		if !ok || e.Object == nil {
			continue
		}
		if v, ok := e.Object.(T); ok && match(v) {
			return nr, v
		}
	}
	var zero T
	t.Fatalf("no %T found", zero)
	return 0, zero
}

func isName(d types.Dict, key, value string) bool {
	n := d.NameEntry(key)
	return n != nil && *n == value
}

func image1(ctx *model.Context, t *testing.T) (int, types.StreamDict) {
	return find(t, ctx, func(sd types.StreamDict) bool { return isName(sd.Dict, "Subtype", "Image") })
}

func font(ctx *model.Context, t *testing.T) types.Dict {
	_, d := find(t, ctx, func(d types.Dict) bool { return isName(d, "Subtype", "Type0") })
	return d
}

func cidFont(ctx *model.Context, t *testing.T) types.Dict {
	_, d := find(t, ctx, func(d types.Dict) bool { return isName(d, "Subtype", "CIDFontType2") })
	return d
}

func catalog(ctx *model.Context, t *testing.T) types.Dict {
	root, err := ctx.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func page1(ctx *model.Context, t *testing.T) types.Dict {
	d, _, _, err := ctx.PageDict(1, false)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// setXMP replaces the catalog's (unfiltered) XMP packet with f of it.
func setXMP(ctx *model.Context, t *testing.T, f func(string) string) {
	ref := catalog(ctx, t).IndirectRefEntry("Metadata")
	e, _ := ctx.FindTableEntryForIndRef(ref)
	sd := e.Object.(types.StreamDict)
	x := []byte(f(string(sd.Raw)))
	sd.Content, sd.Raw = x, x
	n := int64(len(x))
	sd.StreamLength = &n
	sd.Update("Length", types.Integer(n))
	e.Object = sd
}

// newStream adds a stream of content with a single filter.
func newStream(ctx *model.Context, t *testing.T, content string, filter string) types.IndirectRef {
	sd := types.StreamDict{Dict: types.NewDict(), Content: []byte(content),
		FilterPipeline: []types.PDFFilter{{Name: filter}}}
	sd.InsertName("Filter", filter)
	if err := sd.Encode(); err != nil {
		t.Fatal(err)
	}
	ref, err := ctx.IndRefForNewObject(sd)
	if err != nil {
		t.Fatal(err)
	}
	return *ref
}

// addContent appends a content stream to page 1.
func addContent(ctx *model.Context, t *testing.T, ref types.IndirectRef) {
	p := page1(ctx, t)
	p.Update("Contents", types.Array{p["Contents"], ref})
}

// TestBrokenFiles breaks a written file in one way at a time and checks
// that exactly the clause broken is reported.
func TestBrokenFiles(t *testing.T) {
	good := written(t)
	tests := []struct {
		name   string
		broken func(t *testing.T) []byte
		clause string
		says   string // a part of the message
	}{
		{"binary comment", func(t *testing.T) []byte {
			b := bytes.Clone(good)
			copy(b[len("%PDF-1.7\n%"):], "abcd")
			return b
		}, "6.1.2", "binary comment"},
		{"no /ID", func(t *testing.T) []byte {
			// pdfcpu's writer always writes an /ID, so blank it in the
			// trailer; offsets do not move.
			b := bytes.Clone(good)
			at := bytes.LastIndex(b, []byte("trailer"))
			loc := regexp.MustCompile(`/ID\s*\[[^\]]*\]`).FindIndex(b[at:])
			copy(b[at+loc[0]:at+loc[1]], strings.Repeat(" ", loc[1]-loc[0]))
			return b
		}, "6.1.3", "/ID"},
		{"data after %%EOF", func(t *testing.T) []byte {
			return append(bytes.Clone(good), "garbage\n"...)
		}, "6.1.3", "bytes follow the last %%EOF"},
		{"encrypted", func(t *testing.T) []byte {
			var out bytes.Buffer
			if err := api.Encrypt(bytes.NewReader(good), &out, model.NewAESConfiguration("", "owner", 256)); err != nil {
				t.Fatal(err)
			}
			return out.Bytes()
		}, "6.1.3", "encrypted"},
		{"encrypted with a user password", func(t *testing.T) []byte {
			var out bytes.Buffer
			if err := api.Encrypt(bytes.NewReader(good), &out, model.NewAESConfiguration("user", "owner", 256)); err != nil {
				t.Fatal(err)
			}
			return out.Bytes()
		}, "6.1.3", "needs a password"},
		{"no XMP", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) { catalog(ctx, t).Delete("Metadata") })
		}, "6.6.2.1", "no XMP metadata"},
		{"xpacket bytes attribute", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) {
				setXMP(ctx, t, func(x string) string { return strings.Replace(x, "?xpacket begin", "?xpacket bytes=\"1234\" begin", 1) })
			})
		}, "6.6.2.1", "bytes attribute"},
		{"conformance B", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) {
				setXMP(ctx, t, func(x string) string {
					return strings.Replace(x, "<pdfaid:conformance>U<", "<pdfaid:conformance>B<", 1)
				})
			})
		}, "6.6.4", "XMP pdfaid:conformance is B, want U"},
		{"part 1 as an attribute", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) {
				setXMP(ctx, t, func(x string) string {
					x = strings.Replace(x, "<pdfaid:part>2</pdfaid:part>", "", 1)
					return strings.Replace(x, `rdf:about=""`, `rdf:about="" pdfaid:part="1"`, 1)
				})
			})
		}, "6.6.4", "XMP pdfaid:part is 1, want 2"},
		{"ICC profile /N 4", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) {
				oi := ctx.XRefTable
				ois := catalog(ctx, t).ArrayEntry("OutputIntents")
				d, _ := oi.DereferenceDict(ois[0])
				ref := d.IndirectRefEntry("DestOutputProfile")
				e, _ := ctx.FindTableEntryForIndRef(ref)
				sd := e.Object.(types.StreamDict)
				sd.Update("N", types.Integer(4))
				e.Object = sd
			})
		}, "6.2.3", "/N 4"},
		{"CMYK image", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) {
				nr, sd := image1(ctx, t)
				sd.Update("ColorSpace", types.Name("DeviceCMYK"))
				ctx.Table[nr].Object = sd
			})
		}, "6.2.4.3", "DeviceCMYK"},
		{"interpolate", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) {
				nr, sd := image1(ctx, t)
				sd.Insert("Interpolate", types.Boolean(true))
				ctx.Table[nr].Object = sd
			})
		}, "6.2.8", "/Interpolate true"},
		{"font not embedded", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) {
				fd, _ := ctx.DereferenceDict(cidFont(ctx, t)["FontDescriptor"])
				fd.Delete("FontFile2")
			})
		}, "6.2.11.4.1", "SohoaGlyphless"},
		{"no CIDToGIDMap", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) { cidFont(ctx, t).Delete("CIDToGIDMap") })
		}, "6.2.11.3.2", "CIDToGIDMap"},
		{"no ToUnicode", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) { font(ctx, t).Delete("ToUnicode") })
		}, "6.2.11.7.2", "ToUnicode"},
		{"OpenAction JavaScript", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) {
				catalog(ctx, t).Insert("OpenAction", types.Dict{"S": types.Name("JavaScript"), "JS": types.StringLiteral("app.alert(1)")})
			})
		}, "6.5.1", "the catalog's /OpenAction"},
		{"Launch action", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) {
				ref, err := ctx.IndRefForNewObject(types.Dict{"S": types.Name("Launch"), "F": types.StringLiteral("calc.exe")})
				if err != nil {
					t.Fatal(err)
				}
				catalog(ctx, t).Insert("OpenAction", *ref)
			})
		}, "6.5.1", "Launch in the catalog's /OpenAction"},
		{"page additional actions", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) {
				page1(ctx, t).Insert("AA", types.Dict{"O": types.Dict{"S": types.Name("Named"), "N": types.Name("NextPage")}})
			})
		}, "6.5.2", "page 1"},
		{"LZW stream", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) { addContent(ctx, t, newStream(ctx, t, "q Q\n", "LZWDecode")) })
		}, "6.1.7.2", "LZW"},
		{"LZW inline image", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) {
				addContent(ctx, t, newStream(ctx, t, "q (BI) Tj BI /W 1 /H 1 /BPC 8 /CS /G /F [/LZW] ID \x80\x0b\x60\x50\x22\x0c\x0c\x85\x01 EI Q\n", "FlateDecode"))
			})
		}, "6.1.10", "page 1"},
		{"interpolated inline image", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) {
				addContent(ctx, t, newStream(ctx, t, "q BI /W 1 /H 1 /BPC 8 /CS /G /I true ID \x80 EI Q\n", "FlateDecode"))
			})
		}, "6.2.8", "inline images"},
		{"annotation without print flag", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) {
				ref, err := ctx.IndRefForNewObject(types.Dict{
					"Type": types.Name("Annot"), "Subtype": types.Name("Link"),
					"Rect": types.NewIntegerArray(0, 0, 10, 10), "Border": types.NewIntegerArray(0, 0, 0),
				})
				if err != nil {
					t.Fatal(err)
				}
				page1(ctx, t).Insert("Annots", types.Array{*ref})
			})
		}, "6.3.2", "Link on page 1"},
		{"invalid PDF", func(t *testing.T) []byte {
			return edit(t, good, func(ctx *model.Context) { catalog(ctx, t).Insert("PageLayout", types.Name("Sideways")) })
		}, "6.1.1", "pdfcpu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := check(t, tt.broken(t))
			if len(got) != 1 || got[0].Clause != tt.clause || !strings.Contains(got[0].Message, tt.says) {
				t.Errorf("problems %q, want one under %s saying %q", got, tt.clause, tt.says)
			}
		})
	}
}

// TestEditedFilePasses checks that rewriting a file with pdfcpu, which the
// broken variants start from, breaks nothing by itself.
func TestEditedFilePasses(t *testing.T) {
	if p := check(t, edit(t, written(t), func(*model.Context) {})); p != nil {
		t.Errorf("%q", p)
	}
}

func TestProblemString(t *testing.T) {
	p := Problem{"6.6.4", "XMP pdfaid:conformance is B, want U"}
	if got := p.String(); got != "6.6.4 XMP pdfaid:conformance is B, want U" {
		t.Errorf("String() = %q", got)
	}
}

// TestNotAPDF checks that files that cannot be read at all are errors, and
// files whose start and end alone are wrong are problems.
func TestNotAPDF(t *testing.T) {
	for _, b := range [][]byte{[]byte("hello"), bytes.Repeat([]byte{0}, 5000)} {
		if p, err := Check(bytes.NewReader(b), int64(len(b))); err == nil {
			t.Errorf("Check(%.10q) = %q, want an error", b, p)
		}
	}
	if _, err := Check(bytes.NewReader(nil), 0); err == nil {
		t.Errorf("empty file: no error")
	}
	b := written(t)
	if _, err := Check(bytes.NewReader(b[:len(b)/2]), int64(len(b))); err == nil {
		t.Errorf("short read: no error")
	}
	// A wrong header but a readable file.
	b = bytes.Clone(b)
	copy(b, "%PDF-2.0")
	got := check(t, b)
	var clauses []string
	for _, p := range got {
		clauses = append(clauses, p.Clause)
	}
	if !slices.Contains(clauses, "6.1.2") {
		t.Errorf("header %%PDF-2.0: %q", got)
	}
}

// TestInlineImageDicts checks the content stream scanner.
func TestInlineImageDicts(t *testing.T) {
	tests := []struct {
		content string
		want    []inlineImage
	}{
		{"q 1 0 0 1 0 0 cm Q", nil},
		{"(BI /F /LZW ID) Tj % BI /F /LZW ID\n/BI 1 Tf", nil},
		{"BI /W 2 /H 2 /F /LZW ID xx EI", []inlineImage{{filters: []string{"LZW"}}}},
		{"BI /F [/AHx /LZW] /W 2 /DP << /K -1 /Columns 2 >> /I true ID\nAB EI Q",
			[]inlineImage{{filters: []string{"AHx", "LZW"}, interpolate: true}}},
		// Image data containing "EI" not followed by white space, and a
		// second image.
		{"BI /W 1 ID aEIb EI BI /Interpolate false /Filter /Fl ID \x00 EI",
			[]inlineImage{{}, {filters: []string{"Fl"}}}},
	}
	for _, tt := range tests {
		got := inlineImageDicts([]byte(tt.content))
		if len(got) != len(tt.want) {
			t.Errorf("%q: %+v, want %+v", tt.content, got, tt.want)
			continue
		}
		for i := range got {
			if !slices.Equal(got[i].filters, tt.want[i].filters) || got[i].interpolate != tt.want[i].interpolate {
				t.Errorf("%q: image %d %+v, want %+v", tt.content, i, got[i], tt.want[i])
			}
		}
	}
}
