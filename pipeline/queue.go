package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ErrNoStatus: no document with that id is known to the pipeline.
var ErrNoStatus = errors.New("pipeline: no such document")

// Config of the queue's streams.
type Config struct {
	// Replicas of every stream and bucket: 1 on a single server, 3 on a cluster.
	Replicas int
	// DuplicateWindow is how long a message id is remembered (default 24h).
	DuplicateWindow time.Duration
	// EventsMaxAge is how long events stay in SOHOA_EVENTS (default 30 days).
	EventsMaxAge time.Duration
}

func (c *Config) ensureDefaults() {
	if c.Replicas <= 0 {
		c.Replicas = 1
	}
	if c.DuplicateWindow <= 0 {
		c.DuplicateWindow = 24 * time.Hour
	}
	if c.EventsMaxAge <= 0 {
		c.EventsMaxAge = 30 * 24 * time.Hour
	}
}

// AckWait values: a handler that runs longer sends progress every third of it.
const (
	AckWaitOCR     = time.Minute
	AckWaitArchive = 2 * time.Minute
	AckWaitRetire  = time.Minute
)

// Queue is sohoa's view of JetStream: it publishes the pipeline's messages,
// keeps document statuses, and consumes with the one retry policy.
// It is safe for concurrent use.
type Queue struct {
	nc     *nats.Conn
	js     jetstream.JetStream
	status jetstream.KeyValue
	log    *slog.Logger
}

// Open creates (or updates) the streams and the status bucket, and returns a Queue.
func Open(ctx context.Context, nc *nats.Conn, cfg Config, log *slog.Logger) (*Queue, error) {
	cfg.ensureDefaults()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	streams := []jetstream.StreamConfig{
		{Name: StreamPages, Subjects: []string{subjectPages + ".>"}, Retention: jetstream.WorkQueuePolicy},
		{Name: StreamDocs, Subjects: []string{subjectDocs + ".>"}, Retention: jetstream.WorkQueuePolicy},
		{Name: StreamRetire, Subjects: []string{subjectRetire + ".>"}, Retention: jetstream.WorkQueuePolicy},
		{Name: StreamEvents, Subjects: []string{"sohoa.events.>"}, Retention: jetstream.LimitsPolicy, MaxAge: cfg.EventsMaxAge},
	}
	for _, sc := range streams {
		sc.Storage = jetstream.FileStorage
		sc.Replicas = cfg.Replicas
		sc.Duplicates = cfg.DuplicateWindow
		if _, err := js.CreateOrUpdateStream(ctx, sc); err != nil {
			return nil, fmt.Errorf("pipeline: stream %s: %w", sc.Name, err)
		}
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      BucketStatus,
		Description: "sohoa: status of every document, by id",
		History:     1,
		Storage:     jetstream.FileStorage,
		Replicas:    cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("pipeline: status bucket: %w", err)
	}
	return &Queue{nc: nc, js: js, status: kv, log: log}, nil
}

// JetStream exposes the context for metrics and tests.
func (q *Queue) JetStream() jetstream.JetStream { return q.js }

// Conn is the NATS connection the queue uses.
func (q *Queue) Conn() *nats.Conn { return q.nc }

func (q *Queue) publish(ctx context.Context, subject, msgID string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	if _, err := q.js.Publish(ctx, subject, data, jetstream.WithMsgID(msgID)); err != nil {
		return fmt.Errorf("pipeline: publish %s: %w", subject, err)
	}
	return nil
}

// PublishPage queues one page for OCR.
func (q *Queue) PublishPage(ctx context.Context, t PageTask) error {
	return q.publish(ctx, SubjectPage(t.Doc, t.Page), MsgIDPage(t.Doc, t.Attempt, t.Page), t)
}

// PublishDocReady tells the archive every page of a document is read.
func (q *Queue) PublishDocReady(ctx context.Context, r DocReady) error {
	return q.publish(ctx, SubjectDoc(r.Doc), MsgIDDoc(r.Doc, r.Attempt), r)
}

// PublishRetire tells the ingest named ingest what became of a document.
func (q *Queue) PublishRetire(ctx context.Context, ingest string, r Retire) error {
	return q.publish(ctx, SubjectRetire(ingest, r.Doc), MsgIDRetire(r.Doc, r.Attempt), r)
}

// PublishArchived announces a committed document to other systems.
func (q *Queue) PublishArchived(ctx context.Context, e Archived) error {
	return q.publish(ctx, SubjectArchived, MsgIDArchived(e.ID), e)
}

// PublishCorrected announces a corrected document (version v of its record).
func (q *Queue) PublishCorrected(ctx context.Context, e Archived, v int) error {
	return q.publish(ctx, SubjectCorrected, fmt.Sprintf("corrected-%s-%d", e.ID, v), Corrected{Archived: e, Version: v})
}

// Status returns what is known of document id, or ErrNoStatus.
func (q *Queue) Status(ctx context.Context, id string) (Status, error) {
	st, _, err := q.getStatus(ctx, id)
	return st, err
}

func (q *Queue) getStatus(ctx context.Context, id string) (Status, uint64, error) {
	e, err := q.status.Get(ctx, id)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return Status{}, 0, ErrNoStatus
	}
	if err != nil {
		return Status{}, 0, fmt.Errorf("pipeline: status %s: %w", id, err)
	}
	var st Status
	if err := json.Unmarshal(e.Value(), &st); err != nil {
		return Status{}, 0, fmt.Errorf("pipeline: status %s: %w", id, err)
	}
	return st, e.Revision(), nil
}

// CreateStatus records a new document. If one with the same id exists, it
// returns the existing status and false.
func (q *Queue) CreateStatus(ctx context.Context, st Status) (Status, bool, error) {
	now := time.Now().UTC()
	st.Created, st.Updated = now, now
	data, err := json.Marshal(st)
	if err != nil {
		return Status{}, false, fmt.Errorf("pipeline: %w", err)
	}
	_, err = q.status.Create(ctx, st.ID, data)
	if errors.Is(err, jetstream.ErrKeyExists) {
		old, err := q.Status(ctx, st.ID)
		return old, false, err
	}
	if err != nil {
		return Status{}, false, fmt.Errorf("pipeline: status %s: %w", st.ID, err)
	}
	return st, true, nil
}

// UpdateStatus applies change to the status of document id, retrying on
// concurrent updates. change may return errSkip-like nil without changes;
// it is called again after a conflict, so it must be a pure function of the
// status it is given.
func (q *Queue) UpdateStatus(ctx context.Context, id string, change func(*Status) error) (Status, error) {
	for range 20 {
		st, rev, err := q.getStatus(ctx, id)
		if err != nil {
			return Status{}, err
		}
		before := st
		if err := change(&st); err != nil {
			return Status{}, err
		}
		if st == before {
			return st, nil
		}
		st.Updated = time.Now().UTC()
		data, err := json.Marshal(st)
		if err != nil {
			return Status{}, fmt.Errorf("pipeline: %w", err)
		}
		_, err = q.status.Update(ctx, id, data, rev)
		if err == nil {
			return st, nil
		}
		var apiErr *jetstream.APIError
		if !errors.As(err, &apiErr) || apiErr.ErrorCode != jetstream.JSErrCodeStreamWrongLastSequence {
			return Status{}, fmt.Errorf("pipeline: status %s: %w", id, err)
		}
	}
	return Status{}, fmt.Errorf("pipeline: status %s: too many concurrent updates", id)
}

// WatchStatuses calls fn with every status now in the bucket and then with
// every change, until ctx ends; ready is called (if not nil) once the
// statuses that existed when the watch started have all been given.
func (q *Queue) WatchStatuses(ctx context.Context, fn func(Status), ready func()) error {
	w, err := q.status.WatchAll(ctx)
	if err != nil {
		return fmt.Errorf("pipeline: watch statuses: %w", err)
	}
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-w.Updates():
			if !ok {
				return errors.New("pipeline: status watch closed")
			}
			if e == nil { // the initial values are all delivered
				if ready != nil {
					ready()
				}
				continue
			}
			if e.Operation() != jetstream.KeyValuePut {
				continue
			}
			var st Status
			if err := json.Unmarshal(e.Value(), &st); err != nil {
				q.log.Warn("unreadable status", "key", e.Key(), "err", err)
				continue
			}
			fn(st)
		}
	}
}

// Fail ends document id: its status becomes failed with the reason, its
// ingest is told to move the original to failed/, and other systems hear of
// it. Failing a document already archived or failed changes nothing.
func (q *Queue) Fail(ctx context.Context, id string, cause error) error {
	reason := Reason(cause)
	st, err := q.UpdateStatus(ctx, id, func(st *Status) error {
		if st.Status == StatusArchived || st.Status == StatusFailed {
			return nil
		}
		st.Status, st.Reason = StatusFailed, reason
		return nil
	})
	if err != nil {
		return err
	}
	if st.Status != StatusFailed {
		return nil
	}
	if err := q.PublishRetire(ctx, st.Ingest, Retire{Doc: id, Attempt: st.Attempt, Outcome: OutcomeFailed, Reason: st.Reason}); err != nil {
		return err
	}
	return q.publish(ctx, SubjectFailed, MsgIDFailed(id, st.Attempt), Failed{ID: id, SourceName: st.SourceName, Reason: st.Reason})
}

// ConsumerConfig of a durable pull consumer.
type ConsumerConfig struct {
	Stream  string
	Name    string
	Filter  string
	AckWait time.Duration
}

// Consumer creates (or updates) a durable pull consumer.
func (q *Queue) Consumer(ctx context.Context, c ConsumerConfig) (jetstream.Consumer, error) {
	cons, err := q.js.CreateOrUpdateConsumer(ctx, c.Stream, jetstream.ConsumerConfig{
		Durable:       c.Name,
		FilterSubject: c.Filter,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       c.AckWait,
		MaxDeliver:    -1,
		MaxAckPending: 10000,
	})
	if err != nil {
		return nil, fmt.Errorf("pipeline: consumer %s: %w", c.Name, err)
	}
	return cons, nil
}

// Handler processes one message. It returns nil when the message's work is
// durable, a Failure (see Permanent) when it never can be, and any other
// error when trying again later may help.
type Handler func(ctx context.Context, msg jetstream.Msg) error

// Consume runs workers goroutines, each taking one message at a time from
// cons and settling it by the one retry policy of sohoa:
//   - nil: ack;
//   - permanent, or too many deliveries: the document is failed (Fail), then the message is terminated;
//   - otherwise: nak with a growing delay.
//
// While a handler runs, the message's ack deadline is extended every third
// of ackWait. Consume returns when ctx ends, after every handler returned.
func (q *Queue) Consume(ctx context.Context, cons jetstream.Consumer, workers int, ackWait time.Duration, h Handler) error {
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for ctx.Err() == nil {
				msg, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
				if err != nil {
					if errors.Is(err, nats.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) {
						continue
					}
					if ctx.Err() == nil {
						q.log.Warn("fetch failed; retrying", "err", err)
						select {
						case <-ctx.Done():
						case <-time.After(time.Second):
						}
					}
					continue
				}
				q.handle(ctx, msg, ackWait, h)
			}
		})
	}
	wg.Wait()
	return nil
}

func (q *Queue) handle(ctx context.Context, msg jetstream.Msg, ackWait time.Duration, h Handler) {
	hctx, cancel := context.WithCancel(ctx)
	var beat sync.WaitGroup
	beat.Go(func() {
		t := time.NewTicker(ackWait / 3)
		defer t.Stop()
		for {
			select {
			case <-hctx.Done():
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	})
	err := h(hctx, msg)
	cancel()
	beat.Wait()

	if err == nil {
		if err := msg.DoubleAck(ctx); err != nil && ctx.Err() == nil {
			q.log.Warn("ack failed; the message will come again", "subject", msg.Subject(), "err", err)
		}
		return
	}
	if ctx.Err() != nil { // shutting down: let the message come back to someone
		_ = msg.Nak()
		return
	}
	meta, _ := msg.Metadata()
	var delivered uint64 = 1
	if meta != nil {
		delivered = meta.NumDelivered
	}
	doc := DocOf(msg.Subject())
	// A retire message only moves a file: it never fails its document, it waits.
	retire := strings.HasPrefix(msg.Subject(), subjectRetire+".")
	if !retire && (IsPermanent(err) || delivered >= maxDeliveries) {
		q.log.Error("giving up on document", "doc", doc, "subject", msg.Subject(), "deliveries", delivered, "err", err)
		if doc != "" {
			if ferr := q.Fail(ctx, doc, err); ferr != nil {
				q.log.Warn("could not record the failure; will retry", "doc", doc, "err", ferr)
				_ = msg.NakWithDelay(retryDelay(1))
				return
			}
		}
		_ = msg.TermWithReason(firstLine(err.Error()))
		return
	}
	delay := retryDelay(delivered)
	q.log.Warn("will retry", "doc", doc, "subject", msg.Subject(), "deliveries", delivered, "in", delay.String(), "err", err)
	_ = msg.NakWithDelay(delay)
}

// DocOf returns the document id carried in a pipeline subject, or "".
func DocOf(subject string) string {
	t := strings.Split(subject, ".")
	switch {
	case len(t) == 4 && t[0]+"."+t[1] == subjectPages:
		return t[2]
	case len(t) == 3 && t[0]+"."+t[1] == subjectDocs:
		return t[2]
	case len(t) == 4 && t[0]+"."+t[1] == subjectRetire:
		return t[3]
	}
	return ""
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
