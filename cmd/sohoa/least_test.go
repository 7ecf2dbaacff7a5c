package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sohoa/sohoa/ingest/epdf/epdftest"
	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/objstore/s3test"
	"github.com/sohoa/sohoa/pipeline/queuetest"
)

// TestSplitRolesLeastPrivilege runs the three roles as separate processes,
// each with only its own credentials as deploy/ ships them: its NATS user of
// deploy/nats/auth.conf over TLS with a client certificate, and its S3
// account under the bucket policies of deploy/s3/versitygw. The worker and
// the ingest bind to the streams the archive made. A document goes all the
// way, and no role is refused anything on the way: the shipped permissions
// are enough, as the tests of each (TestShippedNATSPermissions,
// TestShippedBucketPolicies) show they are no more than needed.
func TestSplitRolesLeastPrivilege(t *testing.T) {
	nats := queuetest.StartShipped(t)
	s3 := s3test.VersityGWShipped(t)
	env := func(role string) []string {
		s := s3.Roles[role]
		return append(nats.Env(role), "SOHOA_S3_ACCESS_KEY="+s.AccessKey, "SOHOA_S3_SECRET_KEY="+s.SecretKey)
	}
	common := []string{"--nats", nats.URL, "--s3", s3.Endpoint}

	data := t.TempDir()
	httpAddr := freeAddr(t)
	base := "http://" + httpAddr
	// A worker that starts before the archive made the streams says so and exits.
	early := startProc(t, "early-worker", env("worker"), append([]string{"worker", "--workers", "1", "--nats-bind"}, common...)...)
	select {
	case err := <-early.exited:
		early.exited <- err // for its cleanup
	case <-time.After(time.Minute):
		t.Fatal("a worker binding before the archive did not exit")
	}
	if b, _ := os.ReadFile(early.log); !bytes.Contains(b, []byte("start sohoa archive first")) {
		t.Errorf("a worker binding before the archive says:\n%s", b)
	}

	ar := startProc(t, "archive", env("archive"), append([]string{"archive", "--data", data, "--http", httpAddr}, common...)...)
	waitHealthy(t, base, ar)
	w := startProc(t, "worker", env("worker"), append([]string{"worker", "--workers", "1", "--nats-bind"}, common...)...)
	in := startProc(t, "ingest", env("ingest"), append([]string{"ingest", "--data", data, "--name", "office1", "--nats-bind"}, common...)...)

	inbox := filepath.Join(data, "inbox")
	poll.Until(t, time.Minute, func() error { _, err := os.Stat(inbox); return err })
	const file = "07-CT-UBND-2018.pdf"
	copyFile(t, filepath.Join("..", "..", "fixtures", "real", file), filepath.Join(inbox, file))
	// An electronic original, all text: no page goes to OCR, and the
	// ingest itself tells the archive the document is ready.
	const electronic = "quyet-dinh-dien-tu.pdf"
	if err := os.WriteFile(filepath.Join(inbox, electronic), epdftest.Make([]epdftest.Page{{Lines: epdftest.QuyetDinh.Lines}}, epdftest.Options{}), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, d := range waitFinished(t, base, 2, 10*time.Minute) {
		if d.Status != "archived" {
			t.Errorf("%s: %s %s", d.SourceName, d.Status, d.Reason)
		}
	}
	for _, f := range []string{file, electronic} {
		poll.Until(t, 30*time.Second, func() error {
			_, err := os.Stat(filepath.Join(data, "done", f))
			return err
		})
	}
	for name, p := range map[string]*proc{"archive": ar, "worker": w, "ingest": in} {
		b, _ := os.ReadFile(p.log)
		for _, refused := range []string{"Permissions Violation", "Access Denied", "AccessDenied", "access denied"} {
			if bytes.Contains(b, []byte(refused)) {
				t.Errorf("the %s was refused something (%q) with its shipped permissions:\n%s", name, refused, b)
				break
			}
		}
	}
	if b, _ := os.ReadFile(ar.log); !bytes.Contains(b, []byte(`"create_only":true`)) {
		t.Errorf("the archive did not report its start-up check of conditional writes:\n%s", b)
	}
}
