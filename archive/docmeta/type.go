package docmeta

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sohoa/sohoa/viet"
)

// docType is a kind of document: its name as printed (upper case) and the
// abbreviation that opens its symbol.
type docType struct {
	name string // "QUYẾT ĐỊNH"
	abbr string // "QĐ"; "" for a công văn
}

// CongVan is the type of a công văn: it prints no type name, and its symbol
// has no type abbreviation (123/UBND-VP); party công văn use "CV".
const CongVan = "CÔNG VĂN"

// docTypes is NĐ 30/2020 Phụ lục III, the copy forms, the legal types an
// archive of a People's Committee meets in its incoming mail, and the party's
// công văn ("CV").
var docTypes = []docType{
	{"NGHỊ QUYẾT", "NQ"},
	{"QUYẾT ĐỊNH", "QĐ"},
	{"CHỈ THỊ", "CT"},
	{"QUY CHẾ", "QC"},
	{"QUY ĐỊNH", "QyĐ"},
	{"THÔNG CÁO", "TC"},
	{"THÔNG BÁO", "TB"},
	{"HƯỚNG DẪN", "HD"},
	{"CHƯƠNG TRÌNH", "CTr"},
	{"KẾ HOẠCH", "KH"},
	{"PHƯƠNG ÁN", "PA"},
	{"ĐỀ ÁN", "ĐA"},
	{"DỰ ÁN", "DA"},
	{"BÁO CÁO", "BC"},
	{"BIÊN BẢN", "BB"},
	{"TỜ TRÌNH", "TTr"},
	{"HỢP ĐỒNG", "HĐ"},
	{"CÔNG ĐIỆN", "CĐ"},
	{"BẢN GHI NHỚ", "BGN"},
	{"BẢN THỎA THUẬN", "BTT"},
	{"GIẤY ỦY QUYỀN", "GUQ"},
	{"GIẤY MỜI", "GM"},
	{"GIẤY GIỚI THIỆU", "GGT"},
	{"GIẤY NGHỈ PHÉP", "GNP"},
	{"PHIẾU GỬI", "PG"},
	{"PHIẾU CHUYỂN", "PC"},
	{"PHIẾU BÁO", "PB"},
	{"SAO Y", "SY"},
	{"TRÍCH SAO", "TrS"},
	{"SAO LỤC", "SL"},
	{"NGHỊ ĐỊNH", "NĐ"},
	{"THÔNG TƯ LIÊN TỊCH", "TTLT"},
	{"THÔNG TƯ", "TT"},
	{CongVan, "CV"},
}

// typeNames are the folded type names split into words, longest first, so
// that "THÔNG TƯ LIÊN TỊCH" is tried before "THÔNG TƯ".
var typeNames = func() []typeName {
	var out []typeName
	for _, t := range docTypes {
		out = append(out, typeName{t: t, words: strings.Fields(viet.Fold(t.name))})
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].words) > len(out[j].words) })
	return out
}()

type typeName struct {
	t     docType
	words []string
}

// typeByAbbr returns the type whose abbreviation is abbr (exact, canonical
// case and letters).
func typeByAbbr(abbr string) (docType, bool) {
	for _, t := range docTypes {
		if t.abbr == abbr {
			return t, true
		}
	}
	return docType{}, false
}

// typeAbbrsByKey returns the type abbreviations that abbrKey maps to key:
// one for most, two for the D/Đ pairs (HD/HĐ, DA/ĐA).
func typeAbbrsByKey(key string) []string {
	var out []string
	for _, t := range docTypes {
		if abbrKey(t.abbr) == key {
			out = append(out, t.abbr)
		}
	}
	return out
}

// TypeNames are the names of the kinds of document sohoa knows, in the
// order of NĐ 30/2020 Phụ lục III, CÔNG VĂN included: what an archivist
// chooses from when correcting a type.
func TypeNames() []string {
	names := make([]string, 0, len(docTypes)+1)
	seen := map[string]bool{}
	for _, t := range docTypes {
		if !seen[t.name] {
			seen[t.name] = true
			names = append(names, t.name)
		}
	}
	if !seen[CongVan] {
		names = append(names, CongVan)
	}
	return names
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
	limit := pct(pg.h, typeZonePct)
	for ri := after + 1; ri < len(pg.rows); ri++ {
		r := pg.rows[ri]
		if r.box.Y0 > limit || after >= 0 && r.box.Y0 > pg.rows[after].box.Y1+typeReach*r.h {
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
			if upperRatio(name) < minUpperShare || cx < pct(pg.w, typeCentreMinPct) || cx > pct(pg.w, typeCentreMaxPct) {
				continue
			}
			return typeMatch{row: ri, t: t, words: name, rest: ws[i+n:]}, true
		}
	}
	return typeMatch{}, false
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
		if len(f) < len(tn.words) || len(name) < fuzzyTypeMinLen {
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
	if len(ws) >= letterSpacedMinWords {
		single := 0
		for _, w := range ws {
			if len([]rune(w.text)) <= 2 {
				single++
			}
		}
		if single*100 >= len(ws)*letterSpacedPct {
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

// typeResult is the judged type.
type typeResult struct {
	name string // "" when neither a type name, a V/v nor the symbol says it
	conf float64
	// mismatch says why the symbol does not agree with the type, for the
	// number's review; "" when it does.
	mismatch string
}

// judgeType decides the type from the printed type name, the V/v of a công
// văn or the symbol's type abbreviation, and checks the symbol against it.
// The abbreviation in p is put in the type name's form where only its case
// or the bar of Đ differ, and mended where one letter is off (the number is
// then flagged).
func (r *reading) judgeType(p *numberParts) typeResult {
	var res typeResult
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
			res.mismatch = fmt.Sprintf(reasonTypeMismatch, t.name, p.segs[idx])
			c = typeConfMismatch
		case idx < 0 && t.name != CongVan && p.symOK:
			// Every printed type has its abbreviation in the symbol; none
			// there means the symbol was misread (TIr-UBND for TTr-UBND).
			// One letter off the type's own: mended, for the reviewer.
			// A letter OCR takes for its look-alike (TIr, the second T of
			// TTr read as I) is mended with no doubt: the printed type
			// name says which abbreviation the symbol holds.
			res.mismatch = fmt.Sprintf(reasonNoTypeAbbr, t.name, p.symbol())
			i := p.typeSlots()[0]
			switch {
			case lookAlike(abbrKey(p.segs[i]), abbrKey(t.abbr)):
				res.mismatch = ""
				p.segs[i] = t.abbr
				p.ambiguous = without(p.ambiguous, i)
			case editDistance(abbrKey(p.segs[i]), abbrKey(t.abbr)) <= 1:
				res.mismatch = fmt.Sprintf(reasonSymMended, p.segs[i], t.abbr)
				p.segs[i] = t.abbr
				p.ambiguous = without(p.ambiguous, i)
			}
			if res.mismatch != "" {
				c *= typeConfNoAbbrScale
			}
		}
		res.name, res.conf = t.name, c
	} else if r.vv {
		// Only a công văn has its trích yếu after "V/v"; its symbol may
		// still look like a type's (TTr is Thanh tra's as well as Tờ trình's).
		res.name, res.conf = CongVan, typeConfVv
	} else if idx, at := p.typeAbbr(); idx >= 0 {
		res.name, res.conf = at.name, typeConfFromAbbr
	} else if p.symOK {
		// No type name, no type abbreviation, no V/v: a công văn whose V/v
		// was lost, or a symbol misread; nothing to check the symbol by.
		res.name, res.conf = CongVan, typeConfGuess
		res.mismatch = fmt.Sprintf(reasonNoTypeCheck, p.symbol())
	}
	return res
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

// lookAlikes are the groups of capitals and digits Tesseract takes for one
// another in a symbol's print (VIETNAMESE.md: 1/l/I, 0/O, 5/S, 6/b; and
// the stems of T and I, B and 8).
var lookAlikes = []string{"1ILT|", "0OQ", "8B", "5S", "6G", "2Z"}

// lookAlike: a and b (abbrKey forms) differ in one letter only, and
// those two are look-alikes.
func lookAlike(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) {
		return false
	}
	diff := -1
	for i := range ra {
		if ra[i] != rb[i] {
			if diff >= 0 {
				return false
			}
			diff = i
		}
	}
	if diff < 0 {
		return false
	}
	for _, g := range lookAlikes {
		if strings.ContainsRune(g, ra[diff]) && strings.ContainsRune(g, rb[diff]) {
			return true
		}
	}
	return false
}
