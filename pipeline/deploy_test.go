package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/pipeline/queuetest"
)

// TestShippedNATSPermissions starts a real NATS server with JetStream on
// the accounts and permissions that deploy/nats/auth.conf ships, behind TLS
// that requires client certificates, as deploy/nats/nats.conf does, and
// checks that each role can do its work and no more: above all, that a
// worker (or an ingest) cannot publish sohoa.retire.*, which would make an
// ingest move an original to done/ unarchived.
func TestShippedNATSPermissions(t *testing.T) {
	srv := queuetest.StartShipped(t)
	url, pw := srv.URL, srv.Passwords
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	log := slog.New(slog.DiscardHandler)

	// refusals collects the permission violations the server reports to each role.
	var mu sync.Mutex
	refusals := map[string][]string{}
	connect := func(role string, extra ...nats.Option) (*nats.Conn, error) {
		o := append(srv.Options(role),
			nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
				mu.Lock()
				refusals[role] = append(refusals[role], err.Error())
				mu.Unlock()
			}))
		o = append(o, extra...)
		return nats.Connect(url, o...)
	}
	must := func(role string) *nats.Conn {
		nc, err := connect(role)
		if err != nil {
			t.Fatalf("connect as %s: %v", role, err)
		}
		t.Cleanup(nc.Close)
		return nc
	}

	// Without a password, without a client certificate, or without TLS: no entry.
	if nc, err := nats.Connect(url, nats.RootCAs(srv.CA), nats.ClientCert(srv.Cert, srv.Key)); err == nil {
		nc.Close()
		t.Error("an anonymous client was let in")
	}
	if nc, err := nats.Connect(url, nats.UserInfo("worker", pw["worker"]), nats.RootCAs(srv.CA)); err == nil {
		nc.Close()
		t.Error("a client without a certificate was let in")
	}
	if nc, err := nats.Connect(strings.Replace(url, "tls://", "nats://", 1), nats.UserInfo("worker", pw["worker"])); err == nil {
		nc.Close()
		t.Error("a client without TLS was let in")
	}
	if nc, err := nats.Connect(url, nats.UserInfo("worker", "guess"), nats.RootCAs(srv.CA), nats.ClientCert(srv.Cert, srv.Key)); err == nil {
		nc.Close()
		t.Error("a wrong password was let in")
	}

	// The archive creates the streams and buckets; the others bind.
	archive, err := pipeline.Open(ctx, must("archive"), pipeline.Config{}, log)
	if err != nil {
		t.Fatalf("the archive cannot open the queue with its permissions: %v", err)
	}
	ingest, err := pipeline.Open(ctx, must("ingest"), pipeline.Config{Bind: true}, log)
	if err != nil {
		t.Fatalf("the ingest cannot bind to the queue with its permissions: %v", err)
	}
	workerNC := must("worker")
	worker, err := pipeline.Open(ctx, workerNC, pipeline.Config{Bind: true}, log)
	if err != nil {
		t.Fatalf("a worker cannot bind to the queue with its permissions: %v", err)
	}

	// Each can do its part of one document's way.
	st, created, err := ingest.CreateStatus(ctx, pipeline.Status{ID: "doc1", Ingest: "office1", Pages: 1, Status: pipeline.StatusQueued, Attempt: 1})
	if err != nil || !created {
		t.Fatalf("ingest: create status = %v, %v", created, err)
	}
	if err := ingest.PublishPage(ctx, pipeline.PageTask{Doc: st.ID, Attempt: 1, Page: 1, Pages: 1, Blob: "work/doc1/p1", Format: "png"}); err != nil {
		t.Fatalf("ingest: publish a page: %v", err)
	}
	// An electronic original's pages are read from their own text in the
	// ingest, which then tells the archive the document is ready.
	if err := ingest.PublishDocReady(ctx, pipeline.DocReady{Doc: "doc-text", Attempt: 1, Pages: 1}); err != nil {
		t.Fatalf("ingest: announce an electronic document ready: %v", err)
	}
	cons, err := worker.Consumer(ctx, pipeline.ConsumerConfig{Stream: pipeline.StreamPages, Name: pipeline.ConsumerOCR, Filter: "sohoa.pages.>", AckWait: pipeline.AckWaitOCR})
	if err != nil {
		t.Fatalf("worker: consumer: %v", err)
	}
	batch, err := cons.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatalf("worker: fetch: %v", err)
	}
	var got int
	for msg := range batch.Messages() {
		got++
		if err := msg.DoubleAck(ctx); err != nil {
			t.Fatalf("worker: ack: %v", err)
		}
	}
	if got != 1 {
		t.Fatalf("worker fetched %d pages, want 1 (%v)", got, batch.Error())
	}
	if _, err := worker.Status(ctx, "doc1"); err != nil {
		t.Fatalf("worker: read status: %v", err)
	}
	if _, err := worker.UpdateStatus(ctx, "doc1", func(s *pipeline.Status) error { s.Status = pipeline.StatusProcessing; return nil }); err != nil {
		t.Fatalf("worker: update status: %v", err)
	}
	if err := worker.PublishDocReady(ctx, pipeline.DocReady{Doc: "doc1", Attempt: 1, Pages: 1}); err != nil {
		t.Fatalf("worker: publish doc ready: %v", err)
	}
	if _, err := archive.Consumer(ctx, pipeline.ConsumerConfig{Stream: pipeline.StreamDocs, Name: pipeline.ConsumerArchive, Filter: "sohoa.docs.>", AckWait: pipeline.AckWaitArchive}); err != nil {
		t.Fatalf("archive: consumer: %v", err)
	}
	if _, err := ingest.Consumer(ctx, pipeline.ConsumerConfig{Stream: pipeline.StreamRetire, Name: pipeline.ConsumerIngest("office1"), Filter: pipeline.FilterRetire("office1"), AckWait: pipeline.AckWaitRetire}); err != nil {
		t.Fatalf("ingest: consumer: %v", err)
	}

	// Neither a worker nor an ingest can retire a document; the archive can.
	retires := func() uint64 {
		s, err := archive.JetStream().Stream(ctx, pipeline.StreamRetire)
		if err != nil {
			t.Fatal(err)
		}
		info, err := s.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return info.State.Msgs
	}
	for _, role := range []struct {
		name string
		q    *pipeline.Queue
	}{{"worker", worker}, {"ingest", ingest}} {
		pctx, pcancel := context.WithTimeout(ctx, 3*time.Second)
		err := role.q.PublishRetire(pctx, "office1", pipeline.Retire{Doc: "doc1", Attempt: 1, Outcome: pipeline.OutcomeArchived, Key: "x.pdf"})
		pcancel()
		if err == nil {
			t.Errorf("a %s published a retire message", role.name)
		}
		// The plain publish, without waiting for JetStream, is refused too.
		nc := role.q.Conn()
		_ = nc.Publish("sohoa.retire.office1.doc1", []byte(`{"doc":"doc1","attempt":1,"outcome":"archived"}`))
		_ = nc.Flush()
		if n := retires(); n != 0 {
			t.Fatalf("after a %s's attempts, SOHOA_RETIRE holds %d messages, want 0", role.name, n)
		}
		poll.Until(t, 10*time.Second, func() error {
			mu.Lock()
			defer mu.Unlock()
			for _, r := range refusals[role.name] {
				if strings.Contains(r, "Permissions Violation") && strings.Contains(r, "sohoa.retire.office1.doc1") {
					return nil
				}
			}
			return fmt.Errorf("the server reported no refused publish to sohoa.retire by the %s (only %q)", role.name, refusals[role.name])
		})
	}
	if err := archive.PublishRetire(ctx, "office1", pipeline.Retire{Doc: "doc1", Attempt: 1, Outcome: pipeline.OutcomeArchived, Key: "x.pdf"}); err != nil {
		t.Fatalf("the archive cannot retire: %v", err)
	}
	if n := retires(); n != 1 {
		t.Fatalf("SOHOA_RETIRE holds %d messages after the archive's, want 1", n)
	}

	// A worker cannot change a stream either: not delete or purge it, nor
	// add a source that would carry its own messages into sohoa.retire.
	wjs := worker.JetStream()
	sctx, scancel := context.WithTimeout(ctx, 3*time.Second)
	defer scancel()
	if err := wjs.DeleteStream(sctx, pipeline.StreamRetire); err == nil {
		t.Error("a worker deleted SOHOA_RETIRE")
	}
	if _, err := wjs.UpdateStream(sctx, jetstream.StreamConfig{Name: pipeline.StreamRetire, Subjects: []string{"sohoa.retire.>", "sohoa.docs.>"}}); err == nil {
		t.Error("a worker changed SOHOA_RETIRE's subjects")
	}
	if _, err := archive.JetStream().Stream(ctx, pipeline.StreamRetire); err != nil {
		t.Fatalf("SOHOA_RETIRE after the worker's attempts: %v", err)
	}
	// Nor may the archive delete a stream.
	if err := archive.JetStream().DeleteStream(sctx, pipeline.StreamPages); err == nil {
		t.Error("the archive deleted SOHOA_PAGES")
	}

	// Binding before the archive created the streams says so.
	url = srv.Start(t, "bare")
	if _, err := pipeline.Open(ctx, must("worker"), pipeline.Config{Bind: true}, log); !errors.Is(err, pipeline.ErrNotCreated) {
		t.Errorf("a worker binding before the archive: %v, want ErrNotCreated", err)
	}
}
