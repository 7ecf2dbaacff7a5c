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
