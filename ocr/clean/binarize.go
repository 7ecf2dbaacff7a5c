package clean

import (
	"image"
	"math"
	"slices"
)

// Parameters of Binarize, for pages scanned at 200 to 400 dpi (tuned at
// 300, where body text is 40 to 60 pixels from ascender to descender).
const (
	// cell is the side, in pixels, of the squares over which the paper
	// level is estimated: large enough that a cell is mostly
	// paper, small enough to follow a shadow or a fold.
	cell = 64
	// radius of the Sauvola window, whose side is 2*radius+1: about two
	// line heights, so that the window over a stroke also holds paper.
	radius = 40
	// sauvolaK sets how far below the local mean the threshold sits where
	// the contrast is low; sauvolaR is the dynamic range of the standard
	// deviation, for levels normalised to 0–255. k = 0.3 and R = 128 read
	// best on the synthetic and typewritten pages (k from 0.1 to 0.5 and R
	// from 64 to 128 tried; R = 100 is as good).
	sauvolaK = 0.3
	sauvolaR = 128
)

// Binarize returns a black-and-white copy of a grey page for recognition:
// every pixel 0 (ink) or 255 (paper), bounds starting at (0, 0). g is not
// modified.
//
// In order:
//  1. the paper level is estimated in 64-pixel cells (a high percentile,
//     cells that are mostly ink take their neighbours' level) and every
//     pixel is divided by it, interpolated: grey or yellowed paper, shadows
//     and uneven lighting all become white;
//  2. the contrast is stretched so that the darkest ink (the 1st percentile,
//     at most halving the range) becomes black: faint typewriter or
//     photocopied text gets the contrast of print;
//  3. a 3×3 Gaussian smooths scanner noise;
//  4. Sauvola's adaptive threshold, over an 81×81 window computed with
//     running sums (constant time a pixel), decides ink from paper.
//     Strokes come out 25 to 50% heavier than printed, which Tesseract
//     reads as well as or better than thinner ones: capping the threshold
//     at the midpoint between ink and paper gave print-weight strokes but
//     broke the thin strokes of typewritten letters and lost words;
//  5. isolated ink pixels (no ink among their 8 neighbours) are removed.
//
// A page that is already bilevel (only 0 and 255) gets step 5 alone. Binarize
// allocates two images of the page's size and a few rows.
func Binarize(g *image.Gray) *image.Gray {
	n := normalize(g)
	if n.done != nil {
		return n.done
	}
	out := image.NewGray(image.Rect(0, 0, n.w, n.h))
	sauvola(n.sm, n.w, n.h, out.Pix)
	despeckle(out)
	return out
}

// Archival returns the black-and-white copy of g to archive in place of a
// page that is black on white: the page normalised, stretched and smoothed
// as for Binarize (steps 1 to 3), then divided at printLevel and
// despeckled, so that strokes keep their printed weight on white paper.
// It also returns tone: the share of the page, 0 to 1, covered by flat
// areas of mid grey (photographs, shading, grey stamps) that a
// black-and-white copy would lose; text on paper, however grey the paper,
// has none.
func Archival(g *image.Gray) (bw *image.Gray, tone float64) {
	n := normalize(g)
	if n.done != nil {
		return n.done, 0
	}
	out := image.NewGray(image.Rect(0, 0, n.w, n.h))
	for i, v := range n.sm {
		if v >= printLevel {
			out.Pix[i] = 255
		}
	}
	despeckle(out)
	return out, toneShare(n.sm, n.w, n.h)
}

// normalized is a grey page after steps 1 to 3 (sm, w×h pixels), or, for a
// page that is already black and white, its despeckled copy (done).
type normalized struct {
	sm   []uint8
	w, h int
	done *image.Gray
}

func normalize(g *image.Gray) normalized {
	b := g.Rect
	w, h := b.Dx(), b.Dy()
	if w == 0 || h == 0 {
		return normalized{done: image.NewGray(image.Rect(0, 0, w, h))}
	}
	src := func(y int) []uint8 { return g.Pix[y*g.Stride : y*g.Stride+w] }
	if IsBilevel(g) {
		out := image.NewGray(image.Rect(0, 0, w, h))
		for y := range h {
			copy(out.Pix[y*w:(y+1)*w], src(y))
		}
		despeckle(out)
		return normalized{done: out}
	}

	lv := measureCells(g)
	gain := lv.grid(func(paper float64) float64 { return 65536 * 255 / paper })
	level := make([]float64, w)
	fixed := make([]int32, w) // 65536 × 255 / paper level along a row
	gainRow := func(y int) []int32 {
		gain.row(y, level)
		for i, f := range level {
			fixed[i] = int32(f)
		}
		return fixed
	}

	// The ink level: the 1st percentile of the normalised levels, over
	// every fourth row.
	var hist [256]int
	n := 0
	for y := 0; y < h; y += 4 {
		gr := gainRow(y)
		for x, v := range src(y) {
			hist[min(255, (int32(v)*gr[x])>>16)]++
		}
		n += w
	}
	ink, acc := 0, 0
	for ink < 255 && acc+hist[ink] <= n/100 {
		acc += hist[ink]
		ink++
	}
	ink = min(ink, 128) // stretch at most twofold
	var stretch [256]uint8
	for v := range stretch {
		stretch[v] = uint8(max(0, (v-ink)*255/(255-ink)))
	}

	// Normalise, stretch and smooth ([1 2 1] each way) into sm.
	sm := make([]uint8, w*h)
	var rows [3][]uint16 // the last three rows, smoothed across
	for i := range rows {
		rows[i] = make([]uint16, w)
	}
	across := func(y int, dst []uint16) {
		gr := gainRow(y)
		s := src(y)
		px := func(x int) uint16 { return uint16(stretch[min(255, (int32(s[x])*gr[x])>>16)]) }
		prev, cur := px(0), px(0)
		for x := range w {
			next := px(min(x+1, w-1))
			dst[x] = prev + 2*cur + next
			prev, cur = cur, next
		}
	}
	across(0, rows[0])
	copy(rows[1], rows[0])
	for y := range h {
		across(min(y+1, h-1), rows[2])
		o := sm[y*w : (y+1)*w]
		a, c, d := rows[0], rows[1], rows[2]
		for x := range o {
			o[x] = uint8((a[x] + 2*c[x] + d[x] + 8) >> 4)
		}
		rows[0], rows[1], rows[2] = rows[1], rows[2], rows[0]
	}

	return normalized{sm: sm, w: w, h: h}
}

// printLevel is where Archival divides ink from paper on the normalised,
// stretched page: above the midpoint, so that the thin, faint strokes of
// typewritten and photocopied pages stay whole (at 128 they broke), while
// crisp print keeps nearly its printed weight.
const printLevel = 176

// toneShare is the share of toneBlock-pixel squares of the normalised page
// sm that are flat mid grey: mean between toneLow and toneHigh and a range
// under toneRange. Text makes squares of ink beside paper (a wide range);
// paper, normalised, is white; pictures and shading are flat grey.
func toneShare(sm []uint8, w, h int) float64 {
	const (
		toneBlock = 16
		toneLow   = 48
		toneHigh  = 208
		toneRange = 96
	)
	blocks, tone := 0, 0
	for by := 0; by+toneBlock <= h; by += toneBlock {
		for bx := 0; bx+toneBlock <= w; bx += toneBlock {
			lo, hi, sum := uint8(255), uint8(0), 0
			for y := by; y < by+toneBlock; y++ {
				for _, v := range sm[y*w+bx : y*w+bx+toneBlock] {
					lo, hi, sum = min(lo, v), max(hi, v), sum+int(v)
				}
			}
			blocks++
			mean := sum / (toneBlock * toneBlock)
			if mean >= toneLow && mean <= toneHigh && hi-lo < toneRange {
				tone++
			}
		}
	}
	if blocks == 0 {
		return 0
	}
	return float64(tone) / float64(blocks)
}

// IsBilevel reports whether g holds only 0 and 255: a black and white
// page, however it was stored.
func IsBilevel(g *image.Gray) bool {
	w := g.Rect.Dx()
	for y := range g.Rect.Dy() {
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+w] {
			if v != 0 && v != 255 {
				return false
			}
		}
	}
	return true
}

// cells holds the paper level of every cell of a page.
type cells struct {
	cw, ch int
	paper  []float64
}

// measureCells estimates the paper level of every cell of g, the 90th
// percentile of a sample of its pixels. A cell much darker than the median of its neighbourhood (a heading, a picture, a
// black border) takes that median as its paper level.
func measureCells(g *image.Gray) cells {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	cw, ch := (w+cell-1)/cell, (h+cell-1)/cell
	c := cells{cw: cw, ch: ch, paper: make([]float64, cw*ch)}
	var hist [256]int
	for cy := range ch {
		for cx := range cw {
			clear(hist[:])
			n := 0
			for y := cy * cell; y < min(h, (cy+1)*cell); y += 2 {
				row := g.Pix[y*g.Stride+cx*cell : y*g.Stride+min(w, (cx+1)*cell)]
				for i := 0; i < len(row); i += 2 {
					hist[row[i]]++
					n++
				}
			}
			hi, acc := 255, 0
			for hi > 0 && (acc+hist[hi])*10 < n {
				acc += hist[hi]
				hi--
			}
			c.paper[cy*cw+cx] = max(float64(hi), 32)
		}
	}
	fixed := slices.Clone(c.paper)
	var nb []float64
	for cy := range ch {
		for cx := range cw {
			nb = nb[:0]
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					if x, y := cx+dx, cy+dy; x >= 0 && y >= 0 && x < cw && y < ch {
						nb = append(nb, c.paper[y*cw+x])
					}
				}
			}
			slices.Sort(nb)
			if med := nb[len(nb)/2]; c.paper[cy*cw+cx] < 0.8*med {
				fixed[cy*cw+cx] = med
			}
		}
	}
	c.paper = fixed
	return c
}

// grid is a value per cell, interpolated bilinearly between cell centres.
type grid struct {
	cw, ch int
	v      []float64
}

// grid computes fn(paper) for every cell.
func (c cells) grid(fn func(paper float64) float64) grid {
	v := make([]float64, len(c.paper))
	for i := range v {
		v[i] = fn(c.paper[i])
	}
	return grid{c.cw, c.ch, v}
}

// row fills out with the values along row y, interpolated bilinearly
// between cell centres (constant beyond the outer centres).
func (m grid) row(y int, out []float64) {
	fy := (float64(y)+0.5)/cell - 0.5
	y0 := int(math.Floor(fy))
	ty := fy - float64(y0)
	y1 := min(max(y0+1, 0), m.ch-1)
	y0 = min(max(y0, 0), m.ch-1)
	col := func(cx int) float64 { return m.v[y0*m.cw+cx]*(1-ty) + m.v[y1*m.cw+cx]*ty }
	const half = cell / 2
	w := len(out)
	for x := 0; x < min(half, w); x++ {
		out[x] = col(0)
	}
	for cx := 0; cx+1 < m.cw; cx++ {
		a, b := col(cx), col(cx+1)
		x0 := cx*cell + half
		v, dv := a+(b-a)/(2*cell), (b-a)/cell
		for x := x0; x < min(x0+cell, w); x++ {
			out[x] = v
			v += dv
		}
	}
	for x := (m.cw-1)*cell + half; x < w; x++ {
		out[x] = col(m.cw - 1)
	}
}

// sauvola thresholds the w×h levels in sm into out (0 or 255) with
// Sauvola's rule T = m·(1 + k·(s/R − 1)) over a (2·radius+1)² window (the
// window clipped at the edges). Column sums of the
// window's rows are kept up to date row by row, and a running sum along
// each row does the rest.
func sauvola(sm []uint8, w, h int, out []uint8) {
	colSum := make([]uint32, w)
	colSq := make([]uint32, w)
	add := func(y int, sign int32) {
		row := sm[y*w : (y+1)*w]
		if sign > 0 {
			for x, v := range row {
				colSum[x] += uint32(v)
				colSq[x] += uint32(v) * uint32(v)
			}
		} else {
			for x, v := range row {
				colSum[x] -= uint32(v)
				colSq[x] -= uint32(v) * uint32(v)
			}
		}
	}
	for y := 0; y < min(radius, h); y++ {
		add(y, 1)
	}
	const k, invR = sauvolaK, 1.0 / sauvolaR
	for y := range h {
		if y+radius < h {
			add(y+radius, 1)
		}
		if y-radius-1 >= 0 {
			add(y-radius-1, -1)
		}
		rowsIn := min(h-1, y+radius) - max(0, y-radius) + 1
		var sum, sq uint64
		for x := 0; x < min(radius, w); x++ {
			sum += uint64(colSum[x])
			sq += uint64(colSq[x])
		}
		row := sm[y*w : (y+1)*w]
		o := out[y*w : (y+1)*w]
		for x, v := range row {
			if x+radius < w {
				sum += uint64(colSum[x+radius])
				sq += uint64(colSq[x+radius])
			}
			if x-radius-1 >= 0 {
				sum -= uint64(colSum[x-radius-1])
				sq -= uint64(colSq[x-radius-1])
			}
			o[x] = 255
			if v == 255 {
				continue // paper at full level is never below a threshold
			}
			n := float64(rowsIn * (min(w-1, x+radius) - max(0, x-radius) + 1))
			mean := float64(sum) / n
			sd := math.Sqrt(max(0, float64(sq)/n-mean*mean))
			if float64(v) <= mean*(1+k*(sd*invR-1)) {
				o[x] = 0
			}
		}
	}
}

// despeckle whitens ink pixels of a bilevel image that have no ink among
// their 8 neighbours.
func despeckle(g *image.Gray) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	prev := make([]uint8, w) // row y-1 before this pass changed it
	cur := make([]uint8, w)
	for i := range prev {
		prev[i] = 255
	}
	for y := range h {
		copy(cur, g.Pix[y*g.Stride:y*g.Stride+w])
		var next []uint8
		if y+1 < h {
			next = g.Pix[(y+1)*g.Stride : (y+1)*g.Stride+w]
		}
		o := g.Pix[y*g.Stride : y*g.Stride+w]
		for x, v := range cur {
			if v != 0 {
				continue
			}
			lo, hi := max(0, x-1), min(w, x+2)
			alone := true
			for i := lo; i < hi && alone; i++ {
				if prev[i] == 0 || (i != x && cur[i] == 0) || (next != nil && next[i] == 0) {
					alone = false
				}
			}
			if alone {
				o[x] = 255
			}
		}
		prev, cur = cur, prev
	}
}
