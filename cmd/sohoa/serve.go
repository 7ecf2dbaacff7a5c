package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"runtime"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"golang.org/x/sync/errgroup"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/audit"
	"github.com/sohoa/sohoa/archive/auth"
	"github.com/sohoa/sohoa/archive/web"
	"github.com/sohoa/sohoa/ingest"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/objstore/s3d"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/pipeline/natsd"
)

func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var (
		common     commonFlags
		dataFlag   = fs.String("data", "./data", "data folder: inbox/, done/, failed/, the queue, the archive's objects and the index")
		httpAddr   = fs.String("http", "127.0.0.1:8080", "address of the web interface and API")
		workers    = fs.Int("workers", runtime.NumCPU(), "pages read at once (one OCR engine each)")
		s3Listen   = fs.String("s3-listen", "127.0.0.1:0", "address of the embedded S3 endpoint (port 0: any free port)")
		natsListen = fs.String("nats-listen", "", "open the embedded NATS server on this address too, e.g. 127.0.0.1:4222 (default: in-process only)")
	)
	var webf webFlags
	webf.register(fs)
	common.register(fs)
	log, err := common.parse(fs, args, nil)
	if err != nil {
		return err
	}
	dirs, err := newDataDirs(*dataFlag)
	if err != nil {
		return err
	}
	api.DisableConfigDir()

	// Fail early, before anything starts, if the web address is taken.
	httpL, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		return fmt.Errorf("web address %s: %w (choose another with --http)", *httpAddr, err)
	}

	ns, err := natsd.Start(natsd.Config{StoreDir: dirs.nats, Listen: *natsListen}, log)
	if err != nil {
		httpL.Close()
		return err
	}
	defer ns.Shutdown()
	nc, err := ns.Connect("sohoa serve")
	if err != nil {
		httpL.Close()
		return err
	}
	defer nc.Close()
	q, err := openQueue(ctx, nc, common, log)
	if err != nil {
		httpL.Close()
		return err
	}

	s3ctx, stopS3 := context.WithCancel(context.Background())
	defer func() {
		stopS3()
	}()
	s3, err := s3d.Start(s3ctx, s3d.Config{Dir: dirs.s3, Addr: *s3Listen}, log)
	if err != nil {
		httpL.Close()
		return err
	}
	bucket := func(name string) (*objstore.Bucket, error) {
		return objstore.Open(ctx, objstore.Config{Endpoint: s3.Endpoint, AccessKey: s3.AccessKey, SecretKey: s3.SecretKey, Bucket: name})
	}
	work, err := bucket(defaultWorkBucket)
	if err != nil {
		httpL.Close()
		return err
	}
	arch, err := bucket(defaultArchiveBucket)
	if err != nil {
		httpL.Close()
		return err
	}
	if err := guardArchive(ctx, arch, true, log); err != nil {
		httpL.Close()
		return err
	}
	ix, err := openIndex(ctx, dirs.index, arch, log)
	if err != nil {
		httpL.Close()
		return err
	}
	defer ix.Close()

	reg := registry()
	in, err := ingest.New(ingest.Config{Inbox: dirs.inbox, Done: dirs.done, Failed: dirs.failed}, q, work, log)
	if err != nil {
		httpL.Close()
		return err
	}
	wk := ocr.New(ocr.Config{Workers: *workers}, q, work, ocr.NewMetrics(reg), log)
	ar, err := archive.New(archive.Config{Queue: q, Work: work, Store: arch, Index: ix, Metrics: archive.NewMetrics(reg), Log: log})
	if err != nil {
		httpL.Close()
		return err
	}
	accounts, err := auth.Open(dirs.accounts)
	if err != nil {
		httpL.Close()
		return err
	}
	accounts.Actor = "sohoa serve"
	if err := firstAdmin(accounts, os.Stdout); err != nil {
		httpL.Close()
		return err
	}
	trail, err := audit.Open(ctx, arch)
	if err != nil {
		httpL.Close()
		return err
	}
	trusted, err := webf.trustedProxies()
	if err != nil {
		httpL.Close()
		return err
	}
	ws, err := web.New(web.Config{
		Queue: q, Index: ix, Objects: arch, Archive: ar, Metrics: reg, Log: log,
		Accounts: accounts, TrustedProxies: trusted, AllowedHosts: webf.allowedHosts(httpL.Addr()), Audit: trail,
	})
	if err != nil {
		httpL.Close()
		return err
	}

	// The commands are shown as this binary was run (./bin/sohoa after make
	// run), so that they can be pasted as they are.
	fmt.Printf("sohoa đang chạy (running).\n"+
		"  Thả bản quét vào thư mục (drop scans into): %[1]s\n"+
		"  Giao diện web (web interface):              http://%[2]s/\n"+
		"  Đăng nhập (sign in) với tài khoản admin, hoặc người dùng do admin tạo (or users the admin adds):\n"+
		"      %[8]s user add --data %[3]s --role archivist \"Họ Tên\"     (quên mật khẩu: %[8]s user passwd --data %[3]s admin)\n"+
		"  Mã truy cập API cho hệ thống khác (API tokens):\n"+
		"      %[8]s token create --data %[3]s --role viewer --name TÊN\n"+
		"  Văn bản đã xử lý (done):                    %[4]s\n"+
		"  Tệp lỗi và lý do (failed, with reasons):    %[5]s\n"+
		"  Kho S3 nhúng (embedded S3):                 %[6]s (credentials in %[7]s)\n"+
		"Nhấn Ctrl+C để dừng (press Ctrl+C to stop).\n",
		dirs.inbox, httpL.Addr(), dirs.root, dirs.done, dirs.failed, s3.Endpoint, dirs.s3+"/credentials.json", os.Args[0])
	log.Info("serving", "inbox", dirs.inbox, "http", httpL.Addr().String(), "s3", s3.Endpoint, "workers", *workers)

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return in.Run(gctx) })
	g.Go(func() error { return wk.Run(gctx) })
	g.Go(func() error { return ar.Run(gctx) })
	g.Go(func() error { return ws.Run(gctx, httpL) })
	err = g.Wait()
	log.Info("stopped", "err", err)
	stopS3()
	if werr := s3.Wait(); werr != nil && err == nil {
		slog.Debug("s3 endpoint stopped", "err", werr)
	}
	return err
}
