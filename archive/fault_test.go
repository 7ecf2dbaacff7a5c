package archive_test

import (
	"context"
	"testing"
	"time"

	"github.com/sohoa/sohoa/archive/archivetest"
	"github.com/sohoa/sohoa/pipeline"
)

// TestS3GoneWhileCommitting: the S3 server is killed as a document becomes
// ready and comes back some seconds later. The document is not failed
// while the server is away (an unreachable service is a transient
// failure) and is archived once it is back, its PDF and record whole.
func TestS3GoneWhileCommitting(t *testing.T) {
	r := archivetest.New(t)
	ctx := context.Background()
	r.Stage(t, "s3gone", archivetest.ChiThi...)
	r.S3.Stop()
	r.Ready(t, "s3gone")
	time.Sleep(6 * time.Second) // the archive tries, fails and backs off
	st, err := r.Queue.Status(ctx, "s3gone")
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != pipeline.StatusProcessing {
		t.Fatalf("with S3 away the document is %q (%s), want it still processing", st.Status, st.Reason)
	}
	r.S3.Start()
	st = r.WaitArchived(t, "s3gone")
	rec, err := r.Archive.Record(ctx, "s3gone")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Version != 1 || rec.PDF.Key != st.Key {
		t.Errorf("record after the outage: version %d, PDF %q; status key %q", rec.Version, rec.PDF.Key, st.Key)
	}
	if _, err := r.Store.Get(ctx, rec.PDF.Key); err != nil {
		t.Errorf("the PDF after the outage: %v", err)
	}
}
