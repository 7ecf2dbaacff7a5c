//go:build cgo

package sign

import (
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/ThalesGroup/crypto11"
	"github.com/miekg/pkcs11"
)

// OpenPKCS11 opens the key p names on a PKCS#11 token, logged in with its
// PIN, and the key's certificate from the same token (same label). The
// key signs on the token; Close logs out and unloads the module.
func OpenPKCS11(p PKCS11) (*Key, error) {
	if p.Library == "" || p.KeyLabel == "" {
		return nil, errors.New("sign: PKCS#11 needs a module and a key label")
	}
	conf := &crypto11.Config{Path: p.Library, TokenLabel: p.TokenLabel, Pin: p.PIN}
	if p.TokenLabel == "" {
		slot, err := firstSlot(p.Library)
		if err != nil {
			return nil, err
		}
		conf.SlotNumber = &slot
	}
	ctx, err := crypto11.Configure(conf)
	if err != nil {
		return nil, fmt.Errorf("sign: PKCS#11 %s: %w", p.Library, err)
	}
	fail := func(err error) (*Key, error) {
		ctx.Close()
		return nil, err
	}
	signer, err := ctx.FindKeyPair(nil, []byte(p.KeyLabel))
	if err != nil {
		return fail(fmt.Errorf("sign: PKCS#11: find key %q: %w", p.KeyLabel, err))
	}
	if signer == nil {
		return fail(fmt.Errorf("sign: PKCS#11: no key labelled %q on the token", p.KeyLabel))
	}
	cert, err := ctx.FindCertificate(nil, []byte(p.KeyLabel), nil)
	if err != nil {
		return fail(fmt.Errorf("sign: PKCS#11: find certificate %q: %w", p.KeyLabel, err))
	}
	if cert == nil {
		return fail(fmt.Errorf("sign: PKCS#11: no certificate labelled %q on the token", p.KeyLabel))
	}
	return &Key{Signer: signer, Chain: append([]*x509.Certificate{cert}, p.Chain...), close: ctx.Close}, nil
}

// firstSlot is the number of the first slot of module lib that holds a
// token.
func firstSlot(lib string) (int, error) {
	m := pkcs11.New(lib)
	if m == nil {
		return 0, fmt.Errorf("sign: cannot load the PKCS#11 module %s", lib)
	}
	defer m.Destroy()
	if err := m.Initialize(); err != nil {
		return 0, fmt.Errorf("sign: PKCS#11 %s: %w", lib, err)
	}
	defer m.Finalize()
	slots, err := m.GetSlotList(true)
	if err != nil {
		return 0, fmt.Errorf("sign: PKCS#11 %s: %w", lib, err)
	}
	if len(slots) == 0 {
		return 0, fmt.Errorf("sign: PKCS#11 %s: no token present", lib)
	}
	return int(slots[0]), nil
}
