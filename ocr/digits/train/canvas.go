package main

import (
	"image"
	"math"
	"math/rand/v2"
)

// canvas is a float image of ink: 0 paper … 1 ink, row-major. The trainer
// draws and degrades on canvases and hands the result to digits.Normalize as
// an image.Gray, the way inference will.
type canvas struct {
	w, h int
	pix  []float32
}

func newCanvas(w, h int) canvas { return canvas{w, h, make([]float32, w*h)} }

func (c canvas) at(x, y int) float32 {
	if x < 0 || y < 0 || x >= c.w || y >= c.h {
		return 0
	}
	return c.pix[y*c.w+x]
}

// sample is the bilinear value at (x, y), pixel centres at i+0.5.
func (c canvas) sample(x, y float64) float32 {
	x, y = x-0.5, y-0.5
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := float32(x-x0), float32(y-y0)
	ix, iy := int(x0), int(y0)
	a, b := c.at(ix, iy), c.at(ix+1, iy)
	d, e := c.at(ix, iy+1), c.at(ix+1, iy+1)
	return (a*(1-fx)+b*fx)*(1-fy) + (d*(1-fx)+e*fx)*fy
}

// bounds is the bounding box of pixels above level.
func (c canvas) bounds(level float32) image.Rectangle {
	x0, y0, x1, y1 := c.w, c.h, -1, -1
	for y := range c.h {
		for x, v := range c.pix[y*c.w : (y+1)*c.w] {
			if v > level {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			}
		}
	}
	if x1 < 0 {
		return image.Rectangle{}
	}
	return image.Rect(x0, y0, x1+1, y1+1)
}

// count is the number of pixels at level or above.
func (c canvas) count(level float32) int {
	n := 0
	for _, v := range c.pix {
		if v >= level {
			n++
		}
	}
	return n
}

// crop returns the part of c inside r, with margin pixels of paper around it.
func (c canvas) crop(r image.Rectangle, margin int) canvas {
	out := newCanvas(r.Dx()+2*margin, r.Dy()+2*margin)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			out.pix[(y-r.Min.Y+margin)*out.w+x-r.Min.X+margin] = c.at(x, y)
		}
	}
	return out
}

// affine maps (x, y) to (a·x + b·y + c, d·x + e·y + f).
type affine struct{ a, b, c, d, e, f float64 }

func (m affine) apply(x, y float64) (float64, float64) {
	return m.a*x + m.b*y + m.c, m.d*x + m.e*y + m.f
}

func (m affine) inverse() affine {
	det := m.a*m.e - m.b*m.d
	a, b, d, e := m.e/det, -m.b/det, -m.d/det, m.a/det
	return affine{a, b, -(a*m.c + b*m.f), d, e, -(d*m.c + e*m.f)}
}

// then returns the transform that applies m, then n.
func (m affine) then(n affine) affine {
	return affine{
		n.a*m.a + n.b*m.d, n.a*m.b + n.b*m.e, n.a*m.c + n.b*m.f + n.c,
		n.d*m.a + n.e*m.d, n.d*m.b + n.e*m.e, n.d*m.c + n.e*m.f + n.f,
	}
}

// shape is the transform that scales by (sx, sy), slants by shear (radians,
// positive leans the top to the right) and rotates by rot (radians), about
// the origin.
func shape(sx, sy, shear, rot float64) affine {
	s := affine{a: sx, e: sy}
	s = s.then(affine{a: 1, b: -math.Tan(shear), e: 1})
	sin, cos := math.Sincos(rot)
	return s.then(affine{a: cos, b: -sin, d: sin, e: cos})
}

// warp draws the ink of c through m (from c's coordinates to the result's)
// on a canvas just large enough, plus margin pixels of paper all round.
func (c canvas) warp(m affine, margin int) canvas {
	bb := c.bounds(0)
	if bb.Empty() {
		return newCanvas(2*margin+1, 2*margin+1)
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range [][2]float64{{float64(bb.Min.X), float64(bb.Min.Y)}, {float64(bb.Max.X), float64(bb.Min.Y)},
		{float64(bb.Min.X), float64(bb.Max.Y)}, {float64(bb.Max.X), float64(bb.Max.Y)}} {
		x, y := m.apply(p[0], p[1])
		minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
	}
	m = m.then(affine{a: 1, c: float64(margin) - math.Floor(minX), e: 1, f: float64(margin) - math.Floor(minY)})
	out := newCanvas(int(maxX-math.Floor(minX))+2*margin+1, int(maxY-math.Floor(minY))+2*margin+1)
	inv := m.inverse()
	for y := range out.h {
		for x := range out.w {
			sx, sy := inv.apply(float64(x)+0.5, float64(y)+0.5)
			out.pix[y*out.w+x] = c.sample(sx, sy)
		}
	}
	return out
}

// morph grows (grow) or thins (!grow) the ink by r pixels: the maximum or
// minimum over a (2r+1)² square, in two passes.
func (c canvas) morph(r int, grow bool) canvas {
	if r <= 0 {
		return c
	}
	pick := func(a, b float32) float32 {
		if grow {
			return max(a, b)
		}
		return min(a, b)
	}
	tmp := newCanvas(c.w, c.h)
	for y := range c.h {
		for x := range c.w {
			v := c.pix[y*c.w+x]
			for d := -r; d <= r; d++ {
				if xx := x + d; xx >= 0 && xx < c.w { // beyond the edge: paper, and ink never reaches it
					v = pick(v, c.pix[y*c.w+xx])
				}
			}
			tmp.pix[y*c.w+x] = v
		}
	}
	out := newCanvas(c.w, c.h)
	for y := range c.h {
		for x := range c.w {
			v := tmp.pix[y*c.w+x]
			for d := -r; d <= r; d++ {
				if yy := y + d; yy >= 0 && yy < c.h {
					v = pick(v, tmp.pix[yy*c.w+x])
				}
			}
			out.pix[y*c.w+x] = v
		}
	}
	return out
}

// blur is a 3×3 box blur, the softness of a scanner's optics.
func (c canvas) blur() canvas {
	out := newCanvas(c.w, c.h)
	for y := range c.h {
		for x := range c.w {
			var s float32
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					s += c.at(x+dx, y+dy)
				}
			}
			out.pix[y*c.w+x] = s / 9
		}
	}
	return out
}

// noise adds Gaussian noise of deviation sd near the ink only (where the
// value is above 0.02), as JPEG's ringing does: it roughens the edges that a
// threshold then cuts, without sowing specks over the paper.
func (c canvas) noise(rng *rand.Rand, sd float64) {
	for i, v := range c.pix {
		if v > 0.02 {
			c.pix[i] = v + float32(rng.NormFloat64()*sd)
		}
	}
}

// disc draws a filled disc of value v (1 ink, 0 paper) centred at (cx, cy),
// anti-aliased over its edge.
func (c canvas) disc(cx, cy, r float64, v float32) {
	for y := max(0, int(cy-r-1)); y < min(c.h, int(cy+r+2)); y++ {
		for x := max(0, int(cx-r-1)); x < min(c.w, int(cx+r+2)); x++ {
			d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
			c.paint(x, y, float32(r+0.5-d), v)
		}
	}
}

// line draws a segment of width wd from (x0, y0) to (x1, y1), round-capped.
func (c canvas) line(x0, y0, x1, y1, wd float64, v float32) {
	r := wd / 2
	lx, ly := x1-x0, y1-y0
	l2 := lx*lx + ly*ly
	for y := max(0, int(min(y0, y1)-r-1)); y < min(c.h, int(max(y0, y1)+r+2)); y++ {
		for x := max(0, int(min(x0, x1)-r-1)); x < min(c.w, int(max(x0, x1)+r+2)); x++ {
			px, py := float64(x)+0.5-x0, float64(y)+0.5-y0
			t := 0.0
			if l2 > 0 {
				t = max(0, min(1, (px*lx+py*ly)/l2))
			}
			d := math.Hypot(px-t*lx, py-t*ly)
			c.paint(x, y, float32(r+0.5-d), v)
		}
	}
}

// ellipse fills an ellipse of radii (rx, ry) turned by rot.
func (c canvas) ellipse(cx, cy, rx, ry, rot float64) {
	sin, cos := math.Sincos(rot)
	rm := max(rx, ry)
	for y := max(0, int(cy-rm-1)); y < min(c.h, int(cy+rm+2)); y++ {
		for x := max(0, int(cx-rm-1)); x < min(c.w, int(cx+rm+2)); x++ {
			px, py := float64(x)+0.5-cx, float64(y)+0.5-cy
			u, w := (px*cos+py*sin)/rx, (-px*sin+py*cos)/ry
			d := math.Sqrt(u*u+w*w) - 1 // in radii: roughly pixels times 1/r
			c.paint(x, y, float32(-d*min(rx, ry)+0.5), 1)
		}
	}
}

// paint moves pixel (x, y) towards v by coverage cov (clamped to 0…1).
func (c canvas) paint(x, y int, cov, v float32) {
	cov = max(0, min(1, cov))
	if cov == 0 {
		return
	}
	p := &c.pix[y*c.w+x]
	if v >= *p {
		*p = max(*p, v*cov+*p*(1-cov))
	} else {
		*p = *p*(1-cov) + v*cov
	}
}

// gray turns c into the ink image Normalize takes: thresholded to 1-bit at
// level (ink where the value is at least level) when level > 0, else its grey
// levels (0 paper … 255 ink).
func (c canvas) gray(level float32) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, c.w, c.h))
	for i, v := range c.pix {
		switch {
		case level > 0 && v >= level:
			g.Pix[i] = 255
		case level > 0:
		default:
			g.Pix[i] = uint8(max(0, min(1, v))*255 + 0.5)
		}
	}
	return g
}
