// Package viet holds the facts about Vietnamese text that every stage of
// sohoa relies on: text is NFC; letters that OCR confuses with Vietnamese
// ones are mapped deliberately (Ð U+00D0 → Đ); and search folds diacritics
// away, đ → d included (Unicode decomposition leaves đ alone: it is a letter
// of its own, not d with a mark).
package viet

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// lookAlikes are letters that are not Vietnamese but that OCR engines (and
// keyboards) produce for Vietnamese ones: Ð (U+00D0, Icelandic eth) and ð,
// Ɖ/ɖ (African D) for Đ/đ.
var lookAlikes = strings.NewReplacer("Ð", "Đ", "ð", "đ", "Ɖ", "Đ", "ɖ", "đ")

// Normalize returns s in NFC with look-alike letters mapped to the
// Vietnamese ones.
func Normalize(s string) string {
	return norm.NFC.String(lookAlikes.Replace(norm.NFC.String(s)))
}

// Fold returns s lower-cased, without diacritics, đ as d: the form under
// which "quyet dinh", "quyết định" and "QUYẾT ĐỊNH" are equal. Tone-mark
// placement variants (hòa, hoà) fold to the same string too.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(lookAlikes.Replace(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
