package clean

import (
	"image"
	"image/color"
)

// Gray converts a page image to 8-bit grey for recognition. A *image.Gray
// is returned as it is (the result shares its pixels: do not modify it);
// every other image gets a new one with bounds starting at (0, 0).
//
// Colour pages are read through their red channel alone, not their
// luminance: seals and stamps are red and signatures blue, and in red light
// red ink is nearly as light as the paper while black text stays black, so
// seals all but vanish and the text under them stays whole. Measured (see
// the package documentation): binarised sealed pages score word F1 0.991
// through the red channel and 0.982 through luminance, and the seals of the
// real sealed report vanish. The price is noise about 1.5 times that of
// luminance (one channel instead of a weighted mean of three), which
// Binarize's smoothing absorbs. Grey and yellowed paper are lightest in red
// too. Alpha is ignored (pages are opaque).
func Gray(img image.Image) *image.Gray {
	switch src := img.(type) {
	case *image.Gray:
		return src
	case *image.RGBA:
		return red4(src.Pix, src.Stride, src.Rect)
	case *image.NRGBA:
		return red4(src.Pix, src.Stride, src.Rect)
	case *image.YCbCr:
		return redYCbCr(src)
	case *image.Gray16:
		b := src.Rect
		out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
		for y := range b.Dy() {
			row := src.Pix[y*src.Stride : y*src.Stride+2*b.Dx()]
			o := out.Pix[y*out.Stride : y*out.Stride+b.Dx()]
			for x := range o {
				o[x] = row[2*x] // the high byte
			}
		}
		return out
	case *image.Paletted:
		var lut [256]uint8
		for i, c := range src.Palette {
			lut[i] = redOf(c)
		}
		b := src.Rect
		out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
		for y := range b.Dy() {
			row := src.Pix[y*src.Stride : y*src.Stride+b.Dx()]
			o := out.Pix[y*out.Stride : y*out.Stride+b.Dx()]
			for x, v := range row {
				o[x] = lut[v]
			}
		}
		return out
	}
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := range b.Dy() {
		o := out.Pix[y*out.Stride : y*out.Stride+b.Dx()]
		for x := range o {
			o[x] = redOf(img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

// redOf is the red channel of c (the grey level of a grey colour).
func redOf(c color.Color) uint8 {
	switch c := c.(type) {
	case color.Gray:
		return c.Y
	case color.RGBA:
		return c.R
	case color.NRGBA:
		return c.R
	}
	r, _, _, _ := c.RGBA()
	return uint8(r >> 8)
}

// red4 takes the red channel of RGBA or NRGBA pixels.
func red4(pix []uint8, stride int, r image.Rectangle) *image.Gray {
	w, h := r.Dx(), r.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h { // pix starts at r.Min, as SubImage leaves it
		row := pix[y*stride : y*stride+4*w]
		o := out.Pix[y*w : (y+1)*w]
		for x := range o {
			o[x] = row[4*x]
		}
	}
	return out
}

// redYCbCr computes the red channel of a JPEG's YCbCr pixels:
// R = Y + 1.402 (Cr − 128), in the fixed point image/color uses.
func redYCbCr(src *image.YCbCr) *image.Gray {
	b := src.Rect
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	// The red offset of every Cr value.
	var lut [256]int32
	for i := range lut {
		lut[i] = (91881*(int32(i)-128) + 1<<15) >> 16 // 1.402 × 65536 = 91881
	}
	for y := range h {
		yi := src.YOffset(b.Min.X, b.Min.Y+y)
		ci := src.COffset(b.Min.X, b.Min.Y+y)
		ys := src.Y[yi : yi+w]
		o := out.Pix[y*w : (y+1)*w]
		switch src.SubsampleRatio {
		case image.YCbCrSubsampleRatio444:
			cr := src.Cr[ci : ci+w]
			for x, yy := range ys {
				o[x] = clamp8(int32(yy) + lut[cr[x]])
			}
		case image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420:
			// One chroma sample for two pixels of a row, aligned on even
			// absolute x.
			x0 := b.Min.X
			for x, yy := range ys {
				c := src.Cr[ci+((x0+x)/2-x0/2)]
				o[x] = clamp8(int32(yy) + lut[c])
			}
		default:
			for x := range o {
				o[x] = clamp8(int32(ys[x]) + lut[src.Cr[src.COffset(b.Min.X+x, b.Min.Y+y)]])
			}
		}
	}
	return out
}

func clamp8(v int32) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}
