package pages

import (
	"image"
	"image/color"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// TestContentScanner: the images a content stream draws, with the matrix
// each is drawn with, past strings, comments, inline images and unbalanced
// graphics states.
func TestContentScanner(t *testing.T) {
	img := func(w, h int) types.StreamDict {
		return types.StreamDict{Dict: types.Dict{
			"Type": types.Name("XObject"), "Subtype": types.Name("Image"),
			"Width": types.Integer(w), "Height": types.Integer(h),
		}}
	}
	res := types.Dict{"XObject": types.Dict{"A": img(10, 20), "B": img(30, 40)}}
	xref := &model.XRefTable{Table: map[int]*model.XRefTableEntry{}}

	for _, tc := range []struct {
		name    string
		content string
		want    []matrix // the matrices images are drawn with, in order
		inline  int
	}{
		{"one image", "q 100 0 0 200 10 20 cm /A Do Q", []matrix{{100, 0, 0, 200, 10, 20}}, 0},
		{"nested cm", "q 2 0 0 2 0 0 cm q 100 0 0 200 10 20 cm /A Do Q /B Do Q /B Do",
			[]matrix{{200, 0, 0, 400, 20, 40}, {2, 0, 0, 2, 0, 0}, identity}, 0},
		{"strings and comments are not operators",
			"BT (/A Do \\) /A Do) Tj <2F4120446F> Tj ET % /A Do\n[(x) -20 (/A Do)] TJ", nil, 0},
		{"nested parentheses", "((/A Do)) Tj /B Do", []matrix{identity}, 0},
		{"unknown name", "/C Do /A Do", []matrix{identity}, 0},
		{"more Q than q", "Q Q 3 0 0 3 0 0 cm /A Do", []matrix{{3, 0, 0, 3, 0, 0}}, 0},
		{"cm without enough numbers", "1 2 cm /A Do", []matrix{identity}, 0},
		{"inline image with EI in its data", "q BI /W 4 /H 2 /BPC 8 /CS /G ID \x00EI\x01abcd EI Q /B Do", []matrix{identity}, 1},
		{"marked content dictionaries", "/P << /MCID 0 >> BDC /A Do EMC", []matrix{identity}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := &contentScanner{xref: xref, active: map[int]bool{}}
			sc.scan([]byte(tc.content), res, identity, 0)
			var got []matrix
			inline := 0
			for _, im := range sc.images {
				if im.inline {
					inline++
					continue
				}
				got = append(got, im.ctm)
			}
			if len(got) != len(tc.want) || inline != tc.inline {
				t.Fatalf("drawn %v (%d inline), want %v (%d inline)", got, inline, tc.want, tc.inline)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("image %d drawn with %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// TestOrientation: the eight orientations move pixels the same way for every
// pixel type, and turning four times is no turn.
func TestOrientation(t *testing.T) {
	var all []orientation
	for _, r := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
		for _, u := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
			if (r[0] == 0) != (u[0] == 0) {
				all = append(all, orientation{r[0], r[1], u[0], u[1]})
			}
		}
	}
	if len(all) != 8 {
		t.Fatalf("%d orientations", len(all))
	}
	g := testGray(7, 5)
	pal := image.NewPaletted(g.Rect, color.Palette(nil))
	copy(pal.Pix, g.Pix)
	rgba := image.NewRGBA(g.Rect)
	for i, v := range g.Pix {
		copy(rgba.Pix[4*i:], []byte{v, v, v, 0xFF})
	}
	seen := map[string]bool{}
	for _, o := range all {
		if o.rotateCW().rotateCW().rotateCW().rotateCW() != o {
			t.Errorf("%v turned four times is %v", o, o.rotateCW().rotateCW().rotateCW().rotateCW())
		}
		og := o.apply(g).(*image.Gray)
		op := o.apply(pal).(*image.Paletted)
		or := o.apply(rgba).(*image.RGBA)
		if want := (o.swapsAxes()); (og.Rect.Dx() == 5) != want {
			t.Errorf("%v: size %v", o, og.Rect)
		}
		for i, v := range og.Pix {
			if op.Pix[i] != v || or.Pix[4*i] != v {
				t.Fatalf("%v: pixel types disagree at %d", o, i)
			}
		}
		seen[string(og.Pix)] = true
	}
	if len(seen) != 8 {
		t.Errorf("%d different results from 8 orientations", len(seen))
	}
	// Matrices snap to the nearest orientation.
	for _, tc := range []struct {
		m    matrix
		want orientation
	}{
		{matrix{612, 0, 0, 792, 0, 0}, upright},
		{matrix{612, 3, -2, 792, 0, 0}, upright}, // slightly skewed
		{matrix{0, -792, 612, 0, 0, 792}, upright.rotateCW()},
		{matrix{-612, 0, 0, -792, 612, 792}, upright.rotateCW().rotateCW()},
		{matrix{612, 0, 0, -792, 0, 792}, orientation{1, 0, 0, -1}},
		{matrix{0, 0, 0, 0, 0, 0}, upright},
		{matrix{1, 1, 1, 1, 0, 0}, upright}, // degenerate
	} {
		if got := orientationOf(tc.m); got != tc.want {
			t.Errorf("orientationOf(%v) = %v, want %v", tc.m, got, tc.want)
		}
	}
}
