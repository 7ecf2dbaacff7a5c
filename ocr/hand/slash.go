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
	found := -1
	for i, c := range cs {
		x := c.box.Min.X
		if float64(x) < float64(est)-slashFrom*fh || float64(x) > float64(est)+slashTo*fh || !isSlash(c) {
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
	s.Right = s.Region.Min.X + cs[found].box.Min.X
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
