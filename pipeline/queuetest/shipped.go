package queuetest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Shipped is a NATS server with JetStream configured as deploy/nats ships
// it: the accounts and permissions of deploy/nats/auth.conf, read from
// that very file, behind TLS that requires a client certificate from the
// office's CA (made for the test).
type Shipped struct {
	URL string
	// TLS files: the CA, and a client certificate and key signed by it.
	CA, Cert, Key string
	// Passwords of the users: ingest, worker, archive, admin.
	Passwords map[string]string

	dir, conf string
}

// AuthConf is the path of the shipped deploy/nats/auth.conf.
func AuthConf() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "deploy", "nats", "auth.conf")
}

// StartShipped starts a Shipped server for one test. The passwords reach
// the server as deploy/nats/auth.conf reads them, from the environment
// (t.Setenv: the test may not run in parallel).
func StartShipped(t *testing.T) *Shipped {
	t.Helper()
	dir := t.TempDir()
	auth, err := os.ReadFile(AuthConf())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "auth.conf"), auth, 0o600); err != nil {
		t.Fatal(err)
	}
	s := &Shipped{dir: dir, Passwords: map[string]string{}}
	for _, role := range []string{"ingest", "worker", "archive", "admin"} {
		s.Passwords[role] = "pw-of-" + role
		t.Setenv("SOHOA_NATS_"+strings.ToUpper(role)+"_PASSWORD", s.Passwords[role])
	}
	var serverCert, serverKey string
	s.CA, serverCert, serverKey, s.Cert, s.Key = makePKI(t, dir)
	s.conf = `listen: "127.0.0.1:-1"
jetstream { store_dir: "` + filepath.Join(dir, "js") + `" }
tls {
  cert_file: "` + serverCert + `"
  key_file: "` + serverKey + `"
  ca_file: "` + s.CA + `"
  verify: true
}
include "auth.conf"
`
	s.URL = s.Start(t, "js")
	return s
}

// Start starts another server of the same configuration on a store of its
// own (named store), and returns its URL.
func (s *Shipped) Start(t *testing.T, store string) string {
	t.Helper()
	path := filepath.Join(s.dir, store+".conf")
	conf := strings.Replace(s.conf, filepath.Join(s.dir, "js"), filepath.Join(s.dir, store), 1)
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	opts, err := server.ProcessConfigFile(path)
	if err != nil {
		t.Fatalf("the shipped auth.conf does not load: %v", err)
	}
	opts.NoSigs = true
	ns, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	t.Cleanup(ns.Shutdown)
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	return ns.ClientURL()
}

// Options log in as role, over TLS with the client certificate.
func (s *Shipped) Options(role string) []nats.Option {
	return []nats.Option{nats.UserInfo(role, s.Passwords[role]), nats.RootCAs(s.CA), nats.ClientCert(s.Cert, s.Key)}
}

// Env is the environment that makes a sohoa process log in as role.
func (s *Shipped) Env(role string) []string {
	return []string{"SOHOA_NATS_USER=" + role, "SOHOA_NATS_PASSWORD=" + s.Passwords[role],
		"SOHOA_NATS_CA=" + s.CA, "SOHOA_NATS_CERT=" + s.Cert, "SOHOA_NATS_KEY=" + s.Key}
}

// makePKI makes a CA, a server certificate for 127.0.0.1 and a client
// certificate, as an office makes with its own CA (README: Quyền tối thiểu).
func makePKI(t *testing.T, dir string) (ca, serverCert, serverKey, clientCert, clientKey string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sohoa test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	issue := func(name string, serial int64, usage x509.ExtKeyUsage) (string, string) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kder, err := x509.MarshalECPrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		return write(name+".pem", "CERTIFICATE", der), write(name+"-key.pem", "EC PRIVATE KEY", kder)
	}
	ca = write("ca.pem", "CERTIFICATE", caDER)
	serverCert, serverKey = issue("server", 2, x509.ExtKeyUsageServerAuth)
	clientCert, clientKey = issue("client", 3, x509.ExtKeyUsageClientAuth)
	return
}
