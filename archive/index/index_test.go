package index

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// openCorpus opens a new index in a temporary folder and puts the corpus
// in it, one document at a time.
func openCorpus(t *testing.T) (*Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	for _, d := range corpus() {
		if err := ix.Put(d); err != nil {
			t.Fatal(err)
		}
	}
	return ix, dir
}

func find(t *testing.T, ix *Index, q Query) Result {
	t.Helper()
	res, err := ix.Search(q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

func ids(res Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Doc.ID)
	}
	return out
}

// TestRelevance is the definition of done: a phrase from a
// document's body, typed with diacritics, without, with one letter wrong,
// and the document's number typed loosely, each find the document in the
// top 3; the number finds it first.
func TestRelevance(t *testing.T) {
	ix, _ := openCorpus(t)
	cases := []struct {
		id                  string
		phrase, plain, typo string
		numbers             []string
	}{
		{"d01", "tập huấn cho cán bộ, công chức sử dụng phần mềm", "tap huan cho can bo cong chuc su dung phan mem",
			"tập huấm cho cán bộ công chức sử dụng phần mềm", []string{"15/2020/qd-ubnd", "15/2020/QĐ - UBND", "15 / 2020 / QD – UBND"}},
		{"d02", "nghiêm túc chấp hành bản án", "nghiem tuc chap hanh ban an",
			"nghiêm túc chấo hành bản án", []string{"07/CT-UBND", "07 / ct - ubnd", "7/ct-ubnd"}},
		{"d03", "số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "so hoa ho so ket qua giai quyet thu tuc hanh chinh",
			"số hóa hồ sơ kết quả giải quyết thủ tục hành chínk", []string{"23/bc-ubnd", "23/BC–UBND"}},
		{"d04", "rà soát các khu dân cư ven sông Trà Khúc", "ra soat cac khu dan cu ven song tra khuc",
			"rà soát các khu dân cư ven sông Trà Khúe", []string{"45 / KH – UBND", "45/kh-ubnd"}},
		{"d07", "khả năng sinh lợi và điều kiện kết cấu hạ tầng", "kha nang sinh loi va dieu kien ket cau ha tang",
			"khả năng sjnh lợi và điều kiện kết cấu hạ tầng", []string{"05/2019/QD-UBND", "5/2019/qđ-ubnd"}},
		{"d08", "thay mái tôn dãy phòng học", "thay mai ton day phong hoc",
			"thay mái tôn dãy phòmg học", []string{"31/ttr-ubnd", "31/TTR-UBND"}},
		{"d12", "tiêu hủy lợn bệnh đúng quy định", "tieu huy lon benh dung quy dinh",
			"tiêu hủy lợn bệmh đúng quy định", []string{"77/kh-snn"}},
		{"d21", "hoàn thành đập đất, tràn xả lũ và kênh chính", "hoan thanh dap dat tran xa lu va kenh chinh",
			"hoàn thành đập đất tràn xả lũ và kênb chính", []string{"38/BC-UBND"}},
		{"d29", "xác định thời hạn bảo quản", "xac dinh thoi han bao quan",
			"xác định thời hạn bảo quẻn", []string{"12/hd-ubnd", "12/HĐ-UBND"}},
		{"d31", "hạ tầng kỹ thuật cụm công nghiệp", "ha tang ky thuat cum cong nghiep",
			"hạ tầng kỹ thuật cụm công nghiệq", []string{"08/2021/QD - UBND", "8/2021/qd-ubnd"}},
	}
	for _, c := range cases {
		for _, text := range []string{c.phrase, c.plain, c.typo, strings.ToUpper(c.phrase), `"` + c.phrase + `"`, `"` + c.plain + `"`} {
			got := ids(find(t, ix, Query{Text: text, Limit: 3}))
			if !slices.Contains(got, c.id) {
				t.Errorf("%q: top 3 = %v, want %s among them", text, got, c.id)
			}
		}
		for _, n := range c.numbers {
			got := ids(find(t, ix, Query{Text: n, Limit: 3}))
			if len(got) == 0 || got[0] != c.id {
				t.Errorf("%q: top 3 = %v, want %s first", n, got, c.id)
			}
		}
	}
}

func TestNumbers(t *testing.T) {
	ix, _ := openCorpus(t)
	// d15 cites 15/2020/QĐ-UBND in its text: found, after d01 itself.
	got := ids(find(t, ix, Query{Text: "15/2020/qd-ubnd"}))
	if len(got) < 2 || got[0] != "d01" || !slices.Contains(got, "d15") {
		t.Errorf("15/2020/qd-ubnd = %v, want d01 first, then d15", got)
	}
	// A number among words: both must match.
	got = ids(find(t, ix, Query{Text: "thay thế 15/2020/QĐ-UBND"}))
	if !slices.Equal(got, []string{"d15"}) {
		t.Errorf("thay thế 15/2020/QĐ-UBND = %v, want [d15]", got)
	}
	// Several documents share a symbol; the number tells them apart.
	for n, want := range map[string]string{"25/KH-UBND": "d18", "26/kh-ubnd": "d19", "19/KH-UBND": "d33"} {
		if got := ids(find(t, ix, Query{Text: n})); len(got) == 0 || got[0] != want {
			t.Errorf("%s = %v, want %s first", n, got, want)
		}
	}
	// A date is not a number.
	p := parseQuery("ngày 10/02/2020")
	if len(p.numbers) != 0 || len(p.words) != 4 {
		t.Errorf("parseQuery(ngày 10/02/2020) = %+v", p)
	}
}

func TestPhrases(t *testing.T) {
	ix, _ := openCorpus(t)
	// In order: the words of "cải cách thủ tục hành chính" reversed are
	// all in d03, but not as a phrase.
	if got := ids(find(t, ix, Query{Text: `"hành chính thủ tục"`})); len(got) != 0 {
		t.Errorf(`"hành chính thủ tục" = %v, want nothing`, got)
	}
	if got := ids(find(t, ix, Query{Text: "hành chính thủ tục"})); !slices.Contains(got, "d03") {
		t.Errorf(`hành chính thủ tục (unquoted) = %v, want d03`, got)
	}
	// A phrase and a word; curly quotes as a word processor types them.
	got := ids(find(t, ix, Query{Text: "“giải ngân vốn đầu tư công” giao thông"}))
	if !slices.Equal(got, []string{"d05"}) {
		t.Errorf("phrase and word = %v, want [d05]", got)
	}
	// Phrases are not fuzzy.
	if got := ids(find(t, ix, Query{Text: `"giải ngân vốn đầu tư cônb"`})); len(got) != 0 {
		t.Errorf("phrase with a typo = %v, want nothing", got)
	}
}

func TestToneMarkPlacement(t *testing.T) {
	ix, _ := openCorpus(t)
	// d04 writes thủy lợi, d21 both thủy lợi and thuỷ lợi; the query's
	// spelling does not matter, and it counts as exact.
	a := find(t, ix, Query{Text: "thuỷ lợi"})
	b := find(t, ix, Query{Text: "thủy lợi"})
	if !slices.Contains(ids(a), "d04") || !slices.Contains(ids(a), "d21") {
		t.Errorf("thuỷ lợi = %v, want d04 and d21", ids(a))
	}
	if !slices.Equal(ids(a), ids(b)) || a.Hits[0].Score != b.Hits[0].Score {
		t.Errorf("thuỷ lợi = %v, thủy lợi = %v: want the same", ids(a), ids(b))
	}
	// Canh Hòa (d09's agency and text) typed new style.
	a = find(t, ix, Query{Text: "xã Canh Hoà"})
	b = find(t, ix, Query{Text: "xã Canh Hòa"})
	if len(a.Hits) == 0 || !slices.Equal(ids(a), ids(b)) || a.Hits[0].Score != b.Hits[0].Score {
		t.Errorf("Canh Hoà = %v, Canh Hòa = %v: want the same", ids(a), ids(b))
	}
	if !slices.Contains(ids(a), "d09") {
		t.Errorf("Canh Hoà = %v, want d09", ids(a))
	}
	// Upper-case words keep their tone marks: ỦY BAN and UỶ BAN are one.
	if got := ids(find(t, ix, Query{Text: "UỶ BAN NHÂN DÂN HUYỆN VÂN CANH rà soát hộ nghèo"})); len(got) == 0 || got[0] != "d20" {
		t.Errorf("UỶ BAN … = %v, want d20 first", got)
	}
}

func TestExactRanksAboveFolded(t *testing.T) {
	ix, _ := openCorpus(t)
	// d35 has kéo dài and ngân sách; its copy d36 the OCR'd kéo đài and
	// ngân sácb.
	for _, tt := range []struct{ q, above, below string }{
		{"kéo dài", "d35", "d36"},   // exact above folded
		{"ngân sách", "d35", "d36"}, // exact above fuzzy
		{"nghỉ Tết kéo dài", "d35", "d36"},
	} {
		got := ids(find(t, ix, Query{Text: tt.q, Limit: 50}))
		i, j := slices.Index(got, tt.above), slices.Index(got, tt.below)
		if i < 0 || j < 0 || i > j {
			t.Errorf("%q = %v: want %s above %s, both found", tt.q, got, tt.above, tt.below)
		}
	}
	// Typed without diacritics, both are equal but for the fuzzy match:
	// kéo dài and kéo đài fold alike.
	res := find(t, ix, Query{Text: "keo dai"})
	if len(res.Hits) < 2 || res.Hits[0].Score != res.Hits[1].Score {
		t.Errorf("keo dai = %v: want d35 and d36 with equal scores", ids(res))
	}
}

func TestFiltersAndFacets(t *testing.T) {
	ix, _ := openCorpus(t)
	docs := corpus()
	count := func(keep func(Doc) bool) int {
		n := 0
		for _, d := range docs {
			if keep(d) {
				n++
			}
		}
		return n
	}

	// Everything: facets count the corpus.
	all := find(t, ix, Query{Limit: 100})
	if int(all.Total) != len(docs) || len(all.Hits) != len(docs) {
		t.Fatalf("list all: total %d, %d hits, want %d", all.Total, len(all.Hits), len(docs))
	}
	wantFacet := func(res Result, facet, value string, want int) {
		t.Helper()
		for _, f := range res.Facets[facet] {
			if f.Value == value {
				if f.Count != want {
					t.Errorf("facet %s %q = %d, want %d", facet, value, f.Count, want)
				}
				return
			}
		}
		if want != 0 {
			t.Errorf("facet %s has no %q (want %d): %v", facet, value, want, res.Facets[facet])
		}
	}
	wantFacet(all, "year", "2024", count(func(d Doc) bool { return strings.HasPrefix(d.Date, "2024") }))
	wantFacet(all, "type", "QUYẾT ĐỊNH", count(func(d Doc) bool { return d.Type == "QUYẾT ĐỊNH" }))
	wantFacet(all, "type", "CÔNG VĂN", count(func(d Doc) bool { return d.Type == "CÔNG VĂN" }))
	// Both spellings of Vân Canh's committee count as one value.
	wantFacet(all, "agency", agVanCanh, count(func(d Doc) bool { return d.Agency == agVanCanh || d.Agency == agVanCanh2 }))
	wantFacet(all, "agency", agVanCanh2, 0)
	for _, name := range []string{"year", "type", "agency"} {
		wantFacet(all, name, "", 0) // d34 has none: no empty value
	}
	for _, name := range []string{"year", "type", "agency"} {
		fs := all.Facets[name]
		for i := 1; i < len(fs); i++ {
			if fs[i].Count > fs[i-1].Count {
				t.Errorf("facet %s not most frequent first: %v", name, fs)
			}
		}
	}

	// Filters: each alone and together; with words, the filtered answer is
	// the unfiltered one's documents that pass.
	inText := func(text string) map[string]bool {
		found := map[string]bool{}
		for _, id := range ids(find(t, ix, Query{Text: text, Limit: 100})) {
			found[id] = true
		}
		return found
	}
	budget, forest := inText("ngân sách"), inText("rừng")
	tests := []struct {
		q    Query
		keep func(Doc) bool
	}{
		{Query{Year: 2024}, func(d Doc) bool { return strings.HasPrefix(d.Date, "2024") }},
		{Query{Type: "quyet dinh"}, func(d Doc) bool { return d.Type == "QUYẾT ĐỊNH" }},
		{Query{Agency: "Uỷ ban nhân dân huyện Vân Canh"}, func(d Doc) bool { return d.Agency == agVanCanh || d.Agency == agVanCanh2 }},
		{Query{Review: true}, func(d Doc) bool { return d.NeedsReview }},
		{Query{Type: "KẾ HOẠCH", Agency: agCanhHoa}, func(d Doc) bool { return d.Type == "KẾ HOẠCH" && d.Agency == agCanhHoa }},
		{Query{Text: "ngân sách", Agency: agSoTC}, func(d Doc) bool { return budget[d.ID] && d.Agency == agSoTC }},
		{Query{Text: "rừng", Year: 2019}, func(d Doc) bool { return forest[d.ID] && strings.HasPrefix(d.Date, "2019") }},
		{Query{Text: "rừng", Review: true}, func(d Doc) bool { return forest[d.ID] && d.NeedsReview }},
		{Query{Year: 1999}, func(Doc) bool { return false }},
	}
	for _, tt := range tests {
		tt.q.Limit = 100
		res := find(t, ix, tt.q)
		var want []string
		for _, d := range docs {
			if tt.keep(d) {
				want = append(want, d.ID)
			}
		}
		got := ids(res)
		slices.Sort(got)
		if !slices.Equal(got, want) || int(res.Total) != len(want) {
			t.Errorf("%+v = %v (total %d), want %v", tt.q, got, res.Total, want)
		}
	}
	if !budget["d22"] || !budget["d23"] || !forest["d25"] || !forest["d13"] {
		t.Errorf("ngân sách = %v, rừng = %v", budget, forest)
	}

	// Facets of a text query count what it found, not the corpus.
	res := find(t, ix, Query{Text: "ngân sách", Limit: 100})
	byYear, byType, byAgency := map[string]int{}, map[string]int{}, map[string]int{}
	for _, h := range res.Hits {
		if len(h.Doc.Date) >= 4 {
			byYear[h.Doc.Date[:4]]++
		}
		if h.Doc.Type != "" {
			byType[facetValue(h.Doc.Type)]++
		}
		if h.Doc.Agency != "" {
			byAgency[facetValue(h.Doc.Agency)]++
		}
	}
	if len(res.Hits) < 4 || int(res.Total) != len(res.Hits) {
		t.Fatalf("ngân sách: %d hits of %d", len(res.Hits), res.Total)
	}
	for name, want := range map[string]map[string]int{"year": byYear, "type": byType, "agency": byAgency} {
		got := map[string]int{}
		for _, f := range res.Facets[name] {
			got[f.Value] = f.Count
		}
		if len(got) != len(want) {
			t.Errorf("ngân sách: facet %s = %v, want %v", name, got, want)
		}
		for v, n := range want {
			if got[v] != n {
				t.Errorf("ngân sách: facet %s %q = %d, want %d", name, v, got[v], n)
			}
		}
	}

	// Pages: offset and limit.
	page := find(t, ix, Query{Limit: 5, Offset: 5})
	if !slices.Equal(ids(page), ids(all)[5:10]) {
		t.Errorf("page 2 = %v, want %v", ids(page), ids(all)[5:10])
	}
}

func TestSnippets(t *testing.T) {
	ix, _ := openCorpus(t)
	res := find(t, ix, Query{Text: "giải ngân vốn đầu tư công"})
	if len(res.Hits) == 0 || res.Hits[0].Doc.ID != "d05" || len(res.Hits[0].Snippets) == 0 {
		t.Fatalf("giải ngân vốn đầu tư công = %v", ids(res))
	}
	if s := res.Hits[0].Snippets[0]; !strings.Contains(s, "<mark>giải ngân vốn đầu tư công</mark>") {
		t.Errorf("snippet = %q, want the adjacent words in one mark", s)
	}
	// Folded and fuzzy matches are marked too.
	res = find(t, ix, Query{Text: "ngan sach"})
	for _, h := range res.Hits {
		if h.Doc.ID == "d36" && !strings.Contains(strings.Join(h.Snippets, " "), "<mark>ngân sácb</mark>") {
			t.Errorf("d36 snippets = %q, want the fuzzy match marked", h.Snippets)
		}
	}
	// Every hit of a text query has a snippet with a mark when the words
	// are in its text.
	for _, q := range []string{"hộ nghèo", "an toàn thực phẩm", "phòng chống thiên tai", "07/CT-UBND"} {
		res := find(t, ix, Query{Text: q})
		if len(res.Hits) == 0 {
			t.Errorf("%q found nothing", q)
		}
		for _, h := range res.Hits {
			if len(h.Snippets) == 0 || len(h.Snippets) > maxSnippets {
				t.Errorf("%q: %s: %d snippets", q, h.Doc.ID, len(h.Snippets))
			}
		}
		if !strings.Contains(res.Hits[0].Snippets[0], "<mark>") && q != "07/CT-UBND" {
			t.Errorf("%q: %s: snippet %q has no mark", q, res.Hits[0].Doc.ID, res.Hits[0].Snippets[0])
		}
	}
	// A number cited in the text is one mark.
	res = find(t, ix, Query{Text: "15/2020/qd-ubnd"})
	for _, h := range res.Hits {
		if h.Doc.ID == "d15" && !strings.Contains(strings.Join(h.Snippets, " "), "số <mark>15/2020/QĐ-UBND</mark>.") {
			t.Errorf("d15 snippets = %q, want the number in one mark", h.Snippets)
		}
	}
	// No text: no snippets.
	if res := find(t, ix, Query{Limit: 1}); res.Hits[0].Snippets != nil {
		t.Errorf("list: snippets %q", res.Hits[0].Snippets)
	}
}

func TestSnippetHTML(t *testing.T) {
	text := "Mở đầu. " + strings.Repeat("Nội dung không liên quan gì cả. ", 20) +
		"Điều 1. Giá <b>đất</b> & \"nhà\" ở\n\n   tại xã Bình Hải. " + strings.Repeat("Câu khác nữa. ", 30) +
		"Cuối cùng giá đất tăng."
	m := newMarker(parseQuery("giá đất"))
	got := m.snippets(text)
	if len(got) != 2 {
		t.Fatalf("snippets = %q, want 2", got)
	}
	if !strings.Contains(got[0], "<mark>Giá</mark> &lt;b&gt;<mark>đất</mark>&lt;/b&gt; &amp; &#34;nhà&#34; ở tại") {
		t.Errorf("first snippet = %q", got[0])
	}
	if !strings.HasPrefix(got[0], "… ") || !strings.HasSuffix(got[0], " …") {
		t.Errorf("first snippet = %q, want ellipses at both cuts", got[0])
	}
	if !strings.Contains(got[1], "<mark>giá đất</mark> tăng.") || strings.HasSuffix(got[1], "…") {
		t.Errorf("second snippet = %q", got[1])
	}
	// Nothing matches: the opening of the text.
	got = newMarker(parseQuery("xyz")).snippets(text)
	if len(got) != 1 || !strings.HasPrefix(got[0], "Mở đầu.") || strings.Contains(got[0], "<mark>") {
		t.Errorf("no match: %q", got)
	}
	if got := newMarker(parseQuery("xyz")).snippets(""); got != nil {
		t.Errorf("empty text: %q", got)
	}
}

// TestRebuild: the index is derived data. Removed and rebuilt from the
// same documents — in another order, in batches — it answers the same.
func TestRebuild(t *testing.T) {
	ix, dir := openCorpus(t)
	queries := []Query{
		{}, {Text: "ngân sách"}, {Text: "quyet dinh"}, {Text: "thủy lợi"}, {Text: "15/2020/qd-ubnd"},
		{Text: "tổ chức"}, {Text: `"nông thôn mới"`}, {Text: "ủy ban nhân dân", Year: 2024}, {Text: "hanh chinh"},
		{Text: "bệnh viện", Review: false}, {Type: "công văn"}, {Text: "phòng chống dịch"},
	}
	answer := func(ix *Index) [][]string {
		var out [][]string
		for _, q := range queries {
			q.Limit = 10
			res := find(t, ix, q)
			out = append(out, append(ids(res), "total", strings.Repeat("x", int(res.Total))))
		}
		return out
	}
	before := answer(ix)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := Remove(dir); err != nil {
		t.Fatal(err)
	}
	ix2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	docs := corpus()
	slices.Reverse(docs)
	for i := 0; i < len(docs); i += 7 {
		if err := ix2.PutBatch(docs[i:min(i+7, len(docs))]); err != nil {
			t.Fatal(err)
		}
	}
	after := answer(ix2)
	for i := range queries {
		if !slices.Equal(before[i], after[i]) {
			t.Errorf("%+v: before %v, after rebuild %v", queries[i], before[i], after[i])
		}
	}
}

func TestStore(t *testing.T) {
	ix, dir := openCorpus(t)
	n, err := ix.Count()
	if err != nil || int(n) != len(corpus()) {
		t.Fatalf("count = %d, %v", n, err)
	}
	// Empty query: everything, most recently archived first, every field.
	res := find(t, ix, Query{Limit: 3})
	want := corpus()[len(corpus())-1]
	if res.Total != n || len(res.Hits) != 3 || res.Hits[0].Doc.ID != want.ID {
		t.Fatalf("list = %v (total %d)", ids(res), res.Total)
	}
	got := res.Hits[0].Doc
	if got.Text != want.Text || got.SourceName != want.SourceName || got.Pages != want.Pages ||
		!got.Archived.Equal(want.Archived) || !got.Created.Equal(want.Created) || !got.NeedsReview {
		t.Errorf("stored fields = %+v, want %+v", got, want)
	}
	// Put fills in the year, number and symbol.
	d, ok, err := ix.Get("d01")
	if err != nil || !ok {
		t.Fatalf("get = %v %v", ok, err)
	}
	if d.Year != 2020 || d.Number != "15" || d.Symbol != "2020/QĐ-UBND" || d.Subject != corpus()[0].Subject {
		t.Errorf("get d01 = %+v", d)
	}
	// Put again replaces; Delete removes.
	d.Subject = "Về việc thay thế phần mềm quản lý văn bản"
	if err := ix.Put(d); err != nil {
		t.Fatal(err)
	}
	if got := ids(find(t, ix, Query{Text: "thay thế phần mềm quản lý văn bản"})); len(got) == 0 || got[0] != "d01" {
		t.Errorf("after replace: %v", got)
	}
	if err := ix.Delete("d02"); err != nil {
		t.Fatal(err)
	}
	if got := ids(find(t, ix, Query{Text: "07/CT-UBND"})); slices.Contains(got, "d02") {
		t.Errorf("after delete: %v", got)
	}
	if err := ix.Put(Doc{}); err == nil {
		t.Error("put without id: no error")
	}

	// The index survives a reopen.
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d, ok, err := ix.Get("d03"); err != nil || !ok || d.DocNumber != "23/BC-UBND" {
		t.Fatalf("get after reopen = %+v %v %v", d, ok, err)
	}
	if _, ok, _ := ix.Get("zz"); ok {
		t.Errorf("get of a missing id found something")
	}
	// An index of another schema is refused.
	if err := ix.b.SetInternal(schemaKey, []byte("sohoa.index/1")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if _, err := Open(dir); !errors.Is(err, ErrOutdated) {
		t.Errorf("open of an outdated index: %v, want ErrOutdated", err)
	}
}
