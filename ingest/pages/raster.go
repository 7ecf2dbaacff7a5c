package pages

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"strings"

	"github.com/sohoa/sohoa/internal/tiff"
)

// splitJPEG checks a JPEG file and returns it as its only page.
func splitJPEG(data []byte, lim Limits) ([]Page, error) {
	const what = "jpeg"
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, decodeError(what, what, err)
	}
	if err := lim.checkPixels(what, int64(cfg.Width), int64(cfg.Height)); err != nil {
		return nil, err
	}
	if err := jpegComplete(data); err != nil {
		return nil, fmt.Errorf("pages: %s: %w: %v", what, ErrCorrupt, err)
	}
	dx, dy := jpegDPI(data)
	return []Page{{Data: data, Format: JPEG, Width: cfg.Width, Height: cfg.Height, DPIX: dx, DPIY: dy}}, nil
}

// splitPNG checks a PNG file and returns it as its only page.
func splitPNG(data []byte, lim Limits) ([]Page, error) {
	const what = "png"
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, decodeError(what, what, err)
	}
	if err := lim.checkPixels(what, int64(cfg.Width), int64(cfg.Height)); err != nil {
		return nil, err
	}
	if err := pngComplete(data); err != nil {
		return nil, fmt.Errorf("pages: %s: %w: %v", what, ErrCorrupt, err)
	}
	dx, dy := pngDPI(data)
	return []Page{{Data: data, Format: PNG, Width: cfg.Width, Height: cfg.Height, DPIX: dx, DPIY: dy}}, nil
}

// Split does not decode JPEG and PNG pages: the OCR worker decodes every
// page anyway, and a damaged page fails its document there. Here only the
// cheap checks run: the header (size, limits) and the end of the file, which
// is where the commonest damage, an interrupted copy, shows.

// jpegComplete checks that a JPEG has its end-of-image marker near the end
// (some scanners pad the file after it).
func jpegComplete(data []byte) error {
	tail := data[max(0, len(data)-4096):]
	if bytes.LastIndex(tail, []byte{0xff, 0xd9}) < 0 {
		return errors.New("the file is cut short: no end-of-image marker")
	}
	return nil
}

// pngComplete walks a PNG's chunks, checking each one's CRC (cheap: no
// inflating), and requires the IEND chunk.
func pngComplete(data []byte) error {
	const sig = 8
	if len(data) < sig {
		return errors.New("the file is cut short")
	}
	for off := sig; ; {
		if len(data)-off < 12 {
			return errors.New("the file is cut short: no IEND chunk")
		}
		n := int(binary.BigEndian.Uint32(data[off:]))
		if n < 0 || n > len(data)-off-12 {
			return fmt.Errorf("chunk at byte %d runs past the end of the file", off)
		}
		typ := data[off+4 : off+8]
		body := data[off+4 : off+8+n]
		if crc32.ChecksumIEEE(body) != binary.BigEndian.Uint32(data[off+8+n:]) {
			return fmt.Errorf("chunk %q at byte %d is damaged (bad CRC)", typ, off)
		}
		if string(typ) == "IEND" {
			return nil
		}
		off += 12 + n
	}
}

// decodeJPEG decodes a whole JPEG. Go's decoder stops at the end of the last
// scan and reports io.ErrUnexpectedEOF for a truncated file.
func decodeJPEG(data []byte) (image.Image, error) {
	return jpeg.Decode(bytes.NewReader(data))
}

// decodeError sorts an error from an image decoder: a feature the decoder
// does not implement is ErrUnsupported, anything else (a format error, an
// unexpected end of data) is ErrCorrupt. codec names the decoder in the
// message unless the decoder's own message already does.
func decodeError(what, codec string, err error) error {
	var (
		ju jpeg.UnsupportedError
		pu png.UnsupportedError
	)
	detail := err.Error()
	if codec != what && !strings.HasPrefix(detail, codec+":") {
		detail = codec + ": " + detail
	}
	if errors.As(err, &ju) || errors.As(err, &pu) || isTIFFUnsupported(err) {
		return fmt.Errorf("pages: %s: %w: %s", what, ErrUnsupported, detail)
	}
	return fmt.Errorf("pages: %s: %w: %s", what, ErrCorrupt, detail)
}

// roundDPI rounds a resolution to 1/100 dot per inch, so that 11811 dots per
// metre read as 300 and not 299.9994.
func roundDPI(v float64) float64 {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) || v > 1e6 {
		return 0
	}
	return math.Round(v*100) / 100
}

// jpegDPI reads the density of a JPEG from its JFIF APP0 segment, or else
// from the resolution in its EXIF APP1 segment. It returns zeros if neither
// says (JFIF units 0 give only an aspect ratio).
func jpegDPI(data []byte) (x, y float64) {
	var exif []byte
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			break
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xD8 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01 {
			i += 2
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image
			break
		}
		n := int(binary.BigEndian.Uint16(data[i+2 : i+4]))
		if n < 2 || i+2+n > len(data) {
			break
		}
		seg := data[i+4 : i+2+n]
		switch {
		case marker == 0xE0 && len(seg) >= 12 && string(seg[:5]) == "JFIF\x00":
			xd := float64(binary.BigEndian.Uint16(seg[8:10]))
			yd := float64(binary.BigEndian.Uint16(seg[10:12]))
			switch seg[7] {
			case 1:
				return roundDPI(xd), roundDPI(yd)
			case 2:
				return roundDPI(xd * 2.54), roundDPI(yd * 2.54)
			}
		case marker == 0xE1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" && exif == nil:
			exif = seg[6:]
		}
		i += 2 + n
	}
	if exif != nil {
		return exifDPI(exif)
	}
	return 0, 0
}

// exifDPI reads XResolution, YResolution and ResolutionUnit from the first
// IFD of an EXIF block (which is a little TIFF file).
func exifDPI(b []byte) (x, y float64) {
	t, err := tiff.Parse(b)
	if err != nil {
		return 0, 0
	}
	d, err := t.ReadIFD(t.First)
	if err != nil {
		return 0, 0
	}
	return tiffDPI(d)
}

// pngDPI reads the pHYs chunk of a PNG (which must come before the image
// data). It returns zeros if there is none or its unit is not the metre.
func pngDPI(data []byte) (x, y float64) {
	for i := 8; i+8 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[i : i+4]))
		typ := string(data[i+4 : i+8])
		if n < 0 || n > len(data)-i-12 {
			break
		}
		if typ == "IDAT" || typ == "IEND" {
			break
		}
		if typ == "pHYs" && n == 9 {
			c := data[i+8 : i+17]
			if c[8] != 1 {
				return 0, 0
			}
			px := float64(binary.BigEndian.Uint32(c[0:4]))
			py := float64(binary.BigEndian.Uint32(c[4:8]))
			return roundDPI(px * 0.0254), roundDPI(py * 0.0254)
		}
		i += 12 + n
	}
	return 0, 0
}
