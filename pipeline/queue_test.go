package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/pipeline/queuetest"
)

func TestStatusLifecycle(t *testing.T) {
	q := queuetest.Start(t)
	ctx := context.Background()
	if _, err := q.Status(ctx, "nope"); !errors.Is(err, pipeline.ErrNoStatus) {
		t.Fatalf("missing status: %v", err)
	}
	st := pipeline.Status{ID: "d1", SourceName: "a.pdf", Status: pipeline.StatusQueued, Attempt: 1, Ingest: "in1"}
	if _, created, err := q.CreateStatus(ctx, st); err != nil || !created {
		t.Fatalf("create: %v %v", created, err)
	}
	again, created, err := q.CreateStatus(ctx, pipeline.Status{ID: "d1", SourceName: "b.pdf"})
	if err != nil || created || again.SourceName != "a.pdf" {
		t.Fatalf("second create = %+v, %v, %v; want the first kept", again, created, err)
	}
	// Concurrent updates all land.
	done := make(chan error)
	for range 8 {
		go func() {
			_, err := q.UpdateStatus(ctx, "d1", func(s *pipeline.Status) error { s.Pages++; return nil })
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	got, err := q.Status(ctx, "d1")
	if err != nil || got.Pages != 8 {
		t.Fatalf("pages after 8 concurrent increments = %d, %v", got.Pages, err)
	}
}

func TestConsumeRetriesTransientAndFailsPermanent(t *testing.T) {
	q := queuetest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, id := range []string{"flaky", "broken"} {
		if _, _, err := q.CreateStatus(ctx, pipeline.Status{ID: id, Status: pipeline.StatusQueued, Attempt: 1, Ingest: "in1"}); err != nil {
			t.Fatal(err)
		}
		if err := q.PublishPage(ctx, pipeline.PageTask{Doc: id, Attempt: 1, Page: 1, Pages: 1}); err != nil {
			t.Fatal(err)
		}
	}
	// A repeated publish is dropped by the duplicate window.
	if err := q.PublishPage(ctx, pipeline.PageTask{Doc: "flaky", Attempt: 1, Page: 1, Pages: 1}); err != nil {
		t.Fatal(err)
	}
	cons, err := q.Consumer(ctx, pipeline.ConsumerConfig{Stream: pipeline.StreamPages, Name: "t", Filter: "sohoa.pages.>", AckWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var flakyTries, brokenTries, handled atomic.Int32
	go q.Consume(ctx, cons, 2, 5*time.Second, func(ctx context.Context, msg jetstream.Msg) error {
		handled.Add(1)
		switch pipeline.DocOf(msg.Subject()) {
		case "flaky":
			if flakyTries.Add(1) == 1 {
				return errors.New("object store unavailable") // transient: tried again
			}
			return nil
		case "broken":
			brokenTries.Add(1)
			return pipeline.Permanent("Tệp bị hỏng.", errors.New("corrupt page"))
		}
		return nil
	})

	// The broken document is failed, once, and its ingest is told.
	retire, err := q.Consumer(ctx, pipeline.ConsumerConfig{Stream: pipeline.StreamRetire, Name: "ingest-in1", Filter: pipeline.FilterRetire("in1"), AckWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := retire.Next(jetstream.FetchMaxWait(10 * time.Second))
	if err != nil {
		t.Fatalf("no retire message: %v", err)
	}
	var r pipeline.Retire
	if err := json.Unmarshal(msg.Data(), &r); err != nil || r.Doc != "broken" || r.Outcome != pipeline.OutcomeFailed {
		t.Fatalf("retire = %+v, %v", r, err)
	}
	st, _ := q.Status(ctx, "broken")
	if st.Status != pipeline.StatusFailed || st.Reason == "" {
		t.Fatalf("broken status = %+v", st)
	}
	// The flaky one comes back after its delay and succeeds.
	poll.Until(t, 15*time.Second, func() error {
		if flakyTries.Load() < 2 {
			return errors.New("flaky page not retried")
		}
		return nil
	})
	if n := brokenTries.Load(); n != 1 {
		t.Errorf("a permanent failure was tried %d times", n)
	}
	if n := handled.Load(); n != 3 {
		t.Errorf("handled %d deliveries, want 3 (the duplicate publish must be dropped)", n)
	}
}

func TestDocOf(t *testing.T) {
	tests := []struct{ subject, want string }{
		{pipeline.SubjectPage("abc", 3), "abc"},
		{pipeline.SubjectDoc("abc"), "abc"},
		{pipeline.SubjectRetire("host1", "abc"), "abc"},
		{pipeline.SubjectArchived, ""},
		{"sohoa.pages", ""},
	}
	for _, tt := range tests {
		if got := pipeline.DocOf(tt.subject); got != tt.want {
			t.Errorf("DocOf(%q) = %q, want %q", tt.subject, got, tt.want)
		}
	}
}

func TestRetryDelayGrowsAndCaps(t *testing.T) {
	prev := time.Duration(0)
	for n := uint64(1); n < 20; n++ {
		d := pipeline.RetryDelay(n)
		if d < prev {
			t.Fatalf("delay shrank at try %d: %v < %v", n, d, prev)
		}
		if d > 5*time.Minute {
			t.Fatalf("delay %v over the cap", d)
		}
		prev = d
	}
	if prev != 5*time.Minute {
		t.Fatalf("delay never reached the cap: %v", prev)
	}
}
