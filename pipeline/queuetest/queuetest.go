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
	log := slog.New(slog.DiscardHandler)
	ns, err := natsd.Start(natsd.Config{StoreDir: t.TempDir()}, log)
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
	return q
}
