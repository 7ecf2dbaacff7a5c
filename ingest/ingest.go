package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	"github.com/sohoa/sohoa/ingest/epdf"
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
	// MaxFileSize in bytes (default 2 GiB), checked against the open file's
	// size before it is read.
	MaxFileSize int64
	// Workers is how many files are taken at once (default 4), so that one
	// slow or unreadable file holds up no other.
	Workers int
	// FileTimeout bounds one try at one file: reading, splitting, storing
	// its pages and queuing them (default 15 minutes). A try that runs out
	// of time while reading counts as a failed read; one that runs out
	// later (the queue or the object store is slow) is tried again.
	FileTimeout time.Duration
	// Limits on pages and pixels.
	Limits pages.Limits
	// Electronic is how the pages of electronic PDFs are rendered and their
	// text read (package epdf; the zero value means its defaults).
	Electronic epdf.Config
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
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.FileTimeout <= 0 {
		c.FileTimeout = 15 * time.Minute
	}
	if c.Electronic.MaxPixels <= 0 {
		c.Electronic.MaxPixels = c.Limits.MaxPixels // 0: the same default
	}
}

// Retrying a file.
const (
	// maxReadTries: a file that cannot be read this many times (the share
	// refuses it, an I/O error, a read that outlasts FileTimeout) goes to
	// failed/.
	maxReadTries = 3
	// readRetry is the pause before the next try at a file that could not
	// be read; queueRetry before the next try at one that could not be
	// queued (the queue or the object store is unavailable; not counted).
	readRetry  = 5 * time.Second
	queueRetry = 5 * time.Second
	// moveRetry is the pause before trying again to move a file to
	// failed/ when the move itself failed.
	moveRetry = time.Minute
)

// errFileTimeout is the cause of a try's context ending at FileTimeout.
var errFileTimeout = errors.New("ingest: the file took longer than the file timeout")

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

	w *watcher
	// open opens an inbox file for reading (openInbox; tests replace it).
	open func(path string) (inboxFile, error)
	// readRetry is the pause after a failed read (tests shorten it).
	readRetry time.Duration

	mu sync.Mutex
	// held maps a document id to the inbox files that are copies of it and
	// wait for it to be retired.
	held map[string][]heldFile
	// active holds the files a worker is taking now: one at a time per file.
	active map[string]bool
	// readFails counts failed reads of a file, as it was (size and mtime).
	readFails map[string]readFail
}

type readFail struct {
	size  int64
	mtime time.Time
	n     int
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
	// inbox/tach/ is where stacks are dropped (pipeline.StackDir).
	for _, d := range []string{cfg.Inbox, filepath.Join(cfg.Inbox, pipeline.StackDir), cfg.Done, cfg.Failed} {
		if err := os.MkdirAll(d, 0o775); err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
	}
	log = log.With("ingest", cfg.Name)
	return &Ingest{
		cfg: cfg, q: q, work: work, log: log,
		w:    newWatcher(cfg.Inbox, cfg.Poll, cfg.Settle, log),
		open: openInbox, readRetry: readRetry,
		held: map[string][]heldFile{}, active: map[string]bool{}, readFails: map[string]readFail{},
	}, nil
}

// Name is the name this ingest goes by on the queue.
func (in *Ingest) Name() string { return in.cfg.Name }

// Run watches the inbox, takes its files with Config.Workers workers, and
// retires originals until ctx ends. It waits for every goroutine it starts.
// Run may be called once.
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
	// Workers wait on an unbuffered channel: the watcher offers a file only
	// to a worker that is free, and never waits for one.
	jobs := make(chan string)
	g.Go(func() error {
		return in.w.run(ctx, func(_ context.Context, rel string, _ fs.FileInfo) bool {
			in.mu.Lock()
			defer in.mu.Unlock()
			if in.active[rel] {
				return false
			}
			select {
			case jobs <- rel:
				in.active[rel] = true
				return true
			default:
				return false
			}
		})
	})
	for range in.cfg.Workers {
		g.Go(func() error {
			for {
				select {
				case <-ctx.Done():
					return nil
				case rel := <-jobs:
					in.take(ctx, rel)
					in.mu.Lock()
					delete(in.active, rel)
					in.mu.Unlock()
					in.w.nudge()
				}
			}
		})
	}
	return g.Wait()
}

// take makes one try at one complete file of the inbox, within the file
// timeout. What cannot be done now is given back to the watcher for later;
// the file stays in the inbox and nothing is lost.
func (in *Ingest) take(ctx context.Context, rel string) {
	ctx, cancel := context.WithTimeoutCause(ctx, in.cfg.FileTimeout, errFileTimeout)
	defer cancel()
	err := in.ingest(ctx, rel)
	switch {
	case err == nil, errors.Is(err, fs.ErrNotExist):
		// Done, or removed meanwhile: nothing to do.
	case errors.Is(err, errChanged):
		in.log.Info("the file changed while it was read; taking it again once it settles", "file", rel, "err", err)
		in.w.again(rel, time.Now())
	default:
		// The queue or the object store is unavailable or slow.
		in.log.Warn("cannot queue the file yet; will retry", "file", rel, "err", err)
		in.w.again(rel, time.Now().Add(queueRetry))
	}
}

func (in *Ingest) ingest(ctx context.Context, rel string) error {
	path := filepath.Join(in.cfg.Inbox, rel)
	log := in.log.With("file", rel)
	f, err := readInbox(ctx, path, in.cfg.MaxFileSize, in.open)
	held := heldFile{rel: rel, size: f.size, mtime: f.mtime}
	switch {
	case err == nil:
		in.readOK(rel)
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, errChanged):
		return err
	case errors.Is(err, errNotRegular):
		return in.reject(ctx, held, "", "", pipeline.Permanent(adviceNotRegular, err))
	case errors.Is(err, errTooBig):
		return in.reject(ctx, held, "", "", pipeline.Permanent(adviceTooLarge, err))
	case ctx.Err() != nil && context.Cause(ctx) != errFileTimeout:
		return err // shutting down: not the file's fault
	default:
		n := in.readFailed(held)
		if n < maxReadTries {
			log.Warn("cannot read the file; will try again", "try", n, "of", maxReadTries, "err", err)
			in.w.again(rel, time.Now().Add(in.readRetry))
			return nil
		}
		in.readOK(rel)
		return in.reject(ctx, held, "", "", pipeline.Permanent(adviceUnreadable, fmt.Errorf("read %d times: %w", n, err)))
	}
	data, sum := f.data, f.sum
	id := pipeline.DocID(sum)
	log = log.With("doc", id)
	if in.isHeld(id, held) {
		return nil // this very file is in the pipeline already
	}

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
		if rel != st.SourcePath || f.mtime.After(st.Updated) {
			log.Info("a copy of an archived document; moving it to done as a duplicate", "key", st.Key)
			r.Outcome = outcomeDuplicate
			r.Reason = fmt.Sprintf("Văn bản này đã được lưu trữ trước đây (bản trùng, không lưu lại lần nữa).\n"+
				"Số và ký hiệu: %s\nTệp gốc lần trước: %s\nVị trí trong kho: %s\n", orDash(st.DocNumber), st.SourceName, st.Key)
		} else {
			log.Info("already archived; moving the file to done", "key", st.Key)
		}
		return in.retireLate(ctx, held, r)
	case st.Status == pipeline.StatusFailed && !f.mtime.After(st.Updated):
		// This very file failed and was not moved yet (a restart).
		return in.retireLate(ctx, held, pipeline.Retire{Doc: id, Outcome: pipeline.OutcomeFailed, Reason: st.Reason, Attempt: st.Attempt})
	}

	format, pgs, err := pages.SplitAll(data, in.cfg.Limits)
	if err != nil {
		return in.reject(ctx, held, id, hex.EncodeToString(sum[:]), pipeline.Permanent(advise(err), err))
	}
	// Pages of an electronic original: rendered, and read from their own
	// text where they have it (those need no OCR).
	texts, err := in.electronic(ctx, id, data, pgs, log)
	switch {
	case errors.Is(err, epdf.ErrTool):
		return err // poppler missing, or shutting down: not the file's fault
	case err != nil:
		return in.reject(ctx, held, id, hex.EncodeToString(sum[:]), pipeline.Permanent(adviceElectronic, err))
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
	// A page's own text is its result, as a worker would store its OCR:
	// stored before any page is queued, so that the worker that finishes
	// the last scanned page counts it.
	for _, t := range texts {
		b, err := json.Marshal(t)
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		if err := in.work.Put(ctx, pipeline.WorkTextKey(id, t.Page), b, "application/json"); err != nil {
			return err
		}
	}

	// Record the document, or start a new attempt of one that failed before.
	fresh := pipeline.Status{
		ID: id, SHA256: hex.EncodeToString(sum[:]), SourceName: filepath.Base(rel), SourcePath: rel,
		Ingest: in.cfg.Name, Format: string(format), Size: int64(len(data)), Pages: len(pgs), Status: pipeline.StatusQueued, Attempt: 1,
		Stack: isStack(rel),
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
				s.Stack = fresh.Stack
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for i, p := range pgs {
		if _, ok := texts[i+1]; ok {
			continue // read from its own text
		}
		t := pipeline.PageTask{
			Doc: id, Attempt: st.Attempt, Page: i + 1, Pages: len(pgs),
			Blob: pipeline.WorkPageKey(id, i+1, string(p.Format)), Format: string(p.Format),
			DPIX: p.DPIX, DPIY: p.DPIY, Stack: st.Stack,
		}
		if err := in.q.PublishPage(ctx, t); err != nil {
			return err
		}
	}
	if len(texts) == len(pgs) {
		// Every page was read from its text: no worker will say so.
		if err := in.q.PublishDocReady(ctx, pipeline.DocReady{Doc: id, Attempt: st.Attempt, Pages: len(pgs)}); err != nil {
			return err
		}
	}
	if created {
		log.Info("queued", "pages", len(pgs), "format", format, "text_pages", len(texts))
	} else {
		log.Info("queued again", "pages", len(pgs), "status", st.Status, "attempt", st.Attempt)
	}
	// Held only once every page is queued, so that a file held is one
	// there is nothing more to do for until its retire (isHeld).
	in.hold(id, held)
	// The archive may have finished the document, and its retire been
	// handled, between the status read above and the hold (this is a copy
	// dropped again, or the file copied again over itself, while the
	// document was in flight): then no retire comes for this copy. Give it
	// back: the next try sees the document's end and retires the file.
	now, err := in.q.Status(ctx, id)
	if err != nil {
		in.unhold(id, held)
		return err
	}
	if (now.Status == pipeline.StatusArchived || now.Status == pipeline.StatusFailed) && in.unhold(id, held) {
		log.Info("the document ended while the file was taken; retiring the file", "status", now.Status)
		in.w.again(rel, time.Now())
	}
	return nil
}

// isStack tells whether the file at rel (relative to the inbox) is a
// stack: anywhere under inbox/tach/.
func isStack(rel string) bool {
	first, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
	return strings.EqualFold(first, pipeline.StackDir) && first != filepath.ToSlash(rel)
}

// readFailed counts a failed read of a file and returns how many there
// were of the file as it is; readOK forgets them.
func (in *Ingest) readFailed(f heldFile) int {
	in.mu.Lock()
	defer in.mu.Unlock()
	r := in.readFails[f.rel]
	if r.size != f.size || !r.mtime.Equal(f.mtime) {
		r = readFail{size: f.size, mtime: f.mtime}
	}
	r.n++
	in.readFails[f.rel] = r
	return r.n
}

func (in *Ingest) readOK(rel string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	delete(in.readFails, rel)
}

// unreadID is the status id of a file refused before its content was
// known (not a regular file, too large, unreadable): derived from where it
// is and what it looked like, so that refusing it again updates one record.
func unreadID(ingest string, f heldFile) string {
	return pipeline.DocID(sha256.Sum256(fmt.Appendf(nil, "unread\x00%s\x00%s\x00%d\x00%d", ingest, f.rel, f.size, f.mtime.UnixNano())))
}

// reject records a file that can never be processed and moves it to
// failed/. A file whose content is unknown (id "") is recorded under
// unreadID, so that it shows in the API and on the pipeline page as well.
// If the file cannot be moved, its status says so and why, and the move is
// tried again later.
func (in *Ingest) reject(ctx context.Context, held heldFile, id, sum string, cause error) error {
	reason := pipeline.Reason(cause)
	in.log.Warn("cannot process the file", "file", held.rel, "doc", id, "err", cause)
	if id == "" {
		id = unreadID(in.cfg.Name, held)
	}
	if err := in.recordFailed(ctx, held, id, sum, reason); err != nil {
		return err
	}
	err := in.retireFile(held, pipeline.Retire{Doc: id, Outcome: pipeline.OutcomeFailed, Reason: reason})
	if err == nil {
		return nil
	}
	in.log.Error("cannot move the file to failed; will try again", "file", held.rel, "doc", id, "err", err)
	reason += "\n\n" + fmt.Sprintf(adviceNotMoved, in.cfg.Failed) + "\nChi tiết kỹ thuật (technical detail): " + err.Error()
	if err := in.recordFailed(ctx, held, id, sum, reason); err != nil {
		return err
	}
	in.w.again(held.rel, time.Now().Add(moveRetry))
	return nil
}

// recordFailed records document id as failed with reason, unless it was
// archived meanwhile.
func (in *Ingest) recordFailed(ctx context.Context, held heldFile, id, sum, reason string) error {
	st := pipeline.Status{
		ID: id, SHA256: sum, SourceName: filepath.Base(held.rel), SourcePath: held.rel,
		Ingest: in.cfg.Name, Size: held.size, Status: pipeline.StatusFailed, Reason: reason, Attempt: 1,
	}
	if _, created, err := in.q.CreateStatus(ctx, st); err != nil || created {
		return err
	}
	_, err := in.q.UpdateStatus(ctx, id, func(s *pipeline.Status) error {
		if s.Status != pipeline.StatusArchived {
			s.Status, s.Reason = pipeline.StatusFailed, reason
		}
		return nil
	})
	return err
}

// hold records that the inbox file f waits for document id to be retired.
// A file held already is held as it is now: one copied again over itself
// while its document was in flight must still match when the retire comes.
func (in *Ingest) hold(id string, f heldFile) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i, h := range in.held[id] {
		if h.rel == f.rel {
			in.held[id][i] = f
			return
		}
	}
	in.held[id] = append(in.held[id], f)
}

// isHeld reports whether f, as it is, waits for document id already.
func (in *Ingest) isHeld(id string, f heldFile) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, h := range in.held[id] {
		if h == f {
			return true
		}
	}
	return false
}

// unhold takes f back from the files that wait for id, and reports whether
// it was there (the retire had not taken it yet).
func (in *Ingest) unhold(id string, f heldFile) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i, h := range in.held[id] {
		if h.rel == f.rel {
			in.held[id] = append(in.held[id][:i:i], in.held[id][i+1:]...)
			if len(in.held[id]) == 0 {
				delete(in.held, id)
			}
			return true
		}
	}
	return false
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
// keeping its sub-folder; a symlink is moved as the link, never followed.
// A file that changed since it was taken is left in the inbox and given
// back to the watcher: taken again, it is either the same paper (copied
// again over itself), whose document has ended and which is retired then,
// or a different paper, taken on its own. Either way it does not stay.
func (in *Ingest) retireFile(f heldFile, r pipeline.Retire) error {
	src := filepath.Join(in.cfg.Inbox, f.rel)
	info, err := os.Lstat(src)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	if info.Size() != f.size || !info.ModTime().Equal(f.mtime) {
		in.log.Info("file changed since it was taken; taking it again", "file", f.rel)
		in.w.again(f.rel, time.Now())
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

// outcomeDuplicate retires a copy of an archived document to done/ with a
// note beside it (an outcome of this ingest only, never on the queue).
const outcomeDuplicate = "duplicate"

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
