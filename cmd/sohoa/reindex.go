package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"log/slog"
	"os"
	"strings"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/objstore/s3d"
)

// archiveBucket opens the archive bucket: the embedded store of DIR, or the
// S3 service of --s3.
func archiveBucket(ctx context.Context, remote remoteFlags, dirs dataDirs, log *slog.Logger) (*objstore.Bucket, error) {
	if remote.s3 != "" {
		return openBucket(ctx, remote, remote.bucket)
	}
	srv, err := s3d.Start(ctx, s3d.Config{Dir: dirs.s3}, log)
	if err != nil {
		return nil, err
	}
	return objstore.Open(ctx, objstore.Config{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, Bucket: remote.bucket})
}

func runReindex(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	var common commonFlags
	var remote remoteFlags
	dataFlag := fs.String("data", "./data", "data folder: its index/ is rebuilt; its s3/ is read unless --s3 is given")
	common.register(fs)
	remote.register(fs, true)
	log, err := common.parse(fs, args, nil)
	if err != nil {
		return err
	}
	dirs, err := newDataDirs(*dataFlag)
	if err != nil {
		return err
	}
	b, err := archiveBucket(ctx, remote, dirs, log)
	if err != nil {
		return err
	}
	// A fresh index beside the old one, swapped in only when complete: an
	// interrupted reindex leaves the old index as it was.
	tmp := dirs.index + ".new"
	if err := index.Remove(tmp); err != nil {
		return err
	}
	ix, err := index.Open(tmp)
	if err != nil {
		if strings.Contains(err.Error(), "timeout") {
			return fmt.Errorf("%w (is sohoa serve running on this folder? stop it first)", err)
		}
		return err
	}
	n, err := archive.Reindex(ctx, b, ix, log)
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := index.Remove(dirs.index); err != nil {
		return err
	}
	if err := os.Rename(tmp, dirs.index); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	fmt.Printf("%d documents indexed from bucket %s into %s\n", n, b.Name(), dirs.index)
	return nil
}

func runSearch(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	dataFlag := fs.String("data", "./data", "data folder whose index/ is searched")
	limit := fs.Int("limit", 10, "documents shown")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dirs, err := newDataDirs(*dataFlag)
	if err != nil {
		return err
	}
	ix, err := index.Open(dirs.index)
	if err != nil {
		return fmt.Errorf("%w (is sohoa serve running on this folder? use the web interface or the API meanwhile)", err)
	}
	defer ix.Close()
	res, err := ix.Search(index.Query{Text: strings.Join(fs.Args(), " "), Limit: *limit})
	if err != nil {
		return err
	}
	fmt.Printf("%d documents\n", res.Total)
	for _, h := range res.Hits {
		d := h.Doc
		fmt.Printf("%-22s %-10s %-12s %s\n  %s\n  %s\n", orDash(d.DocNumber), orDash(d.Date), orDash(d.Type), d.ID, d.Subject, d.Key)
		for _, sn := range h.Snippets {
			fmt.Printf("  … %s …\n", plainSnippet(sn))
		}
	}
	return nil
}

// plainSnippet turns a snippet's HTML (escaped text, <mark> around the
// words that matched) into terminal text, the matches in brackets.
func plainSnippet(s string) string {
	s = strings.NewReplacer("<mark>", "[", "</mark>", "]").Replace(s)
	return html.UnescapeString(s)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// openIndex opens the search index of serve and archive. An index written
// by another version of sohoa (another schema) is rebuilt from the archive
// bucket, which is the source of truth, so that an upgrade needs no step
// by hand.
func openIndex(ctx context.Context, dir string, b *objstore.Bucket, log *slog.Logger) (*index.Index, error) {
	ix, err := index.Open(dir)
	if !errors.Is(err, index.ErrOutdated) {
		return ix, err
	}
	log.Warn("the search index was built by another version of sohoa; rebuilding it from the archive bucket", "dir", dir)
	if err := index.Remove(dir); err != nil {
		return nil, err
	}
	if ix, err = index.Open(dir); err != nil {
		return nil, err
	}
	n, err := archive.Reindex(ctx, b, ix, log)
	if err != nil {
		ix.Close()
		return nil, err
	}
	log.Info("search index rebuilt", "documents", n)
	return ix, nil
}
