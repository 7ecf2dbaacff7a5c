package pdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/bits"
	"os"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/image/tiff"

	"github.com/sohoa/sohoa/ccitt"
)

const testW, testH = 200, 150 // 48 x 36 points at 300 dpi

// grayImage is a gray image with gradients and edges: not bilevel.
func grayImage() *image.Gray {
	img := image.NewGray(image.Rect(0, 0, testW, testH))
	for y := range testH {
		for x := range testW {
			v := uint8((x*255/testW + y*3) % 256)
			if (x/20+y/15)%3 == 0 {
				v = 255 - v
			}
			img.SetGray(x, y, color.Gray{v})
		}
	}
	return img
}

// bilevelImage is black text-like strokes on white.
func bilevelImage() *image.Gray {
	img := image.NewGray(image.Rect(0, 0, testW, testH))
	for y := range testH {
		for x := range testW {
			v := uint8(0xFF)
			if (y/6)%3 == 1 && (x/4)%5 != 0 && (x*7+y*3)%11 > 3 {
				v = 0
			}
			img.SetGray(x, y, color.Gray{v})
		}
	}
	return img
}

func rgbImage() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, testW, testH))
	for y := range testH {
		for x := range testW {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y * 255 / testH), uint8((x + y) * 2), 0xFF})
		}
	}
	return img
}

// grayAsRGB is an RGB image all of whose pixels are gray.
func grayAsRGB() *image.RGBA {
	g := grayImage()
	img := image.NewRGBA(g.Bounds())
	for i, v := range g.Pix {
		copy(img.Pix[4*i:], []byte{v, v, v, 0xFF})
	}
	return img
}

// translucent is an NRGBA image with partly transparent pixels.
func translucent() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, testW, testH))
	for y := range testH {
		for x := range testW {
			img.SetNRGBA(x, y, color.NRGBA{200, uint8(x), 40, uint8(y * 255 / testH)})
		}
	}
	return img
}

func gray16Image() *image.Gray16 {
	g := grayImage()
	img := image.NewGray16(g.Bounds())
	for i, v := range g.Pix {
		img.Pix[2*i], img.Pix[2*i+1] = v, 0x5A
	}
	return img
}

// paletted2 is a two-colour (black and white) paletted image.
func paletted2() *image.Paletted {
	b := bilevelImage()
	img := image.NewPaletted(b.Bounds(), color.Palette{color.White, color.Black})
	for i, v := range b.Pix {
		if v == 0 {
			img.Pix[i] = 1
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeTIFF(t testing.TB, img image.Image, c tiff.CompressionType) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := tiff.Encode(&b, img, &tiff.Options{Compression: c}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// packBits packs a bilevel image into rows of bits, 1 for white, most
// significant bit first.
func packBits(img *image.Gray) []byte {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	stride := (w + 7) / 8
	out := make([]byte, stride*h)
	for y := range h {
		for x := range w {
			if img.GrayAt(x, y).Y >= 0x80 {
				out[y*stride+x/8] |= 0x80 >> (x % 8)
			}
		}
	}
	return out
}

func invert(img *image.Gray) *image.Gray {
	out := image.NewGray(img.Bounds())
	for i, v := range img.Pix {
		out.Pix[i] = 0xFF - v
	}
	return out
}

// g4Strips encodes img as CCITT G4 in strips of rows rows each.
func g4Strips(img *image.Gray, rows int) [][]byte {
	var strips [][]byte
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += rows {
		part := image.NewGray(image.Rect(0, 0, b.Dx(), min(rows, b.Max.Y-y)))
		for yy := range part.Rect.Dy() {
			copy(part.Pix[yy*part.Stride:], img.Pix[img.PixOffset(b.Min.X, y+yy):img.PixOffset(b.Max.X, y+yy)])
		}
		strips = append(strips, ccitt.EncodeG4(part))
	}
	return strips
}

func reverseBits(b []byte) []byte {
	out := make([]byte, len(b))
	for i, v := range b {
		out[i] = bits.Reverse8(v)
	}
	return out
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodePNGFile(t *testing.T, name string) *image.Gray {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(readTestdata(t, name)))
	if err != nil {
		t.Fatal(err)
	}
	g, ok := img.(*image.Gray)
	if !ok {
		t.Fatalf("%s: %T, want *image.Gray", name, img)
	}
	return g
}

// TestImageFormats embeds every kind of page image, checks the image
// dictionary and, for images passed through, the stream bytes, and renders
// the page with pdftoppm at the image's resolution to compare it with the
// source pixel for pixel (JPEG within the tolerance of two decoders).
func TestImageFormats(t *testing.T) {
	gopherG3 := readTestdata(t, "bw-gopher.ccitt_group3")
	gopher := decodePNGFile(t, "bw-gopher.png")
	bilevel := bilevelImage()
	g4 := ccitt.EncodeG4(bilevel)

	type want struct {
		filter     string
		colorSpace string
		bpc        int
		raw        []byte         // the stream bytes, when passed through
		parms      map[string]any // expected DecodeParms entries
		pixels     image.Image    // what the page must look like
		tolerance  int            // mean absolute difference allowed per sample
	}
	tests := []struct {
		name   string
		format string
		image  func(t *testing.T) []byte
		want   want
	}{
		{
			name: "jpeg gray", format: "jpeg",
			image: func(t *testing.T) []byte { return encodeJPEG(t, grayImage()) },
			want:  want{filter: "DCTDecode", colorSpace: "DeviceGray", bpc: 8, pixels: grayImage(), tolerance: 3},
		},
		{
			name: "jpeg rgb", format: "jpeg",
			image: func(t *testing.T) []byte { return encodeJPEG(t, rgbImage()) },
			want:  want{filter: "DCTDecode", colorSpace: "DeviceRGB", bpc: 8, pixels: rgbImage(), tolerance: 4},
		},
		{
			name: "png gray", format: "png",
			image: func(t *testing.T) []byte { return encodePNG(t, grayImage()) },
			want:  want{filter: "FlateDecode", colorSpace: "DeviceGray", bpc: 8, pixels: grayImage()},
		},
		{
			name: "png gray 16-bit", format: "png",
			image: func(t *testing.T) []byte { return encodePNG(t, gray16Image()) },
			want:  want{filter: "FlateDecode", colorSpace: "DeviceGray", bpc: 8, pixels: grayImage()},
		},
		{
			name: "png gray bilevel", format: "png",
			image: func(t *testing.T) []byte { return encodePNG(t, bilevel) },
			want:  want{filter: "FlateDecode", colorSpace: "DeviceGray", bpc: 1, pixels: bilevel},
		},
		{
			name: "png paletted bilevel", format: "png",
			image: func(t *testing.T) []byte { return encodePNG(t, paletted2()) },
			want:  want{filter: "FlateDecode", colorSpace: "DeviceGray", bpc: 1, pixels: bilevel},
		},
		{
			name: "png rgb", format: "png",
			image: func(t *testing.T) []byte { return encodePNG(t, rgbImage()) },
			want:  want{filter: "FlateDecode", colorSpace: "DeviceRGB", bpc: 8, pixels: rgbImage()},
		},
		{
			name: "png rgb that is gray", format: "png",
			image: func(t *testing.T) []byte { return encodePNG(t, grayAsRGB()) },
			want:  want{filter: "FlateDecode", colorSpace: "DeviceGray", bpc: 8, pixels: grayImage()},
		},
		{
			name: "png with alpha flattened on white", format: "png",
			image: func(t *testing.T) []byte { return encodePNG(t, translucent()) },
			want: want{filter: "FlateDecode", colorSpace: "DeviceRGB", bpc: 8, pixels: flattenOnWhite(translucent()),
				tolerance: 1}, // rounding
		},
		{
			name: "tiff deflate gray", format: "tiff",
			image: func(t *testing.T) []byte { return encodeTIFF(t, grayImage(), tiff.Deflate) },
			want:  want{filter: "FlateDecode", colorSpace: "DeviceGray", bpc: 8, pixels: grayImage()},
		},
		{
			name: "tiff uncompressed rgb", format: "tiff",
			image: func(t *testing.T) []byte { return encodeTIFF(t, rgbImage(), tiff.Uncompressed) },
			want:  want{filter: "FlateDecode", colorSpace: "DeviceRGB", bpc: 8, pixels: rgbImage()},
		},
		{
			name: "tiff uncompressed bilevel", format: "tiff",
			image: func(t *testing.T) []byte {
				return buildTIFF(tiffFile{width: testW, height: testH, compression: 1, photometric: 1,
					strips: [][]byte{packBits(bilevel)}})
			},
			want: want{filter: "FlateDecode", colorSpace: "DeviceGray", bpc: 1, pixels: bilevel},
		},
		{
			name: "tiff g4", format: "tiff",
			image: func(t *testing.T) []byte {
				return buildTIFF(tiffFile{width: testW, height: testH, compression: 4, strips: [][]byte{g4}})
			},
			want: want{filter: "CCITTFaxDecode", colorSpace: "DeviceGray", bpc: 1, raw: g4,
				parms:  map[string]any{"K": -1, "Columns": testW, "Rows": testH, "BlackIs1": nil},
				pixels: bilevel},
		},
		{
			name: "tiff g4 BlackIsZero", format: "tiff",
			image: func(t *testing.T) []byte {
				return buildTIFF(tiffFile{width: testW, height: testH, compression: 4, photometric: 1, strips: [][]byte{g4}})
			},
			want: want{filter: "CCITTFaxDecode", colorSpace: "DeviceGray", bpc: 1, raw: g4,
				parms:  map[string]any{"K": -1, "BlackIs1": true},
				pixels: invert(bilevel)},
		},
		{
			name: "tiff g4 lsb first", format: "tiff",
			image: func(t *testing.T) []byte {
				return buildTIFF(tiffFile{width: testW, height: testH, compression: 4, fillOrder: 2,
					strips: [][]byte{reverseBits(g4)}})
			},
			want: want{filter: "CCITTFaxDecode", colorSpace: "DeviceGray", bpc: 1, raw: g4,
				parms: map[string]any{"K": -1}, pixels: bilevel},
		},
		{
			name: "tiff g4 in strips", format: "tiff",
			image: func(t *testing.T) []byte {
				return buildTIFF(tiffFile{width: testW, height: testH, compression: 4, rowsPerStrip: 64,
					strips: g4Strips(bilevel, 64)})
			},
			want: want{filter: "FlateDecode", colorSpace: "DeviceGray", bpc: 1, pixels: bilevel},
		},
		{
			name: "tiff g4 in strips BlackIsZero", format: "tiff",
			image: func(t *testing.T) []byte {
				return buildTIFF(tiffFile{width: testW, height: testH, compression: 4, photometric: 1, rowsPerStrip: 64,
					strips: g4Strips(bilevel, 64)})
			},
			want: want{filter: "FlateDecode", colorSpace: "DeviceGray", bpc: 1, pixels: invert(bilevel)},
		},
		{
			name: "tiff g3 1-D", format: "tiff",
			image: func(t *testing.T) []byte {
				return buildTIFF(tiffFile{width: 153, height: 55, compression: 3, strips: [][]byte{gopherG3}})
			},
			want: want{filter: "CCITTFaxDecode", colorSpace: "DeviceGray", bpc: 1, raw: gopherG3,
				parms: map[string]any{"K": 0, "Columns": 153, "Rows": 55}, pixels: gopher},
		},
		{
			name: "tiff g3 1-D in strips", format: "tiff",
			image: func(t *testing.T) []byte {
				// The same data in two strips: decoded, not passed through.
				return buildTIFF(tiffFile{width: 153, height: 55, compression: 3, rowsPerStrip: 30,
					strips: [][]byte{g3Rows(t, gopherG3, 0, 30), g3Rows(t, gopherG3, 30, 55)}})
			},
			want: want{filter: "FlateDecode", colorSpace: "DeviceGray", bpc: 1, pixels: gopher},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.image(t)
			pdf := writePDF(t, []Page{{Image: src, Format: tt.format}}, testInfo)
			ctx := readPDF(t, pdf)
			sd := pageImageStream(t, ctx, 1)
			b := tt.want.pixels.Bounds()

			if got := sd.NameEntry("Filter"); got == nil || *got != tt.want.filter {
				t.Errorf("Filter = %v, want %s", got, tt.want.filter)
			}
			if got := sd.NameEntry("ColorSpace"); got == nil || *got != tt.want.colorSpace {
				t.Errorf("ColorSpace = %v, want %s", got, tt.want.colorSpace)
			}
			for k, v := range map[string]int{"BitsPerComponent": tt.want.bpc, "Width": b.Dx(), "Height": b.Dy()} {
				if got := sd.IntEntry(k); got == nil || *got != v {
					t.Errorf("%s = %v, want %d", k, got, v)
				}
			}
			if _, ok := sd.Find("Interpolate"); ok {
				t.Errorf("image has /Interpolate")
			}
			if strings.HasPrefix(tt.format, "jpeg") {
				tt.want.raw = src
			}
			if tt.want.raw != nil && !bytes.Equal(sd.Raw, tt.want.raw) {
				t.Errorf("stream is %d bytes, not the %d bytes of the source data", len(sd.Raw), len(tt.want.raw))
			}
			parms, _ := sd.Find("DecodeParms")
			for k, v := range tt.want.parms {
				pd, _ := parms.(types.Dict)
				got, ok := pd.Find(k)
				switch v := v.(type) {
				case nil:
					if ok {
						t.Errorf("DecodeParms has %s %v", k, got)
					}
				case int:
					if got != types.Integer(v) {
						t.Errorf("DecodeParms %s = %v, want %d", k, got, v)
					}
				case bool:
					if got != types.Boolean(v) {
						t.Errorf("DecodeParms %s = %v, want %v", k, got, v)
					}
				}
			}

			// MediaBox: the image size at 300 dpi.
			mb := pageDict(t, ctx, 1).ArrayEntry("MediaBox")
			wantBox := []float64{0, 0, float64(b.Dx()) * 72 / 300, float64(b.Dy()) * 72 / 300}
			if len(mb) != 4 {
				t.Fatalf("MediaBox %v", mb)
			}
			for i, o := range mb {
				if got := numberValue(o); !near(got, round3(wantBox[i]), 1e-9) {
					t.Errorf("MediaBox = %v, want %v", mb, wantBox)
				}
			}

			if testing.Short() {
				return
			}
			// Rendered at four times the image's resolution, where poppler
			// draws each image pixel as a 4x4 block without interpolating.
			_, isGray := tt.want.pixels.(*image.Gray)
			got := render(t, pdf, 4*300, 4*300, isGray)
			if d := meanDiff(got, tt.want.pixels, 4); d > float64(tt.want.tolerance)+1e-9 {
				t.Errorf("rendered page differs from the source: mean difference %.2f per sample, want ≤ %d", d, tt.want.tolerance)
			}
		})
	}
}

// g3Rows cuts the part holding rows [from, to) out of one-dimensional G3
// data, in which every row starts with an EOL code (000000000001, a pattern
// no other sequence of codes contains), realigned to a byte boundary.
func g3Rows(t *testing.T, data []byte, from, to int) []byte {
	t.Helper()
	// Bit positions of EOLs.
	var eols []int
	zeros := 0
	for i := 0; i < 8*len(data); i++ {
		bit := data[i/8] >> (7 - i%8) & 1
		if bit == 0 {
			zeros++
			continue
		}
		if zeros >= 11 {
			eols = append(eols, i-11)
		}
		zeros = 0
	}
	if len(eols) < to {
		t.Fatalf("found %d EOLs, want at least %d", len(eols), to)
	}
	start := eols[from]
	end := 8 * len(data)
	if to < len(eols) {
		end = eols[to]
	}
	// Copy the bits [start, end) to a byte-aligned buffer.
	out := make([]byte, (end-start+7)/8)
	for i := start; i < end; i++ {
		if data[i/8]>>(7-i%8)&1 == 1 {
			out[(i-start)/8] |= 0x80 >> ((i - start) % 8)
		}
	}
	return out
}

func numberValue(o types.Object) float64 {
	switch v := o.(type) {
	case types.Integer:
		return float64(v)
	case types.Float:
		return float64(v)
	}
	return -1
}

func near(a, b, eps float64) bool { return a-b <= eps && b-a <= eps }

// flattenOnWhite composites img onto white.
func flattenOnWhite(img *image.NRGBA) *image.RGBA {
	out := image.NewRGBA(img.Bounds())
	over := func(c, a uint8) uint8 {
		return uint8(math.Round(float64(c)*float64(a)/255 + 255*(1-float64(a)/255)))
	}
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			c := img.NRGBAAt(x, y)
			out.SetRGBA(x, y, color.RGBA{over(c.R, c.A), over(c.G, c.A), over(c.B, c.A), 0xFF})
		}
	}
	return out
}

// meanDiff is the mean absolute difference per sample between a page
// rendered at scale times the resolution of the expected image and that image
// (compared as gray when want is gray), sampling the middle of each block.
func meanDiff(got, want image.Image, scale int) float64 {
	// The device size is the page size rounded up, which may add a row or
	// column at the bottom or right.
	if d := got.Bounds().Size().Sub(want.Bounds().Size().Mul(scale)); d.X < 0 || d.X > 1 || d.Y < 0 || d.Y > 1 {
		return 1e9
	}
	_, gray := want.(*image.Gray)
	var sum, n float64
	gb, wb := got.Bounds(), want.Bounds()
	for y := 0; y < wb.Dy(); y++ {
		for x := 0; x < wb.Dx(); x++ {
			gc, wc := got.At(gb.Min.X+scale*x+scale/2, gb.Min.Y+scale*y+scale/2), want.At(wb.Min.X+x, wb.Min.Y+y)
			if gray {
				g1 := color.GrayModel.Convert(gc).(color.Gray).Y
				g2 := color.GrayModel.Convert(wc).(color.Gray).Y
				sum += float64(abs(int(g1) - int(g2)))
				n++
				continue
			}
			r1, g1, b1, _ := gc.RGBA()
			r2, g2, b2, _ := wc.RGBA()
			sum += float64(abs(int(r1>>8)-int(r2>>8)) + abs(int(g1>>8)-int(g2>>8)) + abs(int(b1>>8)-int(b2>>8)))
			n += 3
		}
	}
	return sum / n
}

// TestImageErrors checks that images that cannot be embedded are refused
// with ErrBadImage and the page number.
func TestImageErrors(t *testing.T) {
	g4 := ccitt.EncodeG4(bilevelImage())
	jpg := encodeJPEG(t, grayImage())
	tests := []struct {
		name   string
		format string
		image  []byte
	}{
		{"empty", "png", nil},
		{"unknown format", "gif", []byte("GIF89a")},
		{"png is not a png", "png", jpg},
		{"truncated jpeg", "jpeg", jpg[:20]},
		{"jpeg is a png", "jpeg", encodePNG(t, grayImage())},
		{"tiff with two pages", "tiff", buildTIFF(tiffFile{width: testW, height: testH, compression: 4,
			strips: [][]byte{g4}, extraPages: 1})},
		{"bigtiff", "tiff", []byte{'I', 'I', 43, 0, 8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0}},
		{"g4 strip out of range", "tiff", func() []byte {
			b := buildTIFF(tiffFile{width: testW, height: testH, compression: 4, strips: [][]byte{g4}})
			return b[:len(g4)/2]
		}()},
		{"huge g4", "tiff", buildTIFF(tiffFile{width: 100000, height: 100000, compression: 4, strips: [][]byte{g4}})},
		{"huge png", "png", hugePNG(t)},
		{"2-D g3 in strips", "tiff", buildTIFF(tiffFile{width: testW, height: testH, compression: 3, t4Options: 1,
			rowsPerStrip: 100, strips: [][]byte{{0}, {0}}})},
		{"corrupt g4 in strips", "tiff", buildTIFF(tiffFile{width: testW, height: testH, compression: 4,
			rowsPerStrip: 100, strips: [][]byte{{0, 0, 0}, {0, 0, 0}}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good := Page{Image: encodePNG(t, bilevelImage()), Format: "png"}
			var b bytes.Buffer
			err := Write(&b, []Page{good, {Image: tt.image, Format: tt.format}}, testInfo)
			if !errors.Is(err, ErrBadImage) {
				t.Fatalf("Write = %v, want ErrBadImage", err)
			}
			if !strings.HasPrefix(err.Error(), "pdf: page 2: ") {
				t.Errorf("error %q does not name page 2", err)
			}
			if b.Len() != 0 {
				t.Errorf("Write wrote %d bytes before failing", b.Len())
			}
		})
	}
}

// hugePNG returns a small PNG whose header claims 60000 x 60000 pixels.
func hugePNG(t *testing.T) []byte {
	b := encodePNG(t, bilevelImage())
	// IHDR: length (4), "IHDR" (4), width (4), height (4), …, CRC after 13 bytes of data.
	binary.BigEndian.PutUint32(b[16:], 60000)
	binary.BigEndian.PutUint32(b[20:], 60000)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// TestTIFFThumbnail checks that a reduced-resolution IFD after the page
// (a thumbnail, as some scanners write) does not count as a second page.
func TestTIFFThumbnail(t *testing.T) {
	g4 := ccitt.EncodeG4(bilevelImage())
	src := buildTIFF(tiffFile{width: testW, height: testH, compression: 4, strips: [][]byte{g4}, thumbnail: true})
	pdf := writePDF(t, []Page{{Image: src, Format: "tiff"}}, testInfo)
	sd := pageImageStream(t, readPDF(t, pdf), 1)
	if !bytes.Equal(sd.Raw, g4) {
		t.Errorf("G4 data not passed through")
	}
}

// TestMediaBox checks the page size for resolutions given and unknown.
func TestMediaBox(t *testing.T) {
	src := encodePNG(t, bilevelImage()) // 200 x 150
	tests := []struct {
		dpiX, dpiY float64
		w, h       float64
	}{
		{0, 0, 48, 36},
		{300, 300, 48, 36},
		{200, 100, 72, 108},
		{72, 72, 200, 150},
		{600, 0, 24, 36},
	}
	for _, tt := range tests {
		pdf := writePDF(t, []Page{{Image: src, Format: "png", DPIX: tt.dpiX, DPIY: tt.dpiY}}, testInfo)
		mb := pageDict(t, readPDF(t, pdf), 1).ArrayEntry("MediaBox")
		got := []float64{numberValue(mb[0]), numberValue(mb[1]), numberValue(mb[2]), numberValue(mb[3])}
		if got[0] != 0 || got[1] != 0 || !near(got[2], tt.w, 1e-9) || !near(got[3], tt.h, 1e-9) {
			t.Errorf("dpi %vx%v: MediaBox %v, want [0 0 %v %v]", tt.dpiX, tt.dpiY, got, tt.w, tt.h)
		}
	}
	for _, dpi := range []float64{-1, math.NaN(), math.Inf(1)} {
		var b bytes.Buffer
		if err := Write(&b, []Page{{Image: src, Format: "png", DPIX: dpi}}, testInfo); err == nil {
			t.Errorf("dpi %v: Write succeeded", dpi)
		}
	}
}
