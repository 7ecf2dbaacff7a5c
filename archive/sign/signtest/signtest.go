// Package signtest makes signing keys for tests: a certificate authority
// and an agency's certificate, made with crypto/x509 when asked, and the
// PKCS#12 file that holds them.
package signtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/sohoa/sohoa/archive/sign"
)

// Agency is the common name of the certificates Key makes.
const Agency = "Ủy ban nhân dân huyện Bình Sơn"

// Key returns an RSA key and its chain: a certificate for Agency, issued by
// a test CA, then the CA's.
func Key(t testing.TB) *sign.Key {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca := cert(t, caKey, "sohoa test CA", nil, nil, true)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return &sign.Key{Signer: key, Chain: []*x509.Certificate{cert(t, key, Agency, ca, caKey, false), ca}}
}

// P12 writes k to a PKCS#12 file in a temporary folder, encrypted with
// password, and returns its path.
func P12(t testing.TB, k *sign.Key, password string) string {
	t.Helper()
	data, err := pkcs12.Modern2023.Encode(k.Signer, k.Chain[0], k.Chain[1:], password)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ky-so.p12")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Signer returns a sign.Signer for k.
func Signer(t testing.TB, k *sign.Key) *sign.Signer {
	t.Helper()
	s, err := sign.New(sign.Config{Key: k.Signer, Chain: k.Chain})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func cert(t testing.TB, key crypto.Signer, cn string, parent *x509.Certificate, parentKey crypto.Signer, ca bool) *x509.Certificate {
	t.Helper()
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"Tỉnh Quảng Ngãi"}, Country: []string{"VN"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}
	if ca {
		tmpl.IsCA, tmpl.BasicConstraintsValid, tmpl.KeyUsage = true, true, x509.KeyUsageCertSign|x509.KeyUsageCRLSign
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
