// Package queuetest starts the work queue on a real embedded NATS server
// with JetStream, for tests.
package queuetest

import (
	"context"
	"log/slog"
	"testing"

	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/pipeline/natsd"
)

// Start runs an embedded NATS server for one test and opens the queue on
// it; both stop when the test ends.
func Start(t testing.TB) *pipeline.Queue {
	t.Helper()
	q, _ := start(t, "")
	return q
}

// StartListening is Start with the server on a random loopback port, for
// tests that run other processes against it: it also returns the URL they
// connect to.
func StartListening(t testing.TB) (*pipeline.Queue, string) {
	t.Helper()
	return start(t, "127.0.0.1:-1")
}

func start(t testing.TB, listen string) (*pipeline.Queue, string) {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	ns, err := natsd.Start(natsd.Config{StoreDir: t.TempDir(), Listen: listen}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	nc, err := ns.Connect("test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	q, err := pipeline.Open(context.Background(), nc, pipeline.Config{}, log)
	if err != nil {
		t.Fatal(err)
	}
	return q, ns.URL()
}
