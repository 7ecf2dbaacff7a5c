package viet

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Tone-mark placement.
//
// Vietnamese writes one tone mark per syllable, on one of the vowels of its
// vowel cluster, and two conventions disagree on which one for the open
// syllables oa, oe and uy: the old style ("kiểu cũ": hòa, khỏe, thủy, ủy)
// puts it on the first vowel, the new style (hoà, khoẻ, thuỷ, uỷ) on the
// second. Both are in use, often in one document. CanonTones moves the mark
// to one position so that the two spellings index as one term.
//
// The agreed position is the old style, because that is how Nghị định
// 30/2020's templates print the words archivists meet most (ỦY BAN NHÂN DÂN,
// CỘNG HÒA) and canonical forms are what the type and agency facets show.
// The rules, applied to the syllable's vowel cluster after the consonant
// parts of qu- and gi- (quý, giữ: the u and the i belong to the consonant
// when another vowel follows):
//
//  1. a vowel with a quality mark (ă â ê ô ơ ư) takes it; in ươ the ơ
//     (người, thuở, quyết, khuấy);
//  2. otherwise a single vowel takes it (cá, ý, gì);
//  3. otherwise in a closed syllable (a consonant follows) the last vowel
//     (hoàn, toán, huỳnh, hoạch);
//  4. otherwise, of three vowels, the middle one (ngoài, xoáy, khuỷu);
//  5. otherwise, of two, the first (hòa, khỏe, thủy, mùa, mía, tài).
//
// A token that is not one Vietnamese syllable — two vowel clusters (café),
// two tone marks, four or more vowels, combining marks left over — is
// returned unchanged: it cannot be a placement variant of anything.

// Tones, in the order of toneMarks.
const (
	toneNone = iota
	toneGrave
	toneHook
	toneTilde
	toneAcute
	toneDot
	nTones
)

// toneMarks are the combining marks of the five tones (huyền, hỏi, ngã,
// sắc, nặng).
var toneMarks = [nTones]rune{0, '\u0300', '\u0309', '\u0303', '\u0301', '\u0323'}

// baseVowels are the twelve vowel letters without tone: six plain ones, then
// the six with a quality mark (breve, circumflex, horn).
var baseVowels = []rune("aeiouyăâêôơư")

// vowelInfo describes a precomposed vowel: which base vowel, which tone,
// whether upper case.
type vowelInfo struct {
	base  uint8 // index into baseVowels
	tone  uint8
	upper bool
}

var (
	vowels  = map[rune]vowelInfo{}
	compose [2][12][nTones]rune // [upper][base][tone]
)

func init() {
	for bi, b := range baseVowels {
		for t := range nTones {
			s := string(b)
			if t != toneNone {
				s += string(toneMarks[t])
			}
			r, _ := utf8.DecodeRuneInString(norm.NFC.String(s))
			u := unicode.ToUpper(r)
			compose[0][bi][t], compose[1][bi][t] = r, u
			vowels[r] = vowelInfo{base: uint8(bi), tone: uint8(t)}
			vowels[u] = vowelInfo{base: uint8(bi), tone: uint8(t), upper: true}
		}
	}
}

// hasQuality reports whether base vowel bi carries a quality mark.
func hasQuality(bi uint8) bool { return bi >= 6 }

// CanonTones returns s, an NFC word of any case, with its tone mark in the
// agreed position (see the rules above).
func CanonTones(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s // no tone marks
	}
	var buf [32]rune
	rs := buf[:0]
	for _, r := range s {
		rs = append(rs, r)
	}
	first, end := -1, -1 // the vowel cluster is rs[first:end]
	tonePos, tone := -1, uint8(toneNone)
	for i, r := range rs {
		if unicode.Is(unicode.Mn, r) {
			return s // not NFC, or a mark Vietnamese does not use
		}
		v, ok := vowels[r]
		if !ok {
			continue
		}
		switch {
		case first < 0:
			first, end = i, i+1
		case i == end:
			end++
		default:
			return s // a second vowel cluster: not one syllable
		}
		if v.tone != toneNone {
			if tonePos >= 0 {
				return s // two tone marks
			}
			tonePos, tone = i, v.tone
		}
	}
	if tonePos < 0 {
		return s
	}
	start := first
	if end-start > 1 {
		// qu- and gi-: the u and the i are part of the consonant.
		b := vowels[rs[start]].base
		prev := rune(0)
		if start > 0 {
			prev = unicode.ToLower(rs[start-1])
		}
		if prev == 'q' && baseVowels[b] == 'u' || prev == 'g' && start == 1 && baseVowels[b] == 'i' {
			start++
		}
	}
	n := end - start
	closed := end < len(rs)
	pos := -1
	for i := start; i < end; i++ {
		if hasQuality(vowels[rs[i]].base) {
			pos = i // the last one: ơ of ươ
		}
	}
	switch {
	case pos >= 0:
	case n == 1:
		pos = start
	case n > 3:
		return s
	case closed:
		pos = end - 1
	case n == 3:
		pos = start + 1
	default:
		pos = start
	}
	if pos == tonePos {
		return s
	}
	set := func(i int, t uint8) {
		v := vowels[rs[i]]
		u := 0
		if v.upper {
			u = 1
		}
		rs[i] = compose[u][v.base][t]
	}
	set(tonePos, toneNone)
	set(pos, tone)
	return string(rs)
}
