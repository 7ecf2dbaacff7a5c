// Package index is the archive's full-text search index: an embedded Bleve
// index under DATA/index. It is derived data: everything in it comes from
// the documents' JSON sidecars in the archive bucket, so it can always be
// deleted and rebuilt from the bucket.
//
// Text is indexed twice: as written (NFC, lower case) and folded (no
// diacritics, đ → d; package viet), so that "quyet dinh", "quyết định" and
// "QUYẾT ĐỊNH" all find a document, and a query typed with its diacritics
// ranks the documents that have exactly those higher.
//
// An Index is safe for concurrent use.
package index

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/sohoa/sohoa/viet"
)

// Doc is one archived document as the index keeps it. Every field is stored,
// so a search answers without reading the bucket.
type Doc struct {
	ID          string    `json:"id"`
	DocNumber   string    `json:"doc_number"`
	Date        string    `json:"date"`
	Type        string    `json:"type"`
	Agency      string    `json:"agency"`
	Subject     string    `json:"subject"`
	Text        string    `json:"text"`
	SourceName  string    `json:"source_name"`
	SHA256      string    `json:"sha256"`
	Key         string    `json:"key"`
	Pages       int       `json:"pages"`
	NeedsReview bool      `json:"needs_review"`
	Created     time.Time `json:"created"`
	Archived    time.Time `json:"archived"`
}

// Index is an open search index.
type Index struct {
	b bleve.Index
}

const (
	analyzerExact = "sohoa_vi_exact"
	analyzerFold  = "sohoa_vi_fold"
	filterNFC     = "sohoa_vi_nfc"
	filterFold    = "sohoa_vi_fold"
)

func init() {
	// Bleve keeps analysis components in a process-wide registry.
	must(registry.RegisterTokenFilter(filterNFC, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return mapFilter(viet.Normalize), nil
	}))
	must(registry.RegisterTokenFilter(filterFold, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return mapFilter(viet.Fold), nil
	}))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// mapFilter applies f to every token.
type mapFilter func(string) string

func (f mapFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = []byte(f(string(t.Term)))
	}
	return in
}

func newMapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomAnalyzer(analyzerExact, map[string]any{
		"type": custom.Name, "tokenizer": unicode.Name,
		"token_filters": []string{filterNFC, lowercase.Name},
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(analyzerFold, map[string]any{
		"type": custom.Name, "tokenizer": unicode.Name,
		"token_filters": []string{filterFold},
	}); err != nil {
		return nil, err
	}
	text := func(name, analyzer string, store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Name, f.Analyzer, f.Store, f.IncludeTermVectors = name, analyzer, store, true
		return f
	}
	kw := func(store bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer, f.Store = keyword.Name, store
		return f
	}
	dm := bleve.NewDocumentStaticMapping()
	for _, name := range []string{"text", "subject", "agency", "type"} {
		dm.AddFieldMappingsAt(name, text(name, analyzerExact, true), text(name+"_fold", analyzerFold, false))
	}
	dm.AddFieldMappingsAt("doc_number", text("doc_number", analyzerExact, true), text("doc_number_fold", analyzerFold, false))
	dm.AddFieldMappingsAt("source_name", text("source_name", analyzerFold, true))
	for _, name := range []string{"id", "date", "sha256", "key"} {
		dm.AddFieldMappingsAt(name, kw(true))
	}
	pages := bleve.NewNumericFieldMapping()
	dm.AddFieldMappingsAt("pages", pages)
	review := bleve.NewBooleanFieldMapping()
	dm.AddFieldMappingsAt("needs_review", review)
	for _, name := range []string{"created", "archived"} {
		dm.AddFieldMappingsAt(name, bleve.NewDateTimeFieldMapping())
	}
	im.DefaultMapping = dm
	im.DefaultAnalyzer = analyzerExact
	return im, nil
}

// Open opens the index in dir, creating it if the folder does not exist.
func Open(dir string) (*Index, error) {
	b, err := bleve.Open(dir)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		m, merr := newMapping()
		if merr != nil {
			return nil, fmt.Errorf("index: mapping: %w", merr)
		}
		b, err = bleve.New(dir, m)
	}
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	return &Index{b: b}, nil
}

// Remove deletes the index in dir (to rebuild it).
func Remove(dir string) error { return os.RemoveAll(dir) }

// Close closes the index.
func (ix *Index) Close() error { return ix.b.Close() }

// Put adds or replaces a document.
func (ix *Index) Put(d Doc) error {
	if err := ix.b.Index(d.ID, d); err != nil {
		return fmt.Errorf("index: put %s: %w", d.ID, err)
	}
	return nil
}

// Delete removes a document.
func (ix *Index) Delete(id string) error {
	if err := ix.b.Delete(id); err != nil {
		return fmt.Errorf("index: delete %s: %w", id, err)
	}
	return nil
}

// Count is the number of documents indexed.
func (ix *Index) Count() (uint64, error) { return ix.b.DocCount() }

// Get returns the document with the given id.
func (ix *Index) Get(id string) (Doc, bool, error) {
	q := bleve.NewDocIDQuery([]string{id})
	res, err := ix.search(q, 1, 0, nil)
	if err != nil || len(res.Docs) == 0 {
		return Doc{}, false, err
	}
	return res.Docs[0], true, nil
}

// Result is one page of search hits.
type Result struct {
	Total uint64
	Docs  []Doc
}

// Search finds documents matching q: words anywhere in the text, subject,
// number, agency and type, with or without diacritics. An empty q lists
// every document, most recently archived first.
func (ix *Index) Search(q string, limit, offset int) (Result, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return ix.search(bleve.NewMatchAllQuery(), limit, offset, []string{"-archived", "-_id"})
	}
	var any []query.Query
	for _, f := range []struct {
		field string
		boost float64
	}{
		{"doc_number", 8}, {"doc_number_fold", 6}, {"subject", 3}, {"subject_fold", 2},
		{"text", 1.5}, {"text_fold", 1}, {"agency", 1}, {"agency_fold", 0.8},
		{"type", 1}, {"type_fold", 0.8}, {"source_name", 1},
	} {
		m := bleve.NewMatchQuery(q)
		m.SetField(f.field)
		// Bleve looks analyzers up by property, not by field name: say
		// which one the query text goes through.
		m.Analyzer = analyzerExact
		if strings.HasSuffix(f.field, "_fold") || f.field == "source_name" {
			m.Analyzer = analyzerFold
		}
		m.SetBoost(f.boost)
		m.SetOperator(query.MatchQueryOperatorAnd)
		any = append(any, m)
	}
	return ix.search(bleve.NewDisjunctionQuery(any...), limit, offset, nil)
}

func (ix *Index) search(q query.Query, limit, offset int, sort []string) (Result, error) {
	if limit <= 0 {
		limit = 20
	}
	req := bleve.NewSearchRequestOptions(q, limit, offset, false)
	req.Fields = []string{"*"}
	if sort != nil {
		req.SortBy(sort)
	}
	res, err := ix.b.Search(req)
	if err != nil {
		return Result{}, fmt.Errorf("index: search: %w", err)
	}
	out := Result{Total: res.Total}
	for _, h := range res.Hits {
		out.Docs = append(out.Docs, docOf(h.ID, h.Fields))
	}
	return out, nil
}

func docOf(id string, f map[string]any) Doc {
	str := func(k string) string { s, _ := f[k].(string); return s }
	tm := func(k string) time.Time {
		t, _ := time.Parse(time.RFC3339, str(k))
		return t
	}
	d := Doc{
		ID: id, DocNumber: str("doc_number"), Date: str("date"), Type: str("type"), Agency: str("agency"),
		Subject: str("subject"), Text: str("text"), SourceName: str("source_name"), SHA256: str("sha256"),
		Key: str("key"), Created: tm("created"), Archived: tm("archived"),
	}
	if n, ok := f["pages"].(float64); ok {
		d.Pages = int(n)
	}
	d.NeedsReview, _ = f["needs_review"].(bool)
	return d
}
