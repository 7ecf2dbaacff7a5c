package archive_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"testing"
	"time"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/archivetest"
	"github.com/sohoa/sohoa/pipeline"
)

// TestCommitAfterAnInterruptedTry: every archive object is created, never
// put over another. A try cut short after it stored the original and the
// PDF but before the record (the commit point) leaves them behind; the next
// try meets them. The same bytes are taken as written (as a create retried
// after a lost answer is); another write of the same document (pdfcpu
// orders objects differently each time) is kept, and the record names its
// bytes; anything else with no record beside it is an uncommitted leftover
// and is replaced. Each time the document is archived, not failed.
func TestCommitAfterAnInterruptedTry(t *testing.T) {
	r := archivetest.New(t)
	ctx := context.Background()
	r.Page(t, "again", archivetest.ChiThi...)
	r.WaitArchived(t, "again")
	rec, err := r.Archive.Record(ctx, "again")
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := r.Store.Get(ctx, rec.PDF.Key)
	if err != nil {
		t.Fatal(err)
	}
	original, err := r.Store.Get(ctx, rec.Source.Key)
	if err != nil {
		t.Fatal(err)
	}
	fileID := regexp.MustCompile(`/ID\s*\[\s*<([0-9A-Fa-f]+)>`)
	rewritten := append(bytes.Clone(pdf), "% the same document, written again\n"...)
	for i, c := range []struct {
		name     string
		leftover []byte
		want     []byte // nil: a new write of the document
	}{
		{"the same bytes", pdf, pdf},
		{"another write of the same document", rewritten, rewritten},
		{"something else", []byte("%PDF-1.7 of something else"), nil},
	} {
		attempt := i + 2
		// The try cut short: no record; the PDF it left is leftover.
		if err := r.Store.Delete(ctx, archive.SidecarKey(rec.PDF.Key)); err != nil {
			t.Fatal(err)
		}
		if err := r.Store.Put(ctx, rec.PDF.Key, c.leftover, "application/pdf"); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Queue.UpdateStatus(ctx, "again", func(s *pipeline.Status) error {
			s.Status, s.Attempt = pipeline.StatusProcessing, attempt
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := r.Queue.PublishDocReady(ctx, pipeline.DocReady{Doc: "again", Attempt: attempt, Pages: 1}); err != nil {
			t.Fatal(err)
		}
		st := r.WaitArchived(t, "again")
		if st.Key != rec.PDF.Key {
			t.Fatalf("%s: archived at %s, want %s", c.name, st.Key, rec.PDF.Key)
		}
		got, err := r.Store.Get(ctx, rec.PDF.Key)
		if err != nil {
			t.Fatal(err)
		}
		if c.want != nil && !bytes.Equal(got, c.want) {
			t.Errorf("%s: the PDF is %d bytes, want the %d left", c.name, len(got), len(c.want))
		}
		if m := fileID.FindSubmatch(got); m == nil || string(m[1]) != string(fileID.FindSubmatch(pdf)[1]) {
			t.Errorf("%s: the PDF stored is not the document's (%d bytes)", c.name, len(got))
		}
		sum := sha256.Sum256(got)
		again, err := r.Archive.ReadRecord(ctx, archive.SidecarKey(rec.PDF.Key))
		if err != nil || again.PDF.SHA256 != hex.EncodeToString(sum[:]) || again.PDF.Size != int64(len(got)) {
			t.Fatalf("%s: the record does not name the PDF stored: %+v, %v", c.name, again.PDF, err)
		}
		if st.PDFSHA256 != again.PDF.SHA256 {
			t.Errorf("%s: status names PDF %s, record %s", c.name, st.PDFSHA256, again.PDF.SHA256)
		}
		if got, err := r.Store.Get(ctx, rec.Source.Key); err != nil || !bytes.Equal(got, original) {
			t.Errorf("%s: the original is %d bytes (%v), want %d", c.name, len(got), err, len(original))
		}
	}
}

// TestPutOnlyArchive: the archive holding only the account deploy/s3 gives
// it (create, never delete) archives documents, and after a try cut short
// keeps the PDF it left without deleting anything. A leftover that is not
// the document's cannot be deleted with that account: the document waits,
// neither failed nor archived over it, until IT removes the object, and is
// then archived.
func TestPutOnlyArchive(t *testing.T) {
	r := archivetest.NewLeastPrivilege(t)
	ctx := context.Background()
	r.Page(t, "putonly", archivetest.ChiThi...)
	r.WaitArchived(t, "putonly")
	rec, err := r.Archive.Record(ctx, "putonly")
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := r.Store.Get(ctx, rec.PDF.Key)
	if err != nil {
		t.Fatal(err)
	}
	retry := func(attempt int, leftover []byte) {
		t.Helper()
		if err := r.Store.Delete(ctx, archive.SidecarKey(rec.PDF.Key)); err != nil {
			t.Fatal(err)
		}
		if err := r.Store.Put(ctx, rec.PDF.Key, leftover, "application/pdf"); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Queue.UpdateStatus(ctx, "putonly", func(s *pipeline.Status) error {
			s.Status, s.Attempt = pipeline.StatusProcessing, attempt
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := r.Queue.PublishDocReady(ctx, pipeline.DocReady{Doc: "putonly", Attempt: attempt, Pages: 1}); err != nil {
			t.Fatal(err)
		}
	}

	rewritten := append(bytes.Clone(pdf), "% the same document, written again\n"...)
	retry(2, rewritten)
	r.WaitArchived(t, "putonly")
	if got, _ := r.Store.Get(ctx, rec.PDF.Key); !bytes.Equal(got, rewritten) {
		t.Errorf("the PDF the interrupted try left was not kept (%d bytes)", len(got))
	}

	junk := []byte("%PDF-1.7 of something else")
	retry(3, junk)
	time.Sleep(3 * time.Second) // the archive tries, is refused the delete, and waits
	st, err := r.Queue.Status(ctx, "putonly")
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != pipeline.StatusProcessing {
		t.Fatalf("with another object in the way the document is %q (%s), want it waiting", st.Status, st.Reason)
	}
	if got, _ := r.Store.Get(ctx, rec.PDF.Key); !bytes.Equal(got, junk) {
		t.Fatalf("the put-only archive replaced the object in the way")
	}
	if err := r.Store.Delete(ctx, rec.PDF.Key); err != nil { // IT, with the administrator's keys
		t.Fatal(err)
	}
	r.WaitArchived(t, "putonly")
	again, err := r.Archive.ReadRecord(ctx, archive.SidecarKey(rec.PDF.Key))
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Store.Get(ctx, rec.PDF.Key)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(got); again.PDF.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("the record does not name the PDF stored")
	}
}
