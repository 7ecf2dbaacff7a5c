package ocr

import (
	"image"
	"strings"

	"github.com/sohoa/sohoa/ocr/digits"
	"github.com/sohoa/sohoa/ocr/hand"
	"github.com/sohoa/sohoa/pipeline"
)

// liner reads one line of text from an image (tesseract.Engine.Line).
type liner interface {
	Line(img []byte, dpi int) (string, error)
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
// scan's resolution, and reads it with the digit model m (hand.Read); tess,
// when not nil, reads the same marks once more as a line of text, and
// what it reads is kept (Blank.Tesseract) when it is digits, for the
// archive to check the model against.
func ReadBlanks(prep *Prepared, lines []pipeline.Line, m *digits.Model, tess liner, dpi float64) []Blank {
	var out []Blank
	for _, s := range hand.Find(lines, prep.Width, prep.Height) {
		s.Region = s.Region.Intersect(image.Rect(0, 0, prep.Width, prep.Height))
		grey, colour := prep.Region(s.Region)
		b, crop, clean := hand.Read(s, grey, colour, m)
		if tess != nil && clean != nil && b.Digits != "" {
			if text, err := tess.Line(encodePBM(clean), int(dpi+0.5)); err == nil {
				b.Tesseract = digitsOnly(text)
			}
		}
		out = append(out, Blank{Blank: b, Crop: crop})
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
