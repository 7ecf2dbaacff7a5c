package epdf

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/ingest/epdf/epdftest"
	"github.com/sohoa/sohoa/ingest/pages"
	"github.com/sohoa/sohoa/internal/need"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/viet"
)

func needPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdftoppm", "pdffonts"} {
		need.Tool(t, tool, "poppler-utils")
	}
}

// header is the top of a quyết định as Word writes it.
var header = []epdftest.Line{
	{Text: "ỦY BAN NHÂN DÂN", X: 70, Top: 60, Size: 13},
	{Text: "HUYỆN VÂN CANH", X: 75, Top: 78, Size: 13},
	{Text: "Số: 15/2020/QĐ-UBND", X: 70, Top: 110, Size: 13},
	{Text: "Vân Canh, ngày 20 tháng 3 năm 2020", X: 300, Top: 110, Size: 13},
}

func lineTexts(lines []pipeline.Line) []string {
	var out []string
	for _, l := range lines {
		var w []string
		for _, x := range l.Words {
			w = append(w, x.Text)
		}
		out = append(out, strings.Join(w, " "))
	}
	return out
}

func TestReadUnicodeText(t *testing.T) {
	needPoppler(t)
	data := epdftest.Make([]epdftest.Page{{Lines: header}}, epdftest.Options{})
	got, err := Read(context.Background(), data, []int{1}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("%d pages", len(got))
	}
	p := got[0]
	if !p.Text || p.DPI != DefaultDPI || p.Width != 2479 && p.Width != 2480 || p.Height != 3508 && p.Height != 3509 {
		t.Fatalf("text %v, %dx%d at %v dpi", p.Text, p.Width, p.Height, p.DPI)
	}
	texts := lineTexts(p.Lines)
	for _, l := range header {
		if !slices.Contains(texts, l.Text) {
			t.Errorf("no line %q in %q", l.Text, texts)
		}
	}
	if len(p.Legacy) != 0 {
		t.Errorf("legacy %v for Unicode text", p.Legacy)
	}
	// The number's word sits where the PDF draws it: x 70 pt + "Số: ", top
	// 110 pt, at 300/72 pixels a point.
	for _, l := range p.Lines {
		for _, w := range l.Words {
			if w.Text != "15/2020/QĐ-UBND" {
				continue
			}
			if w.Conf != TextConf || w.Box.Y0 < 455 || w.Box.Y0 > 462 || w.Box.X0 < 370 || w.Box.X0 > 420 || w.Box.Y1-w.Box.Y0 < 50 {
				t.Errorf("number word %+v", w)
			}
		}
	}
	// The image is the page, with ink where the number is.
	img, err := png.Decode(bytes.NewReader(p.Image))
	if err != nil {
		t.Fatal(err)
	}
	if ink(img, image.Rect(370, 455, 800, 510)) < 0.03 || ink(img, image.Rect(370, 1000, 800, 1100)) != 0 {
		t.Errorf("the rendered page has no ink where its text is, or ink where it has none")
	}
}

// ink is the share of dark pixels of r in img.
func ink(img image.Image, r image.Rectangle) float64 {
	n, dark := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			n++
			if g := color.GrayModel.Convert(img.At(x, y)).(color.Gray); g.Y < 128 {
				dark++
			}
		}
	}
	return float64(dark) / float64(n)
}

func TestReadTCVN3(t *testing.T) {
	needPoppler(t)
	lines := []epdftest.Line{
		{Text: "ỦY BAN NHÂN DÂN", X: 70, Top: 60, Size: 13, Font: epdftest.VnTimeH},
		{Text: "Số: 15/2020/QĐ-UBND", X: 70, Top: 110, Size: 13, Font: epdftest.VnTime},
		{Text: "Vân Canh, ngày 20 tháng 3 năm 2020", X: 300, Top: 110, Size: 13, Font: epdftest.VnTime},
		{Text: "QUYẾT ĐỊNH", X: 250, Top: 160, Size: 14, Font: epdftest.VnTimeH},
		{Text: "Về việc công nhận tổ hòa giải ở cơ sở", X: 150, Top: 180, Size: 13, Font: epdftest.VnTime},
	}
	data := epdftest.Make([]epdftest.Page{{Lines: lines}}, epdftest.Options{})
	// What the file's text is without decoding: Latin-1 garbage.
	if raw := pdftotext(t, data); !strings.Contains(raw, "nh©n") && !strings.Contains(raw, "Sè:") {
		t.Fatalf("the test file's text is not TCVN3: %q", raw)
	}
	got, err := Read(context.Background(), data, []int{1}, Config{DPI: 150})
	if err != nil {
		t.Fatal(err)
	}
	p := got[0]
	if !p.Text {
		t.Fatal("no usable text")
	}
	texts := lineTexts(p.Lines)
	for _, l := range lines {
		if !slices.Contains(texts, l.Text) {
			t.Errorf("no line %q in %q", l.Text, texts)
		}
	}
	if !slices.Contains(p.Legacy, viet.TCVN3) || !slices.Contains(p.Legacy, viet.TCVN3Capitals) {
		t.Errorf("legacy %v, want TCVN3 and its capitals", p.Legacy)
	}
	var legacy []Font
	for _, f := range p.Fonts {
		if f.Legacy != viet.Unicode {
			legacy = append(legacy, f)
		}
	}
	if len(legacy) != 2 {
		t.Fatalf("fonts %+v", p.Fonts)
	}
	// The copy rendered from names the Vietnamese letters: its own text,
	// as poppler reads it through the new encodings, is Unicode.
	fixed, err := withLegacyEncodings(data, legacy)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, fixed)
	for _, want := range []string{"ỦY BAN NHÂN DÂN", "Số: 15/2020/QĐ-UBND", "QUYẾT ĐỊNH", "công nhận tổ hòa giải"} {
		if !strings.Contains(text, want) {
			t.Errorf("the copy to render from reads %q, want %q in it", text, want)
		}
	}
}

func pdftotext(t *testing.T, data []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "a.pdf")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// A page with no text (a seal only, or nothing) is rendered, for OCR.
func TestReadNoText(t *testing.T) {
	needPoppler(t)
	seal := image.NewRGBA(image.Rect(0, 0, 200, 200))
	for i := range seal.Pix {
		seal.Pix[i] = 0xFF
	}
	for y := 40; y < 160; y++ {
		for x := 40; x < 160; x++ {
			seal.Set(x, y, color.RGBA{0xD0, 0x10, 0x10, 0xFF})
		}
	}
	data := epdftest.Make([]epdftest.Page{
		{Seal: seal, SealAt: [3]float64{300, 500, 100}},
		{Lines: []epdftest.Line{{Text: "- 2 -", X: 290, Top: 800, Size: 11}}},
	}, epdftest.Options{})
	got, err := Read(context.Background(), data, []int{1, 2}, Config{DPI: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got {
		if p.Text || p.Lines != nil || len(p.Image) == 0 || p.Width != 827 {
			t.Errorf("page %d: text %v, %d lines, %d bytes of image %d wide", p.Number, p.Text, len(p.Lines), len(p.Image), p.Width)
		}
	}
}

// A page too large for the pixel limit is rendered at a lower resolution;
// one that would need less than 100 dpi is refused.
func TestReadBounds(t *testing.T) {
	needPoppler(t)
	big := epdftest.Make([]epdftest.Page{{Size: [2]float64{2384, 3370}, Lines: header}}, epdftest.Options{}) // A0
	got, err := Read(context.Background(), big, []int{1}, Config{MaxPixels: 40_000_000})
	if err != nil {
		t.Fatal(err)
	}
	if p := got[0]; p.DPI >= DefaultDPI || p.DPI < minDPI || int64(p.Width)*int64(p.Height) > 40_000_000 || !p.Text {
		t.Errorf("A0 page at %v dpi, %dx%d", p.DPI, p.Width, p.Height)
	}
	_, err = Read(context.Background(), big, []int{1}, Config{MaxPixels: 10_000_000})
	if !errors.Is(err, pages.ErrTooLarge) {
		t.Errorf("A0 page within 10 megapixels: %v, want ErrTooLarge", err)
	}
	// A renderer that runs past its time is stopped, and the file refused.
	_, err = Read(context.Background(), big, []int{1}, Config{Timeout: time.Nanosecond})
	if !errors.Is(err, pages.ErrTooLarge) {
		t.Errorf("past the timeout: %v, want ErrTooLarge", err)
	}
	// A renderer that needs more memory than it may have fails, and the
	// file is refused.
	need.Tool(t, "prlimit", "util-linux")
	_, err = Read(context.Background(), big, []int{1}, Config{MaxMemory: 16 << 20})
	if !errors.Is(err, pages.ErrCorrupt) {
		t.Errorf("within 16 MiB: %v, want ErrCorrupt", err)
	}
	// The caller's context ending is not the file's fault.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err = Read(ctx, big, []int{1}, Config{}); !errors.Is(err, ErrTool) {
		t.Errorf("cancelled: %v, want ErrTool", err)
	}
}

func TestReadCorrupt(t *testing.T) {
	needPoppler(t)
	data := epdftest.Make([]epdftest.Page{{Lines: header}}, epdftest.Options{})
	for name, d := range map[string][]byte{
		"garbage":     []byte("%PDF-1.7\nthis is not a PDF at all\n%%EOF\n"),
		"no page two": data,
	} {
		_, err := Read(context.Background(), d, []int{2}, Config{})
		if !errors.Is(err, pages.ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
}

func TestParseFonts(t *testing.T) {
	out := `name                                 type              encoding         emb sub uni object ID
------------------------------------ ----------------- ---------------- --- --- --- ---------
TimesNewRomanPSMT                    CID TrueType      Identity-H       no  no  yes      3  0
.VnTime                              TrueType          WinAnsi          no  no  no       7  0
ABCDEF+.VnTimeH,Bold                 TrueType          WinAnsi          yes yes no      12  0
VNI-Times                            Type 1            Custom           no  no  no      14  0
AVeryLongFontNameThatOverflowsItsColumnEntirely CID Type 0C Identity-H yes yes yes 20 0
`
	want := []Font{
		{Name: "TimesNewRomanPSMT", Type: "CID TrueType", Encoding: "Identity-H", Object: 3, Legacy: viet.Unicode},
		{Name: ".VnTime", Type: "TrueType", Encoding: "WinAnsi", Object: 7, Legacy: viet.TCVN3},
		{Name: "ABCDEF+.VnTimeH,Bold", Type: "TrueType", Encoding: "WinAnsi", Embedded: true, Object: 12, Legacy: viet.TCVN3Capitals},
		{Name: "VNI-Times", Type: "Type 1", Encoding: "Custom", Object: 14, Legacy: viet.VNI},
		{Name: "AVeryLongFontNameThatOverflowsItsColumnEntirely", Type: "CID Type 0C", Encoding: "Identity-H", Embedded: true, Object: 20, Legacy: viet.Unicode},
	}
	if got := parseFonts(out); !slices.Equal(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// Lines are decoded one by one, by what the page's fonts and the text say.
func TestDecodeLines(t *testing.T) {
	word := func(s string) []bboxWord {
		var out []bboxWord
		for _, w := range strings.Fields(s) {
			out = append(out, bboxWord{text: w})
		}
		return out
	}
	tcvn := Font{Name: ".VnTime", Legacy: viet.TCVN3}
	times := Font{Name: "TimesNewRomanPSMT", Legacy: viet.Unicode}
	tests := []struct {
		name  string
		fonts []Font
		in    []string
		want  []string
	}{
		{"TCVN3 by font", []Font{tcvn}, []string{"Uû ban nh©n d©n", "15/2020/Q§-UBND"}, []string{"Uỷ ban nhân dân", "15/2020/QĐ-UBND"}},
		{"Unicode beside TCVN3", []Font{tcvn, times}, []string{"Uû ban nh©n d©n", "Ủy ban nhân dân", "café"}, []string{"Uỷ ban nhân dân", "Ủy ban nhân dân", "café"}},
		{"TCVN3 by its text alone", []Font{{Name: "Times-Roman"}}, []string{"Uû ban nh©n d©n huyÖn", "QuyÕt ®Þnh"}, []string{"Uỷ ban nhân dân huyện", "Quyết định"}},
		{"VNI by font", []Font{{Name: "VNI-Times", Legacy: viet.VNI}}, []string{"UÛy ban nhaân daân tænh Quaûng Ngaõi", "Ñoäc laäp - Töï do - Haïnh phuùc"}, []string{"Ủy ban nhân dân tỉnh Quảng Ngãi", "Độc lập - Tự do - Hạnh phúc"}},
		{"Latin-1 that is no TCVN3", []Font{times}, []string{"Société générale", "Müller"}, []string{"Société générale", "Müller"}},
	}
	for _, tt := range tests {
		var pg bboxPage
		for _, l := range tt.in {
			pg.blocks = append(pg.blocks, [][]bboxWord{word(l)})
		}
		lines, _ := decodeLines(pg, tt.fonts)
		var got []string
		for _, l := range lines {
			var w []string
			for _, x := range l.words {
				w = append(w, x.text)
			}
			got = append(got, strings.Join(w, " "))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// Pages are rendered in runs of consecutive pages; each page gets its own
// image and text, whatever pages are asked for.
func TestReadManyPages(t *testing.T) {
	needPoppler(t)
	var pgs []epdftest.Page
	for n := 1; n <= 12; n++ {
		pgs = append(pgs, epdftest.Page{Lines: []epdftest.Line{
			{Text: "Trang số " + strings.Repeat("I", n) + " của văn bản", X: 80, Top: float64(40 * n), Size: 13},
		}})
	}
	data := epdftest.Make(pgs, epdftest.Options{})
	for _, which := range [][]int{{1, 2, 3, 5, 11, 12}, {5, 11}} {
		readPages(t, data, which)
	}
}

func readPages(t *testing.T, data []byte, which []int) {
	t.Helper()
	got, err := Read(context.Background(), data, which, Config{DPI: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(which) {
		t.Fatalf("%d pages", len(got))
	}
	for i, p := range got {
		n := which[i]
		want := "Trang số " + strings.Repeat("I", n) + " của văn bản"
		if p.Number != n || !slices.Equal(lineTexts(p.Lines), []string{want}) {
			t.Errorf("page %d: number %d, lines %q", n, p.Number, lineTexts(p.Lines))
			continue
		}
		img, err := png.Decode(bytes.NewReader(p.Image))
		if err != nil {
			t.Fatal(err)
		}
		top := int(float64(40*n) * 100 / 72)
		if ink(img, image.Rect(100, top, 300, top+15)) < 0.02 {
			t.Errorf("page %d: its image has no ink where its line is", n)
		}
	}
}

// A page turned by /Rotate is rendered turned, and its words are placed on
// the turned page.
func TestReadRotated(t *testing.T) {
	needPoppler(t)
	data := epdftest.Make([]epdftest.Page{{Lines: header, Rotate: 90}}, epdftest.Options{})
	got, err := Read(context.Background(), data, []int{1}, Config{DPI: 100})
	if err != nil {
		t.Fatal(err)
	}
	p := got[0]
	if p.Width <= p.Height || !p.Text {
		t.Fatalf("%dx%d, text %v", p.Width, p.Height, p.Text)
	}
	img, err := png.Decode(bytes.NewReader(p.Image))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range p.Lines {
		for _, w := range l.Words {
			b := w.Box
			if b.X1 > p.Width || b.Y1 > p.Height || ink(img, image.Rect(b.X0, b.Y0, b.X1, b.Y1)) < 0.02 {
				t.Errorf("word %q at %+v: no ink there on the %dx%d page", w.Text, b, p.Width, p.Height)
			}
		}
	}
}

// A TCVN3 page is drawn as Vietnamese, not as the Latin-1 letters of its
// bytes: Tesseract reads the rendered image as the decoded text.
func TestRenderTCVN3Legibly(t *testing.T) {
	needPoppler(t)
	tess := need.Tool(t, "tesseract", "tesseract-ocr")
	data := epdftest.Make([]epdftest.Page{{Lines: epdftest.ThongBao.Lines}}, epdftest.Options{})
	got, err := Read(context.Background(), data, []int{1}, Config{DPI: 300})
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "page.png")
	if err := os.WriteFile(f, got[0].Image, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tess, f, "-", "-l", "vie")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	text := string(out)
	for _, want := range []string{"ỦY BAN NHÂN DÂN", "XÃ ĐỨC PHONG", "Số: 12/TB-UBND", "Đức Phong, ngày 08 tháng 5 năm 2021", "lịch tiếp công dân"} {
		if !strings.Contains(text, want) {
			t.Errorf("the rendered page reads %q, want %q in it", text, want)
		}
	}
	if strings.ContainsAny(text, "©§®") {
		t.Errorf("the rendered page shows legacy bytes: %q", text)
	}
}

// A page without colour is kept in grey (half the size); one with a red
// seal keeps its colour.
func TestReadGreyUnlessColour(t *testing.T) {
	needPoppler(t)
	seal := image.NewRGBA(image.Rect(0, 0, 100, 100))
	for i := range seal.Pix {
		seal.Pix[i] = 0xFF
	}
	for y := 20; y < 80; y++ {
		for x := 20; x < 80; x++ {
			seal.Set(x, y, color.RGBA{0xD0, 0x10, 0x10, 0xFF})
		}
	}
	data := epdftest.Make([]epdftest.Page{{Lines: header}, {Lines: header, Seal: seal, SealAt: [3]float64{350, 500, 80}}}, epdftest.Options{})
	got, err := Read(context.Background(), data, []int{1, 2}, Config{DPI: 100})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []color.Model{color.GrayModel, color.RGBAModel} {
		img, err := png.Decode(bytes.NewReader(got[i].Image))
		if err != nil {
			t.Fatal(err)
		}
		if m := img.ColorModel(); m != want && !(want == color.RGBAModel && m == color.NRGBAModel) {
			t.Errorf("page %d: colour model %T", i+1, img)
		}
	}
}
