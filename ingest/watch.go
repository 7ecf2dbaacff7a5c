package ingest

import (
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// fileSeen is what the watcher knows of one file in the inbox.
type fileSeen struct {
	size    int64
	mtime   time.Time
	changed time.Time // when we first saw this size and mtime, by our clock
}

// confirm is the least time between two observations of a file that agree
// on its size and mtime before it may be taken.
const confirm = 300 * time.Millisecond

// settled reports whether a file has stopped changing: it was seen
// unchanged at least confirm apart, and either its mtime is older than
// settle or it has looked the same for settle by our own clock (which also
// covers shares whose clocks disagree with ours).
func (s *fileSeen) settled(now time.Time, settle time.Duration) bool {
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

// watcher finds files in the inbox that have stopped changing. It scans
// every poll interval (which works on SMB and NFS mounts, where no events
// come) and also soon after file system events, where they do.
type watcher struct {
	root   string
	poll   time.Duration
	settle time.Duration
	log    *slog.Logger
	seen   map[string]*fileSeen
}

// run calls ready with the path (relative to root) of every file that has
// been unchanged for the settle time, until ctx ends. ready is called again
// for a file only after it changed.
func (w *watcher) run(ctx context.Context, ready func(ctx context.Context, rel string, info fs.FileInfo)) error {
	w.seen = map[string]*fileSeen{}
	notify, err := fsnotify.NewWatcher()
	var events chan fsnotify.Event
	if err != nil {
		w.log.Warn("no file system events; polling only", "err", err)
	} else {
		defer notify.Close()
		events = notify.Events
		w.addDirs(notify)
	}
	taken := map[string]fileSeen{}
	soon := time.NewTimer(0)
	defer soon.Stop()
	tick := time.NewTicker(w.poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev := <-events:
			if ev.Has(fsnotify.Create) && notify != nil {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					w.addDirs(notify)
				}
			}
			soon.Reset(confirm)
			continue
		case <-soon.C:
		case <-tick.C:
		}
		if next := w.scan(ctx, taken, ready); !next.IsZero() {
			soon.Reset(max(time.Until(next), 10*time.Millisecond))
		}
	}
}

func (w *watcher) addDirs(n *fsnotify.Watcher) {
	_ = filepath.WalkDir(w.root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			if err := n.Add(p); err != nil {
				w.log.Debug("cannot watch folder", "dir", p, "err", err)
			}
		}
		return nil
	})
}

// scan looks at every file once; it returns when the next not-yet-settled
// file could be ready (zero if none is waiting).
func (w *watcher) scan(ctx context.Context, taken map[string]fileSeen, ready func(context.Context, string, fs.FileInfo)) time.Time {
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
		if !d.Type().IsRegular() || skipName(d.Name()) {
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
		if t, ok := taken[rel]; ok && t.size == s.size && t.mtime.Equal(s.mtime) {
			return nil
		}
		if !s.settled(now, w.settle) {
			wait(s.readyAt(w.settle))
			return nil
		}
		taken[rel] = *s
		ready(ctx, rel, info)
		return nil
	})
	if err != nil {
		w.log.Warn("scanning the inbox failed", "dir", w.root, "err", err)
	}
	for rel := range w.seen {
		if !present[rel] {
			delete(w.seen, rel)
			delete(taken, rel)
		}
	}
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
