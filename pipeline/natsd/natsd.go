// Package natsd runs the embedded NATS server with JetStream that `sohoa serve`
// uses, and that tests use as a real broker. Its store lives on local disk and
// every write is synced before it is acknowledged (an office server may lose
// power; a page the clerk dropped must not be lost with it).
package natsd

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Config of the embedded server.
type Config struct {
	// StoreDir holds JetStream's files. Required.
	StoreDir string
	// Listen is the client address to open, e.g. "127.0.0.1:4222" or
	// "127.0.0.1:-1" for a random port. Empty: no port at all, in-process
	// connections only.
	Listen string
	// Name of the server, default "sohoa". Each node of a cluster needs its own.
	Name string
	// Cluster, when set, makes the server one node of a JetStream cluster
	// (as tests run one on loopback); empty: a single server.
	Cluster *Cluster
}

// Cluster is how one node joins a NATS cluster.
type Cluster struct {
	// Name of the cluster, the same on every node.
	Name string
	// Listen is the route address this node opens for its peers, e.g.
	// "127.0.0.1:6222".
	Listen string
	// Routes are the route URLs of the peers, e.g. "nats://127.0.0.1:6223".
	Routes []string
}

// Server is a running embedded NATS server.
type Server struct {
	ns *server.Server
}

// Start starts the server and waits until it accepts connections.
func Start(cfg Config, log *slog.Logger) (*Server, error) {
	if cfg.StoreDir == "" {
		return nil, errors.New("natsd: no store folder")
	}
	if cfg.Name == "" {
		cfg.Name = "sohoa"
	}
	opts := &server.Options{
		ServerName: cfg.Name,
		JetStream:  true,
		StoreDir:   filepath.Clean(cfg.StoreDir),
		SyncAlways: true,
		NoSigs:     true,
		DontListen: cfg.Listen == "",
		MaxPayload: 8 << 20,
	}
	if cfg.Listen != "" {
		host, port, err := splitHostPort(cfg.Listen)
		if err != nil {
			return nil, err
		}
		opts.Host, opts.Port = host, port
	}
	if c := cfg.Cluster; c != nil {
		host, port, err := splitHostPort(c.Listen)
		if err != nil {
			return nil, err
		}
		opts.Cluster = server.ClusterOpts{Name: c.Name, Host: host, Port: port}
		for _, r := range c.Routes {
			u, err := url.Parse(r)
			if err != nil {
				return nil, fmt.Errorf("natsd: route %q: %w", r, err)
			}
			opts.Routes = append(opts.Routes, u)
		}
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("natsd: %w", err)
	}
	if log != nil {
		ns.SetLoggerV2(logAdapter{log.With("component", "nats")}, false, false, false)
	}
	ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		return nil, errors.New("natsd: server not ready after 30s")
	}
	return &Server{ns: ns}, nil
}

// Connect opens a client connection to the server (in-process when it has no port).
func (s *Server) Connect(name string) (*nats.Conn, error) {
	opts := []nats.Option{nats.Name(name), nats.MaxReconnects(-1)}
	url := nats.DefaultURL
	if s.ns.Addr() == nil {
		opts = append(opts, nats.InProcessServer(s.ns))
	} else {
		url = s.ns.ClientURL()
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("natsd: connect: %w", err)
	}
	return nc, nil
}

// URL is the client URL, or "" when the server listens on no port.
func (s *Server) URL() string {
	if s.ns.Addr() == nil {
		return ""
	}
	return s.ns.ClientURL()
}

// JetStreamReady reports whether JetStream can take requests: on a cluster,
// once its nodes have elected a meta leader.
func (s *Server) JetStreamReady() bool {
	if !s.ns.JetStreamEnabled() {
		return false
	}
	if !s.ns.JetStreamIsClustered() {
		return true
	}
	jsz, err := s.ns.Jsz(nil)
	return err == nil && jsz.Meta != nil && jsz.Meta.Leader != ""
}

// Name is the server's name.
func (s *Server) Name() string { return s.ns.Name() }

// Shutdown stops the server and waits for it to finish.
func (s *Server) Shutdown() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
}

func splitHostPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("natsd: listen address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, fmt.Errorf("natsd: listen address %q: bad port", addr)
	}
	return host, port, nil
}

// logAdapter sends the server's log to slog.
type logAdapter struct{ l *slog.Logger }

func (a logAdapter) Noticef(format string, v ...any) { a.l.Debug(fmt.Sprintf(format, v...)) }
func (a logAdapter) Warnf(format string, v ...any)   { a.l.Warn(fmt.Sprintf(format, v...)) }
func (a logAdapter) Fatalf(format string, v ...any)  { a.l.Error(fmt.Sprintf(format, v...)) }
func (a logAdapter) Errorf(format string, v ...any)  { a.l.Error(fmt.Sprintf(format, v...)) }
func (a logAdapter) Debugf(format string, v ...any)  { a.l.Debug(fmt.Sprintf(format, v...)) }
func (a logAdapter) Tracef(format string, v ...any)  { a.l.Debug(fmt.Sprintf(format, v...)) }
