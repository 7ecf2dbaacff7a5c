package hand

import (
	"image"
	"slices"

	"github.com/sohoa/sohoa/pipeline"
)

// Shapes of the printed slash and the letters after it, in H.
const (
	// slashRoom: how far past the blank's estimated end a number's crop
	// reaches, for the slash to be found in it (the estimate from OCR's
	// word box is short when OCR glued a wide handwritten number to the
	// symbol) with two letters after it.
	slashRoom = 3.6
	// slashFrom, slashTo: where the slash is looked for, about the
	// estimate.
	slashFrom, slashTo = 1.0, 2.0
	// slashMinTall, slashMaxTall, slashMinWide, slashMaxWide: the slash's
	// height and width; slashBelow, slashAbove how far its foot may be
	// below and above the baseline.
	slashMinTall, slashMaxTall = 0.8, 1.35
	slashMinWide, slashMaxWide = 0.15, 0.75
	slashBelow, slashAbove     = 0.35, 0.15
	// slashLean: the top of a slash is right of its foot by this share of
	// its width at least.
	slashLean = 0.3
	// letterGap: the letters of the symbol follow the slash and each
	// other this close; letterMin, letterMax their heights, letterFoot
	// how far their foot is from the baseline.
	letterGap            = 0.6
	letterMin, letterMax = 0.5, 1.35
	letterFoot           = 0.2
	// yearMinWide, yearMaxWide: the printed year between two slashes
	// ("/2016/") is this wide; yearDigitWide: each of its digits at most.
	yearMinWide, yearMaxWide = 1.4, 3.4
	yearDigitWide            = 0.75
	// wideFrom: where after the label a wide spot's slash is looked for
	// (a number has a digit at least before it).
	wideFrom = 0.5
)

// PlaceSlash finds the printed slash of the symbol after a number's blank
// in grey (the region s.Region of the corrected page) and returns s with
// Right at the slash's foot; s as it was when s is not a number or no
// slash is seen. The slash is a print-high stroke leaning right, standing
// on the baseline and followed by two print-high letters that do not
// lean; of several, the one furthest right (a handwritten 1 may look like
// a slash, but never stands before the symbol's letters).
func PlaceSlash(s Spot, grey *image.Gray) Spot {
	if s.Field != pipeline.BlankNumber || grey == nil || grey.Rect.Dx() == 0 || s.H <= 0 {
		return s
	}
	w := grey.Rect.Dx()
	mask, _ := inkMask(grey, nil, s.H, image.Rectangle{})
	cs, labels := components(mask, w)
	slices.SortFunc(cs, func(a, b comp) int { return a.box.Min.X - b.box.Min.X })
	fh := float64(s.H)
	base := s.Base - s.Region.Min.Y
	est := s.Right - s.Region.Min.X
	isSlash := func(c comp) bool {
		dx, dy := float64(c.box.Dx()), float64(c.box.Dy())
		foot := float64(c.box.Max.Y - base)
		return dy >= slashMinTall*fh && dy <= slashMaxTall*fh && dx >= slashMinWide*fh && dx <= slashMaxWide*fh &&
			foot <= slashBelow*fh && foot >= -slashAbove*fh && lean(c, labels, w) >= slashLean*dx
	}
	isLetter := func(c comp) bool {
		dy := float64(c.box.Dy())
		return dy >= letterMin*fh && dy <= letterMax*fh && abs(c.box.Max.Y-base) <= int(letterFoot*fh) && !isSlash(c)
	}
	// next is the first component after c that stands on the line, within
	// letterGap of it; -1 if none.
	next := func(i int) int {
		for j := i + 1; j < len(cs); j++ {
			d := cs[j]
			if float64(d.box.Min.X-cs[i].box.Max.X) > letterGap*fh {
				return -1
			}
			if d.box.Min.X >= cs[i].box.Max.X-int(0.1*fh) && d.box.Max.Y >= base-int(letterFoot*fh) && d.box.Max.Y <= base+int(slashBelow*fh) {
				return j
			}
		}
		return -1
	}
	from, to := float64(est)-slashFrom*fh, float64(est)+slashTo*fh
	if s.NeedsSlash {
		// OCR read no slash: it may be anywhere after the label (the
		// estimate from the symbol's letters is long when OCR garbled
		// them), the symbol's letters still following it.
		from = float64(s.Left-s.Region.Min.X) + wideFrom*fh
	}
	if s.wide {
		to = float64(w)
	}
	found := -1
	for i, c := range cs {
		x := c.box.Min.X
		if float64(x) < from || float64(x) > to || !isSlash(c) {
			continue
		}
		a := next(i)
		if a < 0 || !isLetter(cs[a]) {
			continue
		}
		// The second letter may be past the crop when the first runs
		// into its side.
		if b := next(a); (b < 0 || !isLetter(cs[b])) && cs[a].box.Max.X < w {
			continue
		}
		found = i
	}
	if found < 0 {
		return s
	}
	// A symbol with the year ("03/2016/NQ-HĐND", a legal document's):
	// the blank ends at the slash before the year, which OCR often reads
	// as a 1 and glues to the number.
	for j := found - 1; j >= 0; j-- {
		gap := float64(cs[found].box.Min.X - cs[j].box.Max.X)
		if gap > yearMaxWide*fh {
			break
		}
		if gap < yearMinWide*fh || !isSlash(cs[j]) {
			continue
		}
		digits, print := 0, true
		for _, d := range cs[j+1 : found] {
			if float64(d.box.Max.Y) < float64(base)-letterFoot*fh {
				continue // an accent, a dot above the line
			}
			if !isLetter(d) || float64(d.box.Dx()) > yearDigitWide*fh {
				print = false
				break
			}
			digits++
		}
		if print && digits >= 3 && digits <= 5 {
			found = j
		}
		break
	}
	s.Right = s.Region.Min.X + cs[found].box.Min.X
	s.NeedsSlash = false
	if s.wide {
		// The symbol ends where the print after the slash stops: its
		// letters, hyphens and the Đ's bar follow each other closely.
		end := cs[found].box.Max.X
		for _, d := range cs[found+1:] {
			if float64(d.box.Min.X-end) > letterGap*fh {
				break
			}
			if d.box.Max.Y >= base-int(letterMax*fh) && d.box.Min.Y <= base+int(letterFoot*fh) {
				end = max(end, d.box.Max.X)
			}
		}
		s.SymbolEnd = s.Region.Min.X + end
		s.Region.Max.X = min(s.Region.Max.X, s.Right+int(slashRoom*fh))
		s.wide = false
	}
	return s
}

// lean is how far right of the foot of c its top is: the mean column of
// its ink in its top quarter less that in its bottom quarter.
func lean(c comp, labels []int32, w int) float64 {
	q := max(1, c.box.Dy()/4)
	mean := func(y0, y1 int) float64 {
		sum, n := 0, 0
		for y := y0; y < y1; y++ {
			for x := c.box.Min.X; x < c.box.Max.X; x++ {
				if labels[y*w+x] == c.label {
					sum += x
					n++
				}
			}
		}
		if n == 0 {
			return 0
		}
		return float64(sum) / float64(n)
	}
	return mean(c.box.Min.Y, c.box.Min.Y+q) - mean(c.box.Max.Y-q, c.box.Max.Y)
}

// Measure sets a number's capital height H from the print at the end of
// its symbol (tail, the page's region s.TailRegion()) when OCR's word box
// made it much taller: OCR glues a large handwritten number into the
// symbol's word, and a blank measured by that box takes handwritten
// digits for print and misses the slash. The Left estimated from the
// width of a glued "Số:" follows. s as it was when the print agrees or
// cannot be measured.
func Measure(s Spot, tail *image.Gray) Spot {
	m := printHeight(s, tail)
	if m == 0 || float64(s.H) <= inflatedBox*float64(m) {
		return s
	}
	s.H = int(printBox*float64(m) + 0.5)
	if s.label > 0 {
		s.Left = s.label + int(soWidth*float64(s.H))
	}
	return s
}

// printHeight is the median height of the printed capitals in tail, the
// last letters of the symbol ("UBND"), which are never handwritten; 0 when
// nothing there reads as print.
func printHeight(s Spot, tail *image.Gray) int {
	if tail == nil || tail.Rect.Dx() == 0 || s.H <= 0 {
		return 0
	}
	mask, _ := inkMask(tail, nil, s.H, image.Rectangle{})
	cs, _ := components(mask, tail.Rect.Dx())
	var hs []int
	for _, c := range cs {
		if float64(c.box.Dy()) >= tailMinTall*float64(s.H) && c.box.Dx() >= 2 {
			hs = append(hs, c.box.Dy())
		}
	}
	if len(hs) == 0 {
		return 0
	}
	slices.Sort(hs)
	return hs[len(hs)/2]
}

// TailRegion is the end of the printed symbol after a number's blank,
// tailWidth capital heights of it, for Measure. Empty for a day or month.
func (s Spot) TailRegion() image.Rectangle {
	if s.SymbolEnd <= s.Right {
		return image.Rectangle{}
	}
	fh := float64(s.H)
	x0 := max(s.Right, s.SymbolEnd-int(tailWidth*fh))
	return image.Rect(x0, s.Base-int(tailAbove*fh), s.SymbolEnd, s.Base+int(symbolBelow*fh))
}

// Measure's print, in H as OCR's box gives it.
const (
	// tailWidth, tailAbove: how much of the symbol's end is measured, and
	// how far above the baseline (a tall box reaches high).
	tailWidth = 1.5
	tailAbove = 1.6
	// tailMinTall: smaller marks are the hyphen, dots and specks.
	tailMinTall = 0.3
	// printBox: OCR's box of a printed symbol is this many times its
	// capitals' height (the slash and the Đ's bar reach past them; on
	// seed 2000's numbers 1.03 to 1.43 from 5% to 95%, median 1.18);
	// inflatedBox: a box taller than this many times has handwriting in
	// it (about 8% of them, up to 2.65).
	printBox    = 1.18
	inflatedBox = 1.35
)
