package deskew

import (
	"image"
	"math"
	"testing"

	"github.com/sohoa/sohoa/fixtures/synth"
)

// Analyze agrees with Angle, and with Orientation on the straightened page.
func TestAnalyze(t *testing.T) {
	gen, err := synth.NewGenerator()
	if err != nil {
		t.Fatal(err)
	}
	wrong := 0
	n := 0
	for i, rot := range []int{0, 90, 180, 270, 0, 90, 180, 270} {
		skew := []float64{-12, -4.5, -1, 0, 0.7, 3, 8, 14}[i]
		_, imgs, err := gen.Render(synth.Options{Seed: uint64(300 + i), Rotation: rot, Skew: skew, Mode: synth.Gray, Noise: 8})
		if err != nil {
			t.Fatal(err)
		}
		g := toGray(imgs[0])
		deg, _, r, conf := Analyze(g)
		if math.Abs(deg-skew) > 0.3 {
			t.Errorf("page %d skewed %.1f°: Analyze says %.2f°", i, skew, deg)
		}
		n++
		if want := (360 - rot) % 360; r != want {
			wrong++
			t.Errorf("page %d turned %d°: Analyze turns %d° (confidence %.2f), want %d°", i, rot, r, conf, want)
		}
	}
	t.Logf("%d of %d orientations wrong", wrong, n)
}

// TestAnalyzeCorpus is TestOrientationCorpus for Analyze: skewed pages in
// all four turns, skew and orientation found together.
func TestAnalyzeCorpus(t *testing.T) {
	g := generator(t)
	n := corpusLen(50, 16)
	ss := corpus(n, 2, 15)
	type res struct {
		name    string
		rot     [4]int
		want    [4]int
		conf    [4]float64
		skewErr [4]float64
	}
	rs := each(t, ss, func(s sample) res {
		img, truth, err := s.render(g)
		if err != nil {
			t.Error(err)
			return res{}
		}
		out := res{name: s.name}
		for k := range 4 {
			p := Correct(img, 90*k, 0).(*image.Gray)
			deg, _, rot, conf := Analyze(p)
			out.rot[k], out.conf[k] = rot, conf
			out.want[k] = (720 - truth.Rotation - 90*k) % 360
			out.skewErr[k] = math.Abs(deg - truth.Skew)
		}
		return out
	})
	var total, wrong, wrongHigh, badSkew int
	for _, r := range rs {
		for k := range 4 {
			total++
			if r.rot[k] != r.want[k] {
				wrong++
				if r.conf[k] >= 0.5 {
					wrongHigh++
				}
				t.Logf("%s turned %d more: got %d, want %d (confidence %.2f)", r.name, 90*k, r.rot[k], r.want[k], r.conf[k])
			}
			if r.skewErr[k] > 0.3 {
				badSkew++
			}
		}
	}
	t.Logf("Analyze over %d pages: %d orientations wrong, %d of them with confidence ≥ 0.5; %d skews off by more than 0.3°", total, wrong, wrongHigh, badSkew)
	if float64(wrong) > 0.01*float64(total) || wrongHigh > 0 {
		t.Errorf("%d of %d orientations wrong (%d confidently)", wrong, total, wrongHigh)
	}
	if float64(badSkew) > 0.05*float64(total) {
		t.Errorf("%d of %d skews off by more than 0.3°", badSkew, total)
	}
}
