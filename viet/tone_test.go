package viet

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestCanonTones(t *testing.T) {
	tests := []struct{ in, want string }{
		// oa, oe, uy open: the old style, on the first vowel.
		{"hoà", "hòa"}, {"hòa", "hòa"}, {"HOÀ", "HÒA"}, {"Hoà", "Hòa"},
		{"thuỷ", "thủy"}, {"thủy", "thủy"}, {"uỷ", "ủy"}, {"Uỷ", "Ủy"}, {"UỶ", "ỦY"}, {"ỦY", "ỦY"},
		{"khoẻ", "khỏe"}, {"khỏe", "khỏe"}, {"loà", "lòa"}, {"luỹ", "lũy"},
		// qu- and gi-: the u and the i are consonant.
		{"qúy", "quý"}, {"quý", "quý"}, {"qùy", "quỳ"}, {"qủa", "quả"}, {"quả", "quả"},
		{"gìa", "già"}, {"già", "già"}, {"gĩư", "giữ"}, {"giữ", "giữ"}, {"gìn", "gìn"},
		{"gíup", "giúp"}, {"gìương", "giường"},
		// Closed syllables: the last vowel.
		{"hòan", "hoàn"}, {"hoàn", "hoàn"}, {"tóan", "toán"}, {"hùynh", "huỳnh"}, {"huỳnh", "huỳnh"},
		{"họach", "hoạch"}, {"hoạch", "hoạch"}, {"Quảng", "Quảng"}, {"tỉnh", "tỉnh"}, {"đồng", "đồng"},
		// A vowel with a quality mark takes it; in ươ the ơ.
		{"ngừơi", "người"}, {"người", "người"}, {"thủơ", "thuở"}, {"thuở", "thuở"},
		{"qúyêt", "quyết"}, {"quyết", "quyết"}, {"tủôi", "tuổi"}, {"tuổi", "tuổi"},
		{"khúây", "khuấy"}, {"chụyên", "chuyện"}, {"ýêu", "yếu"}, {"yếu", "yếu"},
		{"rựơu", "rượu"}, {"tíên", "tiến"}, {"QÚYÊT", "QUYẾT"},
		// Three vowels, open: the middle one.
		{"ngòai", "ngoài"}, {"ngoaì", "ngoài"}, {"ngoài", "ngoài"}, {"xóay", "xoáy"}, {"khủyu", "khuỷu"},
		// Two vowels, open: the first.
		{"muà", "mùa"}, {"miá", "mía"}, {"taì", "tài"}, {"caó", "cáo"}, {"hoỉ", "hỏi"}, {"muí", "múi"},
		{"Nghiã", "Nghĩa"}, {"Nghĩa", "Nghĩa"},
		// One vowel.
		{"ý", "ý"}, {"cá", "cá"},
		// Not one Vietnamese syllable, or nothing to move: unchanged.
		{"hoa", "hoa"}, {"ubnd", "ubnd"}, {"15", "15"}, {"café", "café"}, {"hòà", "hòà"},
		{"ngoaiu", "ngoaiu"}, {"hoa\u0300", "hoa\u0300"}, {"", ""},
	}
	for _, tt := range tests {
		if !norm.NFC.IsNormalString(tt.want) && tt.in != tt.want {
			t.Fatalf("test table: %q is not NFC", tt.want)
		}
		if got := CanonTones(tt.in); got != tt.want {
			t.Errorf("CanonTones(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// Canonical forms are fixed points.
		if got := CanonTones(tt.want); got != tt.want {
			t.Errorf("CanonTones(%q) = %q, not a fixed point", tt.want, got)
		}
	}
}
