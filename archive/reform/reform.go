// Package reform knows the local government of Vietnam before and after
// the reform of 1 July 2025 (Nghị quyết 202/2025/QH15 on arranging the
// provinces; Luật Tổ chức chính quyền địa phương 2025): the 63 provinces
// and centrally-run cities merged into 34, the district level (huyện, thị
// xã, quận, and the cities under a province) abolished. A document is
// filed under the agency printed on it, never renamed; Successor says who
// took that agency's place, for the archivist and the search.
package reform

import (
	"strings"

	"github.com/sohoa/sohoa/viet"
)

// Day is when the two-tier local government began.
const Day = "2025-07-01"

// Province is a province or centrally-run city as it was before the day.
type Province struct {
	Name string // as printed after TỈNH or THÀNH PHỐ: "Bình Định"
	City bool   // a centrally-run city (thành phố trực thuộc trung ương)
	// Into is the name of the province it is part of from the day ("Gia
	// Lai"), its own for one that stayed as it was; IntoCity whether that
	// one is a centrally-run city.
	Into     string
	IntoCity bool
}

// Provinces are the 63 before the day, with where each went.
var Provinces = buildProvinces()

func buildProvinces() []Province {
	// The 34 from the day, each with the ones merged into it, itself first.
	merged := []struct {
		into   string
		city   bool
		others []string
	}{
		{"Hà Nội", true, nil}, {"Huế", true, nil}, {"Lai Châu", false, nil}, {"Điện Biên", false, nil},
		{"Sơn La", false, nil}, {"Lạng Sơn", false, nil}, {"Quảng Ninh", false, nil}, {"Thanh Hóa", false, nil},
		{"Nghệ An", false, nil}, {"Hà Tĩnh", false, nil}, {"Cao Bằng", false, nil},
		{"Tuyên Quang", false, []string{"Hà Giang"}},
		{"Lào Cai", false, []string{"Yên Bái"}},
		{"Thái Nguyên", false, []string{"Bắc Kạn"}},
		{"Phú Thọ", false, []string{"Vĩnh Phúc", "Hòa Bình"}},
		{"Bắc Ninh", false, []string{"Bắc Giang"}},
		{"Hưng Yên", false, []string{"Thái Bình"}},
		{"Hải Phòng", true, []string{"Hải Dương"}},
		{"Ninh Bình", false, []string{"Hà Nam", "Nam Định"}},
		{"Quảng Trị", false, []string{"Quảng Bình"}},
		{"Đà Nẵng", true, []string{"Quảng Nam"}},
		{"Quảng Ngãi", false, []string{"Kon Tum"}},
		{"Gia Lai", false, []string{"Bình Định"}},
		{"Khánh Hòa", false, []string{"Ninh Thuận"}},
		{"Lâm Đồng", false, []string{"Đắk Nông", "Bình Thuận"}},
		{"Đắk Lắk", false, []string{"Phú Yên"}},
		{"Hồ Chí Minh", true, []string{"Bình Dương", "Bà Rịa - Vũng Tàu"}},
		{"Đồng Nai", false, []string{"Bình Phước"}},
		{"Tây Ninh", false, []string{"Long An"}},
		{"Cần Thơ", true, []string{"Sóc Trăng", "Hậu Giang"}},
		{"Vĩnh Long", false, []string{"Bến Tre", "Trà Vinh"}},
		{"Đồng Tháp", false, []string{"Tiền Giang"}},
		{"Cà Mau", false, []string{"Bạc Liêu"}},
		{"An Giang", false, []string{"Kiên Giang"}},
	}
	var out []Province
	for _, m := range merged {
		out = append(out, Province{Name: m.into, City: m.city, Into: m.into, IntoCity: m.city})
		for _, o := range m.others {
			out = append(out, Province{Name: o, Into: m.into, IntoCity: m.city})
		}
	}
	return out
}

// Succession is what became of an agency on the day.
type Succession struct {
	// Level: "province" (a provincial agency), "district" (of a district
	// level that was abolished), or "" when the agency's level is not
	// known from its name.
	Level string `json:"level,omitempty"`
	// Province is the province the agency was of, as before the day.
	Province string `json:"province,omitempty"`
	// Changed is true when the agency no longer stands as it was: its
	// province merged into another, or its district abolished.
	Changed bool `json:"changed"`
	// Successor names who took its place from the day ("Ủy ban nhân dân
	// tỉnh Gia Lai"): for an abolished district, the province whose
	// archive takes its closed fonds.
	Successor string `json:"successor,omitempty"`
	// Note says it in a sentence, in Vietnamese.
	Note string `json:"note,omitempty"`
}

// Successor reads the agency printed on a document (and the agency above
// it, as the header's first line gives it: "UBND TỈNH BÌNH ĐỊNH" above
// "UBND HUYỆN VÂN CANH") and says what became of it on the day. The zero
// Succession: nothing known.
func Successor(agency, parent string) Succession {
	a, p := fold(agency), fold(parent)
	if a == "" {
		return Succession{}
	}
	district := districtLevel(a)
	prov, ok := provinceIn(a)
	if !ok {
		prov, ok = provinceIn(p)
	}
	if !ok {
		if district {
			return Succession{Level: "district", Changed: true,
				Note: "Cấp huyện đã kết thúc hoạt động từ ngày 01/07/2025; phông của cơ quan này là phông đóng."}
		}
		return Succession{}
	}
	into := prefix(prov.IntoCity) + prov.Into
	s := Succession{Level: "province", Province: prov.Name}
	if district {
		s.Level, s.Changed = "district", true
		s.Successor = "Ủy ban nhân dân " + into
		s.Note = "Cấp huyện đã kết thúc hoạt động từ ngày 01/07/2025; phông của cơ quan này là phông đóng, " +
			"thuộc " + s.Successor + "."
		return s
	}
	if prov.Into != prov.Name {
		s.Changed = true
		s.Successor = "Ủy ban nhân dân " + into
		s.Note = "Từ ngày 01/07/2025 " + prefix(prov.City) + prov.Name + " được hợp nhất vào " + into +
			" (Nghị quyết 202/2025/QH15); cơ quan kế thừa: " + s.Successor + "."
	}
	return s
}

func prefix(city bool) string {
	if city {
		return "thành phố "
	}
	return "tỉnh "
}

// fold is s lower-cased with its marks and đ folded, spaces single.
func fold(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(viet.Fold(s))), " ")
}

// districtLevel tells whether the folded agency is of a district level:
// HUYỆN, THỊ XÃ, QUẬN, or a THÀNH PHỐ that is not a province.
func districtLevel(a string) bool {
	ws := strings.Fields(a)
	for i, w := range ws {
		next := ""
		if i+1 < len(ws) {
			next = ws[i+1]
		}
		switch {
		case w == "huyen" && next != "":
			return true
		case w == "thi" && next == "xa":
			return true
		case w == "quan" && next != "" && (i == 0 || ws[i-1] != "co") && !militaryOrParty[next]:
			// QUẬN 1, QUẬN HOÀN KIẾM — not CƠ QUAN, nor QUÂN SỰ, QUÂN ỦY …
			return true
		}
	}
	for _, w := range []string{"thanh pho ", "tp. ", "tp "} {
		if i := strings.Index(a, w); i >= 0 {
			rest := a[i+len(w):]
			if _, ok := provinceAt(rest); !ok {
				return true
			}
		}
	}
	return false
}

// militaryOrParty are the words after "quan" (quân) that make it no
// district: quân sự, quân đội, quân khu, quân ủy, quân chính.
var militaryOrParty = map[string]bool{"su": true, "doi": true, "khu": true, "uy": true, "chinh": true, "nhan": true}

// provinceIn finds the province named after TỈNH or THÀNH PHỐ in a.
func provinceIn(a string) (Province, bool) {
	for _, w := range []string{"tinh ", "thanh pho ", "tp. ", "tp "} {
		for i := 0; i < len(a); {
			j := strings.Index(a[i:], w)
			if j < 0 {
				break
			}
			at := i + j
			if at == 0 || a[at-1] == ' ' {
				if p, ok := provinceAt(a[at+len(w):]); ok {
					return p, true
				}
			}
			i = at + len(w)
		}
	}
	return Province{}, false
}

// provinceAt is the province whose name begins rest (the longest that
// does, then at a word's end).
func provinceAt(rest string) (Province, bool) {
	best, found := Province{}, false
	n := 0
	for _, p := range Provinces {
		for _, name := range names(p) {
			if strings.HasPrefix(rest, name) && (len(rest) == len(name) || rest[len(name)] == ' ' || rest[len(name)] == ',') && len(name) > n {
				best, found, n = p, true, len(name)
			}
		}
	}
	return best, found
}

// names are the folded ways a province is printed.
func names(p Province) []string {
	n := fold(p.Name)
	out := []string{n}
	switch n {
	case "hue":
		out = append(out, "thua thien hue", "thua thien - hue")
	case "ho chi minh":
		out = append(out, "hcm")
	case "ba ria - vung tau":
		out = append(out, "ba ria vung tau", "ba ria-vung tau")
	}
	return out
}
