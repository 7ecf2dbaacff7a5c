package main

import (
	"image"
	"math"
	"math/rand/v2"

	"github.com/sohoa/sohoa/ocr/digits"
	"github.com/sohoa/sohoa/ocr/digits/internal/mnist"
)

// sampler makes the training samples: every one is drawn as ink on a
// canvas, degraded like a scan, and normalised by digits.Normalize, the path
// inference takes.
type sampler struct {
	train  *mnist.Set
	glyphs *glyphs
	notCut []int // training digits whose part is no digit (not 1 or 7, whose parts are strokes like a 1)
}

func newSampler(train *mnist.Set, g *glyphs) *sampler {
	s := &sampler{train: train, glyphs: g}
	for i, l := range train.Labels {
		if l != 1 && l != 7 {
			s.notCut = append(s.notCut, i)
		}
	}
	return s
}

// The shares of the sample kinds.
const (
	// Of the MNIST digits: as MNIST has them (the test set's path), lightly
	// transformed in grey, heavily degraded (the rest).
	mnistAsIs  = 0.20
	mnistLight = 0.25

	// Of the reject samples, cumulative.
	rejLetter = 0.34 // a letter or punctuation mark from a font
	rejDots   = 0.46 // a dotted leader line (or a row of short dashes)
	rejDash   = 0.54 // a short dash
	rejBlot   = 0.61 // an ink blot, or a lone dot
	rejMerged = 0.74 // two digits run together
	rejHalf   = 0.86 // part of a digit, cut vertically
	rejSpecks = 0.92 // scattered specks
	// the rest: a hand-drawn slash
)

// look says how far degrade may take a character.
type look struct {
	scale    float64 // source pixels to canvas pixels (before aspect changes)
	shear    float64 // maximum slant either way, degrees
	leanOnly bool    // slant only to the right (a slash leant left stands up as a 1)
	rot      float64 // maximum rotation either way, degrees
	grow     float64 // maximum stroke growth, as a fraction of the character's height
	thin     bool    // strokes may be thinned by a pixel
	breaks   bool    // strokes may be broken, specks added
	greyProb float64 // probability of keeping grey levels rather than 1-bit
}

func uniform(rng *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }

func rad(deg float64) float64 { return deg * math.Pi / 180 }

// degrade transforms c (shape, slant, rotation), changes its strokes, blurs,
// roughens and thresholds it as a CCITT scan would, and returns the ink image.
func degrade(rng *rand.Rand, c canvas, l look) *image.Gray {
	asp := math.Exp(uniform(rng, -0.15, 0.15))
	lo := -l.shear
	if l.leanOnly {
		lo = 0
	}
	w := c.warp(shape(l.scale*asp, l.scale/asp, rad(uniform(rng, lo, l.shear)), rad(uniform(rng, -l.rot, l.rot))), 8)
	bb := w.bounds(0.3)
	height := float64(max(bb.Dy(), bb.Dx()/2, 1))

	level := float32(uniform(rng, 0.25, 0.7))
	grey := rng.Float64() < l.greyProb
	if r := int(math.Round(rng.Float64() * l.grow * height)); r > 0 && rng.Float64() < 0.6 {
		w = w.morph(r, true)
	} else if l.thin && rng.Float64() < 0.25 {
		w = w.morph(1, false)
		level = min(level, 0.45)
	}
	if l.breaks && rng.Float64() < 0.15 {
		for range 1 + rng.IntN(2) {
			if x, y, ok := inkPixel(rng, w); ok {
				a := rng.Float64() * math.Pi
				half := 0.2 * height
				dx, dy := half*math.Cos(a), half*math.Sin(a)
				w.line(x-dx, y-dy, x+dx, y+dy, uniform(rng, 1, max(1.5, 0.05*height)), 0)
			}
		}
	}
	if l.breaks && rng.Float64() < 0.08 {
		b := w.bounds(0.5)
		for range 1 + rng.IntN(3) {
			w.disc(uniform(rng, float64(b.Min.X), float64(b.Max.X)), uniform(rng, float64(b.Min.Y), float64(b.Max.Y)),
				uniform(rng, 0.5, 1.5), 1)
		}
	}
	solid := w.count(0.5)
	if rng.Float64() < 0.5 {
		w = w.blur()
	}
	if rng.Float64() < 0.5 {
		w.noise(rng, uniform(rng, 0.05, 0.25))
	}
	if grey {
		return w.gray(0)
	}
	// A threshold that wipes out most of the ink (a thin stroke, a small dot
	// under a high threshold) makes a sample no scan would give: cut lower.
	if w.count(level) < solid/2 {
		level = min(level, 0.3)
	}
	if w.count(level) == 0 {
		return w.gray(0)
	}
	return w.gray(level)
}

// inkPixel picks a random pixel of solid ink.
func inkPixel(rng *rand.Rand, c canvas) (x, y float64, ok bool) {
	for range 30 {
		i := rng.IntN(len(c.pix))
		if c.pix[i] > 0.6 {
			return float64(i%c.w) + 0.5, float64(i/c.w) + 0.5, true
		}
	}
	return 0, 0, false
}

func (s *sampler) mnist(i int) canvas {
	c := newCanvas(mnist.Side, mnist.Side)
	for j, v := range s.train.Images[i] {
		c.pix[j] = float32(v) / 255
	}
	return c
}

// mnistDigit is training digit i, as MNIST has it or degraded.
func (s *sampler) mnistDigit(rng *rand.Rand, i int) *image.Gray {
	c := s.mnist(i)
	u := rng.Float64()
	switch {
	case u < mnistAsIs:
		return c.gray(0)
	case u < mnistAsIs+mnistLight:
		return degrade(rng, c, look{scale: uniform(rng, 2, 3), shear: 8, rot: 5, greyProb: 1})
	}
	l := look{scale: uniform(rng, 2, 3), shear: 20, rot: 8, grow: 0.05, thin: true, breaks: true, greyProb: 0.1}
	if s.train.Labels[i] == 1 {
		l.shear = 12 // a 1 leans already; leaning it further makes a slash
	}
	return degrade(rng, c, l)
}

// fontDigit is a digit in one of the handwriting faces, or, for a share of
// the 1s and 7s, drawn with a pen as Vietnamese (and European) hands write
// them and MNIST's American writers do not: the 1 with a long flag, the 7
// with a bar across.
func (s *sampler) fontDigit(rng *rand.Rand) (*image.Gray, int) {
	d := rng.IntN(10)
	if (d == 1 || d == 7) && rng.Float64() < penShare {
		l := look{scale: 1, shear: 12, rot: 5, grow: 0.05, thin: true, breaks: true, greyProb: 0.1}
		return degrade(rng, penDigit(rng, d), l), d
	}
	faces := s.glyphs.digits[d]
	c := faces[rng.IntN(len(faces))]
	l := look{scale: uniform(rng, 0.45, 1.1), shear: 20, rot: 8, grow: 0.07, thin: true, breaks: true, greyProb: 0.1}
	if d == 1 {
		l.shear, l.rot = 8, 4 // the italic faces' 1 leans 15–20° already
	}
	return degrade(rng, c, l), d
}

// penShare is the share of font-drawn 1s and 7s drawn by penDigit.
const penShare = 0.5

// penDigit draws a 1 with a flag (and sometimes a foot) or a 7 with a bar,
// in felt-pen strokes, upright; degrade slants and thickens it.
func penDigit(rng *rand.Rand, d int) canvas {
	c := newCanvas(72, 90)
	h := uniform(rng, 60, 76)
	top, bot := (90-h)/2, (90+h)/2
	wd := uniform(rng, 5, 10)
	lean := uniform(rng, 0, 14) // the stem's foot to the left
	switch d {
	case 1:
		x := uniform(rng, 36, 44)
		c.line(x, top, x-lean, bot, wd, 1)
		// The flag: down to the left from the top, a third to a half of
		// the height, 35–65° from the stem.
		fl := h * uniform(rng, 0.25, 0.5)
		a := rad(uniform(rng, 35, 65))
		c.line(x, top, x-fl*math.Sin(a), top+fl*math.Cos(a), wd, 1)
		if rng.Float64() < 0.2 {
			f := uniform(rng, 10, 18)
			c.line(x-lean-f, bot, x-lean+f, bot, wd, 1)
		}
	default:
		x0, x1 := uniform(rng, 12, 20), uniform(rng, 52, 60)
		c.line(x0, top+uniform(rng, 0, 6), x1, top, wd, 1)
		xb := x1 - uniform(rng, 14, 26)
		c.line(x1, top, xb, bot, wd, 1)
		if rng.Float64() < 0.6 { // the bar across the stem
			ym := top + h*uniform(rng, 0.45, 0.6)
			xm := x1 + (xb-x1)*(ym-top)/h
			f := uniform(rng, 9, 15)
			c.line(xm-f, ym, xm+f, ym-uniform(rng, -2, 3), wd*0.9, 1)
		}
	}
	return c
}

// reject is one sample of something that is not a digit.
func (s *sampler) reject(rng *rand.Rand) *image.Gray {
	u := rng.Float64()
	switch {
	case u < rejLetter:
		// Slanted less than digits: a T slanted 15° is a 7.
		g := s.glyphs.reject[rng.IntN(len(s.glyphs.reject))]
		l := look{scale: uniform(rng, 0.45, 1.1), shear: 8, rot: 5, grow: 0.06, thin: true, breaks: true, greyProb: 0.1}
		if g.r == '/' { // a printed slash: thin, leaning, never upright
			l.shear, l.rot, l.leanOnly, l.grow = 15, 2, true, 0.02
		}
		return degrade(rng, g.ink, l)
	case u < rejDots:
		return degrade(rng, leader(rng), look{scale: 1, rot: 4, greyProb: 0.1})
	case u < rejDash:
		l := uniform(rng, 12, 50)
		t := uniform(rng, 2, l/3)
		c := newCanvas(int(l+2*t+8), int(3*t+8))
		c.line(t+4, 1.5*t+4, l+t+4, 1.5*t+4+uniform(rng, -1, 1), t, 1)
		return degrade(rng, c, look{scale: 1, shear: 10, rot: 12, greyProb: 0.1})
	case u < rejBlot:
		c := newCanvas(60, 60)
		for range 1 + rng.IntN(4) {
			c.ellipse(30+uniform(rng, -7, 7), 30+uniform(rng, -7, 7), uniform(rng, 4, 14), uniform(rng, 4, 14), rng.Float64()*math.Pi)
		}
		return degrade(rng, c, look{scale: 1, greyProb: 0.1})
	case u < rejMerged:
		return degrade(rng, s.merged(rng), look{scale: uniform(rng, 2, 3), shear: 15, rot: 6, grow: 0.04, greyProb: 0.1})
	case u < rejHalf:
		return degrade(rng, s.half(rng), look{scale: uniform(rng, 2, 3), shear: 15, rot: 6, grow: 0.04, greyProb: 0.1})
	case u < rejSpecks:
		n := 30 + rng.IntN(40)
		c := newCanvas(n, n)
		for range 2 + rng.IntN(10) {
			c.disc(uniform(rng, 4, float64(n-4)), uniform(rng, 4, float64(n-4)), uniform(rng, 0.7, 2.5), 1)
		}
		return degrade(rng, c, look{scale: 1, greyProb: 0.1})
	}
	// A slash as a hand draws it, leaning 28–60° from upright (less, and it
	// is a 1).
	h := uniform(rng, 40, 80)
	lean := math.Tan(rad(uniform(rng, 28, 60)))
	t := uniform(rng, 0.04, 0.15) * h
	c := newCanvas(int(h*lean+2*t+10), int(h+2*t+10))
	c.line(t+5, h+t+5, t+5+h*lean, t+5, t, 1)
	return degrade(rng, c, look{scale: 1, shear: 4, rot: 4, greyProb: 0.1})
}

// leader is a dotted leader line: a row of dots, or of short dashes.
func leader(rng *rand.Rand) canvas {
	n := 2 + rng.IntN(9)
	d := uniform(rng, 2, 8)
	step := d * uniform(rng, 1.6, 4)
	dashes := rng.Float64() < 0.25
	c := newCanvas(int(float64(n)*step+3*d+10), int(4*d+10))
	y := 2*d + 5
	for i := range n {
		x := 5 + d + float64(i)*step
		r := d / 2 * uniform(rng, 0.8, 1.2)
		yy := y + uniform(rng, -0.15, 0.15)*d
		if dashes {
			c.line(x, yy, x+d*uniform(rng, 1.5, 3), yy, r, 1)
		} else {
			c.disc(x, yy, r, 1)
		}
	}
	return c
}

// merged is two training digits side by side, touching or overlapping.
func (s *sampler) merged(rng *rand.Rand) canvas {
	a, b := s.mnist(rng.IntN(s.train.Len())), s.mnist(rng.IntN(s.train.Len()))
	ba, bb := a.bounds(0), b.bounds(0)
	gap := rng.IntN(6) - 4 // -4 … 1 pixels
	dy := rng.IntN(7) - 3
	c := newCanvas(ba.Dx()+bb.Dx()+gap+8, mnist.Side+8)
	for y := range mnist.Side {
		for x := ba.Min.X; x < ba.Max.X; x++ {
			c.pix[(y+4)*c.w+x-ba.Min.X+4] = a.at(x, y)
		}
		for x := bb.Min.X; x < bb.Max.X; x++ {
			tx, ty := x-bb.Min.X+4+ba.Dx()+gap, y+4+dy
			if ty >= 0 && ty < c.h && tx >= 0 && tx < c.w {
				p := &c.pix[ty*c.w+tx]
				*p = max(*p, b.at(x, y))
			}
		}
	}
	return c
}

// half is the left or right part of a training digit, a quarter to less
// than a half of its width: more, and the part of a 2, 3 or 5 is still one.
// The right part of a 3 is left out for the same reason.
func (s *sampler) half(rng *rand.Rand) canvas {
	i := s.notCut[rng.IntN(len(s.notCut))]
	left := rng.IntN(2) == 0 || s.train.Labels[i] == 3
	c := s.mnist(i)
	b := c.bounds(0)
	keep := uniform(rng, 0.25, 0.45)
	if !left {
		keep = 1 - keep
	}
	cut := b.Min.X + int(keep*float64(b.Dx()))
	for y := range c.h {
		for x := range c.w {
			if (x >= cut) == left {
				c.pix[y*c.w+x] = 0
			}
		}
	}
	return c
}

// The sample of each id in an epoch of nMNIST+nFont+nReject: MNIST's
// training digit id, then font digits, then rejects.
func (s *sampler) sample(rng *rand.Rand, id, nFont int) (*digits.Input, int) {
	switch n := s.train.Len(); {
	case id < n:
		return digits.Normalize(s.mnistDigit(rng, id)), int(s.train.Labels[id])
	case id < n+nFont:
		g, d := s.fontDigit(rng)
		return digits.Normalize(g), d
	}
	return digits.Normalize(s.reject(rng)), digits.Reject
}
