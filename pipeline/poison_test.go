package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/pipeline/queuetest"
)

// helperNATS names the variable that makes TestPoisonHelperProcess a
// worker process: the URL of the NATS server it consumes from.
const helperNATS = "SOHOA_TEST_POISON_NATS"

// The innocent documents in flight when the poison page kills the process.
var innocents = []string{"a", "b", "c", "d"}

// A page that kills the process that handles it (as an out-of-memory kill
// or a crash in Tesseract would) is quarantined by the fourth process that
// takes it: the first dies with the crowd, the next two with the page alone,
// the fourth fails its document with the
// reason, on the path that moves the original to failed/, and never hands
// it to the handler. The four documents that were in flight with it when
// the first process was killed, and died with it, are archived.
func TestPoisonPageIsQuarantined(t *testing.T) {
	if testing.Short() {
		t.Skip("runs four worker processes")
	}
	q, url := queuetest.StartListening(t)
	ctx := context.Background()
	queueDocs(t, q, append([]string{"poison"}, innocents...)...)

	for run := 1; run <= 4; run++ {
		cmd, stderr := startHelper(t, url)
		if run < 4 {
			err := waitExit(t, cmd, stderr)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("worker process %d ended with %v, want it killed by the poison page; its log:\n%s", run, err, stderr)
			}
			continue
		}
		// The fourth process lives on: it quarantines the poison, archives the rest.
		t.Cleanup(func() {
			cmd.Process.Kill()
			cmd.Wait()
			if t.Failed() {
				t.Logf("the fourth worker's log:\n%s", stderr)
			}
		})
	}
	st := waitStatus(t, q, "poison", pipeline.StatusFailed)
	if !strings.Contains(st.Reason, "dừng đột ngột hai lần") || !strings.Contains(st.Reason, "failed/") {
		t.Errorf("reason = %q; want it to say the file stopped the service twice and is in failed/", st.Reason)
	}
	for _, id := range innocents {
		waitStatus(t, q, id, pipeline.StatusArchived)
	}

	// The ingest that owns the original is told to move it to failed/ with the reason.
	retire, err := q.Consumer(ctx, pipeline.ConsumerConfig{Stream: pipeline.StreamRetire, Name: "ingest-in1", Filter: pipeline.FilterRetire("in1"), AckWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := retire.Next(jetstream.FetchMaxWait(10 * time.Second))
	if err != nil {
		t.Fatalf("no retire message: %v", err)
	}
	var r pipeline.Retire
	if err := json.Unmarshal(msg.Data(), &r); err != nil || r.Doc != "poison" || r.Outcome != pipeline.OutcomeFailed || r.Reason != st.Reason {
		t.Errorf("retire = %+v, %v; want the poison failed with its reason", r, err)
	}
}

// waitExit waits for a worker process that should die, failing the test
// if it lives on (as a process that quarantined the poison too early would).
func waitExit(t *testing.T, cmd *exec.Cmd, stderr *bytes.Buffer) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("worker process lives on a minute after it took the poison page, want it killed by the page; its log:\n%s", stderr)
		return nil
	}
}

// startHelper starts this test binary as a worker process on the server at url.
func startHelper(t *testing.T, url string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestPoisonHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperNATS+"="+url)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stderr
}

// TestPoisonHelperProcess is the worker process of TestPoisonPageIsQuarantined.
// Its handler kills the process for the poison page: on its first delivery
// once every innocent page is in flight beside it (they wait, so they die
// with it), on any later one at once. An innocent page is archived on any
// delivery after its first.
func TestPoisonHelperProcess(t *testing.T) {
	url := os.Getenv(helperNATS)
	if url == "" {
		t.Skip("the worker process of TestPoisonPageIsQuarantined")
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	q, err := pipeline.Open(ctx, nc, pipeline.Config{}, log)
	if err != nil {
		t.Fatal(err)
	}
	const ackWait = 2 * time.Second
	cons, err := q.Consumer(ctx, pipeline.ConsumerConfig{Stream: pipeline.StreamPages, Name: pipeline.ConsumerOCR, Filter: "sohoa.pages.>", AckWait: ackWait})
	if err != nil {
		t.Fatal(err)
	}
	var inFlight atomic.Int32
	allInFlight := make(chan struct{})
	q.ConsumeWith(ctx, cons, pipeline.ConsumeConfig{Workers: 1 + len(innocents), AckWait: ackWait}, func(hctx context.Context, msg jetstream.Msg) error {
		meta, err := msg.Metadata()
		if err != nil {
			return err
		}
		first := meta.NumDelivered == 1
		doc := pipeline.DocOf(msg.Subject())
		log.Info("handling", "doc", doc, "delivery", meta.NumDelivered)
		switch {
		case doc == "poison":
			if first {
				<-allInFlight
			}
			log.Info("the poison page kills the process")
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		case first:
			if inFlight.Add(1) == int32(len(innocents)) {
				close(allInFlight)
			}
			<-hctx.Done()
			return hctx.Err()
		}
		return archivedBy(hctx, q, msg)
	})
}
