package docmeta

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// numTok is one word of a "Số:" line's number and symbol, its runes
// normalised for the parser (one for one with the word's text).
type numTok struct {
	rs  []rune
	w   word
	off int // rune offset of rs in w.text: after the label in "Số:15/QĐ-UBND"
}

// numCand is a "Số:" label and the number and symbol that follow it.
type numCand struct {
	label word
	row   int
	toks  []numTok
	owner []int  // the token each rune of the joined text came from
	pos   []int  // and its rune offset in that token's word
	rs    []rune // the joined text
	p     numberParts
	end   word // the last word taken; the date is looked for after it
	score int
}

// numberCandidates finds every "Số:" in the upper half of the page that is
// followed by something with a slash: the document's own, and the
// incoming-mail stamp's when OCR gave that one a symbol-like tail.
func (pg *page) numberCandidates() []numCand {
	var out []numCand
	for ri, r := range pg.rows {
		if r.box.Y0 > pct(pg.h, numberZonePct) {
			break
		}
		for wi, w := range r.words {
			rest, ok := cutLabel(w.text, false)
			if !ok {
				// Beside large handwriting OCR reads the capital small
				// ("số:"); a citation in the text ("số 11/CT-TTg") has no
				// colon.
				rest, ok = cutLabel(w.text, true)
				if !ok || !strings.ContainsRune(w.text, ':') {
					continue
				}
			}
			c := pg.collect(pg.lineFrom(r, ri, wi), ri, 0, rest)
			if len(c.toks) == 0 {
				continue
			}
			var joined []rune
			for i, t := range c.toks {
				joined = append(joined, t.rs...)
				for k := range t.rs {
					c.owner = append(c.owner, i)
					c.pos = append(c.pos, t.off+k)
				}
			}
			c.rs = joined
			if containsRune(joined, '/') {
				c.p = parseNumber(joined)
			} else if k := slashLost(joined); k > 0 {
				// "206NQ-HĐND": OCR dropped the slash, or read it as a
				// digit ("2317NQ-HĐND" for 231/NQ-HĐND). The symbol is
				// worth showing. The digits are offered as the number when
				// they were read with confidence — OCR drops a slash set
				// tight against the symbol more often than it reads it as
				// a digit — and the number is always flagged.
				c.p = parseNumber(append([]rune{'/'}, joined[k:]...))
				c.p.number, c.p.numFixes, c.p.numRaw = "", nil, string(joined[:k])
				c.p.numStart, c.p.numEnd, c.p.sepAt = 0, k, k
				c.p.slashLost = true
				if d := string(joined[:k]); len(d) <= 6 && !allZeros(d) && c.confOf(0, k, isDigitLike) >= minNumberConf {
					c.p.number = d
				}
			} else {
				continue // "Số: 2352" — a registry number, no symbol
			}
			c.score = pg.scoreCand(c)
			out = append(out, c)
		}
	}
	return out
}

// slashLost returns where the symbol starts in a number and symbol whose
// slash OCR lost ("2317NQ-HĐND", "135UBND"): digits, then a letter, and a
// dash later or a known abbreviation as the whole symbol; 0 when that is
// not what it looks like.
func slashLost(rs []rune) int {
	k := 0
	for k < len(rs) && rs[k] >= '0' && rs[k] <= '9' {
		k++
	}
	if k == 0 || k == len(rs) || !(rs[k] >= 'A' && rs[k] <= 'Z' || rs[k] == 'Đ') {
		return 0
	}
	if containsRune(rs[k:], '-') {
		return k
	}
	key := abbrKey(strings.TrimRight(string(rs[k:]), ".,;:"))
	if _, ok := agencyByKey(key); ok || len(typeAbbrsByKey(key)) > 0 {
		return k
	}
	return 0
}

// lineFrom returns the words of row ri from word wi on, with the words of
// other rows on the same baseline to their right: OCR sometimes puts "Số:"
// and the number in lines of their own.
func (pg *page) lineFrom(r row, ri, wi int) row {
	w := r.words[wi]
	out := r
	out.words = append([]word(nil), r.words[wi:]...)
	cy := (w.box.Y0 + w.box.Y1) / 2
	for rj, o := range pg.rows {
		if rj == ri {
			continue
		}
		for _, x := range o.words {
			if x.box.X0 > w.box.X1 && abs((x.box.Y0+x.box.Y1)/2-cy) < pct(r.h, sameLinePct) {
				out.words = append(out.words, x)
			}
		}
	}
	sort.SliceStable(out.words, func(i, j int) bool { return out.words[i].box.X0 < out.words[j].box.X0 })
	return out
}

// collect takes the words after a "Số:" label that make up the number and
// symbol: anything short before the first slash (the number, or what OCR
// made of ink), then symbol words joined by slashes and dashes, up to the
// place name or a gap.
func (pg *page) collect(r row, ri, wi int, rest string) numCand {
	w := r.words[wi]
	c := numCand{label: w, row: ri, end: w}
	pre := 0
	if rest != "" {
		rs := normSymRunes(rest)
		c.toks = append(c.toks, numTok{rs, w, utf8.RuneCountInString(w.text) - len(rs)})
		if !strings.ContainsAny(rest, "/-") {
			pre++
		}
	}
	h := float64(r.h)
	prevX1 := w.box.X1
	for j := wi + 1; j < len(r.words); j++ {
		t := r.words[j]
		rs := normSymRunes(t.text)
		gap := float64(t.box.X0 - prevX1)
		hasSep := containsRune(rs, '/') || containsRune(rs, '-')
		switch {
		case symbolComplete(c.toks):
			last := c.toks[len(c.toks)-1].rs
			joined := rs[0] == '-' || rs[0] == '/' || last[len(last)-1] == '-' || last[len(last)-1] == '/'
			if gap > symbolGap*h || !joined || !symbolish(rs) {
				return c
			}
		case !hasSep:
			if gap > numberReach*h || pre >= maxPreSlashWords || len(rs) > maxPreSlashLen || lowerCount(t.text) >= proseLowerBefore {
				return c
			}
			pre++
		default:
			if gap > numberReach*h || lowerCount(t.text) >= proseLowerAfter {
				return c
			}
		}
		c.toks = append(c.toks, numTok{rs, t, 0})
		c.end = t
		prevX1 = t.box.X1
	}
	return c
}

// symbolComplete reports whether the tokens already hold a slash with a
// letter after it (or digits and a symbol whose slash OCR lost): what
// follows must then be joined to them by a dash or a slash, or it is not
// part of the symbol.
func symbolComplete(toks []numTok) bool {
	slash := false
	var all []rune
	for _, t := range toks {
		for _, r := range t.rs {
			if r == '/' {
				slash = true
			} else if slash && unicode.IsLetter(r) {
				return true
			}
		}
		all = append(all, t.rs...)
	}
	// The slash lost: "206NQ-HĐND" is a whole number and symbol too.
	return slashLost(all) > 0
}

func symbolish(rs []rune) bool {
	for _, r := range rs {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == 'Đ' || r == 'đ' || r == '/' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// scoreCand ranks "Số:" labels: the document's own sits in the left header
// column on the line of the date; a stamp's sits in a box with "ĐẾN",
// "Ngày:", "Chuyển:".
func (pg *page) scoreCand(c numCand) int {
	s := 0
	if c.label.box.X0 < pg.colX {
		s += scoreLeftColumn
	}
	if c.p.symOK {
		s += scoreSymbol
	}
	if c.p.number != "" {
		s += scoreNumber
	}
	r := pg.rows[c.row]
	if i := indexOf(r.words, c.end); i >= 0 {
		if _, ok := findDateLine(r.words[i+1:]); ok {
			s += scoreDateAfter
		}
	}
	if pg.stampNear(c.label, r.h) {
		s += scoreStamp
	}
	return s
}
