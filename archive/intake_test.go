package archive

import (
	"strings"
	"testing"

	"github.com/sohoa/sohoa/pipeline"
)

func TestIntakeReasons(t *testing.T) {
	page := func(n int, dx, dy float64) *pipeline.PageText {
		return &pipeline.PageText{Page: n, DPIX: dx, DPIY: dy}
	}
	for _, c := range []struct {
		name  string
		pages []*pipeline.PageText
		want  []string // words each reason must hold, one entry per reason
	}{
		{"every page 300 dpi", []*pipeline.PageText{page(1, 300, 300), page(2, 300, 300)}, nil},
		{"200 dpi as the scanner rounds it", []*pipeline.PageText{page(1, 199.8, 200)}, nil},
		{"one page at 150 dpi", []*pipeline.PageText{page(1, 300, 300), page(3, 150, 150)}, []string{"trang 3 có độ phân giải 150 dpi"}},
		{"squeezed across", []*pipeline.PageText{page(1, 300, 120)}, []string{"120 dpi"}},
		{"no resolution and low", []*pipeline.PageText{page(1, 0, 0), page(2, 100, 100), page(4, 72, 72)},
			[]string{"trang 2, 4 có độ phân giải 72 dpi", "không ghi độ phân giải (trang 1)"}},
		{"no resolution, the worker's assumed", []*pipeline.PageText{{Page: 1, DPIX: 300, DPIY: 300, DPIAssumed: true}},
			[]string{"không ghi độ phân giải (trang 1)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := intakeReasons(c.pages)
			if len(got) != len(c.want) {
				t.Fatalf("%d reasons %q, want %d", len(got), got, len(c.want))
			}
			for i, w := range c.want {
				if !strings.Contains(got[i], w) || !strings.Contains(got[i], "Cách xử lý: ") || !strings.Contains(got[i], "300 dpi") {
					t.Errorf("reason %q: want %q and how to rescan", got[i], w)
				}
			}
		})
	}
}
