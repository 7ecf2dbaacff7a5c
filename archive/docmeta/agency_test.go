package docmeta

import (
	"strings"
	"testing"
)

func TestAgencyText(t *testing.T) {
	tests := []struct{ read, want string }{
		{"ỦY BAN NHÂN ĐÂN TỈNH QUANG NGAI", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"},
		{"UỶ BAN NHÂN DÂN TỈNH CAO BẰNG", "UỶ BAN NHÂN DÂN TỈNH CAO BẰNG"}, // the new-style tone placement stays
		{"UY BAN NHAN DAN TĨNH HÀ TINH", "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"},
		{"HỘI ĐÔNG NHÂN DÂN HUYÊN VÂN CANH", "HỘI ĐỒNG NHÂN DÂN HUYỆN VÂN CANH"}, // a district it does not know is left as read
		{"UBND THANH PHO HÔ CHI MINH", "UBND THÀNH PHỐ HỒ CHÍ MINH"},
		{"SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"},
		{"UBND TỈNH BÀ RỊA - VŨNG TAU", "UBND TỈNH BÀ RỊA - VŨNG TÀU"},
	}
	for _, tt := range tests {
		var ws []word
		for _, s := range strings.Fields(tt.read) {
			ws = append(ws, word{text: s})
		}
		if got := agencyText(ws); got != tt.want {
			t.Errorf("agencyText(%q) = %q, want %q", tt.read, got, tt.want)
		}
	}
}
