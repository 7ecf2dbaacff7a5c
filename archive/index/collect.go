package index

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// The index collects hits itself rather than through Bleve's collector.
// Bleve's collector reads, for every document a query matches, the doc
// values of the fields it sorts and counts by; on a query that matches most
// of a large archive that costs more than finding the documents. Here the
// facet values, ids and archive times of all the documents of a snapshot of
// the index are read once into arrays indexed by document number (a view),
// and every later query on that snapshot looks them up. A snapshot changes
// when documents are put or deleted and when Bleve merges segments; the
// first query after that builds the new view.

const (
	kindYear = iota
	kindType
	kindAgency
	nKinds
)

var kindNames = [nKinds]string{facetYear, facetType, facetAgency}

// view is what the collector knows of every document of one snapshot, by
// document number.
type view struct {
	snap   *scorch.IndexSnapshot
	values [nKinds][]string // facet value by ordinal-1
	ords   [nKinds][]int32  // ordinal of each document's value; 0 for none

	once     sync.Once // ids and archived, built when first needed
	ids      []string
	archived []int64
	err      error
}

// views keeps the view of the latest snapshot.
type views struct {
	mu   sync.Mutex
	last *view
}

// of returns the view of snap, building it if snap is new.
func (vs *views) of(snap *scorch.IndexSnapshot) (*view, error) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if vs.last != nil && vs.last.snap == snap {
		return vs.last, nil
	}
	v := &view{snap: snap}
	if err := v.buildFacets(); err != nil {
		return nil, err
	}
	vs.last = v
	return v, nil
}

func (v *view) buildFacets() error {
	dict, err := v.snap.FieldDict(fFacets)
	if err != nil {
		return err
	}
	defer dict.Close()
	var tfd bleveindex.TermFieldDoc
	for {
		e, err := dict.Next()
		if err != nil {
			return err
		}
		if e == nil {
			return nil
		}
		k := kindOf(e.Term)
		if k < 0 {
			continue
		}
		_, value, _ := strings.Cut(e.Term, "=")
		v.values[k] = append(v.values[k], value)
		ord := int32(len(v.values[k]))
		tfr, err := v.snap.TermFieldReader(context.Background(), []byte(e.Term), fFacets, false, false, false)
		if err != nil {
			return err
		}
		for {
			d, err := tfr.Next(&tfd)
			if err != nil {
				tfr.Close()
				return err
			}
			if d == nil {
				break
			}
			n := d.ID.Value()
			v.ords[k] = grow(v.ords[k], n)
			v.ords[k][n] = ord
		}
		if err := tfr.Close(); err != nil {
			return err
		}
	}
}

func kindOf(term string) int {
	name, _, _ := strings.Cut(term, "=")
	for k, n := range kindNames {
		if n == name {
			return k
		}
	}
	return -1
}

// grow returns s long enough to index n.
func grow[T any](s []T, n uint64) []T {
	if n < uint64(len(s)) {
		return s
	}
	return append(s, make([]T, int(n)+1-len(s))...)
}

// buildDocs reads the id and archive time of every document.
func (v *view) buildDocs() error {
	v.once.Do(func() {
		ids, err := v.snap.DocIDReaderAll()
		if err != nil {
			v.err = err
			return
		}
		defer ids.Close()
		dvr, err := v.snap.DocValueReader([]string{fID, fArchived})
		if err != nil {
			v.err = err
			return
		}
		var n uint64
		visit := func(field string, term []byte) {
			switch field {
			case fID:
				v.ids[n] = string(term)
			case fArchived:
				if ok, shift := numeric.ValidPrefixCodedTermBytes(term); ok && shift == 0 {
					v.archived[n], _ = numeric.PrefixCoded(term).Int64()
				}
			}
		}
		for {
			id, err := ids.Next()
			if err != nil {
				v.err = err
				return
			}
			if id == nil {
				return
			}
			n = id.Value()
			v.ids, v.archived = grow(v.ids, n), grow(v.archived, n)
			if err := dvr.VisitDocValues(id, visit); err != nil {
				v.err = err
				return
			}
		}
	})
	return v.err
}

func (v *view) id(n uint64) string {
	if n < uint64(len(v.ids)) {
		return v.ids[n]
	}
	return ""
}

func (v *view) archivedAt(n uint64) int64 {
	if n < uint64(len(v.archived)) {
		return v.archived[n]
	}
	return 0
}

// order is how hits are ranked.
type order int

const (
	byScore    order = iota // highest score first, then id
	byArchived              // most recently archived first, then id
)

// ref is a document a query matched.
type ref struct {
	num   uint64
	score float64
}

// collected is what a query found.
type collected struct {
	total  uint64
	hits   []ref // the best k, best first
	counts [nKinds][]int
}

// gatherer counts the documents a query matches by facet value and keeps
// the k best in the given order.
type gatherer struct {
	out collected
	h   *refHeap
	k   int
	err error
}

func newGatherer(v *view, ord order, k int) (*gatherer, error) {
	g := &gatherer{h: &refHeap{v: v, ord: ord}, k: k}
	for kd := range nKinds {
		g.out.counts[kd] = make([]int, len(v.values[kd])+1)
	}
	if ord == byArchived {
		if err := v.buildDocs(); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// add counts r and keeps it if it is among the k best so far.
func (g *gatherer) add(r ref) {
	g.out.total++
	v := g.h.v
	for kd := range nKinds {
		if r.num < uint64(len(v.ords[kd])) {
			g.out.counts[kd][v.ords[kd][r.num]]++
		}
	}
	h := g.h
	switch {
	case g.k <= 0:
	case h.Len() < g.k:
		heap.Push(h, r)
	case h.better(r, h.refs[0]):
		h.refs[0] = r
		heap.Fix(h, 0)
	}
	if h.err != nil {
		g.err = h.err
	}
}

// done returns what was gathered, the hits best first.
func (g *gatherer) done() (collected, error) {
	if g.err != nil {
		return g.out, g.err
	}
	g.out.hits = make([]ref, g.h.Len())
	for i := len(g.out.hits) - 1; i >= 0; i-- {
		g.out.hits[i] = heap.Pop(g.h).(ref)
	}
	return g.out, g.h.err
}

// collect runs q on the view's snapshot, counting every match by facet
// value and keeping the k best in the given order.
func (ix *Index) collect(v *view, q query.Query, ord order, k int) (collected, error) {
	g, err := newGatherer(v, ord, k)
	if err != nil {
		return collected{}, err
	}
	ctx := context.Background()
	sr, err := q.Searcher(ctx, v.snap, ix.b.Mapping(), search.SearcherOptions{})
	if err != nil {
		return collected{}, err
	}
	defer sr.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(sr.DocumentMatchPoolSize()+1, 0), IndexReader: v.snap}
	for {
		dm, err := sr.Next(sctx)
		if err != nil {
			return collected{}, err
		}
		if dm == nil {
			break
		}
		r := ref{num: dm.IndexInternalID.Value(), score: dm.Score}
		sctx.DocumentMatchPool.Put(dm)
		if g.add(r); g.err != nil {
			return collected{}, g.err
		}
	}
	return g.done()
}

// refHeap keeps the k best refs with the worst on top.
type refHeap struct {
	v    *view
	ord  order
	refs []ref
	err  error
}

// better reports whether a ranks before b. Ties are broken by document id,
// so that the order does not depend on where Bleve put the documents.
func (h *refHeap) better(a, b ref) bool {
	switch h.ord {
	case byScore:
		if a.score != b.score {
			return a.score > b.score
		}
		if err := h.v.buildDocs(); err != nil {
			h.err = err
			return false
		}
	case byArchived:
		if ta, tb := h.v.archivedAt(a.num), h.v.archivedAt(b.num); ta != tb {
			return ta > tb
		}
	}
	return h.v.id(a.num) < h.v.id(b.num)
}

func (h *refHeap) Len() int           { return len(h.refs) }
func (h *refHeap) Less(i, j int) bool { return h.better(h.refs[j], h.refs[i]) }
func (h *refHeap) Swap(i, j int)      { h.refs[i], h.refs[j] = h.refs[j], h.refs[i] }
func (h *refHeap) Push(x any)         { h.refs = append(h.refs, x.(ref)) }
func (h *refHeap) Pop() any {
	r := h.refs[len(h.refs)-1]
	h.refs = h.refs[:len(h.refs)-1]
	return r
}

// facets turns counts into facets, most frequent first, then by value; at
// most facetSize each.
func (v *view) facets(counts [nKinds][]int) map[string][]Facet {
	out := map[string][]Facet{}
	for kd := range nKinds {
		fs := []Facet{}
		for o, n := range counts[kd] {
			if o > 0 && n > 0 {
				fs = append(fs, Facet{Value: v.values[kd][o-1], Count: n})
			}
		}
		sortFacets(fs)
		out[kindNames[kd]] = fs[:min(len(fs), facetSize)]
	}
	return out
}

// load reads the stored document of each hit.
func (v *view) load(refs []ref) ([]Doc, error) {
	docs := make([]Doc, len(refs))
	buf := make(bleveindex.IndexInternalID, 8)
	for i, r := range refs {
		id, err := v.snap.ExternalID(bleveindex.NewIndexInternalID(buf, r.num))
		if err != nil {
			return nil, err
		}
		d, err := v.snap.Document(id)
		if err != nil {
			return nil, err
		}
		if d == nil {
			return nil, fmt.Errorf("document %s vanished", id)
		}
		f := map[string]any{}
		d.VisitFields(func(fl bleveindex.Field) {
			if n := fl.Name(); n == fDoc || n == fText {
				f[n] = string(fl.Value())
			}
		})
		if docs[i], err = docOf(f); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
	}
	return docs, nil
}

// snapshot returns the current snapshot of the index, to be closed after
// use.
func (ix *Index) snapshot() (*scorch.IndexSnapshot, error) {
	adv, err := ix.b.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		r.Close()
		return nil, errors.New("not a scorch index")
	}
	return snap, nil
}
