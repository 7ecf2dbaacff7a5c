// Package poll waits, in tests, for what other goroutines and processes
// do: a document archived, a file moved, a server ready.
package poll

import (
	"testing"
	"time"
)

// Until calls fn every 50 ms until it returns nil, and fails the test with
// fn's last error when total has passed.
func Until(t testing.TB, total time.Duration, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(total)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %v", total, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
