package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/objstore"
)

// runExport writes a hồ sơ's hand-over package (archive.ExportDossier)
// from the archive of a data folder or an S3 service, with sohoa serve
// stopped (the index is one process's).
func runExport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	var common commonFlags
	var remote remoteFlags
	dataFlag := fs.String("data", "./data", "data folder: its index/ and, unless --s3 is given, its s3/")
	dossier := fs.String("dossier", "", "the id of the hồ sơ to export (required)")
	out := fs.String("o", "", "the zip to write (default: the hồ sơ's code.zip)")
	by := fs.String("by", "", "who exports, named in bag-info.txt (default: the user running the command)")
	common.register(fs)
	remote.register(fs, true)
	log, err := common.parse(fs, args, nil)
	if err != nil {
		return err
	}
	if *dossier == "" {
		return usageError{"export: --dossier ID is required (GET /api/dossiers lists them)"}
	}
	b, ix, err := openOffline(ctx, remote, *dataFlag, log)
	if err != nil {
		return err
	}
	defer ix.Close()
	d, err := archive.DossierIn(ctx, b, *dossier)
	if err != nil {
		return err
	}
	name := *out
	if name == "" {
		name = strings.ToLower(archive.Slug(d.Code))
		if name == "" {
			name = "ho-so-" + d.ID
		}
		name += ".zip"
	}
	who := *by
	if who == "" {
		who = os.Getenv("USER")
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := archive.ExportDossier(ctx, b, ix, d.ID, who, f); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Printf("hồ sơ %s (%s, %d documents) written to %s\n", d.Code, d.Title, len(d.Documents), name)
	return nil
}

// runImport takes hand-over packages into the archive of a data folder
// or an S3 service, with sohoa serve stopped; every checksum is checked
// before anything is stored.
func runImport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	var common commonFlags
	var remote remoteFlags
	dataFlag := fs.String("data", "./data", "data folder: its index/ and, unless --s3 is given, its s3/")
	common.register(fs)
	remote.register(fs, true)
	log, err := common.parse(fs, args, nil)
	if err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"import: name the package(s) to import: sohoa import --data DATA FILE.zip …"}
	}
	b, ix, err := openOffline(ctx, remote, *dataFlag, log)
	if err != nil {
		return err
	}
	defer ix.Close()
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		info, err := f.Stat()
		if err != nil {
			f.Close()
			return fmt.Errorf("import: %w", err)
		}
		d, n, err := archive.ImportDossier(ctx, b, ix, f, info.Size())
		f.Close()
		if errors.Is(err, archive.ErrBadBag) {
			return fmt.Errorf("%s: gói không hợp lệ, không nhận gì (the package is refused whole): %w", name, err)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Printf("%s: hồ sơ %s (%s) and its %d documents imported, every checksum matching\n", name, d.Code, d.Title, n)
	}
	return nil
}

// openOffline opens the archive bucket (the data folder's embedded store,
// or the S3 service of --s3) and the data folder's index, which no server
// may hold meanwhile.
func openOffline(ctx context.Context, remote remoteFlags, data string, log *slog.Logger) (*objstore.Bucket, *index.Index, error) {
	dirs, err := newDataDirs(data)
	if err != nil {
		return nil, nil, err
	}
	b, err := archiveBucket(ctx, remote, dirs, log)
	if err != nil {
		return nil, nil, err
	}
	ix, err := index.Open(dirs.index)
	if err != nil && strings.Contains(err.Error(), "timeout") {
		return nil, nil, fmt.Errorf("%w (is sohoa serve running on this folder? stop it first)", err)
	}
	return b, ix, err
}
