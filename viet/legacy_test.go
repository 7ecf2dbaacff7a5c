package viet

import (
	"testing"
	"unicode/utf8"
)

// Texts typed in the legacy fonts as old documents' PDFs give them, with
// what they say. The TCVN3 ones are NĐ 30's header lines as .VnTime and
// .VnTimeH draw them; the VNI ones the same in VNI-Times.
var legacyTexts = []struct {
	enc       Legacy
	text, say string
}{
	{TCVN3, "Uû ban nh©n d©n", "Uỷ ban nhân dân"},
	{TCVN3, "Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"},
	{TCVN3, "§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"},
	{TCVN3, "Ninh B×nh, ngµy 05 th¸ng 02 n¨m 2009", "Ninh Bình, ngày 05 tháng 02 năm 2009"},
	{TCVN3, "ng\u00adêi d©n tØnh Qu¶ng Ng·i", "người dân tỉnh Quảng Ngãi"},
	{TCVN3, "Mêng Kh¬ng", "Mờng Khơng"}, // the soft hyphen of ư lost by the extractor: as good as it gets
	{TCVN3Capitals, "CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"},
	{TCVN3Capitals, "QUYÕT §ÞNH", "QUYẾT ĐỊNH"},
	{VNI, "Xin chaøo caùc baïn", "Xin chào các bạn"},
	{VNI, "UÛy ban nhaân daân tænh Quaûng Ngaõi", "Ủy ban nhân dân tỉnh Quảng Ngãi"},
	{VNI, "COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"},
	{VNI, "Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"},
	{VNI, "QUYEÁT ÑÒNH veà vieäc khen thöôûng ngöôøi toát vieäc toát", "QUYẾT ĐỊNH về việc khen thưởng người tốt việc tốt"},
	{VNI, "naêm hoïc, khoûe, thuûy lôïi, Kyø hoïp", "năm học, khỏe, thủy lợi, Kỳ họp"},
}

func TestDecodeLegacy(t *testing.T) {
	for _, tc := range legacyTexts {
		if got := tc.enc.Decode(tc.text); got != tc.say {
			t.Errorf("%v.Decode(%q) = %q, want %q", tc.enc, tc.text, got, tc.say)
		}
	}
}

func TestDetectLegacy(t *testing.T) {
	for _, tc := range legacyTexts {
		if tc.text == "Mêng Kh¬ng" {
			continue // two words, both also Latin-1 words: too little to tell
		}
		if got := DetectLegacy(tc.text); got != tc.enc {
			t.Errorf("DetectLegacy(%q) = %v, want %v", tc.text, got, tc.enc)
		}
	}
	for _, s := range []string{
		"Ủy ban nhân dân tỉnh Quảng Ngãi", "Số: 15/2020/QĐ-UBND", "QUYẾT ĐỊNH Về việc phê duyệt",
		"Cộng hoà xã hội chủ nghĩa Việt Nam", "các bạn và tôi", // Unicode within Latin-1 and beyond
		"UBND TINH QUANG NGAI", "", "12/02/2020", // ASCII
		"café à la crème brûlée", "Müller Straße", // Latin-1 that is no Vietnamese at all
	} {
		if got := DetectLegacy(s); got != Unicode {
			t.Errorf("DetectLegacy(%q) = %v, want Unicode", s, got)
		}
	}
}

func TestLegacyOfFont(t *testing.T) {
	for name, want := range map[string]Legacy{
		".VnTime": TCVN3, ".VnTimeH": TCVN3Capitals, "VnTime": TCVN3, "ABCDEF+.VnArialH,Bold": TCVN3Capitals,
		".VnTime,Italic": TCVN3, ".VnTimeH-Bold": TCVN3Capitals, ".VnCentury Schoolbook": TCVN3,
		"VNI-Times": VNI, "ABCDEF+VNI-Helve-Bold": VNI, "vni-times": VNI,
		"TimesNewRomanPSMT": Unicode, "ArialMT": Unicode, "Vni": Unicode, "Vnexpress": Unicode, "": Unicode,
	} {
		if got := LegacyOfFont(name); got != want {
			t.Errorf("LegacyOfFont(%q) = %v, want %v", name, got, want)
		}
	}
}

// The TCVN3 table gives 74 different letters, each from its own Latin-1
// character: no two bytes read as one letter, and no letter is lost.
func TestTCVN3Table(t *testing.T) {
	seen := map[rune]rune{}
	for abc, letter := range tcvn3 {
		if abc < 0xA1 || abc > 0xFF || abc == 0xAD && letter != 'ư' {
			t.Errorf("%U (%c) is outside the ABC letters' range", abc, abc)
		}
		if other, ok := seen[letter]; ok {
			t.Errorf("%c from both %c and %c", letter, abc, other)
		}
		seen[letter] = abc
		if !utf8.ValidRune(letter) {
			t.Errorf("%c: invalid", abc)
		}
	}
	// 67 lower-case letters with a mark (the 12 vowels, less the six plain
	// ones without a tone, in six tones; đ) and the 7 toneless capitals.
	if len(seen) != 74 {
		t.Errorf("%d letters, want 74", len(seen))
	}
}
