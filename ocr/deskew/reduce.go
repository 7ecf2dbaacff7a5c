package deskew

import (
	"image"
	"slices"
)

// reduced is a page shrunk by 2 in each direction (150 dpi for a 300 dpi
// scan) and thresholded: what skew and orientation are measured on. Ink
// pixels are 1, paper 0.
type reduced struct {
	w, h int
	ink  []uint8
}

// half returns the 2×2 mean of g (the last odd row or column is dropped).
func half(g *image.Gray) (w, h int, pix []uint8) {
	b := g.Bounds()
	w, h = b.Dx()/2, b.Dy()/2
	pix = make([]uint8, w*h)
	for y := range h {
		r0 := g.Pix[(2*y)*g.Stride : (2*y)*g.Stride+2*w]
		r1 := g.Pix[(2*y+1)*g.Stride : (2*y+1)*g.Stride+2*w]
		out := pix[y*w : (y+1)*w]
		for x := range out {
			out[x] = uint8((uint(r0[2*x]) + uint(r0[2*x+1]) + uint(r1[2*x]) + uint(r1[2*x+1]) + 2) >> 2)
		}
	}
	return w, h, pix
}

// otsu returns the threshold that best splits a histogram into two classes:
// values <= t are one class, values > t the other.
func otsu(hist *[256]int) int {
	var total, sum float64
	for v, n := range hist {
		total += float64(n)
		sum += float64(v) * float64(n)
	}
	if total == 0 {
		return 127
	}
	var wb, sb, best float64
	t := 127
	for v := range 255 {
		n := float64(hist[v])
		wb += n
		sb += float64(v) * n
		wf := total - wb
		if wb == 0 || wf == 0 {
			continue
		}
		mb, mf := sb/wb, (sum-sb)/wf
		if between := wb * wf * (mb - mf) * (mb - mf); between > best {
			best, t = between, v
		}
	}
	return t
}

// block is the side, in reduced pixels, of the cells over which the
// background (paper) level is estimated.
const block = 32

// reduce shrinks g by 2 and thresholds it against the local paper level, so
// that grey or yellowed paper, lost contrast and uneven lighting all give
// the same picture of the ink. It returns nil when the page is blank.
func reduce(g *image.Gray) *reduced {
	w, h, pix := half(g)
	if w < 8 || h < 8 {
		return nil
	}
	// Paper level per cell: a high percentile of the cell (every other row
	// of it), which ignores the ink.
	cw, ch := (w+block-1)/block, (h+block-1)/block
	bg := make([]float64, cw*ch)
	var hist [256]int
	for cy := range ch {
		for cx := range cw {
			clear(hist[:])
			n := 0
			for y := cy * block; y < min(h, (cy+1)*block); y += 2 {
				row := pix[y*w+cx*block : y*w+min(w, (cx+1)*block)]
				for _, v := range row {
					hist[v]++
				}
				n += len(row)
			}
			// the 80th percentile: a cell is rarely more than a fifth ink
			k, acc := 255, 0
			for k > 0 {
				acc += hist[k]
				if acc*5 >= n {
					break
				}
				k--
			}
			bg[cy*cw+cx] = max(float64(k), 16)
		}
	}
	smoothCells(bg, cw, ch)

	// The ink threshold, as a fraction of the paper level: Otsu over the
	// levels of every fourth row, normalised by the paper level.
	clear(hist[:])
	level := make([]int32, w) // paper level along a row, 16.16 fixed point
	for y := 2; y < h; y += 4 {
		interpRow(bg, cw, ch, y, level)
		for x, v := range pix[y*w : (y+1)*w] {
			hist[min(255, (int64(v)*255<<16)/int64(level[x]))]++
		}
	}
	// A page of paper only: Otsu then splits noise. Ink must be well below
	// the paper.
	t := min(otsu(&hist), 180)

	r := &reduced{w: w, h: h, ink: make([]uint8, w*h)}
	count := 0
	for y := range h {
		interpRow(bg, cw, ch, y, level)
		row := pix[y*w : (y+1)*w]
		ink := r.ink[y*w : (y+1)*w]
		for x, v := range row {
			// v/level*255 <= t  ⇔  v*255 <= t*level
			if int64(v)*255<<16 <= int64(t)*int64(level[x]) {
				ink[x] = 1
				count++
			}
		}
	}
	if count < 50 {
		return nil
	}
	return r
}

// smoothCells replaces a cell that is much darker than the median of its
// 3×3 neighbourhood by that median: such a cell is mostly ink (a heading, a
// picture), and its own level is not the paper's. Cells lighter than their
// neighbours (white canvas beside grey paper) keep their level.
func smoothCells(bg []float64, cw, ch int) {
	src := append([]float64(nil), bg...)
	var nb [9]float64
	for cy := range ch {
		for cx := range cw {
			k := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					x, y := cx+dx, cy+dy
					if x >= 0 && y >= 0 && x < cw && y < ch {
						nb[k] = src[y*cw+x]
						k++
					}
				}
			}
			s := nb[:k]
			slices.Sort(s)
			if med := s[k/2]; src[cy*cw+cx] < med*0.85 {
				bg[cy*cw+cx] = med
			}
		}
	}
}

// interpRow fills out with the paper level along row y in 16.16 fixed
// point, interpolated bilinearly between cell centres.
func interpRow(bg []float64, cw, ch, y int, out []int32) {
	fy := (float64(y)+0.5)/block - 0.5
	y0 := int(fy)
	if fy < 0 {
		y0, fy = 0, 0
	}
	ty := fy - float64(y0)
	y1 := min(y0+1, ch-1)
	y0 = min(y0, ch-1)
	col := func(cx int) float64 { return bg[y0*cw+cx]*(1-ty) + bg[y1*cw+cx]*ty }
	// Constant before the first cell centre and after the last, linear
	// between centres.
	const half = block / 2
	w := len(out)
	for x := 0; x < min(half, w); x++ {
		out[x] = int32(col(0) * 65536)
	}
	for cx := 0; cx+1 < cw; cx++ {
		a, b := col(cx)*65536, col(cx+1)*65536
		x0 := cx*block + half
		v, dv := int64(a)+(int64(b)-int64(a))/(2*block), (int64(b)-int64(a))/block
		for x := x0; x < min(x0+block, w); x++ {
			out[x] = int32(v)
			v += dv
		}
	}
	for x := (cw-1)*block + half; x < w; x++ {
		out[x] = int32(col(cw-1) * 65536)
	}
}
