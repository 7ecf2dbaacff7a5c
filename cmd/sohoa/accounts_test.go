package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sohoa/sohoa/internal/poll"
)

// TestAccountsCLI runs the accounts as an operator does: a token made
// while serve is stopped, the first admin's one-time password printed by
// serve (and in no log), users and tokens added, revoked and disabled
// while serve runs, each taking effect at the next request.
func TestAccountsCLI(t *testing.T) {
	data, addr := t.TempDir(), freeAddr(t)
	base := "http://" + addr
	sohoa := func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.Command(sohoaBinary(t), args...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("sohoa %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	lastLine := func(s string) string {
		lines := strings.Split(strings.TrimSpace(s), "\n")
		return strings.TrimSpace(lines[len(lines)-1])
	}
	viewer := lastLine(sohoa("", "token", "create", "--data", data, "--role", "viewer", "--name", "e-office"))

	p := startProc(t, "serve", nil, "serve", "--data", data, "--http", addr, "--workers", "1", "--log", "json")
	waitHealthy(t, base, p)
	out, _ := os.ReadFile(p.out)
	m := regexp.MustCompile(`one-time password, change it at the first sign-in\): (\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("serve printed no one-time password for the first admin:\n%s", out)
	}
	adminPassword := string(m[1])
	// The banner's commands can be pasted as they are: the binary as it was run.
	for _, cmd := range []string{sohoaBinary(t) + " user add --data " + data + " --role archivist", sohoaBinary(t) + " token create --data " + data} {
		if !strings.Contains(string(out), cmd) {
			t.Errorf("serve's banner does not show %q:\n%s", cmd, out)
		}
	}
	if fi, err := os.Stat(filepath.Join(data, "accounts.json")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("accounts.json: %v %v, want mode 0600", fi.Mode(), err)
	}

	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	login := func(name, password string) *http.Response {
		t.Helper()
		resp, err := browser.PostForm(base+"/login", url.Values{"name": {name}, "password": {password}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	as := func(method, path, token, body string) int {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}

	if resp := login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/password" {
		t.Errorf("the first admin's sign-in: %d %q, want on to /password", resp.StatusCode, resp.Header.Get("Location"))
	}
	if code := as("GET", "/api/documents", viewer, ""); code != 200 {
		t.Errorf("the viewer token made while serve was stopped: %d", code)
	}
	if code := as("PATCH", "/api/documents/x", viewer, `{}`); code != http.StatusForbidden {
		t.Errorf("the viewer token corrects: %d, want 403", code)
	}
	if resp, err := http.Get(base + "/api/documents"); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the API without a token: %v %v, want 401", resp.Status, err)
	}

	// While serve runs.
	sohoa("mật khẩu của chị Lan\n", "user", "add", "--data", data, "--role", "archivist", "--password-stdin", "Nguyễn Thị Lan")
	if resp := login("Nguyễn Thị Lan", "mật khẩu của chị Lan"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Errorf("a user added while serve runs: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	reset := lastLine(sohoa("", "user", "passwd", "--data", data, "Nguyễn Thị Lan"))
	if resp := login("Nguyễn Thị Lan", reset); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/password" {
		t.Errorf("a reset password: %d %q, want on to /password", resp.StatusCode, resp.Header.Get("Location"))
	}
	sohoa("", "user", "disable", "--data", data, "Nguyễn Thị Lan")
	if resp := login("Nguyễn Thị Lan", reset); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a disabled user signs in: %d", resp.StatusCode)
	}
	sohoa("", "token", "revoke", "--data", data, "--name", "e-office")
	if code := as("GET", "/api/documents", viewer, ""); code != http.StatusUnauthorized {
		t.Errorf("a token revoked while serve runs: %d, want 401", code)
	}
	if list := sohoa("", "token", "list", "--data", data); !regexp.MustCompile(`e-office\s+viewer\s+\S+ \S+\s+\d{4}-`).MatchString(list) {
		t.Errorf("token list does not show e-office revoked:\n%s", list)
	}
	if list := sohoa("", "user", "list", "--data", data); !strings.Contains(list, "Nguyễn Thị Lan") || !strings.Contains(list, "disabled") {
		t.Errorf("user list:\n%s", list)
	}

	// No secret in the log.
	var log []byte
	poll.Until(t, 5*time.Second, func() error {
		log, _ = os.ReadFile(p.log)
		if !strings.Contains(string(log), "login refused") {
			return os.ErrNotExist // the refused login not logged yet
		}
		return nil
	})
	for _, secret := range []string{adminPassword, viewer, reset, "mật khẩu của chị Lan"} {
		if strings.Contains(string(log), secret) {
			t.Errorf("the log holds a secret (%.6s…)", secret)
		}
	}

	// The account changes are in the audit, made by whom: those made while
	// serve was stopped (the token) and while it ran.
	auditDir := filepath.Join(data, "s3", "data", defaultArchiveBucket, "audit")
	poll.Until(t, 20*time.Second, func() error {
		var all []byte
		entries, _ := filepath.Glob(filepath.Join(auditDir, "*.audit"))
		for _, e := range entries {
			b, _ := os.ReadFile(e)
			all = append(all, b...)
		}
		for _, want := range []string{
			`"action":"account","detail":"token-create e-office (viewer)"`,
			`"action":"account","detail":"user-add admin (admin)"`,
			`"action":"account","detail":"user-add Nguyễn Thị Lan (archivist)"`,
			`"action":"account","detail":"user-disable Nguyễn Thị Lan (archivist)"`,
			`"action":"account","detail":"token-revoke e-office (viewer)"`,
		} {
			if !strings.Contains(string(all), want) {
				return fmt.Errorf("no %s in the audit", want)
			}
		}
		if !strings.Contains(string(all), `, sohoa token create","action":"account","detail":"token-create e-office`) {
			return fmt.Errorf("the token's creation is not said to be by the command")
		}
		return nil
	})

	// The audit: its chain verifies; an entry changed on disk breaks it.
	p.stop(syscall.SIGTERM)
	if out, err := exec.Command(sohoaBinary(t), "verify", "--data", data).CombinedOutput(); err != nil || !regexp.MustCompile(`audit \(\d+ entries\): OK`).Match(out) {
		t.Fatalf("verify after serve: %v\n%s", err, out)
	}
	entries, _ := filepath.Glob(filepath.Join(auditDir, "*.audit"))
	if len(entries) < 3 {
		t.Fatalf("%d audit entries on disk, want the sign-ins and the searches", len(entries))
	}
	first, err := os.ReadFile(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	forged := strings.Replace(string(first), `"who":"`, `"who":"ai đó thay `, 1)
	if forged == string(first) {
		t.Fatalf("the first entry has no who: %s", first)
	}
	if err := os.WriteFile(entries[0], []byte(forged), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = exec.Command(sohoaBinary(t), "verify", "--data", data).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "entry 1") {
		t.Errorf("verify after an audit entry was changed: %v\n%s", err, out)
	}
}
