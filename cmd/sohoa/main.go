// Command sohoa turns scanned Vietnamese administrative documents into a
// searchable archive of PDFs in S3-compatible storage.
//
//	sohoa serve    everything in one process (embedded NATS and S3)
//	sohoa ingest   watch an inbox and queue pages        (split roles)
//	sohoa worker   OCR pages from the queue              (split roles)
//	sohoa archive  assemble, store, index, serve the web (split roles)
//
// main only wires: flags and environment become Config structs here and are
// passed down; errors map to exit codes (1: failed, 2: bad usage).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ensureOMPThreadLimit()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "sohoa:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		if errors.Is(err, errProblems) {
			os.Exit(1)
		}
		os.Exit(1)
	}
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

const usage = `usage: sohoa COMMAND [flags]

commands:
  serve     run everything in one process: embedded NATS and S3, ingest, OCR workers, archive, web
  ingest    watch DATA/inbox and queue pages           (split roles: --nats, --s3)
  worker    read queued pages with Tesseract           (split roles: --nats, --s3)
  archive   assemble PDFs, store, index, serve the web (split roles: --nats, --s3)
  verify    check PDFs against PDF/A-2u and their records' SHA-256
  reindex   rebuild the search index from the archive bucket alone
  export    write a hồ sơ's hand-over package (BagIt zip), serve stopped
  import    take hand-over packages into this archive, every checksum checked, serve stopped
  search    search the index from the command line
  user      add, reset or disable the people who sign in to the web
  token     create, list or revoke the tokens systems use on the API

Run "sohoa COMMAND -h" for the flags of a command.`

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{usage}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest)
	case "ingest":
		return runIngest(ctx, rest)
	case "worker":
		return runWorker(ctx, rest)
	case "archive":
		return runArchive(ctx, rest)
	case "verify":
		return runVerify(ctx, rest)
	case "reindex":
		return runReindex(ctx, rest)
	case "export":
		return runExport(ctx, rest)
	case "import":
		return runImport(ctx, rest)
	case "search":
		return runSearch(ctx, rest)
	case "user":
		return runUser(ctx, rest, os.Stdin, os.Stdout)
	case "token":
		return runToken(ctx, rest, os.Stdout)
	case "help", "-h", "--help":
		fmt.Println(usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q\n\n%s", cmd, usage)}
}

// ensureOMPThreadLimit restarts the process with OMP_THREAD_LIMIT=1 unless
// the environment already sets it. Tesseract's OpenMP threads would otherwise
// compete with sohoa's own parallelism across pages (one engine per worker),
// and libgomp reads the variable when it is loaded, before main runs, so
// setting it from Go would come too late.
func ensureOMPThreadLimit() {
	if _, ok := os.LookupEnv("OMP_THREAD_LIMIT"); ok {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	env := append(os.Environ(), "OMP_THREAD_LIMIT=1")
	_ = syscall.Exec(exe, os.Args, env) // returns only on failure: carry on without it
}
