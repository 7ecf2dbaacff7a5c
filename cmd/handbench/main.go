// Command handbench measures the reading of handwritten blanks on
// generated headers (fixtures/handset) and prints one table: per kind of
// scan, the numbers and dates right, right and certain, wrong and certain,
// and the worker's milliseconds per page (the blanks' share apart). make
// bench runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/sohoa/sohoa/fixtures/handset"
	"github.com/sohoa/sohoa/fixtures/synth"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "handbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("handbench", flag.ContinueOnError)
	n := fs.Int("n", 120, "headers to generate and read")
	seed := fs.Uint64("seed", 9000, "seed of the headers")
	workers := fs.Int("workers", 0, "Tesseract engines at once (0: one per CPU)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := synth.MNISTDir(ctx)
	if err != nil {
		return err
	}
	d, err := synth.LoadMNISTTest(dir)
	if err != nil {
		return err
	}
	rs, err := handset.Run(ctx, handset.Plan(*seed, *n, d), *workers)
	if err != nil {
		return err
	}
	byKind := map[string][]handset.Result{}
	for _, r := range rs {
		byKind[r.Case.Format] = append(byKind[r.Case.Format], r)
	}
	pct := func(k, n int) string { return fmt.Sprintf("%5.1f%%", 100*float64(k)/float64(max(n, 1))) }
	fmt.Printf("Handwritten blanks, %d generated headers (seed %d)\n", *n, *seed)
	fmt.Println("| scan | headers | number right | number right, certain | number wrong, certain | number suggested | date right | date right, certain | date wrong, certain | ms/page | blanks ms/page |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|")
	row := func(name string, rs []handset.Result) {
		s := handset.Sum(rs)
		fmt.Printf("| %s | %d | %s | %s | %d | %s | %s | %s | %d | %.0f | %.1f |\n", name, s.N,
			pct(s.NumberRight, s.N), pct(s.NumberCertain, s.N), s.NumberWrongSure, pct(s.Suggested, s.N),
			pct(s.DateRight, s.N), pct(s.DateCertain, s.N), s.DateWrongSure, s.ReadMS, s.BlankMS)
	}
	for _, k := range []struct{ format, name string }{{"tiff", "1-bit G4"}, {"png", "grey PNG"}, {"jpeg", "colour JPEG, blue/violet ink"}} {
		row(k.name, byKind[k.format])
	}
	row("all", rs)
	return nil
}
