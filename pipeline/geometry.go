package pipeline

import "math"

// ScaleLines maps OCR geometry read on a scaled page (kx, ky: full size
// over scaled size) onto the full page: boxes, baselines and sizes.
func ScaleLines(lines []Line, kx, ky float64) {
	if kx == 1 && ky == 1 {
		return
	}
	box := func(b *Box) {
		b.X0, b.X1 = int(math.Round(float64(b.X0)*kx)), int(math.Round(float64(b.X1)*kx))
		b.Y0, b.Y1 = int(math.Round(float64(b.Y0)*ky)), int(math.Round(float64(b.Y1)*ky))
	}
	for i := range lines {
		l := &lines[i]
		box(&l.Box)
		l.BaseOffset *= ky
		l.BaseSlope *= ky / kx
		l.Size *= ky
		for j := range l.Words {
			box(&l.Words[j].Box)
		}
	}
}
