package index

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/sohoa/sohoa/archive/docmeta"
)

// Query is what an archivist asks for.
type Query struct {
	// Text is words, "quoted phrases" and document numbers, in any mix;
	// empty lists every document (that the filters let through), most
	// recently archived first.
	Text string
	// Filters; zero values mean no filter.
	Year   int    // the document's year
	Type   string // e.g. "QUYẾT ĐỊNH" or "quyet dinh": case, diacritics and spacing are forgiven
	Agency string // likewise
	Review bool   // only documents whose number or date needs review
	// Limit is the number of hits wanted (20 when zero), after skipping
	// Offset.
	Limit, Offset int
}

// Hit is one document found.
type Hit struct {
	Doc   Doc
	Score float64
	// Snippets are up to two fragments of the document's text, HTML-escaped,
	// with the words that matched wrapped in <mark>…</mark>. When the
	// words matched only the subject or the metadata, the one snippet is
	// the opening of the text, without marks. Nil when Query.Text is empty.
	Snippets []string
}

// Facet is one value of a facet and the number of documents, among all
// those the query found (not only the page returned), that have it.
type Facet struct {
	Value string
	Count int
}

// Result is one page of hits, with the total found and the facets.
type Result struct {
	Total uint64
	Hits  []Hit
	// Facets has the keys "year", "type" and "agency"; each lists up to 50
	// values, most frequent first. Type and agency values are in the form
	// of facetValue (upper case, tone marks in the agreed place) and can
	// be passed back as Query.Type and Query.Agency.
	Facets map[string][]Facet
}

const (
	defaultLimit = 20
	facetSize    = 50
	// fuzzyMinLetters is the shortest word that fuzzy matching forgives an
	// edit in: shorter Vietnamese syllables are one edit away from too
	// many others (cac: các, cao, cái, cần…).
	fuzzyMinLetters = 4
)

// Boosts. A word matches in several fields at once (its folded form, its
// exact form when typed with diacritics, a fuzzy form), and the scores add
// up: a document that has the word as typed outranks one that has it only
// folded, which outranks one that has it only within one edit.
const (
	boostText   = 1.0
	boostHead   = 2.0 // subject, number, type, agency, file name
	boostFuzzy  = 0.3
	boostPair   = 150.0 // two query words side by side in the text
	boostNumber = 20.0  // the document's own number
	boostCited  = 0.5   // a number cited in the text
)

// Fuzzy matching. One edit turns a Vietnamese syllable into another real
// syllable more often than not (ngân → ngày, nhân, ngành), so a word is not
// matched with every term one edit away, only with those that look like a
// slip: of the two, the word and the term, one is rare — in at most
// fuzzyRare documents, or fuzzyRatio times fewer than the other. An OCR
// slip in a document (sácb for sách) is rare next to the word it spoils; a
// typo in a query (huấm) is rare next to the word it should have been. At
// most fuzzyMax terms, the most frequent, stand in for one word.
const (
	fuzzyRare  = 2
	fuzzyRatio = 10
	fuzzyMax   = 16
)

// parsed is Query.Text taken apart.
type parsed struct {
	words   []word   // loose words, in order
	pairs   []string // folded pairs of adjacent loose words: "hanh chinh"
	phrases [][]word // quoted phrases
	numbers []number // document numbers
}

type word struct {
	exact, fold string   // exactTerm and foldTerm of the word
	fuzzy       []string // folded terms one edit away that it also matches
}

// hasMarks reports whether the word was typed with diacritics (or đ).
func (w word) hasMarks() bool { return w.exact != w.fold }

// long reports whether the word is long enough to match with one edit.
func (w word) long() bool { return utf8.RuneCountInString(w.fold) >= fuzzyMinLetters }

type number struct {
	key       string // numberKey
	canonical string // "15/2020/QĐ-UBND" (separator always '/')
}

func (p parsed) empty() bool {
	return len(p.words) == 0 && len(p.phrases) == 0 && len(p.numbers) == 0
}

// numberRE finds what may be a document number in a query: digits, then
// segments separated by slashes or dashes, spaces allowed around the
// separators ("15 / 2020 / QĐ – UBND"). docmeta.ParseNumber decides.
var numberRE = regexp.MustCompile(`[0-9]{1,6}(?:\s*[/\-–—‐‑]\s*[\p{L}\p{N}]+)+`)

// parseQuery splits text into quoted phrases (straight or curly quotes; an
// unclosed quote runs to the end), document numbers and loose words.
func parseQuery(text string) parsed {
	var p parsed
	var loose []string
	inQuote := false
	var cur strings.Builder
	flush := func() {
		s := cur.String()
		cur.Reset()
		if inQuote {
			if ws := analyzeWords(s); len(ws) > 0 {
				p.phrases = append(p.phrases, ws)
			}
		} else {
			loose = append(loose, s)
		}
	}
	for _, r := range text {
		switch r {
		case '"', '“', '”', '„', '«', '»':
			flush()
			inQuote = !inQuote
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	for _, s := range loose {
		// Numbers first; what is left between them is words.
		last := 0
		for _, m := range numberRE.FindAllStringIndex(s, -1) {
			n, sym, ok := docmeta.ParseNumber(s[m[0]:m[1]])
			if !ok {
				continue
			}
			p.addWords(s[last:m[0]])
			last = m[1]
			p.numbers = append(p.numbers, number{key: numberKey(n, sym), canonical: n + "/" + sym})
		}
		p.addWords(s[last:])
	}
	return p
}

// addWords adds the words of s, and the pairs of adjacent ones.
func (p *parsed) addWords(s string) {
	ws := analyzeWords(s)
	for i := 1; i < len(ws); i++ {
		p.pairs = append(p.pairs, ws[i-1].fold+" "+ws[i].fold)
	}
	p.words = append(p.words, ws...)
}

func analyzeWords(s string) []word {
	var ws []word
	for _, t := range words(s) {
		ws = append(ws, word{exact: exactTerm(string(t.Term)), fold: foldTerm(string(t.Term))})
	}
	return ws
}

// expandFuzzy fills in the fuzzy terms of the long loose words from the
// dictionary of the folded text.
func (p *parsed) expandFuzzy(r bleveindex.IndexReader) error {
	fr, ok := r.(bleveindex.IndexReaderFuzzy)
	if !ok {
		return nil
	}
	for i := range p.words {
		w := &p.words[i]
		if !w.long() {
			continue
		}
		dict, err := fr.FieldDictFuzzy(fTextFold, w.fold, 1, "")
		if err != nil {
			return err
		}
		var self uint64
		var near []bleveindex.DictEntry
		for {
			e, err := dict.Next()
			if err != nil {
				dict.Close()
				return err
			}
			if e == nil {
				break
			}
			if e.Term == w.fold {
				self = e.Count
			} else {
				near = append(near, *e)
			}
		}
		if err := dict.Close(); err != nil {
			return err
		}
		w.fuzzy = w.fuzzy[:0]
		slices.SortFunc(near, func(a, b bleveindex.DictEntry) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Term, b.Term))
		})
		for _, e := range near {
			rare, common := min(e.Count, self), max(e.Count, self)
			if self == 0 || rare <= fuzzyRare || rare*fuzzyRatio <= common {
				w.fuzzy = append(w.fuzzy, e.Term)
			}
			if len(w.fuzzy) == fuzzyMax {
				break
			}
		}
	}
	return nil
}

func term(field, t string, boost float64) query.Query {
	q := bleve.NewTermQuery(t)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

func phrase(field, analyzer, s string, boost float64) query.Query {
	q := bleve.NewMatchPhraseQuery(s)
	q.SetField(field)
	// Bleve would pick the analyzer by property path, not by field name.
	q.Analyzer = analyzer
	q.SetBoost(boost)
	return q
}

func or(qs ...query.Query) query.Query { return bleve.NewDisjunctionQuery(qs...) }

// wordQuery matches a word in the text or the head: folded, exact (when
// typed with diacritics), or as one of its fuzzy terms (wordClauses).
func wordQuery(w word) query.Query {
	var qs []query.Query
	for _, c := range wordClauses(w) {
		qs = append(qs, term(c.field, c.term, c.boost))
	}
	return or(qs...)
}

// phraseQuery matches folded words in order in the text or the head. Two
// or more words are their pairs of adjacent words, each at the position
// after the one before, in the pairs field (whose positions put the head
// apart from the text, see headShift): pairs are rare next to words, so few
// documents have their positions read. A phrase that is also in the head
// adds a bonus.
func phraseQuery(folds []string, boostText, boostHead float64) query.Query {
	if len(folds) == 1 {
		return or(term(fTextFold, folds[0], boostText), term(fHeadFold, folds[0], boostHead))
	}
	pairs := make([]string, len(folds)-1)
	for i := range pairs {
		pairs[i] = folds[i] + " " + folds[i+1]
	}
	var inPairs query.Query
	if len(pairs) == 1 {
		inPairs = term(fPairs, pairs[0], boostText)
	} else {
		pq := bleve.NewPhraseQuery(pairs, fPairs)
		pq.SetBoost(boostText)
		inPairs = pq
	}
	inHead := phrase(fHeadFold, analyzerFold, strings.Join(folds, " "), boostHead)
	return query.NewBooleanQuery([]query.Query{inPairs}, []query.Query{inHead}, nil)
}

// build returns the clauses of the Bleve query for p: every word, phrase and
// number must match; pairs of adjacent words and the exact forms of phrase
// words only add to the score.
func (p parsed) build() (must, should []query.Query) {
	for _, w := range p.words {
		must = append(must, wordQuery(w))
	}
	for _, ph := range p.phrases {
		folds := make([]string, len(ph))
		for i, w := range ph {
			folds[i] = w.fold
			if w.hasMarks() {
				should = append(should, term(fText, w.exact, boostText), term(fHead, w.exact, boostHead))
			}
		}
		must = append(must, phraseQuery(folds, boostText, boostHead))
	}
	for _, n := range p.numbers {
		var folds []string
		for _, w := range analyzeWords(n.canonical) {
			folds = append(folds, w.fold)
		}
		must = append(must, or(term(fNumberKey, n.key, boostNumber), phraseQuery(folds, boostCited, boostHead)))
	}
	for _, pr := range p.pairs {
		should = append(should, term(fPairs, pr, boostPair))
	}
	return must, should
}

func (p parsed) hasFuzzy() bool {
	for _, w := range p.words {
		if len(w.fuzzy) > 0 {
			return true
		}
	}
	return false
}

// filter returns the filters of q, or nil.
func (q Query) filter() query.Query {
	var fs []query.Query
	for _, c := range q.filterClauses() {
		if c.field == fReview {
			b := bleve.NewBoolFieldQuery(c.term == reviewTrue)
			b.SetField(fReview)
			fs = append(fs, b)
			continue
		}
		fs = append(fs, term(c.field, c.term, c.boost))
	}
	if len(fs) == 0 {
		return nil
	}
	return bleve.NewConjunctionQuery(fs...)
}

// Search finds the documents that match q.
//
// Every word of q.Text must be found in the document (its text, subject,
// number, type, agency or file name), with or without diacritics. A "quoted
// phrase" must be found as consecutive words, exact or folded. A document
// number (15/2020/QĐ-UBND, typed "15/2020/qd-ubnd" or "15 / 2020 / QĐ -
// UBND" as well) must be the document's own number or be cited in it; the
// document that has it as its own comes first.
//
// Ranking adds up, per word, the matches in each field: the head (subject
// and metadata) weighs more than the text, the word as typed (with its
// diacritics, tone marks in any position) more than the folded word; two
// words of the query that stand side by side in the text add more.
// Documents with equal scores are in id order.
//
// When fewer than fuzzyBelow documents match so, words of four letters or
// more may also match terms one edit away (an OCR slip in the document, a
// typo in the query; see fuzzyRare): the documents found only so follow all
// the others, ranked among themselves, and are counted in Total and the
// facets.
func (ix *Index) Search(q Query) (Result, error) {
	res, err := ix.search(q)
	if err != nil {
		return Result{}, fmt.Errorf("index: search %q: %w", q.Text, err)
	}
	return res, nil
}

// fuzzyBelow is the number of documents under which a search also looks
// for fuzzy matches.
const fuzzyBelow = 50

func (ix *Index) search(q Query) (Result, error) {
	limit, offset := q.Limit, max(q.Offset, 0)
	if limit <= 0 {
		limit = defaultLimit
	}
	snap, err := ix.snapshot()
	if err != nil {
		return Result{}, err
	}
	defer snap.Close()
	v, err := ix.views.of(snap)
	if err != nil {
		return Result{}, err
	}
	p := parseQuery(q.Text)
	filter := q.filter()
	withFilter := func(bq *query.BooleanQuery) *query.BooleanQuery {
		if filter != nil {
			bq.AddFilter(filter)
		}
		return bq
	}
	var found collected
	var tier2 *collected
	switch {
	case p.empty():
		bq := bleve.NewBooleanQuery()
		bq.AddMust(bleve.NewMatchAllQuery())
		if found, err = ix.collect(v, withFilter(bq), byArchived, offset+limit); err != nil {
			return Result{}, err
		}
	case p.onlyWords():
		if found, tier2, err = ix.searchWords(v, snap, &p, q, offset+limit); err != nil {
			return Result{}, err
		}
	default:
		must, should := p.build()
		if found, err = ix.collect(v, withFilter(query.NewBooleanQuery(must, should, nil)), byScore, offset+limit); err != nil {
			return Result{}, err
		}
		if found.total < fuzzyBelow {
			if err := p.expandFuzzy(snap); err != nil {
				return Result{}, err
			}
			if p.hasFuzzy() {
				fmust, fshould := p.build()
				fq := query.NewBooleanQuery(fmust, fshould, []query.Query{bleve.NewConjunctionQuery(must...)})
				k := max(0, offset+limit-int(found.total))
				t2, err := ix.collect(v, withFilter(fq), byScore, k)
				if err != nil {
					return Result{}, err
				}
				tier2 = &t2
			}
		}
	}
	total, hits, counts := found.total, found.hits, found.counts
	if tier2 != nil {
		total += tier2.total
		hits = append(hits, tier2.hits...)
		for kd := range nKinds {
			for o, n := range tier2.counts[kd] {
				counts[kd][o] += n
			}
		}
	}
	hits = hits[min(offset, len(hits)):]
	hits = hits[:min(limit, len(hits))]
	docs, err := v.load(hits)
	if err != nil {
		return Result{}, err
	}
	out := Result{Total: total, Hits: make([]Hit, len(hits)), Facets: v.facets(counts)}
	var mk *marker
	if !p.empty() {
		mk = newMarker(p)
	}
	for i, d := range docs {
		out.Hits[i] = Hit{Doc: d, Score: hits[i].score}
		if mk != nil {
			out.Hits[i].Snippets = mk.snippets(d.Text)
		}
	}
	return out, nil
}

// searchWords answers a query of loose words with the engine (words.go),
// in the same two tiers as the Bleve query: the documents that have every
// word, then, when they are fewer than fuzzyBelow, those found only with
// fuzzy terms. k is the number of hits wanted.
func (ix *Index) searchWords(v *view, snap *scorch.IndexSnapshot, p *parsed, q Query, k int) (collected, *collected, error) {
	e, err := newEngine(snap)
	if err != nil {
		return collected{}, nil, err
	}
	filters := q.filterClauses()
	g, err := newGatherer(v, byScore, k)
	if err != nil {
		return collected{}, nil, err
	}
	first, err := e.run(p.plan(), filters, nil, g)
	if err != nil {
		return collected{}, nil, err
	}
	found, err := g.done()
	if err != nil || found.total >= fuzzyBelow {
		return found, nil, err
	}
	if err := p.expandFuzzy(snap); err != nil {
		return collected{}, nil, err
	}
	if !p.hasFuzzy() {
		return found, nil, nil
	}
	if g, err = newGatherer(v, byScore, max(0, k-int(found.total))); err != nil {
		return collected{}, nil, err
	}
	if _, err := e.run(p.plan(), filters, first, g); err != nil {
		return collected{}, nil, err
	}
	tier2, err := g.done()
	return found, &tier2, err
}

func sortFacets(fs []Facet) {
	slices.SortFunc(fs, func(a, b Facet) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Value, b.Value))
	})
}
