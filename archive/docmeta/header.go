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
		if r.box.Y0 > pg.h*55/100 {
			break
		}
		for wi, w := range r.words {
			rest, ok := cutLabel(w.text, false)
			if !ok {
				continue
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
			if x.box.X0 > w.box.X1 && abs((x.box.Y0+x.box.Y1)/2-cy) < r.h/2 {
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
			if gap > 1.5*h || !joined || !symbolish(rs) {
				return c
			}
		case !hasSep:
			if gap > 10*h || pre >= 3 || len(rs) > 8 || lowerCount(t.text) >= 2 {
				return c
			}
			pre++
		default:
			if gap > 10*h || lowerCount(t.text) >= 3 {
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

func containsRune(rs []rune, x rune) bool {
	for _, r := range rs {
		if r == x {
			return true
		}
	}
	return false
}

// scoreCand ranks "Số:" labels: the document's own sits in the left header
// column on the line of the date; a stamp's sits in a box with "ĐẾN",
// "Ngày:", "Chuyển:".
func (pg *page) scoreCand(c numCand) int {
	s := 0
	if c.label.box.X0 < pg.colX {
		s += 4
	}
	if c.p.symOK {
		s += 2
	}
	if c.p.number != "" {
		s++
	}
	r := pg.rows[c.row]
	if i := indexOf(r.words, c.end); i >= 0 {
		if _, ok := findDateLine(r.words[i+1:]); ok {
			s += 2
		}
	}
	if pg.stampNear(c.label, r.h) {
		s -= 6
	}
	return s
}

func indexOf(ws []word, w word) int {
	for i, x := range ws {
		if x == w {
			return i
		}
	}
	return -1
}

// stampNear reports whether the words around w are those of an
// incoming-mail stamp.
func (pg *page) stampNear(w word, h int) bool {
	for _, r := range pg.rows {
		if r.box.Y1 < w.box.Y0-4*h || r.box.Y0 > w.box.Y1+4*h {
			continue
		}
		for _, x := range r.words {
			if x.box.X1 < w.box.X0-8*h || x.box.X0 > w.box.X1+8*h {
				continue
			}
			if isStampWord(x.text) {
				return true
			}
		}
	}
	return false
}

func isStampWord(t string) bool {
	f := strings.Trim(foldOne(t), ".,;")
	switch {
	case (f == "den" || f == "den:") && lowerCount(t) == 0:
		return true // ĐẾN
	case f == "cv" && lowerCount(t) == 0:
		return true
	case strings.HasPrefix(f, "chuyen:"), f == "ngay:", strings.HasPrefix(f, "ngay:"):
		return true
	}
	return false
}

// agencyBlock returns the rows of the left header block above y (the "Số:"
// line, or the type name when there is none), top to bottom: upper-case
// lines close together (the first within gap line heights of y), stamps and
// scratches skipped.
func (pg *page) agencyBlock(y, gap int) [][]word {
	var out [][]word
	top := y
	for ri := len(pg.rows) - 1; ri >= 0 && len(out) < 5; ri-- {
		r := pg.rows[ri]
		if r.box.Y0 >= y {
			continue
		}
		ws := trimPunct(dropLowConf(pg.left(r)))
		if len(ws) == 0 {
			continue
		}
		b := ws[0].box
		for _, w := range ws {
			b = union(b, w.box)
		}
		if b.Y1 > y+r.h/2 {
			continue
		}
		if top-b.Y1 > gap*r.h {
			break
		}
		stamp := false
		for _, w := range ws {
			stamp = stamp || isStampWord(w.text)
		}
		if stamp || upperRatio(ws) < 0.6 || meanConf(ws) < 45 {
			continue
		}
		out = append([][]word{ws}, out...)
		top = b.Y0
	}
	return out
}

// splitParent splits the left block into the parent agency and the issuing
// agency: the issuing agency starts at the last line that opens with the
// name of a body (ỦY BAN, SỞ, PHÒNG, HUYỆN ỦY …); lines above it name the
// parent ("UBND TỈNH BÌNH ĐỊNH", "ĐẢNG BỘ TỈNH …").
func splitParent(rows [][]word) (parent, agency []word) {
	last := -1
	for i, ws := range rows {
		f := strings.Join(foldWords(ws), " ") + " "
		for _, h := range agencyHeads {
			if strings.HasPrefix(f, h) {
				last = i
				break
			}
		}
	}
	for i, ws := range rows {
		if i < last {
			parent = append(parent, ws...)
		} else {
			agency = append(agency, ws...)
		}
	}
	return parent, agency
}

// typeMatch is a type name found at the head of a row.
type typeMatch struct {
	row   int
	t     docType
	words []word // the words of the name
	rest  []word // the words after it on the same row
}

// typeRow finds the type name: the first upper-case row after row `after`
// (the "Số:" or date line) that starts with a type name, centred on the
// page, before the body starts.
func (pg *page) typeRow(after int) (typeMatch, bool) {
	limit := pg.h * 6 / 10
	for ri := after + 1; ri < len(pg.rows); ri++ {
		r := pg.rows[ri]
		if r.box.Y0 > limit || after >= 0 && r.box.Y0 > pg.rows[after].box.Y1+12*r.h {
			break
		}
		if after < 0 && r.box.Y0 < pg.mottoY1 {
			continue // the agency block and the motto
		}
		ws := dropNoise(r.words)
		if len(ws) == 0 {
			continue
		}
		f := foldWords(ws)
		if startsBody(f) {
			break
		}
		for i := range ws {
			t, n, ok := matchType(f[i:], ws[i:])
			if !ok {
				continue
			}
			name := ws[i : i+n]
			cx := (name[0].box.X0 + name[n-1].box.X1) / 2
			if upperRatio(name) < 0.6 || cx < pg.w/5 || cx > pg.w*4/5 {
				continue
			}
			return typeMatch{row: ri, t: t, words: name, rest: ws[i+n:]}, true
		}
	}
	return typeMatch{}, false
}

// isHead reports words that open an agency's name ("HỘI ĐỒNG" is one
// letter from "HỢP ĐỒNG"): they are never a misread type name.
func isHead(folded string) bool {
	for _, h := range agencyHeads {
		if strings.HasPrefix(folded+" ", h) {
			return true
		}
	}
	return false
}

// matchType matches a type name at the start of the folded words f; n is
// the number of words it took. OCR damage of one letter is tolerated when
// only one name is that close (CHÍ THỊ → CHỈ THỊ; THÔNG 8ÁO is both THÔNG
// BÁO and THÔNG CÁO, so neither).
func matchType(f []string, ws []word) (docType, int, bool) {
	for _, tn := range typeNames {
		if len(f) >= len(tn.words) && equalWords(f[:len(tn.words)], tn.words) {
			return tn.t, len(tn.words), true
		}
	}
	var found []typeName
	for _, tn := range typeNames {
		name := strings.Join(tn.words, " ")
		if len(f) < len(tn.words) || len(name) < 7 {
			continue
		}
		read := strings.Join(f[:len(tn.words)], " ")
		if editDistance(read, name) <= 1 && !isHead(read) {
			found = append(found, tn)
		}
	}
	if len(found) == 1 {
		return found[0].t, len(found[0].words), true
	}
	// Letter-spaced names: "Q U Y Ế T  Đ Ị N H".
	if len(ws) >= 4 {
		single := 0
		for _, w := range ws {
			if len([]rune(w.text)) <= 2 {
				single++
			}
		}
		if single*10 >= len(ws)*8 {
			var joined strings.Builder
			for i, x := range f {
				joined.WriteString(x)
				for _, tn := range typeNames {
					if joined.String() == strings.Join(tn.words, "") {
						return tn.t, i + 1, true
					}
				}
			}
		}
	}
	return docType{}, 0, false
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func startsBody(f []string) bool {
	s := strings.Join(f, " ") + " "
	for _, b := range bodyStarts {
		if strings.HasPrefix(s, b) {
			return true
		}
	}
	return false
}

// subjectAfter reads the trích yếu under the type name: centred rows close
// below it, until a gap, the body or an upper-case authority line.
func (pg *page) subjectAfter(tm typeMatch) []word {
	var out []word
	if len(tm.rest) > 0 {
		f := foldWords(tm.rest)
		if f[0] == "ve" || f[0] == "v/v" || lowerCount(tm.rest[0].text) > 0 {
			out = append(out, tm.rest...)
		}
	}
	// The type line is centred as a whole ("QUYẾT ĐỊNH CỦA UỶ BAN …" too).
	name := tm.words
	x1 := name[len(name)-1].box.X1
	for _, w := range tm.rest {
		x1 = max(x1, w.box.X1)
	}
	cx := (name[0].box.X0 + x1) / 2
	lastY1 := 0
	for _, w := range name {
		lastY1 = max(lastY1, w.box.Y1)
	}
	lines := 0
	for ri := tm.row + 1; ri < len(pg.rows) && lines < 4; ri++ {
		r := pg.rows[ri]
		ws := trimPunct(dropLowConf(r.words))
		if len(ws) == 0 {
			continue
		}
		b := ws[0].box
		for _, w := range ws {
			b = union(b, w.box)
		}
		gap := b.Y0 - lastY1
		centred := abs((b.X0+b.X1)/2-cx) < pg.w*6/100
		if !centred {
			if gap > 2*r.h {
				break
			}
			continue // a stamp or a seal beside the trích yếu
		}
		limit := r.h * 8 / 10
		if lines == 0 && len(out) == 0 {
			limit = r.h * 3 / 2
		}
		if gap > limit || startsBody(foldWords(ws)) || authorityLine(ws) {
			break
		}
		out = append(out, ws...)
		lastY1 = b.Y1
		lines++
	}
	return out
}

// authorityLine reports an upper-case line naming who decides ("ỦY BAN NHÂN
// DÂN TỈNH CAO BẰNG", "CHỦ TỊCH ỦY BAN NHÂN DÂN"), which opens the body of a
// quyết định.
func authorityLine(ws []word) bool {
	if upperRatio(ws) < 0.8 {
		return false
	}
	f := strings.Join(foldWords(ws), " ") + " "
	if strings.HasPrefix(f, "chu tich ") || strings.HasPrefix(f, "ubnd ") {
		return true
	}
	for _, h := range agencyHeads {
		if strings.HasPrefix(f, h) {
			return true
		}
	}
	return false
}

// vvSubject reads a công văn's trích yếu: "V/v …" in the left column under
// the "Số:" line, and the lines that continue it.
func (pg *page) vvSubject(after int) []word {
	if after < 0 || after >= len(pg.rows) {
		return nil
	}
	limitY := pg.rows[after].box.Y1 + 5*pg.rows[after].h
	for ri := after; ri < len(pg.rows) && pg.rows[ri].box.Y0 <= limitY; ri++ {
		ws := dropNoiseKeep(pg.left(pg.rows[ri]))
		for i, w := range ws {
			if !isVv(w.text) {
				continue
			}
			out := append([]word(nil), ws[i+1:]...)
			x0, lastY1 := w.box.X0, w.box.Y1
			for _, x := range out {
				lastY1 = max(lastY1, x.box.Y1)
			}
			for rj := ri + 1; rj < len(pg.rows) && rj <= ri+4; rj++ {
				r := pg.rows[rj]
				cont := dropNoise(pg.left(r))
				if len(cont) == 0 {
					continue
				}
				if cont[0].box.Y0-lastY1 > r.h*8/10 || cont[0].box.X0 < x0-2*r.h || startsBody(foldWords(cont)) {
					break
				}
				out = append(out, cont...)
				for _, x := range cont {
					lastY1 = max(lastY1, x.box.Y1)
				}
			}
			return out
		}
	}
	return nil
}

// dropNoiseKeep is dropNoise that keeps a low-confidence "V/v".
func dropNoiseKeep(ws []word) []word {
	var out []word
	for _, w := range ws {
		if hasAlnum(w.text) && (w.conf >= 20 || isVv(w.text)) {
			out = append(out, w)
		}
	}
	return out
}

// isVv recognises "V/v" as printed and as OCR reads it (V/y, Vlv, V/w, VW,
// V&, V#…): a V, then one to three of the marks OCR makes of "/v".
func isVv(t string) bool {
	rs := []rune(strings.TrimRight(t, ".:,"))
	if len(rs) < 2 || len(rs) > 4 || rs[0] != 'V' && rs[0] != 'v' {
		return false
	}
	slashOrV := false // not the roman numeral VI
	for _, r := range rs[1:] {
		if !strings.ContainsRune("/vVwWyYlIi|.&#", r) {
			return false
		}
		slashOrV = slashOrV || strings.ContainsRune("/vVwWyY&#", r)
	}
	return slashOrV
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// dropLowConf removes words OCR itself did not believe.
func dropLowConf(ws []word) []word {
	var out []word
	for _, w := range ws {
		if w.conf >= 20 {
			out = append(out, w)
		}
	}
	return out
}

// trimPunct removes words without letters or digits at either end (the
// "*" and rules under an agency name) and keeps those inside ("PHÒNG TÀI
// CHÍNH - KẾ HOẠCH").
func trimPunct(ws []word) []word {
	for len(ws) > 0 && !hasAlnum(ws[0].text) {
		ws = ws[1:]
	}
	for len(ws) > 0 && !hasAlnum(ws[len(ws)-1].text) {
		ws = ws[:len(ws)-1]
	}
	return ws
}
