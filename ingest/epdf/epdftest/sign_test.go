package epdftest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/internal/need"
)

func TestSign(t *testing.T) {
	need.Tool(t, "openssl", "openssl")
	pdfsig := need.Tool(t, "pdfsig", "poppler-utils")
	data := Make([]Page{{Lines: KeHoach.Lines}}, Options{SignatureSpace: 8192})
	signed, err := Sign(data, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "signed.pdf")
	if err := os.WriteFile(f, signed, 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(pdfsig, f).CombinedOutput()
	if !strings.Contains(string(out), "Signature is Valid") {
		t.Fatalf("pdfsig:\n%s", out)
	}
	// One byte changed in the signed range breaks it.
	signed[100] ^= 1
	if err := os.WriteFile(f, signed, 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ = exec.Command(pdfsig, f).CombinedOutput()
	if strings.Contains(string(out), "Signature is Valid") {
		t.Fatalf("pdfsig finds a changed file valid:\n%s", out)
	}
}
