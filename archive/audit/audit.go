package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sohoa/sohoa/objstore"
)

// Actions an entry records.
const (
	Login       = "login"
	LoginFailed = "login-failed"
	Logout      = "logout"
	Search      = "search"
	View        = "view"
	Download    = "download" // the PDF/A (Detail "pdf") or the original ("original")
	Correct     = "correct"
	// Dossier: a hồ sơ made or changed (Document: its id; Detail: the version).
	Dossier = "dossier"
	// Account: a change to the accounts (Detail: what, to whom), by the
	// command or the person that made it, at the time it was made.
	Account = "account"
)

// Entry is one thing someone did.
type Entry struct {
	Seq      uint64    `json:"seq"`
	Time     time.Time `json:"time"`
	Who      string    `json:"who"`
	Role     string    `json:"role,omitempty"`
	Via      string    `json:"via,omitempty"` // user (a sign-in), token, proxy
	Addr     string    `json:"addr,omitempty"`
	Action   string    `json:"action"`
	Document string    `json:"document,omitempty"`
	// Detail: the search's query, the download's kind, the version a
	// correction made.
	Detail string `json:"detail,omitempty"`
	// Prev is the previous entry's Hash ("" for the first); Hash is the
	// SHA-256 of this entry's JSON with Hash empty.
	Prev string `json:"prev"`
	Hash string `json:"hash"`
}

// sum is the hash an entry should have.
func (e Entry) sum() string {
	e.Hash = ""
	data, _ := json.Marshal(e) // a struct of strings, numbers and a time: always encodes
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// Bucket is what the log needs of the archive bucket.
type Bucket interface {
	Create(ctx context.Context, key string, data []byte, contentType string) error
	Get(ctx context.Context, key string) ([]byte, error)
	List(ctx context.Context, prefix string) iter.Seq2[objstore.Info, error]
}

var _ Bucket = (*objstore.Bucket)(nil)

// Prefix is where the entries are kept in the bucket; an entry's key is
// Prefix, its Seq in 20 digits, and ".audit" (not ".json": the bucket's
// JSON objects are documents' records).
const Prefix = "audit/"

func key(seq uint64) string { return fmt.Sprintf("%s%020d.audit", Prefix, seq) }

func seqOf(k string) (uint64, bool) {
	s, ok := strings.CutPrefix(k, Prefix)
	if !ok {
		return 0, false
	}
	s, ok = strings.CutSuffix(s, ".audit")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// Log appends to the audit in a bucket. Open one with Open.
type Log struct {
	b Bucket

	mu   sync.Mutex
	head Entry // the last entry (zero before the first)
}

// Open finds the last entry of the audit in b (checking nothing: Verify
// does) and returns a log that appends after it. It lists the entries'
// keys but reads only the last one.
func Open(ctx context.Context, b Bucket) (*Log, error) {
	l := &Log{b: b}
	last := ""
	for o, err := range b.List(ctx, Prefix) {
		if err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		if _, ok := seqOf(o.Key); ok && o.Key > last {
			last = o.Key
		}
	}
	if last == "" {
		return l, nil
	}
	data, err := b.Get(ctx, last)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	if err := json.Unmarshal(data, &l.head); err != nil {
		return nil, fmt.Errorf("audit: the last entry %s: %w (sohoa verify says more)", last, err)
	}
	return l, nil
}

// note takes e as the latest entry if it is. l.mu held.
func (l *Log) note(e Entry) {
	if e.Seq > l.head.Seq {
		l.head = e
	}
}

// Append writes e after the last entry, filling its Seq, Time (if zero),
// Prev and Hash, and returns it as written.
func (l *Log) Append(ctx context.Context, e Entry) (Entry, error) {
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for tries := 0; ; tries++ {
		e.Seq, e.Prev = l.head.Seq+1, l.head.Hash
		e.Hash = e.sum()
		data, err := json.Marshal(e)
		if err != nil {
			return Entry{}, err
		}
		err = l.b.Create(ctx, key(e.Seq), data, "application/json")
		if err == nil {
			l.note(e)
			return e, nil
		}
		if !errors.Is(err, objstore.ErrExists) || tries >= 100 {
			return Entry{}, fmt.Errorf("audit: append %s of %s: %w", e.Action, e.Who, err)
		}
		// Another node appended there meanwhile: follow it.
		data, err = l.b.Get(ctx, key(e.Seq))
		if err != nil {
			return Entry{}, fmt.Errorf("audit: %w", err)
		}
		var other Entry
		if err := json.Unmarshal(data, &other); err != nil {
			return Entry{}, fmt.Errorf("audit: entry %d: %w", e.Seq, err)
		}
		l.note(other)
	}
}

// Document lists the entries about one document, oldest first. It reads
// the whole audit (every node's entries), so it is for a person asking, not
// for every request.
func (l *Log) Document(ctx context.Context, id string) ([]Entry, error) {
	out := []Entry{}
	for e, err := range Entries(ctx, l.b) {
		if err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		if e.Document == id {
			out = append(out, e)
		}
	}
	return out, nil
}

// Entries reads every entry of the audit in b, in order.
func Entries(ctx context.Context, b Bucket) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		for o, err := range b.List(ctx, Prefix) {
			if err != nil {
				yield(Entry{}, err)
				return
			}
			seq, ok := seqOf(o.Key)
			if !ok {
				continue
			}
			data, err := b.Get(ctx, o.Key)
			if err != nil {
				yield(Entry{}, err)
				return
			}
			var e Entry
			if err := json.Unmarshal(data, &e); err != nil {
				e = Entry{Seq: seq, Action: "unreadable: " + err.Error()}
			}
			if e.Seq != seq {
				e.Action, e.Seq = fmt.Sprintf("%s (kept as entry %d, says %d)", e.Action, seq, e.Seq), seq
				e.Hash = "" // cannot be the entry that belongs there
			}
			if !yield(e, nil) {
				return
			}
		}
	}
}

// Verify checks the chain of the audit in b: entries numbered 1, 2, 3 …
// without a gap, each one's hash its own, each one's Prev the hash of the
// one before. It returns how many entries it read and one line per break.
func Verify(ctx context.Context, b Bucket) (int, []string, error) {
	var problems []string
	var prev Entry
	n := 0
	for e, err := range Entries(ctx, b) {
		if err != nil {
			return n, problems, err
		}
		n++
		switch {
		case e.Seq != prev.Seq+1:
			problems = append(problems, fmt.Sprintf("audit: entry %d follows entry %d: entries missing", e.Seq, prev.Seq))
		case e.Prev != prev.Hash:
			problems = append(problems, fmt.Sprintf("audit: entry %d does not follow entry %d (its prev is not that entry's hash): one of them was changed", e.Seq, prev.Seq))
		}
		if e.Hash == "" || e.sum() != e.Hash {
			problems = append(problems, fmt.Sprintf("audit: entry %d (%s by %s) was changed since it was written: its hash does not match", e.Seq, e.Action, e.Who))
		}
		prev = e
	}
	return n, problems, nil
}
