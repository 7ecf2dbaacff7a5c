package docmeta

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/viet"
)

// The canonical số và ký hiệu, as DocNumber holds it:
//
//	state:  <number>/[<year>/]<segment>{-<segment>}   15/2020/QĐ-UBND, 123/UBND-VP, 157/QĐ-NĐ-UB
//	party:  <number>-<type>/<segment>{-<segment>}     123-QĐ/HU
//
// A number is 1 to 6 digits as printed (leading zeros kept, not all zeros);
// a year is 19xx or 20xx; a segment is an upper-case letter (A–Z, Đ)
// followed by letters and digits (TTr, QyĐ, TTg, BCĐ389); a party type is
// letters only. Segments are separated by '-' (or '/', in old symbols such
// as QĐ/UB). No spaces.
const (
	segRE = `[A-ZĐ][A-Za-zĐđ0-9]*`
	symRE = segRE + `(?:[-/]` + segRE + `)*`
)

var canonicalRE = regexp.MustCompile(`^[0-9]{1,6}(?:/(?:(?:19|20)[0-9]{2}/)?` + symRE + `|-[A-ZĐ][A-Za-zĐđ]*/` + symRE + `)$`)

// validDocNumber reports whether s is a canonical số và ký hiệu.
func validDocNumber(s string) bool {
	return canonicalRE.MatchString(s) && !allZeros(leadingDigits(s))
}

// ParseNumber canonicalises a số và ký hiệu as OCR or a person wrote it:
// "Số: 15 / 2020 / QD – UBND" → ("15", "2020/QĐ-UBND", true). An optional
// "Số"/"Số:" label (and its OCR variants S6:, Sô:) is skipped, spaces are
// removed, dashes unified, Ð (U+00D0) read as Đ, letters put in their
// canonical case (qđ-ubnd → QĐ-UBND, TTR → TTr, TTG → TTg) and the bar of Đ
// restored where the abbreviation leaves no doubt (QD → QĐ). Digit look-alikes
// in the number (O→0, l/I→1, S→5, b→6) are mapped too: ParseNumber says what
// the text most likely means, not whether it is certain — Extract decides that.
//
// symbol is everything after the number and its separator, the year of a
// legal document included, so that number and symbol together are the whole
// số và ký hiệu: number+"/"+symbol for state documents ("15", "2020/QĐ-UBND";
// "123", "UBND-VP") and number+"-"+symbol for party documents ("123",
// "QĐ/HU"). ok is false when no number or no symbol can be read.
func ParseNumber(s string) (number, symbol string, ok bool) {
	p := parseNumberText(s)
	if p.number == "" || !p.symOK {
		return "", "", false
	}
	return p.number, p.symbol(), true
}

// parseNumberText parses a số và ký hiệu written as text, label optional.
func parseNumberText(s string) numberParts {
	s = viet.Normalize(strings.ToValidUTF8(s, "\uFFFD"))
	fields := strings.Fields(s)
	if len(fields) > 0 {
		if rest, isLabel := cutLabel(fields[0], true); isLabel {
			fields[0] = rest
		}
	}
	var rs []rune
	for _, f := range fields {
		rs = append(rs, normSymRunes(f)...)
	}
	return parseNumber(rs)
}

// numberParts is a parsed số và ký hiệu with what it took to read it.
type numberParts struct {
	number   string   // canonical digits; "" when missing or unreadable
	numRaw   string   // the number slot as read
	numFixes []string // substitutions made in the number slot ("b→6")
	numStart int      // rune offsets of the number slot in the parsed input
	numEnd   int
	sepAt    int // rune offset of the separator after the number, -1 if none

	year      string   // "2020" for a legal document, else ""
	yearFixes []string // substitutions made in the year

	segs      []string // canonical symbol segments, year excluded
	seps      []rune   // separators between segs
	ambiguous []int    // indices of segs whose D or Đ OCR may have got wrong
	party     bool     // 123-QĐ/HU
	symOK     bool     // the symbol is readable and canonical
	slashLost bool     // OCR read the slash as something else: the number is unknown
	symFixes  []string // marks taken off letters of the symbol ("Ú→U")
}

// symbol is the canonical symbol: year (if any), then segments.
func (p numberParts) symbol() string {
	if !p.symOK {
		return ""
	}
	var b strings.Builder
	if p.year != "" {
		b.WriteString(p.year)
		b.WriteByte('/')
	}
	for i, s := range p.segs {
		if i > 0 {
			b.WriteRune(p.seps[i-1])
		}
		b.WriteString(s)
	}
	return b.String()
}

// docNumber is the canonical số và ký hiệu, "" unless both parts were read.
func (p numberParts) docNumber() string {
	if p.number == "" || !p.symOK {
		return ""
	}
	sep := "/"
	if p.party {
		sep = "-"
	}
	return p.number + sep + p.symbol()
}

// typeSlots are the indices of the segments that may hold the type
// abbreviation: the first, and the second in the old agency-first style
// (204/UB-QĐ-NĐ).
func (p numberParts) typeSlots() []int {
	if len(p.segs) == 0 {
		return nil
	}
	if !p.party && len(p.segs) > 1 && (p.segs[0] == "UB" || p.segs[0] == "UBND") {
		return []int{0, 1}
	}
	return []int{0}
}

// typeAbbr returns the index and type of the first type slot that holds a
// known type abbreviation, or -1.
func (p numberParts) typeAbbr() (int, docType) {
	for _, i := range p.typeSlots() {
		if t, ok := typeByAbbr(p.segs[i]); ok {
			return i, t
		}
	}
	return -1, docType{}
}

// digitFixes are the look-alikes that Tesseract reads for digits; they are
// mapped only in a digit slot.
var digitFixes = map[rune]rune{'O': '0', 'o': '0', 'l': '1', 'I': '1', '|': '1', 'S': '5', 's': '5', 'b': '6', 'B': '8'}

// letterFixes are digits read for letters; mapped only inside a letter
// segment, and only when that turns it into a known abbreviation.
var letterFixes = strings.NewReplacer("0", "O", "1", "I", "5", "S")

// isDigitLike reports a digit, or a letter that readDigits maps to one.
func isDigitLike(r rune) bool { return r >= '0' && r <= '9' || digitFixes[r] != 0 }

// readDigits reads a digit slot. ok is false when it holds something that is
// not a digit or a look-alike of one; an empty slot is not ok either.
func readDigits(rs []rune) (digits string, fixes []string, ok bool) {
	if len(rs) == 0 {
		return "", nil, false
	}
	var b strings.Builder
	for _, r := range rs {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case digitFixes[r] != 0:
			b.WriteRune(digitFixes[r])
			fixes = append(fixes, string(r)+"→"+string(digitFixes[r]))
		default:
			return "", nil, false
		}
	}
	return b.String(), fixes, true
}

// parseNumber parses normalised runes (no spaces, dashes as '-', Đ for Ð)
// of a số và ký hiệu without its label.
func parseNumber(rs []rune) numberParts {
	p := numberParts{sepAt: -1}
	start, end := 0, len(rs)
	for start < end && strings.ContainsRune(":;,._", rs[start]) {
		start++
	}
	for end > start && strings.ContainsRune(":;,._", rs[end-1]) {
		end--
	}
	slash, dash := -1, -1
	for i := start; i < end; i++ {
		if rs[i] == '/' && slash < 0 {
			slash = i
		}
		if rs[i] == '-' && dash < 0 {
			dash = i
		}
	}
	p.numStart = start
	if slash < 0 {
		p.numEnd = end
		p.numRaw = string(rs[start:end])
		p.number = number(rs[start:end], &p)
		return p
	}
	var sym []rune
	if dash > start && dash+1 < slash && lettersOnly(rs[dash+1:slash]) {
		p.party = true
		p.sepAt = dash
		sym = rs[dash+1 : end]
	} else {
		p.sepAt = slash
		sym = rs[slash+1 : end]
		if len(sym) > 5 && sym[4] == '/' {
			if y, fixes, ok := readDigits(sym[:4]); ok && (strings.HasPrefix(y, "19") || strings.HasPrefix(y, "20")) {
				p.year, p.yearFixes = y, fixes
				sym = sym[5:]
			}
		}
	}
	p.numEnd = p.sepAt
	p.numRaw = string(rs[start:p.sepAt])
	p.number = number(rs[start:p.sepAt], &p)
	p.parseSymbol(sym)
	return p
}

// number reads the number slot: trailing dots and underscores (a blank
// left for ink) are not part of it.
func number(rs []rune, p *numberParts) string {
	trimmed := []rune(strings.Trim(string(rs), "._,:;"))
	d, fixes, ok := readDigits(trimmed)
	if !ok || len(d) > 6 || allZeros(d) {
		return ""
	}
	p.numFixes = fixes
	return d
}

func (p *numberParts) parseSymbol(sym []rune) {
	var cur []rune
	var raw []string
	for _, r := range sym {
		if r == '-' || r == '/' {
			raw = append(raw, string(cur))
			p.seps = append(p.seps, r)
			cur = nil
			continue
		}
		cur = append(cur, r)
	}
	raw = append(raw, string(cur))
	for i, s := range raw {
		// A speck read as a dot against a dash: "CT-.UBND".
		raw[i] = strings.Trim(s, ".,")
		// A symbol has no tone or vowel marks ("ÚB" is UB): OCR's.
		var fixes []string
		raw[i], fixes = stripMarks(raw[i])
		p.symFixes = append(p.symFixes, fixes...)
	}
	if p.party && (len(p.seps) == 0 || p.seps[0] != '/') {
		return
	}
	oldStyle := !p.party && len(raw) > 1 && (abbrKey(raw[0]) == "UB" || abbrKey(raw[0]) == "UBND")
	for i, s := range raw {
		typeSlot := i == 0 || (i == 1 && oldStyle)
		c, amb, ok := canonSeg(s, typeSlot)
		if !ok {
			p.segs = nil
			return
		}
		// A symbol is printed in capitals: a segment OCR read in small
		// letters alone was misread ("/rp" for "/TP" beside a handwritten
		// number), whatever capitals it stands for.
		if c != s && strings.ToLower(s) == s {
			p.symFixes = append(p.symFixes, s+"→"+c)
		}
		// One look-alike letter from an office's abbreviation ("KIHT" for
		// KTHT): which it is, a person decides.
		if a, ok := nearAgency(c); ok && !typeSlot {
			p.symFixes = append(p.symFixes, c+"→"+a+"?")
		}
		if amb {
			p.ambiguous = append(p.ambiguous, i)
		}
		p.segs = append(p.segs, c)
	}
	p.symOK = true
}

// canonSeg puts one symbol segment in canonical form. In a type slot a
// known type abbreviation wins (QD → QĐ, TTR → TTr); elsewhere a known agency
// abbreviation does (UBNÐ → UBND, HDND → HĐND, TTG → TTg). ambiguous is true
// when OCR may have dropped or added the bar of Đ and nothing here decides
// it (HD Hướng dẫn / HĐ Hợp đồng; a D elsewhere that an Đ would make an
// abbreviation).
func canonSeg(s string, typeSlot bool) (out string, ambiguous, ok bool) {
	if s == "" {
		return "", false, false
	}
	hasUpper, hasLetter, hasDigit := false, false, false
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z' || r == 'Đ':
			hasUpper, hasLetter = true, true
		case r >= 'a' && r <= 'z' || r == 'đ':
			hasLetter = true
		case r >= '0' && r <= '9':
			hasDigit = true
		default:
			return "", false, false
		}
	}
	if !hasLetter {
		return "", false, false
	}
	if !hasUpper {
		s = strings.ToUpper(s)
	}
	key := abbrKey(s)
	out, ambiguous, found := lookupAbbr(s, key, typeSlot)
	if !found && hasDigit {
		if k := letterFixes.Replace(key); k != key {
			out, ambiguous, found = lookupAbbr(letterFixes.Replace(s), k, typeSlot)
		}
	}
	if !found {
		out = s
	}
	r := []rune(out)[0]
	if !(r >= 'A' && r <= 'Z' || r == 'Đ') {
		return "", false, false
	}
	return out, ambiguous, true
}

// nearAgency is the known agency abbreviation one look-alike letter from
// seg (lookAlikes), when seg is none itself.
func nearAgency(seg string) (string, bool) {
	key := abbrKey(seg)
	if _, ok := agencyByKey(key); ok {
		return "", false
	}
	for _, a := range knownAgencies {
		if lookAlike(key, abbrKey(a)) {
			return a, true
		}
	}
	return "", false
}

func lookupAbbr(s, key string, typeSlot bool) (out string, ambiguous, found bool) {
	types := typeAbbrsByKey(key)
	if typeSlot {
		switch len(types) {
		case 1:
			return types[0], false, true
		case 0:
		default:
			return pickAsRead(s, types), true, true
		}
	}
	if a, ok := agencyByKey(key); ok {
		return a, false, true
	}
	if len(types) > 0 {
		// A type abbreviation outside a type slot (QĐ-NĐ-UB): keep it as
		// read; but a D there may be an Đ that lost its bar (ND for NĐ).
		read := pickAsRead(s, types)
		amb := false
		for _, t := range types {
			amb = amb || t != read && strings.Contains(t, "Đ")
		}
		return read, amb, true
	}
	return "", false, false
}

// pickAsRead returns the candidate whose D or Đ is the one OCR read, or s
// upper-cased when none is.
func pickAsRead(s string, cands []string) string {
	for _, c := range cands {
		if strings.EqualFold(c, s) {
			return c
		}
	}
	for _, c := range cands {
		if strings.ToUpper(c) == strings.ToUpper(s) {
			return c
		}
	}
	return strings.ToUpper(s)
}

// abbrKey is the form under which abbreviations are compared when OCR may
// have lost the case or the bar of Đ: upper case, Đ as D.
func abbrKey(s string) string {
	return strings.ToUpper(strings.NewReplacer("Đ", "D", "đ", "d").Replace(s))
}

// stripMarks takes the tone and vowel marks off the letters of a symbol
// segment in capitals (ÚB→UB, which OCR reads), leaving a segment with
// lower-case letters as it is ("Ủy" is a word); Đ is a letter of its own.
func stripMarks(s string) (string, []string) {
	if lowerCount(s) > 0 {
		return s, nil // a word ("Ủy"), not an abbreviation OCR marked
	}
	var fixes []string
	rs := []rune(s)
	for i, r := range rs {
		if r < 0x80 || r == 'Đ' || r == 'đ' || !unicode.IsLetter(r) {
			continue
		}
		base := []rune(norm.NFD.String(string(r)))[0]
		if base < 0x80 && unicode.IsLetter(base) {
			fixes = append(fixes, string(r)+"→"+string(base))
			rs[i] = base
		}
	}
	if fixes == nil {
		return s, nil
	}
	return string(rs), fixes
}

// cutLabel recognises the "Số" label of a số và ký hiệu as printed and as
// OCR reads it (Số:, Số, Sô:, S6:, Sồ:, Sôi — the colon read as i), and
// returns what follows it inside the same word (Số:15/QĐ-UBND). lower allows
// a lower-case "số", for text typed by a person.
func cutLabel(w string, lower bool) (rest string, ok bool) {
	rs := []rune(w)
	if len(rs) < 2 || !(rs[0] == 'S' || lower && rs[0] == 's') || !strings.ContainsRune(oLike, rs[1]) {
		return "", false
	}
	i := 2
	for i < len(rs) && strings.ContainsRune(":;.,", rs[i]) {
		i++
	}
	// A colon read as i, ! or | at the end of the word: "Sôi".
	if i == 2 && len(rs) == 3 && strings.ContainsRune("i!|", rs[2]) {
		i = 3
	}
	return string(rs[i:]), true
}

// oLike are the letters OCR reads for the ố of "Số".
const oLike = "oóòỏõọôốồổỗộơớờởỡợOÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢ06"

// normSymRunes maps what a word of a số và ký hiệu may contain onto the
// parser's alphabet, one rune for one rune: look-alike dashes and slashes,
// Ð for Đ.
func normSymRunes(w string) []rune {
	rs := []rune(w)
	for i, r := range rs {
		switch r {
		case '–', '—', '‐', '‑', '‒', '−', '﹣', '－':
			rs[i] = '-'
		case '／', '⁄', '∕':
			rs[i] = '/'
		case 'Ð', 'Ɖ':
			rs[i] = 'Đ'
		case 'ð', 'ɖ':
			rs[i] = 'đ'
		}
	}
	return rs
}

func lettersOnly(rs []rune) bool {
	for _, r := range rs {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == 'Đ' || r == 'đ') {
			return false
		}
	}
	return len(rs) > 0
}

func allZeros(d string) bool {
	return d != "" && strings.Trim(d, "0") == ""
}

func leadingDigits(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) })
	if i < 0 {
		return s
	}
	return s[:i]
}

// atoi parses a digit string known to be short.
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}
