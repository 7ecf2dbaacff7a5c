package main

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/objstore/s3test"
)

// sohoa verify exits 1 on a record it cannot parse, naming it, instead of
// skipping it: an archive whose records cannot be read is not verified.
func TestVerifyFailsOnUnreadableRecord(t *testing.T) {
	for _, tt := range []struct{ name, record, want string }{
		{"corrupt JSON", `{"schema": "sohoa.document/1", "id": "9c1e`, "cannot parse"},
		{"not a record", `{"hello": "world"}`, "not a document record"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := s3test.VersityGW(t)
			ctx := context.Background()
			b, err := objstore.Open(ctx, srv.Config(defaultArchiveBucket))
			if err != nil {
				t.Fatal(err)
			}
			key := "ubnd-huyen-x/2020/15-2020-QD-UBND/9c1e.json"
			if err := b.Put(ctx, key, []byte(tt.record), "application/json"); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(sohoaBinary(t), "verify", "--s3", srv.Endpoint, "--bucket", defaultArchiveBucket)
			cmd.Env = append(cmd.Environ(), srv.Env()...)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("sohoa verify: %v, want exit status 1\n%s", err, out)
			}
			if !strings.Contains(string(out), key) || !strings.Contains(string(out), tt.want) {
				t.Errorf("the output does not name %s with %q:\n%s", key, tt.want, out)
			}
		})
	}
}
