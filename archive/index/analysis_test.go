package index

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestExactAndFoldTerms(t *testing.T) {
	tests := []struct{ in, exact, fold string }{
		{"QUYẾT", "quyết", "quyet"},
		{"ĐỊNH", "định", "dinh"},
		{"ÐỊNH", "định", "dinh"}, // U+00D0, as Tesseract reads Đ
		{"Hoà", "hòa", "hoa"},
		{"UBND", "ubnd", "ubnd"},
		{norm.NFD.String("Thuỷ"), "thủy", "thuy"},
	}
	for _, tt := range tests {
		if got := exactTerm(tt.in); got != tt.exact {
			t.Errorf("exactTerm(%q) = %q, want %q", tt.in, got, tt.exact)
		}
		if got := foldTerm(tt.in); got != tt.fold {
			t.Errorf("foldTerm(%q) = %q, want %q", tt.in, got, tt.fold)
		}
	}
}
