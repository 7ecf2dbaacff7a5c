package ocr

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"

	"github.com/sohoa/sohoa/ocr/deskew"
)

// A page that has colour (a red seal, a stamp, a signature in blue) is
// archived as its black-and-white image with the coloured parts laid over
// it as small colour patches: colour only where there is colour. A seal
// costs tens of kilobytes instead of a whole colour page's megabyte.

// Patch is a rectangle of the corrected page kept in colour, encoded as JPEG.
type Patch struct {
	Data []byte
	Rect image.Rectangle // in the corrected page's pixels
}

const (
	// patchCell is the side, in scan pixels, of the cells colour is mapped in.
	patchCell = 8
	// patchChroma: a cell is coloured when its mean chroma (|ΔCb|+|ΔCr|,
	// 0–255 levels) differs from the paper's by more than this.
	patchChroma = 30
	// patchPad is the margin, in pixels, around each coloured area.
	patchPad = 24
	// patchMaxShare: when more of the page than this is coloured, the page
	// is kept in colour whole.
	patchMaxShare = 0.35
	// patchQuality of the patches' JPEG.
	patchQuality = 85
)

// colourPatches finds the coloured areas of a scan and returns them,
// corrected (turned by rot, straightened by deg) and encoded, with the
// paper around the coloured ink whitened so that each patch blends into the
// black-and-white page beneath (bw, in corrected coordinates). ok is false
// when the page is mostly colour: keep it whole.
func colourPatches(img image.Image, bw *image.Gray, rot int, deg float64) (patches []Patch, ok bool, err error) {
	mask := chromaMask(img)
	straight, isGray := deskew.Correct(mask, rot, deg).(*image.Gray)
	if !isGray {
		return nil, false, fmt.Errorf("colour mask corrected as %T", straight)
	}
	// The mask's canvas grows like the page's, a cell for patchCell pixels.
	kx := float64(bw.Rect.Dx()) / float64(straight.Rect.Dx())
	ky := float64(bw.Rect.Dy()) / float64(straight.Rect.Dy())
	boxes := coloredBoxes(straight)
	area := 0
	for _, b := range boxes {
		area += b.Dx() * b.Dy()
	}
	if float64(area) > patchMaxShare*float64(straight.Rect.Dx()*straight.Rect.Dy()) {
		return nil, false, nil
	}
	page := bw.Rect
	var rects []image.Rectangle
	for _, b := range boxes {
		r := image.Rect(int(float64(b.Min.X)*kx)-patchPad, int(float64(b.Min.Y)*ky)-patchPad,
			int(float64(b.Max.X)*kx)+patchPad, int(float64(b.Max.Y)*ky)+patchPad).Intersect(page)
		rects = mergeRect(rects, r)
	}
	for _, r := range rects {
		if r.Empty() {
			continue
		}
		px := deskew.CorrectRegion(img, rot, deg, r)
		whitenPaper(px, bw, r)
		var b bytes.Buffer
		if err := jpeg.Encode(&b, px, &jpeg.Options{Quality: patchQuality}); err != nil {
			return nil, false, fmt.Errorf("encode colour patch: %w", err)
		}
		patches = append(patches, Patch{Data: b.Bytes(), Rect: r})
	}
	return patches, true, nil
}

// chromaMask maps a scan's colour in cells of patchCell pixels: 0 (ink)
// where a cell's mean chroma differs from the paper's by more than
// patchChroma, 255 elsewhere — a black-and-white image, so that
// deskew.Correct turns it like the page and fills the new corners with
// "no colour". Means, not pixels: scanner noise averages out; the paper's own
// chroma (the median cell: cream, yellowed or grey paper) is not colour.
func chromaMask(img image.Image) *image.Gray {
	b := img.Bounds()
	w, h := (b.Dx()+patchCell-1)/patchCell, (b.Dy()+patchCell-1)/patchCell
	cb := make([]int16, w*h)
	cr := make([]int16, w*h)
	ycc, isYCC := img.(*image.YCbCr)
	rgba, isRGBA := img.(*image.RGBA)
	for cy := range h {
		for cx := range w {
			var sb, sr, n int
			// A 4×4 grid of samples inside the cell.
			for sy := 1; sy < patchCell; sy += 2 {
				for sx := 1; sx < patchCell; sx += 2 {
					x, y := b.Min.X+cx*patchCell+sx, b.Min.Y+cy*patchCell+sy
					if x >= b.Max.X || y >= b.Max.Y {
						continue
					}
					switch {
					case isYCC:
						i := ycc.COffset(x, y)
						sb += int(ycc.Cb[i])
						sr += int(ycc.Cr[i])
					case isRGBA:
						o := rgba.Pix[rgba.PixOffset(x, y):]
						_, pb, pr := color.RGBToYCbCr(o[0], o[1], o[2])
						sb += int(pb)
						sr += int(pr)
					default:
						r, g, bl, _ := img.At(x, y).RGBA()
						_, pb, pr := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bl>>8))
						sb += int(pb)
						sr += int(pr)
					}
					n++
				}
			}
			if n > 0 {
				cb[cy*w+cx], cr[cy*w+cx] = int16(sb/n), int16(sr/n)
			}
		}
	}
	pb, pr := median16(cb), median16(cr)
	m := image.NewGray(image.Rect(0, 0, w, h))
	for i := range cb {
		d := abs16(cb[i]-pb) + abs16(cr[i]-pr)
		if int(d) <= patchChroma {
			m.Pix[(i/w)*m.Stride+i%w] = 255
		}
	}
	return m
}

func abs16(v int16) int16 { return max(v, -v) }

func median16(v []int16) int16 {
	var hist [256]int
	for _, x := range v {
		hist[min(255, max(0, int(x)))]++
	}
	half, acc := len(v)/2, 0
	for i, n := range hist {
		acc += n
		if acc > half {
			return int16(i)
		}
	}
	return 128
}

// coloredBoxes returns the bounding boxes of the coloured (< 128) areas of a
// cell mask, each grown by a cell, ignoring specks of fewer than four cells.
func coloredBoxes(m *image.Gray) []image.Rectangle {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	seen := make([]bool, w*h)
	var boxes []image.Rectangle
	var stack []int
	for i := range seen {
		if seen[i] || m.Pix[(i/w)*m.Stride+i%w] >= 128 {
			continue
		}
		box := image.Rect(i%w, i/w, i%w+1, i/w+1)
		n := 0
		stack = append(stack[:0], i)
		seen[i] = true
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := j%w, j/w
			n++
			box = box.Union(image.Rect(x, y, x+1, y+1))
			// 8-connected, with a one-cell gap bridged (a seal's ring is
			// broken by the text across it).
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					k := ny*w + nx
					if !seen[k] && m.Pix[ny*m.Stride+nx] < 128 {
						seen[k] = true
						stack = append(stack, k)
					}
				}
			}
		}
		if n >= 4 {
			boxes = append(boxes, box.Inset(-1))
		}
	}
	return boxes
}

// mergeRect adds r to rects, merging it with every rectangle it overlaps.
func mergeRect(rects []image.Rectangle, r image.Rectangle) []image.Rectangle {
	for {
		merged := false
		for i, q := range rects {
			if q.Overlaps(r) {
				r = r.Union(q)
				rects = append(rects[:i], rects[i+1:]...)
				merged = true
				break
			}
		}
		if !merged {
			return append(rects, r)
		}
	}
}

// whitenPaper sets to white the pixels of a patch that are neither
// coloured nor ink on the black-and-white page, so that the patch's edge
// does not show the scan's paper against the page's white.
func whitenPaper(px *image.RGBA, bw *image.Gray, r image.Rectangle) {
	for y := range r.Dy() {
		for x := range r.Dx() {
			o := px.Pix[y*px.Stride+4*x : y*px.Stride+4*x+4]
			hi, lo := max(o[0], o[1], o[2]), min(o[0], o[1], o[2])
			if hi-lo > 2*patchChroma || bw.Pix[(r.Min.Y+y)*bw.Stride+r.Min.X+x] == 0 {
				continue
			}
			o[0], o[1], o[2] = 255, 255, 255
		}
	}
}
