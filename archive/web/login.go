package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/sohoa/sohoa/archive/audit"
	"github.com/sohoa/sohoa/archive/auth"
)

// The login, the sign-out and the change of one's own password:
//
//	GET  /login     the form (?next= where to go after)
//	POST /login     name and password; a session cookie and on to next
//	POST /logout    ends the session
//	GET  /password  the form to change one's password (first, after a
//	                password sohoa made)
//	POST /password  current and new password

// safeNext is where to send the browser after the login: a path of this
// site, never another site ("//evil", "/\evil", "/\t/evil").
func safeNext(next string) string {
	odd := func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' } // browsers drop tabs: "/\t/evil"
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsFunc(next, odd) || strings.HasPrefix(next, "/login") {
		return "/"
	}
	return next
}

func (s *Server) pageLogin(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if c := callerOf(r); c.Kind == "user" && !c.mustReset {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, "", next, "")
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, name, next, problem string) {
	render(w, status, "login.html", map[string]any{"Nav": s.bareNav(r, "Đăng nhập"), "Name": name, "Next": next, "Problem": problem})
}

func (s *Server) postLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Biểu mẫu không hợp lệ (bad form)", http.StatusBadRequest)
		return
	}
	name, password := strings.TrimSpace(r.PostForm.Get("name")), r.PostForm.Get("password")
	next := safeNext(r.PostForm.Get("next"))
	user, addr := "user:"+strings.ToLower(name), "addr:"+s.clientAddr(r).String()
	if wait := max(s.throttle.Wait(user), s.addrThrottle.Wait(addr)); wait > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		s.renderLogin(w, r, http.StatusTooManyRequests, name, next,
			fmt.Sprintf("Đăng nhập sai quá nhiều lần. Hãy thử lại sau %s.", vnDuration(wait)))
		return
	}
	u, err := s.accounts.Login(name, password)
	if errors.Is(err, auth.ErrBadLogin) {
		s.throttle.Fail(user)
		s.addrThrottle.Fail(addr)
		if err := s.record(r, caller{Identity: auth.Identity{Name: name}}, audit.LoginFailed, "", ""); err != nil {
			s.failPage(w, r, err)
			return
		}
		s.log.Warn("login refused", "user", name, "addr", s.clientAddr(r).String())
		s.renderLogin(w, r, http.StatusUnauthorized, name, next, "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa.")
		return
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if err := s.record(r, caller{Identity: auth.Identity{Name: u.Name, Role: u.Role, Kind: "user"}}, audit.Login, "", ""); err != nil {
		s.failPage(w, r, err)
		return
	}
	s.throttle.Succeed(user)
	s.log.Info("login", "user", u.Name, "role", u.Role.String(), "addr", s.clientAddr(r).String())
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.sessions.End(c.Value) // a new session id at every sign-in
	}
	s.startSession(w, u)
	if u.MustChange {
		next = "/password"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) startSession(w http.ResponseWriter, u auth.User) {
	id, _ := s.sessions.New(u)
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: id, Path: "/", MaxAge: int(s.sessions.Max.Seconds()),
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) postLogout(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if err := s.record(r, c, audit.Logout, "", ""); err != nil {
		s.failPage(w, r, err)
		return
	}
	if c.session != "" {
		s.sessions.End(c.session)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (s *Server) pagePassword(w http.ResponseWriter, r *http.Request) {
	s.renderPassword(w, r, http.StatusOK, "")
}

func (s *Server) renderPassword(w http.ResponseWriter, r *http.Request, status int, problem string) {
	c := callerOf(r)
	if c.Kind != "user" {
		s.failPage(w, r, statusError{http.StatusBadRequest, "Tài khoản này không đăng nhập bằng mật khẩu của sohoa (signed in by a token or a proxy)."})
		return
	}
	render(w, status, "password.html", map[string]any{"Nav": s.bareNav(r, "Đổi mật khẩu"), "Must": c.mustReset, "Problem": problem, "Min": auth.MinPassword})
}

func (s *Server) postPassword(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if c.Kind != "user" {
		s.renderPassword(w, r, http.StatusBadRequest, "")
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Biểu mẫu không hợp lệ (bad form)", http.StatusBadRequest)
		return
	}
	old, pw, again := r.PostForm.Get("current"), r.PostForm.Get("new"), r.PostForm.Get("again")
	keys := []string{"user:" + strings.ToLower(c.Name)}
	if wait := s.throttle.Wait(keys...); wait > 0 {
		s.renderPassword(w, r, http.StatusTooManyRequests, fmt.Sprintf("Nhập sai quá nhiều lần. Hãy thử lại sau %s.", vnDuration(wait)))
		return
	}
	if _, err := s.accounts.Login(c.Name, old); err != nil {
		s.throttle.Fail(keys...)
		s.renderPassword(w, r, http.StatusUnauthorized, "Mật khẩu hiện tại không đúng.")
		return
	}
	switch {
	case pw != again:
		s.renderPassword(w, r, http.StatusBadRequest, "Hai lần nhập mật khẩu mới không giống nhau.")
		return
	case pw == old:
		s.renderPassword(w, r, http.StatusBadRequest, "Mật khẩu mới phải khác mật khẩu cũ.")
		return
	}
	err := s.accounts.ChangeOwnPassword(c.Name, pw) // the journal puts it in the audit
	if errors.Is(err, auth.ErrWeakPassword) {
		s.renderPassword(w, r, http.StatusBadRequest, fmt.Sprintf("Mật khẩu mới phải có ít nhất %d ký tự.", auth.MinPassword))
		return
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.log.Info("password changed", "user", c.Name)
	s.sessions.End(c.session)
	u, ok, err := s.accounts.User(c.Name)
	if err != nil || !ok {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	s.startSession(w, u)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// vnDuration is a wait as people read it: "45 giây", "3 phút".
func vnDuration(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d giây", int(d.Seconds())+1)
	}
	return fmt.Sprintf("%d phút", int(d.Minutes()+0.999))
}
