package pipeline_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/pipeline/queuetest"
)

func TestJudge(t *testing.T) {
	tests := []struct {
		name        string
		delivered   uint64
		past        map[uint64]string
		deaths      int
		sure        int
		quarantined bool
	}{
		{"first delivery", 1, nil, 0, 0, false},
		{"returned with an error, tried again", 3, map[uint64]string{1: "returned", 2: "returned"}, 0, 0, false},
		{"died once among others", 2, nil, 1, 0, false},
		{"died among others every time", 5, nil, 4, 0, false},
		{"died among others, then alone", 3, map[uint64]string{2: "alone"}, 2, 1, false},
		{"died among others, then alone twice", 4, map[uint64]string{2: "alone", 3: "alone"}, 3, 2, true},
		{"died alone once only", 2, map[uint64]string{1: "alone"}, 1, 1, false},
		{"died among others, then returned alone", 3, map[uint64]string{2: "returned"}, 1, 0, false},
		{"overdue twice", 3, map[uint64]string{1: "overdue", 2: "overdue"}, 2, 2, true},
		{"died among others, then overdue", 3, map[uint64]string{2: "overdue"}, 2, 1, false},
		{"died alone, then overdue", 3, map[uint64]string{1: "alone", 2: "overdue"}, 2, 2, true},
		{"overdue once, then returned", 3, map[uint64]string{1: "overdue", 2: "returned"}, 1, 1, false},
	}
	for _, tt := range tests {
		deaths, sure, q := pipeline.Judge(tt.delivered, tt.past)
		if deaths != tt.deaths || sure != tt.sure || q != tt.quarantined {
			t.Errorf("%s: deaths, sure, quarantined = %d, %d, %v; want %d, %d, %v", tt.name, deaths, sure, q, tt.deaths, tt.sure, tt.quarantined)
		}
	}
}

// queueDocs creates a one-page document for every id and queues its page.
func queueDocs(t *testing.T, q *pipeline.Queue, ids ...string) {
	t.Helper()
	ctx := context.Background()
	for _, id := range ids {
		if _, _, err := q.CreateStatus(ctx, pipeline.Status{ID: id, SourceName: id + ".pdf", Status: pipeline.StatusQueued, Attempt: 1, Ingest: "in1", Pages: 1}); err != nil {
			t.Fatal(err)
		}
		if err := q.PublishPage(ctx, pipeline.PageTask{Doc: id, Attempt: 1, Page: 1, Pages: 1, Blob: "b"}); err != nil {
			t.Fatal(err)
		}
	}
}

// waitStatus waits until document id has status want, and returns it.
func waitStatus(t *testing.T, q *pipeline.Queue, id, want string) pipeline.Status {
	t.Helper()
	var st pipeline.Status
	poll.Until(t, 60*time.Second, func() error {
		var err error
		st, err = q.Status(context.Background(), id)
		if err == nil && st.Status != want {
			err = fmt.Errorf("%s is %s, want %s", id, st.Status, want)
		}
		return err
	})
	return st
}

// archivedBy marks the page's document archived, as the last stage would.
func archivedBy(ctx context.Context, q *pipeline.Queue, msg jetstream.Msg) error {
	_, err := q.UpdateStatus(ctx, pipeline.DocOf(msg.Subject()), func(s *pipeline.Status) error {
		s.Status = pipeline.StatusArchived
		return nil
	})
	return err
}

// A handler that runs past its deadline, whether it then gives up (it
// heeds its context) or never returns (stuck in C code), is given up twice
// and its document failed; the others go on.
func TestDeadlineFailsTheDocument(t *testing.T) {
	q := queuetest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	queueDocs(t, q, "slow", "stuck", "fine")
	cons, err := q.Consumer(ctx, pipeline.ConsumerConfig{Stream: pipeline.StreamPages, Name: "t", Filter: "sohoa.pages.>", AckWait: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	stuck := make(chan struct{})
	var tries sync.Map // doc -> *atomic.Int32
	var wg sync.WaitGroup
	wg.Go(func() {
		q.ConsumeWith(ctx, cons, pipeline.ConsumeConfig{Workers: 4, AckWait: 3 * time.Second, Deadline: 500 * time.Millisecond}, func(hctx context.Context, msg jetstream.Msg) error {
			doc := pipeline.DocOf(msg.Subject())
			n, _ := tries.LoadOrStore(doc, new(atomic.Int32))
			n.(*atomic.Int32).Add(1)
			switch doc {
			case "slow":
				<-hctx.Done()
				return hctx.Err()
			case "stuck":
				<-stuck // heeds nothing
				return nil
			}
			return archivedBy(hctx, q, msg)
		})
	})
	t.Cleanup(func() { close(stuck); cancel(); wg.Wait() })

	waitStatus(t, q, "fine", pipeline.StatusArchived)
	for _, id := range []string{"slow", "stuck"} {
		st := waitStatus(t, q, id, pipeline.StatusFailed)
		if !strings.Contains(st.Reason, "bị treo") || !strings.Contains(st.Reason, "failed/") {
			t.Errorf("%s: reason = %q; want it to say the work hung and the file is in failed/", id, st.Reason)
		}
		n, _ := tries.Load(id)
		if got := n.(*atomic.Int32).Load(); got != 2 {
			t.Errorf("%s: handled %d times, want 2", id, got)
		}
	}
}
