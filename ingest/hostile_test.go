package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sohoa/sohoa/ingest/pages/pagestest"
	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/pipeline/queuetest"
)

// memStore is a work bucket in memory: this test is about what ingest
// refuses and what it lets through, not about S3, and needs no S3 server.
type memStore struct {
	mu   sync.Mutex
	objs map[string][]byte
}

var _ pageStore = (*memStore)(nil)

func (m *memStore) Put(_ context.Context, key string, data []byte, _ string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.objs[key] = bytes.Clone(data)
	return nil
}

func (m *memStore) DeletePrefix(_ context.Context, prefix string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k := range m.objs {
		if strings.HasPrefix(k, prefix) {
			delete(m.objs, k)
		}
	}
	return nil
}

func (m *memStore) has(key string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.objs[key]
	return ok
}

// Hostile files dropped into the inbox beside a good scan, through the real
// ingest (watcher, Split, queue on an embedded NATS server): each lands in
// failed/ with a reason a clerk can read and the technical detail, and the
// good scan is queued. Nothing is read or decoded at the size the files
// claim: the whole run stays within a bound that reading the sparse file
// (2 GiB up to the file limit) or copying the bomb's strips (1 GiB) would
// break.
func TestHostileFilesGoToFailed(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	q := queuetest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	work := &memStore{objs: map[string][]byte{}}

	root := t.TempDir()
	inbox, failed := filepath.Join(root, "inbox"), filepath.Join(root, "failed")
	if err := os.MkdirAll(inbox, 0o775); err != nil {
		t.Fatal(err)
	}
	var good bytes.Buffer
	g := image.NewGray(image.Rect(0, 0, 200, 100))
	for i := range g.Pix {
		g.Pix[i] = byte(255 - i%7)
	}
	if err := png.Encode(&good, g); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"bomb.tif":   pagestest.StripBomb(),
		"huge.png":   pagestest.PNGHeader(14000, 14000), // 196 Mpx
		"scan-1.png": good.Bytes(),
		"empty.jpg":  nil,
		"nopages.pdf": []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n" +
			"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n109\n%%EOF\n"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(inbox, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// 3 GB of nothing: a sparse file, refused by its size before a byte
	// of it is read.
	sparse := filepath.Join(inbox, "sparse.pdf")
	if err := os.WriteFile(sparse, []byte("%PDF-1.4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(sparse, 3<<30); err != nil {
		t.Fatal(err)
	}

	in, err := New(Config{Inbox: inbox, Done: filepath.Join(root, "done"), Failed: failed,
		Name: "test", Poll: 50 * time.Millisecond, Settle: 50 * time.Millisecond}, q, work, log)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	done := make(chan error, 1)
	go func() { done <- in.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	want := map[string][]string{ // file: what its reason must say
		"bomb.tif":    {adviceCorrupt, "share bytes"},
		"huge.png":    {adviceTooLarge, "14000x14000", "exceeds the limit"},
		"sparse.pdf":  {adviceTooLarge, "3072 MiB, more than the limit of 2048 MiB"},
		"empty.jpg":   {adviceEmpty, "0 bytes"},
		"nopages.pdf": {adviceEmpty, "no pages"},
	}
	goodID := pipeline.DocID(sha256.Sum256(good.Bytes()))
	poll.Until(t, 60*time.Second, func() error {
		for name := range want {
			if _, err := os.Stat(filepath.Join(failed, name+".reason.txt")); err != nil {
				return err
			}
		}
		st, err := q.Status(ctx, goodID)
		if err != nil {
			return fmt.Errorf("the good scan: %w", err)
		}
		if st.Status != pipeline.StatusQueued || st.Pages != 1 {
			return fmt.Errorf("the good scan is %s with %d pages", st.Status, st.Pages)
		}
		return nil
	})
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("ingest allocated %d MiB taking the four files", alloc>>20)
	if alloc > 256<<20 {
		t.Errorf("ingest allocated %d MiB taking the four files", alloc>>20)
	}

	for name, says := range want {
		if _, err := os.Stat(filepath.Join(inbox, name)); err == nil {
			t.Errorf("%s is still in the inbox", name)
		}
		if _, err := os.Stat(filepath.Join(failed, name)); err != nil {
			t.Errorf("%s is not in failed/: %v", name, err)
		}
		reason, err := os.ReadFile(filepath.Join(failed, name+".reason.txt"))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range append(says, "Tệp: "+name, "Chi tiết kỹ thuật") {
			if !bytes.Contains(reason, []byte(s)) {
				t.Errorf("%s: the reason does not say %q:\n%s", name, s, reason)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(failed, "scan-1.png")); err == nil {
		t.Error("the good scan went to failed/")
	}
	if key := pipeline.WorkPageKey(goodID, 1, "png"); !work.has(key) {
		t.Errorf("the good scan's page %s is not in the work bucket", key)
	}
}
