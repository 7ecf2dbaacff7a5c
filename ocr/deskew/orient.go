package deskew

import (
	"image"
	"math"
)

// profileStats measures, in strips across the text lines, how line-like the
// ink is and which way the lines face.
type profileStats struct {
	lineness float64 // coefficient of variation of the strip profiles, weighted by their ink
	lines    int     // text lines measured, strip by strip
	lvote    float64 // weighted mean of (above−below)/(above+below): > 0 when the lines face index 0
	lz       float64 // lvote over its standard error
}

// stripWidth is the width of the strips, in reduced pixels (2 cm at 300
// dpi): narrow enough that a residual skew of half a degree moves a line by
// one pixel across it, wide enough to hold a few letters of every line.
const stripWidth = 128

// stripStats profiles r inside m in strips: when rows is set, vertical
// strips and their row profiles (for horizontal lines), otherwise
// horizontal strips and their column profiles.
func stripStats(r *reduced, m margins, rows bool) profileStats {
	var along0, along1, across0, across1 int // profile axis and strip axis bounds
	if rows {
		along0, along1, across0, across1 = m.top, m.bottom, m.left, m.right
	} else {
		along0, along1, across0, across1 = m.left, m.right, m.top, m.bottom
	}
	prof := make([]int32, along1-along0)
	var st profileStats
	var votes voteAcc
	var sw, swcv float64
	for s0 := across0; s0+stripWidth/2 < across1; s0 += stripWidth {
		s1 := min(s0+stripWidth, across1)
		clear(prof)
		if rows {
			for y := along0; y < along1; y++ {
				n := int32(0)
				for _, v := range r.ink[y*r.w+s0 : y*r.w+s1] {
					n += int32(v)
				}
				prof[y-along0] = n
			}
		} else {
			for y := s0; y < s1; y++ {
				row := r.ink[y*r.w : (y+1)*r.w]
				for x := along0; x < along1; x++ {
					prof[x-along0] += int32(row[x])
				}
			}
		}
		var sum, sq float64
		for _, v := range prof {
			sum += float64(v)
			sq += float64(v) * float64(v)
		}
		if sum < stripWidth { // less than a row of ink: nothing to read
			continue
		}
		n := float64(len(prof))
		mean := sum / n
		sw += sum
		swcv += sum * math.Sqrt(max(0, sq/n-mean*mean)) / mean
		lineVotes(prof, s1-s0, &votes)
	}
	if sw > 0 {
		st.lineness = swcv / sw
	}
	st.lines, st.lvote, st.lz = votes.n, votes.mean(), votes.z()
	return st
}

// Orientation tells whether a straight (deskewed) page is upright. rotation
// is 0, 90, 180 or 270: the clockwise turn that makes the page upright, as
// Correct(img, rotation, 0) does. A page whose tops of letters point to the
// right gives 270; to the left, 90; down, 180. confidence, from 0 to 1, is
// low when the page has too little text to tell (a few lines, or none), or
// its ink does not run clearly along one axis: below 0.5, check the answer
// another way (Tesseract's OSD, or OCR confidence at the chosen rotation).
// A blank page gives 0, 0.
//
// Two cues, measured on the page shrunk and thresholded as for Angle:
//   - text lines run along the rows of an upright or upside-down page:
//     profiles of the ink across narrow strips alternate between lines and
//     gaps far more along one axis than along the other;
//   - the lines face up: in Vietnamese, tone marks, circumflexes and breves,
//     ascenders and capitals put far more ink above the x-height band of a
//     line than descenders and the dot below put under its baseline. Every
//     line of every strip votes; the weighted mean and its standard error
//     give the answer and its confidence.
//
// The page should be straight to within about half a degree (Angle and
// Correct first); a page still skewed by more reads as having no lines.
func Orientation(img *image.Gray) (rotation int, confidence float64) {
	r := reduce(img)
	if r == nil {
		return 0, 0
	}
	o := orientationOf(r)
	return o.rotation, o.confidence
}

// orientation is Orientation's answer with the cues it came from.
type orientation struct {
	rotation   int
	confidence float64
	rows, cols profileStats
}

func orientationOf(r *reduced) orientation {
	m := findMargins(r)
	o := orientation{rows: stripStats(r, m, true), cols: stripStats(r, m, false)}
	st, ratio := o.rows, o.rows.lineness/max(o.cols.lineness, 1e-9)
	horizontal := ratio >= 1
	if !horizontal {
		st, ratio = o.cols, 1/ratio
	}
	up := st.lvote >= 0 // the lines face toward index 0: up, or left
	switch {
	case horizontal && up:
		o.rotation = 0
	case horizontal:
		o.rotation = 180
	case up:
		o.rotation = 90
	default:
		o.rotation = 270
	}
	if st.lines == 0 || math.IsNaN(ratio) {
		return o
	}
	// Lines along one axis: the lineness ratio of text pages is 1.25 or
	// more. Facing: a z of 4 is well beyond chance.
	axis := clamp01((ratio - 1) / 0.2)
	facing := clamp01((math.Abs(st.lz) - 1) / 3)
	o.confidence = min(axis, facing)
	return o
}

func clamp01(x float64) float64 { return max(0, min(1, x)) }

type voteAcc struct {
	n             int
	sw, swa, swaa float64
}

func (a *voteAcc) add(v, w float64) {
	a.n++
	a.sw += w
	a.swa += w * v
	a.swaa += w * v * v
}

func (a *voteAcc) mean() float64 {
	if a.sw == 0 {
		return 0
	}
	return a.swa / a.sw
}

func (a *voteAcc) z() float64 {
	if a.n < 2 {
		return 0
	}
	m := a.mean()
	v := max(a.swaa/a.sw-m*m, 1e-9)
	return m / math.Sqrt(v/float64(a.n))
}

// lineVotes finds the text lines of a strip's profile and votes, for each,
// with the ink just above its core band (the rows where the profile is at
// least half the line's peak: the x-height band) against the ink just below
// it. Lines are runs of rows with ink, split where two cores touch.
func lineVotes(prof []int32, width int, acc *voteAcc) {
	floor := int32(max(1, width/50))
	for i := 0; i < len(prof); {
		if prof[i] <= floor {
			i++
			continue
		}
		j := i
		for j < len(prof) && prof[j] > floor {
			j++
		}
		coreVotes(prof[i:j], width, acc)
		i = j
	}
}

// coreVotes votes for each core of a run of rows with ink.
func coreVotes(run []int32, width int, acc *voteAcc) {
	var peak int32
	for _, v := range run {
		peak = max(peak, v)
	}
	if len(run) < 4 || peak < int32(width/8) {
		return
	}
	half := (peak + 1) / 2
	// Cores: maximal stretches at or above half the peak, merged across
	// dips that stay above a quarter of it.
	type core struct{ top, bot int }
	var cores []core
	for k := 0; k < len(run); {
		if run[k] < half {
			k++
			continue
		}
		c := core{k, k}
		for k < len(run) && run[k] >= half {
			c.bot = k
			k++
		}
		if n := len(cores); n > 0 {
			low := peak
			for _, v := range run[cores[n-1].bot:c.top] {
				low = min(low, v)
			}
			if 4*low >= peak {
				cores[n-1].bot = c.bot
				continue
			}
		}
		cores = append(cores, c)
	}
	for ci, c := range cores {
		h := c.bot - c.top + 1
		if h < 3 {
			continue
		}
		// Look as far as the core is high, but not past the valley to
		// the next core (whose marks or descenders would vote).
		lo, hi := max(0, c.top-h), min(len(run), c.bot+1+h)
		if ci > 0 {
			lo = max(lo, valley(run, cores[ci-1].bot, c.top))
		}
		if ci+1 < len(cores) {
			hi = min(hi, valley(run, c.bot, cores[ci+1].top)+1)
		}
		var above, below float64
		for _, v := range run[lo:c.top] {
			above += float64(v)
		}
		for _, v := range run[c.bot+1 : hi] {
			below += float64(v)
		}
		if above+below == 0 {
			continue
		}
		acc.add((above-below)/(above+below), above+below)
	}
}

// valley returns the index of the lowest value of run[a:b].
func valley(run []int32, a, b int) int {
	k := a
	for i := a; i < b; i++ {
		if run[i] < run[k] {
			k = i
		}
	}
	return k
}
