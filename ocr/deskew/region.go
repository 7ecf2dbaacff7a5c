package deskew

import (
	"image"
	"image/draw"
	"math"
)

// CorrectRegion returns the part r of Correct(img, rotation, deg), in
// colour, without correcting the rest of the page: the colour patches of a
// page (seals, stamps) are taken from the scan this way. r is in the
// coordinates of the corrected page; the result's bounds start at (0, 0).
// Quarter turns and skews under 0.01° are treated as in Correct.
func CorrectRegion(img image.Image, rotation int, deg float64, r image.Rectangle) *image.RGBA {
	rotation %= 360
	if rotation < 0 {
		rotation += 360
	}
	if math.Abs(deg) < minSkew {
		deg = 0
	}
	b := img.Bounds()
	geo := newGeometry(b.Dx(), b.Dy(), float64(rotation)+deg)
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))

	// The source area that r comes from, with a pixel of margin for the
	// interpolation, taken in RGBA once.
	var src image.Rectangle
	for i, c := range [4]image.Point{r.Min, {r.Max.X, r.Min.Y}, {r.Min.X, r.Max.Y}, r.Max} {
		sx, sy, _, _ := geo.source(c.X, c.Y)
		p := image.Rect(int(math.Floor(sx))-2, int(math.Floor(sy))-2, int(math.Ceil(sx))+3, int(math.Ceil(sy))+3)
		if i == 0 {
			src = p
		} else {
			src = src.Union(p)
		}
	}
	src = src.Intersect(image.Rect(0, 0, b.Dx(), b.Dy()))
	crop := image.NewRGBA(image.Rect(0, 0, src.Dx(), src.Dy()))
	draw.Draw(crop, crop.Rect, img, b.Min.Add(src.Min), draw.Src)

	at := func(x, y int) [4]int32 {
		x, y = x-src.Min.X, y-src.Min.Y
		if x < 0 || y < 0 || x >= crop.Rect.Dx() || y >= crop.Rect.Dy() {
			return [4]int32{255, 255, 255, 255}
		}
		p := crop.Pix[y*crop.Stride+4*x : y*crop.Stride+4*x+4]
		return [4]int32{int32(p[0]), int32(p[1]), int32(p[2]), int32(p[3])}
	}
	for y := range r.Dy() {
		for x := range r.Dx() {
			sx, sy, _, _ := geo.source(r.Min.X+x, r.Min.Y+y)
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			ax, ay := int32((sx-float64(x0))*256), int32((sy-float64(y0))*256)
			p00, p10, p01, p11 := at(x0, y0), at(x0+1, y0), at(x0, y0+1), at(x0+1, y0+1)
			o := out.Pix[y*out.Stride+4*x : y*out.Stride+4*x+4]
			for c := range 4 {
				top := p00[c]*(256-ax) + p10[c]*ax
				bot := p01[c]*(256-ax) + p11[c]*ax
				o[c] = uint8((top*(256-ay) + bot*ay + 32768) >> 16)
			}
		}
	}
	return out
}
