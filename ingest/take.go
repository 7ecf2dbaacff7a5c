package ingest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// Errors of readInbox, sorted by take into what to do with the file.
var (
	// errNotRegular: a symlink, FIFO, device, socket or folder where a scan
	// should be. It is refused without being opened (or, if it was swapped
	// in meanwhile, without being read): a link is never followed, a FIFO
	// never blocks the ingest.
	errNotRegular = errors.New("not a regular file")
	// errTooBig: larger than Config.MaxFileSize, as fstat says, before a
	// byte is read.
	errTooBig = errors.New("file too large")
	// errChanged: the file's size or mtime changed while it was read (a
	// writer is still at it, or the file was copied again over itself). Not
	// a failure: the file is taken again once it settles.
	errChanged = errors.New("file changed while it was read")
)

// readChunk is how much of a file is read between two looks at the context.
const readChunk = 1 << 20

// inboxFile is what readInbox needs of an open file (an *os.File; tests
// wrap it to see what is read).
type inboxFile interface {
	io.ReadCloser
	Stat() (fs.FileInfo, error)
}

// openInbox opens a file of the inbox for reading without following a
// symlink and without blocking on a FIFO.
func openInbox(path string) (inboxFile, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err // *os.File(nil) must not become a non-nil interface
	}
	return f, nil
}

// inboxRead is one file read whole for ingest. size and mtime are those of
// the open descriptor (what was read), or, when reading failed, the latest
// that was known of the file.
type inboxRead struct {
	data  []byte
	sum   [sha256.Size]byte
	size  int64
	mtime time.Time
}

// readInbox reads the file at path for ingest. It refuses what is not a
// regular file before opening it, opens with O_NOFOLLOW|O_NONBLOCK, checks
// the open descriptor (type, and size against limit) before reading, reads
// in chunks while hashing and while ctx lasts, and compares the
// descriptor's size and mtime after reading with those before. The errors
// callers test for are fs.ErrNotExist, errNotRegular, errTooBig and
// errChanged; any other error is a failure to read.
func readInbox(ctx context.Context, path string, limit int64, open func(string) (inboxFile, error)) (inboxRead, error) {
	var r inboxRead
	li, err := os.Lstat(path)
	if err != nil {
		return r, err
	}
	r.size, r.mtime = li.Size(), li.ModTime()
	if !li.Mode().IsRegular() {
		return r, fmt.Errorf("%w: %s", errNotRegular, kind(li.Mode()))
	}
	f, err := open(path)
	if errors.Is(err, syscall.ELOOP) {
		return r, fmt.Errorf("%w: a symbolic link (swapped in while it was taken)", errNotRegular)
	}
	if err != nil {
		return r, err
	}
	defer f.Close()
	before, err := f.Stat()
	if err != nil {
		return r, err
	}
	r.size, r.mtime = before.Size(), before.ModTime()
	if !before.Mode().IsRegular() {
		return r, fmt.Errorf("%w: %s (swapped in while it was taken)", errNotRegular, kind(before.Mode()))
	}
	if before.Size() > limit {
		return r, fmt.Errorf("%w: %d MiB, more than the limit of %d MiB", errTooBig, before.Size()>>20, limit>>20)
	}
	h := sha256.New()
	// One byte more than fstat said, to see a file that grew.
	data := make([]byte, 0, before.Size()+1)
	for {
		if err := ctx.Err(); err != nil {
			return r, fmt.Errorf("read stopped after %d of %d bytes: %w", len(data), before.Size(), context.Cause(ctx))
		}
		if len(data) == cap(data) {
			return r, fmt.Errorf("%w: it grew beyond %d bytes", errChanged, before.Size())
		}
		end := min(cap(data), len(data)+readChunk)
		n, err := f.Read(data[len(data):end])
		h.Write(data[len(data) : len(data)+n])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return r, err
		}
	}
	after, err := f.Stat()
	if err != nil {
		return r, err
	}
	if int64(len(data)) != before.Size() || after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		return r, fmt.Errorf("%w: %d bytes read, size %d → %d, mtime %s → %s", errChanged,
			len(data), before.Size(), after.Size(), before.ModTime().Format(time.RFC3339Nano), after.ModTime().Format(time.RFC3339Nano))
	}
	r.data = data
	h.Sum(r.sum[:0])
	return r, nil
}

// kind names a file type that is not a regular file.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a folder"
	}
	return "not a regular file (" + m.Type().String() + ")"
}
