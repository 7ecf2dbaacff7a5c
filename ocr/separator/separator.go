// Package separator makes and finds the separator sheet a clerk lays
// between two documents of a stack fed through the scanner as one run
// (inbox/tach/): a printed page that carries the Code 39 barcode PATCHT.
//
// Code 39 and the word PATCHT are what document-capture software already
// takes as a document separator (Kodak's patch code T, and the barcode
// Paperless-ngx looks for), so sheets printed for those work here, and
// sohoa's work there. Code 39 needs no check digit and no quiet reading of
// module widths: each character is five bars and four spaces of which
// three are wide, so a reading is told apart from print, tables and
// dotted leader lines by its structure alone. The sheet's barcode is large
// (a narrow module of 1 mm, bars 25 mm tall) so that a scan at 100 dpi,
// skewed by up to 10°, smudged or speckled, still reads on many scan
// lines; Find wants it on several.
//
// Sheet renders the barcode as SVG for the web page that prints the sheet;
// Find reads a page image. Both are safe for concurrent use.
package separator

import (
	"fmt"
	"image"
	"slices"
	"strings"
)

// Code is what a separator sheet's barcode says.
const Code = "PATCHT"

// code39 is the pattern of each character: its nine elements, bar and
// space alternately from a bar, 'w' wide and 'n' narrow.
var code39 = map[byte]string{
	'0': "nnnwwnwnn", '1': "wnnwnnnnw", '2': "nnwwnnnnw", '3': "wnwwnnnnn",
	'4': "nnnwwnnnw", '5': "wnnwwnnnn", '6': "nnwwwnnnn", '7': "nnnwnnwnw",
	'8': "wnnwnnwnn", '9': "nnwwnnwnn", 'A': "wnnnnwnnw", 'B': "nnwnnwnnw",
	'C': "wnwnnwnnn", 'D': "nnnnwwnnw", 'E': "wnnnwwnnn", 'F': "nnwnwwnnn",
	'G': "nnnnnwwnw", 'H': "wnnnnwwnn", 'I': "nnwnnwwnn", 'J': "nnnnwwwnn",
	'K': "wnnnnnnww", 'L': "nnwnnnnww", 'M': "wnwnnnnwn", 'N': "nnnnwnnww",
	'O': "wnnnwnnwn", 'P': "nnwnwnnwn", 'Q': "nnnnnnwww", 'R': "wnnnnnwwn",
	'S': "nnwnnnwwn", 'T': "nnnnwnwwn", 'U': "wwnnnnnnw", 'V': "nwwnnnnnw",
	'W': "wwwnnnnnn", 'X': "nwnnwnnnw", 'Y': "wwnnwnnnn", 'Z': "nwwnwnnnn",
	'-': "nwnnnnwnw", '.': "wwnnnnwnn", ' ': "nwwnnnwnn", '*': "nwnnwnwnn",
	'$': "nwnwnwnnn", '/': "nwnwnnnwn", '+': "nwnnnwnwn", '%': "nnnwnwnwn",
}

// byPattern is code39 the other way round, the pattern as nine bits
// (wide = 1, first element highest).
var byPattern = func() map[uint16]byte {
	m := make(map[uint16]byte, len(code39))
	for c, p := range code39 {
		m[patternBits(p)] = c
	}
	return m
}()

func patternBits(p string) uint16 {
	var b uint16
	for i := range len(p) {
		b <<= 1
		if p[i] == 'w' {
			b |= 1
		}
	}
	return b
}

// Wide modules are wideRatio narrow ones: 3, the upper end of what the
// standard allows (2 to 3), reads best when ink spreads.
const wideRatio = 3

// Modules returns the widths of the bars and spaces of text's barcode,
// start and stop characters included, bar first, in narrow modules:
// each character's nine elements and then a narrow space between
// characters. It fails on a character Code 39 has not.
func Modules(text string) ([]int, error) {
	full := "*" + strings.ToUpper(text) + "*"
	var out []int
	for i := range len(full) {
		p, ok := code39[full[i]]
		if !ok || (full[i] == '*' && i != 0 && i != len(full)-1) {
			return nil, fmt.Errorf("separator: Code 39 cannot say %q", full[i])
		}
		if i > 0 {
			out = append(out, 1) // the gap between characters
		}
		for j := range len(p) {
			out = append(out, map[bool]int{true: wideRatio, false: 1}[p[j] == 'w'])
		}
	}
	return out, nil
}

// SVG draws text's barcode as an SVG element, its narrow module unit
// millimetres wide and the bars height millimetres tall, with a quiet zone
// of ten modules on each side.
func SVG(text string, unit, height float64) (string, error) {
	ms, err := Modules(text)
	if err != nil {
		return "", err
	}
	const quiet = 10
	total := 2 * quiet
	for _, m := range ms {
		total += m
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%gmm" height="%gmm" viewBox="0 0 %d %g" shape-rendering="crispEdges">`,
		float64(total)*unit, height, total, height/unit)
	x := quiet
	for i, m := range ms {
		if i%2 == 0 {
			fmt.Fprintf(&b, `<rect x="%d" y="0" width="%d" height="%g" fill="#000"/>`, x, m, height/unit)
		}
		x += m
	}
	b.WriteString(`</svg>`)
	return b.String(), nil
}

// minLines is how many scan lines must read the code before a page is
// taken for a separator: one line could be chance, several across the
// barcode's height are not.
const minLines = 3

// Find tells whether the page g (grey or black and white, any resolution)
// carries a separator sheet's barcode, read across its rows and down its
// columns, in both directions (a sheet fed upside down or sideways).
func Find(g *image.Gray) bool {
	b := g.Rect
	if b.Dx() < 64 || b.Dy() < 64 {
		return false
	}
	// Scan lines every step pixels: a 25 mm bar is crossed by a dozen even
	// at 100 dpi.
	step := max(2, min(b.Dx(), b.Dy())/300)
	found := 0
	line := make([]bool, max(b.Dx(), b.Dy()))
	check := func(px []bool) {
		runs := runLengths(majority3(px))
		if readsCode(runs) {
			found++
			return
		}
		slices.Reverse(runs)
		if readsCode(runs) {
			found++
		}
	}
	for y := b.Min.Y; y < b.Max.Y && found < minLines; y += step {
		row := g.Pix[g.PixOffset(b.Min.X, y):g.PixOffset(b.Max.X, y)]
		px := line[:len(row)]
		for i, v := range row {
			px[i] = v < 128
		}
		check(px)
	}
	for x := b.Min.X; x < b.Max.X && found < minLines; x += step {
		px := line[:b.Dy()]
		for i := range px {
			px[i] = g.Pix[g.PixOffset(x, b.Min.Y+i)] < 128
		}
		check(px)
	}
	return found >= minLines
}

// majority3 takes each pixel as the most of it and its two neighbours
// (in place): speckle, a pixel flipped alone, would split a bar or a space
// in two, and a module is several pixels wide at any resolution scanned.
func majority3(px []bool) []bool {
	prev := false
	for i := range px {
		cur := px[i]
		next := i+1 < len(px) && px[i+1]
		if prev == next {
			px[i] = prev
		}
		prev = cur
	}
	return px
}

// run is a stretch of one colour along a scan line.
type run struct {
	ink bool
	n   int
}

func runLengths(px []bool) []run {
	var out []run
	for i := 0; i < len(px); {
		j := i
		for j < len(px) && px[j] == px[i] {
			j++
		}
		out = append(out, run{px[i], j - i})
		i = j
	}
	return out
}

// readsCode tells whether runs hold the barcode "*PATCHT*" with a quiet
// zone before it.
func readsCode(runs []run) bool {
	want := "*" + Code + "*"
	for i, r := range runs {
		if !r.ink || i == 0 {
			continue
		}
		if got, ok := decodeAt(runs, i, len(want)); ok && got == want {
			return true
		}
	}
	return false
}

// decodeAt reads n characters from the bar runs[i], after a quiet zone:
// each nine runs, told wide from narrow by the three widest; the runs
// between characters narrow.
func decodeAt(runs []run, i, n int) (string, bool) {
	if i+n*10-1 > len(runs) {
		return "", false
	}
	var out []byte
	narrow := 0
	for c := range n {
		at := i + c*10
		elems := runs[at : at+9]
		ch, unit, ok := decodeChar(elems)
		if !ok {
			return "", false
		}
		if c == 0 {
			narrow = unit
			// A quiet zone of at least five narrow modules before it.
			if q := runs[i-1]; q.ink || q.n < 5*unit {
				return "", false
			}
		} else if unit > 2*narrow || 2*unit < narrow {
			return "", false // another size: not one barcode
		}
		if c < n-1 {
			gap := runs[at+9]
			if gap.ink || gap.n > 2*wideRatio*narrow {
				return "", false
			}
		}
		out = append(out, ch)
	}
	return string(out), true
}

// decodeChar reads one character from its nine runs, and returns the
// narrow module's width, rounded.
func decodeChar(elems []run) (byte, int, bool) {
	ws := make([]int, 9)
	for k, e := range elems {
		if e.ink != (k%2 == 0) {
			return 0, 0, false
		}
		ws[k] = e.n
	}
	sorted := slices.Clone(ws)
	slices.Sort(sorted)
	// The three widest are wide: the narrowest of them must stand well
	// clear of the widest narrow one, as 3 does of 1 once ink spreads
	// (a narrow bar of 1 mm scanned fat, its space thin, is still 1.5:1).
	wideMin, narrowMax := sorted[6], sorted[5]
	if 2*wideMin < 3*narrowMax {
		return 0, 0, false
	}
	var bits uint16
	for _, w := range ws {
		bits <<= 1
		if w >= wideMin {
			bits |= 1
		}
	}
	ch, ok := byPattern[bits]
	if !ok {
		return 0, 0, false
	}
	total := 0
	for _, w := range ws {
		total += w
	}
	return ch, max(1, total/(6+3*wideRatio)), true
}
