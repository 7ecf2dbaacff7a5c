package deskew

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	_ "image/jpeg" // page decoders
	_ "image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "golang.org/x/image/tiff"

	"github.com/sohoa/sohoa/ingest/pages"
)

var realDir = flag.String("realdir", "../../fixtures/real", "directory holding the real scans (fixtures/real)")

// realPage is one page of a real scan, decoded.
type realPage struct {
	name string
	img  image.Image
}

var realPages = sync.OnceValues(func() ([]realPage, error) {
	files, err := filepath.Glob(filepath.Join(*realDir, "*.pdf"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no real scans in %s", *realDir)
	}
	var out []realPage
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		_, ps, err := pages.Split(data, pages.Limits{})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for i, p := range ps {
			img, _, err := image.Decode(bytes.NewReader(p.Data))
			if err != nil {
				return nil, fmt.Errorf("%s page %d: %w", f, i+1, err)
			}
			out = append(out, realPage{fmt.Sprintf("%s/p%d", filepath.Base(f), i+1), img})
		}
	}
	return out, nil
})

// real returns the pages of the real scans, or skips the test.
func real(t testing.TB) []realPage {
	t.Helper()
	ps, err := realPages()
	if err != nil {
		t.Skipf("real scans: %v", err)
	}
	return ps
}

// TestRealScans checks the real scans, all upright and nearly straight:
// every page, and every page turned by a quarter, half and three quarters,
// must come out upright with confidence, and the skew found must undo.
func TestRealScans(t *testing.T) {
	for _, p := range real(t) {
		g := toGray(p.img)
		deg, dc := Angle(g)
		straight := Correct(g, 0, deg).(*image.Gray)
		for k := range 4 {
			img := Correct(straight, 90*k, 0).(*image.Gray)
			want := (360 - 90*k) % 360
			rot, conf := Orientation(img)
			if k == 0 {
				t.Logf("%-28s %dx%d skew %+.2f° (confidence %.2f), orientation %d (confidence %.2f)", p.name, g.Rect.Dx(), g.Rect.Dy(), deg, dc, rot, conf)
			}
			if rot != want || conf < 0.5 {
				t.Errorf("%s turned %d°: orientation %d with confidence %.2f, want %d", p.name, 90*k, rot, conf, want)
			}
			// The skew is found again, in any quarter turn.
			if d, _ := Angle(Correct(g, 90*k, 0).(*image.Gray)); abs(d-deg) > 0.1 {
				t.Errorf("%s turned %d°: skew %+.2f°, %+.2f° upright", p.name, 90*k, d, deg)
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
