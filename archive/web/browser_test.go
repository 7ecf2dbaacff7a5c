package web

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/archivetest"
	"github.com/sohoa/sohoa/archive/auth"
	"github.com/sohoa/sohoa/archive/docmeta"
	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/pipeline"
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
	s := startSite(t, nil)
	base, r := s.base, s.rig
	r.Page(t, "a1", archivetest.ChiThi...)
	r.Page(t, "b2", archivetest.ThongBao...)
	r.WaitArchived(t, "a1")
	r.WaitArchived(t, "b2")
	ctx := browser(t)
	signIn(t, ctx, s, "/")

	err := chromedp.Do(ctx,
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
		chromedp.WaitVisible(chromedp.CSS(`tr.doc[data-id="b2"] a.open`)),
		chromedp.Click(chromedp.CSS(`tr.doc[data-id="b2"] a.open`)),
		chromedp.WaitVisible(chromedp.ID("f-number")),
		chromedp.SetValue(chromedp.ID("f-number"), "12/TB-UBND"),
		chromedp.SetValue(chromedp.ID("f-date"), "2020-02-12"),
		chromedp.Click(chromedp.ID("save")),
		chromedp.WaitVisible(chromedp.ID("saved")),
	)
	if err != nil {
		t.Fatal(err)
	}
	saved := run(t, ctx, chromedp.Text(chromedp.ID("saved")))
	history := run(t, ctx, chromedp.Text(chromedp.ID("history")))
	if !strings.Contains(saved, "phiên bản 2") || !strings.Contains(history, "12/TB-UBND") || !strings.Contains(history, browserUser) {
		t.Errorf("after saving: %q / %q", saved, history)
	}
	if d, ok, err := r.Index.Get("b2"); err != nil || !ok || d.DocNumber != "12/TB-UBND" || d.NeedsReview {
		t.Errorf("index after the correction: %+v %v %v", d, ok, err)
	}

	// Signed out, the pages send the browser to the login again.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("signin"))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/documents/a1")); err != nil {
		t.Fatal(err)
	}
	waitAt(t, ctx, "/login?next=%2Fdocuments%2Fa1")
}

// browserUser is the archivist who signs in to the browser tests.
const (
	browserUser     = "Phạm Thu Trang"
	browserPassword = "mật khẩu của Trang 2026"
)

// signIn makes the browser user an account and signs in as a person
// would: the page at path sends the browser to the login, a wrong
// password is refused there, the right one opens the page asked for.
func signIn(t *testing.T, ctx context.Context, s *site, path string) {
	t.Helper()
	if err := s.accounts.AddUser(browserUser, auth.Archivist, browserPassword, false); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(s.base+path), chromedp.WaitVisible(chromedp.ID("password"))); err != nil {
		t.Fatal(err)
	}
	waitAt(t, ctx, "/login?next="+url.QueryEscape(path))
	err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("name"), browserUser),
		chromedp.SendKeys(chromedp.ID("password"), "không phải mật khẩu"),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.ID("problem")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if msg := run(t, ctx, chromedp.Text(chromedp.ID("problem"))); !strings.Contains(msg, "không đúng") {
		t.Errorf("a wrong password says %q", msg)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("password"), browserPassword), // shown again empty, the name kept
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.ID("user")),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitAt(t, ctx, path)
	if who := run(t, ctx, chromedp.Text(chromedp.ID("user"))); who != browserUser {
		t.Errorf("signed in as %q, want %q", who, browserUser)
	}
}

// TestBrowserReview is an archivist going through the review queue with
// the keyboard alone: two documents whose number and day were handwritten,
// each shown with the crops of its blanks beside the machine's guess.
// Esc skips; Enter saves and opens the next; the queue ends empty.
func TestBrowserReview(t *testing.T) {
	s := startSite(t, nil)
	base, r := s.base, s.rig
	r.PageWithBlanks(t, "r1", archivetest.ThongBaoInk, map[string][]byte{
		pipeline.BlankNumber: archivetest.Crop("12"), pipeline.BlankDay: archivetest.Crop("12")})
	r.WaitArchived(t, "r1")
	r.PageWithBlanks(t, "r2", archivetest.QuyetDinhInk, map[string][]byte{
		pipeline.BlankNumber: archivetest.Crop("45"), pipeline.BlankDay: archivetest.Crop("08")})
	r.WaitArchived(t, "r2")
	for _, id := range []string{"r1", "r2"} {
		var d Detail
		if getJSON(t, base+"/api/documents/"+id, &d); !d.NeedsReview || len(d.Crops) != 2 {
			// The crops come from the page's blanks, named by docmeta
			// (Meta.Crops).
			t.Fatalf("%s archived with crops %v, review %v: want both crops, in review", id, d.Crops, d.NeedsReview)
		}
	}
	ctx := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900)); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, s, "/review")

	// The queue, most recently archived first; Enter on «Bắt đầu» opens
	// the first.
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("start"))); err != nil {
		t.Fatal(err)
	}
	if first := run(t, ctx, chromedp.AttributeValue(chromedp.CSS(`#review tr.doc`), "data-id")).Value; first != "r2" {
		t.Fatalf("first in the queue: %q, want r2", first)
	}
	screenshot(t, ctx, "review-queue")
	press(t, ctx, kb.Enter)
	waitAt(t, ctx, "/review/r2")
	view := reviewView(t, ctx)
	if view.Number != "45/QĐ-UBND" || view.Date != "08/05/2021" || view.Focus != "f-number" || view.Selected != "45" ||
		view.Crops[docmeta.CropNumber] <= 0 || view.Crops[docmeta.CropDate] <= 0 || !strings.Contains(view.Reasons, "chắc chắn") {
		t.Errorf("review view of r2 = %+v; want the guess 45/QĐ-UBND of 08/05/2021, its digits selected, both crops shown", view)
	}
	screenshot(t, ctx, "review-r2")

	// Esc skips without saving, to the next; past the last, the queue says
	// so and its «Bắt đầu» starts again.
	press(t, ctx, kb.Escape)
	waitAt(t, ctx, "/review/r1")
	press(t, ctx, kb.Escape)
	waitAt(t, ctx, "/review?done=1")
	if end := run(t, ctx, chromedp.Text(chromedp.ID("end"))); !strings.Contains(end, "Còn 2 văn bản") {
		t.Errorf("end of the queue says %q", end)
	}
	press(t, ctx, kb.Enter)
	waitAt(t, ctx, "/review/r2")

	// Correct the number: the digits typed replace the selected ones; Tab
	// past the date to the name, the account's; Enter saves and opens r1.
	press(t, ctx, "46")
	if v := reviewView(t, ctx); v.Number != "46/QĐ-UBND" {
		t.Errorf("number after typing 46 over the selected digits: %q", v.Number)
	}
	press(t, ctx, kb.Tab)
	if v := reviewView(t, ctx); v.Focus != "f-date" {
		t.Errorf("Tab from the number went to %q, want f-date", v.Focus)
	}
	press(t, ctx, kb.Tab)
	if v := reviewView(t, ctx); v.Focus != "f-by" {
		t.Errorf("Tab from the date went to %q, want f-by", v.Focus)
	}
	press(t, ctx, kb.Enter)
	waitAt(t, ctx, "/review/r1?saved=r2")
	view = reviewView(t, ctx)
	if view.Number != "12/TB-UBND" || view.Date != "12/02/2020" || view.Focus != "f-number" || view.By != browserUser ||
		view.Crops[docmeta.CropNumber] <= 0 || view.Crops[docmeta.CropDate] <= 0 || !strings.Contains(view.Saved, "46/QĐ-UBND") {
		t.Errorf("review view of r1 after saving r2 = %+v", view)
	}
	screenshot(t, ctx, "review-r1")

	// Enter confirms r1 as read; the queue is empty.
	press(t, ctx, kb.Enter)
	waitAt(t, ctx, "/review?done=1")
	if done := run(t, ctx, chromedp.Text(chromedp.ID("done"))); !strings.Contains(done, "Đã kiểm tra hết") {
		t.Errorf("empty queue says %q", done)
	}
	screenshot(t, ctx, "review-done")

	var list List
	if getJSON(t, base+"/api/documents?review=true", &list); list.Total != 0 {
		t.Errorf("review queue after the review: %+v", list)
	}
	for id, want := range map[string][]archive.Change{
		"r2": {{Field: docmeta.FieldDocNumber, From: "45/QĐ-UBND", To: "46/QĐ-UBND"}, {Field: docmeta.FieldDate, From: "2021-05-08", To: "2021-05-08"}},
		"r1": {{Field: docmeta.FieldDocNumber, From: "12/TB-UBND", To: "12/TB-UBND"}, {Field: docmeta.FieldDate, From: "2020-02-12", To: "2020-02-12"}},
	} {
		var d Detail
		getJSON(t, base+"/api/documents/"+id, &d)
		if d.NeedsReview || d.Version != 2 || d.DocNumber != want[0].To || d.Date != want[1].To || len(d.Corrections) != len(want) {
			t.Errorf("%s after the review: v%d review %v %q %q, corrections %+v", id, d.Version, d.NeedsReview, d.DocNumber, d.Date, d.Corrections)
			continue
		}
		for i, c := range d.Corrections {
			if c.Field != want[i].Field || c.From != want[i].From || c.To != want[i].To || c.By != browserUser {
				t.Errorf("%s correction %d = %+v, want %+v by %s", id, i, c, want[i], browserUser)
			}
		}
	}
}

// view is what the review view shows and where the keyboard is.
type view struct {
	Number, Date, By string
	Focus            string // the id of the focused element
	Selected         string // the selected text of the focused field
	Crops            map[string]int
	Reasons, Saved   string
}

func reviewView(t *testing.T, ctx context.Context) view {
	t.Helper()
	// The crops' natural widths, once they are loaded (0 if one failed).
	run(t, ctx, chromedp.Poll[bool](`[...document.images].every(i => i.complete)`, chromedp.WithPollingTimeout(10*time.Second)))
	return run(t, ctx, chromedp.Evaluate[view](`(() => {
		const el = id => document.getElementById(id), a = document.activeElement;
		const crops = {};
		for (const [name, id] of [["number", "crop-number"], ["date", "crop-date"]]) {
			if (el(id)) crops[name] = el(id).naturalWidth;
		}
		return {
			Number: el("f-number").value, Date: el("f-date").value, By: el("f-by").value,
			Focus: a ? a.id : "", Selected: a && a.value !== undefined ? a.value.substring(a.selectionStart, a.selectionEnd) : "",
			Crops: crops, Reasons: el("reasons") ? el("reasons").innerText : "", Saved: el("saved") ? el("saved").innerText : "",
		};
	})()`))
}

// press types keys into whatever has the focus, as a person would.
func press(t *testing.T, ctx context.Context, keys string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(keys)); err != nil {
		t.Fatal(err)
	}
}

// waitAt waits until the browser has loaded the page at path (with its
// query).
func waitAt(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	poll.Until(t, 15*time.Second, func() error {
		at, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" ? location.pathname + location.search : ""`))
		if err != nil {
			return err
		}
		if at != path {
			return fmt.Errorf("the browser is at %q, want %q", at, path)
		}
		return nil
	})
}

// screenshot saves what the browser shows as NAME.png in the folder
// SOHOA_SCREENSHOTS names, when it names one, for a person to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("SOHOA_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := run(t, ctx, chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
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
