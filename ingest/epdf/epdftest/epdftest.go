// Package epdftest writes electronic PDFs for tests, the way office
// software writes them when it does not embed its fonts: text in Times New
// Roman referred to by name only (a Type0 font with Identity-H codes and a
// ToUnicode map, as Word's PDF export writes Vietnamese), or in the legacy
// TCVN3 fonts .VnTime and .VnTimeH (one byte a letter, WinAnsi, no map to
// Unicode), with scanned images where a page needs one. Nothing here is
// embedded, so what a reader shows is what its substitute fonts draw.
//
// It is used by tests only, of package epdf, of ingest and of the command.
package epdftest

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"os"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Font is how a line's text is encoded.
type Font int

const (
	// TimesNewRoman: Type0, Identity-H, CIDFontType2 TimesNewRomanPSMT, not
	// embedded, with a ToUnicode map.
	TimesNewRoman Font = iota
	// VnTime: TrueType .VnTime, WinAnsi, not embedded: the text's bytes are
	// TCVN3 (lower case and toneless capitals).
	VnTime
	// VnTimeH: TrueType .VnTimeH, the capitals font of the family.
	VnTimeH
)

// Line is a line of text: Text in Unicode (encoded for Font here), X and
// Top its left edge and the top of its em box in points from the page's
// top-left corner, Size in points.
type Line struct {
	Text   string
	X, Top float64
	Size   float64
	Font   Font
}

// Page is one A4 page: Lines of text and, if Scan is set, a scanned image
// drawn over the whole page (JPEG). Seal, if set, is a small image (a
// scanned seal) drawn at SealAt (x, top, width in points).
type Page struct {
	// Size in points (default A4, Width × Height).
	Size [2]float64
	// Rotate is the page's /Rotate (0, 90, 180, 270).
	Rotate int
	Lines  []Line
	Scan   image.Image
	Seal   image.Image
	SealAt [3]float64
}

// A4 in points.
const Width, Height = 595.0, 842.0

// Options of Make.
type Options struct {
	// SignatureSpace, if above zero, adds an (unsigned) signature field
	// whose /Contents holds that many zero bytes and whose /ByteRange is a
	// placeholder, for Sign to fill in.
	SignatureSpace int
}

// Make writes a PDF of pages.
func Make(pages []Page, opt Options) []byte {
	w := &writer{}
	// Object numbers: 1 catalog, 2 pages, 3 Type0, 4 CIDFont, 5 descriptor,
	// 6 ToUnicode, 7 .VnTime, 8 .VnTimeH, 9 legacy descriptor, then per page.
	cids := map[rune]int{}
	var order []rune
	for _, p := range pages {
		for _, l := range p.Lines {
			if l.Font != TimesNewRoman {
				continue
			}
			for _, r := range l.Text {
				if _, ok := cids[r]; !ok {
					cids[r] = len(order) + 1
					order = append(order, r)
				}
			}
		}
	}
	next := 10
	type pageObjs struct{ page, content, scan, seal int }
	objs := make([]pageObjs, len(pages))
	for i, p := range pages {
		objs[i].page, objs[i].content = next, next+1
		next += 2
		if p.Scan != nil {
			objs[i].scan = next
			next++
		}
		if p.Seal != nil {
			objs[i].seal = next
			next++
		}
	}
	sigField, sigValue := 0, 0
	if opt.SignatureSpace > 0 {
		sigField, sigValue = next, next+1
		next += 2
	}
	acro := ""
	if sigField > 0 {
		acro = fmt.Sprintf(" /AcroForm << /Fields [%d 0 R] /SigFlags 3 >>", sigField)
	}
	w.obj(1, fmt.Sprintf("<< /Type /Catalog /Pages 2 0 R%s >>", acro))
	var kids []string
	for _, o := range objs {
		kids = append(kids, fmt.Sprintf("%d 0 R", o.page))
	}
	w.obj(2, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	w.obj(3, "<< /Type /Font /Subtype /Type0 /BaseFont /TimesNewRomanPSMT /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>")
	var widths strings.Builder
	for i, r := range order {
		fmt.Fprintf(&widths, "%d [%d] ", i+1, advance(r))
	}
	w.obj(4, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TimesNewRomanPSMT /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R /DW 500 /W [%s] >>", widths.String()))
	w.obj(5, "<< /Type /FontDescriptor /FontName /TimesNewRomanPSMT /Flags 34 /FontBBox [-568 -307 2000 1007] /ItalicAngle 0 /Ascent 891 /Descent -216 /CapHeight 662 /StemV 82 >>")
	var cmap strings.Builder
	cmap.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(order); i += 100 {
		chunk := order[i:min(i+100, len(order))]
		fmt.Fprintf(&cmap, "%d beginbfchar\n", len(chunk))
		for j, r := range chunk {
			fmt.Fprintf(&cmap, "<%04X> <", i+j+1)
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&cmap, "%04X", u)
			}
			cmap.WriteString(">\n")
		}
		cmap.WriteString("endbfchar\n")
	}
	cmap.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	w.stream(6, "", []byte(cmap.String()))
	// A legacy font's widths are those of the letters its bytes draw.
	legacyWidths := func(capitals bool) string {
		ws := make([]string, 224)
		for i := range ws {
			r := rune(32 + i)
			if u, ok := tcvn3Letter[byte(r)]; ok {
				r = u
			}
			if capitals {
				r = unicode.ToUpper(r)
			}
			ws[i] = fmt.Sprint(advance(r))
		}
		return strings.Join(ws, " ")
	}
	w.obj(7, fmt.Sprintf("<< /Type /Font /Subtype /TrueType /BaseFont /.VnTime /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths [%s] /FontDescriptor 9 0 R >>", legacyWidths(false)))
	w.obj(8, fmt.Sprintf("<< /Type /Font /Subtype /TrueType /BaseFont /.VnTimeH /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths [%s] /FontDescriptor 9 0 R >>", legacyWidths(true)))
	w.obj(9, "<< /Type /FontDescriptor /FontName /.VnTime /Flags 34 /FontBBox [-568 -307 2000 1007] /ItalicAngle 0 /Ascent 891 /Descent -216 /CapHeight 662 /StemV 82 >>")
	for i, p := range pages {
		o := objs[i]
		pw, ph := Width, Height
		if p.Size[0] > 0 && p.Size[1] > 0 {
			pw, ph = p.Size[0], p.Size[1]
		}
		var c bytes.Buffer
		xobj, used := "", map[Font]bool{}
		for _, l := range p.Lines {
			used[l.Font] = true
		}
		fonts := ""
		for f, res := range []string{TimesNewRoman: " /F1 3 0 R", VnTime: " /F2 7 0 R", VnTimeH: " /F3 8 0 R"} {
			if used[Font(f)] {
				fonts += res
			}
		}
		if o.scan > 0 {
			fmt.Fprintf(&c, "q %g 0 0 %g 0 0 cm /Scan Do Q\n", pw, ph)
			xobj += fmt.Sprintf(" /Scan %d 0 R", o.scan)
		}
		if o.seal > 0 {
			b := p.Seal.Bounds()
			x, top, wd := p.SealAt[0], p.SealAt[1], p.SealAt[2]
			ht := wd * float64(b.Dy()) / float64(b.Dx())
			fmt.Fprintf(&c, "q %g 0 0 %g %g %g cm /Seal Do Q\n", wd, ht, x, ph-top-ht)
			xobj += fmt.Sprintf(" /Seal %d 0 R", o.seal)
		}
		for _, l := range p.Lines {
			base := ph - l.Top - 0.891*l.Size
			switch l.Font {
			case TimesNewRoman:
				var hex strings.Builder
				for _, r := range l.Text {
					fmt.Fprintf(&hex, "%04X", cids[r])
				}
				fmt.Fprintf(&c, "BT /F1 %g Tf 1 0 0 1 %g %g Tm <%s> Tj ET\n", l.Size, l.X, base, hex.String())
			case VnTime, VnTimeH:
				font := "/F2"
				if l.Font == VnTimeH {
					font = "/F3"
				}
				fmt.Fprintf(&c, "BT %s %g Tf 1 0 0 1 %g %g Tm <%X> Tj ET\n", font, l.Size, l.X, base, EncodeTCVN3(l.Text, l.Font == VnTimeH))
			}
		}
		w.obj(o.page, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /Rotate %d /MediaBox [0 0 %g %g] /Resources << /Font <<%s >> /XObject <<%s >> >> /Contents %d 0 R >>",
			p.Rotate, pw, ph, fonts, xobj, o.content))
		w.stream(o.content, "", c.Bytes())
		if o.scan > 0 {
			w.image(o.scan, p.Scan)
		}
		if o.seal > 0 {
			w.image(o.seal, p.Seal)
		}
	}
	if sigField > 0 {
		w.obj(sigField, fmt.Sprintf("<< /FT /Sig /T (Signature1) /V %d 0 R /Ff 0 /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P %d 0 R >>", sigValue, objs[0].page))
		w.sigAt = len(w.buf.Bytes())
		w.obj(sigValue, fmt.Sprintf("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /M (D:20240315090000+07'00') /Name (UBND) /ByteRange %s /Contents <%s> >>",
			byteRangePlaceholder, strings.Repeat("0", 2*opt.SignatureSpace)))
	}
	return w.finish(next)
}

// byteRangePlaceholder is replaced by Sign with the real byte range, padded
// with spaces to the same length.
const byteRangePlaceholder = "[0 0000000000 0000000000 0000000000]"

// advance is a glyph's width in thousandths of an em: Liberation Serif's
// (the metrics of Times New Roman, as Word writes them in /W), or near
// them if the font is not installed.
func advance(r rune) int {
	if a, ok := serifAdvance(r); ok {
		return a
	}
	switch {
	case r == ' ':
		return 250
	case r == 'i' || r == 'l' || r == 'j' || r == 't' || r == 'f' || r == 'r' || r == '.' || r == ',' || r == ':' || r == '/' || r == '-' || r == '(' || r == ')':
		return 333
	case r == 'm' || r == 'M' || r == 'W' || r == 'w':
		return 778
	case r >= 'A' && r <= 'Z', r == 'Đ':
		return 667
	}
	return 500
}

var serif = sync.OnceValue(func() *sfnt.Font {
	b, err := os.ReadFile("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
	if err != nil {
		return nil
	}
	f, err := sfnt.Parse(b)
	if err != nil {
		return nil
	}
	return f
})

func serifAdvance(r rune) (int, bool) {
	f := serif()
	if f == nil {
		return 0, false
	}
	var buf sfnt.Buffer
	gi, err := f.GlyphIndex(&buf, r)
	if err != nil || gi == 0 {
		return 0, false
	}
	upem := f.UnitsPerEm()
	adv, err := f.GlyphAdvance(&buf, gi, fixed.Int26_6(upem), font.HintingNone)
	if err != nil {
		return 0, false
	}
	return int(math.Round(float64(adv) * 1000 / float64(upem))), true
}

type writer struct {
	buf     bytes.Buffer
	offsets map[int]int
	sigAt   int
}

func (w *writer) start() {
	if w.offsets == nil {
		w.offsets = map[int]int{}
		w.buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	}
}

func (w *writer) obj(n int, body string) {
	w.start()
	w.offsets[n] = w.buf.Len()
	fmt.Fprintf(&w.buf, "%d 0 obj\n%s\nendobj\n", n, body)
}

func (w *writer) stream(n int, dict string, data []byte) {
	w.start()
	w.offsets[n] = w.buf.Len()
	fmt.Fprintf(&w.buf, "%d 0 obj\n<< /Length %d%s >>\nstream\n", n, len(data), dict)
	w.buf.Write(data)
	w.buf.WriteString("\nendstream\nendobj\n")
}

func (w *writer) image(n int, img image.Image) {
	var j bytes.Buffer
	if err := jpeg.Encode(&j, img, &jpeg.Options{Quality: 85}); err != nil {
		panic(err)
	}
	b := img.Bounds()
	cs := "/DeviceRGB"
	if _, ok := img.(*image.Gray); ok {
		cs = "/DeviceGray"
	}
	w.stream(n, fmt.Sprintf(" /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /DCTDecode", b.Dx(), b.Dy(), cs), j.Bytes())
}

func (w *writer) finish(size int) []byte {
	xref := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f \n", size)
	nums := make([]int, 0, len(w.offsets))
	for n := range w.offsets {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	for n := 1; n < size; n++ {
		if off, ok := w.offsets[n]; ok {
			fmt.Fprintf(&w.buf, "%010d 00000 n \n", off)
		} else {
			w.buf.WriteString("0000000000 65535 f \n")
		}
	}
	fmt.Fprintf(&w.buf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", size, xref)
	return w.buf.Bytes()
}
