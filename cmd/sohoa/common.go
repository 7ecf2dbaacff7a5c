package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/sohoa/sohoa/archive/auth"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/pipeline"
)

// common flags of every command.
type commonFlags struct {
	logFormat string
	logLevel  string
	replicas  int
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.logFormat, "log", "json", "log format: json or text")
	fs.StringVar(&c.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.IntVar(&c.replicas, "replicas", 1, "replicas of the JetStream streams (3 on a NATS cluster)")
}

// parse parses a command's flags and makes its logger (see logger); a split
// role passes its remote flags, which must then name NATS and S3.
func (c *commonFlags) parse(fs *flag.FlagSet, args []string, remote *remoteFlags) (*slog.Logger, error) {
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if remote != nil {
		if err := remote.validate(); err != nil {
			return nil, err
		}
	}
	return c.logger(stderrCopy())
}

func (c *commonFlags) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, usageError{fmt.Sprintf("bad -log-level %q", c.logLevel)}
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, usageError{fmt.Sprintf("bad -log %q: json or text", c.logFormat)}
}

// remote flags of the split roles.
type remoteFlags struct {
	nats       string
	s3         string
	region     string
	bucket     string
	workBucket string
	bind       bool
}

func (r *remoteFlags) register(fs *flag.FlagSet, needsArchive bool) {
	fs.StringVar(&r.nats, "nats", "", "NATS server URL(s), comma-separated, e.g. nats://nats1:4222 (credentials: SOHOA_NATS_CREDS, or SOHOA_NATS_USER/SOHOA_NATS_PASSWORD, or SOHOA_NATS_TOKEN)")
	fs.StringVar(&r.s3, "s3", "", "S3 endpoint URL, e.g. https://s3.example.org (credentials: SOHOA_S3_ACCESS_KEY and SOHOA_S3_SECRET_KEY, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
	fs.StringVar(&r.region, "s3-region", "us-east-1", "S3 region")
	fs.StringVar(&r.workBucket, "work-bucket", defaultWorkBucket, "bucket for pages in the pipeline")
	fs.BoolVar(&r.bind, "nats-bind", false, "only use the JetStream streams and buckets that the archive created, never create or change them (for NATS credentials that may not: deploy/nats/auth.conf)")
	if needsArchive {
		fs.StringVar(&r.bucket, "bucket", defaultArchiveBucket, "bucket of the archive")
	}
}

const (
	defaultArchiveBucket = "sohoa-archive"
	defaultWorkBucket    = "sohoa-work"
)

func (r *remoteFlags) validate() error {
	if r.nats == "" {
		return usageError{"--nats is required (e.g. --nats nats://127.0.0.1:4222)"}
	}
	if r.s3 == "" {
		return usageError{"--s3 is required (e.g. --s3 http://127.0.0.1:9000)"}
	}
	return nil
}

// s3Config builds a bucket config from the flags and the environment. In
// split roles each role's process has its own credentials (deploy/s3/):
// the environment, or files named by SOHOA_S3_ACCESS_KEY_FILE and
// SOHOA_S3_SECRET_KEY_FILE.
func (r *remoteFlags) s3Config(bucket string) (objstore.Config, error) {
	access, err := secretEnv("SOHOA_S3_ACCESS_KEY", "AWS_ACCESS_KEY_ID")
	if err != nil {
		return objstore.Config{}, err
	}
	secret, err := secretEnv("SOHOA_S3_SECRET_KEY", "AWS_SECRET_ACCESS_KEY")
	if err != nil {
		return objstore.Config{}, err
	}
	if access == "" || secret == "" {
		return objstore.Config{}, errors.New("S3 credentials missing: set SOHOA_S3_ACCESS_KEY and SOHOA_S3_SECRET_KEY (or SOHOA_S3_ACCESS_KEY_FILE and SOHOA_S3_SECRET_KEY_FILE)")
	}
	return objstore.Config{Endpoint: r.s3, AccessKey: access, SecretKey: secret, Region: r.region, Bucket: bucket}, nil
}

// connectNATS connects to an external NATS with credentials from the
// environment: SOHOA_NATS_CREDS (a .creds file), SOHOA_NATS_USER with
// SOHOA_NATS_PASSWORD or SOHOA_NATS_PASSWORD_FILE, or SOHOA_NATS_TOKEN (or
// _FILE); and TLS: SOHOA_NATS_CA (the CA that signed the servers'
// certificates), SOHOA_NATS_CERT and SOHOA_NATS_KEY (this role's client
// certificate, which deploy/nats/nats.conf requires).
func (r *remoteFlags) connectNATS(name string, log *slog.Logger) (*nats.Conn, error) {
	opts := []nats.Option{
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("disconnected from NATS", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) { log.Info("reconnected to NATS", "server", redact(nc.ConnectedUrl())) }),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			log.Warn("NATS reported an error (a subject these credentials may not use is reported here)", "err", err)
		}),
	}
	password, err := secretEnv("SOHOA_NATS_PASSWORD")
	if err != nil {
		return nil, err
	}
	token, err := secretEnv("SOHOA_NATS_TOKEN")
	if err != nil {
		return nil, err
	}
	switch {
	case os.Getenv("SOHOA_NATS_CREDS") != "":
		opts = append(opts, nats.UserCredentials(os.Getenv("SOHOA_NATS_CREDS")))
	case os.Getenv("SOHOA_NATS_USER") != "":
		opts = append(opts, nats.UserInfo(os.Getenv("SOHOA_NATS_USER"), password))
	case token != "":
		opts = append(opts, nats.Token(token))
	}
	if ca := os.Getenv("SOHOA_NATS_CA"); ca != "" {
		opts = append(opts, nats.RootCAs(ca))
	}
	cert, key := os.Getenv("SOHOA_NATS_CERT"), os.Getenv("SOHOA_NATS_KEY")
	switch {
	case cert != "" && key != "":
		opts = append(opts, nats.ClientCert(cert, key))
	case cert != "" || key != "":
		return nil, errors.New("NATS client certificate: set both SOHOA_NATS_CERT and SOHOA_NATS_KEY")
	}
	nc, err := nats.Connect(r.nats, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to NATS at %s: %w", redact(r.nats), err)
	}
	return nc, nil
}

// redact removes credentials from URLs before they are logged.
func redact(raw string) string {
	var out []string
	for _, s := range strings.Split(raw, ",") {
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil || u.User == nil {
			out = append(out, s)
			continue
		}
		u.User = url.User("***")
		out = append(out, u.String())
	}
	return strings.Join(out, ",")
}

// openQueue opens the pipeline's streams on a connection.
// connectStage links a split role to the pipeline: a NATS connection
// (close it when done), the queue on it, and the work bucket.
func (r *remoteFlags) connectStage(ctx context.Context, common commonFlags, client string, log *slog.Logger) (*nats.Conn, *pipeline.Queue, *objstore.Bucket, error) {
	nc, err := r.connectNATS(client, log)
	if err != nil {
		return nil, nil, nil, err
	}
	q, err := pipeline.Open(ctx, nc, pipeline.Config{Replicas: common.replicas, Bind: r.bind}, log)
	if err == nil {
		var work *objstore.Bucket
		if work, err = openBucket(ctx, *r, r.workBucket); err == nil {
			return nc, q, work, nil
		}
	}
	nc.Close()
	return nil, nil, nil, err
}

func openQueue(ctx context.Context, nc *nats.Conn, c commonFlags, log *slog.Logger) (*pipeline.Queue, error) {
	return pipeline.Open(ctx, nc, pipeline.Config{Replicas: c.replicas}, log)
}

// registry is the Prometheus registry of one process.
func registry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// dataDirs are the folders of a data directory.
type dataDirs struct {
	root, inbox, done, failed, nats, s3, index string
	accounts                                   string // the accounts file
}

func newDataDirs(root string) (dataDirs, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return dataDirs{}, err
	}
	if err := os.MkdirAll(abs, 0o775); err != nil {
		return dataDirs{}, fmt.Errorf("data folder: %w", err)
	}
	return dataDirs{
		root:   abs,
		inbox:  filepath.Join(abs, "inbox"),
		done:   filepath.Join(abs, "done"),
		failed: filepath.Join(abs, "failed"),
		nats:   filepath.Join(abs, "nats"),
		s3:     filepath.Join(abs, "s3"),
		index:  filepath.Join(abs, "index"),
		// accounts: auth.FileName
		accounts: filepath.Join(abs, auth.FileName),
	}, nil
}

// stderrCopy is a duplicate of the process's standard error for the log:
// libraries that point file descriptor 2 elsewhere for a moment (gosseract
// does while Tesseract starts) cannot swallow sohoa's log.
func stderrCopy() io.Writer {
	fd, err := syscall.Dup(2)
	if err != nil {
		return os.Stderr
	}
	return os.NewFile(uintptr(fd), "stderr")
}
