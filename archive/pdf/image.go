package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math/bits"
	"slices"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/image/ccitt"
	"golang.org/x/image/tiff"

	"github.com/sohoa/sohoa/pipeline"
)

// maxPixels bounds the images this package decodes: the pipeline's one page
// limit (ingest refuses larger pages, so none should reach here). A larger
// image is refused rather than allowed to exhaust memory.
const maxPixels = pipeline.MaxPagePixels

// tooLarge reports whether a w x h image exceeds maxPixels (without the
// product overflowing).
func tooLarge(w, h int) bool { return w > maxPixels || h > maxPixels || w*h > maxPixels }

// pageImage is a page's image XObject and its size in pixels.
type pageImage struct {
	width, height int
	stream        types.StreamDict
}

// newImage turns the encoded image of a page into an image XObject: JPEG and
// single-strip CCITT TIFF data go in as they are, everything else is decoded
// and written with /FlateDecode.
func newImage(p *Page) (pageImage, error) {
	switch strings.ToLower(p.Format) {
	case "jpeg", "jpg":
		return jpegImage(p.Image)
	case "png":
		return decodedImage("png", p.Image, png.DecodeConfig, png.Decode)
	case "tiff", "tif":
		return tiffImage(p.Image)
	}
	return pageImage{}, fmt.Errorf("unknown image format %q", p.Format)
}

func jpegImage(b []byte) (pageImage, error) {
	info, err := parseJPEG(b)
	if err != nil {
		return pageImage{}, err
	}
	if tooLarge(info.width, info.height) {
		return pageImage{}, fmt.Errorf("jpeg: %dx%d pixels is too large", info.width, info.height)
	}
	if info.components == 4 {
		if b, err = cmykToRGBJPEG(b, info.adobe); err != nil {
			return pageImage{}, err
		}
		info.components = 3
	}
	cs := map[int]string{1: "DeviceGray", 3: "DeviceRGB"}[info.components]
	d := imageDict(info.width, info.height, cs, 8)
	return pageImage{info.width, info.height, encodedStream(d, b, filter.DCT, nil)}, nil
}

// cmykJPEGQuality is the quality at which converted CMYK JPEGs are encoded.
const cmykJPEGQuality = 95

// cmykToRGBJPEG converts a four-component (CMYK or YCCK) JPEG to an RGB
// JPEG. PDF/A-2 allows DeviceCMYK only with a CMYK output intent (6.2.4.3),
// and the output intent here is sRGB, so a CMYK JPEG cannot be passed
// through: it is decoded, converted with the naive formula R = (1-C)(1-K)
// (color.CMYKToRGB; there is no profile to do better) and re-encoded, at
// some loss, as a baseline RGB JPEG. Scanners rarely produce CMYK; such
// files come from print workflows.
//
// adobe tells whether the file has an Adobe APP14 marker, whose CMYK data is
// stored inverted. image/jpeg decodes four-component files only with that
// marker, so one is added to a file without it, and the samples, which the
// decoder then takes for inverted, are inverted back.
func cmykToRGBJPEG(b []byte, adobe bool) ([]byte, error) {
	src := b
	if !adobe {
		// APP14 "Adobe", version 100, no flags, transform 0 (CMYK).
		app14 := []byte{0xFF, 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0}
		src = slices.Concat(b[:2], app14, b[2:])
	}
	img, err := jpeg.Decode(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("jpeg: decode CMYK: %w", err)
	}
	c, ok := img.(*image.CMYK)
	if !ok {
		return nil, fmt.Errorf("jpeg: four components decoded as %T", img)
	}
	r := c.Rect
	rgb := image.NewRGBA(r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := c.PixOffset(x, y)
			p := c.Pix[i : i+4 : i+4]
			if !adobe {
				p = []byte{0xFF - p[0], 0xFF - p[1], 0xFF - p[2], 0xFF - p[3]}
			}
			cr, cg, cb := color.CMYKToRGB(p[0], p[1], p[2], p[3])
			rgb.SetRGBA(x, y, color.RGBA{cr, cg, cb, 0xFF})
		}
	}
	var out bytes.Buffer
	if err := jpeg.Encode(&out, rgb, &jpeg.Options{Quality: cmykJPEGQuality}); err != nil {
		return nil, fmt.Errorf("jpeg: encode RGB: %w", err)
	}
	return out.Bytes(), nil
}

func tiffImage(b []byte) (pageImage, error) {
	ifd, err := parseTIFF(b)
	if err != nil {
		return pageImage{}, err
	}
	c, ok, err := ccittPage(b, ifd)
	if err != nil {
		return pageImage{}, err
	}
	if !ok {
		return decodedImage("tiff", b, tiff.DecodeConfig, tiff.Decode)
	}
	if tooLarge(c.width, c.height) {
		return pageImage{}, fmt.Errorf("tiff: %dx%d pixels is too large", c.width, c.height)
	}
	if len(c.strips) == 1 {
		return ccittImage(c), nil
	}
	// Strips cannot simply be concatenated: each G4 strip starts over with
	// an imaginary white reference line and may end with an EOFB, and G3
	// strips may end with RTC. Decode them and write the bits with Flate.
	return ccittFlateImage(c)
}

// ccittImage embeds single-strip CCITT data as it is, with /CCITTFaxDecode.
//
// PhotometricInterpretation decides which colour CCITT "white" runs are, as
// libtiff (and tiff2pdf) read it: with 0, WhiteIsZero, the usual value for
// fax data, white runs are white; with 1, BlackIsZero, the decoded bits are
// inverted, which /BlackIs1 true expresses. (golang.org/x/image/tiff ignores
// the tag for CCITT data; ccittFlateImage follows libtiff too, so that a
// page looks the same whichever way it is embedded.)
func ccittImage(c ccittStrips) pageImage {
	data := c.strips[0]
	if c.lsbFirst {
		data = make([]byte, len(c.strips[0]))
		for i, v := range c.strips[0] {
			data[i] = bits.Reverse8(v)
		}
	}
	parms := types.NewDict()
	switch {
	case c.g4:
		parms.InsertInt("K", -1)
	case c.t4Options&1 != 0:
		// Mixed 1-D and 2-D coding. K bounds the number of 2-D lines after
		// each 1-D line; TIFF does not record it, and readers go by the tag
		// bit after each EOL, so give the largest bound that can hold.
		parms.InsertInt("K", c.height)
	default:
		parms.InsertInt("K", 0)
	}
	parms.InsertInt("Columns", c.width)
	parms.InsertInt("Rows", c.height)
	if c.blackIs1 {
		parms.InsertBool("BlackIs1", true)
	}
	if !c.g4 && c.t4Options&4 != 0 {
		parms.InsertBool("EncodedByteAlign", true)
	}
	// Stop after Rows rows whether or not the data ends with EOFB or RTC.
	parms.InsertBool("EndOfBlock", false)
	d := imageDict(c.width, c.height, "DeviceGray", 1)
	return pageImage{c.width, c.height, encodedStream(d, data, filter.CCITTFax, parms)}
}

// ccittFlateImage decodes CCITT strips one row at a time into a 1-bit Flate
// image; the decoded page is never held in memory whole.
func ccittFlateImage(c ccittStrips) (pageImage, error) {
	if !c.g4 && c.t4Options&1 != 0 {
		return pageImage{}, errors.New("tiff: 2-D CCITT G3 data in several strips is not supported")
	}
	sf, order := ccitt.Group3, ccitt.MSB
	if c.g4 {
		sf = ccitt.Group4
	}
	if c.lsbFirst {
		order = ccitt.LSB
	}
	opts := &ccitt.Options{
		// The reader's output has 1 for white; BlackIsZero pages are
		// inverted (see ccittImage).
		Invert: c.blackIs1,
		Align:  !c.g4 && c.t4Options&4 != 0,
	}
	var r io.Reader
	row := func(y int, dst []byte) error {
		if y%c.rowsPerStrip == 0 {
			s := y / c.rowsPerStrip
			rows := min(c.rowsPerStrip, c.height-y)
			r = ccitt.NewReader(bytes.NewReader(c.strips[s]), order, sf, c.width, rows, opts)
		}
		if _, err := io.ReadFull(r, dst); err != nil {
			return fmt.Errorf("tiff: strip %d: %w", y/c.rowsPerStrip, err)
		}
		return nil
	}
	sd, err := flateImage(c.width, c.height, "DeviceGray", 1, row)
	if err != nil {
		return pageImage{}, err
	}
	return pageImage{c.width, c.height, sd}, nil
}

// decodedImage decodes an image and writes it with Flate: 1 bit per pixel
// when every pixel is black or white, 8-bit gray when every pixel is gray,
// 8-bit RGB otherwise. Transparency is flattened onto white.
func decodedImage(format string, b []byte, config func(io.Reader) (image.Config, error), decode func(io.Reader) (image.Image, error)) (pageImage, error) {
	cfg, err := config(bytes.NewReader(b))
	if err != nil {
		return pageImage{}, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return pageImage{}, fmt.Errorf("%s: image size %dx%d", format, cfg.Width, cfg.Height)
	}
	if tooLarge(cfg.Width, cfg.Height) {
		return pageImage{}, fmt.Errorf("%s: %dx%d pixels is too large", format, cfg.Width, cfg.Height)
	}
	img, err := decode(bytes.NewReader(b))
	if err != nil {
		return pageImage{}, err
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	src := newSampler(img)

	// First pass: find the smallest colour model that holds every pixel.
	gray, bilevel := true, true
	buf := make([]byte, w*src.channels)
	for y := 0; y < h && (gray || bilevel); y++ {
		src.row(y, buf)
		if src.channels == 3 {
			for i := 0; i < len(buf); i += 3 {
				if buf[i] != buf[i+1] || buf[i] != buf[i+2] {
					gray, bilevel = false, false
					break
				}
			}
		}
		if bilevel {
			for i := 0; i < len(buf); i += src.channels {
				if v := buf[i]; v != 0 && v != 0xFF {
					bilevel = false
					break
				}
			}
		}
	}

	// Second pass: write the rows in that model.
	var sd types.StreamDict
	switch {
	case bilevel:
		sd, err = flateImage(w, h, "DeviceGray", 1, func(y int, dst []byte) error {
			src.row(y, buf)
			clear(dst)
			for x := 0; x < w; x++ {
				if buf[x*src.channels] >= 0x80 {
					dst[x/8] |= 0x80 >> (x % 8)
				}
			}
			return nil
		})
	case gray:
		sd, err = flateImage(w, h, "DeviceGray", 8, func(y int, dst []byte) error {
			src.row(y, buf)
			for x := range dst {
				dst[x] = buf[x*src.channels]
			}
			return nil
		})
	default:
		sd, err = flateImage(w, h, "DeviceRGB", 8, func(y int, dst []byte) error {
			src.row(y, dst)
			return nil
		})
	}
	if err != nil {
		return pageImage{}, err
	}
	return pageImage{w, h, sd}, nil
}

// sampler reads the rows of an image as 8-bit samples, flattened onto white:
// one per pixel (gray) when channels is 1, three (RGB) when it is 3.
type sampler struct {
	channels int
	row      func(y int, dst []byte)
}

func newSampler(img image.Image) sampler {
	b := img.Bounds()
	w := b.Dx()
	switch m := img.(type) {
	case *image.Gray:
		return sampler{1, func(y int, dst []byte) {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			copy(dst, m.Pix[i:i+w])
		}}
	case *image.Gray16:
		return sampler{1, func(y int, dst []byte) {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			for x := range w {
				dst[x] = m.Pix[i+2*x]
			}
		}}
	case *image.Paletted:
		var lut [256][3]byte
		gray := true
		for i, c := range m.Palette {
			r, g, b, _ := flatten(c)
			lut[i] = [3]byte{r, g, b}
			gray = gray && r == g && g == b
		}
		if gray {
			return sampler{1, func(y int, dst []byte) {
				i := m.PixOffset(b.Min.X, b.Min.Y+y)
				for x, p := range m.Pix[i : i+w] {
					dst[x] = lut[p][0]
				}
			}}
		}
		return sampler{3, func(y int, dst []byte) {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			for x, p := range m.Pix[i : i+w] {
				copy(dst[3*x:], lut[p][:])
			}
		}}
	case *image.RGBA:
		return sampler{3, func(y int, dst []byte) {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			for x := range w {
				p := m.Pix[i+4*x : i+4*x+4]
				// Premultiplied: over white, c + (1-a).
				dst[3*x], dst[3*x+1], dst[3*x+2] = p[0]+(0xFF-p[3]), p[1]+(0xFF-p[3]), p[2]+(0xFF-p[3])
			}
		}}
	case *image.NRGBA:
		return sampler{3, func(y int, dst []byte) {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			for x := range w {
				p := m.Pix[i+4*x : i+4*x+4]
				a := uint32(p[3])
				for k := range 3 {
					dst[3*x+k] = byte((uint32(p[k])*a + 0xFF*(0xFF-a) + 0x7F) / 0xFF)
				}
			}
		}}
	}
	return sampler{3, func(y int, dst []byte) {
		for x := range w {
			dst[3*x], dst[3*x+1], dst[3*x+2], _ = flatten(img.At(b.Min.X+x, b.Min.Y+y))
		}
	}}
}

// flatten returns c composited onto white, as 8-bit RGB.
func flatten(c color.Color) (r, g, b, a byte) {
	r32, g32, b32, a32 := c.RGBA() // premultiplied, 16 bits
	return byte((r32 + 0xFFFF - a32) >> 8), byte((g32 + 0xFFFF - a32) >> 8), byte((b32 + 0xFFFF - a32) >> 8), byte(a32 >> 8)
}

// flateImage writes an image of w x h pixels with /FlateDecode and PNG
// predictors (chosen per row), asking row for each row of samples in turn,
// top to bottom: ceil(w*colors*bpc/8) bytes, bits packed most significant
// first.
func flateImage(w, h int, cs string, bpc int, row func(y int, dst []byte) error) (types.StreamDict, error) {
	colors := 1
	if cs == "DeviceRGB" {
		colors = 3
	}
	stride := (w*colors*bpc + 7) / 8
	bpp := max(1, colors*bpc/8) // bytes per complete pixel, as PNG filters count

	var out bytes.Buffer
	zw, err := zlib.NewWriterLevel(&out, zlib.DefaultCompression)
	if err != nil {
		return types.StreamDict{}, err
	}
	prev := make([]byte, stride)
	cur := make([]byte, stride)
	var filtered [5][]byte
	for i := range filtered {
		filtered[i] = make([]byte, 1+stride)
	}
	for y := range h {
		if err := row(y, cur); err != nil {
			return types.StreamDict{}, err
		}
		best := pngFilter(&filtered, cur, prev, bpp)
		if _, err := zw.Write(best); err != nil {
			return types.StreamDict{}, err
		}
		prev, cur = cur, prev
	}
	if err := zw.Close(); err != nil {
		return types.StreamDict{}, err
	}
	parms := types.NewDict()
	parms.InsertInt("Predictor", 15)
	parms.InsertInt("Colors", colors)
	parms.InsertInt("BitsPerComponent", bpc)
	parms.InsertInt("Columns", w)
	d := imageDict(w, h, cs, bpc)
	return encodedStream(d, out.Bytes(), filter.Flate, parms), nil
}

// pngFilter fills out with the five PNG filterings of cur (None, Sub, Up,
// Average, Paeth), each prefixed by its type byte, and returns the one with
// the smallest sum of absolute values, the heuristic libpng uses.
func pngFilter(out *[5][]byte, cur, prev []byte, bpp int) []byte {
	for t := range out {
		out[t][0] = byte(t)
	}
	none, sub, up, avg, paeth := out[0][1:], out[1][1:], out[2][1:], out[3][1:], out[4][1:]
	for i, c := range cur {
		var a, cc byte
		if i >= bpp {
			a, cc = cur[i-bpp], prev[i-bpp]
		}
		b := prev[i]
		none[i] = c
		sub[i] = c - a
		up[i] = c - b
		avg[i] = c - byte((uint16(a)+uint16(b))/2)
		paeth[i] = c - paethPredictor(a, b, cc)
	}
	best, bestSum := out[0], -1
	for t := range out {
		sum := 0
		for _, v := range out[t][1:] {
			sum += abs(int(int8(v)))
		}
		if bestSum < 0 || sum < bestSum {
			best, bestSum = out[t], sum
		}
	}
	return best
}

func paethPredictor(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// imageDict returns the dictionary of an image XObject. It never sets
// /Interpolate: scans are shown with their pixels as they are.
func imageDict(w, h int, cs string, bpc int) types.Dict {
	d := types.NewDict()
	d.InsertName("Type", "XObject")
	d.InsertName("Subtype", "Image")
	d.InsertInt("Width", w)
	d.InsertInt("Height", h)
	d.InsertName("ColorSpace", cs)
	d.InsertInt("BitsPerComponent", bpc)
	return d
}

// encodedStream returns a stream of already encoded data with a single
// filter. pdfcpu writes Raw as it is; Content stays nil so that nothing
// decodes or re-encodes it.
func encodedStream(d types.Dict, raw []byte, filterName string, parms types.Dict) types.StreamDict {
	d.InsertName("Filter", filterName)
	if parms != nil {
		d.Insert("DecodeParms", parms)
	}
	n := int64(len(raw))
	d.Insert("Length", types.Integer(n))
	return types.StreamDict{
		Dict:           d,
		Raw:            raw,
		StreamLength:   &n,
		FilterPipeline: []types.PDFFilter{{Name: filterName, DecodeParms: parms}},
	}
}
