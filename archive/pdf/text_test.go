package pdf

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/pipeline"
)

// Page geometry of the text tests: A4 at 300 dpi.
const (
	a4W, a4H = 2480, 3508
	lineH    = 60 // line height in pixels, about 14 pt
)

// testLine describes one OCR line for textPage.
type testLine struct {
	words []string
	para  int
	// gap is the space between word boxes in pixels (may be zero or
	// negative: touching or overlapping boxes).
	gap int
	// tesseract gives the line a baseline as Tesseract reports it, and word
	// boxes that end at the baseline unless the word has a descender.
	tesseract bool
	slope     float64
}

// vietnamese is a page of an administrative document. Some words are given
// decomposed (NFD), as some OCR post-processing produces them; the PDF must
// give them back composed.
var vietnamese = []testLine{
	{words: []string{"ỦY", "BAN", "NHÂN", "DÂN"}, para: 1, gap: 25},
	{words: []string{"HUYỆN", "THỦY", "NGUYÊN"}, para: 1, gap: 25},
	{words: []string{"CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ", "NGHĨA", "VIỆT", "NAM"}, para: 2, gap: 22},
	{words: []string{"Độc", "lập", "-", "Tự", "do", "-", "Hạnh", "phúc"}, para: 2, gap: 3}, // tight
	{words: []string{"Số:", "15/2020/QĐ-UBND"}, para: 3, gap: 30, tesseract: true},
	{words: []string{norm.NFD.String("QUYẾT"), norm.NFD.String("ĐỊNH")}, para: 4, gap: 0}, // touching
	{words: []string{"Về", "việc", "phê", "duyệt", "kế", "hoạch", "thủy", "lợi", "năm", "2020"}, para: 5, gap: -4, tesseract: true, slope: 0.004},
	{words: []string{"Căn", "cứ", "Luật", "Tổ", "chức", "chính", "quyền", "địa", "phương;"}, para: 6, gap: 20, tesseract: true, slope: -0.003},
	{words: []string{"Đ", "đường", "Đà", "Nẵng", "đ", "ưỡng", "ỷ", "ỹ", "ẫ", "ậ", "ệ", "ổ", "ợ", "ự"}, para: 7, gap: 18},
	{words: []string{"Giám", "đốc", "Sở", "Nông", "nghiệp", "và", "Phát", "triển", "nông", "thôn;"}, para: 8, gap: 24},
}

// descender reports whether a word has a letter reaching below the baseline.
func descender(w string) bool {
	return strings.ContainsAny(w, "gjpqyọụịỵạặậệộợựỵ;,")
}

// textPage returns a white page with a gray block where each word is, and
// its OCR result, words laid out left to right, 30 px per character.
func textPage(lines []testLine) (*image.Gray, *pipeline.PageText) {
	img := image.NewGray(image.Rect(0, 0, a4W, a4H))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	t := &pipeline.PageText{Width: a4W, Height: a4H, DPIX: 300, DPIY: 300}
	y := 250
	for _, tl := range lines {
		l := pipeline.Line{Para: tl.para}
		x := 200
		for _, w := range tl.words {
			n := len([]rune(norm.NFC.String(w)))
			box := pipeline.Box{X0: x, Y0: y, X1: x + 30*n, Y1: y + lineH}
			if tl.tesseract && !descender(w) {
				box.Y1 = y + lineH*8/10 // ends at the baseline
			}
			l.Words = append(l.Words, pipeline.Word{Text: w, Box: box, Conf: 90})
			for yy := box.Y0; yy < box.Y1; yy++ {
				for xx := box.X0; xx < box.X1; xx++ {
					img.SetGray(xx, yy, color.Gray{0x60})
				}
			}
			x = box.X1 + tl.gap
		}
		l.Box = pipeline.Box{X0: 200, Y0: y, X1: x - tl.gap, Y1: y + lineH}
		if tl.tesseract {
			l.BaseOffset = -lineH * 2 / 10
			l.BaseSlope = tl.slope
		}
		t.Lines = append(t.Lines, l)
		y += 2 * lineH
	}
	return img, t
}

func textPDF(t *testing.T, lines []testLine) ([]byte, *pipeline.PageText) {
	t.Helper()
	img, text := textPage(lines)
	return writePDF(t, []Page{{Image: encodePNG(t, img), Format: "png", DPIX: 300, DPIY: 300, Text: text}}, testInfo), text
}

func nfcWords(lines []testLine) (words []string) {
	for _, l := range lines {
		for _, w := range l.words {
			words = append(words, norm.NFC.String(w))
		}
	}
	return words
}

// TestTextRoundTrip checks that pdftotext gives back the OCR text: the same
// words in the same order, one line per OCR line, every diacritic intact.
func TestTextRoundTrip(t *testing.T) {
	needTool(t, "pdftotext")
	pdf, _ := textPDF(t, vietnamese)
	path := tempPDF(t, pdf)
	for _, mode := range [][]string{{}, {"-layout"}, {"-raw"}} {
		t.Run(strings.Join(append([]string{"pdftotext"}, mode...), " "), func(t *testing.T) {
			out := string(run(t, "pdftotext", append(mode, "-enc", "UTF-8", path, "-")...))
			if got, want := strings.Fields(out), nfcWords(vietnamese); !slices.Equal(got, want) {
				t.Errorf("words:\n got %q\nwant %q", got, want)
			}
			var got []string
			for _, l := range strings.Split(out, "\n") {
				if l = strings.Join(strings.Fields(l), " "); l != "" {
					got = append(got, l)
				}
			}
			var want []string
			for _, l := range vietnamese {
				want = append(want, strings.Join(nfcWords([]testLine{l}), " "))
			}
			if !slices.Equal(got, want) {
				t.Errorf("lines:\n got %q\nwant %q", got, want)
			}
			if !norm.NFC.IsNormalString(out) {
				t.Errorf("extracted text is not NFC")
			}
		})
	}
}

// TestSelectedPhrases checks the phrases the brief names, as substrings of
// the plain extraction.
func TestSelectedPhrases(t *testing.T) {
	needTool(t, "pdftotext")
	pdf, _ := textPDF(t, vietnamese)
	out := string(run(t, "pdftotext", "-enc", "UTF-8", tempPDF(t, pdf), "-"))
	for _, s := range []string{"ỦY BAN NHÂN DÂN", "Độc lập - Tự do - Hạnh phúc", "QUYẾT ĐỊNH", "thủy", "15/2020/QĐ-UBND", "Đ đường Đà Nẵng đ ưỡng"} {
		if !strings.Contains(out, s) {
			t.Errorf("%q not in extracted text:\n%s", s, out)
		}
	}
}

type bboxWord struct {
	XMin float64 `xml:"xMin,attr"`
	YMin float64 `xml:"yMin,attr"`
	XMax float64 `xml:"xMax,attr"`
	YMax float64 `xml:"yMax,attr"`
	Text string  `xml:",chardata"`
}

// bboxWords runs pdftotext -bbox-layout and returns the words of page 1 in
// order, with boxes in points from the top-left corner.
func bboxWords(t *testing.T, pdf []byte) []bboxWord {
	t.Helper()
	out := run(t, "pdftotext", "-bbox-layout", "-enc", "UTF-8", tempPDF(t, pdf), "-")
	var words []bboxWord
	dec := xml.NewDecoder(bytes.NewReader(out))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "word" {
			var w bboxWord
			if err := dec.DecodeElement(&w, &se); err != nil {
				t.Fatal(err)
			}
			words = append(words, w)
		}
	}
	return words
}

func iou(a, b [4]float64) float64 {
	ix := math.Max(0, math.Min(a[2], b[2])-math.Max(a[0], b[0]))
	iy := math.Max(0, math.Min(a[3], b[3])-math.Max(a[1], b[1]))
	inter := ix * iy
	union := (a[2]-a[0])*(a[3]-a[1]) + (b[2]-b[0])*(b[3]-b[1]) - inter
	if union <= 0 {
		return 0
	}
	return inter / union
}

// TestWordBoxes checks that the boxes pdftotext finds for the words overlap
// the OCR boxes: what a reader selects in a viewer covers the word in the
// image.
func TestWordBoxes(t *testing.T) {
	needTool(t, "pdftotext")
	pdf, text := textPDF(t, vietnamese)
	got := bboxWords(t, pdf)
	var want []pipeline.Word
	for _, l := range text.Lines {
		want = append(want, l.Words...)
	}
	if len(got) != len(want) {
		t.Fatalf("pdftotext found %d words, want %d", len(got), len(want))
	}
	const px = 300.0 / 72 // pixels per point
	var sum float64
	worst, worstAt := 1.0, 0
	for i, w := range want {
		if g := got[i].Text; g != norm.NFC.String(w.Text) {
			t.Fatalf("word %d is %q, want %q", i, g, w.Text)
		}
		b := [4]float64{got[i].XMin * px, got[i].YMin * px, got[i].XMax * px, got[i].YMax * px}
		v := iou(b, [4]float64{float64(w.Box.X0), float64(w.Box.Y0), float64(w.Box.X1), float64(w.Box.Y1)})
		sum += v
		if v < worst {
			worst, worstAt = v, i
		}
	}
	mean := sum / float64(len(want))
	t.Logf("IoU mean %.3f, worst %.3f (%q)", mean, worst, want[worstAt].Text)
	if mean < 0.85 {
		t.Errorf("mean IoU of word boxes %.3f, want ≥ 0.85", mean)
	}
	if worst < 0.5 {
		t.Errorf("IoU of %q is %.3f, want ≥ 0.5", want[worstAt].Text, worst)
	}
}

// TestScaledText checks OCR boxes given for a larger copy of the image
// (Text.Width and Height twice the image's): they are scaled to the image.
func TestScaledText(t *testing.T) {
	needTool(t, "pdftotext")
	lines := vietnamese[:3]
	img, text := textPage(lines)
	small := image.NewGray(image.Rect(0, 0, a4W/2, a4H/2))
	for y := range a4H / 2 {
		for x := range a4W / 2 {
			small.SetGray(x, y, img.GrayAt(2*x, 2*y))
		}
	}
	pdf := writePDF(t, []Page{{Image: encodePNG(t, small), Format: "png", DPIX: 150, DPIY: 150, Text: text}}, testInfo)
	got := bboxWords(t, pdf)
	var want []pipeline.Word
	for _, l := range text.Lines {
		want = append(want, l.Words...)
	}
	if len(got) != len(want) {
		t.Fatalf("pdftotext found %d words, want %d", len(got), len(want))
	}
	const px = 300.0 / 72 // OCR pixels per point: 150 dpi image, boxes at twice the size
	for i, w := range want {
		b := [4]float64{got[i].XMin * px, got[i].YMin * px, got[i].XMax * px, got[i].YMax * px}
		if v := iou(b, [4]float64{float64(w.Box.X0), float64(w.Box.Y0), float64(w.Box.X1), float64(w.Box.Y1)}); v < 0.8 {
			t.Errorf("word %q: IoU %.3f, want ≥ 0.8", w.Text, v)
		}
	}

	// A different aspect ratio means the boxes belong to another image.
	text.Width, text.Height = a4H, a4W
	var b bytes.Buffer
	if err := Write(&b, []Page{{Image: encodePNG(t, small), Format: "png", Text: text}}, testInfo); err == nil ||
		!strings.HasPrefix(err.Error(), "pdf: page 1: ") {
		t.Errorf("Write with rotated text size = %v, want a page 1 error", err)
	}
}

// TestWriteText checks the content stream of one line: invisible text, the
// font size from the line height, Tz fitting each word to its box, a space
// spanning the gap, and the CIDs recorded.
func TestWriteText(t *testing.T) {
	text := &pipeline.PageText{Lines: []pipeline.Line{{
		Box: pipeline.Box{X0: 100, Y0: 200, X1: 400, Y1: 260},
		Words: []pipeline.Word{
			{Text: "Hà", Box: pipeline.Box{X0: 100, Y0: 200, X1: 160, Y1: 260}},
			{Text: "Nội", Box: pipeline.Box{X0: 190, Y0: 200, X1: 400, Y1: 260}},
		},
	}}}
	// 72 dpi: one pixel per point; page 1000 pixels high.
	p := placement{kx: 1, ky: 1, sx: 1, sy: 1, width: 1000, height: 1000}
	var b bytes.Buffer
	var used cidSet
	writeText(&b, text, p, &used)
	// Font size 60 (the line height); "Hà": 2 glyphs of 30 points natural
	// width over 60 points: 100%; the space: 30 points over a natural 30;
	// "Nội": 3 glyphs, 210 points over 90: 233.333%. Baseline: box bottom
	// minus 20% of 60 = 248 pixels down = 752 points up.
	got := b.String()
	for _, s := range []string{
		"BT\n/F1 60 Tf\n3 Tr\n",
		"100 Tz\n1 0 0 1 100 752 Tm\n<004800E0> Tj\n",
		"100 Tz\n<0020> Tj\n",
		"233.333 Tz\n1 0 0 1 190 752 Tm\n<004E1ED90069> Tj\n",
		"ET\n",
	} {
		if !strings.Contains(got, s) {
			t.Errorf("content stream lacks %q:\n%s", s, got)
		}
	}
	for _, c := range []uint16{'H', 0xE0, ' ', 'N', 0x1ED9, 'i'} {
		if !used.has(c) {
			t.Errorf("CID %04X not recorded", c)
		}
	}
	if n := len(used.sorted()); n != 6 {
		t.Errorf("%d CIDs recorded, want 6", n)
	}
}

// TestTextCIDs checks the mapping from OCR text to CIDs.
func TestTextCIDs(t *testing.T) {
	tests := []struct {
		in   string
		want []uint16
	}{
		{"Đ", []uint16{0x0110}},
		{norm.NFD.String("Ủy"), []uint16{0x1EE6, 'y'}},
		{norm.NFD.String("thủy"), []uint16{'t', 'h', 0x1EE7, 'y'}},
		{"a\tb\x00c\u0085", []uint16{'a', 'b', 'c'}},
		{"x😀y", []uint16{'x', 0xFFFD, 'y'}},
		{"\uFFFF", []uint16{0xFFFD}},
		{"\uFEFFa\u200Bb", []uint16{'a', 0x200B, 'b'}}, // BOM dropped, other format characters kept
		{"bad\xffutf8", []uint16{'b', 'a', 'd', 0xFFFD, 'u', 't', 'f', '8'}},
		{"", []uint16{}},
	}
	for _, tt := range tests {
		if got := textCIDs(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("textCIDs(%q) = %04X, want %04X", tt.in, got, tt.want)
		}
	}
}

// TestKeepApart checks that touching and overlapping boxes are narrowed to
// leave a gap, and that wide gaps are left alone.
func TestKeepApart(t *testing.T) {
	words := []word{
		{x0: 0, x1: 100},
		{x0: 100, x1: 200},   // touches the first
		{x0: 190, x1: 300},   // overlaps the second
		{x0: 400, x1: 500},   // far enough
		{x0: 505, x1: 510},   // follows a tiny gap
		{x0: 510.5, x1: 600}, // would need more than half of the word before
	}
	keepApart(words, 12)
	want := []float64{88, 178, 300, 493, 507.5, 600}
	for i, w := range words {
		if w.x1 != want[i] {
			t.Errorf("word %d ends at %v, want %v", i, w.x1, want[i])
		}
	}
}

func TestNum(t *testing.T) {
	for v, want := range map[float64]string{0: "0", -0.0001: "0", 1: "1", 1.5: "1.5", 2.0004: "2", 2.0015: "2.002", -3.25: "-3.25", 1e7: "10000000"} {
		if got := num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestFullPage checks the word order of a page full of text: 25 lines of
// 12 words in 5 paragraphs.
func TestFullPage(t *testing.T) {
	needTool(t, "pdftotext")
	var lines []testLine
	for i := range 25 {
		var ws []string
		for j := range 12 {
			ws = append(ws, []string{"ngày", "tháng", "năm", "Điều", strconv.Itoa(i*12 + j), "Ủy", "quyền"}[(i+j)%7])
		}
		lines = append(lines, testLine{words: ws, para: i/5 + 1, gap: 20, tesseract: i%2 == 0})
	}
	pdf, _ := textPDF(t, lines)
	out := string(run(t, "pdftotext", "-enc", "UTF-8", tempPDF(t, pdf), "-"))
	if got, want := strings.Fields(out), nfcWords(lines); !slices.Equal(got, want) {
		t.Errorf("words differ: got %d, want %d\n%s", len(got), len(want), fmt.Sprint(got[:min(20, len(got))]))
	}
}

// TestSingleCharacterWords checks lines whose words are all one character,
// which pdftotext would join as letter-spaced text unless they are drawn
// narrower than their boxes.
func TestSingleCharacterWords(t *testing.T) {
	needTool(t, "pdftotext")
	lines := []testLine{
		{words: []string{"Đ", "đ", "ắ", "ằ", "ẳ", "ẵ", "ặ", "ấ", "ầ", "ẩ", "ẫ", "ậ", "ế", "ề", "ể", "ễ", "ệ", "ố", "ồ", "ổ", "ỗ", "ộ", "ớ", "ờ", "ở", "ỡ", "ợ", "ứ", "ừ", "ử", "ữ", "ự"}, para: 1, gap: 15},
		{words: []string{"a", "b"}, para: 2, gap: 8, tesseract: true},
		// Last: pdftotext joins a line ending in a hyphen with the next.
		{words: []string{"-", "2", "-"}, para: 3, gap: 14},
	}
	pdf, text := textPDF(t, lines)
	path := tempPDF(t, pdf)
	for _, mode := range [][]string{{}, {"-layout"}, {"-raw"}} {
		out := string(run(t, "pdftotext", append(mode, "-enc", "UTF-8", path, "-")...))
		if got, want := strings.Fields(out), nfcWords(lines); !slices.Equal(got, want) {
			t.Errorf("pdftotext %v: words\n got %q\nwant %q", mode, got, want)
		}
	}
	// The narrowed words stay inside their boxes.
	got := bboxWords(t, pdf)
	const px = 300.0 / 72
	i := 0
	for _, l := range text.Lines {
		for _, w := range l.Words {
			if i >= len(got) {
				t.Fatalf("pdftotext found %d words", len(got))
			}
			g := got[i]
			if g.XMin*px < float64(w.Box.X0)-0.5 || g.XMax*px > float64(w.Box.X1)+0.5 {
				t.Errorf("word %q drawn at x %.1f–%.1f px, outside its box %d–%d", w.Text, g.XMin*px, g.XMax*px, w.Box.X0, w.Box.X1)
			}
			i++
		}
	}
}

// TestLineWithoutBox checks OCR lines that come without a line box: the
// words' union stands in for it, with or without a baseline.
func TestLineWithoutBox(t *testing.T) {
	needTool(t, "pdftotext")
	img, text := textPage(vietnamese[:4])
	for i := range text.Lines {
		text.Lines[i].Box = pipeline.Box{}
		if i%2 == 1 {
			text.Lines[i].BaseOffset = -lineH * 2 / 10
		}
	}
	pdf := writePDF(t, []Page{{Image: encodePNG(t, img), Format: "png", Text: text}}, testInfo)
	got := bboxWords(t, pdf)
	want := nfcWords(vietnamese[:4])
	if len(got) != len(want) {
		t.Fatalf("pdftotext found %d words, want %d", len(got), len(want))
	}
	const px = 300.0 / 72
	i := 0
	for _, l := range text.Lines {
		for _, w := range l.Words {
			b := [4]float64{got[i].XMin * px, got[i].YMin * px, got[i].XMax * px, got[i].YMax * px}
			if got[i].Text != want[i] {
				t.Errorf("word %d is %q, want %q", i, got[i].Text, want[i])
			}
			// Words on the tight line are narrowed to keep a gap.
			if v := iou(b, [4]float64{float64(w.Box.X0), float64(w.Box.Y0), float64(w.Box.X1), float64(w.Box.Y1)}); v < 0.65 {
				t.Errorf("word %q: IoU %.3f, want ≥ 0.65", w.Text, v)
			}
			i++
		}
	}
}
