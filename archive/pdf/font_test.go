package pdf

import (
	"encoding/binary"
	"slices"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// TestFontProgramTables checks the TrueType file structure by hand: the
// table directory, each table's checksum, the whole-font checksum
// adjustment, and the cross-table counts.
func TestFontProgramTables(t *testing.T) {
	b := fontProgram()
	be := binary.BigEndian
	if v := be.Uint32(b); v != 0x00010000 {
		t.Fatalf("sfntVersion %08X", v)
	}
	n := int(be.Uint16(b[4:]))
	if sr, es, rs := be.Uint16(b[6:]), be.Uint16(b[8:]), be.Uint16(b[10:]); sr != 128 || es != 3 || rs != uint16(16*n-128) {
		t.Errorf("searchRange %d entrySelector %d rangeShift %d for %d tables", sr, es, rs, n)
	}
	tables := map[string][]byte{}
	var tags []string
	for i := range n {
		e := b[12+16*i:]
		tag := string(e[:4])
		sum, off, length := be.Uint32(e[4:]), be.Uint32(e[8:]), be.Uint32(e[12:])
		if off%4 != 0 || int(off+length) > len(b) {
			t.Fatalf("table %s at %d+%d", tag, off, length)
		}
		data := b[off : off+length]
		if tag == "head" {
			d := slices.Clone(data)
			be.PutUint32(d[8:], 0)
			data = d
		}
		if got := tableChecksum(data); got != sum {
			t.Errorf("table %s checksum %08X, directory says %08X", tag, got, sum)
		}
		tables[tag] = b[off : off+length]
		tags = append(tags, tag)
	}
	want := []string{"OS/2", "cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post"}
	if !slices.Equal(tags, want) {
		t.Errorf("tables %q, want %q (sorted)", tags, want)
	}
	if got := tableChecksum(b); got != 0xB1B0AFBA {
		t.Errorf("font checksum %08X, want B1B0AFBA", got)
	}
	head := tables["head"]
	if be.Uint32(head[12:]) != 0x5F0F3CF5 || be.Uint16(head[18:]) != unitsPerEm || be.Uint16(head[50:]) != 0 {
		t.Errorf("head: magic, unitsPerEm or indexToLocFormat wrong")
	}
	numGlyphs := int(be.Uint16(tables["maxp"][4:]))
	numHMetrics := int(be.Uint16(tables["hhea"][34:]))
	if numGlyphs != 2 || numHMetrics != 2 || len(tables["hmtx"]) != 4*numHMetrics {
		t.Errorf("numGlyphs %d, numberOfHMetrics %d, hmtx %d bytes", numGlyphs, numHMetrics, len(tables["hmtx"]))
	}
	loca := tables["loca"]
	if len(loca) != 2*(numGlyphs+1) {
		t.Fatalf("loca has %d bytes", len(loca))
	}
	g0, g1, end := 2*int(be.Uint16(loca)), 2*int(be.Uint16(loca[2:])), 2*int(be.Uint16(loca[4:]))
	if g0 != 0 || g1 <= g0 || end != g1 || end != len(tables["glyf"]) {
		t.Errorf("loca %d %d %d for a glyf of %d bytes: glyph 1 must be empty", g0, g1, end, len(tables["glyf"]))
	}
	if v := be.Uint16(tables["OS/2"]); v != 4 || len(tables["OS/2"]) != 96 {
		t.Errorf("OS/2 version %d, %d bytes", v, len(tables["OS/2"]))
	}
	if v := be.Uint32(tables["post"]); v != 0x00030000 {
		t.Errorf("post version %08X", v)
	}
}

// TestFontProgramParses checks the font with an independent parser.
func TestFontProgramParses(t *testing.T) {
	f, err := sfnt.Parse(fontProgram())
	if err != nil {
		t.Fatalf("sfnt.Parse: %v", err)
	}
	if f.NumGlyphs() != 2 || f.UnitsPerEm() != unitsPerEm {
		t.Errorf("%d glyphs, %d units per em", f.NumGlyphs(), f.UnitsPerEm())
	}
	var buf sfnt.Buffer
	name, err := f.Name(&buf, sfnt.NameIDPostScript)
	if err != nil || name != fontName {
		t.Errorf("PostScript name %q (%v), want %q", name, err, fontName)
	}
	ppem := fixed.I(unitsPerEm)
	for g := range sfnt.GlyphIndex(2) {
		adv, err := f.GlyphAdvance(&buf, g, ppem, font.HintingNone)
		if err != nil || adv != fixed.I(glyphAdvance) {
			t.Errorf("glyph %d advance %v (%v), want %d", g, adv, err, glyphAdvance)
		}
	}
	segs, err := f.LoadGlyph(&buf, 1, ppem, nil)
	if err != nil || len(segs) != 0 {
		t.Errorf("glyph 1 has %d segments (%v), want none", len(segs), err)
	}
	segs, err = f.LoadGlyph(&buf, 0, ppem, nil)
	if err != nil || len(segs) == 0 {
		t.Errorf(".notdef has no outline (%v)", err)
	}
	if g, err := f.GlyphIndex(&buf, ' '); err != nil || g != 1 {
		t.Errorf("cmap maps U+0020 to glyph %d (%v), want 1", g, err)
	}
	m, err := f.Metrics(&buf, ppem, font.HintingNone)
	if err != nil || m.Ascent != fixed.I(fontAscent) || m.Descent != fixed.I(-fontDescent) {
		t.Errorf("metrics %+v (%v), want ascent %d, descent %d", m, err, fontAscent, -fontDescent)
	}
}
