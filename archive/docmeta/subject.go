package docmeta

import (
	"strings"
)

// subjectAfter reads the trích yếu under the type name: centred rows close
// below it, until a gap, the body or an upper-case authority line.
func (pg *page) subjectAfter(tm typeMatch) []word {
	var out []word
	if len(tm.rest) > 0 {
		f := foldWords(tm.rest)
		if f[0] == "ve" || f[0] == "v/v" || lowerCount(tm.rest[0].text) > 0 {
			out = append(out, tm.rest...)
		}
	}
	// The type line is centred as a whole ("QUYẾT ĐỊNH CỦA UỶ BAN …" too).
	name := tm.words
	x1 := name[len(name)-1].box.X1
	for _, w := range tm.rest {
		x1 = max(x1, w.box.X1)
	}
	cx := (name[0].box.X0 + x1) / 2
	lastY1 := 0
	for _, w := range name {
		lastY1 = max(lastY1, w.box.Y1)
	}
	lines := 0
	for ri := tm.row + 1; ri < len(pg.rows) && lines < maxSubjectLines; ri++ {
		r := pg.rows[ri]
		ws := trimPunct(dropLowConf(r.words))
		if len(ws) == 0 {
			continue
		}
		b := ws[0].box
		for _, w := range ws {
			b = union(b, w.box)
		}
		gap := b.Y0 - lastY1
		centred := abs((b.X0+b.X1)/2-cx) < pct(pg.w, subjectCentrePct)
		if !centred {
			if gap > subjectAsideGap*r.h {
				break
			}
			continue // a stamp or a seal beside the trích yếu
		}
		limit := pct(r.h, subjectLinePct)
		if lines == 0 && len(out) == 0 {
			limit = pct(r.h, subjectFirstPct)
		}
		if gap > limit || startsBody(foldWords(ws)) || authorityLine(ws) {
			break
		}
		out = append(out, ws...)
		lastY1 = b.Y1
		lines++
	}
	return out
}

// authorityLine reports an upper-case line naming who decides ("ỦY BAN NHÂN
// DÂN TỈNH CAO BẰNG", "CHỦ TỊCH ỦY BAN NHÂN DÂN"), which opens the body of a
// quyết định.
func authorityLine(ws []word) bool {
	if upperRatio(ws) < minAuthorityUpperShare {
		return false
	}
	f := strings.Join(foldWords(ws), " ") + " "
	if strings.HasPrefix(f, "chu tich ") || strings.HasPrefix(f, "ubnd ") {
		return true
	}
	for _, h := range agencyHeads {
		if strings.HasPrefix(f, h) {
			return true
		}
	}
	return false
}

// vvSubject reads a công văn's trích yếu: "V/v …" in the left column under
// the "Số:" line, and the lines that continue it.
func (pg *page) vvSubject(after int) []word {
	if after < 0 || after >= len(pg.rows) {
		return nil
	}
	limitY := pg.rows[after].box.Y1 + vvReach*pg.rows[after].h
	for ri := after; ri < len(pg.rows) && pg.rows[ri].box.Y0 <= limitY; ri++ {
		ws := dropNoiseKeep(pg.left(pg.rows[ri]))
		for i, w := range ws {
			if !isVv(w.text) {
				continue
			}
			out := append([]word(nil), ws[i+1:]...)
			x0, lastY1 := w.box.X0, w.box.Y1
			for _, x := range out {
				lastY1 = max(lastY1, x.box.Y1)
			}
			for rj := ri + 1; rj < len(pg.rows) && rj <= ri+vvMaxRows; rj++ {
				r := pg.rows[rj]
				cont := dropNoise(pg.left(r))
				if len(cont) == 0 {
					continue
				}
				if cont[0].box.Y0-lastY1 > pct(r.h, subjectLinePct) || cont[0].box.X0 < x0-vvIndent*r.h || startsBody(foldWords(cont)) {
					break
				}
				out = append(out, cont...)
				for _, x := range cont {
					lastY1 = max(lastY1, x.box.Y1)
				}
			}
			return out
		}
	}
	return nil
}

// dropNoiseKeep is dropNoise that keeps a low-confidence "V/v".
func dropNoiseKeep(ws []word) []word {
	var out []word
	for _, w := range ws {
		if hasAlnum(w.text) && (w.conf >= minWordConf || isVv(w.text)) {
			out = append(out, w)
		}
	}
	return out
}

// isVv recognises "V/v" as printed and as OCR reads it (V/y, Vlv, V/w, VW,
// V&, V#…): a V, then one to three of the marks OCR makes of "/v".
func isVv(t string) bool {
	rs := []rune(strings.TrimRight(t, ".:,"))
	if len(rs) < 2 || len(rs) > 4 || rs[0] != 'V' && rs[0] != 'v' {
		return false
	}
	slashOrV := false // not the roman numeral VI
	for _, r := range rs[1:] {
		if !strings.ContainsRune("/vVwWyYlIi|.&#", r) {
			return false
		}
		slashOrV = slashOrV || strings.ContainsRune("/vVwWyY&#", r)
	}
	return slashOrV
}

// subjectText joins the trích yếu, without the "V/v" that opens a công
// văn's and with OCR's spaces before punctuation removed. A trích yếu
// that opens with "Về" followed by a word in lower case ("Về việc …",
// "Về tăng cường …") has it written so, whatever marks OCR put on it (Vẻ,
// Vể, VỀ).
func subjectText(ws []word) string {
	if len(ws) >= 2 && foldOne(ws[0].text) == "ve" && ws[0].text != "Về" && ws[0].text != "về" && lowerCount(ws[1].text) > 0 && strings.ToLower(ws[1].text) == ws[1].text {
		ws = append([]word{ws[0]}, ws[1:]...)
		ws[0].text = "Về"
	}
	s := joinWords(ws)
	for _, p := range []string{" :", " ,", " ;", " ."} {
		s = strings.ReplaceAll(s, p, p[1:])
	}
	return strings.TrimSpace(strings.TrimLeft(s, ".,;:-–— "))
}

// bodyStarts open the first lines of a document's body: the trích yếu ends
// before them.
var bodyStarts = []string{
	"can cu", "kinh gui", "thuc hien", "xet de nghi", "hom nay", "noi nhan",
}

func startsBody(f []string) bool {
	s := strings.Join(f, " ") + " "
	for _, b := range bodyStarts {
		if strings.HasPrefix(s, b) {
			return true
		}
	}
	return false
}
