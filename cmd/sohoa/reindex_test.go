package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/sohoa/sohoa/archive/archivetest"
)

// An index left by another version of sohoa is rebuilt from the bucket
// when serve or archive starts: an upgrade needs no step by hand.
func TestOpenIndexRebuildsOutdated(t *testing.T) {
	r := archivetest.New(t)
	r.Page(t, "doc1", archivetest.ChiThi...)
	r.WaitArchived(t, "doc1")

	dir := filepath.Join(t.TempDir(), "index")
	old, err := bleve.New(dir, bleve.NewIndexMapping()) // no schema of ours
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	ix, err := openIndex(context.Background(), dir, r.Store, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if d, ok, err := ix.Get("doc1"); err != nil || !ok || d.DocNumber != "07/CT-UBND" {
		t.Errorf("rebuilt index: %+v %v %v", d, ok, err)
	}
}
