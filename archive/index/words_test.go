package index

import (
	"math"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestWordsEngine: the engine finds, counts and scores what the Bleve query
// of the same words finds, counts and scores, in both tiers.
func TestWordsEngine(t *testing.T) {
	ix, _ := openCorpus(t)
	tier2s := 0
	for _, q := range []Query{
		{Text: "ngân sách"}, {Text: "ngan sach"}, {Text: "quyết định"}, {Text: "thủy lợi"}, {Text: "tổ chức"},
		{Text: "tập huấm cho cán bộ công chức sử dụng phần mềm"}, {Text: "ủy ban nhân dân", Year: 2024},
		{Text: "rừng", Review: true}, {Text: "ngân sách", Agency: agSoTC}, {Text: "UBND", Type: "quyet dinh"},
		{Text: "hành chính thủ tục"}, {Text: "nghỉ Tết kéo dài"}, {Text: "xyzzy"}, {Text: "bảo quẻn"},
	} {
		snap, err := ix.snapshot()
		if err != nil {
			t.Fatal(err)
		}
		v, err := ix.views.of(snap)
		if err != nil {
			t.Fatal(err)
		}
		const k = 100
		p := parseQuery(q.Text)
		got1, got2, err := ix.searchWords(v, snap, &p, q, k)
		if err != nil {
			t.Fatal(err)
		}
		p = parseQuery(q.Text)
		withFilter := func(bq *query.BooleanQuery) *query.BooleanQuery {
			if f := q.filter(); f != nil {
				bq.AddFilter(f)
			}
			return bq
		}
		must, should := p.build()
		want1, err := ix.collect(v, withFilter(query.NewBooleanQuery(must, should, nil)), byScore, k)
		if err != nil {
			t.Fatal(err)
		}
		same(t, q.Text+" (tier 1)", got1, want1)
		var want2 *collected
		if want1.total < fuzzyBelow {
			if err := p.expandFuzzy(snap); err != nil {
				t.Fatal(err)
			}
			if p.hasFuzzy() {
				fmust, fshould := p.build()
				fq := query.NewBooleanQuery(fmust, fshould, []query.Query{bleve.NewConjunctionQuery(must...)})
				c, err := ix.collect(v, withFilter(fq), byScore, k)
				if err != nil {
					t.Fatal(err)
				}
				want2 = &c
			}
		}
		switch {
		case (got2 == nil) != (want2 == nil):
			t.Errorf("%q: tier 2 = %v, want %v", q.Text, got2, want2)
		case got2 != nil:
			same(t, q.Text+" (tier 2)", *got2, *want2)
			tier2s++
		}
		snap.Close()
	}
	if tier2s < 2 {
		t.Errorf("%d queries went to the fuzzy tier, want 2 or more", tier2s)
	}
}

func same(t *testing.T, what string, got, want collected) {
	t.Helper()
	if got.total != want.total || len(got.hits) != len(want.hits) {
		t.Errorf("%s: total %d, %d hits; want %d, %d", what, got.total, len(got.hits), want.total, len(want.hits))
		return
	}
	for i := range got.hits {
		g, w := got.hits[i], want.hits[i]
		if g.num != w.num || math.Abs(g.score-w.score) > 1e-9*math.Abs(w.score) {
			t.Errorf("%s: hit %d = %+v, want %+v", what, i, g, w)
		}
	}
	for kd := range nKinds {
		for o := range want.counts[kd] {
			if got.counts[kd][o] != want.counts[kd][o] {
				t.Errorf("%s: facet %s %d = %d, want %d", what, kindNames[kd], o, got.counts[kd][o], want.counts[kd][o])
			}
		}
	}
}
