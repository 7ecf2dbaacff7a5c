package main

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/audit"
	"github.com/sohoa/sohoa/archive/pdfcheck"
	"github.com/sohoa/sohoa/objstore"
)

// errProblems: some file broke a clause (exit status 1, nothing else wrong).
var errProblems = errors.New("some files are not archival PDF/A-2u (see above)")

func runVerify(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	var remote remoteFlags
	remote.register(fs, true)
	dataFlag := fs.String("data", "", "data folder of sohoa serve: check every document of its embedded store (serve stopped)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: sohoa verify FILE.pdf…
       sohoa verify --data DIR                   (every document of serve's embedded store)
       sohoa verify --s3 URL [--bucket NAME]     (every document in the archive)

Checks each PDF against the PDF/A-2u clauses sohoa promises, and against the
SHA-256 in its JSON record (FILE.json beside it, as the archive stores it);
for a whole archive, every version of every document, the original file
kept beside it against its SHA-256 too, and the audit's hash chain (no
entry changed, removed or reordered).
One line per broken clause, or per record that cannot be read; exit status 1
if there is any.`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	api.DisableConfigDir()
	bad := false
	report := func(name string, problems []string) {
		if len(problems) == 0 {
			fmt.Printf("%s: OK\n", name)
			return
		}
		bad = true
		for _, p := range problems {
			fmt.Printf("%s: %s\n", name, p)
		}
	}
	switch {
	case fs.NArg() > 0:
		for _, path := range fs.Args() {
			data, err := os.ReadFile(path)
			if err != nil {
				report(path, []string{"cannot read: " + err.Error()})
				continue
			}
			side, err := os.ReadFile(strings.TrimSuffix(path, ".pdf") + ".json")
			if err != nil {
				side = nil // not an archived document: no fixity to check
			}
			report(path, verifyPDF(data, side))
		}
	case remote.s3 != "" || *dataFlag != "":
		dirs, err := newDataDirs(cmp.Or(*dataFlag, "./data"))
		if err != nil {
			return err
		}
		b, err := archiveBucket(ctx, remote, dirs, slog.New(slog.DiscardHandler))
		if err != nil {
			return err
		}
		n := 0
		for o, err := range b.List(ctx, "") {
			if err != nil {
				return err
			}
			if !strings.HasSuffix(o.Key, ".json") {
				continue
			}
			side, err := b.Get(ctx, o.Key)
			if err != nil {
				return err
			}
			if strings.HasPrefix(o.Key, archive.DossierPrefix) {
				// A hồ sơ's version: its JSON must read as one.
				var d archive.Dossier
				if err := json.Unmarshal(side, &d); err != nil || d.Schema != archive.DossierSchema || d.ID == "" {
					report(o.Key, []string{fmt.Sprintf("not a dossier (hồ sơ) version: %v", err)})
				}
				continue
			}
			// Every JSON object in the archive bucket is a document's
			// record: one that cannot be read is a document that cannot be
			// verified, and says so (exit status 1), never skipped.
			rec, err := parseRecord(side)
			if err != nil {
				report(o.Key, []string{err.Error()})
				continue
			}
			data, err := b.Get(ctx, rec.PDF.Key)
			if err != nil {
				report(rec.PDF.Key, []string{"cannot read: " + err.Error()})
				continue
			}
			problems := verifyPDF(data, side)
			if rec.Source.Key != "" {
				problems = append(problems, verifyOriginal(ctx, b, rec.Source)...)
			}
			report(rec.PDF.Key, problems)
			n++
		}
		fmt.Printf("%d documents checked in bucket %s\n", n, b.Name())
		entries, problems, err := audit.Verify(ctx, b)
		if err != nil {
			return err
		}
		report(fmt.Sprintf("audit (%d entries)", entries), problems)
	default:
		fs.Usage()
		return usageError{"verify: name PDF files, or an archive with --data or --s3"}
	}
	if bad {
		return errProblems
	}
	return nil
}

// parseRecord reads a document's JSON record as the archive writes it.
func parseRecord(data []byte) (archive.Record, error) {
	var rec archive.Record
	if err := json.Unmarshal(data, &rec); err != nil {
		return rec, fmt.Errorf("record: cannot parse the JSON: %v", err)
	}
	if rec.Schema != archive.SchemaVersion || rec.ID == "" || rec.PDF.Key == "" {
		return rec, fmt.Errorf("record: not a document record this sohoa reads (schema %q, id %q, pdf key %q; want schema %q)",
			rec.Schema, rec.ID, rec.PDF.Key, archive.SchemaVersion)
	}
	return rec, nil
}

// verifyOriginal checks the file as it was dropped, kept beside the PDF/A,
// against the SHA-256 its record gives.
func verifyOriginal(ctx context.Context, b *objstore.Bucket, src archive.Source) []string {
	data, err := b.Get(ctx, src.Key)
	if err != nil {
		return []string{fmt.Sprintf("original %s: cannot read: %v", src.Key, err)}
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != src.SHA256 {
		return []string{fmt.Sprintf("fixity: the original %s has SHA-256 %s, the record says %s: it changed since it was archived", src.Key, got, src.SHA256)}
	}
	return nil
}

// verifyPDF returns the problems of one PDF: the PDF/A clauses it breaks,
// and a fixity mismatch against its record when there is one.
func verifyPDF(data, sidecar []byte) []string {
	var out []string
	if sidecar != nil {
		var rec archive.Record
		if err := json.Unmarshal(sidecar, &rec); err != nil {
			out = append(out, "record: unreadable JSON: "+err.Error())
		} else if rec.PDF.SHA256 != "" {
			sum := sha256.Sum256(data)
			if got := hex.EncodeToString(sum[:]); got != rec.PDF.SHA256 {
				out = append(out, fmt.Sprintf("fixity: SHA-256 is %s, the record says %s: the file changed since it was archived", got, rec.PDF.SHA256))
			}
		}
	}
	problems, err := pdfcheck.Check(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return append(out, "cannot read as PDF: "+err.Error())
	}
	for _, p := range problems {
		out = append(out, p.String())
	}
	return out
}
