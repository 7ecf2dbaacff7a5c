package docmeta

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sohoa/sohoa/pipeline"
)

// Context is what Extract may know of a document besides its pages, to
// check a date read by hand against: Taken, when the file was taken from
// the inbox (a document is not dated after it was scanned), and Signed,
// the earliest signing time of the digital signatures the original
// carries (an agency signs on or after the document's date). Zero times
// are unknown and check nothing. They are never the source of a date.
type Context struct {
	Taken  time.Time
	Signed time.Time
}

// vietnam is the time zone documents are dated in.
var vietnam = time.FixedZone("ICT", 7*3600)

// Reasons of the handwriting reader, shown to archivists.
const (
	reasonHandUnsure      = "%s viết tay đọc là %s nhưng chưa chắc chắn (độ tin cậy %d%%)"
	reasonHandDoubt       = "%s viết tay: %s"
	reasonHandTess        = "%s viết tay: mô hình chữ số đọc %s, Tesseract đọc %s"
	reasonHandNone        = "%s viết tay: không đọc được chữ số nào"
	reasonHandShort       = "Số viết tay chỉ có một chữ số %s (số dưới 10 có số 0 đứng trước): có thể thiếu một chữ số"
	reasonHandZero        = "Số viết tay %s bắt đầu bằng 0 mà không dưới 10"
	reasonHandTypedNum    = "Số in OCR đọc %s, chữ số trong chỗ trống đọc %s"
	reasonHandTyped       = "%s: OCR đọc %s, chữ số trong chỗ trống đọc %s"
	reasonHandFuture      = "Ngày ban hành %s sau ngày nhận văn bản %s"
	reasonHandSigned      = "Ngày ban hành %s sau ngày ký số %s"
	reasonHandDayLead     = "Ngày viết tay chỉ có một chữ số %s (ngày dưới 10 có số 0 đứng trước): có thể thiếu một chữ số"
	reasonHandMonLead     = "Tháng viết tay chỉ có một chữ số %s (tháng 1, 2 viết là 01, 02): có thể thiếu một chữ số"
	reasonHandRange       = "%s viết tay đọc là %s: không có %s như vậy"
	reasonHandSymbol      = "Ký hiệu: OCR cả dòng đọc %s, đọc riêng đọc %s"
	reasonHandYear        = "Năm: OCR cả dòng đọc %s, đọc riêng đọc %s"
	reasonHandBeforeSlash = "Số văn bản viết tay: có nét ngay trước dấu / (đọc riêng được %q), có thể thiếu một chữ số"
)

// Names of the fields in those reasons.
const (
	handNumber = "Số văn bản"
	handDay    = "Ngày"
	handMonth  = "Tháng"
)

// symbolReasons are the doubts about the symbol as OCR read it on the
// "Số:" line, which the symbol read on its own after the blank replaces.
var symbolReasons = []string{reasonNoNumber, reasonSymUnread, reasonSymLowConf, reasonSymFixed, reasonSymDD}

// digitReasons are the doubts about the number's digits that a sure
// reading of its blank by hand settles; every other doubt (the symbol,
// the stamp, the place, the type, the year) stands.
var digitReasons = []string{
	reasonNumMissing, reasonNumUnread, reasonNumLowConf, reasonNumFixed, reasonNumGap,
	reasonNumInk, reasonNumSplit, reasonNumShort, reasonNumNoRef, reasonNoSlash, reasonSlashGuess, reasonYearGlued,
}

// isReasonIn tells whether reason is one of list, whose arguments vary:
// compared up to the first verb.
func isReasonIn(reason string, list []string) bool {
	for _, f := range list {
		if i := strings.IndexByte(f, '%'); i >= 0 && strings.HasPrefix(reason, f[:i]) || reason == f {
			return true
		}
	}
	return false
}

// blankOn returns the blank of field read on the page whose box meets the
// row's, nearest to x (nil if none).
func (pg *page) blankOn(field string, rowBox pipeline.Box, x int) *pipeline.Blank {
	var best *pipeline.Blank
	bestD := 0
	for i := range pg.blanks {
		b := &pg.blanks[i]
		if b.Field != field || b.Box.Y1 <= rowBox.Y0 || b.Box.Y0 >= rowBox.Y1 {
			continue
		}
		d := abs(b.Box.X0 - x)
		if best == nil || d < bestD {
			best, bestD = b, d
		}
	}
	return best
}

// handVerdict judges a blank's reading by hand: sure when every digit was
// read with at least minHandProb, no mark in the blank was left unread, and
// Tesseract, reading the same marks, read the same digits or none — or
// the model was sure of every digit beyond tessOverruled. It returns the
// doubts.
func handVerdict(b *pipeline.Blank, name string) (conf float64, reasons []string) {
	if b.Digits == "" {
		if b.Doubt != "" {
			return 0, []string{fmt.Sprintf(reasonHandDoubt, name, b.Doubt)}
		}
		return 0, []string{fmt.Sprintf(reasonHandNone, name)}
	}
	conf = 1
	for _, p := range b.Probs {
		conf = min(conf, p)
	}
	if len(b.Probs) != len(b.Digits) {
		conf = 0
	}
	if conf < minHandProb {
		reasons = append(reasons, fmt.Sprintf(reasonHandUnsure, name, b.Digits, int(conf*100)))
	}
	if b.Doubt != "" {
		reasons = append(reasons, fmt.Sprintf(reasonHandDoubt, name, b.Doubt))
	}
	if b.Tesseract != "" && b.Tesseract != b.Digits && conf < tessOverruled {
		reasons = append(reasons, fmt.Sprintf(reasonHandTess, name, b.Digits, b.Tesseract))
	}
	return conf, reasons
}

// numberBlank is the blank of the number: the one on the "Số:" line the
// number was read from, or, when OCR lost that line's label, the page's
// first (hand.Find found its "Số" and symbol); nil if none.
func (r *reading) numberBlank() *pipeline.Blank {
	if r.num != nil {
		return r.pg.blankOn(pipeline.BlankNumber, r.pg.rows[r.num.row].box, r.num.label.box.X1)
	}
	for i := range r.pg.blanks {
		if r.pg.blanks[i].Field == pipeline.BlankNumber {
			return &r.pg.blanks[i]
		}
	}
	return nil
}

// blankSym is the symbol read on its own after a number's blank, as
// blankSymbol took it: line is the symbol OCR read on the "Số:" line when
// the two differ ("" when it read none), conf the reading's confidence;
// used is false when the line's symbol stands.
type blankSym struct {
	used bool
	line string
	conf float64
	// weak is the symbol read on its own when it differs from the line's
	// (not by a hyphen only) but was read too poorly to take its place:
	// the line's stands, in doubt.
	weak string
}

// blankSymbol takes the symbol that Tesseract read on its own after the
// number's blank (Blank.Symbol) in place of the one OCR read on the whole
// "Số:" line, when that one is unreadable, lost, or different: beside
// large handwriting OCR garbles the print of the line ("/8C-UBND",
// "/BCHĐND"), and a crop of the print alone reads as print reads. The
// blank must hold digits: a typed number's line is read well.
func (r *reading) blankSymbol(p numberParts, b *pipeline.Blank) (numberParts, blankSym) {
	if b == nil || b.Symbol == "" || b.Digits == "" {
		return p, blankSym{}
	}
	rs := normSymRunes(strings.Join(strings.Fields(b.Symbol), ""))
	k := slices.Index(rs, '/')
	if k < 0 {
		return p, blankSym{}
	}
	bp := parseNumber(append([]rune(b.Digits), rs[k:]...))
	lineOK := r.num != nil && p.symOK && !p.slashLost
	// A symbol the line read well stands against one read after the
	// blank with less than the confidence a symbol needs.
	if !bp.symOK || lineOK && (p.symbol() == bp.symbol() || rereadSlip(p.symbol(), bp.symbol())) {
		return p, blankSym{}
	}
	// One read too poorly to take the line's place leaves it in doubt,
	// unless the two agree but for a hyphen, which the line lost.
	if lineOK && b.SymbolConf < minSymbolConf && !sameLetters(p.symbol(), bp.symbol()) {
		return p, blankSym{line: p.symbol(), weak: bp.symbol()}
	}
	bs := blankSym{used: true, conf: b.SymbolConf}
	if lineOK {
		bs.line = p.symbol()
	}
	p.year, p.yearFixes, p.segs, p.seps = bp.year, bp.yearFixes, bp.segs, bp.seps
	p.ambiguous, p.party, p.symOK, p.symFixes, p.slashLost = bp.ambiguous, bp.party, true, bp.symFixes, false
	return p, bs
}

// doubts are the doubts about a symbol read after the blank, p as the
// type's name left it.
func (bs blankSym) doubts(p numberParts) []string {
	var out []string
	// The type's name may have mended the two alike; the line may have
	// lost only a hyphen beside the handwriting (BCHĐND for BC-HĐND).
	if bs.line != "" && !sameLetters(bs.line, p.symbol()) && !strayBefore(bs.line, p.symbol()) {
		out = append(out, fmt.Sprintf(reasonHandSymbol, bs.line, p.symbol()))
	}
	if bs.conf < minSymbolConf {
		out = append(out, fmt.Sprintf(reasonSymLowConf, int(bs.conf)))
	}
	return append(out, p.letterDoubts()...)
}

// inkBeforeSlash is what the symbol read on its own (Blank.Symbol) has
// before its slash that is more than a dot or a quote: its crop starts a
// little before the slash, and a letter or digit there is a piece of a
// digit the blank's reading may have left out (on generated headers,
// "S/TB-UBND" for a 305 read 30). "" when nothing is.
func inkBeforeSlash(sym string) string {
	k := strings.IndexRune(sym, '/')
	if k <= 0 {
		return ""
	}
	pre := strings.TrimSpace(sym[:k])
	if strings.Trim(pre, ".,:;'`_’‘“”\"›‹ ") == "" {
		return ""
	}
	return pre
}

// rereadSlip: the symbol read on its own (alone) is the line's (line)
// with a slip Tesseract makes on a crop of print: a letter doubled or
// tripled (NNQ-HĐND, QĐĐĐ-UBND; two letters more at most) or taken for
// its look-alike (TIr-GDĐT). The line's reading stands.
func rereadSlip(line, alone string) bool {
	a, b := []rune(abbrKey(strings.ReplaceAll(line, "-", ""))), []rune(abbrKey(strings.ReplaceAll(alone, "-", "")))
	if extra := len(b) - len(a); extra == 1 || extra == 2 {
		i := 0
		for j := range b {
			switch {
			case i < len(a) && b[j] == a[i]:
				i++
			case j > 0 && b[j] == b[j-1]:
			default:
				return false
			}
		}
		return i == len(a)
	}
	return lookAlike(string(a), string(b))
}

// strayBefore: the line's reading of a symbol is the one read on its own
// (alone) after a mark or two and a slash ("E/KH-UBND" for KH-UBND): OCR
// read a piece of the handwriting, and the slash before the symbol, into
// the symbol. No symbol opens with one letter and a slash.
func strayBefore(line, alone string) bool {
	rs := []rune(line)
	k := slices.Index(rs, '/')
	return k >= 1 && k <= 2 && sameLetters(string(rs[k+1:]), alone)
}

// sameLetters: two readings of a symbol that differ by hyphens at most.
func sameLetters(a, b string) bool {
	return strings.ReplaceAll(a, "-", "") == strings.ReplaceAll(b, "-", "")
}

// handNumber mends the judged number with the reading of its blank b by
// hand, when OCR could not make it certain: the blank's digits become the
// number, certain when the reading is sure, the number is well formed
// (two digits at least, a leading zero only below 10) and nothing else
// about the number was in doubt. A number OCR read with certainty stays,
// but a sure reading of the blank that contradicts it puts it in review.
// bs tells whether the symbol was read after the blank (blankSymbol).
func (r *reading) handNumber(p numberParts, b *pipeline.Blank, bs blankSym, nr numberResult) numberResult {
	if b == nil {
		return nr
	}
	r.crops = setCrop(r.crops, CropNumber, b.Crop)
	conf, doubts := handVerdict(b, handNumber)
	if nr.certain && !bs.used {
		// Digits in the blank that are not those OCR read as print: one of
		// the two readings is wrong, and OCR reads handwriting as print
		// with confidence more often than the model reads print wrong.
		if b.Digits != "" && b.Digits != nr.number {
			nr.certain = false
			nr.conf = min(nr.conf*flaggedConfScale, flaggedConfMax)
			nr.reasons = append(nr.reasons, fmt.Sprintf(reasonHandTypedNum, nr.number, b.Digits))
		}
		if bs.weak != "" {
			nr.certain = false
			nr.conf = min(nr.conf*flaggedConfScale, flaggedConfMax)
			nr.reasons = append(nr.reasons, fmt.Sprintf(reasonHandSymbol, bs.line, bs.weak))
		}
		return nr
	}
	if b.Digits == "" || !p.symOK {
		// Without a symbol there is no số và ký hiệu; the digits are still
		// the reviewer's best start.
		if b.Digits != "" {
			nr.number = b.Digits
		}
		nr.reasons = append(nr.reasons, doubts...)
		return nr
	}
	if pre := inkBeforeSlash(b.Symbol); pre != "" {
		doubts = append(doubts, fmt.Sprintf(reasonHandBeforeSlash, pre))
	}
	switch {
	case len(b.Digits) == 1:
		doubts = append(doubts, fmt.Sprintf(reasonHandShort, b.Digits))
	case b.Digits[0] == '0' && (len(b.Digits) > 2 || b.Digits == "00"):
		doubts = append(doubts, fmt.Sprintf(reasonHandZero, b.Digits))
	}
	var keep []string
	for _, reason := range nr.reasons {
		if !isReasonIn(reason, digitReasons) && !(bs.used && isReasonIn(reason, symbolReasons)) {
			keep = append(keep, reason)
		}
	}
	if bs.used {
		keep = append(keep, bs.doubts(p)...)
	} else if bs.weak != "" {
		keep = append(keep, fmt.Sprintf(reasonHandSymbol, bs.line, bs.weak))
	}
	if r.num == nil {
		// The "Số:" OCR lost: where the blank is must do for where the
		// label is.
		at := word{box: b.Box}
		if r.pg.stampNear(at, (b.Box.Y1-b.Box.Y0)/3) {
			keep = append(keep, reasonNumStamp)
		}
		if b.Box.X0 >= r.pg.colX {
			keep = append(keep, reasonNumPlace)
		}
	}
	p.number = b.Digits
	nr.number, nr.doc, nr.symbol = p.number, p.docNumber(), p.symbol()
	nr.reasons = append(keep, doubts...)
	nr.certain = len(nr.reasons) == 0 && validDocNumber(nr.doc)
	nr.conf = conf
	if !nr.certain {
		nr.conf = min(conf*flaggedConfScale, flaggedConfMax)
	}
	return nr
}

// handDate mends the judged date with the readings of its blanks by hand
// (the day, and the month when it was written too), when OCR could not
// make it certain. The year must be printed and read with certainty; a
// day or month printed and read with certainty is kept; the others are
// taken from their blanks. The date is certain when every part is, it is a
// real date, not after the document was taken in nor after it was signed.
func (r *reading) handDate(dr dateResult, ctx Context) dateResult {
	if r.date == nil || r.dateRow < 0 {
		return dr
	}
	d := r.date
	rb := r.pg.rows[r.dateRow].box
	dayB := r.pg.blankOn(pipeline.BlankDay, rb, d.thang.w.box.X0)
	monB := r.pg.blankOn(pipeline.BlankMonth, rb, d.thang.w.box.X1)
	if dayB == nil && monB == nil {
		return dr
	}
	crop := dayB
	if crop == nil {
		crop = monB
	}
	r.crops = setCrop(r.crops, CropDate, crop.Crop)
	yr, yfix, yconf, yok := slot(d.year)
	if !yok || len(yr) != 4 || len(yfix) > 0 || yconf < minDateConf || dr.year == 0 {
		return dr // the year is not printed and certain: nothing to check by
	}
	var reasons []string
	// The year read again on its own, after the blank beside it: another
	// year says the line's reading was thrown by the handwriting.
	for _, b := range []*pipeline.Blank{monB, dayB} {
		if b != nil && len(b.Year) == 4 && b.YearConf >= minYearReread {
			if b.Year != yr {
				reasons = append(reasons, fmt.Sprintf(reasonHandYear, yr, b.Year))
			}
			break
		}
	}
	part := func(ps []piece, b *pipeline.Blank, name string, lo, hi int, gap bool) (string, bool) {
		v, fixes, conf, ok := slot(ps)
		typed := ok && len(fixes) == 0 && conf >= minDateConf && len(ps) == 1 && ps[0].whole &&
			!(dr.haveRef && r.pg.anyInky(ps, dr.ref)) && !gap
		if typed && atoi(v) >= lo && atoi(v) <= hi {
			if b != nil && len(b.Digits) > 0 && atoi(b.Digits) != atoi(v) {
				reasons = append(reasons, fmt.Sprintf(reasonHandTyped, name, v, b.Digits))
				return v, false
			}
			return v, true
		}
		if b == nil || b.Digits == "" {
			if b != nil {
				_, ds := handVerdict(b, name)
				reasons = append(reasons, ds...)
			}
			if ok && atoi(v) >= lo && atoi(v) <= hi {
				reasons = append(reasons, fmt.Sprintf(reasonHandNone, name))
				return v, false
			}
			reasons = append(reasons, fmt.Sprintf(reasonHandNone, name))
			return "", false
		}
		_, ds := handVerdict(b, name)
		reasons = append(reasons, ds...)
		n := atoi(b.Digits)
		if len(b.Digits) > 2 || n < lo || n > hi {
			reasons = append(reasons, fmt.Sprintf(reasonHandRange, name, b.Digits, strings.ToLower(name)))
			return "", false
		}
		// NĐ 30 writes a day below 10 with its 0 (ngày 05) and the months
		// 1 and 2 as 01 and 02: one digit alone is a digit lost as often
		// as a 0 left out (a 1 too thin to see before a 6, the second
		// digit of 1x, 2x, 3x in the print beside it).
		switch {
		case len(b.Digits) == 1 && name == handDay:
			reasons = append(reasons, fmt.Sprintf(reasonHandDayLead, b.Digits))
		case len(b.Digits) == 1 && name == handMonth && n <= 2:
			reasons = append(reasons, fmt.Sprintf(reasonHandMonLead, b.Digits))
		}
		return b.Digits, len(ds) == 0
	}
	day, dayOK := part(d.day, dayB, handDay, 1, 31, d.blank(r.pg))
	mon, monOK := part(d.month, monB, handMonth, 1, 12, false)
	if day == "" || mon == "" {
		// A blank that reads as no day or month at all (71, nothing)
		// leaves OCR's reading of the line — which read it glued to
		// "ngày" as print, "ngày3," — in doubt.
		dr.reasons = dedupe(append(dr.reasons, reasons...))
		if len(reasons) > 0 && dr.certain {
			dr.certain = false
			dr.conf = min(dr.conf*flaggedConfScale, flaggedConfMax)
		}
		return dr
	}
	t := time.Date(dr.year, time.Month(atoi(mon)), atoi(day), 0, 0, 0, 0, time.UTC)
	if t.Day() != atoi(day) || int(t.Month()) != atoi(mon) {
		dr.reasons = dedupe(append(dr.reasons, fmt.Sprintf(reasonDateInvalid, day, mon, yr)))
		dr.certain, dr.iso = false, ""
		return dr
	}
	iso := t.Format("2006-01-02")
	if !ctx.Taken.IsZero() && iso > ctx.Taken.In(vietnam).Format("2006-01-02") {
		reasons = append(reasons, fmt.Sprintf(reasonHandFuture, iso, ctx.Taken.In(vietnam).Format("2006-01-02")))
	}
	if !ctx.Signed.IsZero() && iso > ctx.Signed.In(vietnam).Format("2006-01-02") {
		reasons = append(reasons, fmt.Sprintf(reasonHandSigned, iso, ctx.Signed.In(vietnam).Format("2006-01-02")))
	}
	dr.iso = iso
	dr.reasons = dedupe(reasons)
	dr.certain = dayOK && monOK && len(reasons) == 0
	conf := yconf / 100
	for _, b := range []*pipeline.Blank{dayB, monB} {
		if b != nil && b.Digits != "" {
			c, _ := handVerdict(b, "")
			conf = min(conf, c)
		}
	}
	dr.conf = conf
	if !dr.certain {
		dr.conf = min(conf*flaggedConfScale, flaggedConfMax)
	}
	return dr
}

// headerCrops completes the crops of the blanks the number and the date
// were read from with the page's first number blank and its first day (or
// else month) blank, for the reviewer, when the reading matched none of
// them (OCR lost the "Số:" or the date line); nil when there are none.
func (pg *page) headerCrops(crops map[string]string) map[string]string {
	for _, field := range []string{pipeline.BlankNumber, pipeline.BlankDay, pipeline.BlankMonth} {
		name := CropDate
		if field == pipeline.BlankNumber {
			name = CropNumber
		}
		for _, b := range pg.blanks {
			if b.Field == field && crops[name] == "" {
				crops = setCrop(crops, name, b.Crop)
			}
		}
	}
	return crops
}

// setCrop names the crop of a blank, when the worker kept one.
func setCrop(crops map[string]string, name, key string) map[string]string {
	if key == "" {
		return crops
	}
	if crops == nil {
		crops = map[string]string{}
	}
	crops[name] = key
	return crops
}
