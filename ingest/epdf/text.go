package epdf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/viet"
)

// What makes a page's text usable: enough letters, in enough words, and
// next to nothing that is no character at all (glyphs a font maps to no
// letter come out as U+FFFD, control or private-use characters).
const (
	minLetters   = 10
	minWords     = 3
	maxBadShare  = 0.05
	descentShare = 0.2 // of a word box's height, below its baseline
)

// bboxWord is a word as pdftotext -bbox-layout gives it, in points from
// the page's top-left corner.
type bboxWord struct {
	x0, y0, x1, y1 float64
	text           string
}

type bboxPage struct {
	width, height float64
	blocks        [][][]bboxWord // blocks of lines of words
}

// parseBBox reads pdftotext -bbox-layout's XHTML.
func parseBBox(data []byte) ([]bboxPage, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	var (
		doc  []bboxPage
		word *bboxWord
		text strings.Builder
	)
	attr := func(e xml.StartElement, name string) float64 {
		for _, a := range e.Attr {
			if a.Name.Local == name {
				v, err := strconv.ParseFloat(a.Value, 64)
				if err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
					return v
				}
			}
		}
		return 0
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "page":
				doc = append(doc, bboxPage{width: attr(t, "width"), height: attr(t, "height")})
			case "block":
				if len(doc) > 0 {
					p := &doc[len(doc)-1]
					p.blocks = append(p.blocks, nil)
				}
			case "line":
				if p := last(doc); p != nil && len(p.blocks) > 0 {
					b := &p.blocks[len(p.blocks)-1]
					*b = append(*b, nil)
				}
			case "word":
				word = &bboxWord{x0: attr(t, "xMin"), y0: attr(t, "yMin"), x1: attr(t, "xMax"), y1: attr(t, "yMax")}
				text.Reset()
			}
		case xml.CharData:
			if word != nil {
				text.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local == "word" && word != nil {
				word.text = strings.TrimSpace(text.String())
				if p := last(doc); p != nil && len(p.blocks) > 0 && word.text != "" {
					b := &p.blocks[len(p.blocks)-1]
					if len(*b) > 0 {
						(*b)[len(*b)-1] = append((*b)[len(*b)-1], *word)
					}
				}
				word = nil
			}
		}
	}
	return doc, nil
}

func last(doc []bboxPage) *bboxPage {
	if len(doc) == 0 {
		return nil
	}
	return &doc[len(doc)-1]
}

// textLine is a line of a page's text, decoded, with its paragraph.
type textLine struct {
	para  int
	words []bboxWord
}

// decodeLines returns the page's lines in Unicode NFC, each decoded from
// the legacy encoding it is in, and the encodings that were decoded.
//
// pdftotext does not say which font drew a word, so the encoding is
// judged a line at a time: a line with a letter beyond Latin-1 is Unicode
// already; otherwise viet.DetectLegacy on the line says whether, and from
// what, to decode it, if the page uses a font of that encoding (by name,
// viet.LegacyOfFont) or, when no font's name says, the page's text as a
// whole is in it. A line it cannot tell (no syllable: "15/2020/Q§-UBND")
// is decoded when every font of the page is in one legacy encoding.
func decodeLines(pg bboxPage, fonts []Font) ([]textLine, []viet.Legacy) {
	family := func(l viet.Legacy) viet.Legacy {
		if l == viet.TCVN3Capitals {
			return viet.TCVN3
		}
		return l
	}
	named := map[viet.Legacy]bool{}
	only := viet.Unicode // the one legacy encoding of every font, if so
	for i, f := range fonts {
		fl := family(f.Legacy)
		if fl != viet.Unicode {
			named[fl] = true
		}
		if i == 0 {
			only = fl
		} else if fl != only {
			only = viet.Unicode
		}
	}
	var lines []textLine
	var all strings.Builder
	for b, block := range pg.blocks {
		for _, l := range block {
			if len(l) == 0 {
				continue
			}
			lines = append(lines, textLine{para: b + 1, words: slices.Clone(l)})
			for _, w := range l {
				all.WriteString(w.text)
				all.WriteByte(' ')
			}
			all.WriteByte('\n')
		}
	}
	whole := viet.Unicode
	if len(named) == 0 {
		whole = family(viet.DetectLegacy(all.String()))
	}
	used := map[viet.Legacy]bool{}
	for i := range lines {
		l := &lines[i]
		var s strings.Builder
		for j, w := range l.words {
			if j > 0 {
				s.WriteByte(' ')
			}
			s.WriteString(w.text)
		}
		enc := viet.Unicode
		if !beyondLatin1(s.String()) {
			d := viet.DetectLegacy(s.String())
			switch {
			case d != viet.Unicode && (named[family(d)] || whole == family(d)):
				enc = d
			case d == viet.Unicode && only != viet.Unicode:
				enc = only
			}
		}
		for j := range l.words {
			l.words[j].text = enc.Decode(l.words[j].text)
		}
		if enc != viet.Unicode {
			used[enc] = true
		}
	}
	var encs []viet.Legacy
	for e := range used {
		encs = append(encs, e)
	}
	slices.Sort(encs)
	return lines, encs
}

// beyondLatin1 reports whether s has a letter outside Latin-1: text that
// legacy fonts cannot have given.
func beyondLatin1(s string) bool {
	for _, r := range s {
		if r > 0xFF && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// usable tells whether lines are text worth archiving as the page's own.
func usable(lines []textLine) bool {
	letters, words, bad, all := 0, 0, 0, 0
	for _, l := range lines {
		for _, w := range l.words {
			n := 0
			for _, r := range w.text {
				all++
				switch {
				case r == unicode.ReplacementChar, unicode.Is(unicode.Co, r), unicode.IsControl(r), !unicode.IsPrint(r) && !unicode.IsSpace(r):
					bad++
				case unicode.IsLetter(r):
					n++
				}
			}
			letters += n
			if n >= 2 {
				words++
			}
		}
	}
	return letters >= minLetters && words >= minWords && float64(bad) <= maxBadShare*float64(all)
}

// toPixels maps lines from points onto the rendered image (kx, ky pixels
// a point), as the OCR worker gives them: boxes, a baseline, the type size,
// and the confidence of the page's own text.
func toPixels(lines []textLine, kx, ky float64) []pipeline.Line {
	out := make([]pipeline.Line, 0, len(lines))
	px := func(w bboxWord) pipeline.Box {
		return pipeline.Box{
			X0: int(math.Floor(w.x0 * kx)), Y0: int(math.Floor(w.y0 * ky)),
			X1: int(math.Ceil(w.x1 * kx)), Y1: int(math.Ceil(w.y1 * ky)),
		}
	}
	for _, l := range lines {
		pl := pipeline.Line{Para: l.para}
		var heights []float64
		for i, w := range l.words {
			t := norm.NFC.String(w.text)
			if t == "" {
				continue
			}
			b := px(w)
			if i == 0 || len(pl.Words) == 0 {
				pl.Box = b
			} else {
				pl.Box.X0, pl.Box.Y0 = min(pl.Box.X0, b.X0), min(pl.Box.Y0, b.Y0)
				pl.Box.X1, pl.Box.Y1 = max(pl.Box.X1, b.X1), max(pl.Box.Y1, b.Y1)
			}
			heights = append(heights, float64(b.Y1-b.Y0))
			pl.Words = append(pl.Words, pipeline.Word{Text: t, Box: b, Conf: TextConf})
		}
		if len(pl.Words) == 0 {
			continue
		}
		slices.Sort(heights)
		h := heights[len(heights)/2]
		pl.Size = h
		pl.BaseOffset = -math.Round(descentShare*h*100) / 100
		out = append(out, pl)
	}
	return out
}
