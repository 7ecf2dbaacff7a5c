package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/archivetest"
	"github.com/sohoa/sohoa/archive/audit"
	"github.com/sohoa/sohoa/archive/auth"
	"github.com/sohoa/sohoa/archive/docmeta"
	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/pipeline"
)

func TestMain(m *testing.M) {
	api.DisableConfigDir()
	m.Run()
}

// startServer runs the web server over an archive stage on real
// components (archivetest: embedded NATS, versitygw, Bleve), with an
// accounts file that has a token of each role (see startSite). The
// package's client sends requests to it as the archivist "Lê Thị Hoa".
func startServer(t *testing.T) (base string, r *archivetest.Rig) {
	t.Helper()
	site := startSite(t, nil)
	return site.base, site.rig
}

// site is a running server and the tokens made for it, by role.
type site struct {
	base     string
	rig      *archivetest.Rig
	accounts *auth.Store
	tokens   map[auth.Role]string
}

// testerNames are the names of the tokens startSite makes, by role.
var testerNames = map[auth.Role]string{auth.Viewer: "Trần Văn Xem", auth.Archivist: "Lê Thị Hoa", auth.Admin: "Quản Trị Viên"}

// startSite runs the server as startServer does; tweak may change its
// Config first (trusted proxies, hosts).
func startSite(t *testing.T, tweak func(*Config)) *site {
	t.Helper()
	r := archivetest.New(t)
	accounts, err := auth.Open(filepath.Join(t.TempDir(), auth.FileName))
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[auth.Role]string{}
	for role, name := range testerNames {
		if tokens[role], err = accounts.CreateToken(name, role); err != nil {
			t.Fatal(err)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	trail, err := audit.Open(context.Background(), r.Store)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Queue: r.Queue, Index: r.Index, Objects: r.Store, Archive: r.Archive, Log: slog.New(slog.DiscardHandler), Accounts: accounts, Audit: trail}
	if tweak != nil {
		tweak(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx, l) }()
	t.Cleanup(func() { cancel(); <-done })
	base := "http://" + l.Addr().String()
	poll.Until(t, 10*time.Second, func() error {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return errors.New(resp.Status)
		}
		return nil
	})
	defaultTokens.Store(l.Addr().String(), tokens[auth.Archivist])
	t.Cleanup(func() { defaultTokens.Delete(l.Addr().String()) })
	return &site{base: base, rig: r, accounts: accounts, tokens: tokens}
}

// defaultTokens are the tokens client sends to each server (host:port)
// when a request carries no Authorization of its own.
var defaultTokens sync.Map

type bearerTransport struct{}

func (bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if tok, ok := defaultTokens.Load(req.URL.Host); ok && req.Header.Get("Authorization") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("Authorization", "Bearer "+tok.(string))
	}
	return http.DefaultTransport.RoundTrip(req)
}

var (
	// client is an archivist's: it sends the token startSite stored for
	// the server a request goes to.
	client = &http.Client{Transport: bearerTransport{}}
	// noRedirect is client, showing redirects instead of following them.
	noRedirect = &http.Client{Transport: bearerTransport{}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
)

func getJSON(t *testing.T, u string, v any) int {
	t.Helper()
	resp, err := client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil && resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func TestAPI(t *testing.T) {
	base, r := startServer(t)
	ctx := context.Background()
	r.Page(t, "a1", archivetest.ChiThi...)
	r.Page(t, "b2", archivetest.ThongBao...)
	r.WaitArchived(t, "a1")
	r.WaitArchived(t, "b2")
	for _, s := range []pipeline.Status{
		{ID: "q3", SourceName: "quét-mới.jpg", Status: pipeline.StatusQueued, Pages: 1, Attempt: 1},
		{ID: "f4", SourceName: "hỏng.pdf", Status: pipeline.StatusFailed, Reason: "Tệp bị hỏng", Attempt: 1},
	} {
		if _, _, err := r.Queue.CreateStatus(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	var list List
	poll.Until(t, 10*time.Second, func() error {
		getJSON(t, base+"/api/documents", &list)
		if list.Total != 4 {
			return errors.New("statuses not seen yet")
		}
		return nil
	})
	// Newest first: the two pipeline documents, then the archived ones.
	if list.Documents[0].Status == "archived" || list.Documents[3].Status != "archived" {
		t.Errorf("order: %+v", list.Documents)
	}
	for _, d := range list.Documents {
		if d.ID == "f4" && (d.Status != "failed" || d.Reason == "") {
			t.Errorf("failed document = %+v", d)
		}
	}

	// Search: text without diacritics, with snippets; a pipeline document
	// by its file name; a number typed without Đ or slash.
	getJSON(t, base+"/api/documents?q="+url.QueryEscape("thi hanh an"), &list)
	if list.Total != 1 || list.Documents[0].ID != "a1" || len(list.Documents[0].Snippets) == 0 ||
		!strings.Contains(list.Documents[0].Snippets[0], "<mark>") {
		t.Errorf("search = %+v", list)
	}
	getJSON(t, base+"/api/documents?q="+url.QueryEscape("quet moi"), &list)
	if list.Total != 1 || list.Documents[0].ID != "q3" {
		t.Errorf("search by file name = %+v", list)
	}
	getJSON(t, base+"/api/documents?q="+url.QueryEscape("07 ct ubnd"), &list)
	if list.Total < 1 || list.Documents[0].ID != "a1" {
		t.Errorf("search by number = %+v", list)
	}
	// Facets and filters; a filter leaves the pipeline out.
	getJSON(t, base+"/api/documents", &list)
	if !hasFacet(list.Facets["type"], "CHỈ THỊ", 1) || !hasFacet(list.Facets["year"], "2018", 1) {
		t.Errorf("facets = %+v", list.Facets)
	}
	getJSON(t, base+"/api/documents?type="+url.QueryEscape("chi thi"), &list)
	if list.Total != 1 || list.Documents[0].ID != "a1" {
		t.Errorf("type filter = %+v", list)
	}
	getJSON(t, base+"/api/documents?review=true", &list)
	if list.Total != 1 || list.Documents[0].ID != "b2" || !list.Documents[0].NeedsReview {
		t.Errorf("review queue = %+v", list)
	}
	getJSON(t, base+"/api/documents?limit=1&offset=1", &list)
	if list.Total != 4 || len(list.Documents) != 1 {
		t.Errorf("limit 1 offset 1 = %+v", list)
	}

	// One document, in full; its PDF and original; unknown ids.
	var a1 Detail
	if code := getJSON(t, base+"/api/documents/a1", &a1); code != 200 || !strings.Contains(a1.Text, "thi hành án") ||
		a1.DocNumber != "07/CT-UBND" || a1.Number != "07" || a1.Symbol != "CT-UBND" || a1.Date != "2018-03-20" ||
		a1.NeedsReview || a1.Version != 1 || a1.Confidence["doc_number"] < 0.85 || a1.Original == nil {
		t.Errorf("document a1 = %d %+v", code, a1)
	}
	pdf := get(t, base+"/api/documents/a1/pdf", 200)
	if !bytes.HasPrefix(pdf.body, []byte("%PDF-")) || pdf.header.Get("Content-Type") != "application/pdf" ||
		pdf.header.Get("ETag") != `"`+a1.SHA256+`"` {
		t.Errorf("pdf: %q… %v", pdf.body[:min(8, len(pdf.body))], pdf.header)
	}
	orig := get(t, base+"/api/documents/a1/original", 200)
	if orig.header.Get("Content-Type") != "image/png" || !strings.Contains(orig.header.Get("Content-Disposition"), "a1.png") {
		t.Errorf("original: %v", orig.header)
	}
	for _, u := range []string{"/api/documents/zz", "/api/documents/zz/pdf", "/api/documents/q3/pdf", "/api/documents/zz/original", "/documents/zz"} {
		get(t, base+u, http.StatusNotFound)
	}
	var q3 Detail
	if code := getJSON(t, base+"/api/documents/q3", &q3); code != 200 || q3.Status != "queued" {
		t.Errorf("queued document = %d %+v", code, q3)
	}

	// Corrections: refused when malformed, for an unknown id, or from
	// another site; then accepted, a new version out of the review queue,
	// made by the token's name whatever the body or X-Remote-User say.
	for _, c := range []struct {
		id, body, user string
		want           int
	}{
		{"b2", `{"doc_number": "12/TB-UBND", "date": "2020-02-31", "by": "Lê Thị Hoa"}`, "", 400},
		{"b2", `{"doc_number": "mười hai", "by": "Lê Thị Hoa"}`, "", 400},
		{"b2", `{"doc_number": 12}`, "", 400},
		{"zz", `{"doc_number": "12/TB-UBND", "by": "Lê Thị Hoa"}`, "", 404},
	} {
		if code, body := patch(t, base+"/api/documents/"+c.id, c.body, c.user, ""); code != c.want || !strings.Contains(body, `"error"`) {
			t.Errorf("PATCH %s %s = %d %s, want %d", c.id, c.body, code, body, c.want)
		}
	}
	if code, _ := patch(t, base+"/api/documents/b2", `{"date": "2020-02-12", "by": "x"}`, "", "http://evil.example"); code != http.StatusForbidden {
		t.Errorf("cross-site PATCH = %d, want 403", code)
	}
	code, body := patch(t, base+"/api/documents/b2", `{"doc_number": "12/TB-UBND", "date": "2020-02-12", "note": "số và ngày viết tay", "by": "Kẻ Mạo Danh"}`, "Người Khác", "")
	var b2 Detail
	if err := json.Unmarshal([]byte(body), &b2); code != 200 || err != nil {
		t.Fatalf("PATCH b2 = %d %s", code, body)
	}
	if b2.Version != 2 || b2.DocNumber != "12/TB-UBND" || b2.Date != "2020-02-12" || b2.NeedsReview ||
		len(b2.Corrections) != 2 || b2.Corrections[0].By != "Lê Thị Hoa" || !strings.Contains(b2.Key, "12-TB-UBND") {
		t.Errorf("corrected b2 = %+v", b2)
	}
	getJSON(t, base+"/api/documents?review=true", &list)
	if list.Total != 0 {
		t.Errorf("review queue after the correction = %+v", list)
	}
	getJSON(t, base+"/api/documents?q="+url.QueryEscape("12/TB-UBND"), &list)
	if list.Total < 1 || list.Documents[0].ID != "b2" {
		t.Errorf("search for the corrected number = %+v", list)
	}

	// The OpenAPI description is served.
	if spec := get(t, base+"/api/openapi.yaml", 200); !bytes.Contains(spec.body, []byte("openapi:")) {
		t.Errorf("openapi.yaml: %.80s", spec.body)
	}

	// A document archived meanwhile leaves the pipeline view.
	if _, err := r.Queue.UpdateStatus(ctx, "q3", func(s *pipeline.Status) error { s.Status = pipeline.StatusArchived; return nil }); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, 10*time.Second, func() error {
		getJSON(t, base+"/api/documents", &list)
		if list.Total != 3 {
			return errors.New("archived document still listed as in the pipeline")
		}
		return nil
	})
}

func TestPages(t *testing.T) {
	base, r := startServer(t)
	r.Page(t, "a1", archivetest.ChiThi...)
	r.Page(t, "b2", archivetest.ThongBao...)
	r.WaitArchived(t, "a1")
	r.WaitArchived(t, "b2")
	if _, _, err := r.Queue.CreateStatus(context.Background(), pipeline.Status{ID: "f4", SourceName: "hỏng.pdf", Status: pipeline.StatusFailed, Reason: "Tệp bị hỏng", Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, 10*time.Second, func() error {
		if p := get(t, base+"/pipeline", 200); !bytes.Contains(p.body, []byte("hỏng.pdf")) {
			return errors.New("the failed file is not on the pipeline page yet")
		}
		return nil
	})
	for u, want := range map[string][]string{
		"/":               {`lang="vi"`, "Tất cả 3 văn bản", "07/CT-UBND", "CHỈ THỊ", "hỏng.pdf"},
		"/?q=thi+hanh+an": {"<mark>thi hành án", `data-id="a1"`, `href="/?q=thi&#43;hanh&#43;an&amp;type=CH%E1%BB%88&#43;TH%E1%BB%8A"`},
		"/?type=" + url.QueryEscape("THÔNG BÁO"): {"THÔNG BÁO", "Bỏ lọc"},
		"/review":       {"Văn bản cần kiểm tra (1)", `href="/documents/b2#sua"`},
		"/pipeline":     {"Tệp bị hỏng", `id="n-failed">1<`},
		"/documents/a1": {"07/CT-UBND", `src="/api/documents/a1/pdf"`, `action="/documents/a1/correct"`, "Tải tệp gốc"},
		"/documents/b2": {"Cần kiểm tra vì", "Không đọc được"},
		"/documents/f4": {"Tệp bị hỏng"},
	} {
		p := get(t, base+u, 200)
		for _, w := range want {
			if !bytes.Contains(p.body, []byte(w)) {
				t.Errorf("GET %s: no %q in\n%s", u, w, mainOf(p.body))
			}
		}
	}
	if p := get(t, base+"/?type="+url.QueryEscape("THÔNG BÁO"), 200); bytes.Contains(p.body, []byte(`data-id="a1"`)) {
		t.Errorf("the type filter let a CHỈ THỊ through")
	}

	// The correction form: a mistake shows the form again with what was
	// typed and says what to do; a good correction saves and redirects.
	post := func(form url.Values) (*http.Response, string) {
		resp, err := noRedirect.PostForm(base+"/documents/b2/correct", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	form := url.Values{"doc_number": {"12/TB-UBND"}, "date": {"31/02/2020"}, "type": {"THÔNG BÁO"}, "agency": {"ỦY BAN NHÂN DÂN HUYỆN VÂN CANH"}, "subject": {"Về lịch tiếp công dân của Chủ tịch"}, "by": {"Lê Thị Hoa"}}
	resp, body := post(form)
	if resp.StatusCode != 400 || !strings.Contains(body, "31/02/2020") || !strings.Contains(body, `id="problem"`) {
		t.Errorf("bad date: %d\n%s", resp.StatusCode, body)
	}
	// Who corrects is the account: a name typed into the form is not.
	form.Set("by", "Kẻ Mạo Danh")
	form.Set("date", "12/02/2020")
	resp, _ = post(form)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/documents/b2?saved=1" {
		t.Fatalf("correction: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	p := get(t, base+"/documents/b2?saved=1", 200)
	for _, w := range []string{`id="saved"`, "12/TB-UBND", "12/02/2020", "Lịch sử sửa đổi", "<td>Lê Thị Hoa</td>"} {
		if !bytes.Contains(p.body, []byte(w)) {
			t.Errorf("after the correction: no %q", w)
		}
	}
	if bytes.Contains(p.body, []byte("Kẻ Mạo Danh")) {
		t.Errorf("the name typed into the form was taken as who corrects")
	}
	if p := get(t, base+"/review", 200); !bytes.Contains(p.body, []byte("Văn bản cần kiểm tra (0)")) {
		t.Errorf("review queue not emptied")
	}
}

// mainOf is a page without its head, for messages.
func mainOf(page []byte) []byte {
	if i := bytes.Index(page, []byte("<main>")); i >= 0 {
		return page[i:]
	}
	return page
}

func hasFacet(fs []Facet, value string, count int) bool {
	for _, f := range fs {
		if f.Value == value && f.Count == count {
			return true
		}
	}
	return false
}

type response struct {
	header http.Header
	body   []byte
}

func get(t *testing.T, u string, want int) response {
	t.Helper()
	resp, err := client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Errorf("GET %s = %d, want %d: %.200s", u, resp.StatusCode, want, b)
	}
	return response{resp.Header, b}
}

func patch(t *testing.T, u, body, user, origin string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPatch, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if user != "" {
		req.Header.Set(remoteUser, user)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestCrops serves the crops of a document's handwritten blanks: PNGs a
// browser may keep, and 404 in JSON, saying what is missing, for a crop or
// a document there is not.
func TestCrops(t *testing.T) {
	base, r := startServer(t)
	number, day := archivetest.Crop("12"), archivetest.Crop("12")
	r.PageWithBlanks(t, "c1", archivetest.ThongBaoInk, map[string][]byte{pipeline.BlankNumber: number, pipeline.BlankDay: day})
	r.Page(t, "a1", archivetest.ChiThi...)
	r.WaitArchived(t, "c1")
	r.WaitArchived(t, "a1")

	var c1, a1 Detail
	getJSON(t, base+"/api/documents/c1", &c1)
	getJSON(t, base+"/api/documents/a1", &a1)
	want := map[string]string{docmeta.CropNumber: "/api/documents/c1/crops/number", docmeta.CropDate: "/api/documents/c1/crops/date"}
	if !maps.Equal(c1.Crops, want) || a1.Crops != nil {
		t.Errorf("crops in the document JSON: c1 %v, want %v; a1 %v, want none", c1.Crops, want, a1.Crops)
	}
	for name, data := range map[string][]byte{docmeta.CropNumber: number, docmeta.CropDate: day} {
		got := get(t, base+c1.Crops[name], 200)
		if !bytes.Equal(got.body, data) || got.header.Get("Content-Type") != "image/png" ||
			!strings.Contains(got.header.Get("Cache-Control"), "immutable") || got.header.Get("ETag") == "" {
			t.Errorf("crop %s: %d bytes (want %d), %v", name, len(got.body), len(data), got.header)
		}
		req, _ := http.NewRequest(http.MethodGet, base+c1.Crops[name], nil)
		req.Header.Set("If-None-Match", got.header.Get("ETag"))
		if resp, err := client.Do(req); err != nil || resp.StatusCode != http.StatusNotModified {
			t.Errorf("crop %s again with its ETag: %v %v, want 304", name, resp.Status, err)
		} else {
			resp.Body.Close()
		}
	}
	for u, says := range map[string]string{
		"/api/documents/a1/crops/number":    "ảnh cắt",
		"/api/documents/c1/crops/signature": "ảnh cắt",
		"/api/documents/zz/crops/number":    "Không có văn bản này",
	} {
		got := get(t, base+u, http.StatusNotFound)
		var e struct{ Error string }
		if err := json.Unmarshal(got.body, &e); err != nil || !strings.Contains(e.Error, says) || !strings.HasPrefix(got.header.Get("Content-Type"), "application/json") {
			t.Errorf("GET %s: %s %q, want a JSON error saying %q", u, got.header.Get("Content-Type"), got.body, says)
		}
	}
}

// TestReviewPages walks the review flow without a browser: the view of a
// document pre-filled with the machine's reading and its crops; a
// confirmation that leaves the fields it does not show as they were and
// goes on to the next document, or back to the queue when none follows;
// skipping.
func TestReviewPages(t *testing.T) {
	base, r := startServer(t)
	r.Page(t, "b2", archivetest.ThongBao...)
	r.WaitArchived(t, "b2")
	r.PageWithBlanks(t, "c1", archivetest.ThongBaoInk, map[string][]byte{pipeline.BlankNumber: archivetest.Crop("12"), pipeline.BlankDay: archivetest.Crop("12")})
	r.WaitArchived(t, "c1")

	// c1 was archived last: first in the queue. b2's number was not read,
	// its printed symbol was: only the digits are left to type.
	for u, want := range map[string][]string{
		"/review":    {`id="start" href="/review/c1"`, `href="/review/b2"`, `href="/documents/b2#sua"`},
		"/review/c1": {`name="version" value="1"`, `value="12/TB-UBND"`, `value="12/02/2020"`, `src="/api/documents/c1/crops/number"`, `src="/api/documents/c1/crops/date"`, `href="/review/c1/next"`, `name="review"`},
		"/review/b2": {`value="/TB-UBND"`, `id="f-date" name="date" value=""`, "Không đọc được số văn bản"},
	} {
		p := get(t, base+u, 200)
		for _, w := range want {
			if !bytes.Contains(p.body, []byte(w)) {
				t.Errorf("GET %s: no %q in\n%s", u, w, mainOf(p.body))
			}
		}
	}
	if p := get(t, base+"/review/b2", 200); bytes.Contains(p.body, []byte(`class="crop"`)) {
		t.Errorf("a crop shown for b2, which has none")
	}
	get(t, base+"/review/zz", http.StatusNotFound)

	post := func(id string, form url.Values) (*http.Response, string) {
		resp, err := noRedirect.PostForm(base+"/documents/"+id+"/correct", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	// Without a number, the review view again, saying what to do.
	form := url.Values{"review": {"1"}, "version": {"1"}, "doc_number": {"/TB-UBND"}, "date": {""}, "by": {"Lê Thị Hoa"}}
	if resp, body := post("b2", form); resp.StatusCode != 400 || !strings.Contains(body, "Hãy ghi cả số và ngày") || !strings.Contains(body, `id="review-form"`) {
		t.Errorf("review without a date: %d\n%s", resp.StatusCode, mainOf([]byte(body)))
	}
	// A number or a date that is not one: said in the archivist's terms,
	// the keyboard in the field to mend.
	for _, c := range []struct{ number, date, says, focus string }{
		{"12", "12/02/2020", "Số và ký hiệu chưa đúng dạng", "f-number"},
		{"12/TB-UBND", "31/02/2020", "Ngày văn bản chưa đúng", "f-date"},
		{"12/TB-UBND", "12 tháng 2", "Ngày văn bản chưa đúng", "f-date"},
	} {
		form.Set("doc_number", c.number)
		form.Set("date", c.date)
		resp, body := post("b2", form)
		if resp.StatusCode != 400 || !strings.Contains(body, c.says) || !strings.Contains(body, `data-focus="`+c.focus+`"`) || !strings.Contains(body, c.date) {
			t.Errorf("review of %q, %q: %d\n%s", c.number, c.date, resp.StatusCode, mainOf([]byte(body)))
		}
	}
	// b2 is the last of the queue: back to it, which still has c1.
	form.Set("doc_number", "12/TB-UBND")
	form.Set("date", "12022020")
	resp, _ := post("b2", form)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/review?done=1" {
		t.Fatalf("review of b2: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	var b2 Detail
	getJSON(t, base+"/api/documents/b2", &b2)
	if b2.NeedsReview || b2.DocNumber != "12/TB-UBND" || b2.Date != "2020-02-12" || b2.Type != "THÔNG BÁO" || b2.Agency == "" {
		t.Errorf("b2 after the review = %+v; want the number and date set, the rest as it was", b2.Document)
	}
	// Someone else reviewing b2 from the version they were shown is told
	// it was done meanwhile, and undoes nothing.
	form.Set("doc_number", "13/TB-UBND")
	if resp, body := post("b2", form); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "người khác kiểm tra") ||
		!strings.Contains(body, `value="12/TB-UBND"`) || !strings.Contains(body, `name="version" value="2"`) {
		t.Errorf("review of a version reviewed meanwhile: %d\n%s", resp.StatusCode, mainOf([]byte(body)))
	}
	if getJSON(t, base+"/api/documents/b2", &b2); b2.DocNumber != "12/TB-UBND" || b2.Version != 2 {
		t.Errorf("b2 after a stale review: %s v%d", b2.DocNumber, b2.Version)
	}
	if p := get(t, base+"/review?done=1", 200); !bytes.Contains(p.body, []byte(`id="end"`)) || !bytes.Contains(p.body, []byte("Còn 1 văn bản")) {
		t.Errorf("queue after the last one, with c1 left:\n%s", mainOf(p.body))
	}
	// Skipping c1: nothing follows it.
	for u, want := range map[string]string{"/review/c1/next": "/review?done=1", "/review/zz/next": "/review"} {
		resp, err := noRedirect.Get(base + u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("GET %s = %d %s, want a redirect to %s", u, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
}

// A correction refused because another (running, or cut short) holds the
// document says whose and how long to wait, in the message and in
// Retry-After; one refused because another archivist corrected it
// meanwhile says that.
func TestHeldAnswer(t *testing.T) {
	for _, tc := range []struct {
		err   error
		retry string
		says  string
	}{
		{&archive.HeldError{By: "Nguyễn Văn An", Since: time.Now(), Wait: 90*time.Second + 300*time.Millisecond}, "91", "(của Nguyễn Văn An, từ "},
		{&archive.HeldError{By: "Nguyễn Văn An", Since: time.Now(), Wait: 90 * time.Second}, "91", "trong khoảng 2 phút nữa"},
		{fmt.Errorf("correct: %w", &archive.HeldError{Wait: 12 * time.Second}), "13", "trong khoảng 13 giây nữa"},
		{fmt.Errorf("correct: %w", archive.ErrConflict), "", "người khác sửa"},
	} {
		w := httptest.NewRecorder()
		(&Server{log: slog.New(slog.DiscardHandler)}).fail(w, tc.err)
		if w.Code != http.StatusConflict || w.Header().Get("Retry-After") != tc.retry || !strings.Contains(w.Body.String(), tc.says) {
			t.Errorf("%v: %d, Retry-After %q, %s; want 409, %q, saying %q", tc.err, w.Code, w.Header().Get("Retry-After"), w.Body, tc.retry, tc.says)
		}
	}
}

// The blank sheets left out of a document are in its JSON and on its page.
func TestBlankPagesShown(t *testing.T) {
	base, r := startServer(t)
	r.PagesWithEmpty(t, "duplex", []bool{false, true, false}, archivetest.ChiThi...)
	r.WaitArchived(t, "duplex")
	var d Detail
	getJSON(t, base+"/api/documents/duplex", &d)
	if d.Pages != 2 || !slices.Equal(d.BlankPages, []int{2}) {
		t.Errorf("the document JSON: %d pages, blank pages %v; want 2, [2]", d.Pages, d.BlankPages)
	}
	if page := get(t, base+"/documents/duplex", 200); !strings.Contains(string(page.body), "đã bỏ 1 trang trắng của bản gốc: trang 2") {
		t.Errorf("the document page does not tell of the blank sheet left out:\n%s", mainOf(page.body))
	}
}
