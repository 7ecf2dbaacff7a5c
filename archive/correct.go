package archive

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/sohoa/sohoa/archive/docmeta"
	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/archive/pdf"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/viet"
)

// Errors of Correct that callers test for.
var (
	// ErrNotFound: no archived document has that id.
	ErrNotFound = errors.New("archive: no such document")
	// ErrInvalid: a corrected value is malformed (the error says which).
	ErrInvalid = errors.New("archive: invalid correction")
	// ErrConflict: someone else corrected the document at the same moment.
	ErrConflict = errors.New("archive: the document was corrected meanwhile")
	// ErrHeld: another correction holds the version this one would make —
	// one running in another process, or one cut short (its process died)
	// and still to be settled. The error is a *HeldError that says whose
	// it is and how long it may hold the document.
	ErrHeld = errors.New("archive: another correction holds the document")
)

// HeldError is ErrHeld with the correction that holds the document and
// the longest wait before it is settled, if it was cut short.
type HeldError struct {
	By    string
	Since time.Time
	Wait  time.Duration
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("%v: a correction by %q since %s (settled within %v if it was cut short)",
		ErrHeld, e.By, e.Since.Format(time.RFC3339), e.Wait.Round(time.Second))
}

func (e *HeldError) Is(target error) bool { return target == ErrHeld }

// Correction is what an archivist changes in a document's identity. Nil
// fields are left as they are; By (who corrects) is required.
type Correction struct {
	DocNumber *string
	Date      *string // YYYY-MM-DD
	Type      *string
	Agency    *string
	Subject   *string
	By        string
	Note      string
}

// Correct applies an archivist's correction to document id and returns
// the new version of its record. Nothing is overwritten: the new version
// has its own PDF (the same pages with its metadata rewritten, see
// pdf.Retitle) and its own record, under the key its corrected identity
// gives (agency, year, number), with the history of changes; the old
// version stays where it was. The index, the document's status and other
// systems (sohoa.events.corrected) learn of it. A correction that confirms
// the number and the date takes the document out of the review queue; it
// may give them unchanged (confirmed as read), and the history then has a
// Change with From equal to To for each. A correction that neither changes
// nor confirms anything returns the record as it was, with no new version.
func (a *Archive) Correct(ctx context.Context, id string, c Correction) (*Record, error) {
	if strings.TrimSpace(c.By) == "" {
		return nil, fmt.Errorf("%w: who corrects must be given", ErrInvalid)
	}
	// One correction of a document at a time in this process: each reads
	// the version the one before it made. Across processes the create-only
	// writes below decide.
	defer a.corrections.lock(id)()
	old, err := a.Record(ctx, id)
	if err != nil {
		return nil, err
	}
	rec := *old
	rec.Version, rec.Previous = old.Version+1, SidecarKey(old.PDF.Key)
	rec.Corrections = append([]Change(nil), old.Corrections...)
	rec.Confidence = map[string]float64{}
	for k, v := range old.Confidence {
		rec.Confidence[k] = v
	}
	now := time.Now().UTC()
	change := func(field string, dst *string, to string) {
		to = viet.Normalize(strings.Join(strings.Fields(to), " "))
		if to == *dst {
			return
		}
		rec.Corrections = append(rec.Corrections, Change{Version: rec.Version, Field: field, From: *dst, To: to, By: c.By, At: now, Note: c.Note})
		*dst = to
		rec.Confidence[field] = 1
	}
	if c.DocNumber != nil {
		n := strings.TrimSpace(*c.DocNumber)
		number, symbol := "", ""
		if n != "" {
			var ok bool
			number, symbol, ok = docmeta.ParseNumber(n)
			if !ok {
				return nil, fmt.Errorf("%w: %q is not a document number such as 15/2020/QĐ-UBND or 123/UBND-VP", ErrInvalid, n)
			}
			n = joinNumber(n, number, symbol)
		}
		change(docmeta.FieldDocNumber, &rec.DocNumber, n)
		rec.Number, rec.Symbol = number, symbol
	}
	if c.Date != nil {
		d := strings.TrimSpace(*c.Date)
		if d != "" {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				return nil, fmt.Errorf("%w: %q is not a date YYYY-MM-DD", ErrInvalid, d)
			}
		}
		change(docmeta.FieldDate, &rec.Date, d)
	}
	if c.Type != nil {
		change(docmeta.FieldType, &rec.Type, strings.ToUpper(*c.Type))
	}
	if c.Agency != nil {
		change(docmeta.FieldAgency, &rec.Agency, *c.Agency)
	}
	if c.Subject != nil {
		change(docmeta.FieldSubject, &rec.Subject, *c.Subject)
	}
	// A person has looked at the number and the date: no longer the
	// machine's guess, if both are now given. The history says who
	// confirmed those left as they were read (From = To).
	if old.NeedsReview && rec.DocNumber != "" && rec.Date != "" {
		confirm := func(given *string, field, v, was string) {
			if given != nil && v == was {
				rec.Corrections = append(rec.Corrections, Change{Version: rec.Version, Field: field, From: v, To: v, By: c.By, At: now, Note: c.Note})
				rec.Confidence[field] = 1
			}
		}
		confirm(c.DocNumber, docmeta.FieldDocNumber, rec.DocNumber, old.DocNumber)
		confirm(c.Date, docmeta.FieldDate, rec.Date, old.Date)
		rec.NeedsReview, rec.Review = false, nil
	}
	if len(rec.Corrections) == len(old.Corrections) {
		return old, nil // nothing changed or confirmed
	}

	src, err := a.store.Get(ctx, old.PDF.Key)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	info := pdf.Info{Title: rec.Subject, Identifier: rec.DocNumber, Language: "vi", Producer: "sohoa " + Version, Created: rec.Created}
	if err := pdf.Retitle(&out, src, info); err != nil {
		return nil, err
	}
	data, err := a.signed(ctx, out.Bytes())
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	base := BaseKey(rec.Agency, rec.Date, rec.DocNumber, rec.ID)
	rec.PDF = Object{Key: ObjectKey(base, rec.Version, "pdf"), SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	rec.Archived = now
	rec.MadeBy.Sohoa = Version
	rec.fillTT02()

	made, err := a.newVersion(ctx, &rec, data, c.By)
	if err != nil {
		return nil, err
	}
	a.log.Info("corrected", "doc", id, "version", made.Version, "by", c.By, "key", made.PDF.Key)
	return made, nil
}

// newVersion stores the next version of a document, rec with its PDF
// data (rec.PDF naming it), for by: under a claim on the version, so that
// a process that dies halfway leaves what is settled later (settle), and
// with the index, the status and other systems brought up to it.
func (a *Archive) newVersion(ctx context.Context, rec *Record, data []byte, by string) (*Record, error) {
	id := rec.ID
	side := SidecarKey(rec.PDF.Key)
	claim := pipeline.Claim{Doc: id, Version: rec.Version, PDF: rec.PDF.Key, Record: side, By: by, Since: rec.Archived}
	if err := a.q.ClaimVersion(ctx, claim); err != nil {
		if errors.Is(err, pipeline.ErrClaimed) {
			return nil, a.claimed(ctx, id, rec.Version)
		}
		return nil, err
	}
	made, err := a.makeVersion(ctx, claim, rec, data)
	if err != nil && !errors.Is(err, errCrashTest) {
		// Finish or undo now what was done of it; if that fails too (the
		// service still away), the claim stays and is settled later. The
		// version finished may be this one (its record was written after
		// all) or one a correction cut short before the claims made, whose
		// record was in the way (ErrExists): the document changed meanwhile.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), correctionDeadline)
		done, serr := a.settle(sctx, claim)
		cancel()
		if serr != nil {
			a.log.Warn("a correction that failed could not be settled yet", "doc", id, "version", rec.Version, "err", serr)
		} else if done != nil && done.PDF.SHA256 == rec.PDF.SHA256 {
			made, err = done, nil
		}
		if errors.Is(err, objstore.ErrExists) {
			err = ErrConflict
		}
	}
	if err != nil {
		return nil, err
	}
	return made, nil
}

// makeVersion writes the version of a correction that holds its claim:
// its PDF, then its record (both create-only: objstore.ErrExists when a
// version's record is in the way), then brings the index, the status and
// other systems up to it, and releases the claim.
func (a *Archive) makeVersion(ctx context.Context, claim pipeline.Claim, rec *Record, data []byte) (*Record, error) {
	ctx, cancel := context.WithTimeout(ctx, correctionDeadline)
	defer cancel()
	if err := crashTest("claim"); err != nil {
		return nil, err
	}
	if err := a.createPDF(ctx, claim, data); err != nil {
		return nil, err
	}
	if err := crashTest("pdf"); err != nil {
		return nil, err
	}
	if err := a.createRecord(ctx, claim.Record, rec); err != nil {
		return nil, err
	}
	if err := crashTest("record"); err != nil {
		return nil, err
	}
	if err := a.follow(ctx, rec); err != nil {
		return nil, err
	}
	if err := crashTest("index"); err != nil {
		return nil, err
	}
	if err := a.q.Release(ctx, claim); err != nil {
		a.log.Warn("a correction's claim not released; it will be settled later", "doc", rec.ID, "version", rec.Version, "err", err)
	}
	return rec, nil
}

// createPDF writes a new version's PDF, create-only: what is at the key
// stays. The same bytes already there are what an earlier try of this very
// correction wrote before it was cut short, and are taken as written.
// Other bytes are handled by createUnnamed: left by a correction cut short
// when no record names them, a version made (ErrExists) when one does.
func (a *Archive) createPDF(ctx context.Context, claim pipeline.Claim, data []byte) error {
	return a.createUnnamed(ctx, claim.PDF, claim.Record, func() error {
		return a.store.Create(ctx, claim.PDF, data, "application/pdf")
	})
}

// docLocks hands out one lock per document id.
type docLocks struct {
	mu   sync.Mutex
	held map[string]*docLock
}

type docLock struct {
	sync.Mutex
	users int
}

// lock waits for id's lock and returns what releases it.
func (l *docLocks) lock(id string) (unlock func()) {
	l.mu.Lock()
	if l.held == nil {
		l.held = map[string]*docLock{}
	}
	d := l.held[id]
	if d == nil {
		d = &docLock{}
		l.held[id] = d
	}
	d.users++
	l.mu.Unlock()
	d.Lock()
	return func() {
		d.Unlock()
		l.mu.Lock()
		if d.users--; d.users == 0 {
			delete(l.held, id)
		}
		l.mu.Unlock()
	}
}

// Record returns the latest version of document id's record, as the
// index knows it; ErrNotFound when no archived document has that id, and
// a *MergedError (ErrMerged) when it was merged into another.
func (a *Archive) Record(ctx context.Context, id string) (*Record, error) {
	rec, err := recordIn(ctx, a.store, a.index, id)
	if errors.Is(err, ErrNotFound) {
		if into, ok := a.mergedInto(ctx, id); ok {
			return nil, &MergedError{ID: id, Into: into}
		}
	}
	return rec, err
}

// recordIn is Record in the archive bucket st, as the index ix knows it.
func recordIn(ctx context.Context, st Bucket, ix *index.Index, id string) (*Record, error) {
	doc, ok, err := ix.Get(id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotFound
	}
	rec, err := readRecord(ctx, st, SidecarKey(doc.Key))
	if errors.Is(err, objstore.ErrNotExist) {
		return nil, ErrNotFound
	}
	return rec, err
}

// joinNumber writes a parsed number back as it is printed: "15/2020/QĐ-UBND",
// or "123-QĐ/HU" for a party document (the separator the archivist used).
func joinNumber(typed, number, symbol string) string {
	if i := strings.IndexAny(typed, "/-"); i >= 0 && typed[i] == '-' && strings.Contains(symbol, "/") {
		return number + "-" + symbol
	}
	return number + "/" + symbol
}
