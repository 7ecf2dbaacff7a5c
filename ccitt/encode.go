package ccitt

import "image"

// code is a variable-length bit code: its n low bits, most significant first.
type code struct {
	bits uint32
	n    uint8
}

func parseCode(s string) code {
	var c code
	for _, b := range s {
		c.bits = c.bits<<1 | uint32(b-'0')
	}
	c.n = uint8(len(s))
	return c
}

func parseCodes(ss []string) []code {
	cs := make([]code, len(ss))
	for i, s := range ss {
		cs[i] = parseCode(s)
	}
	return cs
}

// Two-dimensional mode codes (T.4 Table 4, T.6 Table 1).
var (
	codePass  = parseCode("0001")
	codeHoriz = parseCode("001")
	// codeVertical[d+3] is the code for a1 - b1 = d, -3 ≤ d ≤ 3.
	codeVertical = [7]code{
		parseCode("0000010"), // VL3
		parseCode("000010"),  // VL2
		parseCode("010"),     // VL1
		parseCode("1"),       // V0
		parseCode("011"),     // VR1
		parseCode("000011"),  // VR2
		parseCode("0000011"), // VR3
	}
	codeEOL = parseCode("000000000001")
)

// runCodes holds the run-length codes of one colour.
type runCodes struct {
	term   []code // 0–63
	makeup []code // 64, 128, …, 2560 (Table 3a then the shared Table 3b)
}

var (
	whiteRuns = runCodes{
		term:   parseCodes(whiteTermCodes[:]),
		makeup: append(parseCodes(whiteMakeupCodes[:]), parseCodes(extMakeupCodes[:])...),
	}
	blackRuns = runCodes{
		term:   parseCodes(blackTermCodes[:]),
		makeup: append(parseCodes(blackMakeupCodes[:]), parseCodes(extMakeupCodes[:])...),
	}
)

// maxMakeup is the longest run a single make-up code describes.
const maxMakeup = 2560

// bitWriter accumulates codes most significant bit first (TIFF FillOrder 1).
type bitWriter struct {
	out  []byte
	acc  uint64 // pending bits, right-aligned
	nacc uint   // number of pending bits, < 8 between calls
}

func (w *bitWriter) put(c code) {
	w.acc = w.acc<<c.n | uint64(c.bits)
	w.nacc += uint(c.n)
	for w.nacc >= 8 {
		w.nacc -= 8
		w.out = append(w.out, byte(w.acc>>w.nacc))
	}
	w.acc &= 1<<w.nacc - 1
}

// flush pads the last byte with zero bits.
func (w *bitWriter) flush() []byte {
	if w.nacc > 0 {
		w.out = append(w.out, byte(w.acc<<(8-w.nacc)))
		w.acc, w.nacc = 0, 0
	}
	return w.out
}

func (w *bitWriter) putRun(n int, rc *runCodes) {
	for n > maxMakeup {
		w.put(rc.makeup[len(rc.makeup)-1])
		n -= maxMakeup
	}
	if n >= 64 {
		w.put(rc.makeup[n/64-1])
		n %= 64
	}
	w.put(rc.term[n])
}

// EncodeG4 encodes img as ITU-T T.6 (CCITT Group 4) data: pixels below 128
// are black, the others white. The data ends with the end-of-facsimile block
// (two EOLs) and is padded to a whole byte; rows are not byte-aligned.
//
// The result is what a TIFF with Compression=4 and
// PhotometricInterpretation=0 (WhiteIsZero), FillOrder=1, holds in its single
// strip, and what a PDF /CCITTFaxDecode filter with /K -1 and /BlackIs1 false
// (the defaults apart from K) decodes. An image with no pixels encodes to the
// end-of-facsimile block alone.
func EncodeG4(img *image.Gray) []byte {
	b := img.Bounds()
	width, height := b.Dx(), b.Dy()
	w := &bitWriter{out: make([]byte, 0, width*height/64+16)}
	if width > 0 {
		// Changing elements of the reference and coding lines, each followed
		// by three copies of width so that lookups past the last real change
		// stay in range (see encodeRow).
		ref := []int{width, width, width} // the imaginary all-white line above the first
		cur := make([]int, 0, 64)
		for y := 0; y < height; y++ {
			row := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):][:width]
			cur = changes(cur[:0], row)
			encodeRow(w, cur, ref, width)
			ref, cur = cur, ref
		}
	}
	w.put(codeEOL)
	w.put(codeEOL)
	return w.flush()
}

// changes appends to dst the positions at which row changes colour, starting
// from an imaginary white pixel before the first, then three sentinels equal
// to len(row). Changes at even indexes are white-to-black, at odd indexes
// black-to-white.
func changes(dst []int, row []uint8) []int {
	black := false
	for x, v := range row {
		if (v < 128) != black {
			dst = append(dst, x)
			black = !black
		}
	}
	n := len(row)
	return append(dst, n, n, n)
}

// encodeRow codes one line in two-dimensional mode (T.4 §4.2.1.3, T.6 §2.2).
func encodeRow(w *bitWriter, cur, ref []int, width int) {
	a0 := -1
	black := false // colour of a0
	ci, ri := 0, 0 // first indexes into cur and ref whose position is > a0
	for a0 < width {
		for cur[ci] <= a0 {
			ci++
		}
		for ref[ri] <= a0 {
			ri++
		}
		a1 := cur[ci]
		// b1 is the first change on the reference line right of a0 to the
		// colour opposite a0's: white-to-black (even index) when a0 is white.
		bi := ri
		if (bi%2 == 1) != black {
			bi++
		}
		b1, b2 := ref[bi], ref[bi+1]
		switch d := a1 - b1; {
		case b2 < a1:
			w.put(codePass)
			a0 = b2
		case -3 <= d && d <= 3:
			w.put(codeVertical[d+3])
			a0 = a1
			black = !black
		default:
			a2 := cur[ci+1]
			start := max(a0, 0)
			w.put(codeHoriz)
			if black {
				w.putRun(a1-start, &blackRuns)
				w.putRun(a2-a1, &whiteRuns)
			} else {
				w.putRun(a1-start, &whiteRuns)
				w.putRun(a2-a1, &blackRuns)
			}
			a0 = a2
		}
	}
}
