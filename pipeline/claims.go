package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// BucketCorrections is the key-value bucket in which a correction claims
// the version it is making of a document before it writes anything, and
// which it leaves once the index, the status and other systems know of the
// version. Keys: <document id>.<version>. Two corrections, in one process
// or in two, can never both make version N of a document; and what a
// crash leaves there names exactly what to finish or roll back.
const BucketCorrections = "SOHOA_CORRECTIONS"

// Errors of the claims that callers test for.
var (
	// ErrClaimed: another correction holds the claim on that version.
	ErrClaimed = errors.New("pipeline: that version of the document is being made by another correction")
	// ErrNoClaim: no correction holds that version.
	ErrNoClaim = errors.New("pipeline: no claim on that version")
)

// Claim is a correction's hold on one version of one document: where its
// PDF and record go, who makes it and since when.
type Claim struct {
	Doc     string    `json:"doc"`
	Version int       `json:"version"`
	PDF     string    `json:"pdf"`
	Record  string    `json:"record"`
	By      string    `json:"by"`
	Since   time.Time `json:"since"`
}

func claimKey(doc string, version int) string { return doc + "." + strconv.Itoa(version) }

// ClaimVersion takes the claim on c.Version of c.Doc, create-only:
// ErrClaimed when it is held.
func (q *Queue) ClaimVersion(ctx context.Context, c Claim) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	_, err = q.claims.Create(ctx, claimKey(c.Doc, c.Version), b)
	if errors.Is(err, jetstream.ErrKeyExists) {
		return ErrClaimed
	}
	if err != nil {
		return fmt.Errorf("pipeline: claim version %d of %s: %w", c.Version, c.Doc, err)
	}
	return nil
}

// ClaimOf returns the claim on version of doc; ErrNoClaim when none is held.
func (q *Queue) ClaimOf(ctx context.Context, doc string, version int) (Claim, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	e, err := q.claims.Get(ctx, claimKey(doc, version))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return Claim{}, ErrNoClaim
	}
	if err != nil {
		return Claim{}, err
	}
	return readClaim(e.Key(), e.Value())
}

// Release gives the claim up, once what it was taken for is done or undone.
func (q *Queue) Release(ctx context.Context, c Claim) error {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	err := q.claims.Delete(ctx, claimKey(c.Doc, c.Version))
	if err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("pipeline: release version %d of %s: %w", c.Version, c.Doc, err)
	}
	return nil
}

// Claims lists every claim held. A claim that cannot be read is an error:
// it names a version that would otherwise stay blocked unseen.
func (q *Queue) Claims(ctx context.Context) ([]Claim, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute) // a list, then one read a claim
	defer cancel()
	keys, err := q.claims.ListKeys(ctx)
	if err != nil {
		return nil, err
	}
	var out []Claim
	var bad []error
	for k := range keys.Keys() {
		e, err := q.claims.Get(ctx, k)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue // released meanwhile
		}
		if err != nil {
			return nil, err
		}
		c, err := readClaim(k, e.Value())
		if err != nil {
			bad = append(bad, err)
			continue
		}
		out = append(out, c)
	}
	return out, errors.Join(bad...)
}

func readClaim(key string, b []byte) (Claim, error) {
	var c Claim
	if err := json.Unmarshal(b, &c); err != nil {
		return Claim{}, fmt.Errorf("pipeline: claim %s: %w", key, err)
	}
	if claimKey(c.Doc, c.Version) != key || c.PDF == "" || c.Record == "" || strings.TrimSpace(c.Doc) == "" {
		return Claim{}, fmt.Errorf("pipeline: claim %s does not name its document, version, PDF and record", key)
	}
	return c, nil
}
