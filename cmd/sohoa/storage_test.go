package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/objstore/s3test"
)

// The worker's metrics are served without authentication: an address
// without a host stays on this machine.
func TestLoopbackDefault(t *testing.T) {
	for in, want := range map[string]string{
		":9101":          "127.0.0.1:9101",
		"0.0.0.0:9101":   "0.0.0.0:9101",
		"10.0.0.5:9101":  "10.0.0.5:9101",
		"[::1]:9101":     "[::1]:9101",
		"localhost:9101": "localhost:9101",
	} {
		if got := loopbackDefault(in); got != want {
			t.Errorf("loopbackDefault(%q) = %q, want %q", in, got, want)
		}
	}
}

// Secrets come from the environment or from a file it names, never flags.
func TestSecretEnv(t *testing.T) {
	f := filepath.Join(t.TempDir(), "s3-worker")
	if err := os.WriteFile(f, []byte("from-a-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOHOA_TEST_SECRET", "")
	t.Setenv("SOHOA_TEST_SECRET_FILE", f)
	if got, err := secretEnv("SOHOA_TEST_SECRET"); err != nil || got != "from-a-file" {
		t.Errorf("from the file: %q, %v", got, err)
	}
	t.Setenv("SOHOA_TEST_SECRET", "direct")
	if got, err := secretEnv("SOHOA_TEST_SECRET"); err != nil || got != "direct" {
		t.Errorf("from the variable: %q, %v", got, err)
	}
	t.Setenv("SOHOA_TEST_SECRET", "")
	t.Setenv("SOHOA_TEST_SECRET_FILE", f+".missing")
	if _, err := secretEnv("SOHOA_TEST_SECRET"); err == nil {
		t.Error("a missing secret file was not an error")
	}
}

// An S3 service that stores a create-only put over an object (here
// versitygw behind a proxy that answers such a put's refusal with success,
// as a service that ignores If-None-Match does) makes the archive refuse
// to start, saying why in Vietnamese and English; versitygw itself passes.
func TestGuardArchiveRefusesOverwritingService(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	s3 := s3test.VersityGW(t)
	good, err := objstore.Open(ctx, s3.Config("sohoa-archive"))
	if err != nil {
		t.Fatal(err)
	}
	if err := guardArchive(ctx, good, false, log); err != nil {
		t.Fatalf("versitygw refused: %v", err)
	}
	upstream, err := url.Parse(s3.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(upstream)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.Method == http.MethodPut && resp.Request.Header.Get("If-None-Match") != "" &&
			resp.StatusCode == http.StatusPreconditionFailed {
			resp.StatusCode, resp.Status = http.StatusOK, "200 OK"
			resp.Body = io.NopCloser(strings.NewReader(""))
			resp.ContentLength = 0
			resp.Header = http.Header{"Etag": {`"0"`}}
		}
		return nil
	}
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	cfg := s3.Config("sohoa-archive")
	cfg.Endpoint = srv.URL
	bad, err := objstore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	err = guardArchive(ctx, bad, false, log)
	if !errors.Is(err, objstore.ErrNoConditionalWrites) {
		t.Fatalf("a service that overwrites: %v, want ErrNoConditionalWrites", err)
	}
	for _, want := range []string{"không tôn trọng ghi có điều kiện", "refuses to start"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal does not say %q: %v", want, err)
		}
	}
}
