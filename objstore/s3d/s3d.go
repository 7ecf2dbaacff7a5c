// Package s3d runs the embedded S3-compatible endpoint of `sohoa serve`: the
// versitygw gateway with its posix backend, used as a library, listening on
// loopback. Objects are plain files under Dir/data/<bucket>/<key>, so the
// archive can be read with ls, rsync or any S3 client; object metadata lives in
// extended attributes, or in sidecar files under Dir/meta where the file
// system has none. Each object is flushed to disk (file and directory fsync)
// before the PUT is answered, so a committed document survives a power cut.
//
// sohoa never touches these files itself: it talks to the endpoint through
// objstore, as it would to any other S3 service.
package s3d

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/versity/versitygw/backend/meta"
	"github.com/versity/versitygw/backend/posix"
	"github.com/versity/versitygw/embedgw"
	"github.com/versity/versitygw/s3response"
)

// Config of the embedded endpoint.
type Config struct {
	// Dir holds the objects (Dir/data), sidecar metadata if needed
	// (Dir/meta) and the generated credentials (Dir/credentials.json).
	// It must be an absolute path.
	Dir string
	// Addr to listen on, default "127.0.0.1:0" (a free port on loopback).
	Addr string
}

// Server is a running endpoint.
type Server struct {
	// Endpoint is the URL clients use, e.g. "http://127.0.0.1:43211".
	Endpoint  string
	AccessKey string
	SecretKey string

	done chan error
}

// Credentials are stored once per data folder so that S3 tools configured
// against it keep working across restarts.
type Credentials struct {
	AccessKey string `json:"access_key"`
	SecretKey string `json:"secret_key"`
}

// Start runs the endpoint until ctx is cancelled; Wait returns its outcome.
//
// Only one endpoint can run per process (a versitygw restriction), and
// starting it changes the process's working directory to Dir/data (the posix
// backend works relative to its root): callers must use absolute paths.
func Start(ctx context.Context, cfg Config, log *slog.Logger) (*Server, error) {
	if !filepath.IsAbs(cfg.Dir) {
		return nil, fmt.Errorf("s3d: %q is not an absolute path", cfg.Dir)
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	addr, err := resolvePort(cfg.Addr)
	if err != nil {
		return nil, err
	}
	root := filepath.Join(cfg.Dir, "data")
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, fmt.Errorf("s3d: %w", err)
	}
	creds, err := loadCredentials(filepath.Join(cfg.Dir, "credentials.json"))
	if err != nil {
		return nil, err
	}

	var ms meta.MetadataStorer = meta.XattrMeta{}
	// CopyObject's size limit; versitygw's command line defaults to 5 GiB,
	// the library to 0 (no copy at all).
	opts := posix.PosixOpts{CopyObjectThreshold: 5 << 30}
	if err := (meta.XattrMeta{}).Test(root); err != nil {
		side := filepath.Join(cfg.Dir, "meta")
		if err := os.MkdirAll(side, 0o750); err != nil {
			return nil, fmt.Errorf("s3d: %w", err)
		}
		sc, err := meta.NewSideCar(side)
		if err != nil {
			return nil, fmt.Errorf("s3d: sidecar metadata: %w", err)
		}
		ms, opts.SideCarDir = sc, side
		log.Info("file system has no extended attributes; keeping object metadata in sidecar files", "dir", side)
	}
	be, err := posix.New(root, ms, opts)
	if err != nil {
		return nil, fmt.Errorf("s3d: posix backend: %w", err)
	}

	s := &Server{
		Endpoint:  "http://" + addr,
		AccessKey: creds.AccessKey,
		SecretKey: creds.SecretKey,
		done:      make(chan error, 1),
	}
	gw := &embedgw.Config{
		RootUserAccess:    creds.AccessKey,
		RootUserSecret:    creds.SecretKey,
		Ports:             []string{addr},
		MaxConnections:    250,
		MaxRequests:       100,
		MultipartMaxParts: 10000,
		Quiet:             true,
		KeepAlive:         true,
		HealthPath:        "/-/healthz",
	}
	go func() {
		s.done <- embedgw.RunVersityGW(ctx, &durable{Posix: be, root: root}, gw)
	}()
	if err := s.waitReady(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Wait blocks until the endpoint has stopped and returns why.
func (s *Server) Wait() error {
	err := <-s.done
	s.done <- err
	return err
}

func (s *Server) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-s.done:
			s.done <- err
			if err == nil {
				err = errors.New("stopped")
			}
			return fmt.Errorf("s3d: endpoint did not start: %w", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		resp, err := http.Get(s.Endpoint + "/-/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("s3d: endpoint at %s not ready after 30s", s.Endpoint)
		}
	}
}

// resolvePort turns "host:0" into "host:<a free port>": versitygw needs the
// port up front and does not report the one it was given.
func resolvePort(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("s3d: listen address %q: %w", addr, err)
	}
	if port != "0" {
		return addr, nil
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return "", fmt.Errorf("s3d: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func loadCredentials(path string) (Credentials, error) {
	var c Credentials
	data, err := os.ReadFile(path)
	if err == nil {
		if err := json.Unmarshal(data, &c); err != nil || c.AccessKey == "" || c.SecretKey == "" {
			return c, fmt.Errorf("s3d: %s is damaged; delete it to make new credentials", path)
		}
		return c, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return c, fmt.Errorf("s3d: %w", err)
	}
	c = Credentials{AccessKey: "sohoa" + randomHex(6), SecretKey: randomHex(20)}
	data, _ = json.MarshalIndent(c, "", "  ")
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return c, fmt.Errorf("s3d: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return c, fmt.Errorf("s3d: %w", err)
	}
	return c, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on Linux
	return hex.EncodeToString(b)
}

// durable makes every PUT (and copy) reach the disk before it is acknowledged: the
// posix backend links a finished temporary file into place but does not fsync.
type durable struct {
	*posix.Posix
	root string
}

func (d *durable) PutObject(ctx context.Context, po s3response.PutObjectInput) (s3response.PutObjectOutput, error) {
	out, err := d.Posix.PutObjectWithPostFunc(ctx, po, func(f *os.File) error { return f.Sync() })
	if err != nil {
		return out, err
	}
	if po.Bucket == nil || po.Key == nil {
		return out, nil
	}
	name := filepath.Join(d.root, *po.Bucket, *po.Key)
	if err := syncPath(name); err != nil { // the inode, with its metadata attributes
		return out, err
	}
	return out, syncPath(filepath.Dir(name)) // the directory entry
}

// CopyObject flushes the copy like PutObject flushes a new object.
func (d *durable) CopyObject(ctx context.Context, in s3response.CopyObjectInput) (s3response.CopyObjectOutput, error) {
	out, err := d.Posix.CopyObject(ctx, in)
	if err != nil || in.Bucket == nil || in.Key == nil {
		return out, err
	}
	name := filepath.Join(d.root, *in.Bucket, *in.Key)
	if err := syncPath(name); err != nil {
		return out, err
	}
	return out, syncPath(filepath.Dir(name))
}

func syncPath(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("s3d: sync %s: %w", name, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("s3d: sync %s: %w", name, err)
	}
	return nil
}
