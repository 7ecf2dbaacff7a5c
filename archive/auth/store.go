package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"
)

// Errors callers can test for with errors.Is.
var (
	// ErrBadLogin: no such user, a disabled one, or a wrong password; the
	// login does not say which.
	ErrBadLogin = errors.New("auth: wrong name or password")
	// ErrBadToken: no such token, or a revoked one.
	ErrBadToken = errors.New("auth: unknown or revoked token")
	// ErrExists: the name is taken (by a user or a token: names are the
	// "who" of the audit, so they are unique across both).
	ErrExists = errors.New("auth: name already taken")
	// ErrNoAccount: no user or token of that name.
	ErrNoAccount = errors.New("auth: no such account")
	// ErrBadRole: not viewer, archivist or admin.
	ErrBadRole = errors.New("auth: unknown role")
	// ErrBadName, ErrWeakPassword: what Store refuses to keep.
	ErrBadName      = errors.New("auth: a name is 1 to 64 letters, digits, spaces or . _ @ -")
	ErrWeakPassword = fmt.Errorf("auth: a password has at least %d characters", MinPassword)
)

// User is a person who signs in with a password.
type User struct {
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	Hash     string `json:"hash"` // argon2id, PHC string
	Disabled bool   `json:"disabled,omitempty"`
	// MustChange: the password was made by sohoa (a first or reset
	// password) and must be changed at the next sign-in.
	MustChange bool `json:"must_change,omitempty"`
	// Gen counts password changes and disablings; a session made under an
	// older Gen is no longer valid.
	Gen     int       `json:"gen"`
	Created time.Time `json:"created"`
}

// Token is a system's bearer token. Only its SHA-256 is kept.
type Token struct {
	Name    string    `json:"name"`
	Role    Role      `json:"role"`
	SHA256  string    `json:"sha256"`
	Created time.Time `json:"created"`
	Revoked time.Time `json:"revoked,omitzero"`
}

// Identity is who makes a request.
type Identity struct {
	Name string
	Role Role
	// Kind is how they were recognised: "user" (a signed-in browser),
	// "token", or "proxy" (X-Remote-User from a trusted proxy).
	Kind string
}

// Can reports whether the identity's role reaches need.
func (id Identity) Can(need Role) bool { return id.Role >= need }

type accounts struct {
	Users  []User  `json:"users"`
	Tokens []Token `json:"tokens"`
	// Journal holds the changes not yet in the audit (see Drain).
	Journal []Change `json:"journal,omitempty"`
}

// Change is one change to the accounts, kept in the file until a server
// moves it into the audit (Drain): the commands change the file while no
// server may run, and the audit is in the archive bucket.
type Change struct {
	Time time.Time `json:"time"`
	// By is who made it: Store.Actor (the operating-system user of a
	// command, the server), or the user changing their own password.
	By     string `json:"by"`
	Action string `json:"action"` // user-add, user-passwd, user-disable, token-create, token-revoke, password (one's own)
	Name   string `json:"name"`
	Role   Role   `json:"role,omitempty"`
}

// Store is the accounts file. Open it with Open.
type Store struct {
	// Actor names whoever changes the accounts through this Store, for
	// the journal: set it once, before the first change.
	Actor string

	path string
	// hashing bounds the argon2id hashes computed at once (64 MiB each).
	hashing chan struct{}

	mu    sync.Mutex
	cur   accounts
	stamp fileStamp // of the file cur was read from
}

type fileStamp struct {
	ino   uint64
	size  int64
	mtime time.Time
}

// FileName is the accounts file's name in the data folder.
const FileName = "accounts.json"

// Open opens the accounts file at path (it need not exist yet: Store
// creates it on its first write).
func Open(path string) (*Store, error) {
	s := &Store{path: path, hashing: make(chan struct{}, 2)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refresh(); err != nil {
		return nil, err
	}
	return s, nil
}

// Path is where the accounts are kept.
func (s *Store) Path() string { return s.path }

// refresh reads the file again if it changed since it was read. s.mu held.
func (s *Store) refresh() error {
	fi, err := os.Stat(s.path)
	if errors.Is(err, os.ErrNotExist) {
		s.cur, s.stamp = accounts{}, fileStamp{}
		return nil
	}
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	st := fileStamp{size: fi.Size(), mtime: fi.ModTime()}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.ino = sys.Ino
	}
	if st == s.stamp {
		return nil
	}
	data, err := os.ReadFile(s.path)
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	var a accounts
	if err := json.Unmarshal(data, &a); err != nil {
		return fmt.Errorf("auth: %s: %w", s.path, err)
	}
	s.cur, s.stamp = a, st
	return nil
}

// snapshot is the accounts as the file holds them now.
func (s *Store) snapshot() (accounts, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refresh(); err != nil {
		return accounts{}, err
	}
	return s.cur, nil
}

// update changes the accounts under an exclusive lock on the file (other
// processes too) and writes them atomically.
func (s *Store) update(change func(a *accounts) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(s.path), 0o775); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	lock, err := os.OpenFile(s.path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	defer lock.Close()
	if err := ownLikeDir(lock, filepath.Dir(s.path)); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("auth: lock %s: %w", lock.Name(), err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) //nolint:errcheck // closing unlocks too
	s.stamp = fileStamp{}                                // read it again: another process may have written it
	if err := s.refresh(); err != nil {
		return err
	}
	a := accounts{Users: slices.Clone(s.cur.Users), Tokens: slices.Clone(s.cur.Tokens), Journal: slices.Clone(s.cur.Journal)}
	if err := change(&a); err != nil {
		return err
	}
	data, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(s.path, append(data, '\n')); err != nil {
		return fmt.Errorf("auth: write %s: %w", s.path, err)
	}
	s.stamp = fileStamp{}
	return s.refresh()
}

// writeAtomic replaces path with data: a temporary file in the same folder
// (mode 0600), synced, renamed over path, and the folder synced.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // gone after the rename; left over only on failure
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if err := ownLikeDir(f, dir); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// ownLikeDir gives f the owner of the folder it is in when root writes it:
// an operator's "sudo sohoa user add" must leave a file the service's own
// user (who owns the data folder) can still read.
func ownLikeDir(f *os.File, dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	return f.Chown(int(st.Uid), int(st.Gid))
}

// checkName accepts names people and systems are known by: letters
// (Vietnamese too), digits, spaces and . _ @ -, at most 64 characters.
func checkName(name string) error {
	if name == "" || utf8.RuneCountInString(name) > 64 || strings.TrimSpace(name) != name {
		return ErrBadName
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) && !strings.ContainsRune(" ._@-", r) {
			return ErrBadName
		}
	}
	return nil
}

func taken(a *accounts, name string) bool {
	return slices.ContainsFunc(a.Users, func(u User) bool { return strings.EqualFold(u.Name, name) }) ||
		slices.ContainsFunc(a.Tokens, func(t Token) bool { return strings.EqualFold(t.Name, name) })
}

func (s *Store) hash(password string) (string, error) {
	if utf8.RuneCountInString(password) < MinPassword {
		return "", ErrWeakPassword
	}
	s.hashing <- struct{}{}
	defer func() { <-s.hashing }()
	return hashPassword(password)
}

// AddUser adds a user. mustChange makes them change the password at their
// first sign-in (a password sohoa made and printed).
func (s *Store) AddUser(name string, role Role, password string, mustChange bool) error {
	if err := checkName(name); err != nil {
		return err
	}
	if role < Viewer || role > Admin {
		return ErrBadRole
	}
	h, err := s.hash(password)
	if err != nil {
		return err
	}
	return s.update(func(a *accounts) error {
		if taken(a, name) {
			return fmt.Errorf("%w: %q", ErrExists, name)
		}
		a.Users = append(a.Users, User{Name: name, Role: role, Hash: h, MustChange: mustChange, Gen: 1, Created: time.Now().UTC()})
		s.journal(a, s.Actor, "user-add", name, role)
		return nil
	})
}

// EnsureAdmin adds an admin named name with password unless the file has
// an enabled admin already. It reports whether it added one.
func (s *Store) EnsureAdmin(name, password string, mustChange bool) (bool, error) {
	a, err := s.snapshot()
	if err != nil {
		return false, err
	}
	if slices.ContainsFunc(a.Users, func(u User) bool { return u.Role == Admin && !u.Disabled }) {
		return false, nil
	}
	if err := s.AddUser(name, Admin, password, mustChange); err != nil {
		return false, err
	}
	return true, nil
}

// SetPassword sets a user's password (and enables them again). Sessions
// made with the old one end.
func (s *Store) SetPassword(name, password string, mustChange bool) error {
	return s.setPassword(name, password, mustChange, s.Actor, "user-passwd")
}

// ChangeOwnPassword is SetPassword by the user themselves (the journal says
// so).
func (s *Store) ChangeOwnPassword(name, password string) error {
	return s.setPassword(name, password, false, name, "password")
}

func (s *Store) setPassword(name, password string, mustChange bool, by, action string) error {
	h, err := s.hash(password)
	if err != nil {
		return err
	}
	return s.updateUser(name, by, action, func(u *User) {
		u.Hash, u.MustChange, u.Disabled = h, mustChange, false
		u.Gen++
	})
}

// Disable stops a user from signing in; their sessions end.
func (s *Store) Disable(name string) error {
	return s.updateUser(name, s.Actor, "user-disable", func(u *User) {
		u.Disabled = true
		u.Gen++
	})
}

func (s *Store) updateUser(name, by, action string, change func(*User)) error {
	return s.update(func(a *accounts) error {
		i := slices.IndexFunc(a.Users, func(u User) bool { return u.Name == name })
		if i < 0 {
			return fmt.Errorf("%w: user %q", ErrNoAccount, name)
		}
		change(&a.Users[i])
		s.journal(a, by, action, name, a.Users[i].Role)
		return nil
	})
}

// journal notes a change for the audit.
func (s *Store) journal(a *accounts, by, action, name string, role Role) {
	a.Journal = append(a.Journal, Change{Time: time.Now().UTC(), By: by, Action: action, Name: name, Role: role})
}

// Drain hands the changes not yet in the audit to record, and forgets
// them once it returns nil (a change recorded before an error is handed
// again next time: the audit may say it twice, never miss it).
func (s *Store) Drain(record func([]Change) error) error {
	a, err := s.snapshot()
	if err != nil || len(a.Journal) == 0 {
		return err
	}
	return s.update(func(a *accounts) error {
		if len(a.Journal) == 0 {
			return nil
		}
		if err := record(a.Journal); err != nil {
			return err
		}
		a.Journal = nil
		return nil
	})
}

// User is the user of that name.
func (s *Store) User(name string) (User, bool, error) {
	a, err := s.snapshot()
	if err != nil {
		return User{}, false, err
	}
	i := slices.IndexFunc(a.Users, func(u User) bool { return u.Name == name })
	if i < 0 {
		return User{}, false, nil
	}
	return a.Users[i], true, nil
}

// Users lists the users, by name.
func (s *Store) Users() ([]User, error) {
	a, err := s.snapshot()
	if err != nil {
		return nil, err
	}
	us := slices.Clone(a.Users)
	slices.SortFunc(us, func(x, y User) int { return strings.Compare(x.Name, y.Name) })
	return us, nil
}

// dummyHash is checked against when the user does not exist, so that a
// login takes as long whether the name is known or not.
var dummyHash = sync.OnceValue(func() string {
	h, _ := hashPassword(rand.Text())
	return h
})

// Login checks a user's password: the user when it is right and they are
// enabled, ErrBadLogin otherwise.
func (s *Store) Login(name, password string) (User, error) {
	u, ok, err := s.User(name)
	if err != nil {
		return User{}, err
	}
	phc := dummyHash()
	if ok {
		phc = u.Hash
	}
	s.hashing <- struct{}{}
	good, err := checkPassword(phc, password)
	<-s.hashing
	if err != nil && ok {
		return User{}, fmt.Errorf("auth: user %q: %w", name, err)
	}
	if !ok || !good || u.Disabled {
		return User{}, ErrBadLogin
	}
	return u, nil
}

// tokenPrefix starts every token, so that one pasted somewhere it should
// not be is recognised (by secret scanners, by people).
const tokenPrefix = "sohoa_"

func tokenHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a token for a system and returns its secret, which is
// shown this once: only its SHA-256 is kept.
func (s *Store) CreateToken(name string, role Role) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	if role < Viewer || role > Admin {
		return "", ErrBadRole
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	err := s.update(func(a *accounts) error {
		if taken(a, name) {
			return fmt.Errorf("%w: %q", ErrExists, name)
		}
		a.Tokens = append(a.Tokens, Token{Name: name, Role: role, SHA256: tokenHash(secret), Created: time.Now().UTC()})
		s.journal(a, s.Actor, "token-create", name, role)
		return nil
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// Tokens lists the tokens (revoked ones too), by name.
func (s *Store) Tokens() ([]Token, error) {
	a, err := s.snapshot()
	if err != nil {
		return nil, err
	}
	ts := slices.Clone(a.Tokens)
	slices.SortFunc(ts, func(x, y Token) int { return strings.Compare(x.Name, y.Name) })
	return ts, nil
}

// RevokeToken revokes the token of that name for good. Its name stays
// taken, so that the audit's "who" keeps meaning one thing.
func (s *Store) RevokeToken(name string) error {
	return s.update(func(a *accounts) error {
		i := slices.IndexFunc(a.Tokens, func(t Token) bool { return t.Name == name })
		if i < 0 {
			return fmt.Errorf("%w: token %q", ErrNoAccount, name)
		}
		if a.Tokens[i].Revoked.IsZero() {
			a.Tokens[i].Revoked = time.Now().UTC()
			s.journal(a, s.Actor, "token-revoke", name, a.Tokens[i].Role)
		}
		return nil
	})
}

// TokenIdentity is who a bearer token is: ErrBadToken unless it is a
// token of this store and not revoked.
func (s *Store) TokenIdentity(secret string) (Identity, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return Identity{}, ErrBadToken
	}
	a, err := s.snapshot()
	if err != nil {
		return Identity{}, err
	}
	h := tokenHash(secret)
	for _, t := range a.Tokens {
		if t.SHA256 == h && t.Revoked.IsZero() {
			return Identity{Name: t.Name, Role: t.Role, Kind: "token"}, nil
		}
	}
	return Identity{}, ErrBadToken
}
