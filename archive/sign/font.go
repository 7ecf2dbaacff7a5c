package sign

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"

	"golang.org/x/image/font/sfnt"
)

// The appearance text is set in Liberation Serif, which has the metrics of
// Times New Roman (the typeface NĐ 30/2020 prescribes) and every
// Vietnamese letter; it is SIL OFL 1.1 (fonts/LICENSE), from Debian's
// fonts-liberation2. PDF/A requires every font a page shows to be
// embedded, so each signature carries a subset: the glyphs its text uses,
// the other glyphs emptied, glyph ids unchanged.

//go:embed fonts/LiberationSerif-Regular.ttf
var serifTTF []byte

const serifName = "LiberationSerif"

// ttFont is a parsed TrueType font: its tables and what the subset needs.
type ttFont struct {
	tables     map[string][]byte
	numGlyphs  int
	unitsPerEm int
	longLoca   bool
	advances   []int // per glyph, in font units
	sfnt       *sfnt.Font
	bbox       [4]int
	ascent     int
	descent    int
}

var (
	serifOnce sync.Once
	serif     *ttFont
	serifErr  error
)

func serifFont() (*ttFont, error) {
	serifOnce.Do(func() { serif, serifErr = parseTTF(serifTTF) })
	return serif, serifErr
}

func parseTTF(b []byte) (*ttFont, error) {
	be := binary.BigEndian
	if len(b) < 12 {
		return nil, errors.New("font: too short")
	}
	n := int(be.Uint16(b[4:]))
	f := &ttFont{tables: map[string][]byte{}}
	for i := 0; i < n; i++ {
		rec := b[12+16*i:]
		off, size := be.Uint32(rec[8:]), be.Uint32(rec[12:])
		if uint64(off)+uint64(size) > uint64(len(b)) {
			return nil, errors.New("font: table outside the file")
		}
		f.tables[string(rec[:4])] = b[off : off+size]
	}
	head, hhea, maxp, hmtx := f.tables["head"], f.tables["hhea"], f.tables["maxp"], f.tables["hmtx"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 || f.tables["glyf"] == nil || f.tables["loca"] == nil {
		return nil, errors.New("font: not a TrueType font with outlines")
	}
	f.unitsPerEm = int(be.Uint16(head[18:]))
	for i := range 4 {
		f.bbox[i] = int(int16(be.Uint16(head[36+2*i:])))
	}
	f.longLoca = be.Uint16(head[50:]) == 1
	f.ascent, f.descent = int(int16(be.Uint16(hhea[4:]))), int(int16(be.Uint16(hhea[6:])))
	f.numGlyphs = int(be.Uint16(maxp[4:]))
	nh := int(be.Uint16(hhea[34:]))
	if nh == 0 || len(hmtx) < 4*nh {
		return nil, errors.New("font: bad hmtx")
	}
	f.advances = make([]int, f.numGlyphs)
	for g := range f.advances {
		f.advances[g] = int(be.Uint16(hmtx[4*min(g, nh-1):]))
	}
	var err error
	if f.sfnt, err = sfnt.Parse(b); err != nil {
		return nil, fmt.Errorf("font: %w", err)
	}
	return f, nil
}

// glyph returns the glyph of r, 0 (.notdef) if the font has none.
func (f *ttFont) glyph(r rune) uint16 {
	var buf sfnt.Buffer
	g, err := f.sfnt.GlyphIndex(&buf, r)
	if err != nil {
		return 0
	}
	return uint16(g)
}

// width is the advance of glyph g in text space units per 1000 em.
func (f *ttFont) width(g uint16) float64 {
	return float64(f.advances[g]) * 1000 / float64(f.unitsPerEm)
}

func (f *ttFont) glyphData(g int) []byte {
	be := binary.BigEndian
	loca, glyf := f.tables["loca"], f.tables["glyf"]
	var a, b int
	if f.longLoca {
		a, b = int(be.Uint32(loca[4*g:])), int(be.Uint32(loca[4*g+4:]))
	} else {
		a, b = 2*int(be.Uint16(loca[2*g:])), 2*int(be.Uint16(loca[2*g+2:]))
	}
	if a >= b || b > len(glyf) {
		return nil
	}
	return glyf[a:b]
}

// subset returns a font program with the glyphs of used (and .notdef, and
// the components of composite glyphs) and every other glyph empty. The
// tables a PDF viewer needs of an embedded CIDFontType2 are kept (head,
// hhea, maxp, hmtx, loca, glyf and the hinting tables); cmap, names and the
// rest go, as the PDF maps characters itself.
func (f *ttFont) subset(used []uint16) []byte {
	be := binary.BigEndian
	keep := map[int]bool{0: true}
	var add func(g int)
	add = func(g int) {
		if g >= f.numGlyphs || keep[g] && g != 0 {
			return
		}
		keep[g] = true
		d := f.glyphData(g)
		if len(d) < 10 || int16(be.Uint16(d)) >= 0 {
			return
		}
		// A composite glyph: follow its components (TrueType glyf flags).
		for p := 10; p+4 <= len(d); {
			flags, comp := be.Uint16(d[p:]), int(be.Uint16(d[p+2:]))
			add(comp)
			p += 4
			if flags&0x0001 != 0 {
				p += 4
			} else {
				p += 2
			}
			switch {
			case flags&0x0008 != 0:
				p += 2
			case flags&0x0040 != 0:
				p += 4
			case flags&0x0080 != 0:
				p += 8
			}
			if flags&0x0020 == 0 {
				break
			}
		}
	}
	add(0)
	for _, g := range used {
		add(int(g))
	}
	var glyf, loca []byte
	for g := 0; g < f.numGlyphs; g++ {
		loca = be.AppendUint32(loca, uint32(len(glyf)))
		if keep[g] {
			glyf = append(glyf, f.glyphData(g)...)
			for len(glyf)%4 != 0 {
				glyf = append(glyf, 0)
			}
		}
	}
	loca = be.AppendUint32(loca, uint32(len(glyf)))
	head := slices.Clone(f.tables["head"])
	be.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	be.PutUint16(head[50:], 1) // long loca
	tables := map[string][]byte{"head": head, "glyf": glyf, "loca": loca}
	for _, t := range []string{"hhea", "maxp", "hmtx", "cvt ", "fpgm", "prep"} {
		if b, ok := f.tables[t]; ok {
			tables[t] = b
		}
	}
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	es, sr := 0, 1
	for sr*2 <= n {
		sr *= 2
		es++
	}
	var out []byte
	out = be.AppendUint32(out, 0x00010000)
	out = be.AppendUint16(out, uint16(n))
	out = be.AppendUint16(out, uint16(sr*16))
	out = be.AppendUint16(out, uint16(es))
	out = be.AppendUint16(out, uint16(n*16-sr*16))
	off := 12 + 16*n
	var body []byte
	headAt := 0
	for _, t := range tags {
		b := tables[t]
		out = append(out, t...)
		out = be.AppendUint32(out, checksum(b))
		out = be.AppendUint32(out, uint32(off+len(body)))
		out = be.AppendUint32(out, uint32(len(b)))
		if t == "head" {
			headAt = off + len(body)
		}
		body = append(body, b...)
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
	}
	out = append(out, body...)
	be.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}

func checksum(b []byte) uint32 {
	var s uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		s += binary.BigEndian.Uint32(w[:])
	}
	return s
}
