package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/pipeline/natsd"
)

// startCluster runs three NATS servers with JetStream on loopback, routed to
// each other as one cluster, and waits until JetStream has a meta leader.
func startCluster(t *testing.T) []*natsd.Server {
	t.Helper()
	routes := []string{freeAddr(t), freeAddr(t), freeAddr(t)}
	nodes := make([]*natsd.Server, len(routes))
	for i := range routes {
		var peers []string
		for j, r := range routes {
			if j != i {
				peers = append(peers, "nats://"+r)
			}
		}
		ns, err := natsd.Start(natsd.Config{
			StoreDir: t.TempDir(),
			Listen:   "127.0.0.1:-1",
			Name:     fmt.Sprintf("n%d", i+1),
			Cluster:  &natsd.Cluster{Name: "sohoa-test", Listen: routes[i], Routes: peers},
		}, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(ns.Shutdown)
		nodes[i] = ns
	}
	poll.Until(t, time.Minute, func() error {
		for _, ns := range nodes {
			if !ns.JetStreamReady() {
				return fmt.Errorf("%s: JetStream has no meta leader yet", ns.Name())
			}
		}
		return nil
	})
	return nodes
}

// TestClusterNodeLost runs the split roles against a three-node NATS cluster
// with streams replicated three times, and shuts down the node that leads the
// page stream while documents are in flight. Every file dropped must end
// archived exactly once or failed with a reason, and the archive must verify.
func TestClusterNodeLost(t *testing.T) {
	nodes := startCluster(t)
	var urls []string
	for _, ns := range nodes {
		urls = append(urls, ns.URL())
	}
	s3 := startS3(t)
	env := s3.Env()
	common := []string{"--nats", strings.Join(urls, ","), "--s3", s3.Endpoint, "--replicas", "3"}

	files := faultPages(t, 6, 12) // small pages, so that OCR is quick on two cores

	data := t.TempDir()
	httpAddr := freeAddr(t)
	base := "http://" + httpAddr
	w := startProc(t, "worker", env, append([]string{"worker", "--workers", "2"}, common...)...)
	poll.Until(t, time.Minute, func() error {
		b, _ := os.ReadFile(w.log)
		if !w.running() {
			t.Fatalf("worker exited:\n%s", b)
		}
		if !strings.Contains(string(b), "worker ready") {
			return errors.New("worker not ready")
		}
		return nil
	})
	ar := startProc(t, "archive", env, append([]string{"archive", "--data", data, "--http", httpAddr}, common...)...)
	waitHealthy(t, base, ar)
	in := startProc(t, "ingest", env, append([]string{"ingest", "--data", data, "--name", "office1"}, common...)...)

	inbox := filepath.Join(data, "inbox")
	poll.Until(t, time.Minute, func() error { _, err := os.Stat(inbox); return err })
	names := dropAll(t, files, inbox)

	// Once pages are on the stream, lose the node that leads it.
	nc, err := nats.Connect(strings.Join(urls, ","), nats.MaxReconnects(-1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	var leader string
	poll.Until(t, 2*time.Minute, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s, err := js.Stream(ctx, pipeline.StreamPages)
		if err != nil {
			return err
		}
		info, err := s.Info(ctx)
		if err != nil {
			return err
		}
		if info.State.Msgs == 0 && info.State.LastSeq == 0 {
			return errors.New("no page on the stream yet")
		}
		if info.Cluster == nil || info.Cluster.Leader == "" {
			return errors.New("page stream has no leader")
		}
		if n := len(info.Cluster.Replicas); n != 2 {
			return fmt.Errorf("page stream has %d other replicas, want 2 (--replicas 3)", n)
		}
		leader = info.Cluster.Leader
		return nil
	})
	for _, ns := range nodes {
		if ns.Name() == leader {
			t.Logf("shutting down %s, leader of %s", leader, pipeline.StreamPages)
			ns.Shutdown()
		}
	}

	if checkOutcome(t, base, data, names, 3*time.Minute) == 0 {
		t.Errorf("no document archived after the node loss")
	}
	for _, p := range []*proc{w, ar, in} {
		if !p.running() {
			b, _ := os.ReadFile(p.log)
			t.Errorf("a stage exited after the node loss:\n%s", tail(b, 3000))
		}
	}

	verifyArchive(t, env, "--s3", s3.Endpoint, "--bucket", defaultArchiveBucket)
}
