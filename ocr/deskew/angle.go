package deskew

import (
	"image"
	"math"
	"slices"
)

// points are the ink pixels of a binary image that skew is measured on,
// row by row: the pixels of row y are xs[start[y]:start[y+1]].
type points struct {
	w, h  int
	start []int32
	xs    []int32
}

// edgePoints lists the pixels of r, inside m, that are ink beside paper
// across the direction of the lines: above or below them for rows (lines
// across the page), left or right of them for columns (a page on its side).
// Edges, not areas, keep a picture or a dark border from outweighing the
// text; the lower and upper edges of letters line up on the baselines and
// the x-height lines, which gives sharp profiles; and the same pixels are
// taken from a page in any quarter turn, which gives the same angle.
func edgePoints(r *reduced, m margins, columns bool) *points {
	p := &points{w: r.w, h: r.h, start: make([]int32, r.h+1)}
	w := r.w
	for y := range r.h {
		p.start[y] = int32(len(p.xs))
		if y < max(m.top, 1) || y >= min(m.bottom, r.h-1) {
			continue
		}
		row := r.ink[y*w : (y+1)*w]
		if columns {
			for x := max(m.left, 1); x < min(m.right, w-1); x++ {
				if row[x] != 0 && (row[x-1] == 0 || row[x+1] == 0) {
					p.xs = append(p.xs, int32(x))
				}
			}
			continue
		}
		above, below := r.ink[(y-1)*w:y*w], r.ink[(y+1)*w:(y+2)*w]
		for x := m.left; x < m.right; x++ {
			if row[x] != 0 && (above[x] == 0 || below[x] == 0) {
				p.xs = append(p.xs, int32(x))
			}
		}
	}
	p.start[r.h] = int32(len(p.xs))
	return p
}

// shrink returns p at half the resolution: a point per 2×2 cell that has one.
func (p *points) shrink() *points {
	q := &points{w: (p.w + 1) / 2, h: (p.h + 1) / 2}
	q.start = make([]int32, q.h+1)
	seen := make([]int32, q.w)
	for i := range seen {
		seen[i] = -1
	}
	for y := range p.h {
		qy := y / 2
		if y%2 == 0 {
			q.start[qy] = int32(len(q.xs))
		}
		for _, x := range p.xs[p.start[y]:p.start[y+1]] {
			qx := x / 2
			if seen[qx] != int32(qy) {
				seen[qx] = int32(qy)
				q.xs = append(q.xs, qx)
			}
		}
	}
	q.start[q.h] = int32(len(q.xs))
	return q
}

// profiler scores candidate angles on a set of points.
type profiler struct {
	p    *points
	hist []int32
}

func newProfiler(p *points) *profiler {
	n := int(math.Ceil(math.Hypot(float64(p.w), float64(p.h)))) + 4
	return &profiler{p: p, hist: make([]int32, 2*n)}
}

// score projects the points along the direction of lines skewed by deg
// (counter-clockwise positive), or of columns when vertical is set, and
// returns the sum of squared differences of adjacent bins: large when the
// points gather on a few sharp lines.
func (pr *profiler) score(deg float64, vertical bool) float64 {
	th := deg * math.Pi / 180
	c, s := math.Cos(th), math.Sin(th)
	const one = 1 << 16
	ci, si := int64(math.Round(c*one)), int64(math.Round(s*one))
	off := int64(len(pr.hist)/2) * one
	hist := pr.hist
	clear(hist)
	p := pr.p
	for y := range p.h {
		xs := p.xs[p.start[y]:p.start[y+1]]
		if len(xs) == 0 {
			continue
		}
		if !vertical {
			// v = x sin + y cos
			base := int64(y)*ci + off
			for _, x := range xs {
				hist[(base+int64(x)*si)>>16]++
			}
		} else {
			// u = x cos - y sin
			base := off - int64(y)*si
			for _, x := range xs {
				hist[(base+int64(x)*ci)>>16]++
			}
		}
	}
	var sum int64
	prev := int64(0)
	for _, v := range hist {
		d := int64(v) - prev
		sum += d * d
		prev = int64(v)
	}
	return float64(sum)
}

// margins bound the part of a reduced page that is measured.
type margins struct{ left, top, right, bottom int }

// findMargins trims dark borders (the scanner lid, the shadow of the page
// edge) and a thin strip along every edge, where those usually lie.
func findMargins(r *reduced) margins {
	m := margins{0, 0, r.w, r.h}
	rowInk := func(y int) int {
		n := 0
		for _, v := range r.ink[y*r.w+m.left : y*r.w+m.right] {
			n += int(v)
		}
		return n
	}
	colInk := func(x int) int {
		n := 0
		for y := m.top; y < m.bottom; y++ {
			n += int(r.ink[y*r.w+x])
		}
		return n
	}
	// Peel rows and columns that are mostly ink off each side, at most a
	// quarter of the page from each.
	for changed := true; changed; {
		changed = false
		for m.top < r.h/4 && m.bottom-m.top > 8 && rowInk(m.top)*2 > m.right-m.left {
			m.top++
			changed = true
		}
		for m.bottom > r.h*3/4 && m.bottom-m.top > 8 && rowInk(m.bottom-1)*2 > m.right-m.left {
			m.bottom--
			changed = true
		}
		for m.left < r.w/4 && m.right-m.left > 8 && colInk(m.left)*2 > m.bottom-m.top {
			m.left++
			changed = true
		}
		for m.right > r.w*3/4 && m.right-m.left > 8 && colInk(m.right-1)*2 > m.bottom-m.top {
			m.right--
			changed = true
		}
	}
	// Then a strip as wide as 1% of the page, where border shadows fade out.
	dx, dy := r.w/100+2, r.h/100+2
	m.left, m.right = min(m.left+dx, r.w), max(m.right-dx, 0)
	m.top, m.bottom = min(m.top+dy, r.h), max(m.bottom-dy, 0)
	if m.right <= m.left || m.bottom <= m.top {
		return margins{0, 0, r.w, r.h}
	}
	return m
}

// maxSkew is the largest skew Angle looks for, in degrees.
const maxSkew = 15

// Angle estimates the skew of a page: the angle deg, in degrees, by which
// its text lines are turned counter-clockwise as the page is seen on screen
// (positive: the lines rise to the right; negative: they fall). Rotating
// the page clockwise by deg straightens it; Correct(img, 0, deg) does that.
// This is the convention of synth.Options.Skew: a page rendered with Skew s
// gives deg ≈ s.
//
// Skew is measured modulo 90°, within ±15°: a page scanned sideways or upside
// down gives the same angle as the upright page, so Angle can run before
// Orientation. confidence, from 0 to 1, says how clearly one angle stands
// out; a blank page, or one without lines of text, gives 0 and deg 0.
//
// The page is shrunk and thresholded against its local paper level, the
// edges of the ink across the lines are projected at angles 0.5° apart over
// ±15° in both directions (rows and columns) on a quarter-scale copy, and
// the best is refined on the half-scale copy by halving steps to 0.016°
// and a parabola through the last three.
func Angle(img *image.Gray) (deg float64, confidence float64) {
	r := reduce(img)
	if r == nil {
		return 0, 0
	}
	return angleOf(r)
}

func angleOf(r *reduced) (deg float64, confidence float64) {
	m := findMargins(r)
	fine := [2]*points{edgePoints(r, m, false), edgePoints(r, m, true)}
	if len(fine[0].xs)+len(fine[1].xs) < 200 {
		return 0, 0
	}

	const step = 0.5
	n := int(maxSkew/step) + 1 // a little past ±15°
	type cand struct {
		deg      float64
		score    float64
		vertical bool
	}
	var best cand
	var scores [2][]float64
	for vi, vertical := range []bool{false, true} {
		pc := newProfiler(fine[vi].shrink())
		for i := -n; i <= n; i++ {
			d := float64(i) * step
			s := pc.score(d, vertical)
			scores[vi] = append(scores[vi], s)
			if s > best.score {
				best = cand{d, s, vertical}
			}
		}
	}
	if best.score == 0 {
		return 0, 0
	}

	// Refine on the half-scale points: step to the better neighbour while
	// halving the step, then fit a parabola through the last three samples.
	vi := 0
	if best.vertical {
		vi = 1
	}
	pf := newProfiler(fine[vi])
	f := func(d float64) float64 { return pf.score(d, best.vertical) }
	x, fx := best.deg, f(best.deg)
	for h := step / 2; ; h /= 2 {
		l, r := f(x-h), f(x+h)
		if h < 0.03 {
			if den := l - 2*fx + r; den < 0 {
				x += max(-h, min(h, 0.5*h*(l-r)/den))
			}
			break
		}
		switch {
		case l > fx && l >= r:
			x, fx = x-h, l
		case r > fx:
			x, fx = x+h, r
		}
	}

	// Confidence: how far the best coarse score stands above the typical
	// one of the same direction.
	confidence = prominence(scores[vi], best.score)
	if confidence == 0 {
		return 0, 0 // no lines: leave the page as it is
	}
	return x, confidence
}

// prominence maps the best score against the median of all scores to 0–1.
// Pages of text score 13 to 50 times their median; paper with noise or
// specks only, about 1.1.
func prominence(scores []float64, best float64) float64 {
	s := slices.Clone(scores)
	slices.Sort(s)
	med := s[len(s)/2]
	if best <= 0 {
		return 0
	}
	ratio := best / max(med, 1)
	return clamp01((ratio - 2) / 6)
}
