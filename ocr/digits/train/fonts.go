package main

import (
	"fmt"
	"image"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Handwriting faces whose digits are drawn as training digits; Debian
// installs them with `deploy/install-deps.sh model`. fonts-femkeklaver is
// installed too (other tests draw with it) but not used: its glyphs are
// sketched outlines, hollow, unlike any pen's stroke.
var handFaces = []fontFile{
	{"/usr/share/fonts/truetype/fifthhorseman/dkg.ttf", "fonts-dkg-handwriting"},
	{"/usr/share/fonts/truetype/fifthhorseman/dkgBd.ttf", "fonts-dkg-handwriting"},
	{"/usr/share/fonts/truetype/fifthhorseman/dkgIt.ttf", "fonts-dkg-handwriting"},
	{"/usr/share/fonts/truetype/fifthhorseman/dkgBI.ttf", "fonts-dkg-handwriting"},
	{"/usr/share/fonts/truetype/breip/Breip.ttf", "fonts-breip"},
	{"/usr/share/fonts/opentype/bwht/BecauseWeBuild-Regular.otf", "fonts-bwht"},
	{"/usr/share/fonts/opentype/bwht/BecauseWeConnect-Regular.otf", "fonts-bwht"},
	{"/usr/share/fonts/opentype/bwht/BecauseWeCreate-Regular.otf", "fonts-bwht"},
	{"/usr/share/fonts/opentype/bwht/BecauseWeLearn-Regular.otf", "fonts-bwht"},
	{"/usr/share/fonts/opentype/bwht/BecauseWeMentor-Regular.otf", "fonts-bwht"},
	{"/usr/share/fonts/opentype/bwht/BecauseWeOrganize-Regular.otf", "fonts-bwht"},
	{"/usr/share/fonts/truetype/klee/KleeOne-Regular.ttf", "fonts-klee"},
	{"/usr/share/fonts/truetype/klee/KleeOne-SemiBold.ttf", "fonts-klee"},
}

// printFaces add printed letters, with the Vietnamese ones the handwriting
// faces lack, to the reject class.
var printFaces = []fontFile{
	{"/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", "fonts-liberation2"},
	{"/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf", "fonts-liberation2"},
	{"/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf", "fonts-liberation2"},
	{"/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf", "fonts-liberation2"},
}

// rejectRunes are the characters drawn as the reject class: letters and
// punctuation that stand beside a number in a blank. Letters that a hand
// writes like a digit (O o D I l i j Z z B b g q G) are left out, and so are
// marks that Normalize would blow up into a digit's stroke (' , | !).
const rejectRunes = "ACEFHKLMNPRSTUVWXYĐQ" + "acefhkmnprstuvwxyđ" +
	"ốồộớờởơưứừựăắằâấầậêếềệôĂÂÊÔƠƯỐỘỚẤ" + "/-:;()?&%#+=*~<>\""

// rune glyph size: rendered once at this many pixels per em.
const glyphPPEm = 80

type fontFile struct{ path, pkg string }

type glyph struct {
	r   rune
	ink canvas
}

// glyphs are the rendered training characters, read-only once made.
type glyphs struct {
	digits [10][]canvas // each digit in every handwriting face
	reject []glyph      // every reject rune in every face that has it
}

func loadGlyphs() (*glyphs, error) {
	g := &glyphs{}
	for _, ff := range append(append([]fontFile(nil), handFaces...), printFaces...) {
		b, err := os.ReadFile(ff.path)
		if err != nil {
			return nil, fmt.Errorf("font %s: %w (run deploy/install-deps.sh model, or apt-get install %s)", ff.path, err, ff.pkg)
		}
		f, err := opentype.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("font %s: %w", ff.path, err)
		}
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: glyphPPEm, DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			return nil, fmt.Errorf("font %s: %w", ff.path, err)
		}
		var buf sfnt.Buffer
		has := func(r rune) bool { i, err := f.GlyphIndex(&buf, r); return err == nil && i != 0 }
		hand := ff.pkg != "fonts-liberation2"
		if hand {
			for d := range 10 {
				r := rune('0' + d)
				if !has(r) {
					return nil, fmt.Errorf("font %s has no digit %c", ff.path, r)
				}
				g.digits[d] = append(g.digits[d], render(face, r))
			}
		}
		for _, r := range rejectRunes {
			if has(r) {
				g.reject = append(g.reject, glyph{r, render(face, r)})
			}
		}
	}
	return g, nil
}

// render draws one rune in black on paper and returns its ink, cropped.
func render(face font.Face, r rune) canvas {
	s := string(r)
	bb, _ := font.BoundString(face, s)
	x0, y0 := bb.Min.X.Floor()-2, bb.Min.Y.Floor()-2
	x1, y1 := bb.Max.X.Ceil()+2, bb.Max.Y.Ceil()+2
	img := image.NewAlpha(image.Rect(0, 0, x1-x0, y1-y0))
	d := font.Drawer{Dst: img, Src: image.Opaque, Face: face, Dot: fixed.P(-x0, -y0)}
	d.DrawString(s)
	c := newCanvas(img.Rect.Dx(), img.Rect.Dy())
	for i, a := range img.Pix {
		c.pix[i] = float32(a) / 255
	}
	return c.crop(c.bounds(0), 2)
}
