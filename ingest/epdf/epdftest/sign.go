package epdftest

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Sign signs a PDF that Make wrote with Options.SignatureSpace: a real
// adbe.pkcs7.detached signature over its /ByteRange, made by openssl with
// a self-signed certificate (so pdfsig finds the signature valid and the
// signer untrusted). dir is a folder for openssl's files.
func Sign(pdf []byte, dir string) ([]byte, error) {
	out := bytes.Clone(pdf)
	br := bytes.Index(out, []byte(byteRangePlaceholder))
	ci := bytes.Index(out, []byte("/Contents <"))
	if br < 0 || ci < 0 {
		return nil, fmt.Errorf("epdftest: no signature placeholder")
	}
	a := ci + len("/Contents ")
	end := bytes.IndexByte(out[a:], '>')
	if end < 0 {
		return nil, fmt.Errorf("epdftest: no end of /Contents")
	}
	b := a + end + 1
	r := fmt.Sprintf("[0 %d %d %d]", a, b, len(out)-b)
	if len(r) > len(byteRangePlaceholder) {
		return nil, fmt.Errorf("epdftest: byte range too long")
	}
	copy(out[br:], fmt.Sprintf("%-*s", len(byteRangePlaceholder), r))
	signed := append(bytes.Clone(out[:a]), out[b:]...)
	key, cert, tbs, sig := filepath.Join(dir, "key.pem"), filepath.Join(dir, "cert.pem"), filepath.Join(dir, "tbs"), filepath.Join(dir, "sig.der")
	if err := os.WriteFile(tbs, signed, 0o600); err != nil {
		return nil, err
	}
	for _, args := range [][]string{
		{"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=UBND xa Tan Phong/O=UBND"},
		{"cms", "-sign", "-binary", "-in", tbs, "-signer", cert, "-inkey", key, "-outform", "DER", "-md", "sha256", "-out", sig},
	} {
		if o, err := exec.Command("openssl", args...).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("epdftest: openssl %s: %v: %s", args[0], err, o)
		}
	}
	der, err := os.ReadFile(sig)
	if err != nil {
		return nil, err
	}
	h := hex.EncodeToString(der)
	if len(h) > b-a-2 {
		return nil, fmt.Errorf("epdftest: signature of %d bytes does not fit", len(der))
	}
	copy(out[a+1:], h)
	return out, nil
}
