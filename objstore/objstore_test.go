package objstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/objstore/s3d"
	"github.com/sohoa/sohoa/objstore/s3test"
)

// Every S3 service sohoa may be pointed at must pass the same suite.
func TestConformance(t *testing.T) {
	servers := []struct {
		name  string
		start func(t *testing.T) s3test.Server
	}{
		{"embedded", embedded},
		{"versitygw", func(t *testing.T) s3test.Server { return s3test.VersityGW(t) }},
		{"minio", func(t *testing.T) s3test.Server { return s3test.MinIO(t) }},
	}
	for _, srv := range servers {
		t.Run(srv.name, func(t *testing.T) {
			s := srv.start(t)
			ctx := context.Background()
			b, err := objstore.Open(ctx, s.Config("sohoa-test"))
			if err != nil {
				t.Fatal(err)
			}
			conformance(t, ctx, b)
			if srv.name == "embedded" {
				// The embedded endpoint keeps objects as plain files.
				want := []byte("plain file")
				if err := b.Put(ctx, "2018/07-CT-UBND/x.json", want, "application/json"); err != nil {
					t.Fatal(err)
				}
				got, err := os.ReadFile(filepath.Join(embeddedDir, "data", "sohoa-test", "2018", "07-CT-UBND", "x.json"))
				if err != nil || string(got) != string(want) {
					t.Fatalf("object on disk = %q, %v", got, err)
				}
			}
			// Opening an existing bucket again is fine.
			if _, err := objstore.Open(ctx, s.Config("sohoa-test")); err != nil {
				t.Fatalf("reopen: %v", err)
			}
		})
	}
}

// embeddedDir holds the embedded endpoint's files for the whole test process.
var embeddedDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "objstore-test-")
	if err != nil {
		panic(err)
	}
	embeddedDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	embeddedOnce sync.Once
	embeddedSrv  s3test.Server
	embeddedErr  error
)

// embedded starts s3d once per test process (versitygw allows one gateway
// per process).
func embedded(t *testing.T) s3test.Server {
	embeddedOnce.Do(func() {
		srv, err := s3d.Start(context.Background(), s3d.Config{Dir: embeddedDir}, slog.New(slog.DiscardHandler))
		if err != nil {
			embeddedErr = err
			return
		}
		embeddedSrv = s3test.Server{Name: "embedded", Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey}
	})
	if embeddedErr != nil {
		t.Fatal(embeddedErr)
	}
	return embeddedSrv
}

func conformance(t *testing.T, ctx context.Context, b *objstore.Bucket) {
	t.Helper()
	// Put and Get round trip, binary-safe, with a Vietnamese key.
	data := []byte("%PDF-1.7\n\x00\xff văn bản số hóa")
	keys := []string{"work/doc1/page-0001.jpg", "work/doc1/page-0002.jpg", "work/doc2/page-0001.png", "2020/15-2020-QĐ-UBND/a.pdf"}
	for _, k := range keys {
		if err := b.Put(ctx, k, data, "application/octet-stream"); err != nil {
			t.Fatalf("put %s: %v", k, err)
		}
	}
	got, err := b.Get(ctx, keys[3])
	if err != nil || string(got) != string(data) {
		t.Fatalf("get = %q, %v; want %q", got, err, data)
	}
	rc, info, err := b.Open(ctx, keys[0])
	if err != nil {
		t.Fatal(err)
	}
	streamed, _ := io.ReadAll(rc)
	rc.Close()
	if info.Size != int64(len(data)) || string(streamed) != string(data) {
		t.Fatalf("open: size %d, data %q", info.Size, streamed)
	}

	// Missing objects are ErrNotExist everywhere.
	if _, err := b.Get(ctx, "no/such/key"); !errors.Is(err, objstore.ErrNotExist) {
		t.Errorf("get missing: %v, want ErrNotExist", err)
	}
	if _, err := b.Stat(ctx, "no/such/key"); !errors.Is(err, objstore.ErrNotExist) {
		t.Errorf("stat missing: %v, want ErrNotExist", err)
	}
	if ok, err := b.Exists(ctx, "no/such/key"); ok || err != nil {
		t.Errorf("exists missing = %v, %v", ok, err)
	}
	if ok, err := b.Exists(ctx, keys[0]); !ok || err != nil {
		t.Errorf("exists = %v, %v", ok, err)
	}
	if err := b.Delete(ctx, "no/such/key"); err != nil {
		t.Errorf("delete missing: %v", err)
	}

	// Create never replaces.
	if err := b.Create(ctx, "once.json", []byte("first"), "application/json"); err != nil {
		t.Fatalf("create: %v", err)
	}
	if err := b.Create(ctx, "once.json", []byte("second"), "application/json"); !errors.Is(err, objstore.ErrExists) {
		t.Fatalf("second create: %v, want ErrExists", err)
	}
	if got, _ := b.Get(ctx, "once.json"); string(got) != "first" {
		t.Fatalf("create replaced the object: %q", got)
	}
	// The same bytes again are a retry whose answer was lost: taken as written.
	if err := b.Create(ctx, "once.json", []byte("first"), "application/json"); err != nil {
		t.Fatalf("create of the same bytes again: %v, want nil", err)
	}
	big := bytes.Repeat([]byte("bản gốc "), 100000)
	sum := sha256.Sum256(big)
	for i := range 2 {
		if err := b.CreateFrom(ctx, "originals/a.tif", bytes.NewReader(big), int64(len(big)), sum, "image/tiff"); err != nil {
			t.Fatalf("create from a reader (%d): %v", i, err)
		}
	}
	other := sha256.Sum256([]byte("x"))
	if err := b.CreateFrom(ctx, "originals/a.tif", bytes.NewReader([]byte("x")), 1, other, "image/tiff"); !errors.Is(err, objstore.ErrExists) {
		t.Fatalf("create from a reader of other bytes: %v, want ErrExists", err)
	}
	if got, _ := b.Get(ctx, "originals/a.tif"); !bytes.Equal(got, big) {
		t.Fatalf("create from a reader replaced the object (%d bytes)", len(got))
	}
	// The service honours conditional writes (the check every writer of the
	// archive makes at start), and says what it does to keep objects.
	if err := b.CheckCreateOnly(ctx); err != nil {
		t.Fatalf("check of conditional writes: %v", err)
	}
	if p, err := b.Protection(ctx); err != nil || p.Versioning == "" {
		t.Fatalf("protection = %+v, %v", p, err)
	} else {
		t.Logf("protection: %+v", p)
	}

	// List by prefix, in key order; DeletePrefix removes exactly that folder.
	var listed []string
	for o, err := range b.List(ctx, "work/doc1/") {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, o.Key)
	}
	if !slices.Equal(listed, keys[:2]) {
		t.Fatalf("list = %v, want %v", listed, keys[:2])
	}
	if err := b.DeletePrefix(ctx, "work/doc1/"); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys[:2] {
		if ok, _ := b.Exists(ctx, k); ok {
			t.Errorf("%s survived DeletePrefix", k)
		}
	}
	if ok, _ := b.Exists(ctx, keys[2]); !ok {
		t.Errorf("DeletePrefix removed %s from another folder", keys[2])
	}
	if err := b.DeletePrefix(ctx, "work/doc"); err == nil {
		t.Errorf("DeletePrefix accepted a prefix that is not a folder")
	}

	// Copy on the server, here within one bucket.
	if err := b.CopyFrom(ctx, b, keys[2], "copies/a.png"); err != nil {
		t.Fatalf("copy: %v", err)
	}
	if got, _ := b.Get(ctx, "copies/a.png"); string(got) != string(data) {
		t.Errorf("copied object = %q", got)
	}
	if err := b.CopyFrom(ctx, b, "no/such/key", "copies/b"); !errors.Is(err, objstore.ErrNotExist) {
		t.Errorf("copy of a missing object: %v", err)
	}
}
