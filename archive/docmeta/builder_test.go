package docmeta

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/pipeline"
)

// pb builds a page as Tesseract would report it: an A4 scan at 300 dpi,
// 13–14 pt type (cap height 38 px), words with plausible boxes.
//
// Text is given per line as segments: an x position (int) followed by a
// string of words. Inside a string, a word may carry markers at its end:
//
//	"07~62"  Tesseract confidence 62 (default 95)
//	"07~62/99"          and a confidence of 99 for every character
//	"316/QĐ~49/99;1=60" every character 99 but the second (rune 1), 60
//	"07^"    handwritten: larger than the print, dropping below the baseline
//	"+120"   (a word of its own) a blank of 120 px before the next word
type pb struct {
	pt pipeline.PageText
}

func newPB() *pb {
	return &pb{pt: pipeline.PageText{Doc: "test", Page: 1, Width: 2480, Height: 3508, DPIX: 300, DPIY: 300, Engine: "test"}}
}

func (b *pb) page() *pipeline.PageText { return &b.pt }

// line adds one OCR line with its baseline at y.
func (b *pb) line(y int, segs ...any) *pb {
	l := pipeline.Line{Para: len(b.pt.Lines) + 1}
	x := 0
	for _, s := range segs {
		switch v := s.(type) {
		case int:
			x = v
		case string:
			for _, tok := range strings.Fields(v) {
				if strings.HasPrefix(tok, "+") && len(tok) > 1 {
					if n, err := strconv.Atoi(tok[1:]); err == nil {
						x += n
						continue
					}
				}
				w := makeWord(x, y, tok)
				l.Words = append(l.Words, w)
				x = w.Box.X1 + 14
			}
		default:
			panic("pb.line: segments are int x or string text")
		}
	}
	if len(l.Words) == 0 {
		return b
	}
	l.Box = l.Words[0].Box
	for _, w := range l.Words {
		l.Box = union(l.Box, w.Box)
	}
	l.BaseOffset = float64(y - l.Box.Y1)
	b.pt.Lines = append(b.pt.Lines, l)
	return b
}

// centred adds a line of text centred on cx.
func (b *pb) centred(y, cx int, text string) *pb {
	return b.line(y, cx-textWidth(text)/2, text)
}

func textWidth(text string) int {
	w := 0
	for i, tok := range strings.Fields(text) {
		if i > 0 {
			w += 14
		}
		t, _, ink := parseMarkers(tok)
		w += wordWidth(t, ink)
	}
	return w
}

func parseMarkers(tok string) (text string, conf float64, ink bool) {
	text, conf, _, ink = parseCharMarkers(tok)
	return text, conf, ink
}

// parseCharMarkers parses a token's markers, character confidences included
// (nil when the token gives none).
func parseCharMarkers(tok string) (text string, conf float64, chars []float64, ink bool) {
	conf = 95
	for {
		switch {
		case strings.HasSuffix(tok, "^") && len(tok) > 1:
			ink, tok = true, tok[:len(tok)-1]
			if conf == 95 {
				conf = 60
			}
			continue
		case strings.LastIndex(tok, "~") > 0:
			i := strings.LastIndex(tok, "~")
			spec, charSpec, hasChars := strings.Cut(tok[i+1:], "/")
			n, err := strconv.Atoi(spec)
			if err != nil {
				return tok, conf, chars, ink
			}
			conf, tok = float64(n), tok[:i]
			if hasChars {
				chars = charConfSpec(charSpec, utf8.RuneCountInString(tok))
			}
			continue
		}
		return tok, conf, chars, ink
	}
}

// charConfSpec expands "99;1=60" into n confidences: 99 for every rune,
// 60 for rune 1.
func charConfSpec(spec string, n int) []float64 {
	parts := strings.Split(spec, ";")
	all, err := strconv.Atoi(parts[0])
	if err != nil {
		panic("pb: character confidences " + spec)
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(all)
	}
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(p, "=")
		i, err1 := strconv.Atoi(k)
		c, err2 := strconv.Atoi(v)
		if err1 != nil || err2 != nil || i < 0 || i >= n {
			panic("pb: character confidences " + spec)
		}
		out[i] = float64(c)
	}
	return out
}

func wordWidth(t string, ink bool) int {
	w := 0
	for _, r := range t {
		switch {
		case unicode.IsDigit(r):
			w += 23
		case unicode.IsUpper(r):
			w += 31
		case unicode.IsLetter(r):
			w += 22
		default:
			w += 12
		}
	}
	if ink {
		w = w * 14 / 10
	}
	return max(w, 8)
}

func makeWord(x, base int, tok string) pipeline.Word {
	t, conf, chars, ink := parseCharMarkers(tok)
	top, bottom := base-27, base
	for _, r := range t {
		switch {
		case unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("bdfhklt/()|@#", r):
			top = min(top, base-38)
		}
		if strings.ContainsRune("gjpqy,;/()", r) {
			bottom = base + 11
		}
		d := norm.NFD.String(string(r))
		for _, m := range d {
			if unicode.Is(unicode.Mn, m) {
				if m == '\u0323' {
					bottom = base + 11
				} else {
					top = min(top, base-50)
				}
			}
		}
	}
	if ink {
		top, bottom = base-58, base+14
	}
	return pipeline.Word{Text: t, Conf: conf, CharConf: chars, Box: pipeline.Box{X0: x, Y0: top, X1: x + wordWidth(t, ink), Y1: bottom}}
}

// hdr describes the header of a page in the NĐ 30/2020 layout; build lays
// it out as OCR reports it (the agency merged with the motto, the "Số:"
// line merged with the date line unless split).
type hdr struct {
	parent  string
	agency  []string // default: ỦY BAN NHÂN DÂN / HUYỆN VÂN CANH
	party   bool     // the party motto instead of the national one
	noMotto bool
	so      string // left part of the number line, from x=330
	soX     int    // where the number line starts, when not 330
	date    string // the place and date, centred in the right column
	split   bool   // date on a line of its own, slightly lower
	vv      []string
	typ     string
	subject []string
	body    []string
	extra   func(b *pb) // stamps, seals, noise
}

const (
	leftCX  = 620
	rightCX = 1650
	midCX   = 1240
)

func (h hdr) build() *pipeline.PageText {
	b := newPB()
	agency := h.agency
	if agency == nil {
		agency = []string{"ỦY BAN NHÂN DÂN", "HUYỆN VÂN CANH"}
	}
	var left []string
	if h.parent != "" {
		left = append(left, h.parent)
	}
	left = append(left, agency...)
	var right []string
	switch {
	case h.noMotto:
	case h.party:
		right = []string{"ĐẢNG CỘNG SẢN VIỆT NAM"}
	default:
		right = []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"}
	}
	y := 260
	for i := 0; i < max(len(left), len(right)); i++ {
		var segs []any
		if i < len(left) {
			segs = append(segs, leftCX-textWidth(left[i])/2, left[i])
		}
		if i < len(right) {
			segs = append(segs, rightCX-textWidth(right[i])/2, right[i])
		}
		b.line(y, segs...)
		y += 60
	}
	y += 60
	soX := h.soX
	if soX == 0 {
		soX = 330
	}
	switch {
	case h.so != "" && h.date != "" && !h.split:
		b.line(y, soX, h.so, rightCX-textWidth(h.date)/2, h.date)
	default:
		if h.so != "" {
			b.line(y, soX, h.so)
		}
		if h.date != "" {
			b.centred(y+8, rightCX, h.date)
		}
	}
	y += 65
	for _, v := range h.vv {
		b.line(y, 330, v)
		y += 55
	}
	if h.typ != "" {
		y += 65
		b.centred(y, midCX, h.typ)
		y += 62
	}
	for _, s := range h.subject {
		b.centred(y, midCX, s)
		y += 60
	}
	y += 100
	for i, s := range h.body {
		x := 300
		if i == 0 {
			x = 400
		}
		b.line(y, x, s)
		y += 62
	}
	if h.extra != nil {
		h.extra(b)
	}
	return b.page()
}
