//go:build !cgo

package sign

// OpenPKCS11 needs cgo (crypto11 loads the token's module with dlopen);
// without it, it returns ErrNoCgo.
func OpenPKCS11(p PKCS11) (*Key, error) { return nil, ErrNoCgo }
