package pdfcheck

import "bytes"

// inlineImage is what the checks need from an inline image dictionary.
type inlineImage struct {
	filters     []string // /F or /Filter: names, as written (possibly abbreviated)
	interpolate bool     // /I or /Interpolate true
}

// inlineImageDicts finds the inline images (BI … ID … EI) of a content
// stream and reads their dictionaries. It tokenizes the stream just enough
// not to mistake a "BI" inside a string, name or comment for the operator,
// and skips each image's data to the EI that ends it.
func inlineImageDicts(b []byte) []inlineImage {
	var images []inlineImage
	l := lexer{b: b}
	for {
		tok, ok := l.next()
		if !ok {
			return images
		}
		if tok != "BI" {
			continue
		}
		var img inlineImage
		var key string
		depth := 0
		for {
			tok, ok = l.next()
			if !ok || tok == "ID" {
				break
			}
			switch tok {
			case "[", "<<":
				depth++
				continue
			case "]", ">>":
				if depth--; depth <= 0 {
					depth, key = 0, ""
				}
				continue
			}
			if depth == 0 && key == "" && tok[0] == '/' {
				key = tok[1:]
				continue
			}
			switch key {
			case "F", "Filter":
				if tok[0] == '/' {
					img.filters = append(img.filters, tok[1:])
				}
			case "I", "Interpolate":
				img.interpolate = tok == "true"
			}
			if depth == 0 {
				key = ""
			}
		}
		images = append(images, img)
		if !ok {
			return images
		}
		l.skipImageData()
	}
}

// lexer splits a content stream into tokens: names (with their slash),
// numbers, keywords, "[", "]", "<<", ">>"; strings and comments are
// skipped.
type lexer struct {
	b   []byte
	pos int
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0
}

func isDelim(c byte) bool { return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0 }

func (l *lexer) next() (string, bool) {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		switch {
		case isSpace(c):
			l.pos++
		case c == '%':
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
		case c == '(':
			l.skipString()
		case c == '<' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '<',
			c == '>' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '>':
			l.pos += 2
			return string(l.b[l.pos-2 : l.pos]), true
		case c == '<':
			// A hex string.
			for l.pos < len(l.b) && l.b[l.pos] != '>' {
				l.pos++
			}
			l.pos++
		case c == '[' || c == ']' || c == '{' || c == '}' || c == ')' || c == '>':
			l.pos++
			return string(c), true
		default:
			start := l.pos
			l.pos++ // a name's slash, or the first regular character
			for l.pos < len(l.b) && !isSpace(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
				l.pos++
			}
			return string(l.b[start:l.pos]), true
		}
	}
	return "", false
}

// skipString skips a literal string, with nested parentheses and escapes.
func (l *lexer) skipString() {
	depth := 0
	for ; l.pos < len(l.b); l.pos++ {
		switch l.b[l.pos] {
		case '\\':
			l.pos++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				l.pos++
				return
			}
		}
	}
}

// skipImageData skips the data after ID (one white-space character, then
// binary data) to just after the EI that follows it: "EI" preceded by
// white space and followed by white space, a delimiter or the end.
func (l *lexer) skipImageData() {
	l.pos++ // the white space after ID
	for l.pos+2 <= len(l.b) {
		i := bytes.Index(l.b[l.pos:], []byte("EI"))
		if i < 0 {
			l.pos = len(l.b)
			return
		}
		at := l.pos + i
		l.pos = at + 2
		if at > 0 && isSpace(l.b[at-1]) && (at+2 == len(l.b) || isSpace(l.b[at+2]) || isDelim(l.b[at+2])) {
			return
		}
	}
	l.pos = len(l.b)
}
