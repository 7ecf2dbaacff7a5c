package auth

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", FileName)
	server, err := Open(path) // as serve holds it
	if err != nil {
		t.Fatal(err)
	}
	cli, err := Open(path) // as `sohoa user` opens it, serve running
	if err != nil {
		t.Fatal(err)
	}
	cli.Actor = "root (sohoa user add)"
	if err := cli.AddUser("Nguyễn Thị Lan", Archivist, "mật-khẩu-dài-đủ", false); err != nil {
		t.Fatal(err)
	}
	secret, err := cli.CreateToken("e-office", Viewer)
	if err != nil {
		t.Fatal(err)
	}

	// The file: 0600, no password, no token in it.
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("accounts file mode %v, want 0600", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "mật-khẩu-dài-đủ") || strings.Contains(string(data), secret) || !strings.Contains(string(data), "$argon2id$") {
		t.Errorf("accounts file keeps a secret in clear or no argon2id hash:\n%s", data)
	}

	// The server sees what the CLI wrote.
	u, err := server.Login("Nguyễn Thị Lan", "mật-khẩu-dài-đủ")
	if err != nil || u.Role != Archivist {
		t.Fatalf("login: %+v, %v", u, err)
	}
	if id, err := server.TokenIdentity(secret); err != nil || id != (Identity{Name: "e-office", Role: Viewer, Kind: "token"}) {
		t.Errorf("token identity: %+v, %v", id, err)
	}
	for _, c := range []struct{ name, pw string }{
		{"Nguyễn Thị Lan", "sai-mật-khẩu-rồi"}, {"ai-đó", "mật-khẩu-dài-đủ"}, {"Nguyễn Thị Lan", ""},
	} {
		if _, err := server.Login(c.name, c.pw); !errors.Is(err, ErrBadLogin) {
			t.Errorf("login %q/%q: %v, want ErrBadLogin", c.name, c.pw, err)
		}
	}
	if _, err := server.TokenIdentity(secret + "x"); !errors.Is(err, ErrBadToken) {
		t.Errorf("a wrong token: %v", err)
	}

	// Names are unique across users and tokens; bad names, roles and short
	// passwords are refused.
	if err := cli.AddUser("e-office", Viewer, "mật-khẩu-dài-đủ", false); !errors.Is(err, ErrExists) {
		t.Errorf("a user named as a token: %v", err)
	}
	if _, err := cli.CreateToken("nguyễn thị lan", Viewer); !errors.Is(err, ErrExists) {
		t.Errorf("a token named as a user (other case): %v", err)
	}
	if err := cli.AddUser("x\ny", Viewer, "mật-khẩu-dài-đủ", false); !errors.Is(err, ErrBadName) {
		t.Errorf("a name with a newline: %v", err)
	}
	if err := cli.AddUser("ngắn", Viewer, "ngắn", false); !errors.Is(err, ErrWeakPassword) {
		t.Errorf("a short password: %v", err)
	}
	if _, err := cli.CreateToken("t", None); !errors.Is(err, ErrBadRole) {
		t.Errorf("a token without a role: %v", err)
	}

	// A session ends when the password changes or the user is disabled.
	ss := NewSessions()
	id, sess := ss.New(u)
	got, ok := ss.Get(id)
	if !ok || got.User != u.Name || got.CSRF == "" {
		t.Fatalf("session: %+v %v", got, ok)
	}
	if _, ok, _ := server.SessionUser(got); !ok {
		t.Error("a fresh session is not valid")
	}
	if err := cli.SetPassword(u.Name, "mật-khẩu-mới-dài", false); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := server.SessionUser(sess); ok {
		t.Error("a session outlived a password change")
	}
	if _, err := server.Login(u.Name, "mật-khẩu-dài-đủ"); !errors.Is(err, ErrBadLogin) {
		t.Errorf("the old password after a change: %v", err)
	}
	u, _ = server.Login(u.Name, "mật-khẩu-mới-dài")
	_, sess = ss.New(u)
	if err := cli.Disable(u.Name); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := server.SessionUser(sess); ok {
		t.Error("a session outlived disabling")
	}
	if _, err := server.Login(u.Name, "mật-khẩu-mới-dài"); !errors.Is(err, ErrBadLogin) {
		t.Errorf("a disabled user logs in: %v", err)
	}
	ss.End(id)
	if _, ok := ss.Get(id); ok {
		t.Error("a session outlived sign-out")
	}

	// Revoked tokens stop working; their names stay taken.
	if err := cli.RevokeToken("e-office"); err != nil {
		t.Fatal(err)
	}
	if _, err := server.TokenIdentity(secret); !errors.Is(err, ErrBadToken) {
		t.Errorf("a revoked token: %v", err)
	}
	if _, err := cli.CreateToken("e-office", Viewer); !errors.Is(err, ErrExists) {
		t.Errorf("a revoked token's name taken again: %v", err)
	}

	// Every change waits in the journal until a server records it: a
	// failed recording keeps them, a good one takes them.
	var journal []string
	if err := server.Drain(func(cs []Change) error { return errors.New("S3 down") }); err == nil {
		t.Error("Drain hid the recorder's error")
	}
	if err := server.Drain(func(cs []Change) error {
		for _, c := range cs {
			journal = append(journal, c.Action+" "+c.Name+" "+c.Role.String()+" by "+c.By)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"user-add Nguyễn Thị Lan archivist by root (sohoa user add)",
		"token-create e-office viewer by root (sohoa user add)",
		"user-passwd Nguyễn Thị Lan archivist by root (sohoa user add)",
		"user-disable Nguyễn Thị Lan archivist by root (sohoa user add)",
		"token-revoke e-office viewer by root (sohoa user add)",
	}
	if strings.Join(journal, "\n") != strings.Join(want, "\n") {
		t.Errorf("journal:\n%s\nwant\n%s", strings.Join(journal, "\n"), strings.Join(want, "\n"))
	}
	if err := server.Drain(func(cs []Change) error { t.Errorf("drained again: %v", cs); return nil }); err != nil {
		t.Fatal(err)
	}
}

// TestStoreConcurrentWriters: writers in parallel (the CLI while serve
// adds its first admin) lose nothing.
func TestStoreConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(path)
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := s.CreateToken("t"+string(rune('a'+i)), Viewer); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	s, _ := Open(path)
	ts, err := s.Tokens()
	if err != nil || len(ts) != 8 {
		t.Errorf("%d tokens after 8 parallel writers, %v", len(ts), err)
	}
}

func TestEnsureAdmin(t *testing.T) {
	s, _ := Open(filepath.Join(t.TempDir(), FileName))
	if _, err := s.CreateToken("acceptance", Admin); err != nil { // a token is not an admin who can sign in
		t.Fatal(err)
	}
	added, err := s.EnsureAdmin("admin", NewPassword(), true)
	if err != nil || !added {
		t.Fatalf("first start: added %v, %v", added, err)
	}
	if added, err := s.EnsureAdmin("admin", NewPassword(), true); err != nil || added {
		t.Errorf("second start: added %v, %v", added, err)
	}
	if u, ok, _ := s.User("admin"); !ok || !u.MustChange || u.Role != Admin {
		t.Errorf("first admin: %+v", u)
	}
}

func TestThrottle(t *testing.T) {
	th := NewThrottle()
	th.Free, th.Base = 2, time.Minute
	for range 2 {
		th.Fail("user:lan", "ip:10.0.0.9")
	}
	if w := th.Wait("user:lan"); w != 0 {
		t.Errorf("locked after the free failures: %v", w)
	}
	th.Fail("user:lan", "ip:10.0.0.9")
	if w := th.Wait("user:lan"); w < 50*time.Second || w > time.Minute {
		t.Errorf("after one failure too many: wait %v, want about a minute", w)
	}
	th.Fail("user:lan")
	if w := th.Wait("user:lan"); w < 110*time.Second {
		t.Errorf("after two too many: wait %v, want about two minutes", w)
	}
	if w := th.Wait("ip:10.0.0.9", "user:other"); w == 0 {
		t.Error("the address is not locked with the user")
	}
	th.Succeed("user:lan")
	if w := th.Wait("user:lan"); w != 0 {
		t.Errorf("locked after a success: %v", w)
	}
}

func TestRoles(t *testing.T) {
	for _, r := range []Role{Viewer, Archivist, Admin} {
		got, err := ParseRole(r.String())
		if err != nil || got != r {
			t.Errorf("ParseRole(%q) = %v, %v", r.String(), got, err)
		}
	}
	if _, err := ParseRole("none"); !errors.Is(err, ErrBadRole) {
		t.Errorf("ParseRole(none): %v", err)
	}
	if !(Identity{Role: Admin}).Can(Archivist) || (Identity{Role: Viewer}).Can(Archivist) {
		t.Error("roles are not ordered viewer < archivist < admin")
	}
}

// TestStoreOwner: root writing the file (an operator's sudo) leaves it
// owned by whoever owns the data folder, the service's user.
func TestStoreOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, as an operator's sudo")
	}
	dir := t.TempDir()
	if err := os.Chown(dir, 4242, 4343); err != nil {
		t.Fatal(err)
	}
	s, _ := Open(filepath.Join(dir, FileName))
	if _, err := s.CreateToken("e-office", Viewer); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{FileName, FileName + ".lock"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if st := fi.Sys().(*syscall.Stat_t); st.Uid != 4242 || st.Gid != 4343 {
			t.Errorf("%s owned by %d:%d, want the folder's 4242:4343", name, st.Uid, st.Gid)
		}
	}
}
