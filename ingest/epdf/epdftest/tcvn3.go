package epdftest

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// tcvn3 is TCVN 5712:1993's ABC font encoding of the Vietnamese letters,
// byte by letter, as the standard's table lists it (each row a base letter,
// then its grave, hook, tilde, acute and dot forms). It is written out here
// again, not taken from package viet, so that the tests of viet's decoder
// read files encoded without it.
var tcvn3 = func() map[rune]byte {
	rows := []struct {
		uni string
		abc []byte
	}{
		{"àảãáạ", []byte{0xB5, 0xB6, 0xB7, 0xB8, 0xB9}},
		{"ăằẳẵắặ", []byte{0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6}},
		{"âầẩẫấậ", []byte{0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB}},
		{"đ", []byte{0xAE}},
		{"èẻẽéẹ", []byte{0xCC, 0xCE, 0xCF, 0xD0, 0xD1}},
		{"êềểễếệ", []byte{0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6}},
		{"ìỉĩíị", []byte{0xD7, 0xD8, 0xDC, 0xDD, 0xDE}},
		{"òỏõóọ", []byte{0xDF, 0xE1, 0xE2, 0xE3, 0xE4}},
		{"ôồổỗốộ", []byte{0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9}},
		{"ơờởỡớợ", []byte{0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE}},
		{"ùủũúụ", []byte{0xEF, 0xF1, 0xF2, 0xF3, 0xF4}},
		{"ưừửữứự", []byte{0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9}},
		{"ỳỷỹýỵ", []byte{0xFA, 0xFB, 0xFC, 0xFD, 0xFE}},
		{"ĂÂĐÊÔƠƯ", []byte{0xA1, 0xA2, 0xA7, 0xA3, 0xA4, 0xA5, 0xA6}},
	}
	m := map[rune]byte{}
	for _, r := range rows {
		u := []rune(r.uni)
		if len(u) != len(r.abc) {
			panic("epdftest: TCVN3 row " + r.uni)
		}
		for i := range u {
			m[u[i]] = r.abc[i]
		}
	}
	return m
}()

// tcvn3Letter is the letter each byte of the encoding stands for.
var tcvn3Letter = func() map[byte]rune {
	m := map[byte]rune{}
	for r, b := range tcvn3 {
		m[b] = r
	}
	return m
}()

// EncodeTCVN3 encodes Unicode text in the ABC encoding. For the lower-case
// font (.VnTime), capitals with a tone cannot be written and panic; for the
// capitals font (.VnTimeH), every letter is written as its lower case,
// which that font draws as a capital.
func EncodeTCVN3(s string, capitals bool) []byte {
	var out []byte
	for _, r := range norm.NFC.String(s) {
		if r < 0x80 {
			out = append(out, byte(r))
			continue
		}
		if capitals {
			if b, ok := tcvn3[unicode.ToLower(r)]; ok {
				out = append(out, b)
				continue
			}
		}
		b, ok := tcvn3[r]
		if !ok {
			panic("epdftest: no TCVN3 byte for " + string(r))
		}
		out = append(out, b)
	}
	return out
}
