package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/archivetest"
	"github.com/sohoa/sohoa/archive/audit"
	"github.com/sohoa/sohoa/archive/auth"
	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/pipeline"
)

// plain sends requests as they are: no default token, no redirects
// followed.
var plain = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// send makes one request with the headers given and returns the answer
// with its body read.
func send(t *testing.T, method, u, body string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := plain.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

// startRoleSite is a site with one archived document, c1, that has crops,
// and metrics on.
func startRoleSite(t *testing.T, tweak func(*Config)) *site {
	t.Helper()
	s := startSite(t, func(c *Config) {
		c.Metrics = prometheus.NewRegistry()
		if tweak != nil {
			tweak(c)
		}
	})
	s.rig.PageWithBlanks(t, "c1", archivetest.ThongBaoInk, map[string][]byte{pipeline.BlankNumber: archivetest.Crop("12"), pipeline.BlankDay: archivetest.Crop("12")})
	s.rig.WaitArchived(t, "c1")
	return s
}

// TestRoles runs every operation openapi.yaml describes, and every page,
// as no one, a viewer, an archivist and an admin: 401 (the API) or a
// redirect to the login (pages) without an account, 403 for a role below
// the operation's x-sohoa-role, an answer otherwise.
func TestRoles(t *testing.T) {
	s := startRoleSite(t, nil)
	served := map[string]auth.Role{}
	for _, rt := range s.server().routes() {
		served[strings.ToLower(rt.method)+" "+rt.path] = rt.role
	}

	type op struct {
		method, path string
		role         auth.Role
	}
	var ops []op
	for p, item := range obj(loadOpenAPI(t)["paths"]) {
		for m, o := range obj(item) {
			if !slices.Contains(openAPIMethods, m) {
				continue
			}
			name, _ := obj(o)["x-sohoa-role"].(string)
			role := auth.None
			if name != "none" {
				var err error
				if role, err = auth.ParseRole(name); err != nil {
					t.Errorf("%s %s: x-sohoa-role %q: %v", m, p, name, err)
					continue
				}
			}
			if got, ok := served[m+" "+p]; !ok || got != role {
				t.Errorf("%s %s: openapi.yaml says role %v, the server %v (served: %v)", m, p, role, got, ok)
			}
			ops = append(ops, op{strings.ToUpper(m), p, role})
		}
	}
	// The pages, which openapi.yaml does not describe; the login's own
	// routes have tests of their own.
	for _, rt := range s.server().routes() {
		if !isAPI(rt.path) && rt.role != auth.None && rt.path != "/logout" && !strings.HasPrefix(rt.path, "/password") {
			ops = append(ops, op{rt.method, rt.path, rt.role})
		}
	}
	if len(ops) < 15 {
		t.Fatalf("only %d operations to try", len(ops))
	}
	// A hồ sơ for the dossier routes' {id}; their POSTs take JSON.
	dossier, err := s.rig.Archive.CreateDossier(context.Background(), archive.DossierFields{Title: ptr("Hồ sơ thử"), Retention: ptr("10 năm")}, "kiểm thử")
	if err != nil {
		t.Fatal(err)
	}
	fill := strings.NewReplacer("/api/dossiers/{id}", "/api/dossiers/"+dossier.ID,
		"{id}", "c1", "{name}", "number", "{$}", "", "/api/audit", "/api/audit?document=c1")
	jsonBodies := map[string]string{
		"/api/dossiers":                `{"title": "Hồ sơ khác", "retention": "vĩnh viễn"}`,
		"/api/dossiers/{id}/documents": `{"id": "c1"}`,
	}
	callers := []struct {
		name string
		role auth.Role
		hdr  map[string]string
	}{
		{"anonymous", auth.None, nil},
		{"viewer", auth.Viewer, bearer(s.tokens[auth.Viewer])},
		{"archivist", auth.Archivist, bearer(s.tokens[auth.Archivist])},
		{"admin", auth.Admin, bearer(s.tokens[auth.Admin])},
	}
	for _, o := range ops {
		for _, c := range callers {
			u := s.base + fill.Replace(o.path)
			body := ""
			hdr := map[string]string{}
			for k, v := range c.hdr {
				hdr[k] = v
			}
			switch o.method {
			case "PATCH":
				body, hdr["Content-Type"] = `{}`, "application/json" // changes nothing
			case "POST":
				body, hdr["Content-Type"] = "", "application/x-www-form-urlencoded"
			}
			if b, ok := jsonBodies[o.path]; ok {
				body, hdr["Content-Type"] = b, "application/json"
			}
			resp, got := send(t, o.method, u, body, hdr)
			api := isAPI(o.path)
			switch {
			case o.role == auth.None || c.role >= o.role:
				if resp.StatusCode >= 400 {
					t.Errorf("%s %s as %s = %d, want it served: %.200s", o.method, o.path, c.name, resp.StatusCode, got)
				}
			case c.role == auth.None && api:
				if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" || !strings.Contains(got, `"error"`) {
					t.Errorf("%s %s as %s = %d %v, want 401 with WWW-Authenticate", o.method, o.path, c.name, resp.StatusCode, resp.Header)
				}
			case c.role == auth.None:
				if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
					t.Errorf("%s %s as %s = %d %q, want a redirect to the login", o.method, o.path, c.name, resp.StatusCode, loc)
				}
			default:
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s as %s = %d, want 403", o.method, o.path, c.name, resp.StatusCode)
				}
			}
		}
	}
	// A wrong or revoked token is no one, even for a page.
	if resp, _ := send(t, "GET", s.base+"/api/documents", "", bearer("sohoa_not-a-token")); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a made-up token: %d, want 401", resp.StatusCode)
	}
	if err := s.accounts.RevokeToken(testerNames[auth.Viewer]); err != nil {
		t.Fatal(err)
	}
	if resp, _ := send(t, "GET", s.base+"/api/documents", "", bearer(s.tokens[auth.Viewer])); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d, want 401", resp.StatusCode)
	}
}

// server is a Server over nothing, for its route table.
func (s *site) server() *Server { return &Server{gather: prometheus.NewRegistry()} }

// TestForgedRemoteUser: X-Remote-User names the user only from a trusted
// proxy; from anywhere else it is ignored, so a request with it alone is
// no one's, and one with a viewer's token stays the viewer's.
func TestForgedRemoteUser(t *testing.T) {
	s := startRoleSite(t, func(c *Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")} })
	if err := s.accounts.AddUser("Đỗ Quản Trị", auth.Admin, "mật khẩu quản trị", false); err != nil {
		t.Fatal(err)
	}
	if resp, _ := send(t, "GET", s.base+"/api/documents", "", map[string]string{remoteUser: "Đỗ Quản Trị"}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("X-Remote-User from outside the trusted range: %d, want 401", resp.StatusCode)
	}
	if resp, _ := send(t, "GET", s.base+"/review", "", map[string]string{remoteUser: "Đỗ Quản Trị"}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("X-Remote-User from outside the trusted range, a page: %d, want the login", resp.StatusCode)
	}
	hdr := bearer(s.tokens[auth.Viewer])
	hdr[remoteUser], hdr["Content-Type"] = "Đỗ Quản Trị", "application/json"
	if resp, _ := send(t, "PATCH", s.base+"/api/documents/c1", `{"subject": "giả mạo"}`, hdr); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer's token with a forged X-Remote-User corrects: %d, want 403", resp.StatusCode)
	}
}

// TestTrustedProxy: from a trusted proxy, X-Remote-User is the user (their
// role applies, they are the "who"), and state-changing requests need the
// CSRF token of the pages; a user sohoa does not know is no one.
func TestTrustedProxy(t *testing.T) {
	s := startRoleSite(t, func(c *Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} })
	if err := s.accounts.AddUser("Võ Thị Mai", auth.Archivist, "mật khẩu của Mai", false); err != nil {
		t.Fatal(err)
	}
	proxied := map[string]string{remoteUser: "Võ Thị Mai"}
	resp, page := send(t, "GET", s.base+"/documents/c1", "", proxied)
	if resp.StatusCode != 200 || !strings.Contains(page, "Võ Thị Mai") {
		t.Fatalf("the proxy's user on a page: %d", resp.StatusCode)
	}
	if resp, _ := send(t, "GET", s.base+"/api/documents", "", map[string]string{remoteUser: "Người Lạ"}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a proxy's user sohoa does not know: %d, want 401", resp.StatusCode)
	}
	form := url.Values{"subject": {"Về lịch tiếp công dân (sửa qua proxy)"}, "by": {"Kẻ Mạo Danh"}}
	hdr := map[string]string{remoteUser: "Võ Thị Mai", "Content-Type": "application/x-www-form-urlencoded"}
	if resp, _ := send(t, "POST", s.base+"/documents/c1/correct", form.Encode(), hdr); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a proxy user's form without the CSRF token: %d, want 403", resp.StatusCode)
	}
	form.Set(csrfField, csrfOf(t, page))
	if resp, body := send(t, "POST", s.base+"/documents/c1/correct", form.Encode(), hdr); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a proxy user's form with the CSRF token: %d %.300s", resp.StatusCode, body)
	}
	var d Detail
	getJSON(t, s.base+"/api/documents/c1", &d)
	if n := len(d.Corrections); n == 0 || d.Corrections[n-1].By != "Võ Thị Mai" {
		t.Errorf("corrections after the proxy user's: %+v, want the last by Võ Thị Mai", d.Corrections)
	}
	// The audit names the proxy's user, from the address the proxy says.
	hdr["X-Forwarded-For"] = "203.0.113.9, 192.168.1.23"
	send(t, "GET", s.base+"/documents/c1", "", hdr)
	_, body := send(t, "GET", s.base+"/api/audit?document=c1", "", bearer(s.tokens[auth.Admin]))
	if !strings.Contains(body, `"who": "Võ Thị Mai",
      "role": "archivist",
      "via": "proxy",
      "addr": "192.168.1.23"`) {
		t.Errorf("the audit of the proxy user's view:\n%s", body)
	}
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfOf is the CSRF token a page's forms carry.
func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%.600s", mainOf([]byte(page)))
	}
	return m[1]
}

// TestLogin signs in with a password: a session cookie that is Secure,
// HttpOnly and SameSite; state-changing requests with it need the CSRF
// token; signing out ends it; guessing is throttled; a password sohoa made
// must be changed before anything else.
func TestLogin(t *testing.T) {
	s := startRoleSite(t, nil)
	const name, password = "Nguyễn Thị Lan", "mật khẩu đủ dài"
	if err := s.accounts.AddUser(name, auth.Archivist, password, false); err != nil {
		t.Fatal(err)
	}
	formHdr := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	login := func(name, pw string) (*http.Response, string) {
		return send(t, "POST", s.base+"/login", url.Values{"name": {name}, "password": {pw}, "next": {"/documents/c1"}}.Encode(), formHdr)
	}
	resp, page := send(t, "GET", s.base+"/login?next=%2Fdocuments%2Fc1", "", nil)
	if resp.StatusCode != 200 || !strings.Contains(page, "Đăng nhập") || !strings.Contains(page, `value="/documents/c1"`) {
		t.Errorf("login page: %d\n%s", resp.StatusCode, mainOf([]byte(page)))
	}
	if resp, page := login(name, "sai mật khẩu rồi"); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "không đúng") || len(resp.Cookies()) != 0 {
		t.Errorf("a wrong password: %d %v", resp.StatusCode, resp.Cookies())
	}
	resp, _ = login(name, password)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/documents/c1" {
		t.Fatalf("login: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.Secure || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" {
		t.Fatalf("session cookie: %+v", cookie)
	}
	withCookie := func(h map[string]string) map[string]string {
		out := map[string]string{"Cookie": sessionCookie + "=" + cookie.Value}
		for k, v := range h {
			out[k] = v
		}
		return out
	}
	resp, page = send(t, "GET", s.base+"/documents/c1", "", withCookie(nil))
	if resp.StatusCode != 200 || !strings.Contains(page, name) {
		t.Fatalf("a page with the session: %d", resp.StatusCode)
	}
	csrf := csrfOf(t, page)

	// CSRF: the form and the API refuse a state-changing request with the
	// cookie alone, and take it with the token.
	form := url.Values{"subject": {"Về lịch tiếp công dân của Chủ tịch UBND huyện"}}
	if resp, _ := send(t, "POST", s.base+"/documents/c1/correct", form.Encode(), withCookie(formHdr)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a form without the CSRF token: %d, want 403", resp.StatusCode)
	}
	bad := url.Values{"subject": form["subject"], csrfField: {csrf + "x"}}
	if resp, _ := send(t, "POST", s.base+"/documents/c1/correct", bad.Encode(), withCookie(formHdr)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a form with a wrong CSRF token: %d, want 403", resp.StatusCode)
	}
	jsonHdr := withCookie(map[string]string{"Content-Type": "application/json"})
	if resp, _ := send(t, "PATCH", s.base+"/api/documents/c1", `{"note": "x"}`, jsonHdr); resp.StatusCode != http.StatusForbidden {
		t.Errorf("PATCH with the cookie, without X-CSRF-Token: %d, want 403", resp.StatusCode)
	}
	form.Set(csrfField, csrf)
	if resp, body := send(t, "POST", s.base+"/documents/c1/correct", form.Encode(), withCookie(formHdr)); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a form with the CSRF token: %d %.300s", resp.StatusCode, body)
	}
	jsonHdr[csrfHeader] = csrf
	if resp, body := send(t, "PATCH", s.base+"/api/documents/c1", `{"type": "THÔNG BÁO"}`, jsonHdr); resp.StatusCode != 200 || !strings.Contains(body, `"by": "`+name+`"`) {
		t.Errorf("PATCH with the cookie and X-CSRF-Token: %d %.300s", resp.StatusCode, body)
	}

	// Signing out ends the session.
	if resp, _ := send(t, "POST", s.base+"/logout", url.Values{csrfField: {csrf}}.Encode(), withCookie(formHdr)); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("logout: %d", resp.StatusCode)
	}
	if resp, _ := send(t, "GET", s.base+"/documents/c1", "", withCookie(nil)); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a page after signing out: %d, want the login", resp.StatusCode)
	}

	// Guessing: past the free tries, even the right password waits.
	for range 6 {
		login(name, "đoán bừa mật khẩu")
	}
	if resp, page := login(name, "đoán bừa mật khẩu"); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(page, "quá nhiều lần") {
		t.Errorf("a seventh wrong password: %d", resp.StatusCode)
	}
	if resp, _ := login(name, password); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the right password while locked: %d, want 429", resp.StatusCode)
	}

	// A one-time password: the pages send to /password until it is changed.
	first := auth.NewPassword()
	if err := s.accounts.AddUser("Trịnh Mới", auth.Viewer, first, true); err != nil {
		t.Fatal(err)
	}
	resp, _ = send(t, "POST", s.base+"/login", url.Values{"name": {"Trịnh Mới"}, "password": {first}}.Encode(), formHdr)
	if resp.StatusCode == http.StatusTooManyRequests {
		t.Fatal("another user's guesses locked this one out: the address's throttle is as strict as a user's")
	}
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/password" {
		t.Fatalf("login with a one-time password: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	cookie = resp.Cookies()[0]
	if resp, _ := send(t, "GET", s.base+"/", "", withCookie(nil)); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/password" {
		t.Errorf("search before changing the one-time password: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = send(t, "GET", s.base+"/password", "", withCookie(nil))
	change := url.Values{"current": {first}, "new": {"mật khẩu riêng của tôi"}, "again": {"mật khẩu riêng của tôi"}, csrfField: {csrfOf(t, page)}}
	resp, _ = send(t, "POST", s.base+"/password", change.Encode(), withCookie(formHdr))
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) == 0 {
		t.Fatalf("changing the password: %d", resp.StatusCode)
	}
	cookie = resp.Cookies()[0]
	if resp, _ := send(t, "GET", s.base+"/", "", withCookie(nil)); resp.StatusCode != 200 {
		t.Errorf("search after changing the password: %d", resp.StatusCode)
	}
}

// TestHardening: the headers every answer carries, the Host allowlist,
// and the bounds on what a request may send.
func TestHardening(t *testing.T) {
	s := startRoleSite(t, func(c *Config) { c.AllowedHosts = []string{"127.0.0.1", "luutru.ubnd.example"} })
	tok := bearer(s.tokens[auth.Viewer])
	for _, u := range []string{"/", "/api/documents", "/login", "/api/documents/c1/pdf"} {
		resp, _ := send(t, "GET", s.base+u, "", tok)
		csp := resp.Header.Get("Content-Security-Policy")
		want := "frame-ancestors 'none'"
		if strings.HasSuffix(u, "/pdf") {
			want = "frame-ancestors 'self'" // the document pages frame it
		}
		if resp.StatusCode != 200 || !strings.Contains(csp, want) || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: %d, CSP %q, nosniff %q", u, resp.StatusCode, csp, resp.Header.Get("X-Content-Type-Options"))
		}
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") && (!strings.Contains(csp, "script-src 'nonce-") || strings.Contains(csp, "unsafe-inline")) {
			t.Errorf("GET %s: a page's CSP allows inline scripts: %q", u, csp)
		}
	}
	host := func(h string) map[string]string {
		m := bearer(s.tokens[auth.Viewer])
		m["Host"] = h
		return m
	}
	if resp, _ := send(t, "GET", s.base+"/api/documents", "", host("luutru.ubnd.example")); resp.StatusCode != 200 {
		t.Errorf("an allowed host: %d", resp.StatusCode)
	}
	if resp, _ := send(t, "GET", s.base+"/api/documents", "", host("rebind.attacker.example")); resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("a host not allowed: %d, want 421", resp.StatusCode)
	}
	if resp, _ := send(t, "GET", s.base+"/api/documents?q="+strings.Repeat("a", maxQuery), "", tok); resp.StatusCode != http.StatusRequestURITooLong {
		t.Errorf("a long query: %d, want 414", resp.StatusCode)
	}
	big := bearer(s.tokens[auth.Archivist])
	big["Content-Type"] = "application/json"
	if resp, _ := send(t, "PATCH", s.base+"/api/documents/c1", `{"note": "`+strings.Repeat("x", maxBody)+`"}`, big); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over the limit: %d, want 413", resp.StatusCode)
	}
	var list List
	if code := getJSON(t, s.base+"/api/documents?limit=100000&offset=99999999", &list); code != 200 || len(list.Documents) != 0 {
		t.Errorf("limit and offset past their bounds: %d %+v", code, list)
	}
}

// TestAuditTrail: the admin's audit of a document names who viewed,
// downloaded and corrected it, and nobody else may read it.
func TestAuditTrail(t *testing.T) {
	s := startRoleSite(t, nil)
	viewer, archivist, admin := bearer(s.tokens[auth.Viewer]), bearer(s.tokens[auth.Archivist]), bearer(s.tokens[auth.Admin])
	send(t, "GET", s.base+"/api/documents?q=ti%E1%BA%BFp+c%C3%B4ng+d%C3%A2n", "", viewer)
	send(t, "GET", s.base+"/api/documents/c1", "", viewer)
	send(t, "GET", s.base+"/api/documents/c1/pdf", "", viewer)
	archivist["Content-Type"] = "application/json"
	if resp, body := send(t, "PATCH", s.base+"/api/documents/c1", `{"subject": "Về lịch tiếp công dân"}`, archivist); resp.StatusCode != 200 {
		t.Fatalf("correction: %d %s", resp.StatusCode, body)
	}
	for _, who := range []map[string]string{viewer, archivist} {
		if resp, _ := send(t, "GET", s.base+"/api/audit?document=c1", "", who); resp.StatusCode != http.StatusForbidden {
			t.Errorf("the audit read by %s: %d, want 403", who["Authorization"][:14], resp.StatusCode)
		}
	}
	resp, body := send(t, "GET", s.base+"/api/audit?document=c1", "", admin)
	var got struct{ Entries []audit.Entry }
	if err := json.Unmarshal([]byte(body), &got); resp.StatusCode != 200 || err != nil {
		t.Fatalf("audit: %d %v %s", resp.StatusCode, err, body)
	}
	var seen []string
	for _, e := range got.Entries {
		seen = append(seen, e.Action+" "+e.Detail+" by "+e.Who+" ("+e.Role+", "+e.Via+")")
	}
	want := []string{
		"view  by Trần Văn Xem (viewer, token)",
		"download pdf by Trần Văn Xem (viewer, token)",
		"correct version 2 by Lê Thị Hoa (archivist, token)",
	}
	if !slices.Equal(seen, want) {
		t.Errorf("audit of c1:\n%s\nwant\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
	}
	resp, page := send(t, "GET", s.base+"/documents/c1/audit", "", admin)
	if resp.StatusCode != 200 || !strings.Contains(page, "Trần Văn Xem") || !strings.Contains(page, "Tải về") || !strings.Contains(page, "Lê Thị Hoa") {
		t.Errorf("the audit page: %d\n%s", resp.StatusCode, mainOf([]byte(page)))
	}
	// In all: the three tokens' creation (startSite's), the search, and the
	// three above.
	poll.Until(t, 10*time.Second, func() error {
		n, problems, err := audit.Verify(context.Background(), s.rig.Store)
		if err != nil || len(problems) > 0 || n != 7 {
			return fmt.Errorf("the chain: %d entries, %v, %v; want 7, intact", n, problems, err)
		}
		return nil
	})
}

func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{
		"/documents/a1?x=1":     "/documents/a1?x=1",
		"":                      "/",
		"https://evil.example/": "/",
		"//evil.example":        "/",
		"/\\evil.example":       "/",
		"/\t/evil.example":      "/",
		"/login?next=/":         "/",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}
