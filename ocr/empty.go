package ocr

import (
	"image"
	"unicode"

	"github.com/sohoa/sohoa/pipeline"
)

// Blank sheets.
//
// A duplex scanner fed one-sided pages scans every back too: a stack of
// 10 sheets becomes a file of 20 pages, 10 of them blank but for dust,
// a punch hole's shadow and the print showing through. Those pages are
// left out of the archived PDF (and named in the record). A page is
// empty when both hold:
//
//   - its ink, inside margins of a twelfth of the page on every side (where
//     scanner edges, punch holes and staples fall), is under maxEmptyInk of
//     the area in the black-and-white copy OCR reads: a page with one line
//     of text has several times that (a 40-letter line at 12 pt is about
//     0.4% of an A4 page), a clean back a few hundredths of a percent;
//   - OCR read no word of minWordLetters letters or digits or more with confidence
//     minWordConf or better: a page that says anything is kept, however
//     little ink it takes.
//
// Doubt keeps a page: a back through which the front shows strongly is
// binarised as ink, read as mirrored gibberish, and kept, as is a page
// with only a faint pencil mark. Archiving a blank page costs a page;
// dropping a written one would lose it.
const (
	maxEmptyInk    = 0.002
	minWordLetters = 3
	minWordConf    = 60
	emptyMargin    = 12 // the margins are 1/emptyMargin of each side
)

// EmptyPage tells whether a page is a blank sheet (see above) from its ink
// share (Prepared.Ink) and the lines OCR read on it.
func EmptyPage(ink float64, lines []pipeline.Line) bool {
	if ink >= maxEmptyInk {
		return false
	}
	for _, l := range lines {
		for _, w := range l.Words {
			n := 0
			for _, r := range w.Text {
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					n++
				}
			}
			if n >= minWordLetters && w.Conf >= minWordConf {
				return false
			}
		}
	}
	return true
}

// inkShare is the share of ink (pixels below 128) in g inside its margins.
func inkShare(g *image.Gray) float64 {
	b := g.Rect
	mx, my := b.Dx()/emptyMargin, b.Dy()/emptyMargin
	in := image.Rect(b.Min.X+mx, b.Min.Y+my, b.Max.X-mx, b.Max.Y-my)
	if in.Empty() {
		return 0
	}
	ink := 0
	for y := in.Min.Y; y < in.Max.Y; y++ {
		row := g.Pix[g.PixOffset(in.Min.X, y):g.PixOffset(in.Max.X, y)]
		for _, v := range row {
			if v < 128 {
				ink++
			}
		}
	}
	return float64(ink) / float64(in.Dx()*in.Dy())
}
