package auth

import (
	"sync"
	"time"
)

// Throttle slows down password guessing. Each key (a user name, a client
// address) may fail Free times; every failure after that locks it for
// twice as long as the one before, from Base up to Cap. A success clears
// the key; one left alone for Forget is forgotten.
type Throttle struct {
	Free      int
	Base, Cap time.Duration
	Forget    time.Duration
	Limit     int // keys kept at once; past it the stalest are dropped

	mu   sync.Mutex
	keys map[string]*strikes
}

type strikes struct {
	fails int
	until time.Time // locked until
	last  time.Time
}

// NewThrottle returns a throttle that allows 5 failures, then locks for
// 30 s, 1 min, 2 min… up to 15 minutes; forgets after an hour.
func NewThrottle() *Throttle {
	return &Throttle{Free: 5, Base: 30 * time.Second, Cap: 15 * time.Minute, Forget: time.Hour, Limit: 100000, keys: map[string]*strikes{}}
}

// Wait is how long the keys are still locked (0: a try may go ahead).
func (t *Throttle) Wait(keys ...string) time.Duration {
	now := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	var wait time.Duration
	for _, k := range keys {
		if s, ok := t.keys[k]; ok && s.until.After(now) {
			wait = max(wait, s.until.Sub(now))
		}
	}
	return wait
}

// Fail counts a failed try against each key.
func (t *Throttle) Fail(keys ...string) {
	now := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.keys) >= t.Limit {
		for k, s := range t.keys {
			if now.Sub(s.last) > t.Forget || len(t.keys) >= t.Limit {
				delete(t.keys, k)
			}
		}
	}
	for _, k := range keys {
		s, ok := t.keys[k]
		if !ok || now.Sub(s.last) > t.Forget {
			s = &strikes{}
			t.keys[k] = s
		}
		s.fails++
		s.last = now
		if over := s.fails - t.Free; over > 0 {
			lock := t.Cap
			if over < 32 {
				lock = min(t.Cap, t.Base<<(over-1))
			}
			s.until = now.Add(lock)
		}
	}
}

// Succeed clears the keys.
func (t *Throttle) Succeed(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		delete(t.keys, k)
	}
}
