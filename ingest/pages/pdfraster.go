package pages

import (
	"errors"
	"image"
	"image/color"
	"math"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// colourSpace is what this package understands of an image's colour space.
type colourSpace struct {
	n       int           // components of a colour: 1 gray, 3 RGB, 4 CMYK
	indexed bool          // samples are indexes into palette
	palette color.Palette // for indexed
}

// parseColourSpace reads an image's /ColorSpace. Gray, RGB and CMYK in their
// device, calibrated and ICC-based forms are understood (calibration and
// profiles are ignored), and Indexed over any of them.
func parseColourSpace(xref *model.XRefTable, o types.Object, inIndexed bool) (colourSpace, error) {
	o, err := xref.Dereference(o)
	if err != nil {
		return colourSpace{}, err
	}
	switch v := o.(type) {
	case types.Name:
		switch v {
		case "DeviceGray", "G", "CalGray":
			return colourSpace{n: 1}, nil
		case "DeviceRGB", "RGB", "CalRGB":
			return colourSpace{n: 3}, nil
		case "DeviceCMYK", "CMYK":
			return colourSpace{n: 4}, nil
		}
		return colourSpace{}, errUnsupportedCS{string(v)}
	case types.Array:
		if len(v) == 0 {
			return colourSpace{}, errors.New("empty colour space array")
		}
		name, _ := v[0].(types.Name)
		switch name {
		case "DeviceGray", "CalGray", "G":
			return colourSpace{n: 1}, nil
		case "DeviceRGB", "CalRGB", "RGB":
			return colourSpace{n: 3}, nil
		case "DeviceCMYK", "CMYK":
			return colourSpace{n: 4}, nil
		case "ICCBased":
			if len(v) < 2 {
				return colourSpace{}, errors.New("ICCBased without a profile")
			}
			sd, _, err := xref.DereferenceStreamDict(v[1])
			if err != nil || sd == nil {
				return colourSpace{}, errors.New("ICCBased profile missing")
			}
			n, _ := intEntry(xref, sd.Dict, "N")
			switch n {
			case 1, 3, 4:
				return colourSpace{n: n}, nil
			}
			return colourSpace{}, errUnsupportedCS{"ICCBased with N=" + strconv.Itoa(n)}
		case "Indexed", "I":
			if inIndexed || len(v) < 4 {
				return colourSpace{}, errors.New("malformed Indexed colour space")
			}
			base, err := parseColourSpace(xref, v[1], true)
			if err != nil {
				return colourSpace{}, err
			}
			hival, ok := intValue(xref, v[2])
			if !ok || hival < 0 || hival > 255 {
				return colourSpace{}, errors.New("Indexed colour space: bad hival")
			}
			lookup, err := lookupBytes(xref, v[3])
			if err != nil {
				return colourSpace{}, err
			}
			pal := make(color.Palette, hival+1)
			for i := range pal {
				var c [4]uint8
				for j := 0; j < base.n; j++ {
					if k := i*base.n + j; k < len(lookup) {
						c[j] = lookup[k]
					}
				}
				pal[i] = toRGBA(base.n, c)
			}
			return colourSpace{n: 1, indexed: true, palette: pal}, nil
		}
		return colourSpace{}, errUnsupportedCS{string(name)}
	}
	return colourSpace{}, errors.New("colour space is not a name or an array")
}

type errUnsupportedCS struct{ name string }

func (e errUnsupportedCS) Error() string { return "colour space " + e.name }

// lookupBytes returns the colour table of an Indexed colour space.
func lookupBytes(xref *model.XRefTable, o types.Object) ([]byte, error) {
	o, err := xref.Dereference(o)
	if err != nil {
		return nil, err
	}
	switch v := o.(type) {
	case types.StringLiteral:
		return types.Unescape(v.Value())
	case types.HexLiteral:
		return v.Bytes()
	case types.StreamDict:
		if err := v.DecodeWithLimit(1 << 20); err != nil {
			return nil, err
		}
		return v.Content, nil
	}
	return nil, errors.New("Indexed colour space: bad lookup table")
}

// toRGBA turns a gray, RGB or CMYK colour of 8-bit components into RGBA.
func toRGBA(n int, c [4]uint8) color.RGBA {
	switch n {
	case 1:
		return color.RGBA{c[0], c[0], c[0], 0xFF}
	case 4:
		r, g, b := color.CMYKToRGB(c[0], c[1], c[2], c[3])
		return color.RGBA{r, g, b, 0xFF}
	}
	return color.RGBA{c[0], c[1], c[2], 0xFF}
}

// rasterPage decodes an image that is neither JPEG nor CCITT (Flate, LZW,
// RunLength or no compression) into pixels and writes it as PNG: 1-bit for
// black and white, 8-bit gray, RGB, or paletted for an Indexed image.
func (im *pdfImage) rasterPage(w, h int) (Page, error) {
	d := im.sd.Dict
	mask := false
	if o, err := im.xref.Dereference(d["ImageMask"]); err == nil {
		if b, ok := o.(types.Boolean); ok && b.Value() {
			mask = true
		}
	}
	var (
		cs  colourSpace
		bpc int
		err error
	)
	if mask {
		// A stencil mask paints its 0 samples (with the default Decode) in
		// the fill colour, taken to be black, on white paper: the same
		// picture as 1-bit DeviceGray.
		cs, bpc = colourSpace{n: 1}, 1
	} else {
		if _, ok := d["ColorSpace"]; !ok {
			return Page{}, im.corrupt("image without a colour space")
		}
		cs, err = parseColourSpace(im.xref, d["ColorSpace"], false)
		var u errUnsupportedCS
		if errors.As(err, &u) {
			return Page{}, im.unsupported("%v", err)
		} else if err != nil {
			return Page{}, im.corrupt("colour space: %v", err)
		}
		bpc, _ = intEntry(im.xref, d, "BitsPerComponent")
	}
	switch bpc {
	case 1, 2, 4, 8:
	case 16:
		if cs.indexed {
			return Page{}, im.corrupt("16-bit Indexed image")
		}
	default:
		return Page{}, im.corrupt("%d bits per component", bpc)
	}

	rowBytes := (int64(w)*int64(cs.n)*int64(bpc) + 7) / 8
	want := rowBytes * int64(h)
	dec := *im.sd
	dec.Content = nil
	if err := dec.DecodeWithLimit(want + want/8 + 1<<16); err != nil {
		if errors.Is(err, filter.ErrUnsupportedFilter) {
			return Page{}, im.unsupported("image data: %v", err)
		}
		return Page{}, im.corrupt("image data: %v", err)
	}
	if int64(len(dec.Content)) < want {
		return Page{}, im.corrupt("image data has %d bytes, %dx%d pixels need %d", len(dec.Content), w, h, want)
	}

	luts, err := im.sampleLUTs(cs, bpc)
	if err != nil {
		return Page{}, err
	}
	img := buildImage(dec.Content, int(rowBytes), w, h, bpc, cs, luts)
	dec.Content = nil
	t := im.o.apply(img)
	dx, dy := im.shownDPI(w, h)
	out, err := encodePNG(t, dx, dy)
	if err != nil {
		return Page{}, im.corrupt("encode png: %v", err)
	}
	b := t.Bounds()
	return Page{Data: out, Format: PNG, Width: b.Dx(), Height: b.Dy(), DPIX: dx, DPIY: dy}, nil
}

// sampleLUTs maps every possible sample of each component (of an 8-bit
// sample, for 16-bit images, which keep their high byte) through the image's
// /Decode array: to an 8-bit component value, or to a palette index for an
// Indexed image.
func (im *pdfImage) sampleLUTs(cs colourSpace, bpc int) ([][256]uint8, error) {
	sb := min(bpc, 8)
	maxS := float64(int(1)<<sb - 1)
	dmax := 1.0
	if cs.indexed {
		dmax = float64(int(1)<<bpc - 1)
	}
	decode := make([]float64, 0, 2*cs.n)
	if a, err := im.xref.DereferenceArray(im.sd.Dict["Decode"]); err == nil && len(a) >= 2*cs.n {
		for _, o := range a[:2*cs.n] {
			v, err := im.xref.DereferenceNumber(o)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, im.corrupt("bad /Decode array")
			}
			decode = append(decode, v)
		}
	} else {
		for range cs.n {
			decode = append(decode, 0, dmax)
		}
	}
	luts := make([][256]uint8, cs.n)
	for c := range cs.n {
		lo, hi := decode[2*c], decode[2*c+1]
		for s := 0; s <= int(maxS); s++ {
			v := lo + float64(s)*(hi-lo)/maxS
			if cs.indexed {
				luts[c][s] = uint8(min(max(math.Round(v), 0), float64(len(cs.palette)-1)))
			} else {
				luts[c][s] = uint8(math.Round(min(max(v, 0), 1) * 255))
			}
		}
	}
	return luts, nil
}

// buildImage unpacks rows of samples into an image: paletted for Indexed and
// for 1-bit gray, gray, or RGBA for RGB and CMYK.
func buildImage(data []byte, rowBytes, w, h, bpc int, cs colourSpace, luts [][256]uint8) image.Image {
	r := image.Rect(0, 0, w, h)
	samples := make([]uint8, w*cs.n)
	unpack := func(y int) {
		row := data[y*rowBytes : (y+1)*rowBytes]
		switch bpc {
		case 8:
			copy(samples, row)
		case 16:
			for i := range samples {
				samples[i] = row[2*i]
			}
		default:
			per := 8 / bpc
			mask := uint8(1)<<bpc - 1
			for i := range samples {
				shift := uint(8 - bpc*(i%per+1))
				samples[i] = row[i/per] >> shift & mask
			}
		}
	}
	switch {
	case cs.indexed:
		img := image.NewPaletted(r, cs.palette)
		for y := 0; y < h; y++ {
			unpack(y)
			dst := img.Pix[y*img.Stride:]
			for x, s := range samples {
				dst[x] = luts[0][s]
			}
		}
		return img
	case cs.n == 1 && bpc == 1:
		img := image.NewPaletted(r, bilevel)
		for y := 0; y < h; y++ {
			unpack(y)
			dst := img.Pix[y*img.Stride:]
			for x, s := range samples {
				dst[x] = luts[0][s] >> 7 // 0 black, 1 white
			}
		}
		return img
	case cs.n == 1:
		img := image.NewGray(r)
		for y := 0; y < h; y++ {
			unpack(y)
			dst := img.Pix[y*img.Stride:]
			for x, s := range samples {
				dst[x] = luts[0][s]
			}
		}
		return img
	}
	img := image.NewRGBA(r)
	for y := 0; y < h; y++ {
		unpack(y)
		dst := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			var c [4]uint8
			for k := range cs.n {
				c[k] = luts[k][samples[x*cs.n+k]]
			}
			p := toRGBA(cs.n, c)
			dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = p.R, p.G, p.B, 0xFF
		}
	}
	return img
}
