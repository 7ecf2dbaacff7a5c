package archive_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/archivetest"
	"github.com/sohoa/sohoa/archive/index"
)

func ptr[T any](v T) *T { return &v }

// A hồ sơ is made, filled with archived documents, changed in new
// versions (every one kept in the bucket, none overwritten), read back the
// same by another archive on the same bucket, and left out of a reindex's
// documents.
func TestDossiers(t *testing.T) {
	r := archivetest.New(t)
	ctx := context.Background()
	r.Page(t, "tb", archivetest.ThongBao...)
	r.Page(t, "qd", archivetest.ChiThi...)
	r.WaitArchived(t, "tb")
	r.WaitArchived(t, "qd")

	if _, err := r.Archive.CreateDossier(ctx, archive.DossierFields{Title: ptr("Không có thời hạn")}, "Lê Thị Hoa"); !errors.Is(err, archive.ErrInvalid) {
		t.Fatalf("a dossier without retention: %v, want ErrInvalid", err)
	}
	d, err := r.Archive.CreateDossier(ctx, archive.DossierFields{
		Fonds: ptr("H15.01"), Catalog: ptr("2020"), Number: ptr("07"), Title: ptr("Hồ sơ tiếp công dân năm 2020"),
		Retention: ptr("10 nam"), Access: ptr("hạn chế"), Start: ptr("2020-01-02"),
	}, "Lê Thị Hoa")
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != 1 || d.Code != "H15.01.2020.07" || d.Retention != "10 năm" || d.RetentionYears != 10 ||
		d.Access != archive.AccessRestricted || len(d.Documents) != 0 || d.CreatedBy != "Lê Thị Hoa" {
		t.Fatalf("created %+v", d)
	}
	for _, doc := range []string{"tb", "qd", "tb"} {
		if d, err = r.Archive.AddToDossier(ctx, d.ID, doc, "Lê Thị Hoa"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Archive.AddToDossier(ctx, d.ID, "khong-co", "Lê Thị Hoa"); !errors.Is(err, archive.ErrInvalid) {
		t.Errorf("adding a document that is not archived: %v, want ErrInvalid", err)
	}
	if d.Version != 3 || !slices.Equal(d.Documents, []string{"tb", "qd"}) {
		t.Fatalf("after adding tb, qd, tb: version %d, documents %v", d.Version, d.Documents)
	}
	if _, err := r.Archive.UpdateDossier(ctx, d.ID, archive.DossierFields{End: ptr("2019-12-31")}, "Lê Thị Hoa"); !errors.Is(err, archive.ErrInvalid) {
		t.Errorf("ending before it starts: %v, want ErrInvalid", err)
	}
	d, err = r.Archive.UpdateDossier(ctx, d.ID, archive.DossierFields{Retention: ptr("vĩnh viễn"), End: ptr("2020-12-31")}, "Trần Văn Bình")
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != 4 || d.RetentionYears != 0 || d.Retention != "vĩnh viễn" || d.UpdatedBy != "Trần Văn Bình" ||
		!slices.ContainsFunc(d.Changes, func(c archive.Change) bool {
			return c.Field == "retention" && c.From == "10 năm" && c.To == "vĩnh viễn"
		}) {
		t.Fatalf("updated %+v", d)
	}
	if d.Due != "" {
		t.Errorf("a permanent dossier is due %s", d.Due)
	}
	// Ten years from its end: due then, and listed for appraisal from that day.
	short, err := r.Archive.CreateDossier(ctx, archive.DossierFields{Title: ptr("Hồ sơ 10 năm"), Retention: ptr("10 năm"),
		Start: ptr("2010-01-04"), End: ptr("2010-12-30")}, "Lê Thị Hoa")
	if err != nil || short.Due != "2020-12-30" {
		t.Fatalf("due %q (%v), want 2020-12-30", short.Due, err)
	}
	for day, want := range map[string]int{"2020-12-29": 0, "2020-12-30": 1, "2026-01-01": 1} {
		now, _ := time.Parse(time.DateOnly, day)
		due, err := r.Archive.DueDossiers(ctx, now)
		if err != nil || len(due) != want || (want == 1 && due[0].ID != short.ID) {
			t.Errorf("due on %s: %d (%v), want %d", day, len(due), err, want)
		}
	}
	same, err := r.Archive.UpdateDossier(ctx, d.ID, archive.DossierFields{End: ptr("2020-12-31")}, "Trần Văn Bình")
	if err != nil || same.Version != 4 {
		t.Errorf("a change that changes nothing made version %d (%v)", same.Version, err)
	}

	// Every version is in the bucket, under its own key.
	var keys []string
	for o, err := range r.Store.List(ctx, archive.DossierPrefix+d.ID+"/") {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, o.Key)
	}
	if len(keys) != 4 || keys[0] != archive.DossierKey(d.ID, 1) || keys[3] != archive.DossierKey(d.ID, 4) || d.Previous != keys[2] {
		t.Errorf("versions in the bucket %v, previous %q", keys, d.Previous)
	}

	// Another archive on the same bucket (another node, or after a
	// restart with the index rebuilt) answers the same.
	ix, err := index.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	n, err := archive.Reindex(ctx, r.Store, ix, slog.New(slog.DiscardHandler))
	if err != nil || n != 2 {
		t.Fatalf("reindex: %d documents (%v), want the 2 documents and no dossier", n, err)
	}
	other, err := archive.New(archive.Config{Queue: r.Queue, Work: r.Work, Store: r.Store, Index: ix})
	if err != nil {
		t.Fatal(err)
	}
	got, err := other.Dossier(ctx, d.ID)
	if err != nil || got.Version != 4 || !slices.Equal(got.Documents, d.Documents) || got.Code != d.Code {
		t.Fatalf("the other archive reads %+v (%v)", got, err)
	}
	all, err := other.Dossiers(ctx)
	if err != nil || len(all) != 2 || !slices.ContainsFunc(all, func(x *archive.Dossier) bool { return x.ID == d.ID }) {
		t.Fatalf("the other archive lists %d dossiers (%v)", len(all), err)
	}
	if _, err := other.Dossier(ctx, strings.Repeat("0", 32)); !errors.Is(err, archive.ErrNoDossier) {
		t.Errorf("an unknown dossier: %v, want ErrNoDossier", err)
	}
	if _, err := other.Dossier(ctx, "../x"); !errors.Is(err, archive.ErrNoDossier) {
		t.Errorf("a malformed id: %v, want ErrNoDossier", err)
	}
}

func TestParseRetention(t *testing.T) {
	for in, want := range map[string]int{"vĩnh viễn": 0, "Vinh vien": 0, "permanent": 0, "10": 10, "10 năm": 10, "5 nam": 5, "70 years": 70} {
		_, y, err := archive.ParseRetention(in)
		if err != nil || y != want {
			t.Errorf("%q: %d %v, want %d", in, y, err, want)
		}
	}
	for _, in := range []string{"", "mãi mãi", "0", "-3 năm", "1000"} {
		if _, _, err := archive.ParseRetention(in); !errors.Is(err, archive.ErrInvalid) {
			t.Errorf("%q taken (%v)", in, err)
		}
	}
}
