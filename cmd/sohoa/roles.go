package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/audit"
	"github.com/sohoa/sohoa/archive/auth"
	"github.com/sohoa/sohoa/archive/web"
	"github.com/sohoa/sohoa/ingest"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/ocr"
)

func runIngest(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	var common commonFlags
	var remote remoteFlags
	dataFlag := fs.String("data", "./data", "folder holding inbox/, done/ and failed/")
	name := fs.String("name", "", "name of this ingest on the queue (default: host name); unique per inbox")
	common.register(fs)
	remote.register(fs, false)
	log, err := common.parse(fs, args, &remote)
	if err != nil {
		return err
	}
	dirs, err := newDataDirs(*dataFlag)
	if err != nil {
		return err
	}
	nc, q, work, err := remote.connectStage(ctx, common, "sohoa ingest", log)
	if err != nil {
		return err
	}
	defer nc.Close()
	in, err := ingest.New(ingest.Config{Inbox: dirs.inbox, Done: dirs.done, Failed: dirs.failed, Name: *name}, q, work, log)
	if err != nil {
		return err
	}
	log.Info("ingest running", "inbox", dirs.inbox, "name", in.Name(), "nats", redact(remote.nats), "s3", remote.s3)
	return in.Run(ctx)
}

func runWorker(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	var common commonFlags
	var remote remoteFlags
	workers := fs.Int("workers", runtime.NumCPU(), "pages read at once (one OCR engine each)")
	metricsAddr := fs.String("metrics", "", "serve Prometheus metrics, unauthenticated, on this address: :9101 is loopback (127.0.0.1:9101); name a host to reach it from elsewhere, e.g. 10.0.0.5:9101")
	common.register(fs)
	remote.register(fs, false)
	log, err := common.parse(fs, args, &remote)
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	name := fmt.Sprintf("%s-%d", host, os.Getpid())
	nc, q, work, err := remote.connectStage(ctx, common, "sohoa worker "+name, log)
	if err != nil {
		return err
	}
	defer nc.Close()
	reg := registry()
	wk := ocr.New(ocr.Config{Workers: *workers, Name: name}, q, work, ocr.NewMetrics(reg), log)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return wk.Run(gctx) })
	if *metricsAddr != "" {
		addr := loopbackDefault(*metricsAddr)
		log.Info("metrics served without authentication", "addr", addr)
		g.Go(func() error { return serveMetrics(gctx, addr, reg) })
	}
	return g.Wait()
}

func runArchive(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("archive", flag.ContinueOnError)
	var common commonFlags
	var remote remoteFlags
	dataFlag := fs.String("data", "./data", "folder holding the search index (index/)")
	httpAddr := fs.String("http", "127.0.0.1:8080", "address of the web interface and API")
	var webf webFlags
	webf.register(fs)
	common.register(fs)
	remote.register(fs, true)
	log, err := common.parse(fs, args, &remote)
	if err != nil {
		return err
	}
	api.DisableConfigDir()
	dirs, err := newDataDirs(*dataFlag)
	if err != nil {
		return err
	}
	httpL, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		return fmt.Errorf("web address %s: %w (choose another with --http)", *httpAddr, err)
	}
	defer httpL.Close()
	nc, q, work, err := remote.connectStage(ctx, common, "sohoa archive", log)
	if err != nil {
		return err
	}
	defer nc.Close()
	arch, err := openBucket(ctx, remote, remote.bucket)
	if err != nil {
		return err
	}
	if err := guardArchive(ctx, arch, false, log); err != nil {
		return err
	}
	ix, err := openIndex(ctx, dirs.index, arch, log)
	if err != nil {
		return err
	}
	defer ix.Close()
	reg := registry()
	ar, err := archive.New(archive.Config{Queue: q, Work: work, Store: arch, Index: ix, Metrics: archive.NewMetrics(reg), Log: log})
	if err != nil {
		return err
	}
	accounts, err := auth.Open(dirs.accounts)
	if err != nil {
		return err
	}
	accounts.Actor = "sohoa archive"
	if err := firstAdmin(accounts, os.Stdout); err != nil {
		return err
	}
	trail, err := audit.Open(ctx, arch)
	if err != nil {
		return err
	}
	trusted, err := webf.trustedProxies()
	if err != nil {
		return err
	}
	ws, err := web.New(web.Config{
		Queue: q, Index: ix, Objects: arch, Archive: ar, Metrics: reg, Log: log,
		Accounts: accounts, TrustedProxies: trusted, AllowedHosts: webf.allowedHosts(httpL.Addr()), Audit: trail,
	})
	if err != nil {
		return err
	}
	log.Info("archive running", "http", httpL.Addr().String(), "bucket", arch.Name(), "nats", redact(remote.nats), "s3", remote.s3)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return ar.Run(gctx) })
	g.Go(func() error { return ws.Run(gctx, httpL) })
	return g.Wait()
}

func openBucket(ctx context.Context, remote remoteFlags, name string) (*objstore.Bucket, error) {
	cfg, err := remote.s3Config(name)
	if err != nil {
		return nil, err
	}
	return objstore.Open(ctx, cfg)
}

func serveMetrics(ctx context.Context, addr string, reg *prometheus.Registry) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		return fmt.Errorf("metrics: %w", err)
	}
	return nil
}
