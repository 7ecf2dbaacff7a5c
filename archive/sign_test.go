package archive_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/archivetest"
	"github.com/sohoa/sohoa/archive/sign"
	"github.com/sohoa/sohoa/archive/sign/signtest"
	"github.com/sohoa/sohoa/internal/need"
)

// TestSignedVersions: with a key, the first version and a correction's
// are each stored signed, by the archive's certificate, over the whole
// file, and the record's SHA-256 is the signed file's.
func TestSignedVersions(t *testing.T) {
	key := signtest.Key(t)
	signer := signtest.Signer(t, key)
	r := archivetest.New(t, func(c *archive.Config) { c.Sign = signer.Sign })
	ctx := context.Background()
	r.Page(t, "ky", archivetest.ChiThi...)
	r.WaitArchived(t, "ky")
	v1, err := r.Archive.Record(ctx, "ky")
	if err != nil {
		t.Fatal(err)
	}
	subject := "Trích yếu đã sửa"
	v2, err := r.Archive.Correct(ctx, "ky", archive.Correction{Subject: &subject, By: "Nguyễn Văn An"})
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 {
		t.Fatalf("version %d after a correction", v2.Version)
	}
	pdfsig := need.Tool(t, "pdfsig", "poppler-utils")
	for _, rec := range []*archive.Record{v1, v2} {
		data, err := r.Store.Get(ctx, rec.PDF.Key)
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != rec.PDF.SHA256 || int64(len(data)) != rec.PDF.Size {
			t.Errorf("version %d: the record does not name the stored (signed) PDF", rec.Version)
		}
		sig, err := sign.Verify(data)
		if err != nil {
			t.Fatalf("version %d: %v", rec.Version, err)
		}
		if sig.Signer != key.Chain[0].Subject.String() {
			t.Errorf("version %d signed by %q", rec.Version, sig.Signer)
		}
		path := filepath.Join(t.TempDir(), "v.pdf")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, _ := exec.Command(pdfsig, path).CombinedOutput()
		if !strings.Contains(string(out), "Signature is Valid") || !strings.Contains(string(out), "Total document signed") || strings.Count(string(out), "Signature #") != 1 {
			t.Errorf("version %d: pdfsig says:\n%s", rec.Version, out)
		}
	}
}

// TestUnsignedWithoutKey: no key, no signature, as before.
func TestUnsignedWithoutKey(t *testing.T) {
	r := archivetest.New(t)
	ctx := context.Background()
	r.Page(t, "khong-ky", archivetest.ChiThi...)
	r.WaitArchived(t, "khong-ky")
	rec, err := r.Archive.Record(ctx, "khong-ky")
	if err != nil {
		t.Fatal(err)
	}
	data, err := r.Store.Get(ctx, rec.PDF.Key)
	if err != nil {
		t.Fatal(err)
	}
	if sigs, err := sign.Signatures(data); err != nil || len(sigs) != 0 {
		t.Errorf("an archive without a key stored %d signatures (%v)", len(sigs), err)
	}
}
