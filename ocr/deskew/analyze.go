package deskew

import (
	"image"
	"math"
)

// Analyze finds a page's skew and orientation together: Angle and
// Orientation, sharing the one shrunk, thresholded copy of the page that
// both measure on. The orientation is measured on that copy straightened
// (a cheap nearest-pixel turn of a 150 dpi black-and-white image) rather
// than on a straightened page, so the page need be resampled only once, by
// Correct(img, rotation, deg), for both corrections.
func Analyze(img *image.Gray) (deg, degConf float64, rotation int, rotConf float64) {
	r := reduce(img)
	if r == nil {
		return 0, 0, 0, 0
	}
	deg, degConf = angleOf(r)
	s := r
	if math.Abs(deg) >= minSkew {
		s = r.turned(deg)
	}
	o := orientationOf(s)
	return deg, degConf, o.rotation, o.confidence
}

// turned returns r turned clockwise by deg degrees, nearest pixel, paper
// in the new corners, on a canvas that holds all of it.
func (r *reduced) turned(deg float64) *reduced {
	geo := newGeometry(r.w, r.h, deg)
	out := &reduced{w: geo.nw, h: geo.nh, ink: make([]uint8, geo.nw*geo.nh)}
	for y := range geo.nh {
		sx, sy, dx, dy := geo.source(0, y)
		row := out.ink[y*geo.nw : (y+1)*geo.nw]
		for x := range row {
			ix, iy := int(math.Round(sx+float64(x)*dx)), int(math.Round(sy+float64(x)*dy))
			if ix >= 0 && iy >= 0 && ix < r.w && iy < r.h {
				row[x] = r.ink[iy*r.w+ix]
			}
		}
	}
	return out
}
