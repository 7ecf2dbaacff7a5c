package pdf

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/pipeline"
)

// fontResource is the name of the text layer's font in page resources.
const fontResource = "F1"

// placement converts OCR pixel coordinates (origin top-left, y down) into
// PDF user space (points, origin bottom-left, y up) for one page.
type placement struct {
	// kx, ky scale OCR coordinates to image pixels (1 unless the OCR ran on
	// an image of another size than the one embedded).
	kx, ky float64
	// sx, sy are points per image pixel: 72/dpi.
	sx, sy float64
	// width, height are the image size in pixels.
	width, height float64
}

func (p placement) x(px float64) float64 { return px * p.sx }
func (p placement) y(py float64) float64 { return (p.height - py) * p.sy }

// word is an OCR word ready to be placed: its CIDs and its box in image
// pixels.
type word struct {
	cids           []uint16
	x0, y0, x1, y1 float64
}

// writeText appends the invisible text layer of one page to b: one BT/ET
// block per OCR line, each word in text render mode 3 on the line's
// baseline, scaled horizontally with Tz so that it spans its box, a space
// glyph spanning the gap to the next word, and the CIDs used recorded in
// used.
func writeText(b *bytes.Buffer, t *pipeline.PageText, p placement, used *cidSet) {
	var words []word
	ems := lineEms(t.Lines, p)
	for li, l := range t.Lines {
		words = words[:0]
		for _, w := range l.Words {
			cids := textCIDs(w.Text)
			if len(cids) == 0 {
				continue
			}
			x0, x1 := clamp(float64(w.Box.X0)*p.kx, 0, p.width), clamp(float64(w.Box.X1)*p.kx, 0, p.width)
			y0, y1 := clamp(float64(w.Box.Y0)*p.ky, 0, p.height), clamp(float64(w.Box.Y1)*p.ky, 0, p.height)
			// A word with an empty box still carries text: give it a
			// sliver inside the page rather than drop it.
			if x1-x0 < 1 {
				x0 = min(x0, p.width-1)
				x1 = x0 + 1
			}
			words = append(words, word{cids, x0, y0, x1, max(y1, y0)})
		}
		if len(words) == 0 {
			continue
		}

		// The line box in image pixels, or if OCR gave none, the union of
		// the word boxes; its height is the em of the line's text.
		lx0, ly0, ly1 := float64(l.Box.X0)*p.kx, float64(l.Box.Y0)*p.ky, float64(l.Box.Y1)*p.ky
		if l.Box.Y1 <= l.Box.Y0 || l.Box.X1 <= l.Box.X0 {
			lx0, ly0, ly1 = words[0].x0, words[0].y0, words[0].y1
			for _, w := range words[1:] {
				lx0, ly0, ly1 = min(lx0, w.x0), min(ly0, w.y0), max(ly1, w.y1)
			}
		}
		h := max(ly1-ly0, 1)
		if len(words) > 1 && singleGlyphs(words) {
			narrow(words, singleGlyphWidth*h)
		}
		keepApart(words, minWordGap*h)
		bridgeGutters(words, maxSpanGap*h, minWordGap*h)
		hasBaseline := l.BaseSlope != 0 || l.BaseOffset != 0
		em := ems[li] // the line height, alike for lines of one type size
		if em == 0 {
			em = h
		}
		fs := em * p.sy // font size in points

		b.WriteString("BT\n/" + fontResource + " ")
		b.WriteString(num(fs))
		b.WriteString(" Tf\n3 Tr\n")
		for i, w := range words {
			// Baseline, in image pixels.
			var base float64
			if hasBaseline {
				base = ly1 + l.BaseOffset*p.ky + l.BaseSlope*(w.x0-lx0)*p.ky/p.kx
				if ly1 > ly0 {
					base = clamp(base, ly0, ly1)
				}
			} else {
				base = w.y1 - descentRatio*h
			}
			width := p.x(w.x1) - p.x(w.x0)
			fmt.Fprintf(b, "%s Tz\n1 0 0 1 %s %s Tm\n<", num(tz(width, len(w.cids), fs)), num(p.x(w.x0)), num(p.y(base)))
			for _, c := range w.cids {
				fmt.Fprintf(b, "%04X", c)
				used.add(c)
			}
			b.WriteString("> Tj\n")
			if i+1 < len(words) {
				// The space spans the gap to the next word, so that the
				// selection runs on without holes. Overlapping boxes get a
				// space of a hundredth of its natural width.
				gap := p.x(words[i+1].x0) - p.x(w.x1)
				fmt.Fprintf(b, "%s Tz\n<0020> Tj\n", num(tz(gap, 1, fs)))
				used.add(' ')
			}
		}
		b.WriteString("ET\n")
	}
}

// lineEms returns, per line, the em of its text in image pixels (0 for a
// line without a box): the height of its box, made equal for lines set in the same type size. Text
// extractors build paragraphs (and so reading order: a block of the left
// header column before the right one) only from lines whose font sizes
// agree within a few percent — poppler allows 5% — while OCR line boxes of
// one type size differ more (stacked tone marks on capitals, descenders).
// Lines are grouped by Tesseract's size estimate (hOCR x_size, or the box
// height where it is missing), consecutive sizes within sizeTolerance of the
// group's smallest, and each takes its group's median height.
func lineEms(lines []pipeline.Line, p placement) []float64 {
	type line struct {
		i         int
		key, high float64
	}
	var ls []line
	ems := make([]float64, len(lines))
	for i, l := range lines {
		h := float64(l.Box.Y1-l.Box.Y0) * p.ky
		if h <= 0 || l.Box.X1 <= l.Box.X0 {
			continue // no box (0): writeText measures the words instead
		}
		key := l.Size * p.ky
		if key <= 0 {
			key = h
		}
		ls = append(ls, line{i, key, h})
	}
	slices.SortFunc(ls, func(a, b line) int { return cmp.Compare(a.key, b.key) })
	for start := 0; start < len(ls); {
		end := start + 1
		for end < len(ls) && ls[end].key <= ls[start].key*(1+sizeTolerance) {
			end++
		}
		heights := make([]float64, 0, end-start)
		for _, l := range ls[start:end] {
			heights = append(heights, l.high)
		}
		slices.Sort(heights)
		med := heights[len(heights)/2]
		for _, l := range ls[start:end] {
			ems[l.i] = med
		}
		start = end
	}
	return ems
}

// sizeTolerance is how far apart, relatively, two lines' sizes may be and
// still be taken for one type size.
const sizeTolerance = 0.12

// maxSpanGap is the widest gap between two words of an OCR line, in em,
// that is left as it is; see bridgeGutters.
const maxSpanGap = 1.5

// minWordGap is the smallest gap between two words of a line in the text
// layer, in em (line heights). Text extractors decide where words end by the
// gaps between glyphs more than by space glyphs (pdftotext -raw, for one,
// writes a space only where the gap exceeds 0.15 em), and the OCR boxes of
// tightly set words can touch or overlap.
const minWordGap = 0.2

// singleGlyphWidth is the widest, in em, that the text of a word of one
// character is drawn on a line whose words all have one character.
// pdftotext takes evenly spaced single characters for letter-spaced text
// and joins them into one word unless the gaps exceed 0.4 em (its
// maxWideCharSpacing); narrowing the glyphs to the middle of their boxes
// widens the gaps enough, at the cost of a narrower selection.
const singleGlyphWidth = 0.1

func singleGlyphs(words []word) bool {
	for _, w := range words {
		if len(w.cids) != 1 {
			return false
		}
	}
	return true
}

// narrow centres each word in its box with a width of at most width pixels.
func narrow(words []word, width float64) {
	for i := range words {
		w := &words[i]
		if w.x1-w.x0 > width {
			c := (w.x0 + w.x1) / 2
			w.x0, w.x1 = c-width/2, c+width/2
		}
	}
}

// keepApart narrows words, in order along a line, where needed so that each
// ends at least gap pixels before the next begins, taking at most half of a
// word's width.
// bridgeGutters widens the word before every gap wider than span so that
// it ends gap before the next word. Tesseract reads text that shares a row
// across a gutter (the agency and the national motto in the header, the
// recipients and the signer's title at the foot) as one line, and that line
// is the reading order sohoa keeps; but text extractors split a page into
// columns at such gutters (poppler ignores space glyphs and looks only at
// the gaps between drawn glyphs) and would read the left column to its end
// before the right one, interleaving nothing. Only the selection box of a
// few header and footer words grows; the text stays exactly the OCR text.
func bridgeGutters(words []word, span, gap float64) {
	for i := 0; i+1 < len(words); i++ {
		w, next := &words[i], words[i+1]
		if next.x0-w.x1 > span {
			w.x1 = next.x0 - gap
		}
	}
}

func keepApart(words []word, gap float64) {
	for i := 0; i+1 < len(words); i++ {
		w, next := &words[i], words[i+1]
		if next.x0 <= w.x0 || next.x0-w.x1 >= gap {
			continue
		}
		w.x1 = max(next.x0-gap, w.x0+(w.x1-w.x0)/2)
	}
}

// tz returns the horizontal scaling, in percent, that makes n glyphs at font
// size fs span width points; at least 1 (a zero scale would make the text
// matrix singular).
func tz(width float64, n int, fs float64) float64 {
	natural := float64(n) * glyphAdvance / unitsPerEm * fs
	return max(100*width/natural, 1)
}

// textCIDs returns the CIDs that show s: s in NFC, one CID per code point,
// equal to it. Control characters (U+0000 among them, so that no text shows
// CID 0, which maps to .notdef) and the byte order mark U+FEFF are dropped,
// since PDF/A-2u forbids mapping a glyph to U+0000 or U+FEFF (6.2.11.7.2);
// code points outside the BMP (and the noncharacters U+FFFE, U+FFFF) become
// U+FFFD, which Identity-H CIDs cannot otherwise carry.
func textCIDs(s string) []uint16 {
	s = norm.NFC.String(s)
	cids := make([]uint16, 0, len(s))
	for _, r := range s {
		switch {
		case unicode.IsControl(r) || r == '\uFEFF':
			continue
		case r >= 0xFFFE:
			r = unicode.ReplacementChar
		}
		cids = append(cids, uint16(r))
	}
	return cids
}

func clamp(v, lo, hi float64) float64 { return min(max(v, lo), hi) }

// num formats v for a content stream: at most three decimals, no exponent,
// no trailing zeros.
func num(v float64) string {
	v = math.Round(v*1000) / 1000
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
