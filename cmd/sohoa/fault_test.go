package main

// Fault tests (issue 12): processes killed with SIGKILL at seeded-random
// moments, the S3 server stopped mid-run, and a burst of files. Each checks
// the one promise a clerk relies on: every file dropped is archived exactly
// once, or lies in failed/ with a reason, and nothing stays in the inbox.
// With SOHOA_SOAK=1 (make soak) they run their long variants.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/objstore/s3test"
)

func soak() bool { return os.Getenv("SOHOA_SOAK") == "1" }

// faultPages renders n distinct small pages (the header band only, so that
// OCR is quick) and returns their files.
func faultPages(t *testing.T, n int, seed int) []string {
	t.Helper()
	out := t.TempDir()
	cmd := exec.Command("go", "run", "../../fixtures/gen", "-out", out, "-n", fmt.Sprint(n), "-seed", fmt.Sprint(seed),
		"-formats", "png", "-maxpages", "1", "-skew", "0", "-seal", "0", "-noise", "0", "-blur", "0", "-header-only")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fixtures/gen: %v\n%s", err, b)
	}
	var truth []struct {
		Files []string `json:"files"`
	}
	data, err := os.ReadFile(filepath.Join(out, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &truth); err != nil || len(truth) != n {
		t.Fatalf("truth.json: %v (%d documents, want %d)", err, len(truth), n)
	}
	var files []string
	for _, d := range truth {
		files = append(files, filepath.Join(out, "inbox", d.Files[0]))
	}
	return files
}

// dropAll copies the files into the inbox and returns the names they have there.
func dropAll(t *testing.T, files []string, inbox string) []string {
	t.Helper()
	var names []string
	for i, f := range files {
		name := fmt.Sprintf("trang-%03d%s", i, filepath.Ext(f))
		copyFile(t, f, filepath.Join(inbox, name))
		names = append(names, name)
	}
	return names
}

// checkOutcome waits until every dropped file is finished and checks that
// each is one document, archived with its original in done/ or failed with
// a reason file, and that the inbox is empty. It returns how many were
// archived.
func checkOutcome(t *testing.T, base, data string, names []string, total time.Duration) int {
	t.Helper()
	docs := waitFinished(t, base, len(names), total)
	count := map[string]int{}
	archived := 0
	for _, d := range docs {
		count[d.SourceName]++
		if d.Status == "archived" {
			archived++
		}
	}
	for _, n := range names {
		if count[n] != 1 {
			t.Errorf("%s: %d documents, want 1", n, count[n])
		}
	}
	poll.Until(t, time.Minute, func() error {
		if left := inboxLeft(filepath.Join(data, "inbox")); len(left) != 0 {
			return fmt.Errorf("inbox still holds %d files, first %s", len(left), left[0])
		}
		return nil
	})
	for _, d := range docs {
		switch d.Status {
		case "archived":
			if _, err := os.Stat(filepath.Join(data, "done", d.SourceName)); err != nil {
				t.Errorf("%s archived but not in done/: %v", d.SourceName, err)
			}
		case "failed":
			if _, err := os.Stat(filepath.Join(data, "failed", d.SourceName+".reason.txt")); err != nil || d.Reason == "" {
				t.Errorf("%s failed without a reason (%q): %v", d.SourceName, d.Reason, err)
			}
		}
	}
	t.Logf("%d files: %d archived, %d failed", len(names), archived, len(docs)-archived)
	return archived
}

// pause waits for a seeded-random while, so that kills land at different
// points of the pipeline; it is the fault's timing, not a wait for an outcome.
func pause(rng *rand.Rand, lo, hi time.Duration) {
	time.Sleep(lo + time.Duration(rng.Int64N(int64(hi-lo))))
}

// verifyArchive runs sohoa verify with args and fails the test unless it exits 0.
func verifyArchive(t *testing.T, env []string, args ...string) {
	t.Helper()
	cmd := exec.Command(sohoaBinary(t), append([]string{"verify"}, args...)...)
	cmd.Env = append(cmd.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("sohoa verify: %v\n%s", err, tail(out, 4000))
	}
}

func TestFaultKillServe(t *testing.T) {
	n, kills := 12, 3
	if soak() {
		n, kills = 60, 10
	}
	files := faultPages(t, n, 1201)
	data := t.TempDir()
	httpAddr := freeAddr(t)
	base := "http://" + httpAddr
	args := []string{"serve", "--data", data, "--http", httpAddr, "--workers", "2", "--log", "json"}
	p := startProc(t, "serve", nil, args...)
	waitHealthy(t, base, p)
	names := dropAll(t, files, filepath.Join(data, "inbox"))
	rng := rand.New(rand.NewPCG(12, 1))
	for i := range kills {
		pause(rng, 500*time.Millisecond, 6*time.Second)
		p.stop(syscall.SIGKILL)
		p = startProc(t, fmt.Sprintf("serve-%d", i+1), nil, args...)
		waitHealthy(t, base, p)
	}
	checkOutcome(t, base, data, names, 15*time.Minute)
	p.stop(syscall.SIGTERM)
	verifyArchive(t, nil, "--data", data)
}

// splitRun is a set of split-role processes against one NATS and one S3 server.
type splitRun struct {
	t     *testing.T
	env   []string
	args  map[string][]string
	procs map[string]*proc
	base  string
	data  string
	s3    s3test.Server
}

func startSplit(t *testing.T) (*splitRun, func()) {
	natsURL, _ := startNATS(t)
	s3 := startS3(t)
	data := t.TempDir()
	httpAddr := freeAddr(t)
	common := []string{"--nats", natsURL, "--s3", s3.Endpoint}
	r := &splitRun{t: t, env: s3.Env(), base: "http://" + httpAddr, data: data, s3: s3, procs: map[string]*proc{},
		args: map[string][]string{
			"worker":  append([]string{"worker", "--workers", "2", "--log", "json"}, common...),
			"archive": append([]string{"archive", "--data", data, "--http", httpAddr, "--log", "json"}, common...),
			"ingest":  append([]string{"ingest", "--data", data, "--name", "office1", "--log", "json"}, common...),
		}}
	for _, role := range []string{"worker", "archive", "ingest"} {
		r.start(role)
	}
	poll.Until(t, time.Minute, func() error { _, err := os.Stat(filepath.Join(data, "inbox")); return err })
	return r, func() { verifyArchive(t, r.env, "--s3", s3.Endpoint, "--bucket", defaultArchiveBucket) }
}

func (r *splitRun) start(role string) {
	r.procs[role] = startProc(r.t, fmt.Sprintf("%s-%d", role, time.Now().UnixNano()), r.env, r.args[role]...)
	if role == "archive" {
		waitHealthy(r.t, r.base, r.procs[role])
	}
}

func TestFaultKillSplitRoles(t *testing.T) {
	n, rounds := 12, 1
	if soak() {
		n, rounds = 60, 4
	}
	files := faultPages(t, n, 1202)
	r, verify := startSplit(t)
	names := dropAll(t, files, filepath.Join(r.data, "inbox"))
	rng := rand.New(rand.NewPCG(12, 2))
	for range rounds {
		for _, role := range []string{"ingest", "worker", "archive"} {
			pause(rng, 500*time.Millisecond, 6*time.Second)
			r.procs[role].stop(syscall.SIGKILL)
			r.start(role)
		}
	}
	checkOutcome(t, r.base, r.data, names, 15*time.Minute)
	verify()
}

func TestFaultS3Stopped(t *testing.T) {
	n, down := 10, 15*time.Second
	if soak() {
		n, down = 30, 60*time.Second
	}
	files := faultPages(t, n, 1203)
	r, verify := startSplit(t)
	names := dropAll(t, files, filepath.Join(r.data, "inbox"))
	// Stop the S3 server once documents are being committed.
	waitOneArchived(t, r.base)
	r.s3.Stop()
	time.Sleep(down) // the outage itself
	r.s3.Start()
	checkOutcome(t, r.base, r.data, names, 15*time.Minute)
	verify()
}

func TestFaultBurst(t *testing.T) {
	n := 40
	if soak() {
		n = 500
	}
	files := faultPages(t, n, 1204)
	data := t.TempDir()
	httpAddr := freeAddr(t)
	base := "http://" + httpAddr
	p := startProc(t, "serve", nil, "serve", "--data", data, "--http", httpAddr, "--workers", "2", "--log", "json")
	waitHealthy(t, base, p)
	names := dropAll(t, files, filepath.Join(data, "inbox"))
	checkOutcome(t, base, data, names, 30*time.Minute)
	p.stop(syscall.SIGTERM)
	verifyArchive(t, nil, "--data", data)
}
