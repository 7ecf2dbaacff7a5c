package deskew

import (
	"image"
	"testing"
)

func TestOrientationCorpus(t *testing.T) {
	g := generator(t)
	n := corpusLen(50, 16)
	ss := corpus(n, 2, 15)
	type res struct {
		name string
		o    [4]orientation
	}
	rs := each(t, ss, func(s sample) res {
		img, truth, err := s.render(g)
		if err != nil {
			t.Error(err)
			return res{}
		}
		d, _ := Angle(img)
		up := Correct(img, (360-truth.Rotation)%360, d).(*image.Gray)
		out := res{name: s.name}
		for k := range 4 {
			p := Correct(up, 90*k, 0).(*image.Gray)
			out.o[k] = orientationOf(reduce(p))
		}
		return out
	})
	var total, wrong, low, wrongHigh int
	for _, r := range rs {
		for k, o := range r.o {
			want := (360 - 90*k) % 360
			total++
			bad := o.rotation != want
			if bad {
				wrong++
			}
			if o.confidence < 0.5 {
				low++
			}
			if bad && o.confidence >= 0.5 {
				wrongHigh++
			}
			if bad || o.confidence < 0.5 {
				t.Logf("%s turned %d: got %d (want %d) confidence %.2f rows %+v cols %+v", r.name, 90*k, o.rotation, want, o.confidence, o.rows, o.cols)
			}
		}
	}
	t.Logf("orientation over %d pages (%d documents × 4 turns): %d wrong (%.2f%%), %d with confidence < 0.5 (%.1f%%), %d wrong with confidence ≥ 0.5",
		total, len(rs), wrong, 100*float64(wrong)/float64(total), low, 100*float64(low)/float64(total), wrongHigh)
	if float64(wrong) > 0.01*float64(total) {
		t.Errorf("%d of %d pages wrong, want ≤ 1%%", wrong, total)
	}
	if wrongHigh > 0 {
		t.Errorf("%d pages wrong with confidence ≥ 0.5", wrongHigh)
	}
}

// TestOrientationNoText: pages without lines of text must not claim an
// orientation with confidence.
func TestOrientationNoText(t *testing.T) {
	blank := image.NewGray(image.Rect(0, 0, 2480, 3508))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	dirt := clone(blank)
	specks(dirt)
	pic := picture(clone(blank))
	for name, g := range map[string]*image.Gray{"blank": blank, "specks": dirt, "picture": pic} {
		if rot, c := Orientation(g); c >= 0.5 {
			t.Errorf("%s: Orientation = %d with confidence %.2f, want a confidence below 0.5", name, rot, c)
		}
	}
}
