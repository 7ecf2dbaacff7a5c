package archive

import (
	"fmt"
	"slices"
	"testing"

	"github.com/sohoa/sohoa/pipeline"
)

// A first page as docmeta.FirstPage knows one: the motto at the top.
func firstPage(n int) *pipeline.PageText {
	words := func(y int, ts ...string) pipeline.Line {
		l := pipeline.Line{Box: pipeline.Box{X0: 900, Y0: y, X1: 1600, Y1: y + 40}}
		for i, t := range ts {
			l.Words = append(l.Words, pipeline.Word{Text: t, Conf: 95, Box: pipeline.Box{X0: 900 + 120*i, Y0: y, X1: 1000 + 120*i, Y1: y + 40}})
		}
		return l
	}
	return &pipeline.PageText{Page: n, Width: 1654, Height: 2339, DPIX: 200, DPIY: 200,
		Lines: []pipeline.Line{words(150, "CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ", "NGHĨA", "VIỆT", "NAM"), words(200, "Độc", "lập", "-", "Tự", "do", "-", "Hạnh", "phúc")}}
}

func bodyPage(n int) *pipeline.PageText {
	return &pipeline.PageText{Page: n, Width: 1654, Height: 2339, DPIX: 200, DPIY: 200, Lines: []pipeline.Line{{
		Box: pipeline.Box{X0: 200, Y0: 150, X1: 1400, Y1: 190}, Words: []pipeline.Word{{Text: "Điều", Conf: 90, Box: pipeline.Box{X0: 200, Y0: 150, X1: 300, Y1: 190}}},
	}}}
}

func TestCutStack(t *testing.T) {
	F, B := firstPage, bodyPage
	E := func(n int) *pipeline.PageText { return &pipeline.PageText{Page: n, Empty: true} }
	S := func(n int) *pipeline.PageText { return &pipeline.PageText{Page: n, Separator: true, Ink: 0.05} }
	for _, c := range []struct {
		name  string
		pages []func(int) *pipeline.PageText
		parts string // pages of each part, then blank pages in brackets
		seps  []int
	}{
		{"first pages", []func(int) *pipeline.PageText{F, B, F, F, B, B}, "1,2 3 4,5,6", nil},
		{"separator sheet before a page with no header",
			[]func(int) *pipeline.PageText{F, B, S, B, F}, "1,2 4 5", []int{3}},
		{"blank sheet in a one-sided run", []func(int) *pipeline.PageText{F, B, E, B, B}, "1,2 4,5", []int{3}},
		{"a duplex run of one-sided sheets: backs stay, a blank sheet cuts",
			[]func(int) *pipeline.PageText{F, E, B, E, E, E, B, E, F, E}, "1,3[2,4] 7[8] 9[10]", []int{5, 6}},
		{"separator's blank back in a duplex run", []func(int) *pipeline.PageText{F, E, S, E, B, E}, "1[2] 5[4,6]", []int{3}},
		{"leading separator, a trailing back", []func(int) *pipeline.PageText{S, B, B, E}, "2,3[4]", []int{1}},
		{"leading separator, a trailing blank sheet", []func(int) *pipeline.PageText{S, B, B, B, E}, "2,3,4", []int{1, 5}},
		{"nothing but blanks", []func(int) *pipeline.PageText{E, S, E}, "", []int{1, 2, 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			texts := make([]*pipeline.PageText, len(c.pages))
			for i, f := range c.pages {
				texts[i] = f(i + 1)
			}
			parts, seps := cutStack(texts)
			got := ""
			for i, p := range parts {
				if i > 0 {
					got += " "
				}
				for j, pt := range p.pages {
					if j > 0 {
						got += ","
					}
					got += fmt.Sprint(pt.Page)
				}
				if len(p.blank) > 0 {
					got += "[" + joinInts(p.blank) + "]"
				}
			}
			if got != c.parts || !slices.Equal(seps, c.seps) {
				t.Errorf("parts %q separators %v, want %q %v", got, seps, c.parts, c.seps)
			}
		})
	}
}

func joinInts(xs []int) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += ","
		}
		s += fmt.Sprint(x)
	}
	return s
}
