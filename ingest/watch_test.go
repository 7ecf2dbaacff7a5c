package ingest

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/sohoa/sohoa/internal/poll"
)

func TestSettled(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	settle := 2 * time.Second
	tests := []struct {
		name           string
		mtime, changed time.Duration // before now
		want           bool
	}{
		{"just seen, old mtime: wait for a second look", 10 * time.Second, 0, false},
		{"seen twice, old mtime", 10 * time.Second, 400 * time.Millisecond, true},
		{"recent mtime, seen briefly", 500 * time.Millisecond, 400 * time.Millisecond, false},
		{"recent mtime, watched for settle", 0, 2 * time.Second, true},
		{"mtime in the future (clock skew), watched for settle", -time.Hour, 2 * time.Second, true},
		{"mtime in the future, watched briefly", -time.Hour, time.Second, false},
	}
	for _, tt := range tests {
		s := fileSeen{mtime: now.Add(-tt.mtime), changed: now.Add(-tt.changed)}
		if got := s.settled(now, settle); got != tt.want {
			t.Errorf("%s: settled = %v, want %v", tt.name, got, tt.want)
		}
		if at := s.readyAt(settle); tt.want != !at.After(now) {
			t.Errorf("%s: readyAt = %v, now %v", tt.name, at.Sub(now), now)
		}
	}
}

// A file written in pieces is taken once, after its last write, complete.
func TestWatcherTakesCompleteFilesOnce(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	got := map[string][]int64{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := newWatcher(dir, 100*time.Millisecond, 500*time.Millisecond, slog.New(slog.DiscardHandler))
	done := make(chan error)
	go func() {
		done <- w.run(ctx, func(_ context.Context, rel string, info fs.FileInfo) bool {
			mu.Lock()
			got[rel] = append(got[rel], info.Size())
			mu.Unlock()
			return true
		})
	}()
	path := filepath.Join(dir, "sub", "scan.jpg")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 { // a slow writer: pauses shorter than the settle time
		if _, err := f.Write(make([]byte, 1000)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	f.Close()
	for _, name := range []string{".hidden.jpg", "~$lock.pdf", "copy.jpg.part"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	poll.Until(t, 10*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		if len(got["sub/scan.jpg"]) == 0 {
			return errors.New("scan.jpg not taken yet")
		}
		return nil
	})
	time.Sleep(time.Second) // several more scans: the file must not be taken again
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if sizes := got["sub/scan.jpg"]; len(sizes) != 1 || sizes[0] != 5000 {
		t.Errorf("scan.jpg taken with sizes %v, want once with 5000", sizes)
	}
	if len(got) != 1 {
		t.Errorf("taken %v; hidden and temporary files must be ignored", got)
	}
}

// On Linux a file is complete as soon as its writer closes it: no waiting
// for the settle time.
func TestWatcherTakesClosedFilesAtOnce(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("close-after-write events are Linux's")
	}
	dir := t.TempDir()
	got := make(chan string, 4)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := newWatcher(dir, time.Hour, time.Hour, slog.New(slog.DiscardHandler))
	done := make(chan error)
	go func() {
		done <- w.run(ctx, func(_ context.Context, rel string, _ fs.FileInfo) bool { got <- rel; return true })
	}()
	time.Sleep(100 * time.Millisecond) // let the first scan and the watches start
	if err := os.MkdirAll(filepath.Join(dir, "new"), 0o755); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the new folder gets its watch
	if err := os.WriteFile(filepath.Join(dir, "new", "scan.png"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	select {
	case rel := <-got:
		if rel != "new/scan.png" {
			t.Errorf("took %q", rel)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a closed file was not taken before the settle time")
	}
	cancel()
	<-done
}
