package docmeta

import (
	"strings"
	"unicode"

	"github.com/sohoa/sohoa/viet"
)

// normText is a word's text in NFC with look-alike letters mapped and
// invalid UTF-8 replaced.
func normText(s string) string {
	return strings.TrimSpace(viet.Normalize(strings.ToValidUTF8(s, "\uFFFD")))
}

// foldOne folds one word (see viet.Fold).
func foldOne(s string) string { return viet.Fold(s) }

// foldWords folds each word and trims the punctuation around it.
func foldWords(ws []word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = strings.TrimFunc(viet.Fold(w.text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	return out
}

func joinWords(ws []word) string {
	parts := make([]string, 0, len(ws))
	for _, w := range ws {
		parts = append(parts, w.text)
	}
	return strings.Join(parts, " ")
}

func meanConf(ws []word) float64 {
	if len(ws) == 0 {
		return 0
	}
	s := 0.0
	for _, w := range ws {
		s += w.conf
	}
	return s / float64(len(ws))
}

// upperRatio is the share of upper-case letters among the letters of ws.
func upperRatio(ws []word) float64 {
	up, all := 0, 0
	for _, w := range ws {
		for _, r := range w.text {
			if unicode.IsLetter(r) {
				all++
				if unicode.IsUpper(r) {
					up++
				}
			}
		}
	}
	if all == 0 {
		return 0
	}
	return float64(up) / float64(all)
}

// hasAlnum reports whether s has a letter or a digit.
func hasAlnum(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// lowerCount counts lower-case letters.
func lowerCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			n++
		}
	}
	return n
}

// dropNoise removes words that carry no letters or digits, and words that
// OCR itself did not believe (scratches, stamp rims, seal text).
func dropNoise(ws []word) []word {
	var out []word
	for _, w := range ws {
		if hasAlnum(w.text) && w.conf >= minWordConf {
			out = append(out, w)
		}
	}
	return out
}

// dropLowConf removes words OCR itself did not believe.
func dropLowConf(ws []word) []word {
	var out []word
	for _, w := range ws {
		if w.conf >= minWordConf {
			out = append(out, w)
		}
	}
	return out
}

// trimPunct removes words without letters or digits at either end (the
// "*" and rules under an agency name) and keeps those inside ("PHÒNG TÀI
// CHÍNH - KẾ HOẠCH").
func trimPunct(ws []word) []word {
	for len(ws) > 0 && !hasAlnum(ws[0].text) {
		ws = ws[1:]
	}
	for len(ws) > 0 && !hasAlnum(ws[len(ws)-1].text) {
		ws = ws[:len(ws)-1]
	}
	return ws
}

// editDistance is the Levenshtein distance between two short strings.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func containsRune(rs []rune, x rune) bool {
	for _, r := range rs {
		if r == x {
			return true
		}
	}
	return false
}

func indexOf(ws []word, w word) int {
	for i, x := range ws {
		if x == w {
			return i
		}
	}
	return -1
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
