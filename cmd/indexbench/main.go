// Command indexbench measures the search index (archive/index) on a
// synthetic archive: it generates n documents of about 3 KB of Vietnamese
// administrative text each, indexes them in batches, reopens the index and
// runs a few hundred mixed queries — words with and without diacritics,
// longer passages, passages with a typo, quoted phrases, document numbers as
// people type them, filtered searches and filtered lists — and prints one
// table: documents, index size on disk, documents indexed per second, and
// query latency (p50, p95) per kind of query and overall, with how often the
// document a query was taken from came back in the top 3.
//
//	go run ./cmd/indexbench -n 100000 -dir /tmp/idx
//
// The same -seed gives the same documents and queries. Timings depend on the
// machine and on what else it runs; the target is p95 ≤ 50 ms on two cores.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/sohoa/sohoa/archive/index"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "indexbench:", err)
		os.Exit(1)
	}
}

type config struct {
	n, batch, queries, textBytes int
	seed                         uint64
	dir, cpuProfile              string
	rm, reuse                    bool
	slow                         time.Duration
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("indexbench", flag.ContinueOnError)
	var c config
	fl.IntVar(&c.n, "n", 10000, "documents to generate and index")
	fl.IntVar(&c.batch, "batch", 1000, "documents per batch")
	fl.IntVar(&c.queries, "queries", 360, "queries to time")
	fl.IntVar(&c.textBytes, "text", 3000, "bytes of text per document")
	fl.Uint64Var(&c.seed, "seed", 1, "seed of the generator")
	fl.StringVar(&c.dir, "dir", "", "folder of the index (must not exist, unless -rm)")
	fl.BoolVar(&c.rm, "rm", false, "remove -dir first if it exists")
	fl.DurationVar(&c.slow, "slow", 0, "print the queries slower than this")
	fl.BoolVar(&c.reuse, "reuse", false, "query the index in -dir, built before with the same -n, -seed and -text")
	fl.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the queries to this file")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if c.dir == "" || c.n <= 0 || c.batch <= 0 || c.queries <= 0 {
		return errors.New("need -dir, and -n, -batch and -queries above zero")
	}
	if _, err := os.Stat(c.dir); err == nil && !c.reuse {
		if !c.rm {
			return fmt.Errorf("%s exists: remove it or pass -rm", c.dir)
		}
		if err := index.Remove(c.dir); err != nil {
			return err
		}
	}
	rep, err := measure(ctx, c, stderr)
	if err != nil {
		return err
	}
	rep.print(stdout)
	return nil
}

type report struct {
	docs     int
	size     int64
	indexing time.Duration
	open     time.Duration
	rows     []row // per kind, then all
}

type row struct {
	kind               string
	n                  int
	p50, p95, max      time.Duration
	avgTotal           float64
	wanted, found, at1 int
}

// measure builds the index and times the queries.
func measure(ctx context.Context, c config, progress io.Writer) (report, error) {
	g := newGen(c.seed)
	rep := report{docs: c.n}
	sample, err := build(ctx, c, g, &rep, progress)
	if err != nil {
		return report{}, err
	}
	if rep.size, err = dirSize(c.dir); err != nil {
		return report{}, err
	}
	start := time.Now()
	ix, err := index.Open(c.dir)
	if err != nil {
		return report{}, err
	}
	defer ix.Close()
	rep.open = time.Since(start)
	// Bleve merges segments in the background for a while after a bulk
	// load; queries measured meanwhile would measure the merging.
	if err := settle(ctx, c.dir, progress); err != nil {
		return report{}, err
	}

	qs := g.queries(sample, c.queries)
	for _, q := range qs[:min(30, len(qs))] { // warm up
		if _, err := ix.Search(q.q); err != nil {
			return report{}, err
		}
	}
	if c.cpuProfile != "" {
		f, err := os.Create(c.cpuProfile)
		if err != nil {
			return report{}, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return report{}, err
		}
		defer pprof.StopCPUProfile()
	}
	byKind := map[string]*row{}
	lat := map[string][]time.Duration{}
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return report{}, err
		}
		start := time.Now()
		res, err := ix.Search(q.q)
		d := time.Since(start)
		if err != nil {
			return report{}, err
		}
		if c.slow > 0 && d > c.slow {
			fmt.Fprintf(progress, "slow: %s %s: %d found: %+v\n", ms(d), q.kind, res.Total, q.q)
		}
		for _, k := range []string{q.kind, "all"} {
			r := byKind[k]
			if r == nil {
				r = &row{kind: k}
				byKind[k] = r
			}
			r.n++
			r.avgTotal += float64(res.Total)
			lat[k] = append(lat[k], d)
			if q.want == "" {
				continue
			}
			r.wanted++
			for i, h := range res.Hits[:min(3, len(res.Hits))] {
				if h.Doc.ID == q.want {
					r.found++
					if i == 0 {
						r.at1++
					}
				}
			}
		}
	}
	for _, k := range append(slices.Clone(kinds), "all") {
		r := byKind[k]
		if r == nil {
			continue
		}
		ds := lat[k]
		slices.Sort(ds)
		r.p50, r.p95, r.max = pct(ds, 50), pct(ds, 95), ds[len(ds)-1]
		r.avgTotal /= float64(r.n)
		rep.rows = append(rep.rows, *r)
	}
	return rep, nil
}

// build generates the documents and, unless c.reuse, indexes them in
// batches. It returns a sample of them to make queries from.
func build(ctx context.Context, c config, g *gen, rep *report, progress io.Writer) ([]index.Doc, error) {
	var ix *index.Index
	if !c.reuse {
		var err error
		if ix, err = index.Open(c.dir); err != nil {
			return nil, err
		}
		defer ix.Close()
	}
	var sample []index.Doc
	every := max(1, c.n/500)
	docs := make([]index.Doc, 0, c.batch)
	for i := 0; i < c.n; {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		docs = docs[:0]
		for ; len(docs) < c.batch && i < c.n; i++ {
			d := g.doc(i, c.textBytes)
			if i%every == 0 {
				sample = append(sample, d)
			}
			docs = append(docs, d)
		}
		if ix == nil {
			continue
		}
		start := time.Now()
		if err := ix.PutBatch(docs); err != nil {
			return nil, err
		}
		rep.indexing += time.Since(start)
		if i%max(c.batch, c.n/10) == 0 || i == c.n {
			fmt.Fprintf(progress, "indexed %d documents, %.0f/s\n", i, float64(i)/rep.indexing.Seconds())
		}
	}
	if ix != nil {
		// Closing waits for what is still in memory to reach the disk.
		start := time.Now()
		if err := ix.Close(); err != nil {
			return nil, err
		}
		rep.indexing += time.Since(start)
	}
	return sample, nil
}

// settle waits until the files of the index in dir have not changed for
// three seconds (two minutes at most).
func settle(ctx context.Context, dir string, progress io.Writer) error {
	const quiet = 3 * time.Second
	start := time.Now()
	last, since := "", time.Now()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for time.Since(since) < quiet && time.Since(start) < 2*time.Minute {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		var names []string
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				names = append(names, p)
			}
			return err
		})
		if err != nil {
			return err
		}
		if now := fmt.Sprint(names); now != last {
			last, since = now, time.Now()
		}
	}
	fmt.Fprintf(progress, "index settled after %s\n", time.Since(start).Round(time.Second))
	return nil
}

// pct is the p-th percentile of sorted ds (nearest rank).
func pct(ds []time.Duration, p int) time.Duration {
	i := (p*len(ds)+99)/100 - 1
	return ds[max(0, min(i, len(ds)-1))]
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err == nil {
			n += fi.Size()
		}
		return err
	})
	return n, err
}

func (r report) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "documents\tindex size\tbytes/doc\tindexed/s\treopen\t\n")
	rate := "-"
	if r.indexing > 0 {
		rate = fmt.Sprintf("%.0f", float64(r.docs)/r.indexing.Seconds())
	}
	fmt.Fprintf(tw, "%d\t%.1f MiB\t%d\t%s\t%s\t\n\n", r.docs, float64(r.size)/(1<<20), r.size/int64(r.docs),
		rate, r.open.Round(time.Millisecond))
	fmt.Fprintf(tw, "query\tn\tp50\tp95\tmax\tavg found\ttop 3\tfirst\t\n")
	for _, row := range r.rows {
		top3, first := "", ""
		if row.wanted > 0 {
			top3 = fmt.Sprintf("%d/%d", row.found, row.wanted)
			first = fmt.Sprintf("%d/%d", row.at1, row.wanted)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%.0f\t%s\t%s\t\n", row.kind, row.n, ms(row.p50), ms(row.p95), ms(row.max), row.avgTotal, top3, first)
	}
	tw.Flush()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
