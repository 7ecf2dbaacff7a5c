package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/sohoa/sohoa/archive/docmeta"
	"github.com/sohoa/sohoa/viet"
)

// ErrOutdated is returned (wrapped) by Open when the index on disk was
// written by a version of this package with another schema: remove it and
// rebuild it from the bucket.
var ErrOutdated = errors.New("index built by another version of sohoa: remove it and rebuild it (sohoa reindex)")

// schema names the fields and analyzers of this file. Change it whenever
// they change, so that Open refuses an index it would misread.
const schema = "sohoa.index/3"

var schemaKey = []byte("sohoa.schema")

// Doc is one archived document as the index keeps it. Every field is
// stored, so a search answers without reading the bucket.
type Doc struct {
	ID          string    `json:"id"`
	DocNumber   string    `json:"doc_number"` // số và ký hiệu, canonical: 15/2020/QĐ-UBND
	Number      string    `json:"number"`     // số: "15"; Put fills it from DocNumber when empty
	Symbol      string    `json:"symbol"`     // ký hiệu: "2020/QĐ-UBND"; likewise
	Date        string    `json:"date"`       // 2020-02-10
	Year        int       `json:"year"`       // Put fills it from Date when zero
	Type        string    `json:"type"`
	Agency      string    `json:"agency"`
	Subject     string    `json:"subject"`
	Text        string    `json:"text"`
	SourceName  string    `json:"source_name"`
	SHA256      string    `json:"sha256"`
	Key         string    `json:"key"`
	Version     int       `json:"version,omitempty"` // of the archive record
	Pages       int       `json:"pages"`
	NeedsReview bool      `json:"needs_review"`
	Created     time.Time `json:"created"`
	Archived    time.Time `json:"archived"`
}

// Index is an open search index. It is safe for concurrent use.
type Index struct {
	b         bleve.Index
	views     views
	closeOnce sync.Once
	closeErr  error
}

// Field names. See the package documentation for what each holds.
const (
	fID         = "id"
	fDoc        = "doc"
	fText       = "text"
	fTextFold   = "text_fold"
	fPairs      = "pairs"
	fHead       = "head"
	fHeadFold   = "head_fold"
	fNumberKey  = "number_key"
	fFacets     = "facets"
	fTypeKey    = "type_key"
	fAgencyKey  = "agency_key"
	fReview     = "review"
	fArchived   = "archived"
	facetYear   = "year"
	facetType   = "type"
	facetAgency = "agency"
)

// entry is a Doc as Bleve indexes it: field (property path) → value.
// Empty values are left out, so that they are neither terms nor facet
// values.
type entry map[string]any

func newMapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
	if err := addAnalyzers(im); err != nil {
		return nil, err
	}
	// field returns a mapping that does only what is asked: Bleve's
	// defaults would also copy every field into a composite "_all" field
	// and keep doc values (an uninverted copy) of every text.
	type opt int
	const (
		store opt = 1 << iota
		vectors
		docValues
	)
	field := func(name, typ, analyzer string, o opt) *mapping.FieldMapping {
		return &mapping.FieldMapping{
			Name: name, Type: typ, Analyzer: analyzer, Index: true,
			Store: o&store != 0, IncludeTermVectors: o&vectors != 0, DocValues: o&docValues != 0,
		}
	}
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fDoc, &mapping.FieldMapping{Name: fDoc, Type: "text", Analyzer: keyword.Name, Store: true})
	// Phrases are matched as pairs in a row (see phraseQuery), so the
	// pairs keep their positions and the folded text does not: a pair is
	// in far fewer documents than either of its words, and its positions
	// are read for far fewer of them. The head's folded words keep theirs,
	// few, for the bonus of a phrase in the head.
	dm.AddFieldMappingsAt(fText,
		field(fText, "text", analyzerExact, store),
		field(fTextFold, "text", analyzerFold, 0),
		field(fPairs, "text", analyzerPairs, vectors))
	dm.AddFieldMappingsAt(fHead,
		field(fHead, "text", analyzerExact, 0),
		field(fHeadFold, "text", analyzerFold, vectors),
		field(fPairs, "text", analyzerHeadPairs, vectors))
	// Facets are counted from their postings (view.buildFacets), never
	// from doc values; ids and archive times are read from doc values.
	for _, name := range []string{fNumberKey, fTypeKey, fAgencyKey, fFacets} {
		dm.AddFieldMappingsAt(name, field(name, "text", keyword.Name, 0))
	}
	dm.AddFieldMappingsAt(fID, field(fID, "text", keyword.Name, docValues))
	dm.AddFieldMappingsAt(fReview, field(fReview, "boolean", "", 0))
	dm.AddFieldMappingsAt(fArchived, field(fArchived, "datetime", "", docValues))
	im.DefaultMapping = dm
	im.DefaultAnalyzer = analyzerExact
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	return im, nil
}

// Open opens the index in dir, creating it if the folder does not exist.
// An index written with another schema is not opened: the error wraps
// ErrOutdated.
func Open(dir string) (*Index, error) {
	b, err := bleve.Open(dir)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		m, merr := newMapping()
		if merr != nil {
			return nil, fmt.Errorf("index: mapping: %w", merr)
		}
		if b, err = bleve.New(dir, m); err == nil {
			err = b.SetInternal(schemaKey, []byte(schema))
		}
	}
	if err != nil {
		if b != nil {
			_ = b.Close()
		}
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	got, err := b.GetInternal(schemaKey)
	if err == nil && string(got) != schema {
		err = ErrOutdated
	}
	if err != nil {
		_ = b.Close()
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	return &Index{b: b}, nil
}

// Remove deletes the index in dir (to rebuild it). The index must not be
// open.
func Remove(dir string) error { return os.RemoveAll(dir) }

// Close closes the index. Closing it again does nothing.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() { ix.closeErr = ix.b.Close() })
	return ix.closeErr
}

// Put adds or replaces a document. It fills in d's Year from Date, and
// Number and Symbol from DocNumber, when they are empty. Putting the same
// document twice is the same as putting it once.
func (ix *Index) Put(d Doc) error {
	e, err := entryOf(d)
	if err == nil {
		err = ix.b.Index(d.ID, e)
	}
	if err != nil {
		return fmt.Errorf("index: put %s: %w", d.ID, err)
	}
	return nil
}

// PutBatch adds or replaces documents in one batch: much faster than one
// Put each when (re)building an index. A document that appears twice is
// indexed as its last appearance.
func (ix *Index) PutBatch(docs []Doc) error {
	b := ix.b.NewBatch()
	for _, d := range docs {
		e, err := entryOf(d)
		if err == nil {
			err = b.Index(d.ID, e)
		}
		if err != nil {
			return fmt.Errorf("index: put %s: %w", d.ID, err)
		}
	}
	if err := ix.b.Batch(b); err != nil {
		return fmt.Errorf("index: put %d documents: %w", len(docs), err)
	}
	return nil
}

// Delete removes a document. Deleting a missing document is not an error.
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
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery([]string{id}), 1, 0, false)
	req.Fields = []string{fDoc, fText}
	res, err := ix.b.Search(req)
	if err != nil {
		return Doc{}, false, fmt.Errorf("index: get %s: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return Doc{}, false, nil
	}
	d, err := docOf(res.Hits[0].Fields)
	if err != nil {
		return Doc{}, false, fmt.Errorf("index: get %s: %w", id, err)
	}
	return d, true, nil
}

// entryOf fills in d's derived fields and returns what Bleve indexes.
func entryOf(d Doc) (entry, error) {
	if d.ID == "" {
		return nil, errors.New("document without id")
	}
	if d.Year == 0 && len(d.Date) >= 4 {
		d.Year, _ = strconv.Atoi(d.Date[:4])
	}
	if (d.Number == "" || d.Symbol == "") && d.DocNumber != "" {
		if n, s, ok := docmeta.ParseNumber(d.DocNumber); ok {
			d.Number, d.Symbol = n, s
		}
	}
	text := d.Text
	d.Text = ""
	blob, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	e := entry{fID: d.ID, fDoc: string(blob), fReview: d.NeedsReview}
	set := func(field, v string) {
		if v != "" {
			e[field] = v
		}
	}
	set(fText, text)
	set(fHead, strings.TrimSpace(strings.Join([]string{d.Subject, d.DocNumber, d.Type, d.Agency, d.SourceName}, "\n")))
	set(fNumberKey, docNumberKey(d))
	set(fTypeKey, filterKey(d.Type))
	set(fAgencyKey, filterKey(d.Agency))
	var facets []string
	if d.Year > 0 {
		facets = append(facets, facetYear+"="+strconv.Itoa(d.Year))
	}
	if v := facetValue(d.Type); v != "" {
		facets = append(facets, facetType+"="+v)
	}
	if v := facetValue(d.Agency); v != "" {
		facets = append(facets, facetAgency+"="+v)
	}
	if len(facets) > 0 {
		e[fFacets] = facets
	}
	if !d.Archived.IsZero() {
		e[fArchived] = d.Archived
	}
	return e, nil
}

func docOf(f map[string]any) (Doc, error) {
	blob, _ := f[fDoc].(string)
	var d Doc
	if err := json.Unmarshal([]byte(blob), &d); err != nil {
		return Doc{}, fmt.Errorf("stored document: %w", err)
	}
	d.Text, _ = f[fText].(string)
	return d, nil
}

// numberKey is the form under which document numbers are compared: number
// without leading zeros, a slash, the symbol folded (QĐ → qd, lower case):
// 15/2020/QĐ-UBND, 15/2020/qd-ubnd and "15 / 2020 / QD – UBND" (once
// canonicalised by docmeta.ParseNumber) are all "15/2020/qd-ubnd"; 07/CT-UBND
// is "7/ct-ubnd"; a party number 123-QĐ/HU is "123/qd/hu".
func numberKey(number, symbol string) string {
	n := strings.TrimLeft(number, "0")
	if n == "" {
		n = "0"
	}
	return n + "/" + viet.Fold(symbol)
}

// docNumberKey is the number key of a document: from its number and
// symbol, or, when docmeta cannot read its DocNumber, the DocNumber folded
// without spaces.
func docNumberKey(d Doc) string {
	if d.Number != "" && d.Symbol != "" {
		return numberKey(d.Number, d.Symbol)
	}
	if d.DocNumber == "" {
		return ""
	}
	return strings.Join(strings.Fields(viet.Fold(d.DocNumber)), "")
}

// facetValue is the form under which a type or an agency is counted and
// shown in facets: NFC, spaces collapsed, upper case, tone marks in the
// agreed place, so that "Ủy ban nhân dân" and "UỶ BAN NHÂN DÂN" are one
// value: "ỦY BAN NHÂN DÂN".
func facetValue(s string) string {
	ws := strings.Fields(strings.ToUpper(viet.Normalize(s)))
	for i, w := range ws {
		ws[i] = viet.CanonTones(w)
	}
	return strings.Join(ws, " ")
}

// filterKey is the form under which Query.Type and Query.Agency are
// compared with a document's: folded, spaces collapsed, so that a filter
// forgives case, diacritics and spacing.
func filterKey(s string) string {
	return strings.Join(strings.Fields(viet.Fold(s)), " ")
}
