package archive_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/archivetest"
	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/pipeline"
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

// TestCrashedCorrectionSettledAtStart: a correction killed after each of
// its steps blocks no one for ever. While its claim is fresh, another
// correction of the same version is refused (two can never both make
// version 2); the next archive to start settles it: a correction cut
// short before its record was written is undone (its PDF, which nothing
// names, deleted), one cut short after is finished (index, status and
// event follow the bucket). Either way the document can then be corrected
// again, to another number too.
func TestCrashedCorrectionSettledAtStart(t *testing.T) {
	for _, step := range []string{"claim", "pdf", "record", "indexed", "index"} {
		t.Run(step, func(t *testing.T) {
			defer archive.SettleClaims(time.Hour, time.Hour)()
			r := archivetest.New(t)
			ctx := context.Background()
			id := "crash-" + step
			r.Page(t, id, archivetest.ChiThi...)
			r.WaitArchived(t, id)
			v1, err := r.Archive.Record(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			var heard atomic.Int32
			sub, err := r.Queue.Conn().Subscribe(pipeline.SubjectCorrected, func(*nats.Msg) { heard.Add(1) })
			if err != nil {
				t.Fatal(err)
			}
			defer sub.Unsubscribe()

			first := "99/CT-UBND"
			restore := archive.CrashCorrectionsAfter(step)
			_, err = r.Archive.Correct(ctx, id, archive.Correction{DocNumber: &first, By: "Nguyễn Văn An"})
			restore()
			if err == nil {
				t.Fatal("the crashed correction returned no error")
			}
			claims, err := r.Queue.Claims(ctx)
			if err != nil || len(claims) != 1 {
				t.Fatalf("claims after the crash: %v, %v; want one", claims, err)
			}
			orphan := claims[0]

			// Killed after the index learnt of version 2, the next correction
			// makes version 3; before, version 2 is still claimed.
			// ("indexed": no one corrects before the restart, so that the
			// status is seen to catch up with the index.)
			second := "98/CT-UBND"
			if step != "indexed" {
				_, err = r.Archive.Correct(ctx, id, archive.Correction{DocNumber: &second, By: "Trần Thị Bình"})
				if step == "index" && err != nil {
					t.Fatalf("a correction after one killed once the index followed: %v", err)
				}
				// The archivist is told whose correction holds the document
				// and how long it may, not that someone corrected it.
				var held *archive.HeldError
				if step != "index" && (!errors.As(err, &held) || !errors.Is(err, archive.ErrHeld) || held.By != "Nguyễn Văn An" || held.Wait <= 0 || held.Wait > time.Hour) {
					t.Fatalf("a correction while the crashed one's claim is fresh: %v, want a HeldError naming Nguyễn Văn An, of at most an hour", err)
				}
			}

			// The restart: a new archive on the same queue, bucket and index.
			archive.SettleClaims(0, time.Hour)
			restarted, err := archive.New(archive.Config{Queue: r.Queue, Work: r.Work, Store: r.Store, Index: r.Index, Log: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			rctx, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- restarted.Run(rctx) }()
			defer func() { cancel(); <-done }()
			poll.Until(t, 30*time.Second, func() error {
				if c, err := r.Queue.Claims(ctx); err != nil || len(c) > 0 {
					return fmt.Errorf("claims %v, %v", c, err)
				}
				return nil
			})

			now, err := r.Archive.Record(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			st, err := r.Queue.Status(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			switch step {
			case "index":
				if now.Version != 3 || now.DocNumber != second || now.Previous == "" || st.Key != now.PDF.Key {
					t.Errorf("after the start: version %d %q, status key %q; want version 3 %q at %q (not put back to 2)", now.Version, now.DocNumber, st.Key, second, now.PDF.Key)
				}
			case "record", "indexed":
				if now.Version != 2 || now.DocNumber != first || st.Key != now.PDF.Key {
					t.Errorf("after the start: version %d %q, status key %q; want version 2 %q at %q", now.Version, now.DocNumber, st.Key, first, now.PDF.Key)
				}
				poll.Until(t, 10*time.Second, func() error {
					if heard.Load() == 0 {
						return errors.New("no corrected event")
					}
					return nil
				})
			default:
				if now.Version != 1 || st.Key != v1.PDF.Key {
					t.Errorf("after the start: version %d, status key %q; want version 1 at %q", now.Version, st.Key, v1.PDF.Key)
				}
				if ok, err := r.Store.Exists(ctx, orphan.PDF); err != nil || ok {
					t.Errorf("the undone correction's PDF %s: exists %v, %v", orphan.PDF, ok, err)
				}
			}
			third := "97/CT-UBND"
			next, err := r.Archive.Correct(ctx, id, archive.Correction{DocNumber: &third, By: "Lê Văn Cường"})
			if err != nil {
				t.Fatal(err)
			}
			if next.Version != now.Version+1 || next.DocNumber != third || next.Previous != archive.SidecarKey(now.PDF.Key) {
				t.Errorf("the correction after the start: version %d %q, previous %q", next.Version, next.DocNumber, next.Previous)
			}
		})
	}
}
