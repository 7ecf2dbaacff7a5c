package objstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/objstore/s3test"
)

// TestShippedBucketPolicies gives versitygw's buckets the policies that
// deploy/s3/versitygw ships and checks each role's credentials against
// them: a worker reaches the work bucket only, and cannot delete there; the
// archive creates in the archive bucket but can neither delete nor replace
// what is there; nobody but the archive reaches the archive bucket.
func TestShippedBucketPolicies(t *testing.T) {
	srv := s3test.VersityGWShipped(t)
	ctx := context.Background()
	worker, ingest, archive := srv.Roles["worker"], srv.Roles["ingest"], srv.Roles["archive"]
	root := map[string]*objstore.Bucket{}
	for _, name := range []string{"sohoa-work", "sohoa-archive"} {
		b, err := objstore.Open(ctx, srv.Config(name))
		if err != nil {
			t.Fatal(err)
		}
		root[name] = b
	}
	if err := root["sohoa-archive"].Create(ctx, "2020/old/v1.pdf", []byte("archived before"), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	if err := root["sohoa-work"].Create(ctx, "work/doc1/page-0001.png", []byte("page"), "image/png"); err != nil {
		t.Fatal(err)
	}

	open := func(s s3test.Server, bucket string) (*objstore.Bucket, error) {
		return objstore.Open(ctx, s.Config(bucket))
	}
	mustOpen := func(s s3test.Server, bucket string) *objstore.Bucket {
		b, err := open(s, bucket)
		if err != nil {
			t.Fatalf("%s cannot open %s: %v", s.Name, bucket, err)
		}
		return b
	}
	denied := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, objstore.ErrDenied) {
			t.Errorf("%s: %v, want ErrDenied", what, err)
		}
	}

	// A worker: pages in, results out; nothing of the archive.
	w := mustOpen(worker, "sohoa-work")
	if _, err := w.Get(ctx, "work/doc1/page-0001.png"); err != nil {
		t.Errorf("worker: read a page: %v", err)
	}
	if err := w.Create(ctx, "work/doc1/text-0001.json", []byte("{}"), "application/json"); err != nil {
		t.Errorf("worker: leave a result: %v", err)
	}
	denied("worker: delete a page", w.Delete(ctx, "work/doc1/page-0001.png"))
	_, err := open(worker, "sohoa-archive")
	denied("worker: open the archive bucket", err)
	wa := objstore.Unchecked(worker.Config("sohoa-archive"))
	denied("worker: write the archive bucket", wa.Create(ctx, "2020/new/v1.pdf", []byte("forged"), "application/pdf"))
	denied("worker: delete from the archive bucket", wa.Delete(ctx, "2020/old/v1.pdf"))
	_, err = wa.Get(ctx, "2020/old/v1.pdf")
	denied("worker: read the archive bucket", err)

	// The ingest: queues pages and clears them once retired; no archive.
	in := mustOpen(ingest, "sohoa-work")
	if err := in.Create(ctx, "work/doc2/page-0001.png", []byte("p"), "image/png"); err != nil {
		t.Errorf("ingest: queue a page: %v", err)
	}
	if err := in.DeletePrefix(ctx, "work/doc2/"); err != nil {
		t.Errorf("ingest: clear a retired document: %v", err)
	}
	ia := objstore.Unchecked(ingest.Config("sohoa-archive"))
	denied("ingest: write the archive bucket", ia.Create(ctx, "2020/new/v1.pdf", []byte("forged"), "application/pdf"))

	// The archive: reads the work bucket, creates in the archive bucket,
	// and deletes nothing anywhere.
	a := mustOpen(archive, "sohoa-archive")
	if err := a.CheckCreateOnly(ctx); err != nil {
		t.Errorf("archive: the start-up check fails with the archive's credentials: %v", err)
	}
	if err := a.Create(ctx, "2020/new/v1.pdf", []byte("new"), "application/pdf"); err != nil {
		t.Errorf("archive: create: %v", err)
	}
	if err := a.Create(ctx, "2020/old/v1.pdf", []byte("replaced"), "application/pdf"); !errors.Is(err, objstore.ErrExists) {
		t.Errorf("archive: create over an object: %v, want ErrExists", err)
	}
	denied("archive: delete from the archive bucket", a.Delete(ctx, "2020/old/v1.pdf"))
	if got, err := root["sohoa-archive"].Get(ctx, "2020/old/v1.pdf"); err != nil || string(got) != "archived before" {
		t.Errorf("the archived object is now %q, %v", got, err)
	}
	aw := mustOpen(archive, "sohoa-work")
	if _, err := aw.Get(ctx, "work/doc1/page-0001.png"); err != nil {
		t.Errorf("archive: read a page: %v", err)
	}
	denied("archive: delete from the work bucket", aw.Delete(ctx, "work/doc1/page-0001.png"))
	denied("archive: write the work bucket", aw.Create(ctx, "work/doc1/x", []byte("x"), "text/plain"))
}
