package digits

import (
	"image"
	"math"
)

// MNIST's normalisation, which Normalize repeats.
const (
	// Box is the side of the square the ink's bounding box is scaled to fit,
	// keeping its aspect ratio.
	Box = 20
	// Centre is where the ink's centre of mass is put, in both axes, pixel
	// centres being at i+0.5: the middle of the Size×Size frame.
	Centre = Size / 2
)

// Normalize turns an image of one character into the network's input, the
// way MNIST's digits were made: it takes the bounding box of the ink (every
// pixel above 0), scales it so that its longer side is Box pixels, keeping
// the aspect ratio, by area averaging (each output pixel is the mean of the
// ink it covers, so edges come out grey), and places it in the Size×Size
// frame so that its centre of mass falls on the nearest pixel corner to
// (Centre, Centre).
//
// ink holds 255 for ink and 0 for paper, grey levels in between, at any size
// and origin; paper that is not exactly 0 (a grey background, a speck) counts
// as ink, so threshold or clean first. An image without ink gives an all-zero
// Input. Normalize keeps no state and is safe for concurrent use.
func Normalize(ink *image.Gray) *Input {
	in := new(Input)
	bb := inkBounds(ink)
	if bb.Empty() {
		return in
	}
	w, h := bb.Dx(), bb.Dy()
	scale := float64(Box) / float64(max(w, h))
	xs := spans(make([]span, 0, w+Box+1), w, scale)
	ys := spans(make([]span, 0, h+Box+1), h, scale)

	// Area-average into a Box×Box frame, anchored at its top-left corner.
	var r [Box * Box]float32
	for _, sy := range ys {
		row := ink.Pix[ink.PixOffset(bb.Min.X, bb.Min.Y+sy.src):][:w]
		dst := r[sy.dst*Box:][:Box]
		for _, sx := range xs {
			if v := row[sx.src]; v != 0 {
				dst[sx.dst] += float32(v) * (sy.weight * sx.weight)
			}
		}
	}

	// Centre of mass, then the whole-pixel shift that brings it to the centre.
	var m, mx, my float64
	for y := range Box {
		for x, v := range r[y*Box:][:Box] {
			m += float64(v)
			mx += float64(v) * (float64(x) + 0.5)
			my += float64(v) * (float64(y) + 0.5)
		}
	}
	dx := int(math.Round(Centre - mx/m))
	dy := int(math.Round(Centre - my/m))
	for y := range Box {
		ty := y + dy
		if ty < 0 || ty >= Size {
			continue
		}
		for x, v := range r[y*Box:][:Box] {
			tx := x + dx
			if v == 0 || tx < 0 || tx >= Size {
				continue
			}
			in[ty*Size+tx] = min(v/255, 1)
		}
	}
	return in
}

// inkBounds returns the smallest rectangle holding every pixel above 0.
func inkBounds(g *image.Gray) image.Rectangle {
	b := g.Rect
	x0, y0, x1, y1 := b.Max.X, b.Max.Y, b.Min.X, b.Min.Y
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := g.Pix[g.PixOffset(b.Min.X, y):][:b.Dx()]
		first := -1
		for i, v := range row {
			if v != 0 {
				first = i
				break
			}
		}
		if first < 0 {
			continue
		}
		last := first
		for i := len(row) - 1; i > first; i-- {
			if row[i] != 0 {
				last = i
				break
			}
		}
		x0, x1 = min(x0, b.Min.X+first), max(x1, b.Min.X+last+1)
		y0, y1 = min(y0, y), y+1
	}
	if x1 <= x0 {
		return image.Rectangle{}
	}
	return image.Rectangle{image.Point{x0, y0}, image.Point{x1, y1}}
}

// span says that source pixel src covers weight (0…1] of output pixel dst
// along one axis.
type span struct {
	src, dst int
	weight   float32
}

// spans lists, for n source pixels scaled by scale (n·scale ≤ Box), how each
// covers the output pixels: source pixel i spans [i·scale, (i+1)·scale).
func spans(out []span, n int, scale float64) []span {
	for i := range n {
		lo, hi := float64(i)*scale, float64(i+1)*scale
		for j := int(lo); j < Box && float64(j) < hi; j++ {
			if ov := min(hi, float64(j+1)) - max(lo, float64(j)); ov > 1e-9 {
				out = append(out, span{i, j, float32(ov)})
			}
		}
	}
	return out
}
