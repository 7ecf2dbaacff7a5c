package archive

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sohoa/sohoa/archive/docmeta"
	"github.com/sohoa/sohoa/archive/pdf"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/pipeline"
)

// Mending a split. A stack cut where it should not have been, or a
// document scanned in two files, is mended by an archivist:
//
//   - Split: the pages of a document from one on become a new document
//     (its own id, key, PDF and record, in the review queue, its number and
//     date read from its first page's text), and the document keeps the
//     pages before in a new version.
//   - Merge: the pages of another document are appended to a document's,
//     in a new version of it; the other gets a last version that says where
//     its pages went, and leaves the index.
//
// Nothing is overwritten: each is new versions, made as a correction's are
// (newVersion), and every version before stays where it was, with its PDF.
// The pages are copied from the PDFs as they are (pdf.Assemble): image and
// text layer, byte for byte. Each record says what was done in Mends, and
// which pages of which original it holds (Source, Merged).

// ErrMerged: the document was merged into another, whose id the error (a
// *MergedError) gives. It is also an ErrNotFound: the document as such is
// no longer in the archive's index.
var ErrMerged = errors.New("archive: the document was merged into another")

// MergedError is ErrMerged with the document that holds the pages now.
type MergedError struct{ ID, Into string }

func (e *MergedError) Error() string {
	return fmt.Sprintf("archive: document %s was merged into %s", e.ID, e.Into)
}

func (e *MergedError) Is(target error) bool { return target == ErrMerged || target == ErrNotFound }

// MergedPrefix is where the archive notes, per document merged into
// another, where its pages went: gop/<id>, a JSON forward (no .json
// extension: it is not a record).
const MergedPrefix = "gop/"

// forward is the note at MergedPrefix+id.
type forward struct {
	Schema string    `json:"schema"`
	ID     string    `json:"id"`
	Into   string    `json:"into"`
	Record string    `json:"record"` // the key of the merged document's last version
	At     time.Time `json:"at"`
}

const forwardSchema = "sohoa.merged/1"

// mergedInto reads where document id's pages went, if it was merged.
func (a *Archive) mergedInto(ctx context.Context, id string) (string, bool) {
	data, err := a.store.Get(ctx, MergedPrefix+id)
	if err != nil {
		return "", false
	}
	var f forward
	if json.Unmarshal(data, &f) != nil || f.Schema != forwardSchema || f.Into == "" {
		return "", false
	}
	return f.Into, true
}

// reasonSplit is the review reason of a document split off another.
const reasonSplit = "Văn bản tách ra từ văn bản %s (trang %s): số, ngày và các trường khác được đọc lại từ trang đầu của nó, hãy kiểm tra."

// origin is where one page of a version comes from: its source (-1 for
// Record.Source, else an index into Record.Merged) and its page there.
type origin struct{ src, page int }

// origins lists where each page of rec's PDF comes from.
func origins(rec *Record) ([]origin, error) {
	var os []origin
	merged := 0
	for _, m := range rec.Merged {
		merged += len(m.Pages)
	}
	own := rec.Source.Pages
	if len(own) == 0 {
		for p := 1; len(own) < rec.Pages-merged; p++ {
			if !slices.Contains(rec.BlankPages, p) {
				own = append(own, p)
			}
		}
	}
	for _, p := range own {
		os = append(os, origin{-1, p})
	}
	for i, m := range rec.Merged {
		for _, p := range m.Pages {
			os = append(os, origin{i, p})
		}
	}
	if len(os) != rec.Pages {
		return nil, fmt.Errorf("archive: the record of %s names %d pages of its originals for its %d pages", rec.ID, len(os), rec.Pages)
	}
	return os, nil
}

// sourcesOf gives the originals of the pages keep (a part of all, rec's
// pages) as a record holds them: the first one's original as its Source,
// with its blank pages, and the others as Merged. A blank page of an
// original goes with the page of it before it (or with its first page,
// if none is before).
func sourcesOf(rec *Record, all, keep []origin) (Source, []int, []MergedSource) {
	type group struct {
		src   int
		pages []int
	}
	var gs []group
	for _, o := range keep {
		if len(gs) == 0 || gs[len(gs)-1].src != o.src {
			gs = append(gs, group{src: o.src})
		}
		gs[len(gs)-1].pages = append(gs[len(gs)-1].pages, o.page)
	}
	blanks := func(src int) []int {
		if src < 0 {
			return rec.BlankPages
		}
		return rec.Merged[src].BlankPages
	}
	// anchor is the page of src a blank page of it goes with.
	anchor := func(src, blank int) int {
		before, lowest := 0, 0
		for _, o := range all {
			if o.src != src {
				continue
			}
			if o.page < blank && o.page > before {
				before = o.page
			}
			if lowest == 0 || o.page < lowest {
				lowest = o.page
			}
		}
		return cmp.Or(before, lowest)
	}
	var first Source
	var firstBlank []int
	var merged []MergedSource
	for i, g := range gs {
		s := rec.Source
		if g.src >= 0 {
			s = rec.Merged[g.src].Source
		}
		s.Pages = g.pages
		var bl []int
		for _, b := range blanks(g.src) {
			if slices.Contains(g.pages, anchor(g.src, b)) {
				bl = append(bl, b)
			}
		}
		if i == 0 {
			first, firstBlank = s, bl
			continue
		}
		merged = append(merged, MergedSource{Source: s, BlankPages: bl})
	}
	return first, firstBlank, merged
}

// pageTexts splits a record's text into its pages.
func pageTexts(rec *Record) []string {
	ts := strings.Split(rec.Text, "\n\f\n")
	if len(ts) != rec.Pages {
		return nil
	}
	return ts
}

// span is the pages from..to.
func span(from, to int) []int {
	var ps []int
	for p := from; p <= to; p++ {
		ps = append(ps, p)
	}
	return ps
}

// pageRange writes pages as "3–5", or "3" for one.
func pageRange(ps []int) string {
	if len(ps) == 1 {
		return fmt.Sprint(ps[0])
	}
	return fmt.Sprintf("%d–%d", ps[0], ps[len(ps)-1])
}

// SplitID is the id of the document split off version v of document id
// at page: the same split made again is the same document.
func SplitID(id string, v, page int) string {
	return pipeline.DocID(sha256.Sum256(fmt.Appendf(nil, "sohoa split %s version %d page %d", id, v, page)))
}

// Split splits document id before page (of its latest version, from 1,
// after the first): the pages from it on become a new document, and id
// keeps those before in a new version. It returns both records. by (who
// splits) is required; note is kept in the history. The new document is
// in the review queue: its fields are read from its first page's text
// layer, without the OCR's confidences or the handwritten blanks' images.
// A split cut short (the process died) is finished by making it again.
func (a *Archive) Split(ctx context.Context, id string, page int, by, note string) (kept, off *Record, err error) {
	if strings.TrimSpace(by) == "" {
		return nil, nil, fmt.Errorf("%w: who splits must be given", ErrInvalid)
	}
	defer a.corrections.lock(id)()
	old, err := a.Record(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if page < 2 || page > old.Pages {
		return nil, nil, fmt.Errorf("%w: a document of %d pages is split before one of its pages 2–%d, not %d", ErrInvalid, old.Pages, old.Pages, page)
	}
	all, err := origins(old)
	if err != nil {
		return nil, nil, err
	}
	src, err := a.store.Get(ctx, old.PDF.Key)
	if err != nil {
		return nil, nil, err
	}
	now := time.Now().UTC()
	moved := span(page, old.Pages)
	texts := pageTexts(old)

	// The new document: the pages from page on.
	pts, err := pdf.ReadText(src, moved)
	if err != nil {
		return nil, nil, err
	}
	meta := docmeta.ExtractIn(pts, docmeta.Context{Taken: old.Created})
	o := &Record{
		Schema: SchemaVersion, ID: SplitID(id, old.Version, page), Version: 1,
		DocNumber: meta.DocNumber, Number: meta.Number, Symbol: meta.Symbol, Date: meta.Date,
		Type: meta.Type, Agency: meta.Agency, Parent: meta.Parent, Subject: meta.Subject, Place: meta.Place,
		Language: "vi", Pages: len(moved), NeedsReview: true, Confidence: meta.Confidence,
		Review:   append([]string{fmt.Sprintf(reasonSplit, cmp.Or(old.DocNumber, old.ID), pageRange(moved))}, meta.Review...),
		PageInfo: slices.Clone(old.PageInfo[page-1:]),
		Stack:    old.Stack,
		Created:  old.Created, Archived: now,
		MadeBy: MadeBy{Sohoa: Version, OCR: old.MadeBy.OCR},
		Mends:  []Mend{{Kind: MendSplitFrom, Version: 1, Other: id, OtherVersion: old.Version, Pages: moved, By: by, At: now, Note: note}},
	}
	if texts != nil {
		o.Text = strings.Join(texts[page-1:], "\n\f\n")
	} else {
		var ts []string
		for _, pt := range pts {
			ts = append(ts, pt.Text())
		}
		o.Text = strings.Join(ts, "\n\f\n")
	}
	o.Source, o.BlankPages, o.Merged = sourcesOf(old, all, all[page-1:])
	if err := a.assembleVersion(ctx, o, []pdf.Part{{PDF: src, Pages: moved}}); err != nil {
		return nil, nil, err
	}
	o.sharedSource = true // the original stays where it is, the old document's
	if off, err = a.commit(ctx, o); err != nil {
		return nil, nil, err
	}
	if err := a.q.PublishArchived(ctx, pipeline.Archived{
		ID: off.ID, DocNumber: off.DocNumber, Key: off.PDF.Key, Bucket: a.bucket, SHA256: off.PDF.SHA256, Pages: off.Pages,
	}); err != nil {
		a.log.Warn("a document split off another not announced", "doc", off.ID, "err", err)
	}

	// The document: the pages before.
	rec := *old
	rec.Version, rec.Previous = old.Version+1, SidecarKey(old.PDF.Key)
	rec.Pages, rec.PageInfo = page-1, slices.Clone(old.PageInfo[:page-1])
	if texts != nil {
		rec.Text = strings.Join(texts[:page-1], "\n\f\n")
	}
	rec.Source, rec.BlankPages, rec.Merged = sourcesOf(old, all, all[:page-1])
	rec.Mends = append(slices.Clone(old.Mends), Mend{Kind: MendSplit, Version: rec.Version, Other: off.ID, OtherVersion: 1, Pages: moved, By: by, At: now, Note: note})
	rec.Archived, rec.MadeBy.Sohoa = now, Version
	if err := a.assembleVersion(ctx, &rec, []pdf.Part{{PDF: src, Pages: span(1, page-1)}}); err != nil {
		return nil, nil, err
	}
	if kept, err = a.newVersion(ctx, &rec, rec.pdf, by); err != nil {
		return nil, nil, err
	}
	a.log.Info("split", "doc", id, "version", kept.Version, "at_page", page, "off", off.ID, "by", by)
	return kept, off, nil
}

// Merge appends the pages of document other (of its latest version) to
// those of document id, in a new version of id, and returns it. other
// then has a last version that says so (MergedInto), leaves the index,
// and Record of it gives ErrMerged. A merge cut short (the process died)
// is finished by making it again.
func (a *Archive) Merge(ctx context.Context, id, other, by, note string) (*Record, error) {
	if strings.TrimSpace(by) == "" {
		return nil, fmt.Errorf("%w: who merges must be given", ErrInvalid)
	}
	if id == other {
		return nil, fmt.Errorf("%w: a document is not merged with itself", ErrInvalid)
	}
	first, second := min(id, other), max(id, other)
	defer a.corrections.lock(first)()
	defer a.corrections.lock(second)()
	old, err := a.Record(ctx, id)
	if err != nil {
		return nil, err
	}
	b, err := a.Record(ctx, other)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	made := old
	if n := len(old.Mends); n == 0 || old.Mends[n-1].Kind != MendMerge || old.Mends[n-1].Other != other || old.Mends[n-1].OtherVersion != b.Version {
		bo, err := origins(b)
		if err != nil {
			return nil, err
		}
		srcA, err := a.store.Get(ctx, old.PDF.Key)
		if err != nil {
			return nil, err
		}
		srcB, err := a.store.Get(ctx, b.PDF.Key)
		if err != nil {
			return nil, err
		}
		rec := *old
		rec.Version, rec.Previous = old.Version+1, SidecarKey(old.PDF.Key)
		rec.Pages = old.Pages + b.Pages
		rec.PageInfo = append(slices.Clone(old.PageInfo), b.PageInfo...)
		rec.Text = old.Text + "\n\f\n" + b.Text
		bs, bblank, bmerged := sourcesOf(b, bo, bo)
		rec.Merged = append(append(slices.Clone(old.Merged), MergedSource{Source: bs, BlankPages: bblank}), bmerged...)
		rec.Mends = append(slices.Clone(old.Mends), Mend{Kind: MendMerge, Version: rec.Version, Other: other, OtherVersion: b.Version,
			Pages: span(old.Pages+1, rec.Pages), By: by, At: now, Note: note})
		rec.Archived, rec.MadeBy.Sohoa = now, Version
		if err := a.assembleVersion(ctx, &rec, []pdf.Part{{PDF: srcA, Pages: span(1, old.Pages)}, {PDF: srcB, Pages: span(1, b.Pages)}}); err != nil {
			return nil, err
		}
		if made, err = a.newVersion(ctx, &rec, rec.pdf, by); err != nil {
			return nil, err
		}
	}
	if err := a.retire(ctx, b, made, by, note, now); err != nil {
		return nil, err
	}
	a.log.Info("merged", "doc", id, "version", made.Version, "merged", other, "by", by)
	return made, nil
}

// retire gives document b, merged into made, its last version, notes
// where it went, and takes it out of the index.
func (a *Archive) retire(ctx context.Context, b, made *Record, by, note string, now time.Time) error {
	r := *b
	r.Version, r.Previous = b.Version+1, SidecarKey(b.PDF.Key)
	r.MergedInto = made.ID
	r.Mends = append(slices.Clone(b.Mends), Mend{Kind: MendMergedInto, Version: r.Version, Other: made.ID, OtherVersion: made.Version,
		Pages: span(made.Pages-b.Pages+1, made.Pages), By: by, At: now, Note: note})
	r.Archived = now
	// Its PDF stays the version before's: the record is the last word.
	key := ObjectKey(BaseKey(b.Agency, b.Date, b.DocNumber, b.ID), r.Version, "json")
	if err := a.createRecord(ctx, key, &r); errors.Is(err, objstore.ErrExists) {
		there, rerr := a.ReadRecord(ctx, key)
		if rerr != nil {
			return rerr
		}
		if there.MergedInto != made.ID {
			return ErrConflict
		}
	} else if err != nil {
		return err
	}
	f, err := json.Marshal(forward{Schema: forwardSchema, ID: b.ID, Into: made.ID, Record: key, At: now})
	if err != nil {
		return err
	}
	if err := a.store.Create(ctx, MergedPrefix+b.ID, f, "application/json"); err != nil && !errors.Is(err, objstore.ErrExists) {
		return err
	}
	return a.index.Delete(b.ID)
}

// assembleVersion makes rec's PDF of parts, with rec's metadata, signed
// as every PDF the archive stores, and names it in rec (rec.PDF, at the
// key of rec's version).
func (a *Archive) assembleVersion(ctx context.Context, rec *Record, parts []pdf.Part) error {
	var out bytes.Buffer
	info := pdf.Info{Title: rec.Subject, Identifier: rec.DocNumber, Language: "vi", Producer: "sohoa " + Version, Created: rec.Created}
	if err := pdf.Assemble(&out, parts, info); err != nil {
		return err
	}
	data, err := a.signed(ctx, out.Bytes())
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	base := BaseKey(rec.Agency, rec.Date, rec.DocNumber, rec.ID)
	rec.PDF = Object{Key: ObjectKey(base, rec.Version, "pdf"), SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	rec.pdf = data
	rec.fillTT02()
	return nil
}
