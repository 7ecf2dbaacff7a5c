package hand

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"slices"

	"github.com/sohoa/sohoa/ocr/digits"
	"github.com/sohoa/sohoa/pipeline"
)

// classifier is what Read needs of the digit model (digits.Model).
type classifier interface {
	Predict(in *digits.Input) [digits.Classes]float32
}

var _ classifier = (*digits.Model)(nil)

// Segmentation, in the glyph's own proportions.
const (
	// sureWhole: a glyph read as one digit with this probability is not
	// tried as two touching digits unless it is wider than splitAspect.
	sureWhole   = 0.9
	splitAspect = 1.15
	// tryAspect: glyphs narrower than this (width over height) are one
	// digit. Two upright 1s touching are about as wide as high, but two
	// slanted 1s written close touch in a glyph half as wide as high: at
	// 0.7, days of 11 to 18 on seed 2000 read as an unsure 1 to 8.
	tryAspect = 0.3
	// cutFrom, cutTo: where between its ends a glyph may be cut in two;
	// cutTries: how many places are tried; threeAspect: a glyph wider
	// than this is tried as three digits too.
	cutFrom, cutTo = 0.25, 0.75
	cutTries       = 4
	// cutCost: the price of each cut, against reading the glyph whole
	// (a digit read poorly is more often one digit than three).
	cutCost     = 0.6
	threeAspect = 2 * splitAspect
	// cutSure, cutRival: digits cut apart are read without doubt when each
	// has this probability at least and the glyph's best other reading
	// scores below cutRival of theirs. On seed 2000's 300 headers, 47
	// such cuts were right and none wrong; wrong cuts read that well had
	// rivals of 0.83 and more (a wide 0 as 67). A 1 cut from a glyph
	// needs cutSureOne: any thin slice of a digit reads as a 1, and on
	// held-out seed 9100 a 1 touching a 9 whose loop the blur had filled
	// read as a sure 11 (0.998 and 0.9975), nothing else reading at all.
	cutSure    = 0.99
	cutSureOne = 0.999
	cutRival   = 0.7
	// edgeReach: a glyph that starts this close to the print before the
	// blank, or ends this close to the print after it (in capital heights),
	// may hold a piece of it.
	edgeReach = 0.3
	// trimShare: how much of such a glyph, from its outer side, may be
	// print, and trimInk how much of its ink; trimTries how many cuts are tried; trimCost the price of a
	// reading that leaves ink out, against one that reads it all.
	trimShare = 0.45
	trimTries = 4
	trimCost  = 0.9
	trimInk   = 0.15
	// wideDigit: a digit wider than high by this is rare (a wide 0 or 2);
	// two touching digits are. Its price grows with the square of how
	// much wider it is: a flat price of a half made a wide leading 0 (1.13)
	// read worse than a 6 cut from its side, and two digits touching read
	// as one (1.5 and more) still pay a half and more.
	wideDigit = 1.05
	// outsideTall: ink at a side of the crop that reaches this far above
	// the baseline (in H) is handwriting, not print: capitals with an
	// accent (Ố, Ễ) reach 1.35.
	outsideTall = 1.5
	// maxDigits: a blank holds at most this many digits (a number).
	maxDigits = 5
	// dropReject: a mark the model calls "not a digit" with this
	// probability, at either end of the blank, is print or a stray mark
	// and is left out without doubt.
	dropReject = 0.8
)

// Reasons a reading is in doubt (Blank.Doubt), for the review queue.
const (
	doubtMark     = "có nét không phải chữ số"                                  // a mark that is not a digit
	doubtTooMany  = "quá nhiều chữ số"                                          // more digits than a blank holds
	doubtNoDigits = "không thấy chữ số viết tay"                                // nothing written
	doubtCut      = "chữ số viết liền nhau, đã tách"                            // digits that touched, cut apart
	doubtTouch    = "chữ viết tay chạm chữ in bên cạnh"                         // ink against the print
	doubtOutside  = "chữ viết tay vượt ra ngoài chỗ trống, có thể thiếu chữ số" // ink cut by the crop's side
)

// Read reads the digits handwritten in the blank at s. grey is the
// region s.Region of the corrected page in grey, colour the same in colour
// or nil (as ocr.Prepared.Region gives them). It returns the reading
// (Field, Box, Digits, Probs, Colour; Doubt when something in the blank is
// not a digit), the crop as PNG for the review page, and the marks taken
// for handwriting alone, black on white (for a second reader).
func Read(s Spot, grey *image.Gray, colour *image.RGBA, m classifier) (pipeline.Blank, []byte, *image.Gray) {
	b := pipeline.Blank{Field: s.Field, Box: pipeline.Box{X0: s.Region.Min.X, Y0: s.Region.Min.Y, X1: s.Region.Max.X, Y1: s.Region.Max.Y}}
	w := grey.Rect.Dx()
	if w == 0 || grey.Rect.Dy() == 0 {
		b.Doubt = doubtNoDigits
		return b, nil, nil
	}
	// The ink's level is taken over the blank, not over the symbol a
	// number's crop reaches into for its slash.
	level := image.Rect(0, 0, min(w, s.Right-s.Region.Min.X+int(regionMargin*0.5*float64(s.H))), grey.Rect.Dy())
	mask, fromColour := inkMask(grey, colour, s.H, level)
	b.Colour = fromColour
	cs, labels := components(mask, w)
	ox, oy := s.Region.Min.X, s.Region.Min.Y
	gs := marks(cs, s.H, s.Left-ox, s.Right-ox, s.Base-oy, fromColour, s.Field != pipeline.BlankNumber)
	var ds []byte
	var pieceLog []piece
	left, right := s.Left-ox, s.Right-ox
	edge := int(edgeReach * float64(s.H))
	for i, g := range gs {
		pieces := split(g, labels, w, m)
		// A glyph at an end of the blank may carry a piece of the print
		// it touches (the tail of the "y" of "ngày", the colon of "Số:",
		// the slash): read it also without its outer columns.
		if i == 0 && g.box.Min.X < left+edge {
			pieces = trimmed(g, labels, w, m, pieces, true)
		}
		if i == len(gs)-1 && g.box.Max.X > right-edge {
			pieces = trimmed(g, labels, w, m, pieces, false)
		}
		pieceLog = append(pieceLog, pieces...)
		for _, p := range pieces {
			if p.digit == digits.Reject {
				// Print at an end of the blank is print-sized; a mark
				// taller than print is handwriting the model could not read.
				if (i == 0 || i == len(gs)-1) && p.prob >= dropReject && float64(g.box.Dy()) <= printTall*float64(s.H) {
					continue
				}
				b.Doubt = doubtMark
				continue
			}
			ds = append(ds, byte('0'+p.digit))
			b.Probs = append(b.Probs, math.Round(float64(p.prob)*1e4)/1e4)
		}
	}
	// Digits cut apart where they touch may have been one digit (a wide,
	// slanted 0 reads as a 6 and a 7 as well): read, in doubt unless the
	// cut reads far better than anything else.
	// A cut read very well, far better than any other reading of its
	// glyph, is no doubt.
	if b.Doubt == "" && doubtfulCut(pieceLog) {
		b.Doubt = doubtCut
	}
	// Ink that runs into the print beside the blank ("Số:07" written
	// against the colon, a 1 against the symbol's slash) may have taken a
	// piece of it for a digit, or a digit for a piece of it. Not in
	// colour, where the print is not in the mask and the ink past the
	// blank's ends is read whole.
	if len(gs) > 0 && b.Doubt == "" && !fromColour && (gs[0].box.Min.X < left || gs[len(gs)-1].box.Max.X > right) {
		b.Doubt = doubtTouch
	}
	// Handwriting cut by a side of the crop (a last digit written over
	// where the slash was taken to be) may be a digit left out.
	if b.Doubt == "" && cutBySide(cs, w, s.H, s.Base-oy) {
		b.Doubt = doubtOutside
	}
	switch {
	case len(ds) > maxDigits:
		b.Doubt = doubtTooMany
	case len(ds) == 0 && b.Doubt == "":
		b.Doubt = doubtNoDigits
	}
	b.Digits = string(ds)
	var buf bytes.Buffer
	var img image.Image = grey
	if fromColour {
		img = colour
	}
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
		return b, nil, nil
	}
	return b, buf.Bytes(), cleanImage(gs, labels, grey.Rect)
}

// cutBySide tells whether a component on the blank's line that reaches
// higher than print runs into a side of the crop (w wide): handwriting
// the crop cut. Print beside the blank, the rules and the line above do
// not.
func cutBySide(cs []comp, w, h, base int) bool {
	fh := float64(h)
	for _, c := range cs {
		if c.box.Min.X > 0 && c.box.Max.X < w {
			continue
		}
		if float64(c.box.Dx()) > lineAspect*float64(c.box.Dy()) && float64(c.box.Dy()) < lineThick*fh {
			continue // a rule
		}
		if float64(c.box.Max.Y) < float64(base)-highBottom*fh {
			continue // the line above
		}
		if float64(base-c.box.Min.Y) > outsideTall*fh {
			return true
		}
	}
	return false
}

// doubtfulCut: a digit of ps was cut from a glyph and read less than
// cutSure, or its glyph read nearly as well another way.
func doubtfulCut(ps []piece) bool {
	for _, p := range ps {
		sure := float32(cutSure)
		if p.digit == 1 {
			sure = cutSureOne
		}
		if p.cut && (p.prob < sure || p.rival >= cutRival) {
			return true
		}
	}
	return false
}

// cleanImage draws the glyphs black on white, over the crop's frame.
func cleanImage(gs []glyph, labels []int32, r image.Rectangle) *image.Gray {
	out := image.NewGray(r)
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	w := r.Dx()
	for _, g := range gs {
		for y := g.box.Min.Y; y < g.box.Max.Y; y++ {
			for x := g.box.Min.X; x < g.box.Max.X; x++ {
				if slices.Contains(g.labels, labels[y*w+x]) {
					out.Pix[y*out.Stride+x] = 0
				}
			}
		}
	}
	return out
}

// piece is one digit (or Reject) read from part of a glyph.
type piece struct {
	digit  int
	prob   float32
	aspect float64 // width over height of its ink
	cut    bool    // cut from a mark it touched
	// rival is, for a piece cut from a glyph, how well the glyph's best
	// other reading (other digits, whole or cut elsewhere) scored against
	// this one's: near 1, the cut was a toss-up.
	rival float64
}

// split reads glyph g as one digit, or as two or three touching ones when
// that reads better: each way is scored by the product of its digits'
// probabilities, and the best is kept. Cuts are tried upright and, for a
// slanted hand, along the glyph's slant: two slanted digits that touch
// overlap in every column, and an upright cut between them runs through
// a loop or takes a piece of each.
func split(g glyph, labels []int32, w int, m classifier) []piece {
	pts := inkPoints(g, labels, w)
	whole := classifyPoints(pts, m)
	aspect := float64(g.box.Dx()) / float64(max(1, g.box.Dy()))
	if aspect < tryAspect || whole.prob >= sureWhole && whole.digit != digits.Reject && aspect < splitAspect {
		return []piece{whole}
	}
	best, bestScore := []piece{whole}, score([]piece{whole})
	// The best score of each other reading, for the rival of the cut.
	scores := map[string]float64{digitsOf(best): bestScore}
	hs := holes(g, labels, w)
	for _, k := range slants(pts) {
		sh := newShear(pts, g.box, k)
		col := columnInk(pts, sh)
		n := len(col)
		ls := loopSpans(hs, sh)
		try := func(cuts ...int) {
			var ps []piece
			prev := 0
			for _, c := range append(cuts, n) {
				if c-prev < 2 || c < n && throughLoop(c, ls) {
					return
				}
				in := sh.between(pts, prev, c)
				p := classifyPoints(in, m)
				// A slanted digit is as wide as it is across its slant.
				p.aspect = sh.aspect(in)
				ps = append(ps, p)
				prev = c
			}
			sc := score(ps) * math.Pow(cutCost, float64(len(ps)-1))
			if k := digitsOf(ps); sc > scores[k] {
				scores[k] = sc
			}
			if sc > bestScore {
				for i := range ps {
					ps[i].cut = true
				}
				best, bestScore = ps, sc
			}
		}
		for _, c := range cutsIn(col, cutFrom, cutTo, ls) {
			try(c)
		}
		if aspect > threeAspect {
			for _, a := range cutsIn(col, 0.2, 0.45, ls) {
				for _, b := range cutsIn(col, 0.55, 0.8, ls) {
					try(a, b)
				}
			}
		}
	}
	if best[0].cut && bestScore > 0 {
		k, rival := digitsOf(best), 0.0
		for o, sc := range scores {
			if o != k {
				rival = max(rival, sc/bestScore)
			}
		}
		for i := range best {
			best[i].rival = rival
		}
	}
	return best
}

// digitsOf is the digits pieces read, as text (Reject as "?").
func digitsOf(ps []piece) string {
	b := make([]byte, len(ps))
	for i, p := range ps {
		b[i] = '?'
		if p.digit != digits.Reject {
			b[i] = byte('0' + p.digit)
		}
	}
	return string(b)
}

// cutsIn returns up to cutTries columns within [from, to) shares of col
// to cut at, none through a loop of ls: the column of least ink, then the
// other valleys of the ink, least ink first (two digits touch where the
// ink is thin, but not always where it is thinnest: a 0's side is thin
// too). Columns through a loop are never cut, so they do not take the
// place of the valleys beside it.
func cutsIn(col []int, from, to float64, ls [][2]int) []int {
	a, b := max(1, int(from*float64(len(col)))), min(len(col)-1, int(to*float64(len(col))))
	type cand struct{ x, ink int }
	var cs []cand
	least := -1
	for x := a; x < b; x++ {
		if throughLoop(x, ls) {
			continue
		}
		if least < 0 || col[x] < col[least] {
			least = x
		}
		if col[x] <= col[x-1] && col[x] <= col[x+1] {
			cs = append(cs, cand{x, col[x]})
		}
	}
	if least < 0 {
		return nil
	}
	slices.SortStableFunc(cs, func(p, q cand) int { return p.ink - q.ink })
	out := []int{least}
	for _, c := range cs {
		if len(out) == cutTries {
			break
		}
		if !slices.ContainsFunc(out, func(x int) bool { return abs(x-c.x) < 2 }) {
			out = append(out, c.x)
		}
	}
	return out
}

// score is how well pieces read: the product of their probabilities, 0
// when one is not a digit, lowered for a digit much wider than digits are
// written (two touching, read as one).
func score(ps []piece) float64 {
	s := 1.0
	for _, p := range ps {
		if p.digit == digits.Reject {
			return 0
		}
		s *= float64(p.prob)
		if p.aspect > wideDigit {
			s *= (wideDigit / p.aspect) * (wideDigit / p.aspect)
		}
	}
	return s
}

// trimmed reads glyph g without some of its columns on one side (fromLeft:
// the left), cut where it has least ink in its outer trimShare, and
// returns that reading when it reads better than best.
func trimmed(g glyph, labels []int32, w int, m classifier, best []piece, fromLeft bool) []piece {
	pts := inkPoints(g, labels, w)
	col := columnInk(pts, newShear(pts, g.box, 0))
	n := len(col)
	total := 0
	for _, v := range col {
		total += v
	}
	bestScore := score(best)
	for _, c := range localMinima(col, int(trimShare*float64(n)), fromLeft) {
		cut := 0
		for k := range c {
			if fromLeft {
				cut += col[k]
			} else {
				cut += col[n-1-k]
			}
		}
		if float64(cut) > trimInk*float64(total) {
			continue // that is a digit, not a piece of print
		}
		t := g
		if fromLeft {
			t.box.Min.X += c
		} else {
			t.box.Max.X -= c
		}
		if t.box.Dx() < 2 {
			continue
		}
		ps := split(t, labels, w, m)
		if sc := score(ps) * trimCost; sc > bestScore {
			best, bestScore = ps, sc
		}
	}
	return best
}

// localMinima returns, for up to trimTries cuts within within columns of
// one end of col, how many columns each cut leaves out: the columns of
// least ink, lowest first.
func localMinima(col []int, within int, fromLeft bool) []int {
	type cand struct{ cut, ink int }
	var cs []cand
	for k := 1; k < within && k < len(col)-1; k++ {
		x := k
		if !fromLeft {
			x = len(col) - 1 - k
		}
		if col[x] <= col[x-1] && col[x] <= col[x+1] {
			cs = append(cs, cand{k, col[x]})
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return a.ink - b.ink })
	var out []int
	for _, c := range cs[:min(len(cs), trimTries)] {
		out = append(out, c.cut)
	}
	return out
}

// classifyPoints reads the ink pts as one digit.
func classifyPoints(pts []image.Point, m classifier) piece {
	ink := pointsImage(pts)
	p := m.Predict(digits.Normalize(ink))
	aspect := float64(ink.Rect.Dx()) / float64(max(1, ink.Rect.Dy()))
	best := 0
	for i := range p {
		if p[i] > p[best] {
			best = i
		}
	}
	return piece{digit: best, prob: p[best], aspect: aspect}
}
