package archive_test

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/archivetest"
)

// A hồ sơ of two documents exports as a BagIt bag whose every payload
// file is in the manifest with its checksum, whose tag files are in the
// tag manifest, and whose tables list both documents' numbers.
func TestExportDossier(t *testing.T) {
	r := archivetest.New(t)
	ctx := context.Background()
	r.Page(t, "tb", archivetest.ThongBao...)
	r.Page(t, "ct", archivetest.ChiThi...)
	r.WaitArchived(t, "tb")
	r.WaitArchived(t, "ct")
	d, err := r.Archive.CreateDossier(ctx, archive.DossierFields{Fonds: ptr("H15"), Catalog: ptr("2020"), Number: ptr("3"),
		Title: ptr("Hồ sơ thông báo và chỉ thị"), Retention: ptr("vĩnh viễn")}, "Lê Thị Hoa")
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []string{"ct", "tb"} {
		if d, err = r.Archive.AddToDossier(ctx, d.ID, doc, "Lê Thị Hoa"); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := r.Archive.ExportDossier(ctx, d.ID, "Lê Thị Hoa", &buf); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	eachZipFile(t, buf.Bytes(), func(name string, b []byte) {
		if !strings.HasPrefix(name, "H15-2020-3/") {
			t.Errorf("%s outside the bag's folder", name)
		}
		files[strings.TrimPrefix(name, "H15-2020-3/")] = b
	})
	if string(files["bagit.txt"]) != "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n" {
		t.Errorf("bagit.txt: %q", files["bagit.txt"])
	}
	check := func(manifest string) map[string]bool {
		listed := map[string]bool{}
		for _, line := range strings.Split(strings.TrimSpace(string(files[manifest])), "\n") {
			sum, name, ok := strings.Cut(line, "  ")
			data, there := files[name]
			s := sha256.Sum256(data)
			if !ok || !there || hex.EncodeToString(s[:]) != sum {
				t.Errorf("%s: %q does not match the file", manifest, line)
			}
			listed[name] = true
		}
		return listed
	}
	payload := check("manifest-sha256.txt")
	for name := range files {
		if strings.HasPrefix(name, "data/") && !payload[name] {
			t.Errorf("%s is not in the manifest", name)
		}
	}
	tags := check("tagmanifest-sha256.txt")
	for _, name := range []string{"bagit.txt", "bag-info.txt", "manifest-sha256.txt"} {
		if !tags[name] {
			t.Errorf("%s is not in the tag manifest", name)
		}
	}
	if n := len(payload); n != 3+2*3 { // ho-so.json/.csv, van-ban.csv; per document PDF, original, record
		t.Errorf("%d payload files: %v", n, payload)
	}
	if !strings.Contains(string(files["bag-info.txt"]), "External-Identifier: H15.2020.3") {
		t.Errorf("bag-info.txt: %s", files["bag-info.txt"])
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(files["data/van-ban.csv"], []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("van-ban.csv: %d rows (%v)", len(rows), err)
	}
	for i, id := range []string{"ct", "tb"} {
		rec, err := r.Archive.Record(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		row := rows[i+1]
		if row[0] != "sohoa:"+id || row[1] != "H15.2020.3" || row[2] != fmt.Sprint(i+1) || row[4] != rec.Number || row[5] != rec.Symbol ||
			row[3] != rec.Type || row[14] != rec.PDF.SHA256 {
			t.Errorf("van-ban.csv row %d %q, want %s's %q %q", i+1, row, id, rec.Number, rec.Symbol)
		}
	}
	if rows[1][4] != "07" || rows[2][5] != "TB-UBND" {
		t.Errorf("van-ban.csv: %q %q", rows[1], rows[2])
	}
	// Each document's PDF/A in its own folder, in the hồ sơ's order.
	for i, id := range []string{"ct", "tb"} {
		rec, err := r.Archive.Record(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		dir := fmt.Sprintf("data/van-ban/%03d-%s", i+1, cmp.Or(archive.Slug(rec.DocNumber), "chua-so"))
		if data := files[path.Join(dir, path.Base(rec.PDF.Key))]; !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Errorf("no PDF of %s in %s of the bag", id, dir)
		}
	}
	head, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(files["data/ho-so.csv"], []byte("\ufeff")))).ReadAll()
	if err != nil || len(head) != 2 || head[1][0] != "H15.2020.3" || head[1][5] != "vĩnh viễn" || head[1][10] != "2" {
		t.Errorf("ho-so.csv: %q (%v)", head, err)
	}
}

// The package imports into another archive (its own bucket and index):
// the same documents, the same PDFs, the same hồ sơ, again without harm;
// a package with one byte changed is refused whole.
func TestImportDossier(t *testing.T) {
	r := archivetest.New(t)
	ctx := context.Background()
	r.Page(t, "ct", archivetest.ChiThi...)
	ct := r.WaitArchived(t, "ct")
	d, err := r.Archive.CreateDossier(ctx, archive.DossierFields{Title: ptr("Hồ sơ chỉ thị"), Retention: ptr("20 năm")}, "Lê Thị Hoa")
	if err != nil {
		t.Fatal(err)
	}
	if d, err = r.Archive.AddToDossier(ctx, d.ID, "ct", "Lê Thị Hoa"); err != nil {
		t.Fatal(err)
	}
	var bag bytes.Buffer
	if err := r.Archive.ExportDossier(ctx, d.ID, "Lê Thị Hoa", &bag); err != nil {
		t.Fatal(err)
	}

	other := archivetest.New(t)
	tampered := rewriteZip(t, bag.Bytes(), func(name string, data []byte) []byte {
		if strings.HasSuffix(name, ".pdf") {
			data = bytes.Clone(data)
			data[len(data)/2] ^= 1
		}
		return data
	})
	if _, _, err := archive.ImportDossier(ctx, other.Store, other.Index, bytes.NewReader(tampered), int64(len(tampered))); !errors.Is(err, archive.ErrBadBag) {
		t.Fatalf("a package with a PDF changed: %v, want ErrBadBag", err)
	}
	if _, err := other.Archive.Record(ctx, "ct"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a refused package left a document behind: %v", err)
	}
	for range 2 { // again: the same bytes are there, nothing fails
		got, n, err := archive.ImportDossier(ctx, other.Store, other.Index, bytes.NewReader(bag.Bytes()), int64(bag.Len()))
		if err != nil || n != 1 || got.ID != d.ID {
			t.Fatalf("import: %v, %d documents", err, n)
		}
	}
	rec, err := other.Archive.Record(ctx, "ct")
	if err != nil || rec.PDF.SHA256 != ct.PDFSHA256 || rec.DocNumber != ct.DocNumber {
		t.Fatalf("imported document: %+v (%v)", rec, err)
	}
	pdf, err := other.Store.Get(ctx, rec.PDF.Key)
	if s := sha256.Sum256(pdf); err != nil || hex.EncodeToString(s[:]) != ct.PDFSHA256 {
		t.Errorf("the imported PDF is not the archived one (%v)", err)
	}
	if orig, err := other.Store.Get(ctx, rec.Source.Key); err != nil || len(orig) == 0 {
		t.Errorf("no original imported: %v", err)
	}
	got, err := other.Archive.Dossier(ctx, d.ID)
	if err != nil || got.Version != d.Version || len(got.Documents) != 1 || got.Documents[0] != "ct" {
		t.Errorf("imported dossier %+v (%v)", got, err)
	}
}

// eachZipFile calls fn with the name and content of each file of a zip.
func eachZipFile(t *testing.T, data []byte, fn func(name string, data []byte)) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		fn(f.Name, b)
	}
}

// rewriteZip copies a zip, each file's content through change.
func rewriteZip(t *testing.T, data []byte, change func(name string, data []byte) []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	eachZipFile(t, data, func(name string, b []byte) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(change(name, b)); err != nil {
			t.Fatal(err)
		}
	})
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
