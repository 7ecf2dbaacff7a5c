package auth

import (
	"crypto/rand"
	"sync"
	"time"
)

// Session is a signed-in browser.
type Session struct {
	User string
	Gen  int // the user's Gen at sign-in
	// CSRF is the token every state-changing form of this session sends.
	CSRF    string
	Created time.Time
	seen    time.Time
}

// Sessions are the web's signed-in browsers, in memory. A session ends
// after Idle without a request, after Max in all, or when its user's
// password changes or they are disabled (see Store.SessionUser).
type Sessions struct {
	Idle, Max time.Duration
	// Limit on sessions kept at once; past it the oldest are dropped.
	Limit int

	mu   sync.Mutex
	byID map[string]*Session // by tokenHash(session id)
}

// NewSessions returns sessions with an idle limit of 8 hours, 12 hours in
// all, and at most 10000 at once.
func NewSessions() *Sessions {
	return &Sessions{Idle: 8 * time.Hour, Max: 12 * time.Hour, Limit: 10000, byID: map[string]*Session{}}
}

// New starts a session for u and returns its id, the cookie's value.
func (ss *Sessions) New(u User) (string, Session) {
	id := rand.Text() + rand.Text()
	now := time.Now()
	s := &Session{User: u.Name, Gen: u.Gen, CSRF: rand.Text(), Created: now, seen: now}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.prune(now)
	for len(ss.byID) >= ss.Limit {
		var oldest string
		for k, v := range ss.byID {
			if oldest == "" || v.Created.Before(ss.byID[oldest].Created) {
				oldest = k
			}
		}
		delete(ss.byID, oldest)
	}
	ss.byID[tokenHash(id)] = s
	return id, *s
}

// Get finds a live session by its id and marks it used.
func (ss *Sessions) Get(id string) (Session, bool) {
	if id == "" {
		return Session{}, false
	}
	k := tokenHash(id)
	now := time.Now()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.byID[k]
	if !ok {
		return Session{}, false
	}
	if now.Sub(s.seen) > ss.Idle || now.Sub(s.Created) > ss.Max {
		delete(ss.byID, k)
		return Session{}, false
	}
	s.seen = now
	return *s, true
}

// End ends a session (sign-out).
func (ss *Sessions) End(id string) {
	ss.mu.Lock()
	delete(ss.byID, tokenHash(id))
	ss.mu.Unlock()
}

// prune drops the sessions past their time. ss.mu held.
func (ss *Sessions) prune(now time.Time) {
	for k, s := range ss.byID {
		if now.Sub(s.seen) > ss.Idle || now.Sub(s.Created) > ss.Max {
			delete(ss.byID, k)
		}
	}
}

// SessionUser is the user a session belongs to, if it is still valid:
// the user exists, is enabled, and has not changed password since.
func (s *Store) SessionUser(sess Session) (User, bool, error) {
	u, ok, err := s.User(sess.User)
	if err != nil || !ok {
		return User{}, false, err
	}
	if u.Disabled || u.Gen != sess.Gen {
		return User{}, false, nil
	}
	return u, true, nil
}
