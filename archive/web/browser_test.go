package web

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sohoa/sohoa/archive/archivetest"
)

// browser starts a headless Chromium (Debian's chromium; SOHOA_CHROMIUM
// names another) for the test. Without one the test is skipped, unless
// SOHOA_REQUIRE_BROWSER is set (make test sets it, after installing it).
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("SOHOA_CHROMIUM")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		if os.Getenv("SOHOA_REQUIRE_BROWSER") != "" {
			t.Fatal("no Chromium: install Debian's chromium (deploy/install-deps.sh test) or set SOHOA_CHROMIUM")
		}
		t.Skip("no Chromium installed (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // root in CI
		chromedp.Flag("headless", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("lang", "vi"),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser, which lives as long as ctx: no
	// timeout on it; the steps get one.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

// TestBrowser is an archivist at work in a real browser: searches without
// diacritics, opens the document found, checks that its PDF is there, then
// corrects a document from the review queue.
func TestBrowser(t *testing.T) {
	base, r := startServer(t)
	r.Page(t, "a1", archivetest.ChiThi...)
	r.Page(t, "b2", archivetest.ThongBao...)
	r.WaitArchived(t, "a1")
	r.WaitArchived(t, "b2")
	ctx := browser(t)

	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), "thi hanh an"),
		chromedp.Click(chromedp.ID("search")),
		chromedp.WaitVisible(chromedp.CSS(`tr.doc[data-id="a1"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	snippet := run(t, ctx, chromedp.Text(chromedp.CSS(`tr.doc[data-id="a1"] .snippet`)))
	if !strings.Contains(snippet, "thi hành án") {
		t.Errorf("snippet %q does not show the words found", snippet)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`tr.doc[data-id="a1"] a.open`)),
		chromedp.WaitVisible(chromedp.ID("download")),
	); err != nil {
		t.Fatal(err)
	}
	number := run(t, ctx, chromedp.Text(chromedp.ID("doc-number")))
	download := run(t, ctx, chromedp.AttributeValue(chromedp.ID("download"), "href")).Value
	frame := run(t, ctx, chromedp.AttributeValue(chromedp.ID("pdf"), "src")).Value
	if number != "07/CT-UBND" || download != "/api/documents/a1/pdf" || frame != download {
		t.Errorf("document page: number %q, download %q, frame %q", number, download, frame)
	}
	// The link gives the PDF, as the browser fetches it.
	type fetched struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Head   string `json:"head"`
	}
	got := run(t, ctx, chromedp.Evaluate[fetched](`fetch(document.getElementById("download").href).then(async r => ({
		status: r.status, type: r.headers.get("content-type"),
		head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5))}))`, chromedp.EvalAwaitPromise))
	if got.Status != 200 || got.Type != "application/pdf" || got.Head != "%PDF-" {
		t.Errorf("PDF link: %+v", got)
	}

	// The review queue, and the correction form.
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/review"),
		chromedp.WaitVisible(chromedp.CSS(`tr.doc[data-id="b2"] a.fix`)),
		chromedp.Click(chromedp.CSS(`tr.doc[data-id="b2"] a.fix`)),
		chromedp.WaitVisible(chromedp.ID("f-number")),
		chromedp.SetValue(chromedp.ID("f-number"), "12/TB-UBND"),
		chromedp.SetValue(chromedp.ID("f-date"), "2020-02-12"),
		chromedp.SendKeys(chromedp.ID("f-by"), "Lê Thị Hoa"),
		chromedp.Click(chromedp.ID("save")),
		chromedp.WaitVisible(chromedp.ID("saved")),
	)
	if err != nil {
		t.Fatal(err)
	}
	saved := run(t, ctx, chromedp.Text(chromedp.ID("saved")))
	history := run(t, ctx, chromedp.Text(chromedp.ID("history")))
	if !strings.Contains(saved, "phiên bản 2") || !strings.Contains(history, "12/TB-UBND") || !strings.Contains(history, "Lê Thị Hoa") {
		t.Errorf("after saving: %q / %q", saved, history)
	}
	if d, ok, err := r.Index.Get("b2"); err != nil || !ok || d.DocNumber != "12/TB-UBND" || d.NeedsReview {
		t.Errorf("index after the correction: %+v %v %v", d, ok, err)
	}
}

// run runs one action that gives a value, failing the test on error.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
