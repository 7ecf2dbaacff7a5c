package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "golang.org/x/image/tiff"

	"github.com/sohoa/sohoa/ingest/epdf"
	"github.com/sohoa/sohoa/ingest/epdf/epdftest"
	"github.com/sohoa/sohoa/ingest/pages"
	"github.com/sohoa/sohoa/internal/need"
	"github.com/sohoa/sohoa/internal/poll"
)

// synthDoc is one generated document: its pages as scanned, and what it says.
type synthDoc struct {
	pages     []image.Image
	docNumber string
	date      string
}

// generateDocs makes n synthetic documents of up to maxPages pages each
// (fixtures/gen), as scans.
func generateDocs(t *testing.T, n int, seed uint64, maxPages int) []synthDoc {
	t.Helper()
	out := t.TempDir()
	cmd := exec.Command("go", "run", "../../fixtures/gen", "-out", out, "-n", fmt.Sprint(n), "-seed", fmt.Sprint(seed),
		"-formats", "pdf", "-maxpages", fmt.Sprint(maxPages), "-skew", "1.5", "-seal", "0", "-dpi", "200")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fixtures/gen: %v\n%s", err, b)
	}
	var truth []struct {
		Files     []string          `json:"files"`
		Pages     []json.RawMessage `json:"pages"`
		DocNumber string            `json:"doc_number"`
		Date      string            `json:"date"`
	}
	data, err := os.ReadFile(filepath.Join(out, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &truth); err != nil || len(truth) != n {
		t.Fatalf("truth.json: %v (%d documents)", err, len(truth))
	}
	docs := make([]synthDoc, n)
	for i, tr := range truth {
		file, err := os.ReadFile(filepath.Join(out, "inbox", tr.Files[0]))
		if err != nil {
			t.Fatal(err)
		}
		_, ps, err := pages.Split(file, pages.Limits{})
		if err != nil || len(ps) != len(tr.Pages) {
			t.Fatalf("%s: %v (%d pages, truth %d)", tr.Files[0], err, len(ps), len(tr.Pages))
		}
		docs[i] = synthDoc{docNumber: tr.DocNumber, date: tr.Date}
		for _, p := range ps {
			img, _, err := image.Decode(bytes.NewReader(p.Data))
			if err != nil {
				t.Fatalf("%s: page: %v", tr.Files[0], err)
			}
			docs[i].pages = append(docs[i].pages, img)
		}
	}
	return docs
}

// printedSeparator is the separator sheet as a clerk prints it: the page
// /to-phan-tach of the running server, printed by Chromium to PDF and
// drawn at 200 dpi by poppler, as a scanner would see the sheet.
func printedSeparator(t *testing.T, base string) image.Image {
	t.Helper()
	html := get(t, base+"/to-phan-tach")
	dir := t.TempDir()
	page := filepath.Join(dir, "to-phan-tach.html")
	if err := os.WriteFile(page, html, 0o644); err != nil {
		t.Fatal(err)
	}
	browser := need.Tool(t, "chromium", "chromium")
	out := filepath.Join(dir, "to-phan-tach.pdf")
	cmd := exec.Command(browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--print-to-pdf="+out, "file://"+page)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s --print-to-pdf: %v\n%s", browser, err, b)
	}
	pdf, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := epdf.Read(context.Background(), pdf, []int{1}, epdf.Config{DPI: 200})
	if err != nil || len(got) != 1 {
		t.Fatalf("render the printed sheet: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(got[0].Image))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// blankSheet is an empty page as scanned: paper grey with a little noise.
func blankSheet() image.Image {
	g := image.NewGray(image.Rect(0, 0, 1654, 2339))
	r := rand.New(rand.NewPCG(3, 5))
	for i := range g.Pix {
		g.Pix[i] = uint8(238 + r.IntN(12))
	}
	return g
}

// A stack of five documents fed through the scanner in one run, with a
// blank sheet between the first two and sohoa's separator sheet (printed
// from its page) between the third and fourth, dropped into inbox/tach/,
// comes out as five documents: each with exactly its pages, its number
// and date, its record naming the stack and the stack's pages it holds;
// the sheets are in no part, and the stack's file is kept once and moves
// to done/ once every part is archived.
func TestServeStack(t *testing.T) {
	for _, tool := range []string{"pdftoppm", "pdftotext"} {
		need.Tool(t, tool, "poppler-utils")
	}
	docs := generateDocs(t, 5, 13, 3) // 3, 1, 1, 2 and 1 pages: 8

	data := t.TempDir()
	httpAddr := freeAddr(t)
	base := "http://" + httpAddr
	p := startProc(t, "serve", nil, "serve", "--data", data, "--http", httpAddr, "--workers", "2", "--log", "json")
	waitHealthy(t, base, p)
	if fi, err := os.Stat(filepath.Join(data, "inbox", "tach")); err != nil || !fi.IsDir() {
		t.Fatalf("inbox/tach/ not made at start: %v", err)
	}
	sep := printedSeparator(t, base)

	var stack []epdftest.Page
	add := func(img image.Image) int {
		g := image.NewGray(img.Bounds())
		draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
		stack = append(stack, epdftest.Page{Scan: g})
		return len(stack)
	}
	want := make([][]int, len(docs)) // the stack's pages of each document
	var sheets []int
	for i, d := range docs {
		switch i {
		case 1:
			sheets = append(sheets, add(blankSheet()))
		case 3:
			sheets = append(sheets, add(sep))
		}
		for _, pg := range d.pages {
			want[i] = append(want[i], add(pg))
		}
	}
	t.Logf("stack of %d pages: documents at %v, sheets at %v", len(stack), want, sheets)
	file := epdftest.Make(stack, epdftest.Options{})
	name := "tap-quet-01.pdf"
	if err := os.WriteFile(filepath.Join(data, "inbox", "tach", name), file, 0o644); err != nil {
		t.Fatal(err)
	}

	// Beside it, a single scan saved without its resolution (Go's PNG
	// encoder writes none): below what the intake standard can check, so
	// archived and sent to review with how to rescan.
	var noDPI bytes.Buffer
	if err := png.Encode(&noDPI, docs[1].pages[0]); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "inbox", "khong-ro-dpi.png"), noDPI.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	got := waitFinished(t, base, len(docs)+1, 10*time.Minute)
	type detail struct {
		apiDoc
		Review   []string `json:"review"`
		Original struct {
			Name   string `json:"name"`
			SHA256 string `json:"sha256"`
			Pages  []int  `json:"pages"`
		} `json:"original"`
		Stack *struct {
			ID         string `json:"id"`
			Part       int    `json:"part"`
			Parts      int    `json:"parts"`
			Separators []int  `json:"separators"`
		} `json:"stack"`
	}
	byPart := map[int]detail{}
	for _, d := range got {
		var full detail
		if err := getJSON(base, "/api/documents/"+d.ID, &full); err != nil {
			t.Fatal(err)
		}
		if d.SourceName == "khong-ro-dpi.png" {
			if !full.NeedsReview || !slices.ContainsFunc(full.Review, func(r string) bool {
				return strings.Contains(r, "không ghi độ phân giải") && strings.Contains(r, "quét lại ở 300 dpi")
			}) || full.Stack != nil {
				t.Errorf("a scan with no resolution: review %v %q, stack %v; want review with how to rescan", full.NeedsReview, full.Review, full.Stack)
			}
			continue
		}
		if full.Status != "archived" || full.Stack == nil {
			t.Fatalf("%s: %s (%s), stack %v", d.ID, full.Status, full.Reason, full.Stack)
		}
		byPart[full.Stack.Part] = full
	}
	sum := sha256Hex(file)
	for i, d := range docs {
		g, ok := byPart[i+1]
		if !ok {
			t.Errorf("no part %d of the stack", i+1)
			continue
		}
		if !slices.Equal(g.Original.Pages, want[i]) || g.Pages != len(want[i]) {
			t.Errorf("part %d: pages %v of the stack (%d in its PDF), want %v", i+1, g.Original.Pages, g.Pages, want[i])
		}
		if g.DocNumber != d.docNumber || g.Date != d.date {
			t.Errorf("part %d: %q of %q, want %q of %q", i+1, g.DocNumber, g.Date, d.docNumber, d.date)
		}
		if g.Stack.Parts != len(docs) || !slices.Equal(g.Stack.Separators, sheets) {
			t.Errorf("part %d: %d parts, separators %v; want %d, %v", i+1, g.Stack.Parts, g.Stack.Separators, len(docs), sheets)
		}
		if g.SourceName != name || g.Original.SHA256 != sum {
			t.Errorf("part %d: original %q %s, want the stack's %q %s", i+1, g.SourceName, g.Original.SHA256, name, sum)
		}
		// Its PDF holds its pages only: as many as the document has.
		pdf := get(t, base+"/api/documents/"+g.ID+"/pdf")
		if n := pdfPages(t, pdf); n != len(d.pages) {
			t.Errorf("part %d: its PDF has %d pages, want %d", i+1, n, len(d.pages))
		}
		// The document page says where in the stack it came from.
		if page := string(get(t, base+"/documents/"+g.ID)); !strings.Contains(page, fmt.Sprintf("Văn bản thứ %d trong %d văn bản", i+1, len(docs))) {
			t.Errorf("part %d: its page does not say which part of the stack it is", i+1)
		}
		// The stack's file, whole, is every part's original.
		if orig := get(t, base+"/api/documents/"+g.ID+"/original"); !bytes.Equal(orig, file) {
			t.Errorf("part %d: the original is not the stack's file (%d bytes, want %d)", i+1, len(orig), len(file))
		}
	}
	poll.Until(t, time.Minute, func() error {
		if _, err := os.Stat(filepath.Join(data, "done", "tach", name)); err != nil {
			return fmt.Errorf("the stack's file is not in done/tach/ yet: %w", err)
		}
		return nil
	})
}

// pdfPages counts a PDF's pages with poppler's pdfinfo.
func pdfPages(t *testing.T, pdf []byte) int {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(need.Tool(t, "pdfinfo", "poppler-utils"), f).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(l, "Pages:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				t.Fatalf("pdfinfo: %q", l)
			}
			return n
		}
	}
	t.Fatalf("pdfinfo gave no page count:\n%s", out)
	return 0
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
