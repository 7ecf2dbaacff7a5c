package deskew

import (
	"fmt"
	"image"
	"image/draw"
	"math"

	"github.com/sohoa/sohoa/ocr/clean"
)

// minSkew is the smallest skew Correct resamples a page for, in degrees:
// below it the ends of an A4 line at 300 dpi move by less than half a
// pixel, and resampling would only blur.
const minSkew = 0.01

// Correct returns img turned clockwise by rotation degrees (0, 90, 180 or
// 270, or any multiple of 90: it is taken modulo 360; anything else panics)
// and then clockwise by deg degrees, so that
//
//	Correct(img, rotation, deg)
//
// with rotation from Orientation and deg from Angle gives the upright,
// straight page. The canvas grows to hold the whole turned page: nothing is
// cropped, the new corners are white, and the result's bounds start at (0, 0).
//
// Quarter turns are exact pixel copies. A skew of less than 0.01° is
// ignored; any other is resampled once, together with the quarter turn,
// bilinearly (a NaN or infinite deg panics). The pixel type is kept for
// *image.Gray (a bilevel page, one holding only 0 and 255, is interpolated
// and thresholded at 128, so it stays strictly bilevel), *image.RGBA and
// *image.NRGBA; every other type comes back as *image.RGBA. When there is
// nothing to do, img itself is returned, bounds and all. img is never
// modified.
func Correct(img image.Image, rotation int, deg float64) image.Image {
	rotation %= 360
	if rotation < 0 {
		rotation += 360
	}
	if rotation%90 != 0 {
		panic(fmt.Sprintf("deskew: rotation %d is not a multiple of 90", rotation))
	}
	if math.IsNaN(deg) || math.IsInf(deg, 0) {
		panic(fmt.Sprintf("deskew: skew %v", deg))
	}
	if math.Abs(deg) < minSkew {
		deg = 0
	}
	if rotation == 0 && deg == 0 {
		return img
	}
	switch src := img.(type) {
	case *image.Gray:
		if deg == 0 {
			return turnGray(src, rotation)
		}
		return rotateGray(src, float64(rotation)+deg, clean.IsBilevel(src))
	case *image.RGBA:
		pix, stride, w, h := src.Pix, src.Stride, src.Rect.Dx(), src.Rect.Dy()
		if deg == 0 {
			p, nw, nh := turn4(pix, stride, w, h, rotation)
			return &image.RGBA{Pix: p, Stride: 4 * nw, Rect: image.Rect(0, 0, nw, nh)}
		}
		p, nw, nh := rotate4(pix, stride, w, h, float64(rotation)+deg)
		return &image.RGBA{Pix: p, Stride: 4 * nw, Rect: image.Rect(0, 0, nw, nh)}
	case *image.NRGBA:
		pix, stride, w, h := src.Pix, src.Stride, src.Rect.Dx(), src.Rect.Dy()
		if deg == 0 {
			p, nw, nh := turn4(pix, stride, w, h, rotation)
			return &image.NRGBA{Pix: p, Stride: 4 * nw, Rect: image.Rect(0, 0, nw, nh)}
		}
		p, nw, nh := rotate4(pix, stride, w, h, float64(rotation)+deg)
		return &image.NRGBA{Pix: p, Stride: 4 * nw, Rect: image.Rect(0, 0, nw, nh)}
	}
	b := img.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Rect, img, b.Min, draw.Src)
	return Correct(rgba, rotation, deg)
}

// Size returns the size of Correct(img, rotation, deg) for a w×h img,
// without allocating it: the canvas that holds the whole turned page.
// Callers bound memory with it before calling Correct.
func Size(w, h, rotation int, deg float64) (nw, nh int) {
	if math.Abs(deg) < minSkew || math.IsNaN(deg) || math.IsInf(deg, 0) {
		deg = 0
	}
	rotation = ((rotation % 360) + 360) % 360
	if deg == 0 {
		if rotation == 90 || rotation == 270 {
			return h, w
		}
		return w, h
	}
	g := newGeometry(w, h, float64(rotation)+deg)
	return g.nw, g.nh
}

// tile is the side of the square blocks that quarter turns copy, so that
// both the rows read and the rows written stay in cache.
const tile = 64

// turnGray returns g turned clockwise by rot (90, 180 or 270) degrees.
func turnGray(g *image.Gray, rot int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	nw, nh := w, h
	if rot != 180 {
		nw, nh = h, w
	}
	out := image.NewGray(image.Rect(0, 0, nw, nh))
	src, dst, ss := g.Pix, out.Pix, g.Stride
	if rot == 180 {
		for y := range h {
			row := src[y*ss : y*ss+w]
			o := dst[(h-1-y)*nw : (h-y)*nw]
			for x, v := range row {
				o[w-1-x] = v
			}
		}
		return out
	}
	for ty := 0; ty < h; ty += tile {
		for tx := 0; tx < w; tx += tile {
			for y := ty; y < min(ty+tile, h); y++ {
				row := src[y*ss : y*ss+w]
				if rot == 90 {
					// source (x, y) lands at (h-1-y, x)
					for x := tx; x < min(tx+tile, w); x++ {
						dst[x*nw+h-1-y] = row[x]
					}
				} else {
					// source (x, y) lands at (y, w-1-x)
					for x := tx; x < min(tx+tile, w); x++ {
						dst[(w-1-x)*nw+y] = row[x]
					}
				}
			}
		}
	}
	return out
}

// turn4 is turnGray for 4 bytes a pixel.
func turn4(src []uint8, ss, w, h, rot int) (dst []uint8, nw, nh int) {
	nw, nh = w, h
	if rot != 180 {
		nw, nh = h, w
	}
	dst = make([]uint8, 4*nw*nh)
	for ty := 0; ty < h; ty += tile {
		for tx := 0; tx < w; tx += tile {
			for y := ty; y < min(ty+tile, h); y++ {
				for x := tx; x < min(tx+tile, w); x++ {
					var i int
					switch rot {
					case 90:
						i = x*nw + h - 1 - y
					case 180:
						i = (h-1-y)*nw + w - 1 - x
					default:
						i = (w-1-x)*nw + y
					}
					copy(dst[4*i:4*i+4], src[y*ss+4*x:y*ss+4*x+4])
				}
			}
		}
	}
	return dst, nw, nh
}

// geometry of a rotation by deg degrees clockwise about the centre of a
// w×h image onto a canvas that holds all of it.
type geometry struct {
	w, h, nw, nh int
	c, s         float64 // cos and sin of the angle
	cx, cy       float64 // source centre
	ncx, ncy     float64 // destination centre
}

func newGeometry(w, h int, deg float64) geometry {
	th := deg * math.Pi / 180
	c, s := math.Cos(th), math.Sin(th)
	// Snap values that are exact in theory, so that 90° + 0.5° does not
	// grow the canvas by a pixel of rounding.
	for _, v := range []*float64{&c, &s} {
		if math.Abs(*v) < 1e-12 {
			*v = 0
		}
	}
	fw, fh := float64(w), float64(h)
	nw := int(math.Ceil(math.Abs(fw*c) + math.Abs(fh*s) - 1e-6))
	nh := int(math.Ceil(math.Abs(fw*s) + math.Abs(fh*c) - 1e-6))
	return geometry{w: w, h: h, nw: nw, nh: nh, c: c, s: s,
		cx: fw / 2, cy: fh / 2, ncx: float64(nw) / 2, ncy: float64(nh) / 2}
}

// source returns the source position, in pixel-centre coordinates (pixel
// (i, j) is at (i, j)), of the centre of destination pixel (x, y), and its
// step per destination pixel along a row: the inverse of a clockwise turn.
func (g geometry) source(x, y int) (sx, sy, dx, dy float64) {
	ox, oy := float64(x)+0.5-g.ncx, float64(y)+0.5-g.ncy
	sx = g.cx + ox*g.c + oy*g.s - 0.5
	sy = g.cy - ox*g.s + oy*g.c - 0.5
	return sx, sy, g.c, -g.s
}

// span returns the destination columns [lo, hi) of a row whose source
// positions, starting at (sx, sy) and stepping (dx, dy), lie at least a
// pixel inside the source's [0, w-1)×[0, h-1), where all four neighbours
// of bilinear interpolation exist.
func (g geometry) span(sx, sy, dx, dy float64) (lo, hi int) {
	lo, hi = 0, g.nw
	clip := func(p, d, limit float64) {
		// want 1 <= p + x*d <= limit-1
		a, b := 1.0, limit-1
		if b < a { // a source one or two pixels across has no inside
			lo, hi = 0, 0
			return
		}
		if d == 0 {
			if p < a || p > b {
				lo, hi = 0, 0
			}
			return
		}
		x0, x1 := (a-p)/d, (b-p)/d
		if x0 > x1 {
			x0, x1 = x1, x0
		}
		lo = max(lo, int(math.Ceil(x0)))
		hi = min(hi, int(math.Floor(x1))+1)
	}
	clip(sx, dx, float64(g.w-1))
	clip(sy, dy, float64(g.h-1))
	if hi <= lo {
		return 0, 0 // no pixel of the row is inside
	}
	return lo, hi
}

// rotateGray turns g clockwise by deg degrees with bilinear interpolation,
// thresholding at 128 when bilevel is set.
func rotateGray(g *image.Gray, deg float64, bilevel bool) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	geo := newGeometry(w, h, deg)
	out := image.NewGray(image.Rect(0, 0, geo.nw, geo.nh))
	src, ss := g.Pix, g.Stride
	const one = 1 << 16
	// at reads a source pixel, white outside.
	at := func(x, y int) int32 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return 255
		}
		return int32(src[y*ss+x])
	}
	var lut [256]uint8 // the output level of an interpolated level
	for i := range lut {
		lut[i] = uint8(i)
		if bilevel {
			lut[i] = 255
			if i < 128 {
				lut[i] = 0
			}
		}
	}
	for y := range geo.nh {
		sx, sy, dx, dy := geo.source(0, y)
		lo, hi := geo.span(sx, sy, dx, dy)
		row := out.Pix[y*out.Stride : y*out.Stride+geo.nw]
		// Fixed point 16.16 from the start of the row.
		fx, fy := int64(math.Round(sx*one)), int64(math.Round(sy*one))
		ix, iy := int64(math.Round(dx*one)), int64(math.Round(dy*one))
		slow := func(x int) {
			px, py := fx+int64(x)*ix, fy+int64(x)*iy
			x0, y0 := int(px>>16), int(py>>16)
			if x0 < -1 || y0 < -1 || x0 >= w || y0 >= h {
				row[x] = lut[255] // all four neighbours outside
				return
			}
			ax, ay := int32(px>>8&255), int32(py>>8&255)
			top := at(x0, y0)*(256-ax) + at(x0+1, y0)*ax
			bot := at(x0, y0+1)*(256-ax) + at(x0+1, y0+1)*ax
			row[x] = lut[(top*(256-ay)+bot*ay+32768)>>16]
		}
		for x := 0; x < lo; x++ {
			slow(x)
		}
		px, py := fx+int64(lo)*ix, fy+int64(lo)*iy
		for x := lo; x < hi; x++ {
			x0, y0 := int(px>>16), int(py>>16)
			ax, ay := int32(px>>8&255), int32(py>>8&255)
			k := y0*ss + x0
			p := src[k : k+2 : k+2]
			q := src[k+ss : k+ss+2 : k+ss+2]
			top := int32(p[0])*(256-ax) + int32(p[1])*ax
			bot := int32(q[0])*(256-ax) + int32(q[1])*ax
			row[x] = lut[(top*(256-ay)+bot*ay+32768)>>16]
			px += ix
			py += iy
		}
		for x := hi; x < geo.nw; x++ {
			slow(x)
		}
	}
	return out
}

// rotate4 is rotateGray for 4 bytes a pixel (RGBA or NRGBA, opaque white
// outside).
func rotate4(src []uint8, ss, w, h int, deg float64) (dst []uint8, nw, nh int) {
	geo := newGeometry(w, h, deg)
	dst = make([]uint8, 4*geo.nw*geo.nh)
	const one = 1 << 16
	white := [4]int32{255, 255, 255, 255}
	at := func(x, y int) []uint8 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return nil
		}
		return src[y*ss+4*x : y*ss+4*x+4]
	}
	for y := range geo.nh {
		sx, sy, dx, dy := geo.source(0, y)
		lo, hi := geo.span(sx, sy, dx, dy)
		row := dst[4*y*geo.nw : 4*(y+1)*geo.nw]
		fx, fy := int64(math.Round(sx*one)), int64(math.Round(sy*one))
		ix, iy := int64(math.Round(dx*one)), int64(math.Round(dy*one))
		for x := range geo.nw {
			px, py := fx+int64(x)*ix, fy+int64(x)*iy
			x0, y0 := int(px>>16), int(py>>16)
			ax, ay := int32(px>>8&255), int32(py>>8&255)
			o := row[4*x : 4*x+4 : 4*x+4]
			if x >= lo && x < hi {
				k := y0*ss + 4*x0
				p := src[k : k+8 : k+8]
				q := src[k+ss : k+ss+8 : k+ss+8]
				for c := range 4 {
					top := int32(p[c])*(256-ax) + int32(p[4+c])*ax
					bot := int32(q[c])*(256-ax) + int32(q[4+c])*ax
					o[c] = uint8((top*(256-ay) + bot*ay + 32768) >> 16)
				}
				continue
			}
			n := [4][]uint8{at(x0, y0), at(x0+1, y0), at(x0, y0+1), at(x0+1, y0+1)}
			for c := range 4 {
				v := func(i int) int32 {
					if n[i] == nil {
						return white[c]
					}
					return int32(n[i][c])
				}
				top := v(0)*(256-ax) + v(1)*ax
				bot := v(2)*(256-ax) + v(3)*ax
				o[c] = uint8((top*(256-ay) + bot*ay + 32768) >> 16)
			}
		}
	}
	return dst, geo.nw, geo.nh
}
