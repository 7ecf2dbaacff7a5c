package main

import (
	"encoding/json"
	"log/slog"
	"sync"
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/sohoa/sohoa/objstore/s3test"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/pipeline/natsd"
)

// startNATS runs a NATS server with JetStream on a loopback port, as an
// external cluster would be, and listens on sohoa.events.archived like an
// e-office system. It returns the URL and a function giving the events so far.
func startNATS(t *testing.T) (string, func() []pipeline.Archived) {
	t.Helper()
	ns, err := natsd.Start(natsd.Config{StoreDir: t.TempDir(), Listen: "127.0.0.1:-1", Name: "test"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	nc, err := nats.Connect(ns.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	var mu sync.Mutex
	var got []pipeline.Archived
	if _, err := nc.Subscribe(pipeline.SubjectArchived, func(m *nats.Msg) {
		var e pipeline.Archived
		if json.Unmarshal(m.Data, &e) == nil {
			mu.Lock()
			got = append(got, e)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	return ns.URL(), func() []pipeline.Archived {
		mu.Lock()
		defer mu.Unlock()
		return append([]pipeline.Archived(nil), got...)
	}
}

// startS3 runs a real S3 server process (versitygw).
func startS3(t *testing.T) s3test.Server { return s3test.VersityGW(t) }
