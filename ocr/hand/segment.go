package hand

import (
	"image"
	"math"
	"slices"
)

// comp is a connected component of ink in a crop: its box and its label
// in the crop's label map.
type comp struct {
	box   image.Rectangle
	label int32
}

// inkMask tells ink from paper in a crop. In colour, ink is what is blue or
// violet — ballpoint and felt-pen ink — so the black print and the red
// seal drop out, and the mask is used when there is enough of it (colour
// true); otherwise the grey crop is thresholded (Otsu, on the levels
// within level, the whole crop when it is empty), which for a 1-bit scan
// is its own black.
func inkMask(grey *image.Gray, colour *image.RGBA, h int, level image.Rectangle) (mask []bool, fromColour bool) {
	w, ht := grey.Rect.Dx(), grey.Rect.Dy()
	mask = make([]bool, w*ht)
	if colour != nil {
		n := 0
		for y := range ht {
			for x := range w {
				p := colour.Pix[colour.PixOffset(x, y):]
				r, g, b := int(p[0]), int(p[1]), int(p[2])
				if b-r >= blueOverRed && b-g >= blueOverGreen && r+g+b < 3*maxInkLevel {
					mask[y*w+x] = true
					n++
				}
			}
		}
		if n >= int(minColourInk*float64(h*h)) {
			return mask, true
		}
		clear(mask)
	}
	t := otsu(grey)
	if r := level.Add(grey.Rect.Min).Intersect(grey.Rect); !r.Empty() {
		t = otsu(grey.SubImage(r).(*image.Gray))
	}
	for y := range ht {
		row := grey.Pix[y*grey.Stride : y*grey.Stride+w]
		for x, v := range row {
			mask[y*w+x] = int(v) < t
		}
	}
	return mask, false
}

// Levels of inkMask.
const (
	// blueOverRed and blueOverGreen: how much bluer than red and green a
	// pixel must be to be ink (blue: 40,60,160; violet: 110,50,160).
	blueOverRed   = 30
	blueOverGreen = 15
	// maxInkLevel: the brightest mean level that is still ink, not paper.
	maxInkLevel = 215
	// minColourInk: coloured ink covering less than this many H² is not
	// handwriting in colour (a speck, a seal's edge).
	minColourInk = 0.15
)

// otsu returns the threshold that best splits grey's levels in two; a
// level below it is ink.
func otsu(g *image.Gray) int {
	var hist [256]int
	n := 0
	for y := range g.Rect.Dy() {
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+g.Rect.Dx()] {
			hist[v]++
			n++
		}
	}
	if n == 0 {
		return 128
	}
	sum := 0.0
	for i, c := range hist {
		sum += float64(i * c)
	}
	best, bestVar := 128, -1.0
	sumB, wB := 0.0, 0
	for t := range 256 {
		wB += hist[t]
		if wB == 0 {
			continue
		}
		wF := n - wB
		if wF == 0 {
			break
		}
		sumB += float64(t * hist[t])
		mB, mF := sumB/float64(wB), (sum-sumB)/float64(wF)
		v := float64(wB) * float64(wF) * (mB - mF) * (mB - mF)
		if v > bestVar {
			best, bestVar = t+1, v
		}
	}
	// A page that is nearly all paper still has its ink below mid-grey.
	return min(best, 200)
}

// components labels the 8-connected components of mask (w wide).
func components(mask []bool, w int) ([]comp, []int32) {
	ht := len(mask) / w
	labels := make([]int32, len(mask))
	var out []comp
	stack := make([]int, 0, 256)
	for start, ink := range mask {
		if !ink || labels[start] != 0 {
			continue
		}
		id := int32(len(out) + 1)
		c := comp{box: image.Rect(start%w, start/w, start%w+1, start/w+1), label: id}
		labels[start] = id
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%w, p/w
			c.box = c.box.Union(image.Rect(x, y, x+1, y+1))
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= ht {
						continue
					}
					q := ny*w + nx
					if mask[q] && labels[q] == 0 {
						labels[q] = id
						stack = append(stack, q)
					}
				}
			}
		}
		out = append(out, c)
	}
	return out, labels
}

// glyph is one mark in the blank taken for a digit (or a few digits
// touching): the components it is made of.
type glyph struct {
	box    image.Rectangle
	labels []int32
}

// Shapes of marks, in printed capital heights H.
const (
	// minMark: a component smaller than this on both sides is a speck or a
	// dot of a leader line.
	minMark = 0.28
	// lineAspect and lineThick: a component this much wider than high and
	// this thin is a rule or a leader line, not a digit.
	lineAspect = 3.0
	lineThick  = 0.25
	// printTall: a mark in the grey crop no taller than this, standing on
	// the baseline, overlapping the printed anchors, is print.
	printTall = 1.15
	// mergeOverlap: two components whose columns overlap by this share of
	// the narrower are parts of one digit (a broken stroke, the bar of a 5).
	mergeOverlap = 0.45
	mergeGap     = 0.3
	// clipMargin: how far past the blank's ends a glyph is read.
	clipMargin = 0.1
	// highBottom, lowTop: a component whose bottom is this far above the
	// baseline, or whose top is this far below it, belongs to another line.
	highBottom = 1.0
	lowTop     = 0.5
	// descTop, descBelow, descWide: a component that starts over the
	// print before a day's or month's blank, whose top is no higher than
	// this above the baseline, that reaches this far below it and is at
	// most descWide across is the descender
	// of the printed word before the blank (the "g" of "tháng", the "y"
	// of "ngày"): handwritten digits reach higher. On seed 2000's
	// generated headers the g's tail reached 0.82 H above the line and
	// 0.26 H below it, and read as a 3 or a 9 before the month.
	descTop   = 0.9
	descBelow = 0.15
	descWide  = 1.0
)

// marks keeps the components that may be handwriting and groups them into
// glyphs, left to right. left and right are the blank's ends in the crop;
// descender tells that the printed word before the blank ends in a letter
// that reaches below the line ("tháng", "ngày"; not "Số:").
func marks(cs []comp, h, left, right, base int, fromColour, descender bool) []glyph {
	fh := float64(h)
	var keep []comp
	for _, c := range cs {
		w, ht := c.box.Dx(), c.box.Dy()
		switch {
		case float64(w) < minMark*fh && float64(ht) < minMark*fh:
			continue // a speck, a dot of the leader
		case float64(w) > lineAspect*float64(ht) && float64(ht) < lineThick*fh:
			continue // a rule
		case c.box.Max.X <= left || c.box.Min.X >= right:
			continue // wholly over the print
		case float64(c.box.Max.Y) < float64(base)-highBottom*fh || float64(c.box.Min.Y) > float64(base)+lowTop*fh:
			continue // on the line above or below
		}
		// In colour the print is not in the mask: whatever is, past the
		// blank's ends too, is ink.
		mid := (c.box.Min.X + c.box.Max.X) / 2
		if mid > right && !fromColour {
			continue // mostly past the blank: the symbol's slash, its letters
		}
		if mid < left && !fromColour && float64(ht) <= printTall*fh {
			// Mostly over the print before the blank: it is print unless it
			// is clearly taller than print (a digit overlapping "Số:").
			continue
		}
		if descender && !fromColour && c.box.Min.X < left && float64(c.box.Dx()) <= descWide*fh &&
			float64(base-c.box.Min.Y) <= descTop*fh && float64(c.box.Max.Y-base) >= descBelow*fh {
			continue // the descender of the word before the blank
		}
		inside := min(c.box.Max.X, right) - max(c.box.Min.X, left)
		if !fromColour && float64(ht) <= printTall*fh && abs(c.box.Max.Y-base) < h/5 && 2*inside < w {
			continue // print standing on the baseline, mostly past the blank's edge
		}
		keep = append(keep, c)
	}
	slices.SortFunc(keep, func(a, b comp) int { return a.box.Min.X - b.box.Min.X })
	var out []glyph
	for _, c := range keep {
		if n := len(out); n > 0 {
			g := &out[n-1]
			ov := min(g.box.Max.X, c.box.Max.X) - max(g.box.Min.X, c.box.Min.X)
			gap := max(g.box.Min.Y, c.box.Min.Y) - min(g.box.Max.Y, c.box.Max.Y)
			if float64(ov) >= mergeOverlap*float64(min(g.box.Dx(), c.box.Dx())) && float64(gap) < mergeGap*fh {
				g.box = g.box.Union(c.box)
				g.labels = append(g.labels, c.label)
				continue
			}
		}
		out = append(out, glyph{box: c.box, labels: []int32{c.label}})
	}
	// A glyph that runs into the print (the tail of the "y" of "ngày"
	// touching the first digit) is read from the blank's side only. In
	// colour the print is not in the mask: the ink is read whole.
	if fromColour {
		return out
	}
	lo, hi := left-int(clipMargin*fh), right+int(clipMargin*fh)
	kept := out[:0]
	for _, g := range out {
		g.box.Min.X, g.box.Max.X = max(g.box.Min.X, lo), min(g.box.Max.X, hi)
		if g.box.Dx() > 1 {
			kept = append(kept, g)
		}
	}
	return kept
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// inkPoints lists glyph g's ink within its box, row by row.
func inkPoints(g glyph, labels []int32, w int) []image.Point {
	var out []image.Point
	for y := g.box.Min.Y; y < g.box.Max.Y; y++ {
		for x := g.box.Min.X; x < g.box.Max.X; x++ {
			if slices.Contains(g.labels, labels[y*w+x]) {
				out = append(out, image.Pt(x, y))
			}
		}
	}
	return out
}

// pointsImage draws pts as an ink image (255 ink) cropped to them.
func pointsImage(pts []image.Point) *image.Gray {
	if len(pts) == 0 {
		return image.NewGray(image.Rectangle{})
	}
	r := image.Rectangle{Min: pts[0], Max: pts[0].Add(image.Pt(1, 1))}
	for _, p := range pts {
		r = r.Union(image.Rectangle{Min: p, Max: p.Add(image.Pt(1, 1))})
	}
	out := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	for _, p := range pts {
		out.Pix[(p.Y-r.Min.Y)*out.Stride+p.X-r.Min.X] = 255
	}
	return out
}

// shear is the frame a cut is taken in: the column u of a pixel (x, y) is
// x less the glyph's left, plus k·(y − yc) for a hand slanted k to the
// right (the top of a stroke k pixels right of its foot for each pixel of
// height), off making the least column 0. A cut at u = c runs along the
// slant; with k 0 it is upright.
type shear struct {
	k           float64
	x0, yc, off int
}

// newShear is the frame of slant k for glyph ink pts within box.
func newShear(pts []image.Point, box image.Rectangle, k float64) shear {
	sh := shear{k: k, x0: box.Min.X, yc: (box.Min.Y + box.Max.Y) / 2}
	least := 0
	for i, p := range pts {
		if u := sh.u(p); i == 0 || u < least {
			least = u
		}
	}
	sh.off = -least
	return sh
}

func (sh shear) u(p image.Point) int {
	return p.X - sh.x0 + int(math.Round(sh.k*float64(p.Y-sh.yc))) + sh.off
}

// between returns the pts whose column is in [u0, u1).
func (sh shear) between(pts []image.Point, u0, u1 int) []image.Point {
	var out []image.Point
	for _, p := range pts {
		if u := sh.u(p); u >= u0 && u < u1 {
			out = append(out, p)
		}
	}
	return out
}

// aspect is the width of ink pts across frame sh's columns over their
// height.
func (sh shear) aspect(pts []image.Point) float64 {
	if len(pts) == 0 {
		return 0
	}
	u0, u1, y0, y1 := sh.u(pts[0]), sh.u(pts[0]), pts[0].Y, pts[0].Y
	for _, p := range pts {
		u := sh.u(p)
		u0, u1, y0, y1 = min(u0, u), max(u1, u), min(y0, p.Y), max(y1, p.Y)
	}
	return float64(u1-u0+1) / float64(y1-y0+1)
}

// columnInk counts the ink pts in each column of frame sh.
func columnInk(pts []image.Point, sh shear) []int {
	var out []int
	for _, p := range pts {
		u := sh.u(p)
		for len(out) <= u {
			out = append(out, 0)
		}
		out[u]++
	}
	return out
}

// slants are the slants cuts are tried along for glyph ink pts: upright,
// and the ink's own slant (its x against its y, as a least-squares line)
// when the hand leans.
func slants(pts []image.Point) []float64 {
	if len(pts) < 2 {
		return []float64{0}
	}
	var mx, my float64
	for _, p := range pts {
		mx += float64(p.X)
		my += float64(p.Y)
	}
	n := float64(len(pts))
	mx, my = mx/n, my/n
	var cov, vy float64
	for _, p := range pts {
		dx, dy := float64(p.X)-mx, float64(p.Y)-my
		cov += dx * dy
		vy += dy * dy
	}
	if vy == 0 {
		return []float64{0}
	}
	// y grows downwards: a hand leaning right has x falling as y grows.
	k := max(minSlant, min(maxSlant, -cov/vy))
	if math.Abs(k) < leanSlant {
		return []float64{0}
	}
	return []float64{0, k}
}

// Slants of cuts (slants).
const (
	// leanSlant: a hand leaning less than this (in x per y) is cut
	// upright only; minSlant and maxSlant bound the slant cuts follow
	// (about −17° and 35°).
	leanSlant          = 0.08
	minSlant, maxSlant = -0.3, 0.7
)

// holes returns glyph g's large holes: paper that its ink closes all
// round (the inside of a 0, the bowl of a 6 or 9), at least loopWide of
// the glyph's height across, each as its pixels. Two digits that touch
// are cut beside each other's loops, never through one: a wide, slanted
// 0 cut down its middle reads as a 6 and a 7.
func holes(g glyph, labels []int32, w int) [][]image.Point {
	r := g.box
	gw, gh := r.Dx(), r.Dy()
	if gw < 3 || gh < 3 {
		return nil
	}
	ink := func(x, y int) bool { return slices.Contains(g.labels, labels[(r.Min.Y+y)*w+r.Min.X+x]) }
	// Paper reached from the box's border (4-connected, as 8-connected
	// ink closes it) is outside; the paper left over is holes.
	seen := make([]bool, gw*gh)
	var stack []int
	push := func(x, y int) {
		if x >= 0 && y >= 0 && x < gw && y < gh && !seen[y*gw+x] && !ink(x, y) {
			seen[y*gw+x] = true
			stack = append(stack, y*gw+x)
		}
	}
	flood := func() (x0, x1 int, px []image.Point) {
		x0, x1 = gw, -1
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%gw, p/gw
			x0, x1 = min(x0, x), max(x1, x)
			px = append(px, image.Pt(r.Min.X+x, r.Min.Y+y))
			push(x+1, y)
			push(x-1, y)
			push(x, y+1)
			push(x, y-1)
		}
		return x0, x1, px
	}
	for x := range gw {
		push(x, 0)
		push(x, gh-1)
	}
	for y := range gh {
		push(0, y)
		push(gw-1, y)
	}
	flood()
	var out [][]image.Point
	for y := range gh {
		for x := range gw {
			if seen[y*gw+x] || ink(x, y) {
				continue
			}
			push(x, y)
			x0, x1, px := flood()
			if float64(x1-x0+1) >= loopWide*float64(gh) && len(px) >= loopArea {
				out = append(out, px)
			}
		}
	}
	return out
}

// loopSpans returns the columns each of holes hs spans in frame sh.
func loopSpans(hs [][]image.Point, sh shear) [][2]int {
	var out [][2]int
	for _, h := range hs {
		lo, hi := 0, 0
		for i, p := range h {
			u := sh.u(p)
			if i == 0 || u < lo {
				lo = u
			}
			if i == 0 || u > hi {
				hi = u
			}
		}
		out = append(out, [2]int{lo, hi})
	}
	return out
}

// Loops that cuts keep out of (holes).
const (
	// loopWide: a hole at least this share of its glyph's height across
	// is a digit's loop; the slit where two digits touch twice is
	// narrower.
	loopWide = 0.25
	// loopArea: holes of fewer pixels are gaps in the ink, not loops.
	loopArea = 12
	// loopEdge: a cut this share of a loop's width from its side runs
	// along the ink that closes it, which may be where two digits meet.
	// At 0.2 a cut a fifth into a 0 read its rest as a 6 (05 as 65);
	// slanted digits that touch are cut along their slant instead.
	loopEdge = 0.1
)

// throughLoop: a cut at column x of a glyph (from its left) runs through
// one of its loops.
func throughLoop(x int, ls [][2]int) bool {
	for _, l := range ls {
		m := int(loopEdge * float64(l[1]-l[0]+1))
		if x > l[0]+m && x < l[1]-m {
			return true
		}
	}
	return false
}
