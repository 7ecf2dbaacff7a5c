package clean

import (
	"image"
	"math"
)

// Shrink scales a grey image down by f (0 < f ≤ 1) by area averaging:
// every output pixel is the mean of the source area it covers, weighted by
// how much of each source pixel falls in it. It is separable (rows, then
// columns) and works in 16.16 fixed point: a 300 dpi A4 page shrinks to
// 200 dpi in a few tens of milliseconds.
func Shrink(g *image.Gray, f float64) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if f >= 1 || w == 0 || h == 0 {
		return g
	}
	nw, nh := max(1, int(math.Round(float64(w)*f))), max(1, int(math.Round(float64(h)*f)))
	cols, rows := areaTaps(w, nw), areaTaps(h, nh)
	dst := image.NewGray(image.Rect(0, 0, nw, nh))

	// Source rows shrunk across, kept while later output rows still need
	// them: an output row takes a few consecutive source rows, so a small
	// ring of shrunk rows is all the memory used.
	ring := make([][]uint32, int(math.Ceil(1/f))+2)
	for i := range ring {
		ring[i] = make([]uint32, nw)
	}
	ringRow := make([]int, len(ring))
	for i := range ringRow {
		ringRow[i] = -1
	}
	// Three taps cover every shrink down to a half; the source row is
	// padded so that the third tap can always be read.
	three := true
	for _, t := range cols {
		three = three && len(t.w) <= 3
	}
	type tap3 struct {
		start      int
		w0, w1, w2 uint32
	}
	cols3 := make([]tap3, len(cols))
	for i, t := range cols {
		c := tap3{start: t.start}
		ws := [3]uint32{}
		copy(ws[:], t.w)
		c.w0, c.w1, c.w2 = ws[0], ws[1], ws[2]
		cols3[i] = c
	}
	padded := make([]uint8, w+2)
	across := func(y int) []uint32 {
		slot := y % len(ring)
		if ringRow[slot] == y {
			return ring[slot]
		}
		src := g.Pix[y*g.Stride : y*g.Stride+w]
		out := ring[slot]
		if three {
			copy(padded, src)
			for x, t := range cols3 {
				p := padded[t.start : t.start+3 : t.start+3]
				out[x] = uint32(p[0])*t.w0 + uint32(p[1])*t.w1 + uint32(p[2])*t.w2 // value × 65536
			}
		} else {
			for x, t := range cols {
				var acc uint32
				for k, wt := range t.w {
					acc += uint32(src[t.start+k]) * wt
				}
				out[x] = acc
			}
		}
		ringRow[slot] = y
		return out
	}
	acc := make([]uint64, nw)
	for y, t := range rows {
		clear(acc)
		for k, wt := range t.w {
			for x, v := range across(t.start + k) {
				acc[x] += uint64(v) * uint64(wt)
			}
		}
		o := dst.Pix[y*nw : (y+1)*nw]
		for x, v := range acc {
			o[x] = uint8(min(255, (v+1<<31)>>32))
		}
	}
	return dst
}

// tap is the source span of one output pixel and the weights (summing to
// 65536) of the source pixels in it.
type tap struct {
	start int
	w     []uint32
}

// areaTaps maps n source pixels onto m ≤ n output pixels.
func areaTaps(n, m int) []tap {
	taps := make([]tap, m)
	scale := float64(n) / float64(m) // source pixels per output pixel
	for i := range taps {
		lo, hi := float64(i)*scale, float64(i+1)*scale
		first, last := int(lo), min(n-1, int(math.Ceil(hi))-1)
		t := tap{start: first, w: make([]uint32, last-first+1)}
		var sum uint32
		for k := first; k <= last; k++ {
			cover := math.Min(hi, float64(k+1)) - math.Max(lo, float64(k))
			wt := uint32(math.Round(cover / scale * 65536))
			t.w[k-first] = wt
			sum += wt
		}
		// Rounding: put what is missing (or extra) on the largest weight.
		big := 0
		for k, wt := range t.w {
			if wt > t.w[big] {
				big = k
			}
		}
		t.w[big] = t.w[big] + 65536 - sum
		taps[i] = t
	}
	return taps
}
