package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	"github.com/sohoa/sohoa/ingest/pages"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/pipeline"
)

// Config of an ingest.
type Config struct {
	// Inbox is watched, recursively; Done and Failed receive the originals.
	Inbox, Done, Failed string
	// Name identifies this ingest on the queue (default: the host name).
	// Two ingests with different inboxes must have different names.
	Name string
	// Poll is how often the inbox is scanned (default 2s); Settle how long
	// a file must stay unchanged before it is taken (default 2s).
	Poll, Settle time.Duration
	// MaxFileSize in bytes (default 2 GiB).
	MaxFileSize int64
	// Limits on pages and pixels.
	Limits pages.Limits
}

func (c *Config) ensureDefaults() {
	if c.Name == "" {
		c.Name, _ = os.Hostname()
	}
	c.Name = pipeline.SafeToken(c.Name)
	if c.Poll <= 0 {
		c.Poll = 2 * time.Second
	}
	if c.Settle <= 0 {
		c.Settle = 2 * time.Second
	}
	if c.MaxFileSize <= 0 {
		c.MaxFileSize = 2 << 30
	}
}

func (c *Config) validate() error {
	if c.Inbox == "" || c.Done == "" || c.Failed == "" {
		return errors.New("ingest: inbox, done and failed folders are required")
	}
	return nil
}

// pageStore is what ingest needs of the work bucket.
type pageStore interface {
	Put(ctx context.Context, key string, data []byte, contentType string) error
	DeletePrefix(ctx context.Context, prefix string) error
}

var _ pageStore = (*objstore.Bucket)(nil)

// Ingest takes files from an inbox and queues their pages.
type Ingest struct {
	cfg  Config
	q    *pipeline.Queue
	work pageStore
	log  *slog.Logger

	mu sync.Mutex
	// held maps a document id to the inbox files that are copies of it and
	// wait for it to be retired.
	held map[string][]heldFile
}

type heldFile struct {
	rel   string
	size  int64
	mtime time.Time
}

// New returns an ingest. It creates the folders if needed.
func New(cfg Config, q *pipeline.Queue, work pageStore, log *slog.Logger) (*Ingest, error) {
	cfg.ensureDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	for _, d := range []string{cfg.Inbox, cfg.Done, cfg.Failed} {
		if err := os.MkdirAll(d, 0o775); err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
	}
	return &Ingest{cfg: cfg, q: q, work: work, log: log.With("ingest", cfg.Name), held: map[string][]heldFile{}}, nil
}

// Name is the name this ingest goes by on the queue.
func (in *Ingest) Name() string { return in.cfg.Name }

// Run watches the inbox and retires originals until ctx ends.
func (in *Ingest) Run(ctx context.Context) error {
	cons, err := in.q.Consumer(ctx, pipeline.ConsumerConfig{
		Stream:  pipeline.StreamRetire,
		Name:    pipeline.ConsumerIngest(in.cfg.Name),
		Filter:  pipeline.FilterRetire(in.cfg.Name),
		AckWait: pipeline.AckWaitRetire,
	})
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		return in.q.Consume(ctx, cons, 1, pipeline.AckWaitRetire, in.handleRetire)
	})
	g.Go(func() error {
		w := &watcher{root: in.cfg.Inbox, poll: in.cfg.Poll, settle: in.cfg.Settle, log: in.log}
		return w.run(ctx, in.take)
	})
	return g.Wait()
}

// take is called for every complete file in the inbox.
func (in *Ingest) take(ctx context.Context, rel string, info fs.FileInfo) {
	log := in.log.With("file", rel)
	for ctx.Err() == nil {
		err := in.ingest(ctx, rel, info)
		if err == nil {
			return
		}
		if errors.Is(err, fs.ErrNotExist) {
			return // removed meanwhile; nothing to do
		}
		// The queue or the object store is unavailable: wait, and try again.
		// The file stays in the inbox; nothing is lost.
		log.Warn("cannot queue the file yet; will retry", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
		}
	}
}

func (in *Ingest) ingest(ctx context.Context, rel string, info fs.FileInfo) error {
	path := filepath.Join(in.cfg.Inbox, rel)
	log := in.log.With("file", rel)
	data, err := readFile(path, in.cfg.MaxFileSize)
	held := heldFile{rel: rel, size: info.Size(), mtime: info.ModTime()}
	if errors.Is(err, errTooBig) {
		return in.reject(ctx, held, "", "", pipeline.Permanent(adviceTooLarge, err))
	}
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	id := pipeline.DocID(sum)
	log = log.With("doc", id)

	st, err := in.q.Status(ctx, id)
	switch {
	case errors.Is(err, pipeline.ErrNoStatus):
		st = pipeline.Status{ID: id}
	case err != nil:
		return err
	case st.Status == pipeline.StatusArchived:
		// Archived already: either the retire was missed (a restart) or the
		// same paper was dropped again. Either way the archive has it; a
		// copy dropped again is reported as a duplicate beside it in done/.
		r := pipeline.Retire{Doc: id, Outcome: pipeline.OutcomeArchived, Key: st.Key}
		if rel != st.SourcePath || info.ModTime().After(st.Updated) {
			log.Info("a copy of an archived document; moving it to done as a duplicate", "key", st.Key)
			r.Outcome = outcomeDuplicate
			r.Reason = fmt.Sprintf("Văn bản này đã được lưu trữ trước đây (bản trùng, không lưu lại lần nữa).\n"+
				"Số và ký hiệu: %s\nTệp gốc lần trước: %s\nVị trí trong kho: %s\n", orDash(st.DocNumber), st.SourceName, st.Key)
		} else {
			log.Info("already archived; moving the file to done", "key", st.Key)
		}
		return in.retireLate(ctx, held, r)
	case st.Status == pipeline.StatusFailed && !info.ModTime().After(st.Updated):
		// This very file failed and was not moved yet (a restart).
		return in.retireLate(ctx, held, pipeline.Retire{Doc: id, Outcome: pipeline.OutcomeFailed, Reason: st.Reason, Attempt: st.Attempt})
	}

	format, pgs, err := pages.Split(data, in.cfg.Limits)
	if err != nil {
		return in.reject(ctx, held, id, hex.EncodeToString(sum[:]), pipeline.Permanent(advise(err), err))
	}
	// The file as dropped, for the archive to keep beside the PDF/A.
	if err := in.work.Put(ctx, pipeline.WorkSourceKey(id), data, contentType(format)); err != nil {
		return err
	}
	for i, p := range pgs {
		key := pipeline.WorkPageKey(id, i+1, string(p.Format))
		if err := in.work.Put(ctx, key, p.Data, contentType(p.Format)); err != nil {
			return err
		}
	}

	// Record the document, or start a new attempt of one that failed before.
	fresh := pipeline.Status{
		ID: id, SHA256: hex.EncodeToString(sum[:]), SourceName: filepath.Base(rel), SourcePath: rel,
		Ingest: in.cfg.Name, Format: string(format), Size: int64(len(data)), Pages: len(pgs), Status: pipeline.StatusQueued, Attempt: 1,
	}
	if ts := pages.SigningTimes(data); len(ts) > 0 {
		fresh.Signed = ts[0]
	}
	st, created, err := in.q.CreateStatus(ctx, fresh)
	if err != nil {
		return err
	}
	if !created && st.Status == pipeline.StatusFailed {
		st, err = in.q.UpdateStatus(ctx, id, func(s *pipeline.Status) error {
			if s.Status == pipeline.StatusFailed {
				s.Status, s.Reason, s.Attempt = pipeline.StatusQueued, "", s.Attempt+1
				s.SourceName, s.SourcePath, s.Ingest, s.Pages = fresh.SourceName, fresh.SourcePath, fresh.Ingest, fresh.Pages
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	in.hold(id, held)
	for i, p := range pgs {
		t := pipeline.PageTask{
			Doc: id, Attempt: st.Attempt, Page: i + 1, Pages: len(pgs),
			Blob: pipeline.WorkPageKey(id, i+1, string(p.Format)), Format: string(p.Format),
			DPIX: p.DPIX, DPIY: p.DPIY,
		}
		if err := in.q.PublishPage(ctx, t); err != nil {
			return err
		}
	}
	if created {
		log.Info("queued", "pages", len(pgs), "format", format)
	} else {
		log.Info("queued again", "pages", len(pgs), "status", st.Status, "attempt", st.Attempt)
	}
	return nil
}

// reject records a file that can never be processed and moves it to failed/.
func (in *Ingest) reject(ctx context.Context, held heldFile, id, sum string, cause error) error {
	reason := pipeline.Reason(cause)
	in.log.Warn("cannot process the file", "file", held.rel, "doc", id, "err", cause)
	if id != "" {
		st := pipeline.Status{
			ID: id, SHA256: sum, SourceName: filepath.Base(held.rel), SourcePath: held.rel,
			Ingest: in.cfg.Name, Status: pipeline.StatusFailed, Reason: reason, Attempt: 1,
		}
		if _, created, err := in.q.CreateStatus(ctx, st); err != nil {
			return err
		} else if !created {
			if _, err := in.q.UpdateStatus(ctx, id, func(s *pipeline.Status) error {
				if s.Status != pipeline.StatusArchived {
					s.Status, s.Reason = pipeline.StatusFailed, reason
				}
				return nil
			}); err != nil {
				return err
			}
		}
	}
	return in.retireFile(held, pipeline.Retire{Doc: id, Outcome: pipeline.OutcomeFailed, Reason: reason})
}

func (in *Ingest) hold(id string, f heldFile) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, h := range in.held[id] {
		if h.rel == f.rel {
			return
		}
	}
	in.held[id] = append(in.held[id], f)
}

// handleRetire moves the originals of a retired document out of the inbox,
// then deletes its page blobs.
func (in *Ingest) handleRetire(ctx context.Context, msg jetstream.Msg) error {
	var r pipeline.Retire
	if err := json.Unmarshal(msg.Data(), &r); err != nil {
		in.log.Error("unreadable retire message; dropping it", "subject", msg.Subject(), "err", err)
		return nil
	}
	in.mu.Lock()
	files := in.held[r.Doc]
	delete(in.held, r.Doc)
	in.mu.Unlock()
	for i, f := range files {
		if err := in.retireFile(f, r); err != nil {
			in.mu.Lock()
			in.held[r.Doc] = append(in.held[r.Doc], files[i:]...)
			in.mu.Unlock()
			return err
		}
	}
	// Files not held (the ingest restarted) are found again by the next scan,
	// which sees the document's status and retires them then.
	if err := in.work.DeletePrefix(ctx, pipeline.WorkPrefix(r.Doc)); err != nil {
		return err
	}
	return nil
}

// retireLate retires a file whose document was finished while no ingest held
// it (the process died between the archive's commit and the retire): the
// file is moved and the page blobs the retire would have deleted go too.
func (in *Ingest) retireLate(ctx context.Context, held heldFile, r pipeline.Retire) error {
	if err := in.retireFile(held, r); err != nil {
		return err
	}
	return in.work.DeletePrefix(ctx, pipeline.WorkPrefix(r.Doc))
}

// retireFile moves one original to done/ or failed/ (with its reason),
// keeping its sub-folder. A file that changed since it was taken is left
// alone: it is a different paper now and will be taken on its own.
func (in *Ingest) retireFile(f heldFile, r pipeline.Retire) error {
	src := filepath.Join(in.cfg.Inbox, f.rel)
	info, err := os.Stat(src)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	if info.Size() != f.size || !info.ModTime().Equal(f.mtime) {
		in.log.Info("file changed since it was taken; leaving it for the next scan", "file", f.rel)
		return nil
	}
	destRoot := in.cfg.Done
	if r.Outcome == pipeline.OutcomeFailed {
		destRoot = in.cfg.Failed
	}
	dest, err := moveAside(src, filepath.Join(destRoot, f.rel))
	if err != nil {
		return fmt.Errorf("ingest: move %s: %w", f.rel, err)
	}
	if r.Outcome == outcomeDuplicate {
		if err := os.WriteFile(dest+".duplicate.txt", []byte(r.Reason), 0o664); err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		in.log.Info("moved to done as a duplicate", "file", f.rel, "to", dest, "doc", r.Doc, "key", r.Key)
		return nil
	}
	if r.Outcome == pipeline.OutcomeFailed {
		if err := writeReason(dest, f.rel, r); err != nil {
			return err
		}
		in.log.Info("moved to failed", "file", f.rel, "to", dest, "doc", r.Doc)
		return nil
	}
	in.log.Info("moved to done", "file", f.rel, "to", dest, "doc", r.Doc, "key", r.Key)
	return nil
}

var errTooBig = errors.New("file too large")

// outcomeDuplicate retires a copy of an archived document to done/ with a
// note beside it (an outcome of this ingest only, never on the queue).
const outcomeDuplicate = "duplicate"

func readFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Refuse by size before reading: a 3 GB file (or a sparse one claiming
	// it) must not be read into memory only to be refused. The limit on the
	// read still holds for a file that grows meanwhile.
	if info, err := f.Stat(); err == nil && info.Size() > limit {
		return nil, fmt.Errorf("%w: %d MiB, more than %d MiB", errTooBig, info.Size()>>20, limit>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: more than %d MiB", errTooBig, limit>>20)
	}
	return data, nil
}

func contentType(f pages.Format) string {
	switch f {
	case pages.JPEG:
		return "image/jpeg"
	case pages.PNG:
		return "image/png"
	case pages.TIFF:
		return "image/tiff"
	case pages.PDF:
		return "application/pdf"
	}
	return "application/octet-stream"
}
