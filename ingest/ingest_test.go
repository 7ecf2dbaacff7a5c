package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/objstore/s3test"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/pipeline/queuetest"
)

// A process killed after the archive committed a document but before the
// ingest handled its retire leaves the original in the inbox and the pages
// in the work bucket. The next start finds the file, sees the document
// archived, and must clear both.
func TestRestartRetiresArchivedAndClearsWork(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	q := queuetest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	work, err := objstore.Open(ctx, s3test.VersityGW(t).Config("sohoa-work"))
	if err != nil {
		t.Fatal(err)
	}

	root := t.TempDir()
	inbox := filepath.Join(root, "inbox")
	if err := os.MkdirAll(inbox, 0o775); err != nil {
		t.Fatal(err)
	}
	scan := []byte("%PDF-1.4 a scan whose document the archive already holds")
	if err := os.WriteFile(filepath.Join(inbox, "so-12.pdf"), scan, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(scan)
	id := pipeline.DocID(sum)
	left := []string{pipeline.WorkSourceKey(id), pipeline.WorkPageKey(id, 1, "tiff"), pipeline.WorkBlankKey(id, 1, 1)}
	for _, k := range left {
		if err := work.Put(ctx, k, []byte("x"), "application/octet-stream"); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(10 * time.Millisecond) // the status is newer than the file
	if _, _, err := q.CreateStatus(ctx, pipeline.Status{
		ID: id, SHA256: hex.EncodeToString(sum[:]), SourceName: "so-12.pdf", SourcePath: "so-12.pdf",
		Status: pipeline.StatusArchived, Key: "ubnd/2020/12-TB-UBND/" + id + ".pdf",
	}); err != nil {
		t.Fatal(err)
	}

	in, err := New(Config{Inbox: inbox, Done: filepath.Join(root, "done"), Failed: filepath.Join(root, "failed"),
		Name: "test", Poll: 50 * time.Millisecond, Settle: 50 * time.Millisecond}, q, work, log)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- in.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	poll.Until(t, 30*time.Second, func() error {
		if _, err := os.Stat(filepath.Join(root, "done", "so-12.pdf")); err != nil {
			return err
		}
		for o, err := range work.List(ctx, pipeline.WorkPrefix(id)) {
			if err != nil {
				return err
			}
			return fmt.Errorf("work bucket still holds %s", o.Key)
		}
		return nil
	})
	if _, err := os.Stat(filepath.Join(root, "done", "so-12.pdf.duplicate.txt")); err == nil {
		t.Error("the same file retired late was reported as a duplicate")
	}
}
