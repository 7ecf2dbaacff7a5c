package archive_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/archivetest"
	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/archive/pdf"
)

// An archivist splits a document that was two (a chỉ thị and a thông
// báo scanned as one file, with a blank sheet between) and merges them
// back: each step makes new versions and nothing is overwritten; the
// pages, their originals, the text and the index follow.
func TestSplitMerge(t *testing.T) {
	r := archivetest.New(t)
	ctx := context.Background()
	body := []string{"Điều 1. Các sở, ban, ngành thực hiện nghiêm Chỉ thị này."}
	notice := []string{"Thời gian tiếp công dân từ 7 giờ 30 đến 11 giờ."}
	r.Pages(t, "two", archivetest.ChiThi, body, nil, archivetest.ThongBaoInk, notice)
	r.WaitArchived(t, "two")
	v1, err := r.Archive.Record(ctx, "two")
	if err != nil {
		t.Fatal(err)
	}
	if v1.Pages != 4 || !slices.Equal(v1.BlankPages, []int{3}) || v1.DocNumber != "07/CT-UBND" {
		t.Fatalf("archived as %d pages, blank %v, number %q; want 4, [3], 07/CT-UBND", v1.Pages, v1.BlankPages, v1.DocNumber)
	}

	for _, page := range []int{0, 1, 5} {
		if _, _, err := r.Archive.Split(ctx, "two", page, "lưu trữ viên", ""); !errors.Is(err, archive.ErrInvalid) {
			t.Errorf("split before page %d of 4: %v, want ErrInvalid", page, err)
		}
	}
	kept, off, err := r.Archive.Split(ctx, "two", 3, "lưu trữ viên", "hai văn bản quét chung")
	if err != nil {
		t.Fatal(err)
	}
	if kept.ID != "two" || kept.Version != 2 || kept.Pages != 2 || !slices.Equal(kept.Source.Pages, []int{1, 2}) || !slices.Equal(kept.BlankPages, []int{3}) {
		t.Errorf("kept: %s version %d, %d pages, original's pages %v, blank %v; want two version 2, 2 pages, [1 2], [3]",
			kept.ID, kept.Version, kept.Pages, kept.Source.Pages, kept.BlankPages)
	}
	if kept.DocNumber != "07/CT-UBND" || strings.Contains(kept.Text, "THÔNG BÁO") || !strings.Contains(kept.Text, "Điều 1") {
		t.Errorf("kept: number %q, text %q", kept.DocNumber, kept.Text)
	}
	if off.ID != archive.SplitID("two", 1, 3) || off.Version != 1 || off.Pages != 2 || !slices.Equal(off.Source.Pages, []int{4, 5}) ||
		len(off.BlankPages) != 0 || off.Source.Key != v1.Source.Key || off.Source.SHA256 != v1.Source.SHA256 {
		t.Errorf("split off: %s version %d, %d pages, original %s pages %v, blank %v; want %s version 1, 2 pages, %s [4 5], none",
			off.ID, off.Version, off.Pages, off.Source.Key, off.Source.Pages, off.BlankPages, archive.SplitID("two", 1, 3), v1.Source.Key)
	}
	// Its fields are read from its own first page, and a person checks them.
	if off.DocNumber != "12/TB-UBND" || off.Date != "2020-02-12" || off.Type != "THÔNG BÁO" || !off.NeedsReview ||
		len(off.Review) == 0 || !strings.Contains(off.Review[0], "tách ra từ văn bản 07/CT-UBND (trang 3–4)") {
		t.Errorf("split off: %q of %q, type %q, review %v %q", off.DocNumber, off.Date, off.Type, off.NeedsReview, off.Review)
	}
	if m := off.Mends; len(m) != 1 || m[0].Kind != archive.MendSplitFrom || m[0].Other != "two" || m[0].OtherVersion != 1 || !slices.Equal(m[0].Pages, []int{3, 4}) {
		t.Errorf("split off's mends: %+v", m)
	}
	if m := kept.Mends; len(m) != 1 || m[0].Kind != archive.MendSplit || m[0].Other != off.ID || m[0].Version != 2 || m[0].Note != "hai văn bản quét chung" {
		t.Errorf("kept's mends: %+v", m)
	}
	pdfText(t, r, kept, "Chỉ thị này", "THÔNG BÁO")
	pdfText(t, r, off, "tiếp công dân từ 7 giờ", "CHỈ THỊ")
	// The first version is where it was, whole.
	if old, err := r.Archive.ReadRecord(ctx, archive.SidecarKey(v1.PDF.Key)); err != nil || old.Pages != 4 {
		t.Errorf("version 1 after the split: %v %v", old, err)
	}
	pdfText(t, r, v1, "THÔNG BÁO")
	found := func(q string) []string {
		res, err := r.Index.Search(index.Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.Doc.ID)
		}
		return ids
	}
	if ids := found("tiếp công dân từ 7 giờ"); !slices.Equal(ids, []string{off.ID}) {
		t.Errorf("search for the notice's words finds %v, want the part split off", ids)
	}

	// Merged back: the document holds all four pages again, in a third
	// version, and the part's pages are named by its original.
	merged, err := r.Archive.Merge(ctx, "two", off.ID, "lưu trữ viên", "tách nhầm")
	if err != nil {
		t.Fatal(err)
	}
	if merged.Version != 3 || merged.Pages != 4 || len(merged.Merged) != 1 || !slices.Equal(merged.Merged[0].Pages, []int{4, 5}) ||
		merged.Merged[0].Key != v1.Source.Key || !strings.Contains(merged.Text, "Điều 1") || !strings.Contains(merged.Text, "tiếp công dân từ 7 giờ") {
		t.Errorf("merged: version %d, %d pages, merged sources %+v", merged.Version, merged.Pages, merged.Merged)
	}
	if m := merged.Mends; len(m) != 2 || m[1].Kind != archive.MendMerge || m[1].Other != off.ID || !slices.Equal(m[1].Pages, []int{3, 4}) {
		t.Errorf("merged's mends: %+v", m)
	}
	pdfText(t, r, merged, "Chỉ thị này")
	pdfText(t, r, merged, "tiếp công dân từ 7 giờ")
	var me *archive.MergedError
	if _, err := r.Archive.Record(ctx, off.ID); !errors.As(err, &me) || me.Into != "two" || !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("the part merged in: %v, want merged into two", err)
	}
	if ids := found("tiếp công dân từ 7 giờ"); !slices.Equal(ids, []string{"two"}) {
		t.Errorf("search for the notice's words after the merge finds %v, want two", ids)
	}
	if _, err := r.Archive.Merge(ctx, "two", off.ID, "lưu trữ viên", ""); !errors.Is(err, archive.ErrMerged) {
		t.Errorf("merging a merged document again: %v, want ErrMerged", err)
	}
	if _, err := r.Archive.Merge(ctx, "two", "two", "lưu trữ viên", ""); !errors.Is(err, archive.ErrInvalid) {
		t.Errorf("merging a document with itself: %v, want ErrInvalid", err)
	}

	// A rebuilt index knows the same: two at its third version, the part
	// merged in not at all.
	ix, err := index.Open(t.TempDir() + "/ix")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	n, err := archive.Reindex(ctx, r.Store, ix, slog.New(slog.DiscardHandler))
	if err != nil || n != 1 {
		t.Errorf("reindex: %d documents, %v; want 1", n, err)
	}
	if d, ok, _ := ix.Get("two"); !ok || d.Version != 3 || d.Pages != 4 {
		t.Errorf("reindexed two: %+v %v", d, ok)
	}
	if _, ok, _ := ix.Get(off.ID); ok {
		t.Error("the part merged in is in the rebuilt index")
	}
}

// pdfText checks that the PDF rec names is the one stored, and that its
// text layer holds want and none of not.
func pdfText(t *testing.T, r *archivetest.Rig, rec *archive.Record, want string, not ...string) {
	t.Helper()
	data, err := r.Store.Get(context.Background(), rec.PDF.Key)
	if err != nil {
		t.Fatal(err)
	}
	pts, err := pdf.ReadText(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != rec.Pages {
		t.Errorf("%s: the PDF has %d pages, its record %d", rec.PDF.Key, len(pts), rec.Pages)
	}
	var text strings.Builder
	for _, pt := range pts {
		text.WriteString(pt.Text() + "\n")
	}
	if !strings.Contains(text.String(), want) {
		t.Errorf("%s: no %q in its text layer:\n%s", rec.PDF.Key, want, text.String())
	}
	for _, n := range not {
		if strings.Contains(text.String(), n) {
			t.Errorf("%s: %q in its text layer", rec.PDF.Key, n)
		}
	}
}
