package ingest

import (
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// fileSeen is what the watcher knows of one file in the inbox.
type fileSeen struct {
	size    int64
	mtime   time.Time
	changed time.Time // when we first saw this size and mtime, by our clock
	closed  bool      // a writer closed it after writing, at this size and mtime
}

// fsEvent is file system activity under the inbox: a file written (path
// set), closed after writing or moved in (closed), or just "look again"
// (no path).
type fsEvent struct {
	path   string
	closed bool
}

// confirm is the least time between two observations of a file that agree
// on its size and mtime before it may be taken.
const confirm = 300 * time.Millisecond

// settled reports whether a file has stopped changing: it was seen
// unchanged at least confirm apart, and either its mtime is older than
// settle or it has looked the same for settle by our own clock (which also
// covers shares whose clocks disagree with ours).
func (s *fileSeen) settled(now time.Time, settle time.Duration) bool {
	if s.closed {
		return true
	}
	watched := now.Sub(s.changed)
	return watched >= confirm && (now.Sub(s.mtime) >= settle || watched >= settle)
}

// readyAt is the earliest time the file could be settled, if it does not change.
func (s *fileSeen) readyAt(settle time.Duration) time.Time {
	t := s.mtime.Add(settle)
	if c := s.changed.Add(settle); c.Before(t) {
		t = c
	}
	if c := s.changed.Add(confirm); c.After(t) {
		t = c
	}
	return t
}

// watcher finds files in the inbox that are complete. It scans every poll
// interval (which works on SMB and NFS mounts, where no events come) and
// also at once after file system events, where they do. A file is complete
// when its writer has closed it (an event says so, on Linux), or when it
// has looked unchanged for the settle time. Entries that are not regular
// files (symlinks, FIFOs, devices, sockets) are offered too, never opened
// here, so that the ingest can say why it refuses them.
type watcher struct {
	root   string
	poll   time.Duration
	settle time.Duration
	log    *slog.Logger
	seen   map[string]*fileSeen

	// wake asks for a scan at once (a worker became free).
	wake chan struct{}

	mu sync.Mutex
	// taken holds the files offered and accepted, as they were then.
	taken map[string]fileSeen
	// notBefore holds files given back with again, not to be offered
	// before that time.
	notBefore map[string]time.Time
}

func newWatcher(root string, poll, settle time.Duration, log *slog.Logger) *watcher {
	return &watcher{root: root, poll: poll, settle: settle, log: log,
		wake: make(chan struct{}, 1), taken: map[string]fileSeen{}, notBefore: map[string]time.Time{}}
}

// again gives a file back: it is offered again, once settled, not before
// at, even if it has not changed. Safe to call from any goroutine.
func (w *watcher) again(rel string, at time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.taken, rel)
	w.notBefore[rel] = at
}

// nudge asks for a scan soon. Safe to call from any goroutine.
func (w *watcher) nudge() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// run calls ready with the path (relative to root) of every file that has
// been unchanged for the settle time, until ctx ends. ready must not block:
// it returns false when it cannot take the file now, and the file is
// offered again at a later scan (call nudge when it can). A file accepted
// is offered again only after it changed, or after again.
func (w *watcher) run(ctx context.Context, ready func(ctx context.Context, rel string, info fs.FileInfo) bool) error {
	w.seen = map[string]*fileSeen{}
	events, err := startEvents(ctx, w.root, w.log)
	if err != nil {
		w.log.Warn("no file system events; polling only", "err", err)
	}
	soon := time.NewTimer(0)
	defer soon.Stop()
	tick := time.NewTicker(w.poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				events = nil // polling only from now on
				continue
			}
			if ev.closed {
				w.markClosed(ev.path)
				soon.Reset(0)
			} else {
				soon.Reset(confirm)
			}
			continue
		case <-soon.C:
		case <-tick.C:
		case <-w.wake:
		}
		if next := w.scan(ctx, ready); !next.IsZero() {
			soon.Reset(max(time.Until(next), 10*time.Millisecond))
		}
	}
}

// markClosed records that a writer closed path: as it is now, it is complete.
func (w *watcher) markClosed(path string) {
	rel, err := filepath.Rel(w.root, path)
	if err != nil || skipName(filepath.Base(path)) {
		return
	}
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		return
	}
	s, ok := w.seen[rel]
	if !ok || s.size != info.Size() || !s.mtime.Equal(info.ModTime()) {
		s = &fileSeen{size: info.Size(), mtime: info.ModTime(), changed: time.Now()}
		w.seen[rel] = s
	}
	s.closed = true
}

func (w *watcher) scan(ctx context.Context, ready func(context.Context, string, fs.FileInfo) bool) time.Time {
	now := time.Now()
	var next time.Time
	wait := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	present := map[string]bool{}
	err := filepath.WalkDir(w.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // a folder removed during the walk, or unreadable: skip it
		}
		if ctx.Err() != nil {
			return fs.SkipAll
		}
		if d.IsDir() {
			if p != w.root && skipName(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if skipName(d.Name()) {
			return nil
		}
		rel, err := filepath.Rel(w.root, p)
		if err != nil {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		present[rel] = true
		s, ok := w.seen[rel]
		if !ok || s.size != info.Size() || !s.mtime.Equal(info.ModTime()) {
			s = &fileSeen{size: info.Size(), mtime: info.ModTime(), changed: now}
			w.seen[rel] = s
		}
		w.mu.Lock()
		t, isTaken := w.taken[rel]
		nb, later := w.notBefore[rel]
		w.mu.Unlock()
		if isTaken && t.size == s.size && t.mtime.Equal(s.mtime) {
			return nil
		}
		if !s.settled(now, w.settle) {
			wait(s.readyAt(w.settle))
			return nil
		}
		if later && now.Before(nb) {
			wait(nb)
			return nil
		}
		// Marked taken before it is offered: the worker that accepts it may
		// give it back (again) before ready returns.
		w.mu.Lock()
		w.taken[rel] = *s
		delete(w.notBefore, rel)
		w.mu.Unlock()
		if !ready(ctx, rel, info) {
			// Busy: offered again after a nudge or the next poll.
			w.mu.Lock()
			delete(w.taken, rel)
			w.mu.Unlock()
		}
		return nil
	})
	if err != nil {
		w.log.Warn("scanning the inbox failed", "dir", w.root, "err", err)
	}
	w.mu.Lock()
	for rel := range w.seen {
		if !present[rel] {
			delete(w.seen, rel)
			delete(w.taken, rel)
			delete(w.notBefore, rel)
		}
	}
	w.mu.Unlock()
	return next
}

// skipName tells files that are not scans: hidden files, and the temporary
// names that copy tools and scanner software write before renaming.
func skipName(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~") {
		return true
	}
	lower := strings.ToLower(name)
	for _, suf := range []string{".tmp", ".part", ".partial", ".crdownload", ".filepart", ".reason.txt"} {
		if strings.HasSuffix(lower, suf) {
			return true
		}
	}
	return false
}
