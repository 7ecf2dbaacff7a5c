// Command sohoabench measures sohoa against raw Tesseract (and OCRmyPDF where
// installed) on the same pages in the same run, and prints one table: pages,
// pages per minute, CER, word F1, skew error and bytes per page, with ratios.
// Absolute times drift on a shared machine; the ratios are what to read.
//
//	go run ./fixtures/gen -out /tmp/corpus -n 16 -skew 5 -formats jpeg,png,tiff
//	go run ./cmd/sohoabench -corpus /tmp/corpus -sohoa bin/sohoa
//
// `make bench` does both. The corpus is what fixtures/gen writes: inbox/ and
// truth.json.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"

	"image"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/tiff"
	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/ingest/pages"
	"github.com/sohoa/sohoa/ocr/clean"
	"github.com/sohoa/sohoa/ocr/deskew"
)

type truthDoc struct {
	ID    string   `json:"id"`
	Files []string `json:"files"`
	Pages []struct {
		Text     string  `json:"text"`
		Skew     float64 `json:"skew"`
		Rotation int     `json:"rotation"`
	} `json:"pages"`
}

type config struct {
	corpus, sohoa, out string
	workers, jobs      int
	timeout            time.Duration
}

func main() {
	var c config
	flag.StringVar(&c.corpus, "corpus", "", "corpus folder (inbox/ and truth.json, as fixtures/gen writes)")
	flag.StringVar(&c.sohoa, "sohoa", "bin/sohoa", "the sohoa binary")
	flag.StringVar(&c.out, "out", "", "work folder (default: a temporary one)")
	flag.IntVar(&c.workers, "workers", runtime.NumCPU(), "sohoa OCR workers")
	flag.IntVar(&c.jobs, "jobs", runtime.NumCPU(), "Tesseract and OCRmyPDF processes at once")
	flag.DurationVar(&c.timeout, "timeout", 30*time.Minute, "give up after")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "sohoabench:", err)
		os.Exit(1)
	}
}

// result is what one contender produced.
type result struct {
	name    string
	pages   int
	wall    time.Duration
	texts   map[string]string // truth id → extracted text
	bytes   int64
	skewErr []float64 // |detected − true| per page, degrees (sohoa only)
	rotOK   int       // pages whose orientation was right (sohoa only)
	rotN    int
	missing int
}

func run(ctx context.Context, c config) error {
	if c.corpus == "" {
		return errors.New("-corpus is required")
	}
	data, err := os.ReadFile(filepath.Join(c.corpus, "truth.json"))
	if err != nil {
		return err
	}
	var truth []truthDoc
	if err := json.Unmarshal(data, &truth); err != nil {
		return fmt.Errorf("truth.json: %w", err)
	}
	if c.out == "" {
		if c.out, err = os.MkdirTemp("", "sohoabench-"); err != nil {
			return err
		}
	}
	if c.out, err = filepath.Abs(c.out); err != nil {
		return err
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	for _, tool := range []string{"tesseract", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is not installed (make bench installs it)", tool)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	pages := 0
	for _, d := range truth {
		pages += len(d.Pages)
	}
	fmt.Fprintf(os.Stderr, "corpus: %d documents, %d pages; work folder %s\n", len(truth), pages, c.out)

	var results []*result
	// Raw Tesseract first, then sohoa, then OCRmyPDF: each alone on the machine.
	tr, err := runTesseract(ctx, c, truth)
	if err != nil {
		return fmt.Errorf("tesseract: %w", err)
	}
	results = append(results, tr)
	sr, err := runSohoa(ctx, c, truth)
	if err != nil {
		return fmt.Errorf("sohoa: %w", err)
	}
	results = append(results, sr)
	if _, err := exec.LookPath("ocrmypdf"); err == nil {
		or, err := runOCRmyPDF(ctx, c, truth)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ocrmypdf:", err)
		} else {
			results = append(results, or)
		}
	}
	printTable(os.Stdout, truth, results)
	return timeSkew(c, truth)
}

// timeSkew measures, on one core, what finding a page's skew and
// orientation costs: the worker's Angle and Orientation on each page of the
// corpus, decoded and in grey (the target is 50 ms a page for the skew).
func timeSkew(c config, truth []truthDoc) error {
	var angle, orient []float64
	for _, d := range truth {
		for _, f := range d.Files {
			data, err := os.ReadFile(filepath.Join(c.corpus, "inbox", f))
			if err != nil {
				return err
			}
			_, pgs, err := pages.Split(data, pages.Limits{})
			if err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
			for _, p := range pgs {
				img, _, err := image.Decode(bytes.NewReader(p.Data))
				if err != nil {
					return fmt.Errorf("%s: %w", f, err)
				}
				g := clean.Gray(img)
				t := time.Now()
				deg, _ := deskew.Angle(g)
				angle = append(angle, float64(time.Since(t).Microseconds())/1000)
				straight := deskew.Correct(g, 0, deg)
				sg, ok := straight.(*image.Gray)
				if !ok {
					sg = clean.Gray(straight)
				}
				t = time.Now()
				deskew.Orientation(sg)
				orient = append(orient, float64(time.Since(t).Microseconds())/1000)
			}
		}
	}
	fmt.Printf("\nskew detection (deskew.Angle): median %.1f ms, p95 %.1f ms a page; orientation: median %.1f ms (one core, %d pages)\n",
		quantile(angle, 0.5), quantile(angle, 0.95), quantile(orient, 0.5), len(angle))
	return nil
}

// runSohoa drops the corpus into `sohoa serve` and collects the archived PDFs.
func runSohoa(ctx context.Context, c config, truth []truthDoc) (*result, error) {
	dataDir := filepath.Join(c.out, "sohoa-data")
	_ = os.RemoveAll(dataDir)
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	base := "http://" + addr
	logf, err := os.Create(filepath.Join(c.out, "sohoa.log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	// A viewer token, made before serve starts as an operator would; the
	// token is the last line `sohoa token create` prints.
	out, err := exec.CommandContext(ctx, c.sohoa, "token", "create", "--data", dataDir, "--role", "viewer", "--name", "sohoabench").Output()
	if err != nil {
		return nil, fmt.Errorf("sohoa token create: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	token = strings.TrimSpace(lines[len(lines)-1])
	cmd := exec.CommandContext(ctx, c.sohoa, "serve", "--data", dataDir, "--http", addr, "--workers", fmt.Sprint(c.workers))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	defer func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }()
	if err := poll(ctx, 120*time.Second, func() (bool, error) {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			return false, nil
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, nil
	}); err != nil {
		return nil, fmt.Errorf("not ready: %w", err)
	}

	byFile := map[string]*truthDoc{}
	pages := 0
	for i := range truth {
		for _, f := range truth[i].Files {
			byFile[f] = &truth[i]
		}
		pages += len(truth[i].Pages)
	}
	start := time.Now()
	for f := range byFile {
		if err := copyFile(filepath.Join(c.corpus, "inbox", f), filepath.Join(dataDir, "inbox", f)); err != nil {
			return nil, err
		}
	}
	type doc struct {
		ID         string `json:"id"`
		SourceName string `json:"source_name"`
		Status     string `json:"status"`
		Key        string `json:"key"`
	}
	var docs []doc
	if err := poll(ctx, c.timeout, func() (bool, error) {
		var list struct {
			Documents []doc `json:"documents"`
		}
		if err := getJSON(base+"/api/documents?limit=10000", &list); err != nil {
			return false, nil
		}
		docs = list.Documents
		done := 0
		for _, d := range docs {
			if d.Status == "archived" || d.Status == "failed" {
				done++
			}
		}
		return done >= len(byFile) && done == len(docs), nil
	}); err != nil {
		return nil, err
	}
	r := &result{name: "sohoa serve", pages: pages, wall: time.Since(start), texts: map[string]string{}}
	for _, d := range docs {
		t := byFile[d.SourceName]
		if t == nil || d.Status != "archived" {
			continue
		}
		pdf := filepath.Join(c.out, "sohoa-"+t.ID+".pdf")
		if err := download(base+"/api/documents/"+url.PathEscape(d.ID)+"/pdf", pdf); err != nil {
			return nil, err
		}
		if err := r.add(t.ID, pdf); err != nil {
			return nil, err
		}
		// The record beside the PDF says what the worker corrected; the
		// embedded store keeps it as a plain file.
		side := filepath.Join(dataDir, "s3", "data", "sohoa-archive", strings.TrimSuffix(d.Key, ".pdf")+".json")
		var rec struct {
			PageInfo []struct {
				Rotation int     `json:"rotation"`
				Skew     float64 `json:"skew"`
			} `json:"page_info"`
		}
		if b, err := os.ReadFile(side); err == nil && json.Unmarshal(b, &rec) == nil {
			for i, p := range rec.PageInfo {
				if i >= len(t.Pages) {
					break
				}
				r.rotN++
				if p.Rotation%360 == (360-t.Pages[i].Rotation)%360 {
					r.rotOK++
				}
				r.skewErr = append(r.skewErr, math.Abs(p.Skew-t.Pages[i].Skew))
			}
		}
	}
	return r, nil
}

// runTesseract runs `tesseract FILE OUT -l vie pdf` on every file, c.jobs at
// a time, each with OMP_THREAD_LIMIT=1.
func runTesseract(ctx context.Context, c config, truth []truthDoc) (*result, error) {
	return runEach(ctx, c, truth, "tesseract (raw)", func(ctx context.Context, in, out string) error {
		cmd := exec.CommandContext(ctx, "tesseract", in, strings.TrimSuffix(out, ".pdf"), "-l", "vie", "pdf")
		cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%v: %s", err, tailOf(b))
		}
		return nil
	})
}

// runOCRmyPDF runs `ocrmypdf --deskew -l vie --output-type pdfa` on every file.
func runOCRmyPDF(ctx context.Context, c config, truth []truthDoc) (*result, error) {
	return runEach(ctx, c, truth, "ocrmypdf --deskew", func(ctx context.Context, in, out string) error {
		cmd := exec.CommandContext(ctx, "ocrmypdf", "--deskew", "-l", "vie", "--output-type", "pdfa", "--jobs", "1", "--image-dpi", "300", in, out)
		cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%v: %s", err, tailOf(b))
		}
		return nil
	})
}

func runEach(ctx context.Context, c config, truth []truthDoc, name string, fn func(ctx context.Context, in, out string) error) (*result, error) {
	type job struct {
		id, in, out string
	}
	var jobs []job
	pages := 0
	for _, d := range truth {
		pages += len(d.Pages)
		for _, f := range d.Files {
			jobs = append(jobs, job{d.ID, filepath.Join(c.corpus, "inbox", f), filepath.Join(c.out, strings.Fields(name)[0]+"-"+d.ID+".pdf")})
		}
	}
	r := &result{name: name, pages: pages, texts: map[string]string{}}
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	next := make(chan job)
	for range max(c.jobs, 1) {
		wg.Go(func() {
			for j := range next {
				if err := fn(ctx, j.in, j.out); err != nil {
					mu.Lock()
					firstErr = cmpOr(firstErr, fmt.Errorf("%s: %w", filepath.Base(j.in), err))
					mu.Unlock()
				}
			}
		})
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	r.wall = time.Since(start)
	if firstErr != nil {
		return nil, firstErr
	}
	for _, j := range jobs {
		if err := r.add(j.id, j.out); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// add extracts a PDF's text and size into the result.
func (r *result) add(id, pdf string) error {
	st, err := os.Stat(pdf)
	if err != nil {
		r.missing++
		return nil
	}
	r.bytes += st.Size()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		return fmt.Errorf("pdftotext %s: %w", pdf, err)
	}
	r.texts[id] += string(out)
	return nil
}

func printTable(w io.Writer, truth []truthDoc, results []*result) {
	fmt.Fprintf(w, "\n%-20s %6s %10s %8s %8s %14s %10s %10s\n", "", "pages", "pages/min", "CER", "word F1", "skew err °", "rotation", "KB/page")
	fmt.Fprintf(w, "%-20s %6s %10s %8s %8s %14s %10s %10s\n", "", "", "", "", "", "median / p95", "right", "")
	var base *result
	for _, r := range results {
		cer, f1 := score(truth, r.texts)
		skew, rot := "-", "-"
		if len(r.skewErr) > 0 {
			skew = fmt.Sprintf("%.2f / %.2f", quantile(r.skewErr, 0.5), quantile(r.skewErr, 0.95))
			rot = fmt.Sprintf("%d/%d", r.rotOK, r.rotN)
		}
		ppm := float64(r.pages) / r.wall.Minutes()
		kb := float64(r.bytes) / 1024 / float64(r.pages)
		fmt.Fprintf(w, "%-20s %6d %10.1f %8.4f %8.4f %14s %10s %10.0f\n", r.name, r.pages, ppm, cer, f1, skew, rot, kb)
		if r.missing > 0 {
			fmt.Fprintf(w, "%-20s %d documents missing\n", "", r.missing)
		}
		if base == nil {
			base = r
		}
	}
	if base != nil {
		fmt.Fprintln(w)
		for _, r := range results[1:] {
			speed := (float64(r.pages) / r.wall.Minutes()) / (float64(base.pages) / base.wall.Minutes())
			size := (float64(r.bytes) / float64(r.pages)) / (float64(base.bytes) / float64(base.pages))
			fmt.Fprintf(w, "%s vs %s: speed ×%.2f, bytes per page ×%.2f\n", r.name, base.name, speed, size)
		}
		if len(results) == 3 {
			size := (float64(results[1].bytes) / float64(results[1].pages)) / (float64(results[2].bytes) / float64(results[2].pages))
			fmt.Fprintf(w, "%s vs %s: bytes per page ×%.2f\n", results[1].name, results[2].name, size)
		}
	}
}

// score is the corpus CER and word-bag F1 of texts against the truth, both
// NFC and whitespace-folded (the same rules as shared/tools/score).
func score(truth []truthDoc, texts map[string]string) (cer, f1 float64) {
	var errs, total, tp, fp, fn int
	for _, d := range truth {
		var gt []string
		for _, p := range d.Pages {
			gt = append(gt, p.Text)
		}
		want := []rune(normalize(strings.Join(gt, "\n")))
		got := []rune(normalize(texts[d.ID]))
		errs += levenshtein(want, got)
		total += len(want)
		tw, gw := wordBag(string(want)), wordBag(string(got))
		dtp, nt, ng := 0, 0, 0
		for w, n := range tw {
			dtp += min(n, gw[w])
			nt += n
		}
		for _, n := range gw {
			ng += n
		}
		tp, fn, fp = tp+dtp, fn+nt-dtp, fp+ng-dtp
	}
	if total > 0 {
		cer = float64(errs) / float64(total)
	}
	if tp > 0 {
		p, r := float64(tp)/float64(tp+fp), float64(tp)/float64(tp+fn)
		f1 = 2 * p * r / (p + r)
	}
	return cer, f1
}

func normalize(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u201c', '\u201d', '\u201e':
			return '"'
		case '\u2018', '\u2019':
			return '\''
		case '\u2013', '\u2014':
			return '-'
		case '\f':
			return ' '
		}
		return r
	}, norm.NFC.String(s))
	return strings.Join(strings.Fields(s), " ")
}

func wordBag(s string) map[string]int {
	m := map[string]int{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		m[w]++
	}
	return m
}

func levenshtein(a, b []rune) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func quantile(v []float64, q float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func poll(ctx context.Context, total time.Duration, fn func() (bool, error)) error {
	deadline := time.Now().Add(total)
	for {
		ok, err := fn()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("timed out")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// token is the API token of the sohoa serve that runSohoa started.
var token string

// apiGet is a GET of sohoa's API with the token.
func apiGet(u string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return http.DefaultClient.Do(req)
}

func getJSON(u string, v any) error {
	resp, err := apiGet(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return errors.New(resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func download(u, path string) error {
	resp, err := apiGet(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func tailOf(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[len(s)-300:]
	}
	return s
}
