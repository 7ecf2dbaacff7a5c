package docmeta

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/sohoa/sohoa/viet"
)

// piece is a word, or part of one where OCR glued a keyword to its digits
// ("ngày10", "năm2020."): keywords and slots are told apart by piece.
type piece struct {
	text  string
	w     word
	whole bool // the piece is its whole word (its box is its own)
	off   int  // rune offset of text in w.text
}

func isNgay(f string, first rune) bool {
	if f == "ngay" {
		return true
	}
	// "Ngãi" (the place Quảng Ngãi) is one letter from "ngay": a misread
	// "ngày" is accepted only in lower case, as it is printed mid-line.
	n := len([]rune(f))
	return first == 'n' && n >= 3 && n <= 5 && strings.HasPrefix(f, "ng") && editDistance(f, "ngay") <= 1
}

func isThang(f string) bool {
	n := len([]rune(f))
	return f == "thang" || n >= 4 && n <= 6 && f[0] == 't' && editDistance(f, "thang") <= 1
}

func isNam(f string) bool {
	return f == "nam" || len([]rune(f)) == 3 && f[0] == 'n' && editDistance(f, "nam") <= 1
}

func keyword(text string) (kind byte, n int) {
	rs := []rune(text)
	for n < len(rs) && unicode.IsLetter(rs[n]) {
		n++
	}
	if n == 0 {
		return 0, 0
	}
	f := viet.Fold(string(rs[:n]))
	switch {
	case isNgay(f, rs[0]):
		return 'd', n
	case isThang(f):
		return 'm', n
	case isNam(f):
		return 'y', n
	}
	return 0, 0
}

func splitPieces(ws []word) []piece {
	var out []piece
	for _, w := range ws {
		rs := []rune(w.text)
		if k, n := keyword(w.text); k != 0 && strings.Trim(string(rs[n:]), ".,;:") != "" {
			out = append(out, piece{string(rs[:n]), w, false, 0}, piece{string(rs[n:]), w, false, n})
			continue
		}
		out = append(out, piece{w.text, w, true, 0})
	}
	return out
}

// dateLine is the place and date line as found: "Vân Canh, ngày 10 tháng 02
// năm 2020", each slot with the pieces it was read from.
type dateLine struct {
	place []word
	ngay  *piece // nil when the word "ngày" was not read
	thang piece
	day   []piece
	month []piece
	year  []piece
}

// start is the first word of the place and date.
func (d dateLine) start() word {
	switch {
	case len(d.place) > 0:
		return d.place[0]
	case d.ngay != nil:
		return d.ngay.w
	case len(d.day) > 0:
		return d.day[0].w
	}
	return d.thang.w
}

// findDateLine looks for "… ngày D tháng M năm Y" in ws (one row's words
// in reading order).
func findDateLine(ws []word) (dateLine, bool) {
	ps := splitPieces(ws)
	kinds := make([]byte, len(ps))
	for i, p := range ps {
		if k, n := keyword(p.text); k != 0 && n == len([]rune(p.text)) {
			kinds[i] = k
		}
	}
	for t := range ps {
		if kinds[t] != 'm' {
			continue
		}
		y := -1
		for j := t + 1; j < len(ps) && j <= t+4; j++ {
			if kinds[j] == 'y' {
				y = j
				break
			}
		}
		if y < 0 || y+1 >= len(ps) {
			continue
		}
		var d dateLine
		d.thang = ps[t]
		d.month = ps[t+1 : y]
		d.year = ps[y+1 : y+2]
		dayFrom := t
		for j := t - 1; j >= 0 && j >= t-3; j-- {
			if kinds[j] == 'd' {
				p := ps[j]
				d.ngay = &p
				dayFrom = j + 1
				break
			}
		}
		if d.ngay != nil {
			d.day = ps[dayFrom:t]
		} else if t > 0 && strings.ContainsAny(ps[t-1].text, "0123456789") && len([]rune(ps[t-1].text)) <= 3 {
			dayFrom = t - 1
			d.day = ps[t-1 : t]
		}
		placeEnd := dayFrom
		if d.ngay != nil {
			placeEnd = dayFrom - 1
		}
		d.place = placeBefore(ps[:placeEnd])
		return d, true
	}
	return dateLine{}, false
}

// placeBefore takes the place name from the words before "ngày": words of
// letters (the last may end with a comma), read backwards until something
// else (a number, a colon, a large gap) or six words.
func placeBefore(ps []piece) []word {
	var out []word
	for i := len(ps) - 1; i >= 0 && len(out) < maxPlaceWords; i-- {
		p := ps[i]
		t := strings.TrimRight(p.text, ",")
		if !p.whole || t == "" || strings.IndexFunc(t, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
			break
		}
		if n := len([]rune(t)); n >= 3 && strings.ToUpper(t) == t {
			break // capitals: a symbol ("KHUBND") or an agency, never the italic place
		}
		if strings.HasSuffix(p.text, ",") && len(out) > 0 {
			break // "Số: 2352, Vân Canh" — a comma ends a phrase before the place
		}
		if len(out) > 0 {
			gap := out[0].box.X0 - p.w.box.X1
			if gap > placeGap*max(p.w.height(), out[0].height()) {
				break
			}
		}
		out = append([]word{p.w}, out...)
	}
	return out
}

// opensWithLabel: the row's first word is the number's label "Số" as OCR
// reads it beside handwriting ("số:", "sơ.", "SốÏ..KHUBND", "sốe2©"):
// "so" alone, before a mark, or in a word no word of the language is
// (letters and marks mixed).
func opensWithLabel(ws []word) bool {
	if len(ws) == 0 {
		return false
	}
	f := []rune(strings.ToLower(viet.Fold(ws[0].text)))
	if len(f) < 2 || f[0] != 's' || f[1] != 'o' {
		return false
	}
	return len(f) == 2 || !unicode.IsLetter(f[2]) || strings.IndexFunc(string(f), func(r rune) bool { return !unicode.IsLetter(r) }) >= 0
}

// placeText is the place as printed, without the comma that ends it.
func placeText(ws []word) string {
	return strings.TrimRight(strings.TrimSpace(joinWords(ws)), ", ")
}

// findDateNear looks for the date line after the number on its own row,
// then on the rows nearest to it.
func (r *reading) findDateNear(c *numCand) {
	pg := r.pg
	row := pg.rows[c.row]
	if i := indexOf(row.words, c.end); i >= 0 {
		if d, ok := findDateLine(row.words[i+1:]); ok {
			r.date, r.dateRow = &d, c.row
			return
		}
	}
	best, bestDist := -1, 0
	cy := (row.box.Y0 + row.box.Y1) / 2
	for ri, x := range pg.rows {
		if ri == c.row {
			continue
		}
		d := abs((x.box.Y0+x.box.Y1)/2 - cy)
		if d > dateReach*row.h {
			continue
		}
		// On another row the date must be in the right column: a "V/v …
		// ngày 10 tháng 3 năm 2020" under the number is not the date line.
		if dl, ok := findDateLine(x.words); ok && dl.thang.w.box.X0 >= pg.colX-dateColumnSlack*x.h && (best < 0 || d < bestDist) {
			best, bestDist = ri, d
		}
	}
	if best >= 0 {
		d, _ := findDateLine(pg.rows[best].words)
		r.date, r.dateRow = &d, best
	}
}

// findDateTop looks for the date line in the right column of the top of
// the page, when there is no "Số:" to anchor it: a line of its own (or
// standing well apart from the left column), above the type name and the
// body, whose citations of other documents carry dates too.
func (r *reading) findDateTop() {
	pg := r.pg
	for ri, x := range pg.rows {
		if x.box.Y0 > pct(pg.h, dateZonePct) {
			return
		}
		ws := dropNoise(x.words)
		if len(ws) == 0 {
			continue
		}
		f := foldWords(ws)
		if startsBody(f) {
			return
		}
		if _, _, ok := matchType(f, ws); ok && upperRatio(ws[:1]) >= minUpperShare {
			return
		}
		d, ok := findDateLine(x.words)
		if !ok {
			continue
		}
		s := d.start()
		if s.box.X0 < pg.colX-dateTopSlack*x.h {
			continue
		}
		// A place that follows on from the word before it is a sentence
		// of the body — unless the row opens with the number's label:
		// OCR merged the "Số:" line, whose number and symbol it could
		// not read, with the date line beside it.
		if i := indexOf(x.words, s); i > 0 && x.words[i-1].box.X1 > s.box.X0-dateTopSlack*x.h && !opensWithLabel(x.words) {
			continue
		}
		r.date, r.dateRow = &d, ri
		return
	}
}

// dateResult is a judged date.
type dateResult struct {
	iso     string // "" unless day, month and year were all read
	year    int    // 0 when the year was not read
	conf    float64
	certain bool
	reasons []string
	place   string
	// ref is the printed year, the reference for the size and baseline of
	// printed digits, when haveRef (see typedReference).
	ref     word
	haveRef bool
}

// judgeDate judges the date line, when one was found, and takes its printed
// year as the reference for printed digits.
func (r *reading) judgeDate() dateResult {
	if r.date == nil {
		return dateResult{reasons: []string{reasonNoDate}}
	}
	dr := r.date.judge(r.pg)
	_, yfix, yconf, yok := slot(r.date.year)
	dr.ref, dr.haveRef = typedReference(r.date.year, yconf, yfix, yok && len(r.date.year) == 1 && dr.year > 0)
	return dr
}

// slot reads a digit slot of the date from its pieces. conf is the lowest
// confidence of its digits (and look-alikes of digits), each character's
// own where Tesseract gave one; the words' when there is no digit.
func slot(ps []piece) (digits string, fixes []string, conf float64, ok bool) {
	var raw strings.Builder
	conf = 100
	wconf, digit := 100.0, false
	for _, p := range ps {
		raw.WriteString(p.text)
		wconf = min(wconf, p.w.conf)
		for i, r := range []rune(p.text) {
			if isDigitLike(r) {
				digit = true
				conf = min(conf, p.w.runeConf(p.off+i))
			}
		}
	}
	if !digit {
		conf = wconf
	}
	s := strings.Trim(raw.String(), ".,;:)")
	if len(ps) == 0 {
		conf = 0
	}
	d, fixes, ok := readDigits([]rune(s))
	return d, fixes, conf, ok
}

// judge decides what the date line says and whether that is certain.
func (d dateLine) judge(pg *page) dateResult {
	res := dateResult{place: placeText(d.place)}
	day, dfix, dconf, dok := slot(d.day)
	mon, mfix, mconf, mok := slot(d.month)
	yr, yfix, yconf, yok := slot(d.year)
	dok = dok && len(day) <= 2 && atoi(day) >= 1 && atoi(day) <= 31
	mok = mok && len(mon) <= 2 && atoi(mon) >= 1 && atoi(mon) <= 12
	yok = yok && len(yr) == 4 && atoi(yr) >= 1900 && atoi(yr) <= 2100
	certain := true
	flag := func(r string) {
		certain = false
		res.reasons = append(res.reasons, r)
	}
	if !dok {
		flag(reasonDayUnread)
	}
	if !mok {
		flag(reasonMonthUnread)
	}
	if !yok {
		flag(reasonYearUnread)
	} else {
		res.year = atoi(yr)
	}
	if dok && mok && yok {
		t := time.Date(res.year, time.Month(atoi(mon)), atoi(day), 0, 0, 0, 0, time.UTC)
		if t.Day() != atoi(day) || int(t.Month()) != atoi(mon) {
			flag(fmt.Sprintf(reasonDateInvalid, day, mon, yr))
		} else {
			res.iso = t.Format("2006-01-02")
		}
	}
	if fixes := append(append(append([]string(nil), dfix...), mfix...), yfix...); len(fixes) > 0 {
		flag(fmt.Sprintf(reasonDateFixed, strings.Join(fixes, ", ")))
	}
	if len(d.day) > 1 || len(d.month) > 1 {
		flag(reasonDateSplit)
	}
	conf := min(dconf, mconf)
	if conf < minDateConf || yconf < minDateConf {
		flag(fmt.Sprintf(reasonDateLowConf, int(min(conf, yconf))))
	}
	// Handwriting: a day or month in ink differs in size and sits off the
	// baseline of the printed year; a blank left for it shows as a gap.
	if ref, ok := typedReference(d.year, yconf, yfix, yok); ok && (pg.anyInky(d.day, ref) || pg.anyInky(d.month, ref)) {
		flag(reasonDateInk)
	}
	if d.blank(pg) {
		flag(reasonDateGap)
	}
	c := min(conf, yconf) / 100
	if !certain {
		c = min(c*flaggedConfScale, flaggedConfMax)
	}
	res.conf, res.certain = c, certain
	return res
}

// typedReference returns the printed year as the reference for the size and
// baseline of printed digits, when it is one.
func typedReference(year []piece, conf float64, fixes []string, ok bool) (word, bool) {
	if !ok || len(year) != 1 || !year[0].whole || conf < minDateConf || len(fixes) > 0 {
		return word{}, false
	}
	return year[0].w, true
}

// blank reports whether the day or the month stands apart from its words
// by more than a wide space: the blank a clerk leaves for ink.
func (d dateLine) blank(pg *page) bool {
	check := func(before word, ps []piece, after word) bool {
		if len(ps) == 0 || !ps[0].whole || !ps[len(ps)-1].whole {
			return false
		}
		h := float64(max(before.height(), after.height()))
		g1 := float64(ps[0].w.box.X0 - before.box.X1)
		g2 := float64(after.box.X0 - ps[len(ps)-1].w.box.X1)
		return g1 > blankGap*h || g2 > blankGap*h
	}
	if d.ngay != nil && d.ngay.whole && d.thang.whole && check(d.ngay.w, d.day, d.thang.w) {
		return true
	}
	return false
}
