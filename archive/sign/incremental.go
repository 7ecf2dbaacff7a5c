package sign

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/fault"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Layout of the appearance, in points (NĐ 30/2020: Times New Roman,
// regular, size 10, black, top right of page 1).
const (
	fontSize   = 10
	lineHeight = 12
	margin     = 14 // from the top and right edges of the page
	padding    = 2
)

// increment is the update Sign appends to a file.
type increment struct {
	src      []byte
	ctx      *model.Context
	prevXref int64
	size     int // the trailer's /Size: the first new object number
	page     types.Dict
	pageRef  types.IndirectRef
	root     types.Dict
	id0      string // the first /ID element as written
}

var startxref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)

func newIncrement(src []byte) (inc *increment, err error) {
	defer fault.Catch(&err)
	m := startxref.FindSubmatch(src[max(0, len(src)-1024):])
	if m == nil {
		return nil, errors.New("no startxref at the end of the file")
	}
	prev, _ := strconv.ParseInt(string(m[1]), 10, 64)
	if prev <= 0 || prev >= int64(len(src)) || !bytes.HasPrefix(src[prev:], []byte("xref")) {
		return nil, errors.New("the file has a cross-reference stream or a bad startxref; only classic tables are supported")
	}
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	ctx, err := api.ReadContext(bytes.NewReader(src), conf)
	if err != nil {
		return nil, fmt.Errorf("read PDF: %w", err)
	}
	if ctx.Encrypt != nil {
		return nil, errors.New("encrypted PDF")
	}
	if len(ctx.ID) != 2 || ctx.Root == nil || ctx.Size == nil {
		return nil, errors.New("trailer without /ID, /Root or /Size")
	}
	if err := ctx.EnsurePageCount(); err != nil {
		return nil, fmt.Errorf("read PDF: %w", err)
	}
	inc = &increment{src: src, ctx: ctx, prevXref: prev, size: *ctx.Size, id0: ctx.ID[0].PDFString()}
	page, ref, _, err := ctx.PageDict(1, false)
	if err != nil || page == nil || ref == nil {
		return nil, fmt.Errorf("page 1: %v", err)
	}
	inc.page, inc.pageRef = page.Clone().(types.Dict), *ref
	root, err := ctx.Catalog()
	if err != nil {
		return nil, err
	}
	inc.root = root.Clone().(types.Dict)
	return inc, nil
}

// isOurs reports whether o (a field or widget) is sohoa's signature field.
func (inc *increment) isOurs(o types.Object) bool {
	d, err := inc.ctx.DereferenceDict(o)
	if err != nil || d == nil {
		return false
	}
	t, err := inc.ctx.DereferenceText(d["T"])
	return err == nil && t == FieldName && d.NameEntry("FT") != nil && *d.NameEntry("FT") == "Sig"
}

// without returns the array o (or what it refers to) less sohoa's fields.
func (inc *increment) without(o types.Object) types.Array {
	a, _ := inc.ctx.DereferenceArray(o)
	var out types.Array
	for _, e := range a {
		if !inc.isOurs(e) {
			out = append(out, e)
		}
	}
	return out
}

// write returns the file with the increment appended, its /Contents a
// string of zeros reserve bytes long, and the byte range [0, a, b, end]:
// the signature covers src[0:a] and src[b:end], src[a:b] being /Contents.
func (inc *increment) write(lines []string, now time.Time, reserve int) ([]byte, [4]int, error) {
	var ranges [4]int
	f, err := serifFont()
	if err != nil {
		return nil, ranges, err
	}
	// Page 1's box, to place the field top right.
	box := inc.mediaBox()
	textW := 0.0
	var glyphLines [][]uint16
	used := map[uint16]rune{}
	for _, l := range lines {
		var gs []uint16
		w := 0.0
		for _, r := range l {
			g := f.glyph(r)
			if g == 0 {
				g, r = f.glyph('?'), '?'
			}
			gs = append(gs, g)
			used[g] = r
			w += f.width(g) * fontSize / 1000
		}
		glyphLines = append(glyphLines, gs)
		textW = max(textW, w)
	}
	w := math.Ceil(textW + 2*padding)
	h := float64(lineHeight*len(lines) + 2*padding)
	x2, y2 := box[2]-margin, box[3]-margin
	x1, y1 := max(box[0], x2-w), max(box[1], y2-h)

	var content bytes.Buffer
	content.WriteString("q BT 0 g /F1 10 Tf\n")
	for i, gs := range glyphLines {
		var hx strings.Builder
		for _, g := range gs {
			fmt.Fprintf(&hx, "%04X", g)
		}
		if i == 0 {
			fmt.Fprintf(&content, "%d %s Td\n", padding, num(h-padding-fontSize+1))
		} else {
			fmt.Fprintf(&content, "0 %d Td\n", -lineHeight)
		}
		fmt.Fprintf(&content, "<%s> Tj\n", hx.String())
	}
	content.WriteString("ET Q\n")

	// Object numbers of the new objects.
	n := inc.size
	sigNr, widgetNr, apNr, fontNr, cidNr, descNr, fileNr, uniNr := n, n+1, n+2, n+3, n+4, n+5, n+6, n+7
	next := n + 8
	ref := func(nr int) string { return fmt.Sprintf("%d 0 R", nr) }

	out := bytes.NewBuffer(append([]byte(nil), inc.src...))
	if !bytes.HasSuffix(inc.src, []byte("\n")) && !bytes.HasSuffix(inc.src, []byte("\r")) {
		out.WriteByte('\n')
	}
	offsets := map[int]int{}
	obj := func(nr, gen int, body string) {
		offsets[nr] = out.Len()
		fmt.Fprintf(out, "%d %d obj\n%s\nendobj\n", nr, gen, body)
	}
	stream := func(nr int, dict string, data []byte) {
		offsets[nr] = out.Len()
		fmt.Fprintf(out, "%d 0 obj\n<<%s/Length %d>>\nstream\n", nr, dict, len(data))
		out.Write(data)
		out.WriteString("\nendstream\nendobj\n")
	}

	// The signature dictionary: /Contents is filled in after the fact.
	offsets[sigNr] = out.Len()
	fmt.Fprintf(out, "%d 0 obj\n<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/M(%s)/Prop_Build<</App<</Name/sohoa>>>>/ByteRange[", sigNr, pdfDate(now))
	brAt := out.Len()
	out.WriteString(strings.Repeat(" ", 3*11+2) + "]/Contents")
	ranges[1] = out.Len()
	out.WriteByte('<')
	out.Write(bytes.Repeat([]byte("0"), 2*reserve))
	out.WriteByte('>')
	ranges[2] = out.Len()
	out.WriteString(">>\nendobj\n")

	obj(widgetNr, 0, fmt.Sprintf("<</Type/Annot/Subtype/Widget/FT/Sig/T(%s)/V %s/F 132/Rect[%s %s %s %s]/P %s/AP<</N %s>>>>",
		FieldName, ref(sigNr), num(x1), num(y1), num(x2), num(y2), inc.pageRef.PDFString(), ref(apNr)))
	stream(apNr, fmt.Sprintf("/Type/XObject/Subtype/Form/BBox[0 0 %s %s]/Resources<</Font<</F1 %s>>>>", num(x2-x1), num(y2-y1), ref(fontNr)), content.Bytes())

	var gids []uint16
	for g := range used {
		gids = append(gids, g)
	}
	slices.Sort(gids)
	var widths strings.Builder
	for _, g := range gids {
		fmt.Fprintf(&widths, "%d[%s]", g, num(f.width(g)))
	}
	fontName := "SOHOAS+" + serifName
	obj(fontNr, 0, fmt.Sprintf("<</Type/Font/Subtype/Type0/BaseFont/%s/Encoding/Identity-H/DescendantFonts[%s]/ToUnicode %s>>", fontName, ref(cidNr), ref(uniNr)))
	obj(cidNr, 0, fmt.Sprintf("<</Type/Font/Subtype/CIDFontType2/BaseFont/%s/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/FontDescriptor %s/DW 1000/W[%s]/CIDToGIDMap/Identity>>",
		fontName, ref(descNr), widths.String()))
	scale := func(v int) string { return num(float64(v) * 1000 / float64(f.unitsPerEm)) }
	obj(descNr, 0, fmt.Sprintf("<</Type/FontDescriptor/FontName/%s/Flags 34/FontBBox[%s %s %s %s]/ItalicAngle 0/Ascent %s/Descent %s/CapHeight %s/StemV 80/FontFile2 %s>>",
		fontName, scale(f.bbox[0]), scale(f.bbox[1]), scale(f.bbox[2]), scale(f.bbox[3]), scale(f.ascent), scale(f.descent), scale(f.ascent), ref(fileNr)))
	prog := f.subset(gids)
	stream(fileNr, fmt.Sprintf("/Filter/FlateDecode/Length1 %d", len(prog)), deflate(prog))
	stream(uniNr, "/Filter/FlateDecode", deflate(toUnicode(gids, used)))

	// Page 1 with the widget among its annotations, and the catalog with
	// the field in its form.
	page := inc.page
	annots := inc.without(page["Annots"])
	annots = append(annots, *types.NewIndirectRef(widgetNr, 0))
	page.Update("Annots", annots)
	if page["Annots"] == nil {
		page.Insert("Annots", annots)
	}
	obj(inc.pageRef.ObjectNumber.Value(), inc.pageRef.GenerationNumber.Value(), page.PDFString())

	root := inc.root
	form := types.NewDict()
	if old, _ := inc.ctx.DereferenceDict(root["AcroForm"]); old != nil {
		form = old.Clone().(types.Dict)
		form.Delete("NeedAppearances") // not allowed in PDF/A-2 when true
	}
	fields := inc.without(form["Fields"])
	fields = append(fields, *types.NewIndirectRef(widgetNr, 0))
	form.Delete("Fields")
	form.Insert("Fields", fields)
	form.Delete("SigFlags")
	form.Insert("SigFlags", types.Integer(3))
	root.Delete("AcroForm")
	root.Insert("AcroForm", form)
	rootRef := *inc.ctx.Root
	obj(rootRef.ObjectNumber.Value(), rootRef.GenerationNumber.Value(), root.PDFString())

	// The cross-reference section, one subsection per run of numbers.
	xref := out.Len()
	out.WriteString("xref\n")
	nrs := make([]int, 0, len(offsets))
	for nr := range offsets {
		nrs = append(nrs, nr)
	}
	slices.Sort(nrs)
	for i := 0; i < len(nrs); {
		j := i + 1
		for j < len(nrs) && nrs[j] == nrs[j-1]+1 {
			j++
		}
		fmt.Fprintf(out, "%d %d\n", nrs[i], j-i)
		for _, nr := range nrs[i:j] {
			gen := 0
			if nr == inc.pageRef.ObjectNumber.Value() {
				gen = inc.pageRef.GenerationNumber.Value()
			} else if nr == rootRef.ObjectNumber.Value() {
				gen = rootRef.GenerationNumber.Value()
			}
			fmt.Fprintf(out, "%010d %05d n\r\n", offsets[nr], gen)
		}
		i = j
	}
	id1 := sha256.Sum256(append(append([]byte(nil), inc.src...), pdfDate(now)...))
	fmt.Fprintf(out, "trailer\n<</Size %d/Root %s", next, rootRef.PDFString())
	if inc.ctx.Info != nil {
		fmt.Fprintf(out, "/Info %s", inc.ctx.Info.PDFString())
	}
	fmt.Fprintf(out, "/ID[%s<%X>]/Prev %d>>\nstartxref\n%d\n%%%%EOF\n", inc.id0, id1[:16], inc.prevXref, xref)

	b := out.Bytes()
	ranges[3] = len(b)
	br := fmt.Sprintf("0 %d %d %d", ranges[1], ranges[2], ranges[3]-ranges[2])
	copy(b[brAt:], br)
	return b, ranges, nil
}

// mediaBox is page 1's MediaBox (its CropBox, where smaller, is not
// considered: sohoa's pages have none).
func (inc *increment) mediaBox() [4]float64 {
	box := [4]float64{0, 0, 595, 842}
	_, _, inh, err := inc.ctx.PageDict(1, false)
	if err == nil && inh != nil && inh.MediaBox != nil {
		r := inh.MediaBox
		box = [4]float64{r.LL.X, r.LL.Y, r.UR.X, r.UR.Y}
	}
	if a, err := inc.ctx.DereferenceArray(inc.page["MediaBox"]); err == nil && len(a) == 4 {
		for i, o := range a {
			switch v := o.(type) {
			case types.Integer:
				box[i] = float64(v)
			case types.Float:
				box[i] = float64(v)
			}
		}
	}
	return box
}

func pdfDate(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("D:%s%c%02d'%02d'", t.Format("20060102150405"), sign, off/3600, off%3600/60)
}

func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// toUnicode is the ToUnicode CMap of the glyphs shown (CID = glyph id).
func toUnicode(gids []uint16, chars map[uint16]rune) []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(gids); i += 100 {
		chunk := gids[i:min(i+100, len(gids))]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for _, g := range chunk {
			u := []rune{chars[g]}
			fmt.Fprintf(&b, "<%04X> <", g)
			for _, c := range utf16.Encode(u) {
				fmt.Fprintf(&b, "%04X", c)
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}
