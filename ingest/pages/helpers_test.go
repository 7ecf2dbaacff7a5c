package pages

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sohoa/sohoa/internal/tiff"
)

var (
	leBO binary.ByteOrder = binary.LittleEndian
	beBO binary.ByteOrder = binary.BigEndian
)

// realDir holds real scanner PDFs, the repository's own copy (see its
// README.md).
var realDir = filepath.Join("..", "..", "fixtures", "real")

func readReal(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(realDir, name))
	if err != nil {
		t.Fatalf("real fixture: %v", err)
	}
	return b
}

// g4Page is one CCITT G4 page taken from a real scanner PDF.
type g4Page struct {
	w, h  int
	strip []byte // the G4 data
	tiff  []byte // the single-page TIFF Split made of it
}

var (
	g4Once sync.Once
	g4     g4Page
	g4Err  error
)

// realG4 returns page 4 of 07-CT-UBND-2018.pdf (the smallest G4 page), as
// Split extracts it.
func realG4(t testing.TB) g4Page {
	t.Helper()
	data := readReal(t, "07-CT-UBND-2018.pdf")
	g4Once.Do(func() {
		_, pages, err := Split(data, Limits{})
		if err != nil {
			g4Err = err
			return
		}
		p := pages[3]
		tf, err := tiff.Parse(p.Data)
		if err != nil {
			g4Err = err
			return
		}
		d, err := tf.ReadIFD(tf.First)
		if err != nil {
			g4Err = err
			return
		}
		g4 = g4Page{w: p.Width, h: p.Height, strip: tiffStrips(t, d)[0], tiff: p.Data}
	})
	if g4Err != nil {
		t.Fatalf("extract G4 page: %v", g4Err)
	}
	return g4
}

// tiffStrips returns the strips (or tiles) of an IFD.
func tiffStrips(t testing.TB, d *tiff.IFD) [][]byte {
	t.Helper()
	offTag, cntTag := uint16(tiff.TagStripOffsets), uint16(tiff.TagStripByteCounts)
	if d.Find(tiff.TagTileWidth) != nil {
		offTag, cntTag = tiff.TagTileOffsets, tiff.TagTileByteCounts
	}
	offs, err := d.Uints(offTag, maxBlocks)
	if err != nil {
		t.Fatal(err)
	}
	cnts, err := d.Uints(cntTag, maxBlocks)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for i := range offs {
		out = append(out, d.File.Data[offs[i]:offs[i]+cnts[i]])
	}
	return out
}

// ---- images ----

// testGray is a w×h gray image with a black block in its top-left quarter,
// so that any turn or mirror shows, and a gradient elsewhere.
func testGray(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := uint8(128 + (x*7+y*3)%120)
			if x < w/2 && y < h/2 {
				v = 0
			}
			g.SetGray(x, y, color.Gray{v})
		}
	}
	return g
}

func testRGB(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x + y) % 256), 0xFF}
			if x < w/2 && y < h/2 {
				c = color.RGBA{0, 0, 0, 0xFF}
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

func encodeTestJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeTestPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// grayOf returns img as gray levels, row by row.
func grayOf(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			g.Set(x, y, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return g
}

// darkRatio is the share of pixels darker than mid-gray.
func darkRatio(img image.Image) float64 {
	g := grayOf(img)
	n := 0
	for _, v := range g.Pix {
		if v < 0x80 {
			n++
		}
	}
	return float64(n) / float64(len(g.Pix))
}

// meanGray is the mean gray level of a rectangle of img.
func meanGray(img image.Image, r image.Rectangle) float64 {
	sum, n := 0.0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			sum += float64(color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y)
			n++
		}
	}
	return sum / float64(n)
}

// decodePage decodes a page's data with Go's decoders, as the OCR worker will.
func decodePage(t testing.TB, p Page) image.Image {
	t.Helper()
	var (
		img image.Image
		err error
	)
	switch p.Format {
	case JPEG:
		img, err = jpeg.Decode(bytes.NewReader(p.Data))
	case PNG:
		img, err = png.Decode(bytes.NewReader(p.Data))
	case TIFF:
		img, err = decodeTIFF(p.Data)
	default:
		t.Fatalf("page format %q", p.Format)
	}
	if err != nil {
		t.Fatalf("decode %s page: %v", p.Format, err)
	}
	if b := img.Bounds(); b.Dx() != p.Width || b.Dy() != p.Height {
		t.Fatalf("%s page decodes to %dx%d, Page says %dx%d", p.Format, b.Dx(), b.Dy(), p.Width, p.Height)
	}
	return img
}

func sameGray(t testing.TB, what string, got image.Image, want *image.Gray) {
	t.Helper()
	g := grayOf(got)
	if !g.Bounds().Eq(want.Bounds()) {
		t.Fatalf("%s: size %v, want %v", what, g.Bounds(), want.Bounds())
	}
	if !bytes.Equal(g.Pix, want.Pix) {
		diff := 0
		for i := range g.Pix {
			if g.Pix[i] != want.Pix[i] {
				diff++
			}
		}
		t.Fatalf("%s: %d of %d pixels differ", what, diff, len(g.Pix))
	}
}

// turnCW turns a gray image a quarter clockwise, with the obvious loop, to
// check orientation.apply against.
func turnCW(g *image.Gray) *image.Gray {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	out := image.NewGray(image.Rect(0, 0, h, w))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			out.SetGray(h-1-y, x, g.GrayAt(x, y))
		}
	}
	return out
}

func flipV(g *image.Gray) *image.Gray {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		copy(out.Pix[y*out.Stride:][:w], g.Pix[(h-1-y)*g.Stride:][:w])
	}
	return out
}

func flateBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zlib.NewWriter(&buf)
	if _, err := z.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pack1 packs a black-and-white gray image into 1-bit rows, 1 for white.
func pack1(g *image.Gray) []byte {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	rb := (w + 7) / 8
	out := make([]byte, rb*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if g.GrayAt(x, y).Y >= 0x80 {
				out[y*rb+x/8] |= 0x80 >> (x % 8)
			}
		}
	}
	return out
}

// bw is a black-and-white version of testGray.
func bw(w, h int) *image.Gray {
	g := testGray(w, h)
	for i, v := range g.Pix {
		if v >= 0xC0 {
			g.Pix[i] = 0xFF
		} else {
			g.Pix[i] = 0
		}
	}
	return g
}

// ---- PDF writing ----

// pdfWriter writes small PDFs for tests: objects, a page tree, a classic
// cross-reference table.
type pdfWriter struct {
	objs [][]byte // object i+1
}

// add adds an object (a stream if stream is not nil) and returns its number.
func (w *pdfWriter) add(dict string, stream []byte) int {
	w.objs = append(w.objs, nil)
	n := len(w.objs)
	w.set(n, dict, stream)
	return n
}

func (w *pdfWriter) reserve() int {
	w.objs = append(w.objs, nil)
	return len(w.objs)
}

func (w *pdfWriter) set(n int, dict string, stream []byte) {
	var b bytes.Buffer
	if stream == nil {
		fmt.Fprintf(&b, "<< %s >>", dict)
	} else {
		fmt.Fprintf(&b, "<< %s /Length %d >>\nstream\n", dict, len(stream))
		b.Write(stream)
		b.WriteString("\nendstream")
	}
	w.objs[n-1] = b.Bytes()
}

// image adds an image XObject.
func (w *pdfWriter) image(dict string, data []byte) int {
	return w.add("/Type /XObject /Subtype /Image "+dict, data)
}

// testPDFPage is one page of a test PDF.
type testPDFPage struct {
	box      string         // media box, default "0 0 612 792"
	rotate   int            //
	content  string         // content stream
	xobjects map[string]int // resource name -> object number
	extra    string         // more page dictionary entries
	noRes    bool           // no /Resources on the page (inherit them)
}

// finish writes the page tree and returns the file. pagesExtra goes into the
// root Pages dictionary (for inherited resources).
func (w *pdfWriter) finish(pages []testPDFPage, pagesExtra string) []byte {
	pagesNr := w.reserve()
	var kids []string
	for _, p := range pages {
		box := p.box
		if box == "" {
			box = "0 0 612 792"
		}
		content := w.add("", []byte(p.content))
		var res string
		if !p.noRes {
			var xo []string
			names := make([]string, 0, len(p.xobjects))
			for name := range p.xobjects {
				names = append(names, name)
			}
			slices.Sort(names)
			for _, name := range names {
				xo = append(xo, fmt.Sprintf("/%s %d 0 R", name, p.xobjects[name]))
			}
			res = fmt.Sprintf("/Resources << /XObject << %s >> /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>", strings.Join(xo, " "))
		}
		n := w.add(fmt.Sprintf("/Type /Page /Parent %d 0 R /MediaBox [%s] /Rotate %d /Contents %d 0 R %s %s",
			pagesNr, box, p.rotate, content, res, p.extra), nil)
		kids = append(kids, fmt.Sprintf("%d 0 R", n))
	}
	w.set(pagesNr, fmt.Sprintf("/Type /Pages /Kids [%s] /Count %d %s", strings.Join(kids, " "), len(pages), pagesExtra), nil)
	root := w.add(fmt.Sprintf("/Type /Catalog /Pages %d 0 R", pagesNr), nil)

	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	offsets := make([]int, len(w.objs))
	for i, o := range w.objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", i+1)
		b.Write(o)
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(w.objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(w.objs)+1, root, xref)
	return b.Bytes()
}

// fullPage is the content of a page that draws image /Im0 over the whole
// default page.
const fullPage = "q 612 0 0 792 0 0 cm /Im0 Do Q"

// onePagePDF is a PDF of one page drawing one image over the whole page.
func onePagePDF(imgDict string, data []byte, rotate int) []byte {
	var w pdfWriter
	im := w.image(imgDict, data)
	return w.finish([]testPDFPage{{rotate: rotate, content: fullPage, xobjects: map[string]int{"Im0": im}}}, "")
}

// ---- TIFF writing ----

// tEntry is a field of a test TIFF: SHORT, LONG or RATIONAL (as pairs).
type tEntry struct {
	tag, typ uint16
	vals     []uint32
}

// tIFD is an image of a test TIFF. Strip (or tile) offsets and byte counts
// are added when written.
type tIFD struct {
	entries []tEntry
	blocks  [][]byte
	tiled   bool
}

// buildTestTIFF writes a TIFF with the IFDs chained in order. Unlike
// tiff.Write it puts each image's data before its IFD, and the IFDs at odd
// places, so that offsets are really followed. It returns the file and the
// offset of each IFD (and of its next-IFD field, to make loops with).
func buildTestTIFF(bo binary.ByteOrder, ifds []tIFD) (data []byte, ifdAt, nextAt []int) {
	var b bytes.Buffer
	if bo == binary.ByteOrder(binary.BigEndian) {
		b.WriteString("MM\x00*")
	} else {
		b.WriteString("II*\x00")
	}
	b.Write(make([]byte, 4)) // first IFD, patched
	pad := func() {
		for b.Len()%2 != 0 {
			b.WriteByte(0)
		}
	}
	put := func(v any) { binary.Write(&b, bo, v) }
	var linkAt = 4
	for _, d := range ifds {
		var offs, cnts []uint32
		for _, blk := range d.blocks {
			pad()
			b.WriteString("junk") // something between blocks
			offs = append(offs, uint32(b.Len()))
			cnts = append(cnts, uint32(len(blk)))
			b.Write(blk)
		}
		entries := slices.Clone(d.entries)
		if len(d.blocks) > 0 {
			offTag, cntTag := uint16(tiff.TagStripOffsets), uint16(tiff.TagStripByteCounts)
			if d.tiled {
				offTag, cntTag = tiff.TagTileOffsets, tiff.TagTileByteCounts
			}
			entries = append(entries, tEntry{offTag, tiff.TypeLong, offs}, tEntry{cntTag, tiff.TypeLong, cnts})
		}
		slices.SortFunc(entries, func(a, b tEntry) int { return int(a.tag) - int(b.tag) })
		// Out-of-line values first.
		valAt := make([]uint32, len(entries))
		for i, e := range entries {
			size := len(e.vals) * 2
			if e.typ == tiff.TypeLong {
				size = len(e.vals) * 4
			} else if e.typ == tiff.TypeRational {
				size = len(e.vals) * 4
			}
			if size > 4 {
				pad()
				valAt[i] = uint32(b.Len())
				for _, v := range e.vals {
					if e.typ == tiff.TypeShort {
						put(uint16(v))
					} else {
						put(v)
					}
				}
			}
		}
		pad()
		b.WriteByte(0) // IFDs at even offsets, but not right after the data
		pad()
		at := b.Len()
		ifdAt = append(ifdAt, at)
		bs := b.Bytes()
		bo.PutUint32(bs[linkAt:], uint32(at))
		put(uint16(len(entries)))
		for i, e := range entries {
			put(e.tag)
			put(e.typ)
			count := uint32(len(e.vals))
			if e.typ == tiff.TypeRational {
				count /= 2
			}
			put(count)
			var v [4]byte
			switch {
			case valAt[i] != 0:
				bo.PutUint32(v[:], valAt[i])
			case e.typ == tiff.TypeShort:
				for k, x := range e.vals {
					bo.PutUint16(v[2*k:], uint16(x))
				}
			default:
				if len(e.vals) > 0 {
					bo.PutUint32(v[:], e.vals[0])
				}
			}
			b.Write(v[:])
		}
		linkAt = b.Len()
		nextAt = append(nextAt, linkAt)
		put(uint32(0))
	}
	return b.Bytes(), ifdAt, nextAt
}

// grayIFD is an uncompressed 8-bit gray image in strips of rps rows.
func grayIFD(g *image.Gray, rps int, extra ...tEntry) tIFD {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	d := tIFD{entries: []tEntry{
		{tiff.TagImageWidth, tiff.TypeLong, []uint32{uint32(w)}},
		{tiff.TagImageLength, tiff.TypeLong, []uint32{uint32(h)}},
		{tiff.TagBitsPerSample, tiff.TypeShort, []uint32{8}},
		{tiff.TagCompression, tiff.TypeShort, []uint32{1}},
		{tiff.TagPhotometric, tiff.TypeShort, []uint32{1}},
		{tiff.TagSamplesPerPixel, tiff.TypeShort, []uint32{1}},
		{tiff.TagRowsPerStrip, tiff.TypeLong, []uint32{uint32(rps)}},
	}}
	for y := 0; y < h; y += rps {
		d.blocks = append(d.blocks, slices.Clone(g.Pix[y*g.Stride:min(y+rps, h)*g.Stride]))
	}
	return d.with(extra...)
}

// with returns d with the given entries replacing those of the same tag, or
// added. Giving strip offsets or counts takes the strips out of the caller's
// hands: the blocks are dropped.
func (d tIFD) with(extra ...tEntry) tIFD {
	d.entries = slices.Clone(d.entries)
	for _, e := range extra {
		if e.tag == tiff.TagStripOffsets || e.tag == tiff.TagStripByteCounts {
			d.blocks = nil
		}
		if i := slices.IndexFunc(d.entries, func(x tEntry) bool { return x.tag == e.tag }); i >= 0 {
			d.entries[i] = e
		} else {
			d.entries = append(d.entries, e)
		}
	}
	return d
}

// tiledGrayIFD is an uncompressed 8-bit gray image in 16×16 tiles.
func tiledGrayIFD(g *image.Gray) tIFD {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	const ts = 16
	d := tIFD{tiled: true, entries: []tEntry{
		{tiff.TagImageWidth, tiff.TypeLong, []uint32{uint32(w)}},
		{tiff.TagImageLength, tiff.TypeLong, []uint32{uint32(h)}},
		{tiff.TagBitsPerSample, tiff.TypeShort, []uint32{8}},
		{tiff.TagCompression, tiff.TypeShort, []uint32{1}},
		{tiff.TagPhotometric, tiff.TypeShort, []uint32{1}},
		{tiff.TagSamplesPerPixel, tiff.TypeShort, []uint32{1}},
		{tiff.TagTileWidth, tiff.TypeShort, []uint32{ts}},
		{tiff.TagTileLength, tiff.TypeShort, []uint32{ts}},
	}}
	for ty := 0; ty < h; ty += ts {
		for tx := 0; tx < w; tx += ts {
			tile := make([]byte, ts*ts)
			for y := 0; y < ts && ty+y < h; y++ {
				for x := 0; x < ts && tx+x < w; x++ {
					tile[y*ts+x] = g.GrayAt(tx+x, ty+y).Y
				}
			}
			d.blocks = append(d.blocks, tile)
		}
	}
	return d
}

// g4IFD is a CCITT G4 page.
func g4IFD(p g4Page, photometric uint32, extra ...tEntry) tIFD {
	return tIFD{entries: []tEntry{
		{tiff.TagImageWidth, tiff.TypeLong, []uint32{uint32(p.w)}},
		{tiff.TagImageLength, tiff.TypeLong, []uint32{uint32(p.h)}},
		{tiff.TagBitsPerSample, tiff.TypeShort, []uint32{1}},
		{tiff.TagCompression, tiff.TypeShort, []uint32{4}},
		{tiff.TagPhotometric, tiff.TypeShort, []uint32{photometric}},
		{tiff.TagSamplesPerPixel, tiff.TypeShort, []uint32{1}},
		{tiff.TagRowsPerStrip, tiff.TypeLong, []uint32{uint32(p.h)}},
		{tiff.TagXResolution, tiff.TypeRational, []uint32{300, 1}},
		{tiff.TagYResolution, tiff.TypeRational, []uint32{300, 1}},
		{tiff.TagResolutionUnit, tiff.TypeShort, []uint32{2}},
	}, blocks: [][]byte{p.strip}}.with(extra...)
}

// tinyG4 is a 16×8 CCITT G4 image written by hand: white, with a black
// block at columns 4–7 of rows 2–5. Small enough for fuzzing.
func tinyG4() (data []byte, want *image.Gray) { return tinyG4Rows(false) }

// tinyG4Rows is tinyG4, with each row starting on a byte boundary if aligned
// (PDF's EncodedByteAlign).
func tinyG4Rows(aligned bool) (data []byte, want *image.Gray) {
	rows := []string{
		"1", "1", // rows 0, 1: V0 to the end of the white line
		"001" + "1011" + "011" + "1", // row 2: H, white 4, black 4; V0 to the end
		"111", "111", "111",          // rows 3–5: like the row above
		"0001" + "1",                    // row 6: pass over the block, V0 to the end
		"1",                             // row 7
		"000000000001" + "000000000001", // EOFB
	}
	pad := func(b string) string {
		for len(b)%8 != 0 {
			b += "0"
		}
		return b
	}
	var bits string
	for _, r := range rows {
		if aligned {
			bits = pad(bits)
		}
		bits += r
	}
	bits = pad(bits)
	for i := 0; i < len(bits); i += 8 {
		var b byte
		for _, c := range bits[i : i+8] {
			b = b<<1 | byte(c-'0')
		}
		data = append(data, b)
	}
	want = image.NewGray(image.Rect(0, 0, 16, 8))
	for i := range want.Pix {
		want.Pix[i] = 0xFF
	}
	for y := 2; y <= 5; y++ {
		for x := 4; x <= 7; x++ {
			want.Pix[y*16+x] = 0
		}
	}
	return data, want
}
