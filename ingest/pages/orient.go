package pages

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
)

// orientation says where a stored image's right and up directions point on
// the page as displayed: each of (rx, ry) and (ux, uy) is one of (±1, 0) or
// (0, ±1), in display coordinates with y pointing up.
type orientation struct{ rx, ry, ux, uy int }

// upright is an image shown as stored.
var upright = orientation{1, 0, 0, 1}

// rotateCW is the orientation after the page is turned a quarter clockwise:
// (x, y) becomes (y, -x).
func (o orientation) rotateCW() orientation {
	return orientation{o.ry, -o.rx, o.uy, -o.ux}
}

// swapsAxes reports whether the displayed image is the stored one on its side.
func (o orientation) swapsAxes() bool { return o.rx == 0 }

// orientationOf snaps the image matrix m (which maps the unit square of image
// space onto the page) to the nearest of the eight axis-aligned orientations.
// A degenerate matrix counts as upright.
func orientationOf(m matrix) orientation {
	snap := func(x, y float64) (int, int) {
		switch {
		case x == 0 && y == 0:
			return 0, 0
		case math.Abs(x) >= math.Abs(y):
			return sign(x), 0
		default:
			return 0, sign(y)
		}
	}
	var o orientation
	o.rx, o.ry = snap(m[0], m[1])
	o.ux, o.uy = snap(m[2], m[3])
	if (o.rx == 0) == (o.ux == 0) || (o.rx == 0 && o.ry == 0) || (o.ux == 0 && o.uy == 0) {
		return upright
	}
	return o
}

func sign(v float64) int {
	if v < 0 {
		return -1
	}
	return 1
}

// apply returns src turned and mirrored as o says, so that it reads the way
// the page is displayed. A *image.Gray or *image.Paletted stays one; anything
// else becomes an *image.RGBA.
func (o orientation) apply(src image.Image) image.Image {
	if o == upright {
		return src
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := w, h
	if o.swapsAxes() {
		ow, oh = h, w
	}
	switch s := src.(type) {
	case *image.Gray:
		d := image.NewGray(image.Rect(0, 0, ow, oh))
		o.transform(s.Pix[s.PixOffset(b.Min.X, b.Min.Y):], s.Stride, d.Pix, d.Stride, w, h, 1)
		return d
	case *image.Paletted:
		d := image.NewPaletted(image.Rect(0, 0, ow, oh), s.Palette)
		o.transform(s.Pix[s.PixOffset(b.Min.X, b.Min.Y):], s.Stride, d.Pix, d.Stride, w, h, 1)
		return d
	case *image.RGBA:
		d := image.NewRGBA(image.Rect(0, 0, ow, oh))
		o.transform(s.Pix[s.PixOffset(b.Min.X, b.Min.Y):], s.Stride, d.Pix, d.Stride, w, h, 4)
		return d
	}
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(rgba, rgba.Bounds(), src, b.Min, draw.Src)
	return o.apply(rgba)
}

// transform copies a w×h image of n bytes per pixel from src to dst, moving
// the pixel at column x, row y (rows counted from the top) to where o puts it.
func (o orientation) transform(src []byte, srcStride int, dst []byte, dstStride, w, h, n int) {
	// In display coordinates (y up) the pixel lands at
	//   X = x*rx + (h-1-y)*ux,  Y = x*ry + (h-1-y)*uy,
	// so its column is X - min X and its row, counted from the top, max Y - Y.
	minX := min(0, (w-1)*o.rx) + min(0, (h-1)*o.ux)
	maxY := max(0, (w-1)*o.ry) + max(0, (h-1)*o.uy)
	cx := (h-1)*o.ux - minX
	cy := maxY - (h-1)*o.uy
	for y := 0; y < h; y++ {
		row := src[y*srcStride : y*srcStride+w*n]
		col0 := cx - y*o.ux // column of x = 0
		row0 := cy + y*o.uy // row of x = 0
		for x := 0; x < w; x++ {
			dc := col0 + x*o.rx
			dr := row0 - x*o.ry
			copy(dst[dr*dstStride+dc*n:dr*dstStride+dc*n+n], row[x*n:x*n+n])
		}
	}
}

// bilevel is the palette of a 1-bit page: index 0 black, 1 white.
var bilevel = color.Palette{color.Gray{Y: 0}, color.Gray{Y: 0xFF}}

// toBilevel turns a black-and-white *image.Gray into a 2-colour paletted
// image, which the PNG encoder writes with 1 bit per pixel.
func toBilevel(g *image.Gray) *image.Paletted {
	b := g.Bounds()
	p := image.NewPaletted(image.Rect(0, 0, b.Dx(), b.Dy()), bilevel)
	for y := 0; y < b.Dy(); y++ {
		src := g.Pix[g.PixOffset(b.Min.X, b.Min.Y+y):][:b.Dx()]
		dst := p.Pix[y*p.Stride:][:b.Dx()]
		for x, v := range src {
			if v >= 0x80 {
				dst[x] = 1
			}
		}
	}
	return p
}

// encodePNG encodes img as PNG and records the resolution in a pHYs chunk.
func encodePNG(img image.Image, dpiX, dpiY float64) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	if dpiX <= 0 || dpiY <= 0 {
		return b, nil
	}
	// pHYs goes after IHDR, which is always the first chunk: 8 bytes of
	// signature and 25 of IHDR.
	const afterIHDR = 8 + 25
	chunk := make([]byte, 0, 21)
	chunk = binary.BigEndian.AppendUint32(chunk, 9)
	chunk = append(chunk, "pHYs"...)
	chunk = binary.BigEndian.AppendUint32(chunk, uint32(math.Round(dpiX/0.0254)))
	chunk = binary.BigEndian.AppendUint32(chunk, uint32(math.Round(dpiY/0.0254)))
	chunk = append(chunk, 1) // unit: metre
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	out := make([]byte, 0, len(b)+len(chunk))
	out = append(out, b[:afterIHDR]...)
	out = append(out, chunk...)
	return append(out, b[afterIHDR:]...), nil
}

// encodeJPEG encodes img as JPEG of quality 90 with a JFIF header giving the
// resolution.
func encodeJPEG(img image.Image, dpiX, dpiY float64) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	dens := func(v float64) uint16 { return uint16(min(math.Round(v), math.MaxUint16)) }
	app0 := []byte{0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}
	if dpiX > 0 && dpiY > 0 {
		app0[11] = 1 // dots per inch
		binary.BigEndian.PutUint16(app0[12:], dens(dpiX))
		binary.BigEndian.PutUint16(app0[14:], dens(dpiY))
	}
	out := make([]byte, 0, len(b)+len(app0))
	out = append(out, b[:2]...) // SOI
	out = append(out, app0...)
	return append(out, b[2:]...), nil
}
