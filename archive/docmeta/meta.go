package docmeta

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/pipeline"
)

// Meta is what the header of a Vietnamese administrative document says.
// Every string is NFC; a field that was not found is "".
type Meta struct {
	// DocNumber is the số và ký hiệu in canonical form (see ParseNumber):
	// "15/2020/QĐ-UBND", "123/UBND-VP", "123-QĐ/HU". It is set whenever a
	// number and a symbol were read, even when they are not certain — then
	// NeedsReview says so — and "" when the number could not be read at all
	// (handwriting OCR could not make into digits) or no "Số:" was found.
	DocNumber string
	// Number is the number as printed, leading zero kept: "15", "05".
	Number string
	// Symbol is everything after the number and its separator, the year of
	// a legal document included: "2020/QĐ-UBND", "UBND-VP", "QĐ/HU". So
	// DocNumber is Number, its separator ('/', or '-' for a party document)
	// and Symbol, and ParseNumber returns the same pair. Symbol is set when
	// only the number was unreadable ("Số: @# /CT-UBND" gives "CT-UBND").
	Symbol string
	// Date is the date of the document, ISO "2020-02-10"; "" unless day,
	// month and year were all read (a guess is flagged, see NeedsReview).
	Date string
	// Place is the place of the date line: "Vân Canh", "Quảng Ngãi".
	Place string
	// Type is the type name in upper case as in NĐ 30/2020 Phụ lục III:
	// "QUYẾT ĐỊNH", "CHỈ THỊ", …; "CÔNG VĂN" for a công văn.
	Type string
	// Agency is the issuing agency: "ỦY BAN NHÂN DÂN HUYỆN VÂN CANH".
	Agency string
	// Parent is the parent agency line, if printed: "UBND TỈNH BÌNH ĐỊNH".
	Parent string
	// Subject is the trích yếu: the lines under the type name as printed
	// ("Về việc …"), or for a công văn what follows "V/v".
	Subject string
	// Confidence is, per field, how sure the reading is, 0 to 1, under the
	// keys "doc_number", "date", "type", "agency" and "subject" (all always
	// present). For doc_number and date it is the lowest OCR confidence of
	// the number's digits and of the date's (each character's own where
	// Tesseract gave one, else its word's): at least 0.85 when certain,
	// at most 0.5 when flagged for review, 0 when not read. For the others
	// it is the mean OCR confidence of their words, lowered where the type
	// name and the symbol disagree or the type was inferred.
	Confidence map[string]float64
	// NeedsReview is true whenever the number or the date is not certain:
	// not found, unreadable, read with low confidence or with character
	// substitutions, handwritten into a blank, or contradicted by the type.
	NeedsReview bool
	// Review says why, in short Vietnamese sentences for the review queue.
	Review []string
	// Crops names, under CropNumber and CropDate, the work-bucket keys of
	// the crops of the blanks the number and the date were read from
	// (pipeline.Blank.Crop), for the review page; nil when there were none.
	Crops map[string]string `json:",omitempty"`
}

// Why a field needs review. Shown to archivists as they are.
const (
	reasonNoHeader     = "Không tìm thấy phần đầu văn bản"
	reasonNoNumber     = "Không tìm thấy số, ký hiệu văn bản"
	reasonNumMissing   = "Không đọc được số văn bản (số viết tay hoặc để trống)"
	reasonNumUnread    = "Số văn bản viết tay, OCR không đọc được (%q)"
	reasonNumLowConf   = "Số văn bản: OCR không chắc chắn (độ tin cậy %d%%)"
	reasonNumFixed     = "Số văn bản phải sửa ký tự OCR (%s)"
	reasonNoSlash      = "Không thấy dấu / giữa số và ký hiệu, không biết số là gì (OCR đọc %q)"
	reasonSlashGuess   = "Không thấy dấu / giữa số và ký hiệu: số %s là đoán, cần kiểm tra (OCR đọc %q)"
	reasonYearGlued    = "Số %s có thể gồm cả năm %d (OCR mất dấu /)"
	reasonNumGap       = "Số văn bản tách khỏi ký hiệu, có thể viết tay vào chỗ trống"
	reasonNumInk       = "Chữ số của số văn bản khác chữ in, có thể viết tay"
	reasonNumSplit     = "Số văn bản bị OCR tách rời"
	reasonNumNoRef     = "Không so được số văn bản với chữ in (có thể viết tay)"
	reasonNumStamp     = "Số văn bản nằm gần dấu công văn đến"
	reasonNumPlace     = "Số văn bản không ở vị trí thường lệ (bên trái, dưới tên cơ quan)"
	reasonSymUnread    = "Không đọc được ký hiệu văn bản"
	reasonSymLowConf   = "Ký hiệu văn bản: OCR không chắc chắn (độ tin cậy %d%%)"
	reasonSymDD        = "Ký hiệu văn bản: không rõ chữ D hay Đ (%s)"
	reasonSymFixed     = "Ký hiệu văn bản phải sửa ký tự OCR (%s)"
	reasonTypeMismatch = "Tên loại %s không khớp ký hiệu %s"
	reasonNoTypeAbbr   = "Ký hiệu %[2]s không có chữ viết tắt của tên loại %[1]s"
	reasonSymMended    = "Ký hiệu OCR đọc %s, đã sửa thành %s theo tên loại: cần kiểm tra"
	reasonNoTypeCheck  = "Không có tên loại hay V/v để đối chiếu ký hiệu %s"
	reasonYearFixed    = "Năm trong số ký hiệu phải sửa ký tự OCR (%s)"
	reasonYearMismatch = "Năm trong số ký hiệu (%s) khác năm ban hành (%d)"
	reasonNoDate       = "Không tìm thấy ngày tháng năm ban hành"
	reasonDayUnread    = "Không đọc được ngày ban hành (có thể viết tay)"
	reasonMonthUnread  = "Không đọc được tháng ban hành (có thể viết tay)"
	reasonYearUnread   = "Không đọc được năm ban hành"
	reasonDateInvalid  = "Ngày tháng không hợp lệ: ngày %s tháng %s năm %s"
	reasonDateFixed    = "Ngày tháng phải sửa ký tự OCR (%s)"
	reasonDateLowConf  = "Ngày tháng: OCR không chắc chắn (độ tin cậy %d%%)"
	reasonDateInk      = "Chữ số ngày tháng khác chữ in, có thể viết tay"
	reasonDateSplit    = "Ngày tháng bị OCR tách rời"
	reasonDateGap      = "Ngày viết vào chỗ trống, có thể viết tay"
)

// maxHeaderPages is how many pages are searched for the header: page 1,
// and page 2 when page 1 is a cover or routing slip without one.
const maxHeaderPages = 2

// Extract reads a document's identity from the OCR of its pages, in order.
// Only the header is read: on page 1, or on page 2 when page 1 has none.
// It never fails: what it cannot read it leaves empty and flags for review.
// Nil pages are skipped. Safe for concurrent use.
func Extract(pages []*pipeline.PageText) Meta {
	var first *reading
	seen := 0
	for _, pt := range pages {
		if pt == nil {
			continue
		}
		if seen++; seen > maxHeaderPages {
			break
		}
		r := read(newPage(pt))
		if first == nil {
			first = r
		}
		if r.found() {
			return r.meta()
		}
	}
	if first == nil {
		first = &reading{}
	}
	return first.meta()
}

// reading is what one page's header says, before it is judged.
type reading struct {
	pg      *page
	num     *numCand
	date    *dateLine
	dateRow int
	typ     *typeMatch
	agency  []word
	parent  []word
	subject []word
	vv      bool // the subject follows "V/v": a công văn
}

func (r *reading) found() bool { return r.num != nil || r.date != nil || r.typ != nil }

// read finds the parts of the header on one page.
func read(pg *page) *reading {
	r := &reading{pg: pg, dateRow: -1}
	cands := pg.numberCandidates()
	for i := range cands {
		c := &cands[i]
		if r.num == nil || c.score > r.num.score {
			r.num = c
		}
	}
	anchor := -1
	if r.num != nil {
		anchor = r.num.row
		r.findDateNear(r.num)
		if r.date == nil {
			r.findDateTop()
		}
	} else {
		r.findDateTop()
	}
	if r.dateRow > anchor {
		anchor = r.dateRow
	}
	if tm, ok := pg.typeRow(anchor); ok {
		r.typ = &tm
		r.subject = pg.subjectAfter(tm)
	}
	if anchor >= 0 && (r.typ == nil || r.typ.t.name == CongVan) {
		if vv := pg.vvSubject(anchor); len(vv) > 0 {
			r.subject, r.vv = vv, true
		}
	}
	top, gap := -1, 3
	switch {
	case r.num != nil:
		top = r.num.label.box.Y0
	case r.date != nil:
		top = pg.rows[r.dateRow].box.Y0
	case r.typ != nil:
		top, gap = r.typ.words[0].box.Y0, 6
	}
	if top >= 0 {
		r.parent, r.agency = splitParent(pg.agencyBlock(top, gap))
	}
	return r
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
		if d > 3*row.h {
			continue
		}
		// On another row the date must be in the right column: a "V/v …
		// ngày 10 tháng 3 năm 2020" under the number is not the date line.
		if dl, ok := findDateLine(x.words); ok && dl.thang.w.box.X0 >= pg.colX-x.h && (best < 0 || d < bestDist) {
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
		if x.box.Y0 > pg.h*4/10 {
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
		if _, _, ok := matchType(f, ws); ok && upperRatio(ws[:1]) >= 0.6 {
			return
		}
		d, ok := findDateLine(x.words)
		if !ok {
			continue
		}
		s := d.start()
		if s.box.X0 < pg.colX-2*x.h {
			continue
		}
		if i := indexOf(x.words, s); i > 0 && x.words[i-1].box.X1 > s.box.X0-2*x.h {
			continue
		}
		r.date, r.dateRow = &d, ri
		return
	}
}

// meta judges the reading and fills in a Meta.
func (r *reading) meta() Meta {
	m := Meta{Confidence: map[string]float64{"doc_number": 0, "date": 0, "type": 0, "agency": 0, "subject": 0}}
	var numReasons, dateReasons []string
	numCertain, dateCertain := false, false
	if !r.found() {
		m.NeedsReview = true
		m.Review = []string{reasonNoHeader}
		return m
	}

	// Date first: its printed year is the reference for printed digits.
	var dr dateResult
	var yearRef word
	haveRef := false
	if r.date != nil {
		dr = r.date.judge(r.pg)
		m.Date, m.Place = dr.iso, dr.place
		m.Confidence["date"] = dr.conf
		dateCertain = dr.certain
		dateReasons = dr.reasons
		_, yfix, yconf, yok := slot(r.date.year)
		yearRef, haveRef = typedReference(r.date.year, yconf, yfix, yok && len(r.date.year) == 1 && dr.year > 0)
	} else {
		dateReasons = []string{reasonNoDate}
	}

	// Type, and the cross-check of the symbol's type abbreviation.
	var p numberParts
	if r.num != nil {
		p = r.num.p
		p.segs = append([]string(nil), p.segs...)
	}
	mismatch := ""
	if r.typ != nil {
		t := r.typ.t
		for _, i := range p.typeSlots() {
			if abbrKey(p.segs[i]) == abbrKey(t.abbr) && t.abbr != "" {
				p.segs[i] = t.abbr
				p.ambiguous = without(p.ambiguous, i)
			}
		}
		idx, at := p.typeAbbr()
		c := meanConf(r.typ.words) / 100
		switch {
		case idx >= 0 && at.name != t.name:
			mismatch = fmt.Sprintf(reasonTypeMismatch, t.name, p.segs[idx])
			c = 0.3
		case idx < 0 && t.name != CongVan && p.symOK:
			// Every printed type has its abbreviation in the symbol; none
			// there means the symbol was misread (TIr-UBND for TTr-UBND).
			// One letter off the type's own: mended, for the reviewer.
			mismatch = fmt.Sprintf(reasonNoTypeAbbr, t.name, p.symbol())
			if i := p.typeSlots()[0]; editDistance(abbrKey(p.segs[i]), abbrKey(t.abbr)) <= 1 {
				mismatch = fmt.Sprintf(reasonSymMended, p.segs[i], t.abbr)
				p.segs[i] = t.abbr
				p.ambiguous = without(p.ambiguous, i)
			}
			c *= 0.8
		}
		m.Type, m.Confidence["type"] = t.name, c
	} else if r.vv {
		// Only a công văn has its trích yếu after "V/v"; its symbol may
		// still look like a type's (TTr is Thanh tra's as well as Tờ trình's).
		m.Type, m.Confidence["type"] = CongVan, 0.8
	} else if idx, at := p.typeAbbr(); idx >= 0 {
		m.Type, m.Confidence["type"] = at.name, 0.6
	} else if p.symOK {
		// No type name, no type abbreviation, no V/v: a công văn whose V/v
		// was lost, or a symbol misread; nothing to check the symbol by.
		m.Type, m.Confidence["type"] = CongVan, 0.5
		mismatch = fmt.Sprintf(reasonNoTypeCheck, p.symbol())
	}

	if r.num != nil {
		var conf float64
		conf, numCertain, numReasons = r.judgeNumber(p, yearRef, haveRef)
		if p.year == "" && len(p.number) >= 5 && dr.year > 0 && strings.HasSuffix(p.number, fmt.Sprint(dr.year)) {
			// "152020/QĐ-UBND": the slash between number and year lost.
			numCertain = false
			numReasons = append(numReasons, fmt.Sprintf(reasonYearGlued, p.number, dr.year))
		}
		if p.year != "" && dr.year > 0 && atoi(p.year) != dr.year {
			numCertain = false
			numReasons = append(numReasons, fmt.Sprintf(reasonYearMismatch, p.year, dr.year))
		} else if len(p.yearFixes) > 0 && !(dateCertain && atoi(p.year) == dr.year) {
			numCertain = false
			numReasons = append(numReasons, fmt.Sprintf(reasonYearFixed, strings.Join(p.yearFixes, ", ")))
		}
		if mismatch != "" {
			numCertain = false
			numReasons = append(numReasons, mismatch)
		}
		if !numCertain {
			conf = min(conf*0.6, 0.5)
		}
		m.DocNumber, m.Number, m.Symbol = p.docNumber(), p.number, p.symbol()
		m.Confidence["doc_number"] = conf
	} else {
		numReasons = []string{reasonNoNumber}
	}
	if m.DocNumber != "" && !validDocNumber(m.DocNumber) {
		// Cannot happen: the parser builds only canonical numbers. Kept so
		// that a bug shows up as a review, never as a wrong key.
		m.DocNumber, m.Number = "", ""
		numCertain = false
		numReasons = append(numReasons, reasonSymUnread)
	}

	if len(r.agency) > 0 {
		m.Agency = agencyText(r.agency)
		m.Confidence["agency"] = meanConf(r.agency) / 100
	}
	if len(r.parent) > 0 {
		m.Parent = agencyText(r.parent)
	}
	if len(r.subject) > 0 {
		m.Subject = subjectText(r.subject)
		m.Confidence["subject"] = meanConf(r.subject) / 100
	}

	m.NeedsReview = !numCertain || !dateCertain
	m.Review = dedupe(append(numReasons, dateReasons...))
	return m.nfc()
}

// judgeNumber decides whether the number and symbol were read with
// certainty. The number is the field most often handwritten into a blank;
// anything that suggests ink makes it uncertain.
func (r *reading) judgeNumber(p numberParts, ref word, haveRef bool) (conf float64, certain bool, reasons []string) {
	c := r.num
	flag := func(s string) { reasons = append(reasons, s) }
	if !p.symOK {
		flag(reasonSymUnread)
	}
	if p.slashLost && p.number != "" {
		flag(fmt.Sprintf(reasonSlashGuess, p.number, string(c.rs)))
	}
	if p.number == "" {
		switch {
		case p.slashLost:
			flag(fmt.Sprintf(reasonNoSlash, p.numRaw))
		case strings.Trim(p.numRaw, "._,:;") == "":
			flag(reasonNumMissing)
		default:
			flag(fmt.Sprintf(reasonNumUnread, p.numRaw))
		}
	}
	var numToks, symToks []int
	for i := p.numStart; i < p.numEnd && i < len(c.owner); i++ {
		numToks = appendUniq(numToks, c.owner[i])
	}
	for i := max(p.sepAt, 0); i < len(c.owner); i++ {
		symToks = appendUniq(symToks, c.owner[i])
	}
	symFrom := p.sepAt + 1
	if p.slashLost {
		symFrom = p.sepAt // no separator was read: the symbol starts there
	}
	numConf, symConf := c.confOf(p.numStart, p.numEnd, isDigitLike), c.confOf(symFrom, len(c.rs), isAlnum)
	if numConf < 0 {
		// Nothing like a digit was read: the words' own confidence.
		numConf = 100
		for _, i := range numToks {
			numConf = min(numConf, c.toks[i].w.conf)
		}
	}
	if symConf < 0 {
		symConf = 100
		for _, i := range symToks {
			symConf = min(symConf, c.toks[i].w.conf)
		}
	}
	if len(numToks) > 0 && c.toks[numToks[0]].w == c.label && p.sepAt >= 0 && c.owner[p.sepAt] != numToks[0] {
		// "Số:11 /CT-UBND": digits glued to the label but apart from the
		// symbol, where ink in the blank lands; their size cannot be
		// measured against print, so the word's own doubt counts too.
		numConf = min(numConf, c.label.conf)
	}
	if p.number != "" {
		if numConf < minNumberConf {
			flag(fmt.Sprintf(reasonNumLowConf, int(numConf)))
		}
		if len(p.numFixes) > 0 {
			flag(fmt.Sprintf(reasonNumFixed, strings.Join(p.numFixes, ", ")))
		}
		if len(numToks) > 1 {
			flag(reasonNumSplit)
		}
		last := numToks[len(numToks)-1]
		if p.sepAt >= 0 && last != c.owner[p.sepAt] {
			// The number is a word of its own: printed numbers are typed
			// against the slash; a gap is the blank left for ink.
			w, next := c.toks[last].w, c.toks[c.owner[p.sepAt]].w
			h := r.pg.rows[c.row].h
			if next.box.X0-w.box.X1 > h/2 {
				flag(reasonNumGap)
			}
			switch {
			case !haveRef:
				flag(reasonNumNoRef)
			case c.toks[last].w != c.label && r.pg.inky(w, ref):
				flag(reasonNumInk)
			}
		}
	}
	if r.pg.stampNear(c.label, r.pg.rows[c.row].h) {
		flag(reasonNumStamp)
	}
	if r.pg.motto && c.label.box.X0 >= r.pg.colX {
		flag(reasonNumPlace)
	}
	if p.symOK && symConf < minSymbolConf {
		flag(fmt.Sprintf(reasonSymLowConf, int(symConf)))
	}
	if p.symOK && len(p.symFixes) > 0 {
		flag(fmt.Sprintf(reasonSymFixed, strings.Join(p.symFixes, ", ")))
	}
	if len(p.ambiguous) > 0 {
		var segs []string
		for _, i := range p.ambiguous {
			segs = append(segs, p.segs[i])
		}
		flag(fmt.Sprintf(reasonSymDD, strings.Join(segs, ", ")))
	}
	if p.number == "" || !p.symOK {
		return 0, false, reasons
	}
	if len(reasons) > 0 {
		return min(numConf, symConf) / 100, false, reasons
	}
	return numConf / 100, true, nil
}

// confOf is the lowest confidence of the runes of the joined number and
// symbol in [from, to) that keep: each rune's own confidence where
// Tesseract gave one, else its word's. A word such as "316/QĐ-UBND" may
// score 49 as a whole while each of its digits scores 99: the digits are
// what the number is judged by. -1 when no rune in the range is kept.
func (c *numCand) confOf(from, to int, keep func(rune) bool) float64 {
	conf := -1.0
	for k := max(from, 0); k < to && k < len(c.rs) && k < len(c.owner); k++ {
		if !keep(c.rs[k]) {
			continue
		}
		rc := c.toks[c.owner[k]].w.runeConf(c.pos[k])
		if conf < 0 || rc < conf {
			conf = rc
		}
	}
	return conf
}

// isDigitLike reports a digit, or a letter that readDigits maps to one.
func isDigitLike(r rune) bool { return r >= '0' && r <= '9' || digitFixes[r] != 0 }

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// subjectText joins the trích yếu, without the "V/v" that opens a công
// văn's and with OCR's spaces before punctuation removed. A trích yếu
// that opens with "Về" followed by a word in lower case ("Về việc …",
// "Về tăng cường …") has it written so, whatever marks OCR put on it (Vẻ,
// Vể, VỀ).
func subjectText(ws []word) string {
	if len(ws) >= 2 && foldOne(ws[0].text) == "ve" && ws[0].text != "Về" && ws[0].text != "về" && lowerCount(ws[1].text) > 0 && strings.ToLower(ws[1].text) == ws[1].text {
		ws = append([]word{ws[0]}, ws[1:]...)
		ws[0].text = "Về"
	}
	s := joinWords(ws)
	for _, p := range []string{" :", " ,", " ;", " ."} {
		s = strings.ReplaceAll(s, p, p[1:])
	}
	return strings.TrimSpace(strings.TrimLeft(s, ".,;:-–— "))
}

func (m Meta) nfc() Meta {
	for _, s := range []*string{&m.DocNumber, &m.Number, &m.Symbol, &m.Date, &m.Place, &m.Type, &m.Agency, &m.Parent, &m.Subject} {
		*s = norm.NFC.String(*s)
	}
	for i := range m.Review {
		m.Review[i] = norm.NFC.String(m.Review[i])
	}
	return m
}

func without(xs []int, x int) []int {
	var out []int
	for _, v := range xs {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}

func appendUniq(xs []int, x int) []int {
	for _, v := range xs {
		if v == x {
			return xs
		}
	}
	return append(xs, x)
}

func dedupe(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
