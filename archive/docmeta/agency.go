package docmeta

import (
	"strings"

	"github.com/sohoa/sohoa/viet"
)

// agencyPhrases are the words that make up most issuing agencies' names
// — the bodies, the levels of government, and the provinces and
// centrally-run cities (the 63 before the 2025 merger; older papers name
// them, and the merged provinces kept names from among them) — as printed,
// in upper case. OCR garbles their diacritics often (ĐÂN for DÂN, QUANG
// NGAI for QUẢNG NGÃI); a run of agency words whose letters, without
// diacritics, spell one of these is written as it is printed here.
var agencyPhrases = []string{
	"ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM",
	"THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN", "TỈNH", "HUYỆN", "QUẬN", "PHƯỜNG", "XÃ",
	"AN GIANG", "BÀ RỊA - VŨNG TÀU", "BẮC GIANG", "BẮC KẠN", "BẠC LIÊU", "BẮC NINH", "BẾN TRE",
	"BÌNH ĐỊNH", "BÌNH DƯƠNG", "BÌNH PHƯỚC", "BÌNH THUẬN", "CÀ MAU", "CẦN THƠ", "CAO BẰNG",
	"ĐÀ NẴNG", "ĐẮK LẮK", "ĐẮK NÔNG", "ĐIỆN BIÊN", "ĐỒNG NAI", "ĐỒNG THÁP", "GIA LAI", "HÀ GIANG",
	"HÀ NAM", "HÀ NỘI", "HÀ TĨNH", "HẢI DƯƠNG", "HẢI PHÒNG", "HẬU GIANG", "HÒA BÌNH", "HỒ CHÍ MINH",
	"HƯNG YÊN", "KHÁNH HÒA", "KIÊN GIANG", "KON TUM", "LAI CHÂU", "LÂM ĐỒNG", "LẠNG SƠN", "LÀO CAI",
	"LONG AN", "NAM ĐỊNH", "NGHỆ AN", "NINH BÌNH", "NINH THUẬN", "PHÚ THỌ", "PHÚ YÊN", "QUẢNG BÌNH",
	"QUẢNG NAM", "QUẢNG NGÃI", "QUẢNG NINH", "QUẢNG TRỊ", "SÓC TRĂNG", "SƠN LA", "TÂY NINH",
	"THÁI BÌNH", "THÁI NGUYÊN", "THANH HÓA", "THỪA THIÊN HUẾ", "TIỀN GIANG", "TRÀ VINH",
	"TUYÊN QUANG", "VĨNH LONG", "VĨNH PHÚC", "YÊN BÁI",
}

// agencyPhrase is one of agencyPhrases: its words as printed, and folded.
type agencyPhrase struct {
	words, folded []string
}

// agencyByLength holds agencyPhrases, longest first, so that HÀ TĨNH is
// taken before TỈNH.
var agencyByLength = func() []agencyPhrase {
	var out []agencyPhrase
	for _, p := range agencyPhrases {
		ws := strings.Fields(p)
		phrase := make([]word, len(ws))
		for i, w := range ws {
			phrase[i].text = w
		}
		out = append(out, agencyPhrase{ws, foldWords(phrase)})
	}
	for i := 1; i < len(out); i++ { // insertion sort: stable, by length
		for j := i; j > 0 && len(out[j].words) > len(out[j-1].words); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}()

// agencyText joins an agency's words, written as agencyPhrases prints
// them where their letters spell one; a word that differs from the printed
// form only in where its tone mark sits (UỶ, ỦY) is kept as it was read.
func agencyText(ws []word) string {
	f := foldWords(ws)
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.text
	}
	for i := 0; i < len(ws); {
		n := 0
		for _, p := range agencyByLength {
			if i+len(p.folded) <= len(f) && equalWords(f[i:i+len(p.folded)], p.folded) {
				for k, canon := range p.words {
					if viet.CanonTones(strings.ToUpper(ws[i+k].text)) != viet.CanonTones(canon) {
						parts[i+k] = canon
					}
				}
				n = len(p.words)
				break
			}
		}
		i += max(n, 1)
	}
	return strings.Join(parts, " ")
}

// agencyBlock returns the rows of the left header block above y (the "Số:"
// line, or the type name when there is none), top to bottom: upper-case
// lines close together (the first within gap line heights of y), stamps and
// scratches skipped.
func (pg *page) agencyBlock(y, gap int) [][]word {
	var out [][]word
	top := y
	for ri := len(pg.rows) - 1; ri >= 0 && len(out) < maxAgencyLines; ri-- {
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
		if b.Y1 > y+pct(r.h, sameLinePct) {
			continue
		}
		if top-b.Y1 > gap*r.h {
			break
		}
		stamp := false
		for _, w := range ws {
			stamp = stamp || isStampWord(w.text)
		}
		if stamp || upperRatio(ws) < minUpperShare || meanConf(ws) < minAgencyConf {
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

// knownAgencies are agency abbreviations common enough in symbols to restore
// their canonical case and letters when OCR loses them (UBNÐ, HDND, TTG).
// The district's specialised offices (phòng) follow: their letters are
// in the symbols of everything they draft for the People's Committee
// (UBND-GDĐT), and a GDDT can only be GDĐT.
var knownAgencies = []string{
	"UBND", "HĐND", "UB", "VP", "TU", "HU", "ĐU", "TW", "BCĐ", "TTg", "CP",
	"VPCP", "UBMTTQ", "MTTQ", "ĐTN", "BNV", "BTC", "BCA", "BQP",
	"GDĐT", "LĐTBXH", "TNMT", "TCKH", "KTHT", "VHTT", "NNPTNT", "QLĐT",
}

func agencyByKey(key string) (string, bool) {
	for _, a := range knownAgencies {
		if abbrKey(a) == key {
			return a, true
		}
	}
	return "", false
}
