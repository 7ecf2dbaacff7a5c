//go:build linux

package ingest

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// startEvents watches root and its sub-folders with inotify. It reports a
// file as closed when a writer closes it after writing (IN_CLOSE_WRITE) or
// it is renamed into the inbox (IN_MOVED_TO): a local copy, or a scan saved
// through a Samba share, is then known complete at once, without waiting
// for it to look unchanged. The channel closes when ctx ends.
func startEvents(ctx context.Context, root string, log *slog.Logger) (<-chan fsEvent, error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, err
	}
	w := &inotify{f: os.NewFile(uintptr(fd), "inotify"), fd: fd, dirs: map[int32]string{}, log: log}
	w.addTree(root)
	out := make(chan fsEvent, 256)
	go func() {
		<-ctx.Done()
		w.f.Close() // ends the pending Read
	}()
	go w.read(ctx, out)
	return out, nil
}

const watchMask = unix.IN_CLOSE_WRITE | unix.IN_MOVED_TO | unix.IN_CREATE | unix.IN_DELETE_SELF | unix.IN_MODIFY

type inotify struct {
	f    *os.File
	fd   int
	log  *slog.Logger
	mu   sync.Mutex
	dirs map[int32]string // watch descriptor → folder
}

func (w *inotify) addTree(root string) {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if p != root && skipName(d.Name()) {
			return fs.SkipDir
		}
		wd, err := unix.InotifyAddWatch(w.fd, p, watchMask)
		if err != nil {
			w.log.Debug("cannot watch folder; it will be polled", "dir", p, "err", err)
			return nil
		}
		w.mu.Lock()
		w.dirs[int32(wd)] = p
		w.mu.Unlock()
		return nil
	})
}

func (w *inotify) read(ctx context.Context, out chan<- fsEvent) {
	defer close(out)
	buf := make([]byte, 64<<10)
	for {
		n, err := w.f.Read(buf)
		if err != nil {
			if ctx.Err() == nil && !errors.Is(err, os.ErrClosed) {
				w.log.Warn("file system events stopped; polling only", "err", err)
			}
			return
		}
		for off := 0; off+unix.SizeofInotifyEvent <= n; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
			nameBytes := buf[off+unix.SizeofInotifyEvent : off+unix.SizeofInotifyEvent+int(ev.Len)]
			off += unix.SizeofInotifyEvent + int(ev.Len)
			name := string(nameBytes)
			for len(name) > 0 && name[len(name)-1] == 0 {
				name = name[:len(name)-1]
			}
			if ev.Mask&unix.IN_Q_OVERFLOW != 0 {
				send(ctx, out, fsEvent{}) // events were lost: rescan
				continue
			}
			w.mu.Lock()
			dir, ok := w.dirs[ev.Wd]
			if ev.Mask&unix.IN_IGNORED != 0 {
				delete(w.dirs, ev.Wd)
			}
			w.mu.Unlock()
			if !ok || name == "" {
				continue
			}
			p := filepath.Join(dir, name)
			switch {
			case ev.Mask&unix.IN_ISDIR != 0:
				if ev.Mask&(unix.IN_CREATE|unix.IN_MOVED_TO) != 0 {
					w.addTree(p)
					send(ctx, out, fsEvent{})
				}
			case ev.Mask&(unix.IN_CLOSE_WRITE|unix.IN_MOVED_TO) != 0:
				send(ctx, out, fsEvent{path: p, closed: true})
			default:
				send(ctx, out, fsEvent{path: p})
			}
		}
	}
}

func send(ctx context.Context, out chan<- fsEvent, e fsEvent) {
	select {
	case out <- e:
	case <-ctx.Done():
	}
}
