//go:build cgo

package sign

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ThalesGroup/crypto11"

	"github.com/sohoa/sohoa/internal/need"
)

// softhsmLib is where Debian's softhsm2 puts its PKCS#11 module.
const softhsmLib = "/usr/lib/softhsm/libsofthsm2.so"

// softToken makes a SoftHSM token in a temporary folder holding a key made
// here and its certificate, both labelled label, and returns the module's
// path.
func softToken(t *testing.T, label, pin string, kind string) (lib string, chain []*x509.Certificate) {
	t.Helper()
	util := need.Tool(t, "softhsm2-util", "softhsm2")
	if _, err := os.Stat(softhsmLib); err != nil {
		need.Missing(t, softhsmLib, "softhsm2")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "softhsm2.conf")
	if err := os.MkdirAll(filepath.Join(dir, "tokens"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte("directories.tokendir = "+filepath.Join(dir, "tokens")+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", conf)
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(util, args...).CombinedOutput(); err != nil {
			t.Fatalf("softhsm2-util %v: %v\n%s", args, err, out)
		}
	}
	run("--init-token", "--free", "--label", "sohoa-test", "--pin", pin, "--so-pin", "so-"+pin)
	key, chain := testPKI(t, kind)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "key.pem")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	run("--import", keyFile, "--token", "sohoa-test", "--label", label, "--id", "01", "--pin", pin)
	ctx, err := crypto11.Configure(&crypto11.Config{Path: softhsmLib, TokenLabel: "sohoa-test", Pin: pin})
	if err != nil {
		t.Fatal(err)
	}
	if err := ctx.ImportCertificateWithLabel([]byte{1}, []byte(label), chain[0]); err != nil {
		t.Fatal(err)
	}
	if err := ctx.Close(); err != nil {
		t.Fatal(err)
	}
	return softhsmLib, chain
}

// TestPKCS11 signs with a key on a SoftHSM token, found by its label.
func TestPKCS11(t *testing.T) {
	for _, kind := range []string{"rsa", "ecdsa"} {
		t.Run(kind, func(t *testing.T) {
			lib, chain := softToken(t, "ky-so", "1234", kind)
			if _, err := OpenPKCS11(PKCS11{Library: lib, KeyLabel: "ky-so", PIN: "0000"}); err == nil {
				t.Error("a wrong PIN opens the token")
			}
			if _, err := OpenPKCS11(PKCS11{Library: lib, KeyLabel: "khac", PIN: "1234"}); err == nil {
				t.Error("a key label that is not on the token opens a key")
			}
			k, err := OpenPKCS11(PKCS11{Library: lib, KeyLabel: "ky-so", PIN: "1234", Chain: chain[1:]})
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			if !k.Chain[0].Equal(chain[0]) {
				t.Fatal("the token's certificate is not the one imported")
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
		})
	}
}
