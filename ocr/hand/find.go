package hand

import (
	"image"
	"slices"
	"strings"
	"unicode"

	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/viet"
)

// Spot is where a blank of the printed header lies on the page, found from
// the printed words around it: Left is where the print before it ends
// ("Số:", "ngày", "tháng"), Right where the print after it starts (the "/"
// of the symbol, "tháng", "năm"), Base the printed baseline and H the
// height of the printed capitals and digits beside it. Region is the part
// of the page to crop: the blank with room for handwriting, which is
// larger than print and strays above and below the line.
type Spot struct {
	Field       string // pipeline.BlankNumber, BlankDay, BlankMonth
	Left, Right int
	Base, H     int
	Region      image.Rectangle
	// SymbolEnd is where the printed symbol after a number's blank ends
	// (0 for a day or month).
	SymbolEnd int
	// Year is the printed year after "năm", for a day's or month's blank
	// (empty when OCR read none there).
	Year image.Rectangle
	// label is where "Số:" starts when OCR glued handwriting to it and
	// Left was estimated from its printed width (0 otherwise).
	label int
	// symbolLetters: how many of the symbol's first characters, as OCR
	// read them, are a symbol's capitals (A–Z, Đ).
	symbolLetters int
	// NeedsSlash: OCR read no slash before the symbol (it read the slash
	// into the handwriting: "lỗ mD-UBND"), so Right is a guess from the
	// symbol's letters; the blank is known only when PlaceSlash sees the
	// slash in the image, and is not read otherwise.
	NeedsSlash bool
	// wide: OCR read the label and nothing of the symbol (labelSpot), so
	// Right is only where the blank and the symbol must have ended;
	// PlaceSlash looks for the slash anywhere after Left, and measures
	// the symbol's end in the image.
	wide bool
}

// YearRegion is the printed year after a date's blank, with a margin, for
// it to be read again on its own. Empty for a number or without a year.
func (s Spot) YearRegion() image.Rectangle {
	if s.Year.Empty() {
		return image.Rectangle{}
	}
	fh := float64(s.H)
	m := int(symbolMargin * fh)
	return image.Rect(s.Year.Min.X-m, s.Base-int(symbolAbove*fh), s.Year.Max.X+m, s.Base+int(symbolBelow*fh))
}

// SymbolRegion is the printed symbol after a number's blank, from its
// slash to its end, for it to be read again on its own: OCR reading the
// whole line beside large handwriting garbles it ("/8C-UBND", "/BCHĐND").
// Empty for a day or month.
func (s Spot) SymbolRegion() image.Rectangle {
	if s.SymbolEnd <= s.Right {
		return image.Rectangle{}
	}
	fh := float64(s.H)
	return image.Rect(s.Right-int(symbolMargin*fh), s.Base-int(symbolAbove*fh), s.SymbolEnd+int(symbolMargin*fh), s.Base+int(symbolBelow*fh))
}

// Geometry of a spot, in printed capital heights (H).
const (
	// regionAbove and regionBelow: how far above and below the baseline
	// the crop reaches. Handwritten digits are 1.2–1.8 times the print's
	// capitals and often sit high.
	regionAbove = 2.3
	regionBelow = 0.9
	// regionMargin: how far the crop reaches past Left and Right, for
	// digits that overlap the print.
	regionMargin = 0.35
	// soWidth, ngayWidth, thangWidth: the printed width of "Số:", "ngày"
	// and "tháng" in capital heights (Times and its look-alikes, roman and
	// italic), for where OCR glued handwriting to the printed word.
	soWidth    = 1.7
	ngayWidth  = 2.6
	thangWidth = 3.1
	// gluedWidth: a printed word this much wider than it prints has
	// handwriting in its box.
	gluedWidth = 1.2
	// maxBlank: the widest blank in capital heights; a wider gap is not
	// one blank.
	maxBlank = 12
	// rightColumn: the header's right column (the motto, the date line)
	// starts past this share of the page's width; the "Số:" line's
	// symbol ends before it.
	rightColumn = 0.45
	// symbolAbove, symbolBelow, symbolMargin: the printed symbol's crop
	// about its baseline (capitals and the Đ's bar above, a comma below)
	// and past its ends.
	symbolAbove  = 1.35
	symbolBelow  = 0.45
	symbolMargin = 0.3
	// symbolGap: words of the symbol that OCR cut apart ("I57/ QĐ-NĐ-UB")
	// are at most this far apart; the place name of the date is further.
	symbolGap = 0.6
	// printedConf: the least OCR confidence of a printed month.
	printedConf = 90
	// dateReach: how many words OCR may make of a handwritten day or
	// month, plus one.
	dateReach = 4
	// headerShare: blanks are looked for in the top part of the page.
	headerShare = 0.5
)

// Find returns the blanks of a page's header that are filled in by hand,
// from its OCR lines (page coordinates, width×height pixels): the number
// before the printed "/SYMBOL" after "Số:", and the day and the month of
// the date line. It looks only at the top half of the page and returns
// nothing for a page without a header. Find is pure and cheap.
func Find(lines []pipeline.Line, width, height int) []Spot {
	var out []Spot
	for _, l := range lines {
		// The top half of the page, or of the A4 page a header band was
		// cut from.
		if l.Box.Y0 > int(float64(max(height, width*297/210))*headerShare) {
			continue
		}
		ws := l.Words
		number := -1 // the line's number blank in out
		for i := range ws {
			if s, ok := numberSpot(ws, i); ok {
				// Of two symbols on a line (OCR read handwriting as "⁄.Šˆ"
				// before "/CT-UBND"), the one more like a symbol.
				switch {
				case number < 0:
					number = len(out)
					out = append(out, s)
				case s.symbolLetters > out[number].symbolLetters:
					out[number] = s
				}
			}
			if s, ok := dateSpots(ws, i); ok {
				out = append(out, s...)
			}
		}
		if number < 0 {
			if s, ok := unslashedSpot(ws); ok {
				out = append(out, s)
			} else if s, ok := labelSpot(ws, width); ok {
				out = append(out, s)
			}
		}
	}
	// The header's blanks come first on the page; those below are the
	// numbers and dates the text cites.
	var first []Spot
	seen := map[string]bool{}
	for _, s := range out {
		if !seen[s.Field] {
			seen[s.Field] = true
			s.Region = s.Region.Intersect(image.Rect(0, 0, width, height))
			first = append(first, s)
		}
	}
	return first
}

// numberSpot: ws[i] is the symbol ("/CT-UBND", "07/CT-UBND", "b3/TB-UBND")
// and a "Số" before it on the line.
func numberSpot(ws []pipeline.Word, i int) (Spot, bool) {
	w := ws[i]
	rs := []rune(strings.NewReplacer("⁄", "/", "∕", "/").Replace(w.Text))
	// OCR may glue the label, the handwriting and the symbol into one
	// word ("số:ÔÉ./BCHĐND"): then the label opens it.
	f := []rune(strings.ToLower(viet.Fold(string(rs))))
	selfLabel := len(f) > 3 && isLabel(string(rs)) && strings.ContainsRune(string(f[:min(4, len(f))]), ':')
	reach := 5
	if selfLabel {
		reach = 10
	}
	// A symbol: two characters at least after the slash, a letter among
	// them (OCR may garble its first letter: 8C for BC, &H for KH), in
	// this word or, when OCR cut it there, the next ("I57/ QĐ-NĐ-ÚB"); at
	// most a few characters (the number, as OCR garbled it) before it. Of
	// several slashes, the one the symbol follows.
	after := func(k int) []rune {
		if k+1 < len(rs) {
			return rs[k+1:]
		}
		if i+1 < len(ws) && ws[i+1].Box.X0-w.Box.X1 < w.Box.Y1-w.Box.Y0 {
			return []rune(ws[i+1].Text)
		}
		return nil
	}
	slash := -1
	for k := 0; k < len(rs) && k <= reach+5; k++ {
		// Past reach only the slash after a year ("..CÖÝ./2024/NQ-HĐND").
		if k > reach && (rs[k-5] != '/' || k-5 > reach || !isYear(string(rs[k-4:k]))) {
			continue
		}
		if rs[k] == '/' && symbolLike(after(k)) {
			slash = k
		}
	}
	if slash < 0 {
		return Spot{}, false
	}
	// A legal document's symbol carries the year ("/2016/NQ-HĐND"): the
	// blank ends at the slash before it.
	if k := slash - 5; k >= 0 && rs[k] == '/' && isYear(string(rs[k+1:slash])) {
		slash = k
	}
	// The height of printed capitals: the symbol's (no descenders), or
	// when handwriting may be in its box, a printed year's on the line.
	// The baseline likewise: the symbol's foot, or the year's, then the
	// label's when it is print alone.
	h, base := w.Box.Y1-w.Box.Y0, w.Box.Y1
	if slash > 0 {
		for _, o := range ws[i+1:] {
			if t := strings.TrimRight(o.Text, ".,"); len(t) == 4 && allDigits(t) && o.Box.Y1-o.Box.Y0 < h {
				h, base = o.Box.Y1-o.Box.Y0, o.Box.Y1
			}
		}
	}
	if h <= 0 {
		return Spot{}, false
	}
	right := w.Box.X0 + int(float64(w.Box.X1-w.Box.X0)*printedShare(rs, slash))
	left, label := -1, 0
	if selfLabel {
		left, label = w.Box.X0+int(soWidth*float64(h)), w.Box.X0
	}
	for k := i; left < 0 && k >= 0 && k >= i-3; k-- {
		if !isLabel(ws[k].Text) {
			continue
		}
		if right-ws[k].Box.X0 > maxBlank*h {
			break
		}
		left = ws[k].Box.X1
		if k == i || glued(ws[k], 3, soWidth, h) {
			left, label = ws[k].Box.X0+int(soWidth*float64(h)), ws[k].Box.X0 // handwriting glued to "Số:"
		} else if slash > 0 {
			base = ws[k].Box.Y1
		}
		break
	}
	if left < 0 || left >= right {
		return Spot{}, false
	}
	sp := spot(pipeline.BlankNumber, left, right, base, h)
	sp.label = label
	for _, r := range after(slash) {
		if r != 'Đ' && (r < 'A' || r > 'Z') {
			break
		}
		sp.symbolLetters++
	}
	sp.Region.Max.X = right + int(slashRoom*float64(h)) // PlaceSlash looks there
	sp.SymbolEnd = w.Box.X1
	for _, o := range ws[i+1:] {
		if float64(o.Box.X0-sp.SymbolEnd) > symbolGap*float64(h) || !symbolWord(o.Text) {
			break
		}
		sp.SymbolEnd = o.Box.X1
	}
	return sp, true
}

// unslashedSpot finds a number's blank on a line that opens with "Số:"
// when OCR read no slash of the symbol after it: the symbol is then the
// first word within a few of the label that ends in a symbol's capitals
// ("mD-UBND", "..#.,KH-UBND", "KHUBND", "NQ-HĐND"), and the blank ends
// about where those capitals start. The spot NeedsSlash.
func unslashedSpot(ws []pipeline.Word) (Spot, bool) {
	for k := 0; k < min(2, len(ws)); k++ {
		if !isLabel(ws[k].Text) {
			continue
		}
		for j := k; j < min(len(ws), k+4); j++ {
			w := ws[j]
			rs := []rune(w.Text)
			start := symbolTail(rs)
			if j == k && start < 3 || start < 0 {
				continue
			}
			h, base := w.Box.Y1-w.Box.Y0, w.Box.Y1
			for _, o := range ws[j+1:] {
				if t := strings.TrimRight(o.Text, ".,"); len(t) == 4 && allDigits(t) && o.Box.Y1-o.Box.Y0 < h {
					h, base = o.Box.Y1-o.Box.Y0, o.Box.Y1
				}
			}
			if h <= 0 {
				return Spot{}, false
			}
			right := w.Box.X0 + int(float64(w.Box.X1-w.Box.X0)*printedShare(rs, start))
			l := ws[k]
			left, label := l.Box.X1, 0
			if j == k || glued(l, 3, soWidth, h) {
				left, label = l.Box.X0+int(soWidth*float64(h)), l.Box.X0
			}
			if left >= right || right-left > maxBlank*h {
				return Spot{}, false
			}
			sp := spot(pipeline.BlankNumber, left, right, base, h)
			sp.label, sp.NeedsSlash = label, true
			sp.Region.Max.X = right + int(slashRoom*float64(h))
			sp.SymbolEnd = w.Box.X1
			return sp, true
		}
		return Spot{}, false
	}
	return Spot{}, false
}

// labelSpot finds a number's blank on a line that opens with "Số:" when
// OCR read nothing of the symbol after it as a symbol: beside large
// handwriting it garbles the whole line ("số: [T nprpxH" for
// "Số: 1117/LĐTBXH", "Số: “ZØ 'usNp" for "Số: 420/UBND"). The print's
// height is the label's, or a printed year's on the line (the date in
// the right column, often set larger) when handwriting is glued to the
// label; the blank and the symbol lie between the label and the right
// column, at most maxBlank and slashRoom capital heights on. The spot
// NeedsSlash, and is wide: PlaceSlash finds the slash and the symbol's
// end in the image.
func labelSpot(ws []pipeline.Word, width int) (Spot, bool) {
	for k := 0; k < min(2, len(ws)); k++ {
		// The label with its colon ("SỞ TÀI CHÍNH" is not one), in the
		// left column.
		l := ws[k]
		lr := []rune(l.Text)
		if !isLabel(l.Text) || !strings.ContainsRune(string(lr[:min(4, len(lr))]), ':') || 2*l.Box.X0 >= width {
			continue
		}
		lh := l.Box.Y1 - l.Box.Y0
		h, base := 0, 0
		for _, o := range ws[k+1:] {
			if t := strings.TrimRight(o.Text, ".,"); len(t) == 4 && allDigits(t) {
				h, base = o.Box.Y1-o.Box.Y0, o.Box.Y1
			}
		}
		isGlued := glued(l, 3, soWidth, max(h, lh))
		if !isGlued {
			h, base = lh, l.Box.Y1
		}
		if h <= 0 {
			return Spot{}, false
		}
		left, label := l.Box.X1, 0
		if isGlued {
			left, label = l.Box.X0+int(soWidth*float64(h)), l.Box.X0
		}
		end := left + int((maxBlank+slashRoom)*float64(h))
		lettered := false // OCR read a letter, however garbled, of a symbol
		for _, o := range ws[k+1:] {
			if float64(o.Box.X0) >= rightColumn*float64(width) && o.Box.X0 > left || o.Box.X0 >= end {
				end = min(end, o.Box.X0-int(regionMargin*float64(h)))
				break
			}
			lettered = lettered || strings.IndexFunc(o.Text, unicode.IsLetter) >= 0
		}
		// An incoming-mail stamp's "Số: 2352" has no symbol.
		if !lettered && !(isGlued && strings.IndexFunc(string(lr[min(3, len(lr)):]), unicode.IsLetter) >= 0) || end-left < int(slashRoom*float64(h)) {
			return Spot{}, false
		}
		sp := spot(pipeline.BlankNumber, left, end, base, h)
		sp.label, sp.NeedsSlash, sp.wide = label, true, true
		sp.Region.Max.X = end
		return sp, true
	}
	return Spot{}, false
}

// isLabel tells the number's label "Số" as OCR reads it beside
// handwriting: "Số:", "số:ÔÉ", "sơ.", and with its o misread, "sø:",
// "sø.?", "sẽ:" (an s, a letter and the colon, which no word of the
// header has).
func isLabel(text string) bool {
	f := []rune(strings.ToLower(viet.Fold(text)))
	if len(f) < 2 || f[0] != 's' {
		return false
	}
	return f[1] == 'o' || f[1] == 'ø' || len(f) >= 3 && unicode.IsLetter(f[1]) && f[2] == ':'
}

// symbolTail is where the symbol's capitals start at the end of rs, read
// without its slash: a hyphen then two capitals at least ("D-UBND",
// "KH-UBND", "Tr-NV"), the up to four letters before the hyphen with it;
// or, with no hyphen, four capitals at least ("KHUBND"). -1 when rs does
// not end so.
func symbolTail(rs []rune) int {
	upper := func(r rune) bool { return r == 'Đ' || r >= 'A' && r <= 'Z' }
	end := len(rs)
	for end > 0 && (rs[end-1] == '.' || rs[end-1] == ',') {
		end--
	}
	i := end
	for i > 0 && (upper(rs[i-1]) || rs[i-1] == '-' && i < end && upper(rs[i])) {
		i--
	}
	tail := rs[i:end]
	h := slices.Index(tail, '-')
	switch {
	case h < 0 && len(tail) >= 4:
		return i
	case h < 0:
		return -1
	}
	if len(tail)-h-1 < 2 {
		return -1
	}
	// The letters of the type before the hyphen: capitals, and the r of
	// TTr, at most four.
	p := i + h
	if h == 0 {
		for p > 0 && end-p < len(tail)+4 && unicode.IsLetter(rs[p-1]) && (upper(rs[p-1]) || rs[p-1] == 'r') {
			p--
		}
		return p
	}
	return i
}

// symbolWord: a word that may be a piece of a symbol: no lower-case letter
// but the r of TTr and the t of Ttg.
func symbolWord(t string) bool {
	lower := 0
	for _, r := range t {
		if unicode.IsLower(r) {
			lower++
		}
	}
	return lower <= 1 && strings.IndexFunc(t, func(r rune) bool { return unicode.IsLetter(r) || r == '/' || r == '-' }) >= 0
}

// dateSpots: ws[i] is "ngày" and "tháng", then "năm" follow on the line.
func dateSpots(ws []pipeline.Word, i int) ([]Spot, bool) {
	if !isNgay(ws[i].Text) {
		return nil, false
	}
	// OCR may read the handwriting as a few words of its own ("ngày Ê 2
	// tháng 5 năm"): "tháng" within dateReach words of "ngày", and "năm"
	// within as many of "tháng".
	thang, nam := -1, -1
	for k := i + 1; k < len(ws) && nam < 0; k++ {
		g := strings.ToLower(viet.Fold(ws[k].Text))
		switch {
		case thang < 0 && k > i+dateReach, thang >= 0 && k > thang+dateReach:
			return nil, false
		case thang < 0 && strings.HasPrefix(g, "thang"):
			thang = k
		case thang >= 0 && strings.HasPrefix(g, "nam"):
			nam = k
		}
	}
	if thang < 0 || nam < 0 {
		return nil, false
	}
	// The printed digits' height: the year's, after "năm".
	h, base := 0, 0
	var year image.Rectangle
	if nam+1 < len(ws) {
		if y := ws[nam+1]; strings.IndexFunc(y.Text, unicode.IsDigit) >= 0 {
			h, base = y.Box.Y1-y.Box.Y0, y.Box.Y1
			year = image.Rect(y.Box.X0, y.Box.Y0, y.Box.X1, y.Box.Y1)
		}
	}
	if h <= 0 { // no year read: "năm" is x-height high, capitals about 1.45 times it
		n := ws[nam]
		h, base = int(float64(n.Box.Y1-n.Box.Y0)*1.45), n.Box.Y1
	}
	if h <= 0 {
		return nil, false
	}
	ngay, th, nm := ws[i], ws[thang], ws[nam]
	left := ngay.Box.X1
	if glued(ngay, 4, ngayWidth, h) || thang > i+1 && ws[i+1].Box.X0 < ngay.Box.X1 {
		left = ngay.Box.X0 + int(ngayWidth*float64(h))
	}
	mleft := th.Box.X1
	if glued(th, 5, thangWidth, h) {
		mleft = th.Box.X0 + int(thangWidth*float64(h))
	}
	var out []Spot
	if left < th.Box.X0 && th.Box.X0-left <= maxBlank*h {
		out = append(out, spot(pipeline.BlankDay, left, th.Box.X0, base, h))
	}
	if mleft < nm.Box.X0 && nm.Box.X0-mleft <= maxBlank*h && !printedNumber(ws[thang+1:nam], h) {
		out = append(out, spot(pipeline.BlankMonth, mleft, nm.Box.X0, base, h))
	}
	for i := range out {
		out[i].Year = year
	}
	return out, len(out) > 0
}

// printedNumber tells whether the words between two anchors are one
// number OCR read as print: one or two digits, read with confidence, no
// taller than printed capitals. A printed month is not read as a blank
// (the blank's crop would take pieces of "tháng" and "năm" along).
func printedNumber(ws []pipeline.Word, h int) bool {
	if len(ws) != 1 {
		return false
	}
	w := ws[0]
	t := strings.TrimRight(w.Text, ".,")
	return len(t) <= 2 && allDigits(t) && w.Conf >= printedConf && float64(w.Box.Y1-w.Box.Y0) <= printTall*float64(h)
}

// isYear: t is a year a document of the archive may carry (19xx, 20xx).
func isYear(t string) bool {
	return len(t) == 4 && allDigits(t) && (t[:2] == "19" || t[:2] == "20")
}

// allDigits: t is ASCII digits, one at least.
func allDigits(t string) bool {
	return t != "" && strings.IndexFunc(t, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// printedShare is the share of a printed word's width that its first n
// characters take, by the widths of a Times-like face (digits half an em,
// capitals about 0.7, the slash 0.28): where the slash of "96/TB-UBND"
// starts.
func printedShare(rs []rune, n int) float64 {
	width := func(r rune) float64 {
		switch {
		case r >= '0' && r <= '9':
			return 0.5
		case r == '/':
			return 0.28
		case r == '-' || r == '.' || r == ',' || r == ':':
			return 0.3
		case unicode.IsUpper(r):
			return 0.7
		}
		return 0.5
	}
	var before, all float64
	for i, r := range rs {
		if i < n {
			before += width(r)
		}
		all += width(r)
	}
	if all == 0 {
		return 0
	}
	return before / all
}

// symbolLike: what follows a slash reads as a symbol ("CT-UBND",
// "8C-UBND"): two characters or more, a letter among the first three.
func symbolLike(rs []rune) bool {
	if len(rs) < 2 {
		return false
	}
	for _, r := range rs[:min(3, len(rs))] {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// isNgay tells the word "ngày" as OCR reads it beside handwriting
// ("ngày", "ngàW{", "ngay20"), and not "Ngãi" of Quảng Ngãi.
func isNgay(text string) bool {
	f := []rune(strings.ToLower(viet.Fold(text)))
	if len(f) < 3 || string(f[:3]) != "nga" {
		return false
	}
	return len(f) == 3 || f[3] != 'i'
}

// glued tells whether OCR read handwriting into a printed word of n
// letters about width capital heights wide: it has more characters, or
// digits, or is much wider than printed.
func glued(w pipeline.Word, n int, width float64, h int) bool {
	return len([]rune(w.Text)) > n || strings.IndexFunc(w.Text, unicode.IsDigit) >= 0 ||
		float64(w.Box.X1-w.Box.X0) > gluedWidth*width*float64(h)
}

func spot(field string, left, right, base, h int) Spot {
	fh := float64(h)
	return Spot{
		Field: field, Left: left, Right: right, Base: base, H: h,
		Region: image.Rect(left-int(regionMargin*fh), base-int(regionAbove*fh), right+int(regionMargin*fh*0.5), base+int(regionBelow*fh)),
	}
}
