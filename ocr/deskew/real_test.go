package deskew

import (
	"flag"
	"image"
	"testing"

	"github.com/sohoa/sohoa/fixtures/realpages"
)

var realDir = flag.String("realdir", "../../fixtures/real", "directory holding the real scans (fixtures/real)")

// realPage is one page of a real scan, decoded.
type realPage = realpages.Page

// real returns the pages of the real scans, or skips the test.
func real(t testing.TB) []realPage { return realpages.ForTest(t, *realDir) }

// TestRealScans checks the real scans, all upright and nearly straight:
// every page, and every page turned by a quarter, half and three quarters,
// must come out upright with confidence, and the skew found must undo.
func TestRealScans(t *testing.T) {
	for _, p := range real(t) {
		g := toGray(p.Image)
		deg, dc := Angle(g)
		straight := Correct(g, 0, deg).(*image.Gray)
		for k := range 4 {
			img := Correct(straight, 90*k, 0).(*image.Gray)
			want := (360 - 90*k) % 360
			rot, conf := Orientation(img)
			if k == 0 {
				t.Logf("%-28s %dx%d skew %+.2f° (confidence %.2f), orientation %d (confidence %.2f)", p.Name, g.Rect.Dx(), g.Rect.Dy(), deg, dc, rot, conf)
			}
			if rot != want || conf < 0.5 {
				t.Errorf("%s turned %d°: orientation %d with confidence %.2f, want %d", p.Name, 90*k, rot, conf, want)
			}
			// The skew is found again, in any quarter turn.
			if d, _ := Angle(Correct(g, 90*k, 0).(*image.Gray)); abs(d-deg) > 0.1 {
				t.Errorf("%s turned %d°: skew %+.2f°, %+.2f° upright", p.Name, 90*k, d, deg)
			}
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
