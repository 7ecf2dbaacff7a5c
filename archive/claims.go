package archive

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/pipeline"
)

// A correction claims the version it makes (pipeline.ClaimVersion) before
// it writes anything, and releases the claim once the index, the status and
// other systems know of the version. A claim still held is a correction in
// progress or one cut short; settle finishes or undoes the latter.
var (
	// correctionDeadline bounds the writes of one correction.
	correctionDeadline = 30 * time.Second
	// claimStale is the age past which a claim is taken for one whose
	// correction died: well past correctionDeadline, so that a correction
	// still writing is never undone under it.
	claimStale = 2 * time.Minute
	// settleEvery is how often a running archive looks for stale claims.
	settleEvery = 30 * time.Second
) // variables only so that tests can shorten them

// follow brings the index, the status and other systems up to rec, a
// version just made. Neither the index nor the status is ever put back to
// an older version than the index holds; the status is brought up even
// when the index already was (a crash between the two).
func (a *Archive) follow(ctx context.Context, rec *Record) error {
	d, ok, err := a.index.Get(rec.ID)
	if err != nil {
		return err
	}
	if !ok || d.Version < rec.Version {
		if err := a.index.Put(rec.IndexDoc()); err != nil {
			return err
		}
		if err := crashTest("indexed"); err != nil {
			return err
		}
	}
	if !ok || d.Version <= rec.Version {
		if _, err := a.q.UpdateStatus(ctx, rec.ID, func(s *pipeline.Status) error {
			s.Key, s.DocNumber, s.PDFSHA256 = rec.PDF.Key, rec.DocNumber, rec.PDF.SHA256
			return nil
		}); err != nil && !errors.Is(err, pipeline.ErrNoStatus) {
			a.log.Warn("status not updated after a correction", "doc", rec.ID, "err", err)
		}
	}
	if err := a.q.PublishCorrected(ctx, pipeline.Archived{
		ID: rec.ID, DocNumber: rec.DocNumber, Key: rec.PDF.Key, Bucket: a.bucket, SHA256: rec.PDF.SHA256, Pages: rec.Pages,
	}, rec.Version); err != nil {
		a.log.Warn("correction not announced", "doc", rec.ID, "err", err)
	}
	return nil
}

// settle finishes or undoes what the correction holding claim c did, and
// releases the claim. With its record in the bucket the version was made:
// the index, the status and other systems are brought up to it, and the
// record is returned. Without, the version was not made: the PDF it may
// have written, which nothing names, is deleted, and the record is nil.
func (a *Archive) settle(ctx context.Context, c pipeline.Claim) (*Record, error) {
	rec, err := a.ReadRecord(ctx, c.Record)
	switch {
	case errors.Is(err, objstore.ErrNotExist):
		// Credentials that may not delete (split roles) leave the PDF,
		// which nothing names; createUnnamed says what to do should a
		// later correction of this version meet other bytes there.
		if err := a.store.Delete(ctx, c.PDF); errors.Is(err, objstore.ErrDenied) {
			a.log.Warn("the PDF of a correction cut short stays: these credentials may not delete", "doc", c.Doc, "key", c.PDF)
		} else if err != nil && !errors.Is(err, objstore.ErrNotExist) {
			return nil, err
		}
		a.log.Warn("a correction cut short before its record was written is undone", "doc", c.Doc, "version", c.Version, "by", c.By)
		return nil, a.q.Release(ctx, c)
	case err != nil:
		return nil, err
	case rec.ID != c.Doc || rec.Version != c.Version:
		return nil, fmt.Errorf("archive: the record at %s is version %d of %s, not version %d of %s as its claim says",
			c.Record, rec.Version, rec.ID, c.Version, c.Doc)
	}
	if err := a.follow(ctx, rec); err != nil {
		return nil, err
	}
	a.log.Warn("a correction cut short after its record was written is finished: index and status follow the bucket",
		"doc", rec.ID, "version", rec.Version, "key", rec.PDF.Key)
	return rec, a.q.Release(ctx, c)
}

// claimed is what a correction is told that finds the version it would
// make claimed. Released meanwhile, the version was made or undone:
// ErrConflict, reload and retry. Held past claimStale, its correction was
// cut short: it is settled now, so that the archivist who meets it is not
// blocked by a correction that died, and the document may have changed
// (ErrConflict). Held younger, it is a correction running in another
// process or one cut short that no one can yet tell from it (a process
// may take correctionDeadline and a settle as long again): the archivist
// is told whose correction holds the document and how long it may
// (*HeldError), not that someone corrected it.
func (a *Archive) claimed(ctx context.Context, doc string, version int) error {
	c, err := a.q.ClaimOf(ctx, doc, version)
	if err != nil {
		return ErrConflict
	}
	if age := time.Since(c.Since); age < claimStale {
		return &HeldError{By: c.By, Since: c.Since, Wait: claimStale - age}
	}
	if _, err := a.settle(ctx, c); err != nil {
		a.log.Warn("a stale correction could not be settled", "doc", doc, "version", version, "err", err)
		return &HeldError{By: c.By, Since: c.Since, Wait: settleEvery}
	}
	return ErrConflict
}

// settleStale settles every claim older than claimStale: at start, what
// a crash of this or another archive process left, and then every
// settleEvery while the archive runs.
func (a *Archive) settleStale(ctx context.Context) {
	claims, err := a.q.Claims(ctx)
	if err != nil {
		a.log.Error("corrections in progress could not all be read", "err", err)
	}
	for _, c := range claims {
		if time.Since(c.Since) < claimStale {
			continue
		}
		unlock := a.corrections.lock(c.Doc)
		if _, err := a.settle(ctx, c); err != nil {
			a.log.Warn("a correction cut short could not be settled yet", "doc", c.Doc, "version", c.Version, "err", err)
		}
		unlock()
	}
}

// settleLoop runs settleStale at start and every settleEvery until ctx ends.
func (a *Archive) settleLoop(ctx context.Context) {
	t := time.NewTicker(settleEvery)
	defer t.Stop()
	for {
		a.settleStale(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// errCrashTest and crashTest let tests stop a correction after a step, as
// a crash would: no settling after it.
var (
	errCrashTest = errors.New("archive: correction stopped by a test")
	crashAfter   string
)

func crashTest(step string) error {
	if crashAfter == step {
		return errCrashTest
	}
	return nil
}
