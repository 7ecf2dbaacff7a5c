package epdf

import (
	"bytes"
	"image"
	"image/png"
)

// greyIfColourless returns a PNG that pdftoppm rendered (always in RGB) as
// an 8-bit grey PNG when it has no colour, which takes about half the
// space, in the work bucket and in the archived PDF; a page with colour (a
// red seal, a logo) is returned as it is, as is anything that does not
// decode. Colourless means every pixel's channels within maxChroma.
func greyIfColourless(data []byte) []byte {
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return data
	}
	var pix []uint8
	var stride, step int
	switch m := img.(type) {
	case *image.RGBA:
		pix, stride, step = m.Pix, m.Stride, 4
	case *image.NRGBA:
		pix, stride, step = m.Pix, m.Stride, 4
	case *image.Gray:
		return data
	default:
		return data
	}
	b := img.Bounds()
	g := image.NewGray(b)
	for y := 0; y < b.Dy(); y++ {
		row := pix[y*stride : y*stride+b.Dx()*step]
		out := g.Pix[y*g.Stride:]
		for x := 0; x < b.Dx(); x++ {
			r, gr, bl := int(row[x*step]), int(row[x*step+1]), int(row[x*step+2])
			if abs(r-gr) > maxChroma || abs(r-bl) > maxChroma || abs(gr-bl) > maxChroma {
				return data
			}
			out[x] = uint8((r*299 + gr*587 + bl*114 + 500) / 1000)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, g); err != nil {
		return data
	}
	return buf.Bytes()
}

// maxChroma is the most a colourless pixel's channels may differ.
const maxChroma = 8

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
