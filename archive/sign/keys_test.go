package sign

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"software.sslmate.com/src/go-pkcs12"
)

// TestPKCS12: a key and chain from a .p12 file sign, and its certificate
// is the signer that Verify names.
func TestPKCS12(t *testing.T) {
	key, chain := testPKI(t, "rsa")
	p12, err := pkcs12.Modern2023.Encode(key, chain[0], chain[1:], "mật khẩu")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ky.p12")
	if err := os.WriteFile(path, p12, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadPKCS12(path, "sai"); err == nil || !strings.Contains(err.Error(), "wrong password") || strings.Contains(err.Error(), "mật khẩu") {
		t.Errorf("wrong password: %v", err)
	}
	k, err := LoadPKCS12(path, "mật khẩu")
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if len(k.Chain) != 2 || !k.Chain[0].Equal(chain[0]) {
		t.Fatalf("chain of %d certificates", len(k.Chain))
	}
	signed, err := newSigner(t, k.Signer, k.Chain, "").Sign(context.Background(), testPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	checkSigned(t, signed)
	sig, err := Verify(signed)
	if err != nil || sig.Signer != chain[0].Subject.String() {
		t.Errorf("Verify = %+v, %v", sig, err)
	}
}
