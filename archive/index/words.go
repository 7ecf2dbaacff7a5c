package index

import (
	"math"
	"strconv"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Queries of loose words (and filters) are answered here, without Bleve's
// searchers. Bleve walks such a query document by document through a
// conjunction of disjunctions, several term readers a word, and on an
// archive of 100,000 documents a few common words match tens of thousands
// of them: walking and scoring them that way took most of a search. Here
// the documents that match are found first with the postings' bitmaps
// (every word, one of its terms at least; the filters), which is cheap,
// and only then are the postings of each term read, restricted to those
// documents, to score them.
//
// The scores are Bleve's for the same query (the one build returns), in
// its default tf-idf model: a term scores sqrt(tf) · norm · idf² · boost ·
// queryNorm, queryNorm being 1/sqrt(Σ (boost·idf)²) over all the terms of
// the query; a disjunction (a word's terms, the pairs) scores the sum of
// its terms that match times the fraction of them that match; the rest
// adds up. TestWordsEngine checks that the two agree.

// clause is one term of a words query, as term would make it.
type clause struct {
	field, term string
	boost       float64
}

// wordsPlan is a query of loose words: every group must match (one of its
// clauses at least), the should clauses add to the score.
type wordsPlan struct {
	groups [][]clause
	should []clause
}

// wordClauses are the terms a word matches: folded, exact (when typed with
// diacritics), or one of its fuzzy terms. wordQuery and the engine both
// use them.
func wordClauses(w word) []clause {
	cs := []clause{{fTextFold, w.fold, boostText}, {fHeadFold, w.fold, boostHead}}
	if w.hasMarks() {
		cs = append(cs, clause{fText, w.exact, boostText}, clause{fHead, w.exact, boostHead})
	}
	for _, f := range w.fuzzy {
		cs = append(cs, clause{fTextFold, f, boostFuzzy})
	}
	return cs
}

// plan returns the plan of p, which has only loose words.
func (p parsed) plan() wordsPlan {
	var pl wordsPlan
	for _, w := range p.words {
		pl.groups = append(pl.groups, wordClauses(w))
	}
	for _, pr := range p.pairs {
		pl.should = append(pl.should, clause{fPairs, pr, boostPair})
	}
	return pl
}

// onlyWords reports whether the engine can answer p.
func (p parsed) onlyWords() bool {
	return len(p.words) > 0 && len(p.phrases) == 0 && len(p.numbers) == 0
}

// filterClauses are the filters of q, as terms every document must have.
func (q Query) filterClauses() []clause {
	var cs []clause
	if q.Year != 0 {
		cs = append(cs, clause{fFacets, facetYear + "=" + strconv.Itoa(q.Year), 1})
	}
	if k := filterKey(q.Type); k != "" {
		cs = append(cs, clause{fTypeKey, k, 1})
	}
	if k := filterKey(q.Agency); k != "" {
		cs = append(cs, clause{fAgencyKey, k, 1})
	}
	if q.Review {
		cs = append(cs, clause{fReview, reviewTrue, 1})
	}
	return cs
}

// reviewTrue is the term under which Bleve indexes a true boolean.
const reviewTrue = "T"

// segPostings are the postings lists of one segment, by clause.
type segPostings struct {
	seg     segment.Segment
	base    uint64 // number of the segment's first document in the snapshot
	deleted *roaring.Bitmap
	dicts   map[string]segment.TermDictionary
}

func (s *segPostings) list(c clause) (segment.PostingsList, error) {
	d, ok := s.dicts[c.field]
	if !ok {
		var err error
		if d, err = s.seg.Dictionary(c.field); err != nil {
			return nil, err
		}
		s.dicts[c.field] = d
	}
	return d.PostingsList([]byte(c.term), s.deleted, nil)
}

// bitmap returns the live documents of pl.
func bitmap(pl segment.PostingsList) (*roaring.Bitmap, error) {
	it := pl.Iterator(false, false, false, nil)
	if o, ok := it.(segment.OptimizablePostingsIterator); ok {
		if bm := o.ActualBitmap(); bm != nil {
			return bm, nil
		}
		bm := roaring.New()
		if n, ok := o.DocNum1Hit(); ok {
			bm.Add(uint32(n))
		}
		return bm, nil
	}
	bm := roaring.New()
	for {
		p, err := it.Next()
		if err != nil || p == nil {
			return bm, err
		}
		bm.Add(uint32(p.Number()))
	}
}

// engine evaluates words plans on one snapshot.
type engine struct {
	snap *scorch.IndexSnapshot
	segs []*segPostings
	docs uint64 // live documents, for idf
}

func newEngine(snap *scorch.IndexSnapshot) (*engine, error) {
	e := &engine{snap: snap}
	var base uint64
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		e.segs = append(e.segs, &segPostings{seg: seg, base: base, deleted: ss.Deleted(), dicts: map[string]segment.TermDictionary{}})
		// As scorch numbers documents: segment after segment, deleted
		// ones included.
		base += seg.Count()
	}
	var err error
	e.docs, err = snap.DocCount()
	return e, err
}

// run finds the documents that match pl and the filters, less those in
// except (by segment, may be nil), and collects them into g. It returns
// the documents found, by segment.
func (e *engine) run(pl wordsPlan, filters []clause, except []*roaring.Bitmap, g *gatherer) ([]*roaring.Bitmap, error) {
	var all []clause
	for _, grp := range pl.groups {
		all = append(all, grp...)
	}
	all = append(all, pl.should...)
	// lists[s][i]: the postings of all[i] in segment s.
	lists := make([][]segment.PostingsList, len(e.segs))
	df := make([]uint64, len(all))
	for s, sp := range e.segs {
		lists[s] = make([]segment.PostingsList, len(all))
		for i, c := range all {
			l, err := sp.list(c)
			if err != nil {
				return nil, err
			}
			lists[s][i] = l
			df[i] += l.Count()
		}
	}
	// Bleve's tf-idf weights.
	idf := make([]float64, len(all))
	var sumSq float64
	for i, c := range all {
		idf[i] = 1 + math.Log(float64(e.docs)/float64(df[i]+1))
		w := c.boost * idf[i]
		sumSq += w * w
	}
	queryNorm := 1 / math.Sqrt(sumSq)
	weight := make([]float64, len(all)) // all of a term's score but sqrt(tf)·norm
	for i, c := range all {
		weight[i] = idf[i] * c.boost * idf[i] * queryNorm
	}

	found := make([]*roaring.Bitmap, len(e.segs))
	var (
		score []float64
		sum   []float64
		count []int32
	)
	for s, sp := range e.segs {
		// The documents that match.
		var m *roaring.Bitmap
		i := 0
		for _, grp := range pl.groups {
			var bms []*roaring.Bitmap
			for range grp {
				bm, err := bitmap(lists[s][i])
				if err != nil {
					return nil, err
				}
				bms = append(bms, bm)
				i++
			}
			or := roaring.FastOr(bms...)
			if m == nil {
				m = or
			} else {
				m.And(or)
			}
			if m.IsEmpty() {
				break
			}
		}
		for _, c := range filters {
			if m.IsEmpty() {
				break
			}
			l, err := sp.list(c)
			if err != nil {
				return nil, err
			}
			bm, err := bitmap(l)
			if err != nil {
				return nil, err
			}
			m.And(bm)
		}
		if except != nil && except[s] != nil {
			m.AndNot(except[s])
		}
		found[s] = m
		if m.IsEmpty() {
			continue
		}
		// Their scores, a disjunction at a time.
		docs := m.ToArray()
		score = resize(score, len(docs))
		sum = resize(sum, len(docs))
		count = resize(count, len(docs))
		i = 0
		disjunction := func(cs []clause) error {
			clear(sum)
			clear(count)
			for range cs {
				if err := scoreTerm(lists[s][i], m, docs, weight[i], sum, count); err != nil {
					return err
				}
				i++
			}
			for j := range docs {
				if count[j] > 0 {
					score[j] += sum[j] * float64(count[j]) / float64(len(cs))
				}
			}
			return nil
		}
		for _, grp := range pl.groups {
			if err := disjunction(grp); err != nil {
				return nil, err
			}
		}
		if len(pl.should) > 0 {
			if err := disjunction(pl.should); err != nil {
				return nil, err
			}
		}
		for j, d := range docs {
			g.add(ref{num: sp.base + uint64(d), score: score[j]})
			if g.err != nil {
				return nil, g.err
			}
		}
	}
	return found, nil
}

// scoreTerm adds the score of one term to sum, and counts it, for the
// documents of docs (the array of m) that have it.
func scoreTerm(pl segment.PostingsList, m *roaring.Bitmap, docs []uint32, weight float64, sum []float64, count []int32) error {
	it := pl.Iterator(true, true, false, nil)
	if o, ok := it.(segment.OptimizablePostingsIterator); ok {
		if bm := o.ActualBitmap(); bm != nil {
			// Visit only the documents that matched: the iterator skips
			// the frequencies and norms of the others chunk by chunk.
			o.ReplaceActual(roaring.And(bm, m))
		}
	}
	j := 0
	for {
		p, err := it.Next()
		if err != nil || p == nil {
			return err
		}
		d := uint32(p.Number())
		for j < len(docs) && docs[j] < d {
			j++
		}
		if j == len(docs) {
			return nil
		}
		if docs[j] != d {
			continue
		}
		tf := float64(p.Frequency())
		sum[j] += math.Sqrt(tf) * p.Norm() * weight
		count[j]++
	}
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}
