package pages

import (
	"bytes"
	"regexp"
	"time"
)

// SigningTimes returns the signing times (/M) of the digital signatures a
// PDF carries, as their signature dictionaries state them, oldest first;
// none for any other file. A signature's dictionary holds the signed
// bytes' range and its value directly in the file (never in an object
// stream: its /ByteRange must point into the file's own bytes), so it is
// found by its /ByteRange. The times are what the signer's software wrote,
// not verified: they serve to check a date read by hand, never as a date.
func SigningTimes(data []byte) []time.Time {
	if !bytes.HasPrefix(bytes.TrimLeft(data[:min(len(data), 1024)], "\x00\t\n\r "), []byte("%PDF")) {
		return nil
	}
	var out []time.Time
	for rest, at := data, 0; ; {
		i := bytes.Index(rest, []byte("/ByteRange"))
		if i < 0 {
			break
		}
		pos := at + i
		start := bytes.LastIndex(data[:pos], []byte(" obj"))
		end := bytes.Index(data[pos:], []byte("endobj"))
		if start >= 0 && end >= 0 && end < maxSigDict {
			if m := sigTime.FindSubmatch(data[start : pos+end]); m != nil {
				if t, ok := pdfDate(string(m[1])); ok {
					out = append(out, t)
				}
			}
		}
		at = pos + len("/ByteRange")
		rest = data[at:]
	}
	for i := 1; i < len(out); i++ { // few: insertion sort
		for j := i; j > 0 && out[j].Before(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// maxSigDict bounds the search for a signature dictionary's end: its
// value (/Contents) is a few tens of kilobytes of hex at most.
const maxSigDict = 1 << 20

var sigTime = regexp.MustCompile(`/M\s*\(D:(\d{4}(?:\d{2}){0,5}(?:[Zz]|[+\-]\d{2}'?(?:\d{2}'?)?)?)\)`)

// pdfDate parses a PDF date (ISO 32000-1 §7.9.4) without its "D:":
// YYYY[MM[DD[HH[mm[SS]]]]][Z|+HH'mm'|-HH'mm'].
func pdfDate(s string) (time.Time, bool) {
	digits := 0
	for digits < len(s) && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	num := func(from, n, def int) int {
		if from+n > digits {
			return def
		}
		v := 0
		for _, c := range s[from : from+n] {
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, mo, d := num(0, 4, 0), num(4, 2, 1), num(6, 2, 1)
	h, mi, se := num(8, 2, 0), num(10, 2, 0), num(12, 2, 0)
	if y < 1990 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59 {
		return time.Time{}, false
	}
	loc := time.UTC
	if z := s[digits:]; len(z) >= 3 && (z[0] == '+' || z[0] == '-') {
		zh := int(z[1]-'0')*10 + int(z[2]-'0')
		zm := 0
		if r := []byte(z[3:]); len(r) > 0 {
			r = bytes.TrimPrefix(r, []byte("'"))
			if len(r) >= 2 && r[0] >= '0' && r[0] <= '9' && r[1] >= '0' && r[1] <= '9' {
				zm = int(r[0]-'0')*10 + int(r[1]-'0')
			}
		}
		off := (zh*60 + zm) * 60
		if z[0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	}
	return time.Date(y, time.Month(mo), d, h, mi, se, 0, loc), true
}
