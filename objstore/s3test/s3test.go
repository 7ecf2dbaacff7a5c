// Package s3test starts real S3 server processes for tests: versitygw (the
// one `make test` installs) and MinIO where it is installed. Nothing here is
// a fake: the servers are the same programs operators run.
package s3test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/sohoa/sohoa/objstore"
)

// Server is an S3 server process started for one test.
type Server struct {
	Name      string
	Endpoint  string
	AccessKey string
	SecretKey string

	proc *process // the running server, for Stop and Start
}

// process is a server program that a test may stop and start again on the
// same address and data.
type process struct {
	t       testing.TB
	path    string
	args    []string
	env     []string
	health  string
	logPath string
	cmd     *exec.Cmd
	exited  chan error
}

// Config is a bucket configuration on the server.
func (s Server) Config(bucket string) objstore.Config {
	return objstore.Config{Endpoint: s.Endpoint, AccessKey: s.AccessKey, SecretKey: s.SecretKey, Bucket: bucket}
}

// Env is the environment that gives a sohoa process the server's credentials.
func (s Server) Env() []string {
	return []string{"SOHOA_S3_ACCESS_KEY=" + s.AccessKey, "SOHOA_S3_SECRET_KEY=" + s.SecretKey}
}

// Binary finds a server program: $SOHOA_<NAME> (e.g. SOHOA_VERSITYGW), then
// PATH, then GOPATH/bin.
func Binary(name, envVar string) string {
	if p := os.Getenv(envVar); p != "" {
		return p
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(string(bytes.TrimSpace(out)), "bin", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// missing skips the test, or fails it when SOHOA_REQUIRE_S3 is set (as
// `make test` does: there the server must be there).
func missing(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("SOHOA_REQUIRE_S3") != "" {
		t.Fatalf("%s is not installed (run make test, which installs it)", what)
	}
	t.Skipf("%s is not installed", what)
}

// VersityGW starts versitygw with its posix backend on a temporary folder.
func VersityGW(t testing.TB) Server {
	t.Helper()
	bin := Binary("versitygw", "SOHOA_VERSITYGW")
	if bin == "" {
		missing(t, "versitygw")
	}
	dir := t.TempDir()
	root, side := filepath.Join(dir, "root"), filepath.Join(dir, "meta")
	for _, d := range []string{root, side} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s := Server{Name: "versitygw", AccessKey: "testaccess", SecretKey: "testsecret12345"}
	addr := freeAddr(t)
	s.Endpoint = "http://" + addr
	cmd := exec.Command(bin, "--access", s.AccessKey, "--secret", s.SecretKey, "--port", addr,
		"--quiet", "--health", "/healthz", "posix", "--sidecar", side, root)
	s.proc = start(t, cmd, s.Endpoint+"/healthz", filepath.Join(dir, "versitygw.log"))
	return s
}

// MinIO starts a MinIO server if the minio program is installed.
func MinIO(t testing.TB) Server {
	t.Helper()
	bin := Binary("minio", "SOHOA_MINIO")
	if bin == "" {
		t.Skip("minio is not installed")
	}
	dir := t.TempDir()
	s := Server{Name: "minio", AccessKey: "minioadmin-test", SecretKey: "minioadmin-secret"}
	addr := freeAddr(t)
	s.Endpoint = "http://" + addr
	cmd := exec.Command(bin, "server", "--quiet", "--address", addr, "--console-address", freeAddr(t), filepath.Join(dir, "data"))
	cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+s.AccessKey, "MINIO_ROOT_PASSWORD="+s.SecretKey)
	s.proc = start(t, cmd, s.Endpoint+"/minio/health/ready", filepath.Join(dir, "minio.log"))
	return s
}

func start(t testing.TB, cmd *exec.Cmd, health, logPath string) *process {
	t.Helper()
	p := &process{t: t, path: cmd.Path, args: cmd.Args, env: cmd.Env, health: health, logPath: logPath}
	p.run()
	t.Cleanup(p.stop)
	return p
}

// run starts the program and waits until it answers its health check.
func (p *process) run() {
	t := p.t
	t.Helper()
	logf, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd := &exec.Cmd{Path: p.path, Args: p.args, Env: p.env, Stdout: logf, Stderr: logf}
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); logf.Close() }()
	p.cmd, p.exited = cmd, exited
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			exited <- err
			out, _ := os.ReadFile(p.logPath)
			t.Fatalf("%s exited: %v\n%s", filepath.Base(cmd.Path), err, out)
		default:
		}
		resp, err := http.Get(p.health)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s not ready at %s after 30s", filepath.Base(cmd.Path), p.health)
}

// stop kills the program (SIGKILL, as a crash or a pulled plug would) and
// waits for it; stopping a stopped program does nothing.
func (p *process) stop() {
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Kill()
	<-p.exited
	p.cmd = nil
}

// Stop kills the server, as a crash or a lost network would take it away.
func (s Server) Stop() { s.proc.stop() }

// Start starts a stopped server again on the same address and data.
func (s Server) Start() {
	if s.proc.cmd == nil {
		s.proc.run()
	}
}

func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// String names the server in test output.
func (s Server) String() string { return fmt.Sprintf("%s at %s", s.Name, s.Endpoint) }

// IAMServer is a versitygw started with its internal accounts (--iam-dir)
// and admin API, on which tests make users of the "user" role: such a user
// may reach a bucket it does not own only as the bucket's policy allows.
type IAMServer struct {
	Server        // the root account's
	Admin  string // the admin API's URL
	bin    string
}

// VersityGWIAM starts versitygw with accounts.
func VersityGWIAM(t testing.TB) IAMServer {
	t.Helper()
	bin := Binary("versitygw", "SOHOA_VERSITYGW")
	if bin == "" {
		missing(t, "versitygw")
	}
	dir := t.TempDir()
	root, side, iam := filepath.Join(dir, "root"), filepath.Join(dir, "meta"), filepath.Join(dir, "iam")
	for _, d := range []string{root, side, iam} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s := IAMServer{Server: Server{Name: "versitygw-iam", AccessKey: "rootaccess", SecretKey: "rootsecret12345"}, bin: bin}
	addr, admin := freeAddr(t), freeAddr(t)
	s.Endpoint, s.Admin = "http://"+addr, "http://"+admin
	cmd := exec.Command(bin, "--access", s.AccessKey, "--secret", s.SecretKey, "--port", addr, "--admin-port", admin,
		"--iam-dir", iam, "--iam-cache-disable", "--quiet", "--health", "/healthz", "posix", "--sidecar", side, root)
	s.proc = start(t, cmd, s.Endpoint+"/healthz", filepath.Join(dir, "versitygw.log"))
	return s
}

// AddUser makes an account of role "user" with these keys, and returns the
// server as that account sees it.
func (s IAMServer) AddUser(t testing.TB, access, secret string) Server {
	t.Helper()
	out, err := exec.Command(s.bin, "admin", "--access", s.AccessKey, "--secret", s.SecretKey, "--endpoint-url", s.Admin,
		"create-user", "--access", access, "--secret", secret, "--role", "user").CombinedOutput()
	if err != nil {
		t.Fatalf("versitygw admin create-user %s: %v\n%s", access, err, out)
	}
	u := s.Server
	u.Name, u.AccessKey, u.SecretKey = s.Name+"/"+access, access, secret
	return u
}

// Shipped is versitygw set up as deploy/s3/setup-versitygw.sh sets it up:
// the buckets sohoa-work and sohoa-archive (the root account's), one
// account of role "user" per stage, and the bucket policies of
// deploy/s3/versitygw, read from those very files.
type Shipped struct {
	IAMServer
	// Roles are the stages' accounts: "ingest", "worker", "archive".
	Roles map[string]Server
}

// PolicyFile is the path of the shipped bucket policy of bucket.
func PolicyFile(bucket string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "deploy", "s3", "versitygw", bucket+".policy.json")
}

// VersityGWShipped starts a Shipped versitygw for one test.
func VersityGWShipped(t testing.TB) Shipped {
	t.Helper()
	s := Shipped{IAMServer: VersityGWIAM(t), Roles: map[string]Server{}}
	// The policies name the accounts, which must exist first.
	for _, role := range []string{"ingest", "worker", "archive"} {
		s.Roles[role] = s.AddUser(t, "sohoa-"+role, "secret-of-"+role+"-12345")
	}
	for _, bucket := range []string{"sohoa-work", "sohoa-archive"} {
		b, err := objstore.Open(context.Background(), s.Config(bucket))
		if err != nil {
			t.Fatal(err)
		}
		policy, err := os.ReadFile(PolicyFile(bucket))
		if err != nil {
			t.Fatal(err)
		}
		if err := b.SetPolicy(context.Background(), string(policy)); err != nil {
			t.Fatalf("the shipped policy of %s is refused: %v", bucket, err)
		}
	}
	return s
}
