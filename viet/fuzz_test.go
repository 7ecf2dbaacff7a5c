package viet

import (
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FuzzText feeds any text to Normalize, Fold and CanonTones, which see
// every OCR word and every query, and to the legacy decoders, which see
// every word of an electronic original. Their output must stay bounded by their
// input (NFC grows UTF-8 at most threefold; Fold keeps at most the runes of
// the decomposed input), Normalize's must be NFC, and no one input may take
// over 10 s.
func FuzzText(f *testing.F) {
	for _, s := range []string{"QUYẾT ĐỊNH", "hoà bình", "Ủy ban nhân dân", "Ðông", "15/2020/QĐ-UBND", "\xff\xfe", "a\u0301\u0323", "Uû ban nh©n d©n", "Xin chaøo caùc baïn"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start := time.Now()
		limit := 3*len(s) + 8
		n := Normalize(s)
		if len(n) > limit {
			t.Fatalf("Normalize: %d bytes from %d", len(n), len(s))
		}
		if utf8.ValidString(s) && !norm.NFC.IsNormalString(n) {
			t.Fatalf("Normalize(%q) = %q, not NFC", s, n)
		}
		if fd, max := Fold(s), utf8.RuneCountInString(norm.NFD.String(lookAlikes.Replace(s))); utf8.RuneCountInString(fd) > max {
			t.Fatalf("Fold: %d runes from %d", utf8.RuneCountInString(fd), max)
		}
		if c := CanonTones(n); len(c) > 3*len(n)+8 {
			t.Fatalf("CanonTones: %d bytes from %d", len(c), len(n))
		}
		for _, l := range []Legacy{DetectLegacy(s), TCVN3, TCVN3Capitals, VNI} {
			// A decoder maps one or more runes to one letter, and a
			// letter takes at most 3 bytes in UTF-8 (NFC may add as much).
			if d := l.Decode(s); len(d) > 3*limit {
				t.Fatalf("%v: %d bytes from %d", l, len(d), len(s))
			}
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("one input took %v", d)
		}
	})
}
