package pipeline_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/pipeline/queuetest"
)

func TestReadMessages(t *testing.T) {
	page, doc := pipeline.SubjectPage("d1", 2), pipeline.SubjectDoc("d1")
	tests := []struct {
		name, subject, data string
		ok                  bool
	}{
		{"page", page, `{"doc":"d1","attempt":1,"page":2,"pages":3,"blob":"work/d1/page-0002.png","format":"png"}`, true},
		{"page not JSON", page, `{"doc":"d1",`, false},
		{"page without blob", page, `{"doc":"d1","attempt":1,"page":2,"pages":3}`, false},
		{"page beyond pages", page, `{"doc":"d1","attempt":1,"page":4,"pages":3,"blob":"b"}`, false},
		{"page of another document", page, `{"doc":"d2","attempt":1,"page":2,"pages":3,"blob":"b"}`, false},
		{"ready", doc, `{"doc":"d1","attempt":2,"pages":3}`, true},
		{"ready without attempt", doc, `{"doc":"d1","pages":3}`, false},
		{"ready empty", doc, ``, false},
	}
	for _, tt := range tests {
		var err error
		if strings.HasPrefix(tt.subject, "sohoa.pages.") {
			_, err = pipeline.ReadPageTask(tt.subject, []byte(tt.data))
		} else {
			_, err = pipeline.ReadDocReady(tt.subject, []byte(tt.data))
		}
		if (err == nil) != tt.ok || (err != nil && !pipeline.IsPermanent(err)) {
			t.Errorf("%s: err = %v; want ok=%v, and a permanent failure if not", tt.name, err, tt.ok)
		}
	}
}

// An unreadable message fails the document its subject names, with the
// reason, and is terminated; one whose subject names none is terminated
// too. Nothing stays unacknowledged, nothing is tried again.
func TestUnreadableMessageFailsItsDocument(t *testing.T) {
	q := queuetest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	queueDocs(t, q, "good")
	if _, _, err := q.CreateStatus(ctx, pipeline.Status{ID: "bad", Status: pipeline.StatusProcessing, Attempt: 1, Ingest: "in1", Pages: 1}); err != nil {
		t.Fatal(err)
	}
	js := q.JetStream()
	for subject, data := range map[string]string{
		pipeline.SubjectPage("bad", 1): `{"doc":"bad","attempt":1,"page":1`, // cut short
		"sohoa.pages.nodoc":            `not json`,
	} {
		if _, err := js.Publish(ctx, subject, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	cons, err := q.Consumer(ctx, pipeline.ConsumerConfig{Stream: pipeline.StreamPages, Name: "t", Filter: "sohoa.pages.>", AckWait: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var handled atomic.Int32
	go q.ConsumeWith(ctx, cons, pipeline.ConsumeConfig{Workers: 2, AckWait: 3 * time.Second}, func(hctx context.Context, msg jetstream.Msg) error {
		handled.Add(1)
		if _, err := pipeline.ReadPageTask(msg.Subject(), msg.Data()); err != nil {
			return err
		}
		return archivedBy(hctx, q, msg)
	})

	waitStatus(t, q, "good", pipeline.StatusArchived)
	st := waitStatus(t, q, "bad", pipeline.StatusFailed)
	if !strings.Contains(st.Reason, "bị hỏng") || !strings.Contains(st.Reason, "unreadable message") {
		t.Errorf("reason = %q; want the advice and the technical detail", st.Reason)
	}
	poll.Until(t, 30*time.Second, func() error {
		info, err := cons.Info(ctx)
		if err != nil {
			return err
		}
		if info.NumAckPending != 0 || info.NumPending != 0 {
			return errors.New("messages still pending")
		}
		return nil
	})
	if n := handled.Load(); n != 3 {
		t.Errorf("handled %d deliveries, want 3: each message once", n)
	}
}
