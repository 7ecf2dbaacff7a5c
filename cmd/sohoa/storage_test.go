package main

import (
	"os"
	"path/filepath"
	"testing"
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
