package docmeta

import (
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

// knownAgencies are agency abbreviations common enough in symbols to restore
// their canonical case and letters when OCR loses them (UBNÐ, HDND, TTG).
var knownAgencies = []string{
	"UBND", "HĐND", "UB", "VP", "TU", "HU", "ĐU", "TW", "BCĐ", "TTg", "CP",
	"VPCP", "UBMTTQ", "MTTQ", "ĐTN", "BNV", "BTC", "BCA", "BQP",
}

// abbrKey is the form under which abbreviations are compared when OCR may
// have lost the case or the bar of Đ: upper case, Đ as D.
func abbrKey(s string) string {
	return strings.ToUpper(strings.NewReplacer("Đ", "D", "đ", "d").Replace(s))
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

func agencyByKey(key string) (string, bool) {
	for _, a := range knownAgencies {
		if abbrKey(a) == key {
			return a, true
		}
	}
	return "", false
}

// agencyHeads open the name of an issuing body; in the left header block, a
// line that opens with one of them starts the issuing agency, and the lines
// above it name the parent (folded, with a trailing space to match whole
// words).
var agencyHeads = []string{
	"uy ban ", "hoi dong ", "so ", "phong ", "van phong ", "ban ", "chi cuc ", "cuc ",
	"trung tam ", "truong ", "huyen uy ", "tinh uy ", "thanh uy ", "thi uy ", "quan uy ",
	"dang uy ", "chi bo ", "cong an ", "thanh tra ", "hoi ", "doan ", "benh vien ",
	"kho bac ", "chi nhanh ", "toa an ", "vien kiem sat ", "bo chi huy ",
}

// bodyStarts open the first lines of a document's body: the trích yếu ends
// before them.
var bodyStarts = []string{
	"can cu", "kinh gui", "thuc hien", "xet de nghi", "hom nay", "noi nhan",
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
