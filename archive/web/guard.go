package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/sohoa/sohoa/archive/auth"
)

// Who may do what: every route names the least role it needs (auth.None:
// anyone, only /healthz and the login). A request is recognised, in this
// order, by
//
//   - an "Authorization: Bearer TOKEN" header: a token of the accounts
//     file (a wrong one is 401, whatever else the request carries);
//   - an X-Remote-User header, only from an address in
//     Config.TrustedProxies, naming a user of the accounts file (its role
//     applies; a proxy's user that sohoa does not know is no one); the
//     header from anywhere else is ignored;
//   - the session cookie a sign-in at /login set.
//
// Without one the API answers 401 and the pages send the browser to the
// login; with a role too low, 403. A state-changing request (anything but
// GET and HEAD) recognised by its cookie or by the proxy must carry the
// CSRF token the pages put in their forms (field csrf, or header
// X-CSRF-Token); tokens need none (a browser never sends one on its own).

// remoteUser is the header an authenticating reverse proxy sets to the
// signed-in user.
const remoteUser = "X-Remote-User"

// sessionCookie is the name of the sign-in cookie. The __Host- prefix makes
// the browser keep it only when it is Secure, for this host alone, on /.
const sessionCookie = "__Host-sohoa"

// csrfField is the forms' field (and csrfHeader the header) that carries
// the CSRF token.
const (
	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
)

// caller is who makes a request, as guard recognised them.
type caller struct {
	auth.Identity
	session   string // the session cookie's value, when signed in with one
	csrf      string // the token state-changing requests must carry
	mustReset bool   // signed in with a password sohoa made: change it first
}

type callerKey struct{}

// callerOf is the request's caller (the zero caller: no one).
func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(callerKey{}).(caller)
	return c
}

// errBadCredentials: a request that sent a token or cookie that is not
// (or no longer) valid.
var errBadCredentials = errors.New("bad credentials")

// identify recognises the caller of r.
func (s *Server) identify(r *http.Request) (caller, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return caller{}, errBadCredentials
		}
		id, err := s.accounts.TokenIdentity(strings.TrimSpace(tok))
		if err != nil {
			return caller{}, errBadCredentials
		}
		return caller{Identity: id}, nil
	}
	if name := r.Header.Get(remoteUser); name != "" && s.fromTrustedProxy(r) {
		u, ok, err := s.accounts.User(name)
		if err != nil {
			return caller{}, err
		}
		if !ok || u.Disabled {
			return caller{}, nil
		}
		return caller{Identity: auth.Identity{Name: u.Name, Role: u.Role, Kind: "proxy"}, csrf: s.proxyCSRF(u.Name)}, nil
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		sess, ok := s.sessions.Get(c.Value)
		if !ok {
			return caller{}, nil
		}
		u, ok, err := s.accounts.SessionUser(sess)
		if err != nil || !ok {
			s.sessions.End(c.Value)
			return caller{}, err
		}
		return caller{Identity: auth.Identity{Name: u.Name, Role: u.Role, Kind: "user"}, session: c.Value, csrf: sess.CSRF, mustReset: u.MustChange}, nil
	}
	return caller{}, nil
}

// proxyCSRF is the CSRF token of a proxy's user: there is no session to
// keep one in, so it is derived from the name with this process's key.
func (s *Server) proxyCSRF(name string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte("proxy\x00" + name))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func newKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // crypto/rand does not fail on Linux
	return k
}

// peerAddr is the address the connection came from (the proxy's, behind
// one).
func peerAddr(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

// clientAddr is the address of the client, for the audit and the login's
// throttle: the peer's, or, from a trusted proxy, the last address its
// X-Forwarded-For gives (the one the proxy itself added).
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	peer := peerAddr(r)
	if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 && s.fromTrustedProxy(r) {
		parts := strings.Split(xff[len(xff)-1], ",")
		if a, err := netip.ParseAddr(strings.TrimSpace(parts[len(parts)-1])); err == nil {
			return a.Unmap()
		}
	}
	return peer
}

func (s *Server) fromTrustedProxy(r *http.Request) bool {
	a := peerAddr(r)
	return a.IsValid() && slices.ContainsFunc(s.trusted, func(p netip.Prefix) bool { return p.Contains(a) })
}

// isAPI tells the routes that answer programs (JSON, 401) from the pages
// people read (HTML, a redirect to the login).
func isAPI(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/metrics" || path == "/healthz"
}

// guard lets a request through to rt's handler only from a caller whose
// role reaches rt's.
func (s *Server) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.identify(r)
		if err != nil && !errors.Is(err, errBadCredentials) {
			s.fail(w, err)
			return
		}
		if rt.role == auth.None {
			rt.h(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
			return
		}
		api := isAPI(rt.path)
		switch {
		case c.Role == auth.None && api:
			w.Header().Set("WWW-Authenticate", `Bearer realm="sohoa"`)
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "Cần đăng nhập: gửi Authorization: Bearer TOKEN (authentication required)"})
			return
		case c.Role == auth.None:
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		case c.mustReset && rt.path != "/password" && rt.path != "/logout":
			if api {
				writeJSON(w, http.StatusForbidden, map[string]string{"error": "Hãy đổi mật khẩu trước (change the password first, at /password)"})
				return
			}
			http.Redirect(w, r, "/password", http.StatusSeeOther)
			return
		case !c.Can(rt.role):
			msg := "Tài khoản " + c.Name + " (" + c.Role.Vietnamese() + ") không có quyền này; cần quyền " + rt.role.Vietnamese() + " (forbidden: needs " + rt.role.String() + ")"
			if api {
				writeJSON(w, http.StatusForbidden, map[string]string{"error": msg})
			} else {
				s.failPage(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)), statusError{http.StatusForbidden, msg})
			}
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && c.Kind != "token" && !s.csrfOK(r, c) {
			const msg = "Yêu cầu thiếu mã chống giả mạo (CSRF); hãy tải lại trang rồi thử lại (missing or wrong CSRF token)"
			if api {
				writeJSON(w, http.StatusForbidden, map[string]string{"error": msg})
			} else {
				s.failPage(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)), statusError{http.StatusForbidden, msg})
			}
			return
		}
		if rt.record != "" {
			if err := s.recordRoute(r, c, rt); err != nil {
				if api {
					s.fail(w, err)
				} else {
					s.failPage(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)), err)
				}
				return
			}
		}
		rt.h(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
	})
}

// csrfOK reports whether a state-changing request carries its caller's
// CSRF token.
func (s *Server) csrfOK(r *http.Request, c caller) bool {
	got := r.Header.Get(csrfHeader)
	if got == "" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if err := r.ParseForm(); err != nil {
			return false
		}
		got = r.PostForm.Get(csrfField)
	}
	return c.csrf != "" && subtle.ConstantTimeCompare([]byte(got), []byte(c.csrf)) == 1
}

// statusError is an error with the HTTP status and message for people it
// calls for.
type statusError struct {
	status int
	msg    string
}

func (e statusError) Error() string { return e.msg }

// Limits on what a request may send.
const (
	maxBody     = 1 << 20 // bytes of a body (a correction, a form)
	maxQuery    = 2048    // bytes of the query string
	maxPath     = 1024    // bytes of the path
	maxHeader   = 32 << 10
	maxOffset   = 10_000 // of a search: deeper pages are not for people
	maxLimit    = 1000   // documents in one answer
	pdfFraming  = "frame-ancestors 'self'"
	apiPolicy   = "default-src 'none'; frame-ancestors 'none'"
	pagesPolicy = "default-src 'self'; script-src 'nonce-%[1]s'; style-src 'nonce-%[1]s'; img-src 'self' data:; " +
		"frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

// harden is what every request goes through before its route: a Host
// that is one of ours, bounded sizes, and headers that keep browsers from
// framing, sniffing or leaking.
func (s *Server) harden(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", apiPolicy) // pages and PDFs set their own
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		if !s.hostAllowed(r.Host) {
			http.Error(w, "Tên máy chủ không được phép (host not allowed: add it with --allow-host)", http.StatusMisdirectedRequest)
			return
		}
		if len(r.URL.RawQuery) > maxQuery || len(r.URL.EscapedPath()) > maxPath {
			http.Error(w, "Địa chỉ quá dài (URI too long)", http.StatusRequestURITooLong)
			return
		}
		if r.ContentLength > maxBody {
			http.Error(w, "Nội dung quá lớn (request body too large)", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		next.ServeHTTP(w, r)
	})
}

// hostAllowed reports whether a request's Host is one this server answers
// as (an empty allowlist allows any).
func (s *Server) hostAllowed(hostport string) bool {
	if len(s.hosts) == 0 {
		return true
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	return slices.Contains(s.hosts, host)
}

// normalHosts lowers and trims an allowlist's names.
func normalHosts(hosts []string) []string {
	var out []string
	for _, h := range hosts {
		if h = strings.TrimSuffix(strings.ToLower(strings.Trim(strings.TrimSpace(h), "[]")), "."); h != "" {
			out = append(out, h)
		}
	}
	return out
}
