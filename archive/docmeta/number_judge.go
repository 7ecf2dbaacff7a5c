package docmeta

import (
	"fmt"
	"strings"
	"unicode"
)

// numberResult is a judged số và ký hiệu.
type numberResult struct {
	doc, number, symbol string // as Meta's DocNumber, Number and Symbol
	conf                float64
	certain             bool
	reasons             []string
}

// judgeNumber judges the number and symbol read (p, as judgeType left it)
// against the judged date and the type: mismatch is why the symbol does not
// agree with the type, "" when it does.
func (r *reading) judgeNumber(p numberParts, dr dateResult, mismatch string) numberResult {
	var conf float64
	var certain bool
	var reasons []string
	switch {
	case r.num != nil:
		conf, certain, reasons = r.judgeRead(p, dr.ref, dr.haveRef)
	case p.symOK:
		// OCR lost the "Số:" line; the symbol was read after the
		// number's blank (blankSymbol), and handNumber judges the rest.
		reasons = []string{reasonNoNumber}
	default:
		return numberResult{reasons: []string{reasonNoNumber}}
	}
	if p.year == "" && len(p.number) >= 5 && dr.year > 0 && strings.HasSuffix(p.number, fmt.Sprint(dr.year)) {
		// "152020/QĐ-UBND": the slash between number and year lost.
		certain = false
		reasons = append(reasons, fmt.Sprintf(reasonYearGlued, p.number, dr.year))
	}
	if p.year != "" && dr.year > 0 && atoi(p.year) != dr.year {
		certain = false
		reasons = append(reasons, fmt.Sprintf(reasonYearMismatch, p.year, dr.year))
	} else if len(p.yearFixes) > 0 && !(dr.certain && atoi(p.year) == dr.year) {
		certain = false
		reasons = append(reasons, fmt.Sprintf(reasonYearFixed, strings.Join(p.yearFixes, ", ")))
	}
	if mismatch != "" {
		certain = false
		reasons = append(reasons, mismatch)
	}
	if !certain {
		conf = min(conf*flaggedConfScale, flaggedConfMax)
	}
	res := numberResult{doc: p.docNumber(), number: p.number, symbol: p.symbol(), conf: conf, certain: certain, reasons: reasons}
	if res.doc != "" && !validDocNumber(res.doc) {
		// Cannot happen: the parser builds only canonical numbers. Kept so
		// that a bug shows up as a review, never as a wrong key.
		res.doc, res.number = "", ""
		res.certain = false
		res.reasons = append(res.reasons, reasonSymUnread)
	}
	return res
}

// judgeRead decides whether the number and symbol were read with
// certainty. The number is the field most often handwritten into a blank;
// anything that suggests ink makes it uncertain.
func (r *reading) judgeRead(p numberParts, ref word, haveRef bool) (conf float64, certain bool, reasons []string) {
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
		if len(p.number) == 1 {
			// NĐ 30 writes a number below 10 with its 0 ("Số: 05/TB-UBND");
			// one digit alone is more often a handwritten number OCR read
			// half of.
			flag(fmt.Sprintf(reasonNumShort, p.number))
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
			if next.box.X0-w.box.X1 > pct(h, numberBlankPct) {
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
	reasons = append(reasons, p.letterDoubts()...)
	if p.number == "" || !p.symOK {
		return 0, false, reasons
	}
	if len(reasons) > 0 {
		return min(numConf, symConf) / 100, false, reasons
	}
	return numConf / 100, true, nil
}

// letterDoubts are the doubts about the letters of a readable symbol:
// marks OCR put on them, and a D or Đ nothing decides.
func (p numberParts) letterDoubts() []string {
	var out []string
	if p.symOK && len(p.symFixes) > 0 {
		out = append(out, fmt.Sprintf(reasonSymFixed, strings.Join(p.symFixes, ", ")))
	}
	if len(p.ambiguous) > 0 {
		var segs []string
		for _, i := range p.ambiguous {
			segs = append(segs, p.segs[i])
		}
		out = append(out, fmt.Sprintf(reasonSymDD, strings.Join(segs, ", ")))
	}
	return out
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

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func appendUniq(xs []int, x int) []int {
	for _, v := range xs {
		if v == x {
			return xs
		}
	}
	return append(xs, x)
}
