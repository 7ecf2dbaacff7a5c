package archive_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/archivetest"
)

// TestConcurrentCorrections: eight archivists correcting one document at
// the same moment each make a version of their own, one after another;
// none is lost, none overwrites another's PDF, and every record's SHA-256
// is its PDF's.
func TestConcurrentCorrections(t *testing.T) {
	r := archivetest.New(t)
	ctx := context.Background()
	r.Page(t, "race", archivetest.ChiThi...)
	r.WaitArchived(t, "race")

	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The same key for all (only the subject changes), so that
			// without the lock they would race for one PDF.
			subject := fmt.Sprintf("Trích yếu sửa lần %d", i)
			_, errs[i] = r.Archive.Correct(ctx, "race", archive.Correction{Subject: &subject, By: fmt.Sprintf("người %d", i)})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("correction %d: %v", i, err)
		}
	}
	last, err := r.Archive.Record(ctx, "race")
	if err != nil {
		t.Fatal(err)
	}
	if last.Version != n+1 {
		t.Errorf("latest version %d after %d corrections of version 1", last.Version, n)
	}
	// Walk the chain back: every version there once, each PDF as its
	// record says.
	seen := map[int]bool{}
	for rec := last; ; {
		seen[rec.Version] = true
		data, err := r.Store.Get(ctx, rec.PDF.Key)
		if err != nil {
			t.Fatalf("version %d: %v", rec.Version, err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != rec.PDF.SHA256 {
			t.Errorf("version %d: the PDF at %s is not the one its record names", rec.Version, rec.PDF.Key)
		}
		if rec.Previous == "" {
			break
		}
		if rec, err = r.Archive.ReadRecord(ctx, rec.Previous); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != n+1 {
		t.Errorf("the chain holds versions %v, want 1 to %d", seen, n+1)
	}
}

// TestHalfDoneCorrectionIsFinished: a correction that committed its
// record but died before the index and the status followed (here: the
// index is put back to version 1) does not block the document for ever.
// The next correction is told the document changed, the index and the
// status catch up with the bucket, and the one after succeeds.
func TestHalfDoneCorrectionIsFinished(t *testing.T) {
	r := archivetest.New(t)
	ctx := context.Background()
	r.Page(t, "half", archivetest.ChiThi...)
	r.WaitArchived(t, "half")
	v1, err := r.Archive.Record(ctx, "half")
	if err != nil {
		t.Fatal(err)
	}
	subject := "Về việc tăng cường công tác lưu trữ"
	v2, err := r.Archive.Correct(ctx, "half", archive.Correction{Subject: &subject, By: "Nguyễn Văn An"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Index.Put(v1.IndexDoc()); err != nil { // the crash: the index never learnt of v2
		t.Fatal(err)
	}

	again := "Về việc tăng cường công tác văn thư, lưu trữ"
	if _, err := r.Archive.Correct(ctx, "half", archive.Correction{Subject: &again, By: "Trần Thị Bình"}); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("a correction over a half-done one: %v, want ErrConflict", err)
	}
	if d, ok, _ := r.Index.Get("half"); !ok || d.Key != v2.PDF.Key {
		t.Errorf("index after the conflict holds %q, want version 2's %q", d.Key, v2.PDF.Key)
	}
	if st, _ := r.Queue.Status(ctx, "half"); st.Key != v2.PDF.Key {
		t.Errorf("status after the conflict holds %q, want version 2's %q", st.Key, v2.PDF.Key)
	}
	v3, err := r.Archive.Correct(ctx, "half", archive.Correction{Subject: &again, By: "Trần Thị Bình"})
	if err != nil {
		t.Fatal(err)
	}
	if v3.Version != 3 || v3.Previous != archive.SidecarKey(v2.PDF.Key) || v3.Subject != again {
		t.Errorf("version 3 = %+v", v3)
	}
}
