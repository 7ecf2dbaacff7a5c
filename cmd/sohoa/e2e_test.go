package main

// End-to-end tests: they build the sohoa command and run it as users and
// operators do, against real components only (embedded NATS, the embedded S3
// endpoint, a versitygw server process, Tesseract), then check what an
// archivist gets back.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/internal/poll"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// sohoaBinary builds the command once per test process.
func sohoaBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sohoa-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "sohoa")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// proc is a sohoa process started by a test: its log (standard error) and
// what it prints for people (standard output) go to two files.
type proc struct {
	cmd      *exec.Cmd
	log, out string
	exited   chan error
}

func startProc(t *testing.T, name string, env []string, args ...string) *proc {
	t.Helper()
	dir := t.TempDir()
	logPath, outPath := filepath.Join(dir, name+".log"), filepath.Join(dir, name+".out")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	outf, err := os.Create(outPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(args) > 0 && (args[0] == "serve" || args[0] == "archive") {
		authorize(t, flagValue(args, "--data"), flagValue(args, "--http"))
	}
	cmd := exec.Command(sohoaBinary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = outf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, log: logPath, out: outPath, exited: make(chan error, 1)}
	go func() { p.exited <- cmd.Wait(); logf.Close(); outf.Close() }()
	t.Cleanup(func() {
		p.stop(syscall.SIGTERM)
		if t.Failed() {
			out, _ := os.ReadFile(outPath)
			log, _ := os.ReadFile(logPath)
			t.Logf("--- %s output:\n%s\n--- %s log (last 4000 bytes):\n%s", name, tail(out, 2000), name, tail(log, 4000))
		}
	})
	return p
}

// flagValue is the value of a flag in args ("" when absent).
func flagValue(args []string, name string) string {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
	}
	return ""
}

// apiTokens are the tokens the tests' client sends: by data folder (one
// token per folder, made once however often its server restarts) and by
// web address (host:port).
var apiTokens sync.Map

// authorize makes an admin token for the server that will serve the web
// at addr from the data folder data, as an operator does: with `sohoa
// token create` before the server starts (the acceptance run does the
// same). client sends it with every request to addr.
func authorize(t *testing.T, data, addr string) {
	t.Helper()
	if data == "" || addr == "" {
		t.Fatalf("a web role started without --data or --http")
	}
	tok, ok := apiTokens.Load(data)
	if !ok {
		out, err := exec.Command(sohoaBinary(t), "token", "create", "--data", data, "--role", "admin", "--name", testToken).CombinedOutput()
		if err != nil {
			t.Fatalf("sohoa token create: %v\n%s", err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		tok = strings.TrimSpace(lines[len(lines)-1])
		apiTokens.Store(data, tok)
	}
	apiTokens.Store(addr, tok)
}

// testToken is the name of the tests' token: the "who" of what they do.
const testToken = "kiểm thử"

type bearerTransport struct{}

func (bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if tok, ok := apiTokens.Load(req.URL.Host); ok && req.Header.Get("Authorization") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("Authorization", "Bearer "+tok.(string))
	}
	return http.DefaultTransport.RoundTrip(req)
}

// client is what the tests reach sohoa's web with: it sends the token
// authorize made for the address a request goes to.
var client = &http.Client{Transport: bearerTransport{}}

// stop signals the process and waits for it.
func (p *proc) stop(sig syscall.Signal) {
	select {
	case err := <-p.exited:
		p.exited <- err
		return
	default:
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case err := <-p.exited:
		p.exited <- err
	case <-time.After(60 * time.Second):
		_ = p.cmd.Process.Kill()
		p.exited <- <-p.exited
	}
}

func (p *proc) running() bool {
	select {
	case err := <-p.exited:
		p.exited <- err
		return false
	default:
		return true
	}
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// apiDoc is a document as the API returns it.
type apiDoc struct {
	ID          string  `json:"id"`
	DocNumber   string  `json:"doc_number"`
	Date        string  `json:"date"`
	Type        string  `json:"type"`
	Agency      string  `json:"agency"`
	Subject     string  `json:"subject"`
	Pages       int     `json:"pages"`
	SHA256      string  `json:"sha256"`
	SourceName  string  `json:"source_name"`
	Status      string  `json:"status"`
	Reason      string  `json:"reason"`
	NeedsReview bool    `json:"needs_review"`
	Text        *string `json:"text"`
}

type apiList struct {
	Total     int      `json:"total"`
	Documents []apiDoc `json:"documents"`
}

func getJSON(base, path string, v any) error {
	resp, err := client.Get(base + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("GET %s: %s: %s", path, resp.Status, b)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func waitHealthy(t *testing.T, base string, p *proc) {
	t.Helper()
	poll.Until(t, 120*time.Second, func() error {
		if !p.running() {
			t.Fatalf("sohoa exited before it was ready")
		}
		resp, err := client.Get(base + "/healthz")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return errors.New(resp.Status)
		}
		return nil
	})
}

// waitFinished waits until the API lists want documents, all archived or failed.
func waitFinished(t *testing.T, base string, want int, total time.Duration) []apiDoc {
	t.Helper()
	var list apiList
	poll.Until(t, total, func() error {
		if err := getJSON(base, "/api/documents?limit=1000", &list); err != nil {
			return err
		}
		finished := 0
		var states []string
		for _, d := range list.Documents {
			states = append(states, d.SourceName+":"+d.Status)
			if d.Status == "archived" || d.Status == "failed" {
				finished++
			}
		}
		if len(list.Documents) != want || finished != want {
			return fmt.Errorf("%d of %d documents finished: %v", finished, want, states)
		}
		return nil
	})
	return list.Documents
}

// waitOneArchived waits until the archive at base lists a document archived.
func waitOneArchived(t *testing.T, base string) {
	t.Helper()
	poll.Until(t, 5*time.Minute, func() error {
		var list apiList
		if err := getJSON(base, "/api/documents?limit=1000", &list); err != nil {
			return err
		}
		for _, d := range list.Documents {
			if d.Status == "archived" {
				return nil
			}
		}
		return errors.New("nothing archived yet")
	})
}

// inboxLeft lists the files (not the folders: inbox/tach/ stays) left in
// the inbox, by their paths in it.
func inboxLeft(inbox string) []string {
	var left []string
	_ = filepath.WalkDir(inbox, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(inbox, path)
			left = append(left, rel)
		}
		return nil
	})
	return left
}

// copySlowly writes a file the way a scanner on a network share does: in
// pieces, with pauses shorter than the settle time.
func copySlowly(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	half := len(data) / 2
	if _, err := f.Write(data[:half]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	if _, err := f.Write(data[half:]); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// pdfText extracts the text of a PDF with poppler's pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is missing: apt-get install poppler-utils (make test does)")
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func get(t *testing.T, u string) []byte {
	t.Helper()
	resp, err := client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v", u, resp.Status, err)
	}
	return b
}

// realScans are the real scanned documents in fixtures/real, with words
// their OCR text must contain.
var realScans = []struct {
	file  string
	pages int
	words []string
}{
	{"07-CT-UBND-2018.pdf", 4, []string{"thi hành án hành chính", "Tòa án"}},
	{"11-CT-UBND-2021.pdf", 3, []string{"tốt nghiệp", "Quảng Ngãi"}},
	{"157-QD-ND-UB-1999.pdf", 5, []string{"quyền sử dụng đất", "Cao Bằng"}},
	{"23-BC-UBND-2025.pdf", 2, []string{"cải cách thủ tục hành chính", "Quảng Ngãi"}},
}

// realLabels reads the real scans' labels (../../fixtures/real/labels.json)
// by file name.
func realLabels(t *testing.T) map[string]struct{ DocNumber, Date string } {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "real", "labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	var labels []struct {
		File      string `json:"file"`
		DocNumber string `json:"doc_number"`
		Date      string `json:"date"`
	}
	if err := json.Unmarshal(data, &labels); err != nil {
		t.Fatal(err)
	}
	out := map[string]struct{ DocNumber, Date string }{}
	for _, l := range labels {
		out[l.File] = struct{ DocNumber, Date string }{l.DocNumber, l.Date}
	}
	return out
}

// wordsOf folds text into its words, for containment checks that do not
// depend on line breaks.
func wordsOf(s string) string {
	return " " + strings.Join(strings.Fields(norm.NFC.String(s)), " ") + " "
}

func containsWords(text, phrase string) bool {
	return strings.Contains(wordsOf(text), wordsOf(phrase))
}

// generatePage renders one synthetic page with the fixtures generator and
// returns its file and the words of its ground truth.
func generatePage(t *testing.T) (string, string) {
	t.Helper()
	out := t.TempDir()
	cmd := exec.Command("go", "run", "../../fixtures/gen", "-out", out, "-n", "1", "-seed", "7", "-formats", "png", "-maxpages", "1", "-skew", "0", "-seal", "0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fixtures/gen: %v\n%s", err, b)
	}
	var truth []struct {
		Files []string `json:"files"`
		Pages []struct {
			Text string `json:"text"`
		} `json:"pages"`
	}
	data, err := os.ReadFile(filepath.Join(out, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &truth); err != nil || len(truth) != 1 || len(truth[0].Files) != 1 {
		t.Fatalf("truth.json: %v %s", err, data)
	}
	return filepath.Join(out, "inbox", truth[0].Files[0]), truth[0].Pages[0].Text
}

// wordF1 is the word-bag F1 of got against want (words split at anything
// that is not a letter or digit, as shared/tools/score does).
func wordF1(want, got string) float64 {
	bag := func(s string) map[string]int {
		m := map[string]int{}
		for _, w := range strings.FieldsFunc(norm.NFC.String(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			m[w]++
		}
		return m
	}
	wb, gb := bag(want), bag(got)
	tp, nw, ng := 0, 0, 0
	for w, n := range wb {
		tp += min(n, gb[w])
		nw += n
	}
	for _, n := range gb {
		ng += n
	}
	if tp == 0 {
		return 0
	}
	p, r := float64(tp)/float64(ng), float64(tp)/float64(nw)
	return 2 * p * r / (p + r)
}

// wordRecall is the share of truth's words (as a bag) found in got.
func wordRecall(truth, got string) float64 {
	have := map[string]int{}
	for _, w := range strings.Fields(norm.NFC.String(got)) {
		have[w]++
	}
	n, found := 0, 0
	for _, w := range strings.Fields(norm.NFC.String(truth)) {
		n++
		if have[w] > 0 {
			have[w]--
			found++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(found) / float64(n)
}

func TestServeEndToEnd(t *testing.T) {
	data := t.TempDir()
	httpAddr := freeAddr(t)
	base := "http://" + httpAddr
	serveArgs := []string{"serve", "--data", data, "--http", httpAddr, "--workers", "2", "--log", "json"}
	p := startProc(t, "serve", nil, serveArgs...)
	waitHealthy(t, base, p)
	inbox := filepath.Join(data, "inbox")
	if st, err := os.Stat(inbox); err != nil || !st.IsDir() {
		t.Fatalf("no inbox folder: %v", err)
	}

	// Drop the real scans (one of them slowly, as over a network share), a
	// generated page, and two files that cannot be processed.
	for i, s := range realScans {
		src := filepath.Join("..", "..", "fixtures", "real", s.file)
		if i == 0 {
			copySlowly(t, src, filepath.Join(inbox, s.file))
		} else {
			copyFile(t, src, filepath.Join(inbox, s.file))
		}
	}
	synthFile, synthTruth := generatePage(t)
	copyFile(t, synthFile, filepath.Join(inbox, "trang-mau.png"))
	real0, _ := os.ReadFile(filepath.Join("..", "..", "fixtures", "real", realScans[3].file))
	if err := os.WriteFile(filepath.Join(inbox, "hong.pdf"), real0[:len(real0)/3], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(inbox, "ghi-chu.txt"), []byte("không phải bản quét"), 0o644); err != nil {
		t.Fatal(err)
	}
	const wantDocs = 7

	// Crash in the middle (SIGKILL: no clean shutdown) once the first
	// document is archived, and start again on the same folder: everything
	// must be kept and the rest resumed.
	waitOneArchived(t, base)
	p.stop(syscall.SIGKILL)
	p = startProc(t, "serve-again", nil, serveArgs...)
	waitHealthy(t, base, p)

	docs := waitFinished(t, base, wantDocs, 10*time.Minute)
	byName := map[string]apiDoc{}
	for _, d := range docs {
		byName[d.SourceName] = d
	}

	// The real scans: archived, with their pages, and their PDFs' text (as
	// pdftotext extracts it) has the words of the scan.
	for _, s := range realScans {
		d, ok := byName[s.file]
		if !ok || d.Status != "archived" {
			t.Errorf("%s: %+v, want archived", s.file, d)
			continue
		}
		if d.Pages != s.pages || len(d.SHA256) != 64 || d.ID == "" {
			t.Errorf("%s: pages %d sha256 %q", s.file, d.Pages, d.SHA256)
		}
		var full apiDoc
		if err := getJSON(base, "/api/documents/"+d.ID, &full); err != nil {
			t.Fatal(err)
		}
		if full.Text == nil || !norm.NFC.IsNormalString(*full.Text) {
			t.Fatalf("%s: text missing or not NFC", s.file)
		}
		pdf := get(t, base+"/api/documents/"+d.ID+"/pdf")
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("%s: not a PDF", s.file)
		}
		text := pdfText(t, pdf)
		// What a reader copies out of the PDF is the OCR text.
		if f := wordF1(*full.Text, text); f < 0.995 {
			t.Errorf("%s: pdftotext against the API text: word F1 %.4f, want ≥ 0.995", s.file, f)
		}
		for _, w := range s.words {
			if !containsWords(*full.Text, w) {
				t.Errorf("%s: API text lacks %q", s.file, w)
			}
			if !containsWords(text, w) {
				t.Errorf("%s: PDF text lacks %q", s.file, w)
			}
		}
	}

	// The generated page reads back nearly word for word.
	if d := byName["trang-mau.png"]; d.Status != "archived" {
		t.Errorf("generated page: %+v", d)
	} else {
		text := pdfText(t, get(t, base+"/api/documents/"+d.ID+"/pdf"))
		if r := wordRecall(synthTruth, text); r < 0.9 {
			t.Errorf("generated page: only %.2f of its words in the PDF text:\n%s", r, text)
		}
	}

	// Every archived PDF is PDF/A-2u by sohoa verify (which also checks it
	// against the SHA-256 in its record) and sound by qpdf.
	var archived, originals []string
	_ = filepath.WalkDir(filepath.Join(data, "s3", "data", "sohoa-archive"), func(p string, d os.DirEntry, err error) error {
		switch {
		case err != nil || d.IsDir():
		case strings.Contains(filepath.Base(p), ".original."):
			originals = append(originals, p)
		case strings.HasSuffix(p, ".pdf"):
			archived = append(archived, p)
		}
		return nil
	})
	// The files as dropped are kept beside their PDF/A, byte for byte.
	if len(originals) != 5 {
		t.Errorf("%d originals in the archive bucket, want 5: %v", len(originals), originals)
	}
	for _, o := range originals {
		got, _ := os.ReadFile(o)
		found := false
		for _, s := range realScans {
			want, _ := os.ReadFile(filepath.Join("..", "..", "fixtures", "real", s.file))
			found = found || bytes.Equal(got, want)
		}
		if strings.HasSuffix(o, ".pdf") && !found {
			t.Errorf("original %s is none of the files dropped", o)
		}
	}
	if len(archived) != 5 {
		t.Errorf("%d PDFs in the archive bucket, want 5: %v", len(archived), archived)
	}
	if out, err := exec.Command(sohoaBinary(t), append([]string{"verify"}, archived...)...).CombinedOutput(); err != nil {
		t.Errorf("sohoa verify: %v\n%s", err, out)
	}
	if _, err := exec.LookPath("qpdf"); err == nil {
		for _, f := range archived {
			if out, err := exec.Command("qpdf", "--check", f).CombinedOutput(); err != nil {
				t.Errorf("qpdf --check %s: %v\n%s", f, err, out)
			}
		}
	}

	// The bad files failed, with a reason beside them; nothing else did.
	for _, name := range []string{"hong.pdf", "ghi-chu.txt"} {
		d := byName[name]
		if d.Status != "failed" || d.Reason == "" {
			t.Errorf("%s: %+v, want failed with a reason", name, d)
		}
		// The status says failed before ingest has moved the file.
		poll.Until(t, 30*time.Second, func() error {
			_, err := os.Stat(filepath.Join(data, "failed", name+".reason.txt"))
			return err
		})
		reason, err := os.ReadFile(filepath.Join(data, "failed", name+".reason.txt"))
		if err != nil || !strings.Contains(string(reason), "Cách xử lý") {
			t.Errorf("%s: reason file %q, %v", name, reason, err)
		}
		if _, err := os.Stat(filepath.Join(data, "failed", name)); err != nil {
			t.Errorf("%s not in failed/: %v", name, err)
		}
	}

	// The inbox is empty; the originals are in done/, unchanged.
	poll.Until(t, 30*time.Second, func() error {
		if left := inboxLeft(inbox); len(left) != 0 {
			return fmt.Errorf("inbox still holds %v", left)
		}
		return nil
	})
	for _, s := range realScans {
		got, err := os.ReadFile(filepath.Join(data, "done", s.file))
		want, _ := os.ReadFile(filepath.Join("..", "..", "fixtures", "real", s.file))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s in done/: %v (identical: %v)", s.file, err, bytes.Equal(got, want))
		}
	}

	// The page blobs of retired documents are gone from the work bucket
	// (the embedded endpoint keeps objects as plain files).
	poll.Until(t, 30*time.Second, func() error {
		var left []string
		_ = filepath.WalkDir(filepath.Join(data, "s3", "data", "sohoa-work"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.Contains(p, "/.sgw") {
				left = append(left, p)
			}
			return nil
		})
		if len(left) > 0 {
			return fmt.Errorf("work bucket still holds %v", left)
		}
		return nil
	})

	// Search: without diacritics, and by the file name of a failed document.
	var found apiList
	if err := getJSON(base, "/api/documents?q="+url.QueryEscape("cai cach thu tuc hanh chinh"), &found); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(found.Documents, func(d apiDoc) bool { return d.SourceName == "23-BC-UBND-2025.pdf" }) {
		t.Errorf("search without diacritics did not find 23-BC-UBND-2025.pdf: %+v", found)
	}

	// The same file dropped again is the same document: not archived twice.
	copyFile(t, filepath.Join("..", "..", "fixtures", "real", realScans[3].file), filepath.Join(inbox, "lan-nua.pdf"))
	// The note is written just after the file is moved: wait for both.
	poll.Until(t, time.Minute, func() error {
		if _, err := os.Stat(filepath.Join(data, "done", "lan-nua.pdf")); err != nil {
			return err
		}
		_, err := os.Stat(filepath.Join(data, "done", "lan-nua.pdf.duplicate.txt"))
		return err
	})
	if note, err := os.ReadFile(filepath.Join(data, "done", "lan-nua.pdf.duplicate.txt")); err != nil || !strings.Contains(string(note), "đã được lưu trữ") {
		t.Errorf("no duplicate note beside the copy dropped again: %q, %v", note, err)
	}
	var all apiList
	if err := getJSON(base, "/api/documents?limit=100", &all); err != nil {
		t.Fatal(err)
	}
	if all.Total != wantDocs {
		t.Errorf("after dropping a copy again: %d documents, want %d", all.Total, wantDocs)
	}

	// The search page is Vietnamese.
	page := get(t, base+"/?q=Qu%E1%BA%A3ng+Ng%C3%A3i")
	if !bytes.Contains(page, []byte("Tìm")) || !bytes.Contains(page, []byte("Đã lưu trữ")) {
		t.Errorf("search page:\n%s", page)
	}

	// An archivist corrects a document whose handwritten number the
	// machine could not be sure of (the first real scan still in review,
	// to its labelled number and date): a new version, out of the review
	// queue.
	truth := realLabels(t)
	var doc apiDoc
	for _, r := range realScans {
		if d := byName[r.file]; d.NeedsReview {
			doc = d
			break
		}
	}
	if doc.ID == "" {
		t.Fatal("every real scan's number and date are certain: correct another field here")
	}
	want := truth[doc.SourceName]
	req, _ := http.NewRequest(http.MethodPatch, base+"/api/documents/"+doc.ID,
		strings.NewReader(fmt.Sprintf(`{"doc_number": %q, "date": %q, "note": "số và ngày viết tay"}`, want.DocNumber, want.Date)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Remote-User", "Nguyễn Văn An") // from no trusted proxy: ignored
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var corrected struct {
		apiDoc
		Version     int `json:"version"`
		Corrections []struct {
			By string `json:"by"`
		} `json:"corrections"`
	}
	err = json.NewDecoder(resp.Body).Decode(&corrected)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || corrected.Version != 2 || corrected.DocNumber != want.DocNumber || corrected.NeedsReview {
		t.Errorf("correction: %d %+v %v", resp.StatusCode, corrected, err)
	}
	for _, c := range corrected.Corrections {
		if c.By != testToken {
			t.Errorf("correction by %q, want the token's name %q", c.By, testToken)
		}
	}

	// The index is derived: stopped, its folder deleted and rebuilt from
	// the bucket by sohoa reindex, it gives the same answers.
	p.stop(syscall.SIGTERM)
	queries := [][]string{{"cai", "cach", "thu", "tuc", "hanh", "chinh"}, {`"thi hành án"`}, {want.DocNumber}, {"157", "qd", "nd", "ub"}, {"quang", "ngai"}}
	search := func() []string {
		var out []string
		for _, q := range queries {
			b, err := exec.Command(sohoaBinary(t), append([]string{"search", "--data", data, "--limit", "10"}, q...)...).CombinedOutput()
			if err != nil {
				t.Fatalf("sohoa search %v: %v\n%s", q, err, b)
			}
			out = append(out, string(b))
		}
		return out
	}
	// Every version of every document, and the originals, pass verify.
	if out, err := exec.Command(sohoaBinary(t), "verify", "--data", data).CombinedOutput(); err != nil || !strings.Contains(string(out), "6 documents checked") {
		t.Errorf("sohoa verify --data: %v\n%s", err, out)
	}
	before := search()
	if !strings.Contains(before[2], doc.ID) || !strings.Contains(before[0], byName["23-BC-UBND-2025.pdf"].ID) {
		t.Errorf("sohoa search before reindexing:\n%s", strings.Join(before, "\n"))
	}
	if err := os.RemoveAll(filepath.Join(data, "index")); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(sohoaBinary(t), "reindex", "--data", data, "--log", "text").CombinedOutput(); err != nil {
		t.Fatalf("sohoa reindex: %v\n%s", err, b)
	}
	if after := search(); !slices.Equal(before, after) {
		t.Errorf("answers changed by reindexing:\nbefore:\n%s\nafter:\n%s", strings.Join(before, "\n"), strings.Join(after, "\n"))
	}
}

// pageLog is a "page read" line of a worker's JSON log.
type pageLog struct {
	Msg  string `json:"msg"`
	Doc  string `json:"doc"`
	Page int    `json:"page"`
}

func pagesRead(t *testing.T, logPath string) []string {
	t.Helper()
	f, err := os.Open(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l pageLog
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Msg == "page read" {
			out = append(out, fmt.Sprintf("%s/%d", l.Doc, l.Page))
		}
	}
	return out
}

func TestSplitRoles(t *testing.T) {
	natsURL, events := startNATS(t)
	s3 := startS3(t)
	env := s3.Env()
	common := []string{"--nats", natsURL, "--s3", s3.Endpoint}

	data := t.TempDir()
	httpAddr := freeAddr(t)
	base := "http://" + httpAddr
	// Two workers first, so that both are waiting when pages come.
	w1 := startProc(t, "worker1", env, append([]string{"worker", "--workers", "1"}, common...)...)
	w2 := startProc(t, "worker2", env, append([]string{"worker", "--workers", "1"}, common...)...)
	for _, w := range []*proc{w1, w2} {
		poll.Until(t, time.Minute, func() error {
			b, _ := os.ReadFile(w.log)
			if !w.running() {
				t.Fatalf("worker exited:\n%s", b)
			}
			if !bytes.Contains(b, []byte("worker ready")) {
				return errors.New("worker not ready")
			}
			return nil
		})
	}
	ar := startProc(t, "archive", env, append([]string{"archive", "--data", data, "--http", httpAddr}, common...)...)
	waitHealthy(t, base, ar)
	startProc(t, "ingest", env, append([]string{"ingest", "--data", data, "--name", "office1"}, common...)...)

	inbox := filepath.Join(data, "inbox")
	poll.Until(t, time.Minute, func() error { _, err := os.Stat(inbox); return err })
	files := []string{"157-QD-ND-UB-1999.pdf", "07-CT-UBND-2018.pdf"}
	for _, f := range files {
		copyFile(t, filepath.Join("..", "..", "fixtures", "real", f), filepath.Join(inbox, f))
	}
	docs := waitFinished(t, base, len(files), 10*time.Minute)
	for _, d := range docs {
		if d.Status != "archived" {
			t.Errorf("%s: %s %s", d.SourceName, d.Status, d.Reason)
		}
	}

	// Both workers took pages, and no page was read twice.
	r1, r2 := pagesRead(t, w1.log), pagesRead(t, w2.log)
	if len(r1) == 0 || len(r2) == 0 {
		t.Errorf("pages read: worker1 %d, worker2 %d; want both > 0", len(r1), len(r2))
	}
	seen := map[string]bool{}
	for _, p := range append(r1, r2...) {
		if seen[p] {
			t.Errorf("page %s read twice", p)
		}
		seen[p] = true
	}
	if len(seen) != 9 {
		t.Errorf("%d pages read, want 9", len(seen))
	}

	// Other systems heard of each document on sohoa.events.archived.
	poll.Until(t, 30*time.Second, func() error {
		got := events()
		if len(got) != len(files) {
			return fmt.Errorf("%d archived events, want %d: %v", len(got), len(files), got)
		}
		for _, e := range got {
			if e.ID == "" || e.Key == "" {
				return fmt.Errorf("incomplete event %+v", e)
			}
		}
		return nil
	})
	poll.Until(t, 30*time.Second, func() error {
		for _, f := range files {
			if _, err := os.Stat(filepath.Join(data, "done", f)); err != nil {
				return err
			}
		}
		return nil
	})
}
