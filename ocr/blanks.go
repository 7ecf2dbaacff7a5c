package ocr

import (
	"image"
	"strconv"
	"strings"

	"github.com/sohoa/sohoa/ocr/digits"
	"github.com/sohoa/sohoa/ocr/hand"
	"github.com/sohoa/sohoa/pipeline"
)

// liner reads one line of text from an image (tesseract.Engine.Line).
type liner interface {
	Line(img []byte, dpi int) (string, float64, error)
}

// HeaderPages is how many pages from the first are searched for the
// header's handwritten blanks: the header is on page 1, or on page 2 after
// a cover or routing slip (as archive/docmeta reads it).
const HeaderPages = 2

// Blank is a blank read on a page: the reading and its crop (PNG).
type Blank struct {
	pipeline.Blank
	Crop []byte
}

// ReadBlanks finds the header's handwritten blanks on a page that ReadPage
// read (hand.Find on its lines), crops each from the corrected page at the
// scan's resolution, places a number's end at the symbol's slash seen in
// the crop (hand.PlaceSlash), and reads it with the digit model m
// (hand.Read); tess, when not nil, reads the same marks once more as a
// line of text, and what it reads is kept (Blank.Tesseract) when it is
// digits, for the archive to check the model against. tess also reads
// the print beside a blank with digits on its own: the symbol after the
// number (Blank.Symbol) and the year after the date's last blank
// (Blank.Year).
func ReadBlanks(prep *Prepared, lines []pipeline.Line, m *digits.Model, tess liner, dpi float64) []Blank {
	var out []Blank
	spots := hand.Find(lines, prep.Width, prep.Height)
	lastDate := -1
	for i, s := range spots {
		if s.Field != pipeline.BlankNumber {
			lastDate = i
		}
	}
	for i, s := range spots {
		s.Region = s.Region.Intersect(image.Rect(0, 0, prep.Width, prep.Height))
		grey, colour := prep.Region(s.Region)
		if r := s.TailRegion().Intersect(image.Rect(0, 0, prep.Width, prep.Height)); !r.Empty() {
			tail, _ := prep.Region(r)
			s = hand.Measure(s, tail)
		}
		before := s.Region
		if s = hand.PlaceSlash(s, grey); s.NeedsSlash {
			continue // OCR read no slash, and none is seen: no blank known
		}
		if s.Region != before { // cut down to the blank once its slash is seen
			grey, colour = prep.Region(s.Region)
		}
		b, crop, clean := hand.Read(s, grey, colour, m)
		if tess != nil && clean != nil && b.Digits != "" {
			if text, _, err := tess.Line(encodePBM(clean), int(dpi+0.5)); err == nil {
				b.Tesseract = digitsOnly(text)
			}
			if r := s.SymbolRegion().Intersect(image.Rect(0, 0, prep.Width, prep.Height)); !r.Empty() {
				sym, _ := prep.Region(r)
				if text, conf, err := tess.Line(encodePGM(sym), int(dpi+0.5)); err == nil && text != "" {
					b.Symbol, b.SymbolConf = text, conf
				}
			}
			if r := s.YearRegion().Intersect(image.Rect(0, 0, prep.Width, prep.Height)); i == lastDate && !r.Empty() {
				yr, _ := prep.Region(r)
				if text, conf, err := tess.Line(encodePGM(yr), int(dpi+0.5)); err == nil {
					b.Year, b.YearConf = digitsOnly(strings.TrimRight(strings.TrimSpace(text), ".,")), conf
				}
			}
		}
		out = append(out, Blank{Blank: b, Crop: crop})
	}
	return out
}

// encodePGM encodes a grey image as binary PGM, which Tesseract reads
// without a codec and thresholds itself.
func encodePGM(g *image.Gray) []byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	head := "P5\n" + strconv.Itoa(w) + " " + strconv.Itoa(h) + "\n255\n"
	out := make([]byte, len(head), len(head)+w*h)
	copy(out, head)
	for y := range h {
		out = append(out, g.Pix[y*g.Stride:y*g.Stride+w]...)
	}
	return out
}

// digitsOnly returns text when it is digits (spaces aside), else "".
func digitsOnly(text string) string {
	t := strings.Join(strings.Fields(text), "")
	if t == "" || strings.IndexFunc(t, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return ""
	}
	return t
}
