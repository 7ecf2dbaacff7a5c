package sign

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"software.sslmate.com/src/go-pkcs12"
)

// Key is a signing key and its certificate chain (the key's certificate
// first), opened from a PKCS#12 file or a PKCS#11 token. Close releases a
// token; Close of a file's key does nothing.
type Key struct {
	Signer crypto.Signer
	Chain  []*x509.Certificate
	close  func() error
}

// Close releases what the key holds open.
func (k *Key) Close() error {
	if k == nil || k.close == nil {
		return nil
	}
	return k.close()
}

// ErrNoCgo: PKCS#11 tokens need a build with cgo.
var ErrNoCgo = errors.New("sign: this sohoa was built without cgo, and PKCS#11 tokens need it")

// LoadPKCS12 opens the key and certificates of a PKCS#12 (.p12, .pfx)
// file, decrypted with password. The password is not kept or logged. The
// certificate of the key comes first in the chain, then the file's other
// certificates.
func LoadPKCS12(path, password string) (*Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	key, cert, cas, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			return nil, fmt.Errorf("sign: %s: wrong password (SOHOA_SIGN_PASSWORD)", path)
		}
		return nil, fmt.Errorf("sign: %s: %w", path, err)
	}
	s, ok := key.(crypto.Signer)
	if !ok || cert == nil {
		return nil, fmt.Errorf("sign: %s holds no signing key with a certificate", path)
	}
	return &Key{Signer: s, Chain: append([]*x509.Certificate{cert}, cas...)}, nil
}

// PKCS11 says which key of which token to open.
type PKCS11 struct {
	// Library is the path of the token's PKCS#11 module, e.g.
	// /usr/lib/softhsm/libsofthsm2.so.
	Library string
	// TokenLabel selects the token; empty: the first slot holding one.
	TokenLabel string
	// KeyLabel is the label (CKA_LABEL) of the private key and of its
	// certificate on the token.
	KeyLabel string
	// PIN is the user PIN; it is not kept beyond logging in, nor logged.
	PIN string
	// Chain is certificates to add after the token's (intermediate CAs).
	Chain []*x509.Certificate
}
