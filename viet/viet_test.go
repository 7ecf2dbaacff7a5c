package viet

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"QUYẾT ĐỊNH", "quyet dinh"},
		{"quyết định", "quyet dinh"},
		{"Quyết Định", "quyet dinh"},
		{"hòa", "hoa"},
		{"hoà", "hoa"},
		{"thủy", "thuy"},
		{"thuỷ", "thuy"},
		{"Ðồng", "dong"}, // U+00D0 from OCR
		{"đường", "duong"},
		{norm.NFD.String("Ủy ban"), "uy ban"},
		{"15/2020/QĐ-UBND", "15/2020/qd-ubnd"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ÐỒNG", "ĐỒNG"},
		{"ðường", "đường"},
		{norm.NFD.String("Ủy ban nhân dân"), "Ủy ban nhân dân"},
		{"hoà", "hoà"}, // placement is kept as written; search folds it
	}
	for _, tt := range tests {
		got := Normalize(tt.in)
		if got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !norm.NFC.IsNormalString(got) {
			t.Errorf("Normalize(%q) is not NFC", tt.in)
		}
	}
}
