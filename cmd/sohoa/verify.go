package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/pdfcheck"
	"github.com/sohoa/sohoa/objstore"
)

// errProblems: some file broke a clause (exit status 1, nothing else wrong).
var errProblems = errors.New("some files are not archival PDF/A-2u (see above)")

func runVerify(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	var remote remoteFlags
	remote.register(fs, true)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: sohoa verify FILE.pdf…
       sohoa verify --s3 URL [--bucket NAME]     (every document in the archive)

Checks each PDF against the PDF/A-2u clauses sohoa promises, and against the
SHA-256 in its JSON record (FILE.json beside it, as the archive stores it).
One line per broken clause; exit status 1 if there is any.`)
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
	case remote.s3 != "":
		cfg, err := remote.s3Config(remote.bucket)
		if err != nil {
			return err
		}
		b, err := objstore.Open(ctx, cfg)
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
			var rec archive.Record
			if err := json.Unmarshal(side, &rec); err != nil || rec.PDF.Key == "" {
				continue // not a document record
			}
			data, err := b.Get(ctx, rec.PDF.Key)
			if err != nil {
				report(rec.PDF.Key, []string{"cannot read: " + err.Error()})
				continue
			}
			report(rec.PDF.Key, verifyPDF(data, side))
			n++
		}
		fmt.Printf("%d documents checked in bucket %s\n", n, b.Name())
	default:
		fs.Usage()
		return usageError{"verify: name PDF files, or an archive with --s3"}
	}
	if bad {
		return errProblems
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
