package pdf

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
)

// The text layer uses one font for the whole document: a glyphless TrueType
// program this file generates, embedded as a CIDFontType2 under a Type0 font
// with /Identity-H. Every character is shown as the 2-byte CID equal to its
// Unicode code point (all of Vietnamese is in the BMP), /CIDToGIDMap sends
// every CID to glyph 1, an empty glyph, and /ToUnicode maps the CIDs back to
// text. The font program carries no outlines worth drawing; it exists so that
// the font is embedded (as PDF/A requires) and so that every CID has a glyph
// with a known advance.

// Font metrics, in glyph space units (1000 per em). Every glyph advances by
// glyphAdvance; ascent and descent put the top of a line's box at 0.8 em above
// the baseline and its bottom at 0.2 em below, which text extractors use as
// the height of each word's box.
const (
	fontName     = "SohoaGlyphless"
	unitsPerEm   = 1000
	glyphAdvance = 500
	fontAscent   = 800
	fontDescent  = -200
	// descentRatio is the descent as a fraction of the em: 0.2, the share
	// of the line height below the baseline that placement assumes when OCR
	// gives no baseline.
	descentRatio = -float64(fontDescent) / unitsPerEm
	// fontDate is 2024-01-01T00:00:00Z as a TrueType LONGDATETIME.
	fontDate = 3786912000
	// The box of glyph 0, .notdef: a filled rectangle, as is conventional.
	notdefXMin, notdefYMin, notdefXMax, notdefYMax = 50, 0, 450, 700
)

// fontProgram returns the TrueType font program: glyph 0 (.notdef, a
// rectangle) and glyph 1 (empty), both glyphAdvance wide, with the tables
// head, hhea, maxp, hmtx, loca, glyf, cmap, post, name and OS/2.
func fontProgram() []byte {
	be := binary.BigEndian

	// glyf: glyph 0 is one closed contour of four on-curve points, clockwise
	// (TrueType fills clockwise outer contours); glyph 1 has no data at all,
	// which loca expresses by giving it zero length.
	var glyf []byte
	glyf = be.AppendUint16(glyf, 1) // numberOfContours
	glyf = be.AppendUint16(glyf, i16(notdefXMin))
	glyf = be.AppendUint16(glyf, i16(notdefYMin))
	glyf = be.AppendUint16(glyf, i16(notdefXMax))
	glyf = be.AppendUint16(glyf, i16(notdefYMax))
	glyf = be.AppendUint16(glyf, 3) // endPtsOfContours[0]
	glyf = be.AppendUint16(glyf, 0) // instructionLength
	glyf = append(glyf, 1, 1, 1, 1) // flags: on curve, 2-byte deltas
	w, h := int16(notdefXMax-notdefXMin), int16(notdefYMax-notdefYMin)
	for _, dx := range []int16{notdefXMin, 0, w, 0} {
		glyf = be.AppendUint16(glyf, uint16(dx))
	}
	for _, dy := range []int16{notdefYMin, h, 0, -h} {
		glyf = be.AppendUint16(glyf, uint16(dy))
	}
	for len(glyf)%4 != 0 {
		glyf = append(glyf, 0)
	}

	// loca, short format: offsets divided by two.
	var loca []byte
	for _, off := range []int{0, len(glyf), len(glyf)} {
		loca = be.AppendUint16(loca, uint16(off/2))
	}

	var head []byte
	head = be.AppendUint32(head, 0x00010000) // version
	head = be.AppendUint32(head, 0x00010000) // fontRevision
	head = be.AppendUint32(head, 0)          // checkSumAdjustment, set below
	head = be.AppendUint32(head, 0x5F0F3CF5) // magicNumber
	head = be.AppendUint16(head, 0x000B)     // flags: baseline y=0, lsb x=0, integer ppem
	head = be.AppendUint16(head, unitsPerEm)
	// created and modified: fixed (2024-01-01, in seconds since 1904), so
	// that the program is the same in every document.
	head = be.AppendUint64(head, fontDate)
	head = be.AppendUint64(head, fontDate)
	head = be.AppendUint16(head, i16(notdefXMin))
	head = be.AppendUint16(head, i16(notdefYMin))
	head = be.AppendUint16(head, i16(notdefXMax))
	head = be.AppendUint16(head, i16(notdefYMax))
	head = be.AppendUint16(head, 0) // macStyle
	head = be.AppendUint16(head, 8) // lowestRecPPEM
	head = be.AppendUint16(head, 2) // fontDirectionHint
	head = be.AppendUint16(head, 0) // indexToLocFormat: short
	head = be.AppendUint16(head, 0) // glyphDataFormat

	var hhea []byte
	hhea = be.AppendUint32(hhea, 0x00010000)
	hhea = be.AppendUint16(hhea, i16(fontAscent))
	hhea = be.AppendUint16(hhea, i16(fontDescent))
	hhea = be.AppendUint16(hhea, 0)            // lineGap
	hhea = be.AppendUint16(hhea, glyphAdvance) // advanceWidthMax
	// Side bearings and extent over the glyphs that have contours: glyph 0.
	hhea = be.AppendUint16(hhea, notdefXMin)                      // minLeftSideBearing
	hhea = be.AppendUint16(hhea, uint16(glyphAdvance-notdefXMax)) // minRightSideBearing
	hhea = be.AppendUint16(hhea, notdefXMax)                      // xMaxExtent
	hhea = be.AppendUint16(hhea, 1)                               // caretSlopeRise
	hhea = be.AppendUint16(hhea, 0)                               // caretSlopeRun
	hhea = be.AppendUint16(hhea, 0)                               // caretOffset
	hhea = append(hhea, make([]byte, 8)...)                       // reserved
	hhea = be.AppendUint16(hhea, 0)                               // metricDataFormat
	hhea = be.AppendUint16(hhea, 2)                               // numberOfHMetrics

	var hmtx []byte
	hmtx = be.AppendUint16(hmtx, glyphAdvance)
	hmtx = be.AppendUint16(hmtx, notdefXMin)
	hmtx = be.AppendUint16(hmtx, glyphAdvance)
	hmtx = be.AppendUint16(hmtx, 0)

	var maxp []byte
	maxp = be.AppendUint32(maxp, 0x00010000)
	maxp = be.AppendUint16(maxp, 2) // numGlyphs
	maxp = be.AppendUint16(maxp, 4) // maxPoints
	maxp = be.AppendUint16(maxp, 1) // maxContours
	maxp = be.AppendUint16(maxp, 0) // maxCompositePoints
	maxp = be.AppendUint16(maxp, 0) // maxCompositeContours
	maxp = be.AppendUint16(maxp, 2) // maxZones
	maxp = append(maxp, make([]byte, 2*8)...)

	// cmap: one (3,1) format 4 subtable mapping U+0020 to glyph 1, plus the
	// required final 0xFFFF segment. The PDF never consults it (CIDToGIDMap
	// does the mapping) but font tools expect a Unicode cmap.
	var cmap []byte
	cmap = be.AppendUint16(cmap, 0)  // version
	cmap = be.AppendUint16(cmap, 1)  // numTables
	cmap = be.AppendUint16(cmap, 3)  // platformID: Windows
	cmap = be.AppendUint16(cmap, 1)  // encodingID: Unicode BMP
	cmap = be.AppendUint32(cmap, 12) // offset
	cmap = be.AppendUint16(cmap, 4)  // format
	cmap = be.AppendUint16(cmap, 32) // length
	cmap = be.AppendUint16(cmap, 0)  // language
	cmap = be.AppendUint16(cmap, 4)  // segCountX2
	cmap = be.AppendUint16(cmap, 4)  // searchRange
	cmap = be.AppendUint16(cmap, 1)  // entrySelector
	cmap = be.AppendUint16(cmap, 0)  // rangeShift
	for _, v := range []uint16{
		0x0020, 0xFFFF, // endCode
		0,              // reservedPad
		0x0020, 0xFFFF, // startCode
		i16(1 - 0x20), 1, // idDelta (mod 65536)
		0, 0, // idRangeOffset
	} {
		cmap = be.AppendUint16(cmap, v)
	}

	var post []byte
	post = be.AppendUint32(post, 0x00030000) // version 3: no glyph names
	post = be.AppendUint32(post, 0)          // italicAngle
	post = be.AppendUint16(post, i16(-100))  // underlinePosition
	post = be.AppendUint16(post, 50)         // underlineThickness
	post = be.AppendUint32(post, 1)          // isFixedPitch
	post = append(post, make([]byte, 16)...)

	os2 := os2Table()
	name := nameTable()

	tables := map[string][]byte{
		"OS/2": os2, "cmap": cmap, "glyf": glyf, "head": head, "hhea": hhea,
		"hmtx": hmtx, "loca": loca, "maxp": maxp, "name": name, "post": post,
	}
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)

	n := len(tags)
	entrySelector := 0
	for 1<<(entrySelector+1) <= n {
		entrySelector++
	}
	searchRange := 16 << entrySelector

	var font []byte
	font = be.AppendUint32(font, 0x00010000)
	font = be.AppendUint16(font, uint16(n))
	font = be.AppendUint16(font, uint16(searchRange))
	font = be.AppendUint16(font, uint16(entrySelector))
	font = be.AppendUint16(font, uint16(n*16-searchRange))
	offset := 12 + 16*n
	headAt := 0
	for _, t := range tags {
		data := tables[t]
		font = append(font, t...)
		font = be.AppendUint32(font, tableChecksum(data))
		font = be.AppendUint32(font, uint32(offset))
		font = be.AppendUint32(font, uint32(len(data)))
		if t == "head" {
			headAt = offset
		}
		offset += (len(data) + 3) &^ 3
	}
	for _, t := range tags {
		font = append(font, tables[t]...)
		for len(font)%4 != 0 {
			font = append(font, 0)
		}
	}
	be.PutUint32(font[headAt+8:], 0xB1B0AFBA-tableChecksum(font))
	return font
}

func os2Table() []byte {
	be := binary.BigEndian
	var b []byte
	b = be.AppendUint16(b, 4)            // version
	b = be.AppendUint16(b, glyphAdvance) // xAvgCharWidth
	b = be.AppendUint16(b, 400)          // usWeightClass
	b = be.AppendUint16(b, 5)            // usWidthClass
	b = be.AppendUint16(b, 0)            // fsType: installable embedding
	for _, v := range []uint16{
		650, 600, 0, 75, // subscript x size, y size, x offset, y offset
		650, 600, 0, 350, // superscript
		50, 300, // strikeout size, position
		0, // sFamilyClass
	} {
		b = be.AppendUint16(b, v)
	}
	b = append(b, make([]byte, 10)...)   // panose
	b = be.AppendUint32(b, 1)            // ulUnicodeRange1: Basic Latin
	b = append(b, make([]byte, 12)...)   // ulUnicodeRange2-4
	b = append(b, "NONE"...)             // achVendID
	b = be.AppendUint16(b, 0x0040|0x080) // fsSelection: REGULAR, USE_TYPO_METRICS
	b = be.AppendUint16(b, 0x0020)       // usFirstCharIndex
	b = be.AppendUint16(b, 0x0020)       // usLastCharIndex
	b = be.AppendUint16(b, i16(fontAscent))
	b = be.AppendUint16(b, i16(fontDescent))
	b = be.AppendUint16(b, 0) // sTypoLineGap
	b = be.AppendUint16(b, fontAscent)
	b = be.AppendUint16(b, i16(-fontDescent))
	b = be.AppendUint32(b, 1) // ulCodePageRange1: Latin 1
	b = be.AppendUint32(b, 0)
	b = be.AppendUint16(b, 500)        // sxHeight
	b = be.AppendUint16(b, notdefYMax) // sCapHeight
	b = be.AppendUint16(b, 0)          // usDefaultChar
	b = be.AppendUint16(b, 0x20)       // usBreakChar
	b = be.AppendUint16(b, 0)          // usMaxContext
	return b
}

// nameTable returns a format 0 name table with Windows Unicode records.
func nameTable() []byte {
	be := binary.BigEndian
	records := []struct {
		id    uint16
		value string
	}{
		{1, fontName},
		{2, "Regular"},
		{3, fontName + " 1.000"},
		{4, fontName},
		{5, "Version 1.000"},
		{6, fontName},
	}
	var strs []byte
	var b []byte
	b = be.AppendUint16(b, 0)
	b = be.AppendUint16(b, uint16(len(records)))
	b = be.AppendUint16(b, uint16(6+12*len(records)))
	for _, r := range records {
		var s []byte
		for _, c := range r.value { // ASCII only
			s = be.AppendUint16(s, uint16(c))
		}
		b = be.AppendUint16(b, 3)      // platformID
		b = be.AppendUint16(b, 1)      // encodingID
		b = be.AppendUint16(b, 0x0409) // languageID: en-US
		b = be.AppendUint16(b, r.id)
		b = be.AppendUint16(b, uint16(len(s)))
		b = be.AppendUint16(b, uint16(len(strs)))
		strs = append(strs, s...)
	}
	return append(b, strs...)
}

// tableChecksum is the sum of b as big-endian uint32s, b padded with zeros.
func tableChecksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

// cidToGIDMap returns the CIDToGIDMap stream content: every CID from 1 to
// 0xFFFF maps to glyph 1; CID 0 keeps glyph 0, .notdef. 128 KiB that Flate
// compresses to a few hundred bytes.
func cidToGIDMap() []byte {
	b := make([]byte, 2*0x10000)
	for i := 2; i < len(b); i += 2 {
		b[i+1] = 1
	}
	return b
}

// cidSet records which CIDs (code points) the document uses.
type cidSet [0x10000 / 64]uint64

func (s *cidSet) add(c uint16)      { s[c/64] |= 1 << (c % 64) }
func (s *cidSet) has(c uint16) bool { return s[c/64]&(1<<(c%64)) != 0 }
func (s *cidSet) sorted() (cids []uint16) {
	for c := 0; c < 0x10000; c++ {
		if s.has(uint16(c)) {
			cids = append(cids, uint16(c))
		}
	}
	return cids
}

// toUnicodeCMap returns a ToUnicode CMap mapping each CID in cids (sorted,
// distinct) to the code point of the same value. Runs of consecutive CIDs
// that share their high byte become bfrange entries, the rest bfchar
// entries, at most 100 to a block as the CMap format requires.
func toUnicodeCMap(cids []uint16) []byte {
	type run struct{ lo, hi uint16 }
	var ranges, singles []run
	for i := 0; i < len(cids); {
		j := i
		for j+1 < len(cids) && cids[j+1] == cids[j]+1 && cids[j+1]>>8 == cids[i]>>8 {
			j++
		}
		if j > i {
			ranges = append(ranges, run{cids[i], cids[j]})
		} else {
			singles = append(singles, run{cids[i], cids[i]})
		}
		i = j + 1
	}

	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n" +
		"12 dict begin\n" +
		"begincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n" +
		"/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for chunk := range slices.Chunk(singles, 100) {
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for _, r := range chunk {
			fmt.Fprintf(&b, "<%04X> <%04X>\n", r.lo, r.lo)
		}
		b.WriteString("endbfchar\n")
	}
	for chunk := range slices.Chunk(ranges, 100) {
		fmt.Fprintf(&b, "%d beginbfrange\n", len(chunk))
		for _, r := range chunk {
			fmt.Fprintf(&b, "<%04X> <%04X> <%04X>\n", r.lo, r.hi, r.lo)
		}
		b.WriteString("endbfrange\n")
	}
	b.WriteString("endcmap\n" +
		"CMapName currentdict /CMap defineresource pop\n" +
		"end\n" +
		"end\n")
	return b.Bytes()
}

// i16 returns v as the two's complement bits of an int16 (FWORD).
func i16(v int) uint16 { return uint16(int16(v)) }
