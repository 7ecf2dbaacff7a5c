package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/objstore/s3test"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/pipeline/queuetest"
)

// rig is an ingest on an embedded NATS server and a real S3 server, with
// its inbox, done and failed folders in a temporary folder.
type rig struct {
	q                   *pipeline.Queue
	work                *objstore.Bucket
	in                  *Ingest
	inbox, done, failed string
	ctx                 context.Context
	start               func()
}

// newRig builds an ingest; change rig.in (its open hook) before rig.start.
func newRig(t *testing.T, settle time.Duration) *rig {
	t.Helper()
	q := queuetest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	work, err := objstore.Open(ctx, s3test.VersityGW(t).Config("sohoa-work"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	r := &rig{q: q, work: work, ctx: ctx, inbox: filepath.Join(root, "inbox"), done: filepath.Join(root, "done"), failed: filepath.Join(root, "failed")}
	r.in, err = New(Config{Inbox: r.inbox, Done: r.done, Failed: r.failed, Name: "test",
		Poll: 50 * time.Millisecond, Settle: settle, Workers: 2}, q, work, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	r.in.readRetry = 10 * time.Millisecond
	r.start = func() {
		done := make(chan error, 1)
		go func() { done <- r.in.Run(ctx) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("ingest: %v", err)
			}
		})
	}
	return r
}

// scanPNG is a small page that package pages accepts.
func scanPNG(t *testing.T, shade uint8) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = shade
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func docID(data []byte) string { return pipeline.DocID(sha256.Sum256(data)) }

// failedWithReason checks that name is in failed/ with a reason beside it
// that says want.
func failedWithReason(name, failed, want string) error {
	if _, err := os.Lstat(filepath.Join(failed, name)); err != nil {
		return err
	}
	reason, err := os.ReadFile(filepath.Join(failed, name+".reason.txt"))
	if err != nil {
		return err
	}
	if !strings.Contains(string(reason), want) {
		return fmt.Errorf("reason for %s says %q, want %q in it", name, reason, want)
	}
	return nil
}

// statusOf the file at rel as it is now, refused before its content was read.
func unreadStatus(ctx context.Context, q *pipeline.Queue, rel string, info fs.FileInfo) (pipeline.Status, error) {
	return q.Status(ctx, unreadID("test", heldFile{rel: rel, size: info.Size(), mtime: info.ModTime()}))
}

// A file the service may not read (a share's permission slip; the tests
// run as root, so the open hook refuses it) is tried three times and goes
// to failed/ with its reason, and it shows in the pipeline's statuses.
// While it hangs, the next file is taken.
func TestUnreadableFileFailsAndHoldsUpNoOther(t *testing.T) {
	r := newRig(t, 50*time.Millisecond)
	entered := make(chan struct{})
	release := make(chan struct{})
	var opens atomic.Int32
	r.in.open = func(path string) (inboxFile, error) {
		if filepath.Base(path) != "khoa.png" {
			return openInbox(path)
		}
		if opens.Add(1) == 1 {
			close(entered)
			<-release // a read that hangs on the share
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: syscall.EACCES}
	}
	r.start()
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	t.Cleanup(unblock) // before the ingest is stopped (cleanups run last first)

	locked := filepath.Join(r.inbox, "khoa.png")
	if err := os.WriteFile(locked, scanPNG(t, 10), 0o000); err != nil {
		t.Fatal(err)
	}
	info, err := os.Lstat(locked)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-entered:
	case <-time.After(30 * time.Second):
		t.Fatal("khoa.png was never opened")
	}
	next := scanPNG(t, 200)
	if err := os.WriteFile(filepath.Join(r.inbox, "tiep.png"), next, 0o644); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, 30*time.Second, func() error {
		st, err := r.q.Status(r.ctx, docID(next))
		if err != nil {
			return fmt.Errorf("tiep.png not queued while khoa.png hangs: %w", err)
		}
		if st.Status != pipeline.StatusQueued {
			return fmt.Errorf("tiep.png is %s", st.Status)
		}
		return nil
	})
	unblock()
	poll.Until(t, 30*time.Second, func() error {
		return failedWithReason("khoa.png", r.failed, "Không đọc được")
	})
	if n := opens.Load(); n != maxReadTries {
		t.Errorf("khoa.png opened %d times, want %d", n, maxReadTries)
	}
	reason, _ := os.ReadFile(filepath.Join(r.failed, "khoa.png.reason.txt"))
	if !strings.Contains(string(reason), "permission denied") {
		t.Errorf("the reason gives no technical detail:\n%s", reason)
	}
	st, err := unreadStatus(r.ctx, r.q, "khoa.png", info)
	if err != nil {
		t.Fatalf("khoa.png has no status: %v", err)
	}
	if st.Status != pipeline.StatusFailed || !strings.Contains(st.Reason, "Không đọc được") || st.SourceName != "khoa.png" {
		t.Errorf("status of khoa.png: %+v", st)
	}
}

// countingFile counts what is read of an inbox file.
type countingFile struct {
	inboxFile
	n *atomic.Int64
}

func (f countingFile) Read(p []byte) (int, error) {
	n, err := f.inboxFile.Read(p)
	f.n.Add(int64(n))
	return n, err
}

// Symlinks and FIFOs go to failed/ with a reason, never opened (a link is
// not followed, a FIFO does not block); a 3 GB file (sparse) is refused by
// the size of its open descriptor, not a byte of it read, and shows in the
// pipeline's statuses.
func TestRefusedWithoutReading(t *testing.T) {
	r := newRig(t, 50*time.Millisecond)
	var mu sync.Mutex
	opened := map[string]int{}
	var read atomic.Int64
	r.in.open = func(path string) (inboxFile, error) {
		mu.Lock()
		opened[filepath.Base(path)]++
		mu.Unlock()
		f, err := openInbox(path)
		if err != nil {
			return nil, err
		}
		return countingFile{f, &read}, nil
	}
	secret := filepath.Join(t.TempDir(), "mat.pdf")
	if err := os.WriteFile(secret, []byte("%PDF-1.4 not for the inbox"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(r.inbox, "lienket.pdf")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(r.inbox, "ong.tif"), 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(r.inbox, "lon.tif")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 3<<30); err != nil {
		t.Fatal(err)
	}
	bigInfo, err := os.Lstat(big)
	if err != nil {
		t.Fatal(err)
	}
	r.start()

	poll.Until(t, 30*time.Second, func() error {
		return errors.Join(
			failedWithReason("lienket.pdf", r.failed, "không phải một tệp thông thường"),
			failedWithReason("ong.tif", r.failed, "không phải một tệp thông thường"),
			failedWithReason("lon.tif", r.failed, "quá lớn"))
	})
	if fi, err := os.Lstat(filepath.Join(r.failed, "lienket.pdf")); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was not moved as a link: %v %v", fi, err)
	}
	if fi, err := os.Lstat(filepath.Join(r.failed, "ong.tif")); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was not moved as it is: %v %v", fi, err)
	}
	if data, err := os.ReadFile(secret); err != nil || !bytes.HasPrefix(data, []byte("%PDF")) {
		t.Errorf("the link's target was touched: %q %v", data, err)
	}
	mu.Lock()
	if opened["lienket.pdf"] != 0 || opened["ong.tif"] != 0 {
		t.Errorf("opened %v: a link or a FIFO must not be opened", opened)
	}
	mu.Unlock()
	if n := read.Load(); n != 0 {
		t.Errorf("%d bytes read of the 3 GB file: it must be refused from fstat", n)
	}
	st, err := unreadStatus(r.ctx, r.q, "lon.tif", bigInfo)
	if err != nil {
		t.Fatalf("lon.tif has no status: %v", err)
	}
	if st.Status != pipeline.StatusFailed || !strings.Contains(st.Reason, "quá lớn") || st.Size != 3<<30 {
		t.Errorf("status of lon.tif: %+v", st)
	}
}

// A file that cannot even be moved to failed/ stays in the inbox and its
// status says why, for the pipeline page.
func TestNotMovedShowsInStatus(t *testing.T) {
	r := newRig(t, 50*time.Millisecond)
	if err := os.RemoveAll(r.failed); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(r.failed, []byte("a file where the failed folder should be"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(r.inbox, "lienket.jpg")
	if err := os.Symlink("/etc/passwd", link); err != nil {
		t.Fatal(err)
	}
	info, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	r.start()
	poll.Until(t, 30*time.Second, func() error {
		st, err := unreadStatus(r.ctx, r.q, "lienket.jpg", info)
		if err != nil {
			return err
		}
		if st.Status != pipeline.StatusFailed || !strings.Contains(st.Reason, "Không chuyển được tệp sang thư mục") {
			return fmt.Errorf("status of lienket.jpg: %+v", st)
		}
		return nil
	})
	if _, err := os.Lstat(link); err != nil {
		t.Errorf("the link left the inbox: %v", err)
	}
}

// A file copied again over itself while its document is in flight leaves
// the inbox when the document is archived, whether it is taken again before
// the archive's retire comes or after.
func TestCopiedOverItselfInFlightLeavesInbox(t *testing.T) {
	for _, tt := range []struct {
		name       string
		settle     time.Duration
		retakeWait bool // wait until it is taken again before archiving
	}{
		{"taken again before the retire", 50 * time.Millisecond, true},
		{"retired before it is taken again", time.Second, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.settle)
			r.start()
			scan := scanPNG(t, 128)
			id := docID(scan)
			path := filepath.Join(r.inbox, "so-7.png")
			if err := os.WriteFile(path, scan, 0o644); err != nil {
				t.Fatal(err)
			}
			heldAt := func() (time.Time, bool) {
				r.in.mu.Lock()
				defer r.in.mu.Unlock()
				for _, h := range r.in.held[id] {
					return h.mtime, true
				}
				return time.Time{}, false
			}
			poll.Until(t, 30*time.Second, func() error {
				if _, ok := heldAt(); !ok {
					return errors.New("so-7.png not queued yet")
				}
				return nil
			})
			first, _ := heldAt()
			// Copied again over itself: same content, a later mtime.
			if err := os.WriteFile(path, scan, 0o644); err != nil {
				t.Fatal(err)
			}
			again := first.Add(time.Second)
			if err := os.Chtimes(path, again, again); err != nil {
				t.Fatal(err)
			}
			if tt.retakeWait {
				poll.Until(t, 30*time.Second, func() error {
					if m, _ := heldAt(); !m.Equal(again) {
						return errors.New("so-7.png not taken again yet")
					}
					return nil
				})
			}
			// The archive commits the document and retires it.
			key := "ubnd/2020/7-UBND/" + id + ".pdf"
			if _, err := r.q.UpdateStatus(r.ctx, id, func(s *pipeline.Status) error {
				s.Status, s.Key = pipeline.StatusArchived, key
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if err := r.q.PublishRetire(r.ctx, "test", pipeline.Retire{Doc: id, Outcome: pipeline.OutcomeArchived, Key: key}); err != nil {
				t.Fatal(err)
			}
			poll.Until(t, 30*time.Second, func() error {
				if _, err := os.Stat(path); err == nil {
					return errors.New("so-7.png is still in the inbox")
				}
				_, err := os.Stat(filepath.Join(r.done, "so-7.png"))
				return err
			})
		})
	}
}

// readInbox sees a file that changes while it is read and says so, rather
// than returning a mixture or a failure.
func TestReadInboxSeesChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dang-chep.tif")
	if err := os.WriteFile(path, bytes.Repeat([]byte("x"), 3*readChunk), 0o644); err != nil {
		t.Fatal(err)
	}
	open := func(p string) (inboxFile, error) {
		f, err := openInbox(p)
		if err != nil {
			return nil, err
		}
		return appendingFile{f, p}, nil
	}
	_, err := readInbox(context.Background(), path, 1<<30, open)
	if !errors.Is(err, errChanged) {
		t.Fatalf("a file written to while read: %v, want errChanged", err)
	}
	f, err := readInbox(context.Background(), path, 1<<30, openInbox)
	if err != nil || f.sum != sha256.Sum256(f.data) || int64(len(f.data)) != f.size {
		t.Fatalf("the same file, settled: %v", err)
	}
}

// appendingFile appends to its file after every read: a copy still running.
type appendingFile struct {
	inboxFile
	path string
}

func (f appendingFile) Read(p []byte) (int, error) {
	n, err := f.inboxFile.Read(p)
	w, werr := os.OpenFile(f.path, os.O_WRONLY|os.O_APPEND, 0)
	if werr != nil {
		return n, werr
	}
	defer w.Close()
	if _, werr := w.Write([]byte("more")); werr != nil {
		return n, werr
	}
	return n, err
}
