//go:build !linux

package ingest

import (
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/fsnotify/fsnotify"
)

// startEvents watches root and its sub-folders with fsnotify. Events only
// wake the scanner: completeness is judged by the file looking unchanged.
func startEvents(ctx context.Context, root string, log *slog.Logger) (<-chan fsEvent, error) {
	n, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	addDirs := func() {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				if err := n.Add(p); err != nil {
					log.Debug("cannot watch folder; it will be polled", "dir", p, "err", err)
				}
			}
			return nil
		})
	}
	addDirs()
	out := make(chan fsEvent, 256)
	go func() {
		defer close(out)
		defer n.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-n.Events:
				if !ok {
					return
				}
				if ev.Has(fsnotify.Create) {
					if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
						addDirs()
					}
				}
				select {
				case out <- fsEvent{path: ev.Name}:
				case <-ctx.Done():
					return
				}
			case <-n.Errors:
			}
		}
	}()
	return out, nil
}
