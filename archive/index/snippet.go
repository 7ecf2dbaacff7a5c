package index

import (
	"html"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Snippets are made here rather than by Bleve's highlighter: a word may
// match in the exact field, the folded field or within one edit, and the
// highlighter marks one field at a time. The stored text is split into words
// the way the analyzers split it and each word is compared, folded, with the
// query's: the marks fall on exactly the words that can have matched.

const (
	snippetBytes = 220 // the length of a fragment, about 170 letters of Vietnamese
	snippetLead  = 60  // how much of a fragment comes before its first mark
	maxSnippets  = 2
)

// marker marks the words of a text that match a query.
type marker struct {
	words map[string]bool // folded words, and their fuzzy terms
	seqs  [][]string      // phrases and numbers: folded words in order
}

func newMarker(p parsed) *marker {
	m := &marker{words: map[string]bool{}}
	for _, w := range p.words {
		m.words[w.fold] = true
		for _, f := range w.fuzzy {
			m.words[f] = true
		}
	}
	for _, ph := range p.phrases {
		seq := make([]string, len(ph))
		for i, w := range ph {
			seq[i] = w.fold
		}
		m.seqs = append(m.seqs, seq)
	}
	for _, n := range p.numbers {
		var seq []string
		for _, w := range analyzeWords(n.canonical) {
			seq = append(seq, w.fold)
		}
		m.seqs = append(m.seqs, seq)
	}
	return m
}

func (m *marker) matches(fold string) bool { return m.words[fold] }

// snippets returns up to maxSnippets fragments of text around the words that
// match, HTML-escaped, matches wrapped in <mark>; or the opening of the text
// when nothing in it matches; nil for an empty text.
func (m *marker) snippets(text string) []string {
	toks := words(text)
	if len(toks) == 0 {
		return nil
	}
	folded := make([]string, len(toks))
	// marked[i]: token i matched; joined[i]: it matched as part of a
	// sequence that goes on to token i+1 (one mark over both, and what is
	// between them: 15/2020/QĐ-UBND).
	marked := make([]bool, len(toks))
	joined := make([]bool, len(toks))
	for i, t := range toks {
		folded[i] = foldTerm(string(t.Term))
		marked[i] = m.matches(folded[i])
	}
	for _, seq := range m.seqs {
		for i := 0; i+len(seq) <= len(toks); i++ {
			if equalWords(folded[i:i+len(seq)], seq) {
				for j := range seq {
					marked[i+j] = true
					joined[i+j] = joined[i+j] || j < len(seq)-1
				}
			}
		}
	}
	type window struct{ from, to, score int } // tokens [from, to)
	best := func(taken []window) (window, bool) {
		var w window
		for i := range toks {
			if !marked[i] {
				continue
			}
			from := i
			for from > 0 && toks[i].Start-toks[from-1].Start <= snippetLead {
				from--
			}
			to := i + 1
			for to < len(toks) && toks[to].End-toks[from].Start <= snippetBytes {
				to++
			}
			overlaps := false
			for _, t := range taken {
				overlaps = overlaps || from < t.to && t.from < to
			}
			if overlaps {
				continue
			}
			seen := map[string]bool{}
			score := 0
			for j := from; j < to; j++ {
				if marked[j] {
					score++
					if !seen[folded[j]] {
						seen[folded[j]] = true
						score += 10 // different words count more than repeats
					}
				}
			}
			if score > w.score {
				w = window{from, to, score}
			}
		}
		return w, w.score > 0
	}
	var ws []window
	for len(ws) < maxSnippets {
		w, ok := best(ws)
		if !ok {
			break
		}
		ws = append(ws, w)
	}
	if len(ws) == 0 {
		to := 1
		for to < len(toks) && toks[to].End <= snippetBytes {
			to++
		}
		ws = append(ws, window{0, to, 0})
	}
	if len(ws) == 2 && ws[1].from < ws[0].from {
		ws[0], ws[1] = ws[1], ws[0]
	}
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = render(text, toks, marked, joined, w.from, w.to)
	}
	return out
}

// render writes tokens [from, to) of text with what lies between them,
// white space collapsed, runs of marked words in one <mark> (words apart
// only by spaces, or joined in one sequence), and an ellipsis where the
// text was cut.
func render(text string, toks analysis.TokenStream, marked, joined []bool, from, to int) string {
	var b strings.Builder
	if strings.TrimSpace(text[:toks[from].Start]) != "" {
		b.WriteString("… ")
	}
	open := false
	for i := from; i < to; i++ {
		if i > from {
			gap := text[toks[i-1].End:toks[i].Start]
			if open && !(marked[i] && (joined[i-1] || strings.TrimSpace(gap) == "")) {
				b.WriteString("</mark>")
				open = false
			}
			b.WriteString(html.EscapeString(collapseSpace(gap)))
		}
		if marked[i] && !open {
			b.WriteString("<mark>")
			open = true
		}
		b.WriteString(html.EscapeString(text[toks[i].Start:toks[i].End]))
	}
	if open {
		b.WriteString("</mark>")
	}
	if rest := text[toks[to-1].End:]; strings.TrimSpace(rest) != "" {
		if to < len(toks) {
			b.WriteString(" …")
		} else {
			b.WriteString(html.EscapeString(collapseSpace(strings.TrimRightFunc(rest, unicode.IsSpace))))
		}
	}
	return b.String()
}

// collapseSpace turns every run of white space (new lines of OCR text
// included) into one space.
func collapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
