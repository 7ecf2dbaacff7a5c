package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Errors callers can test for with errors.Is.
var (
	// ErrNoStatus: no document with that id is known to the pipeline.
	ErrNoStatus = errors.New("pipeline: no such document")
	// ErrNotCreated: a Queue opened with Config.Bind found a stream or
	// bucket missing: the role that creates them (the archive) has not
	// started yet.
	ErrNotCreated = errors.New("pipeline: stream or bucket not created yet (start sohoa archive first; luồng chưa được tạo: hãy khởi động sohoa archive trước)")
)

// Config of the queue's streams.
type Config struct {
	// Replicas of every stream and bucket: 1 on a single server, 3 on a cluster.
	Replicas int
	// DuplicateWindow is how long a message id is remembered (default 24h).
	DuplicateWindow time.Duration
	// EventsMaxAge is how long events stay in SOHOA_EVENTS (default 30 days).
	EventsMaxAge time.Duration
	// ReturnsMaxAge is how long the record of a message's deliveries is kept
	// in BucketReturns (default 7 days): far longer than a message is retried.
	ReturnsMaxAge time.Duration
	// Bind: only look up the streams and buckets, never create or update
	// them — for a role whose NATS credentials may not (deploy/nats:
	// workers and ingest; the archive creates them). A missing one is
	// ErrNotCreated.
	Bind bool
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
	if c.ReturnsMaxAge <= 0 {
		c.ReturnsMaxAge = 7 * 24 * time.Hour
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
// It is safe for concurrent use. Open one Queue per process: the handlers
// of all its consumers are held off together while a suspect message runs
// alone (see the quarantine rule in quarantine.go).
type Queue struct {
	nc      *nats.Conn
	js      jetstream.JetStream
	status  jetstream.KeyValue
	returns jetstream.KeyValue
	claims  jetstream.KeyValue
	log     *slog.Logger

	// alone is held shared by every running handler, and exclusively by a
	// suspect message's handler.
	alone sync.RWMutex
}

// Open creates (or updates) the streams and the status bucket, and returns a Queue.
func Open(ctx context.Context, nc *nats.Conn, cfg Config, log *slog.Logger) (*Queue, error) {
	cfg.ensureDefaults()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	if cfg.Bind {
		return bind(ctx, nc, js, log)
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
	returns, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      BucketReturns,
		Description: "sohoa: what became of each delivery of a message, for the quarantine of poison messages",
		History:     1,
		TTL:         cfg.ReturnsMaxAge,
		Storage:     jetstream.FileStorage,
		Replicas:    cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("pipeline: returns bucket: %w", err)
	}
	claims, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      BucketCorrections,
		Description: "sohoa: the version each correction in progress is making (see claims.go)",
		History:     1,
		Storage:     jetstream.FileStorage,
		Replicas:    cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("pipeline: corrections bucket: %w", err)
	}
	return &Queue{nc: nc, js: js, status: kv, returns: returns, claims: claims, log: log}, nil
}

// bind opens a Queue on streams and buckets that exist already.
func bind(ctx context.Context, nc *nats.Conn, js jetstream.JetStream, log *slog.Logger) (*Queue, error) {
	for _, name := range []string{StreamPages, StreamDocs, StreamRetire, StreamEvents} {
		if _, err := js.Stream(ctx, name); err != nil {
			if errors.Is(err, jetstream.ErrStreamNotFound) {
				err = ErrNotCreated
			}
			return nil, fmt.Errorf("pipeline: stream %s: %w", name, err)
		}
	}
	q := &Queue{nc: nc, js: js, log: log}
	for _, b := range []struct {
		name string
		kv   *jetstream.KeyValue
	}{{BucketStatus, &q.status}, {BucketReturns, &q.returns}, {BucketCorrections, &q.claims}} {
		kv, err := js.KeyValue(ctx, b.name)
		if err != nil {
			if errors.Is(err, jetstream.ErrBucketNotFound) {
				err = ErrNotCreated
			}
			return nil, fmt.Errorf("pipeline: bucket %s: %w", b.name, err)
		}
		*b.kv = kv
	}
	return q, nil
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
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
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

// requestTimeout bounds one JetStream request (a publish, a status read or
// write). A request sent to a cluster node that goes down is never answered;
// nats.go then waits as long as the context allows (a file's 15 minutes), so
// each request gets its own short deadline and fails as a transient error
// that the stage retries on a node that is up.
const requestTimeout = 10 * time.Second

// Status returns what is known of document id, or ErrNoStatus.
func (q *Queue) Status(ctx context.Context, id string) (Status, error) {
	st, _, err := q.getStatus(ctx, id)
	return st, err
}

func (q *Queue) getStatus(ctx context.Context, id string) (Status, uint64, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
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
	cctx, cancel := context.WithTimeout(ctx, requestTimeout)
	_, err = q.status.Create(cctx, st.ID, data)
	cancel()
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
		before.Parts = slices.Clone(st.Parts)
		if err := change(&st); err != nil {
			return Status{}, err
		}
		if reflect.DeepEqual(st, before) {
			return st, nil
		}
		st.Updated = time.Now().UTC()
		data, err := json.Marshal(st)
		if err != nil {
			return Status{}, fmt.Errorf("pipeline: %w", err)
		}
		uctx, cancel := context.WithTimeout(ctx, requestTimeout)
		_, err = q.status.Update(uctx, id, data, rev)
		cancel()
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
// error when trying again later may help. It should return soon after ctx
// ends: ctx ends at the handler's deadline too.
type Handler func(ctx context.Context, msg jetstream.Msg) error

// DefaultDeadline is how long a handler may run when ConsumeConfig does not say.
const DefaultDeadline = 15 * time.Minute

// ConsumeConfig says how Consume runs handlers.
type ConsumeConfig struct {
	// Workers is how many goroutines take messages, each one at a time (default 1).
	Workers int
	// AckWait is the consumer's ack wait; a running handler's ack deadline is
	// extended every third of it (default AckWaitOCR).
	AckWait time.Duration
	// Deadline bounds one handler's run (default DefaultDeadline). At the
	// deadline its context ends, its ack deadline is no longer extended, and
	// the delivery counts as a death of the message (see quarantine.go),
	// whether or not the handler returns.
	Deadline time.Duration
}

func (c *ConsumeConfig) ensureDefaults() {
	c.Workers = max(c.Workers, 1)
	if c.AckWait <= 0 {
		c.AckWait = AckWaitOCR
	}
	if c.Deadline <= 0 {
		c.Deadline = DefaultDeadline
	}
}

// Consume is ConsumeWith with the default deadline.
func (q *Queue) Consume(ctx context.Context, cons jetstream.Consumer, workers int, ackWait time.Duration, h Handler) error {
	return q.ConsumeWith(ctx, cons, ConsumeConfig{Workers: workers, AckWait: ackWait}, h)
}

// ConsumeWith runs cfg.Workers goroutines, each taking one message at a time
// from cons and settling it by the one retry policy of sohoa:
//   - a message that killed its handler's process, or ran past its
//     deadline, too often (the quarantine rule in quarantine.go): the
//     document is failed (Fail), the message terminated, before the handler
//     sees it again;
//   - nil: ack;
//   - permanent, or too many deliveries: the document is failed (Fail), then the message is terminated;
//   - otherwise: nak with a growing delay.
//
// What became of each delivery is written to BucketReturns before the
// message is settled. While a handler runs, the message's ack deadline is
// extended every third of cfg.AckWait, until cfg.Deadline. ConsumeWith
// returns when ctx ends, after every handler returned; a handler that never
// returns (stuck in C code) holds its goroutine, not its message.
func (q *Queue) ConsumeWith(ctx context.Context, cons jetstream.Consumer, cfg ConsumeConfig, h Handler) error {
	cfg.ensureDefaults()
	var wg sync.WaitGroup
	for range cfg.Workers {
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
				q.handle(ctx, msg, cfg, h)
			}
		})
	}
	wg.Wait()
	return nil
}

// errOverdue is the cause of a handler's context that reached its deadline.
var errOverdue = errors.New("pipeline: handler ran past its deadline")

func (q *Queue) handle(ctx context.Context, msg jetstream.Msg, cfg ConsumeConfig, h Handler) {
	subject := msg.Subject()
	doc := DocOf(subject)
	meta, _ := msg.Metadata()
	var delivered uint64 = 1
	if meta != nil {
		delivered = meta.NumDelivered
	}
	// The ack deadline is extended from now, while waiting to run alone too.
	beatCtx, stopBeat := context.WithCancel(ctx)
	var beat sync.WaitGroup
	defer beat.Wait()
	defer stopBeat()
	beat.Go(func() {
		t := time.NewTicker(cfg.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-beatCtx.Done():
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	})

	// Bookkeeping outlives a shutdown: what a handler did is written down
	// even as the process stops.
	bk := context.WithoutCancel(ctx)
	// A retire message only moves a file: it never fails its document, so it
	// is not judged; it waits.
	retire := strings.HasPrefix(subject, subjectRetire+".")
	key := ""
	var past deliveries
	var v verdict
	if meta != nil && !retire {
		key = returnsKey(meta)
		if delivered > 1 {
			var err error
			if past, _, err = q.deliveries(bk, key); err != nil {
				// Unknown past: every earlier delivery counts as a death, none certain.
				q.log.Warn("cannot read the deliveries of a message", "subject", subject, "err", err)
				past = deliveries{}
			}
			v = judge(delivered, past)
		}
	}
	if v.quarantined() {
		stopBeat()
		q.giveUp(ctx, msg, doc, delivered, v.failure(subject, cfg.Deadline))
		return
	}

	release := q.alone.RUnlock
	if v.suspect() {
		q.alone.Lock()
		release = q.alone.Unlock
		q.log.Warn("handling alone a message that died before", "doc", doc, "subject", subject, "deliveries", delivered, "deaths", v.deaths)
		if err := q.note(bk, key, delivered, deliveryAlone); err != nil {
			q.log.Warn("cannot note a delivery", "subject", subject, "err", err)
		}
	} else {
		q.alone.RLock()
	}
	hctx, cancel := context.WithTimeoutCause(ctx, cfg.Deadline, errOverdue)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- h(hctx, msg) }()
	var err error
	returned, overdue := false, false
	select {
	case err = <-done:
		returned = true
		overdue = err != nil && errors.Is(context.Cause(hctx), errOverdue)
	case <-hctx.Done():
		if errors.Is(context.Cause(hctx), errOverdue) {
			overdue = true
		} else { // shutting down: wait for the handler as usual
			err = <-done
			returned = true
		}
	}
	release()
	stopBeat()
	if !returned {
		// Settle now, so the message goes on without this goroutine; then
		// wait, as whoever starts a goroutine waits for it.
		defer func() {
			<-done
			q.log.Info("a handler that ran past its deadline returned at last", "doc", doc, "subject", subject)
		}()
	}

	if key != "" {
		what := deliveryReturned
		if overdue {
			what = deliveryOverdue
		}
		if nerr := q.note(bk, key, delivered, what); nerr != nil {
			q.log.Warn("cannot note a delivery", "subject", subject, "err", nerr)
		}
	}
	if overdue {
		q.log.Error("handler ran past its deadline", "doc", doc, "subject", subject, "deadline", cfg.Deadline.String(), "returned", returned)
		if past == nil {
			past = deliveries{}
		}
		past[delivered] = deliveryOverdue
		if v := judge(delivered+1, past); key != "" && v.quarantined() {
			q.giveUp(ctx, msg, doc, delivered, v.failure(subject, cfg.Deadline))
			return
		}
		delay := retryDelay(delivered)
		q.log.Warn("will retry", "doc", doc, "subject", subject, "deliveries", delivered, "in", delay.String())
		_ = msg.NakWithDelay(delay)
		return
	}

	if err == nil {
		if err := msg.DoubleAck(bk); err != nil && ctx.Err() == nil {
			q.log.Warn("ack failed; the message will come again", "subject", subject, "err", err)
		}
		return
	}
	if ctx.Err() != nil { // shutting down: let the message come back to someone
		_ = msg.Nak()
		return
	}
	if !retire && (IsPermanent(err) || delivered >= maxDeliveries) {
		q.giveUp(ctx, msg, doc, delivered, err)
		return
	}
	delay := retryDelay(delivered)
	q.log.Warn("will retry", "doc", doc, "subject", subject, "deliveries", delivered, "in", delay.String(), "err", err)
	_ = msg.NakWithDelay(delay)
}

// giveUp fails the document of msg (if its subject names one) with err,
// then terminates msg so that it never comes again.
func (q *Queue) giveUp(ctx context.Context, msg jetstream.Msg, doc string, delivered uint64, err error) {
	q.log.Error("giving up on document", "doc", doc, "subject", msg.Subject(), "deliveries", delivered, "err", err)
	if doc != "" {
		ferr := q.Fail(ctx, doc, err)
		if errors.Is(ferr, ErrNoStatus) {
			q.log.Error("the document of a message given up is unknown; dropping the message", "doc", doc, "subject", msg.Subject())
		} else if ferr != nil {
			q.log.Warn("could not record the failure; will retry", "doc", doc, "err", ferr)
			_ = msg.NakWithDelay(retryDelay(1))
			return
		}
	}
	_ = msg.TermWithReason(firstLine(err.Error()))
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
