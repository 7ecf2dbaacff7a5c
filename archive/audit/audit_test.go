package audit_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/archive/audit"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/objstore/s3test"
)

func TestAudit(t *testing.T) {
	ctx := context.Background()
	s3 := s3test.VersityGW(t)
	b, err := objstore.Open(ctx, s3.Config("sohoa-archive"))
	if err != nil {
		t.Fatal(err)
	}
	// Two archive nodes on one bucket, appending in turns.
	n1, err := audit.Open(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	n2, err := audit.Open(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range []audit.Entry{
		{Who: "Nguyễn Thị Lan", Role: "archivist", Via: "user", Addr: "10.0.0.7", Action: audit.Login},
		{Who: "e-office", Role: "viewer", Via: "token", Action: audit.Search, Detail: "thi hành án"},
		{Who: "e-office", Role: "viewer", Via: "token", Action: audit.View, Document: "a1"},
		{Who: "Nguyễn Thị Lan", Role: "archivist", Via: "user", Action: audit.Correct, Document: "a1", Detail: "version 2"},
		{Who: "e-office", Role: "viewer", Via: "token", Action: audit.Download, Document: "b2", Detail: "pdf"},
	} {
		l := n1
		if i%2 == 1 {
			l = n2
		}
		if _, err := l.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	n, problems, err := audit.Verify(ctx, b)
	if err != nil || n != 5 || len(problems) != 0 {
		t.Fatalf("verify: %d entries, %v, %v; want 5, no problem", n, problems, err)
	}
	// n2 did not see n1's last entry as it was written; a reopened log sees all.
	reopened, err := audit.Open(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []*audit.Log{n1, reopened} {
		got, err := l.Document(ctx, "a1")
		if err != nil || len(got) != 2 || got[0].Action != audit.View || got[1].Who != "Nguyễn Thị Lan" {
			t.Errorf("entries of a1: %+v, %v", got, err)
		}
	}

	// Tampering: an entry changed in place; then with its hash made again
	// (the next entry's link breaks); then one removed.
	tamper := func(seq int, change func(*audit.Entry), rehash bool) {
		t.Helper()
		k := fmt.Sprintf("audit/%020d.audit", seq)
		data, err := b.Get(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		var e audit.Entry
		if err := json.Unmarshal(data, &e); err != nil {
			t.Fatal(err)
		}
		change(&e)
		if rehash {
			e.Hash = ""
			raw, _ := json.Marshal(e)
			e.Hash = sha(raw)
		}
		data, _ = json.Marshal(e)
		if err := b.Put(ctx, k, data, "application/json"); err != nil {
			t.Fatal(err)
		}
	}
	tamper(3, func(e *audit.Entry) { e.Who = "người khác" }, false)
	if _, problems, _ := audit.Verify(ctx, b); len(problems) != 1 || !strings.Contains(problems[0], "entry 3") {
		t.Errorf("an entry changed in place: %v", problems)
	}
	tamper(3, func(e *audit.Entry) {}, true)
	if _, problems, _ := audit.Verify(ctx, b); len(problems) != 1 || !strings.Contains(problems[0], "entry 4 does not follow entry 3") {
		t.Errorf("an entry changed with its hash made again: %v", problems)
	}
	if err := b.Delete(ctx, "audit/00000000000000000002.audit"); err != nil {
		t.Fatal(err)
	}
	if _, problems, _ := audit.Verify(ctx, b); !strings.Contains(strings.Join(problems, "\n"), "entry 3 follows entry 1") {
		t.Errorf("an entry removed: %v", problems)
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
