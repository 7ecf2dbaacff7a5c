package sign

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/fault"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Signature is what a PDF's signature says and whether it holds.
type Signature struct {
	// Field is the signature field's name (/T); FieldName for sohoa's own.
	Field string `json:"field,omitempty"`
	// Type is the signature's /SubFilter: "adbe.pkcs7.detached",
	// "ETSI.CAdES.detached", ….
	Type string `json:"type"`
	// Signer and Issuer are the signing certificate's subject and issuer
	// (RFC 2253 form); empty when the certificate is not in the signature.
	Signer string `json:"signer"`
	Issuer string `json:"issuer,omitempty"`
	// Serial and SHA256 identify the signing certificate (hex).
	Serial string `json:"serial,omitempty"`
	SHA256 string `json:"cert_sha256,omitempty"`
	// Time is the signing time the signer states (/M, or the CMS
	// signing-time attribute); not proof of time. Timestamp is the time
	// of an RFC 3161 signature time-stamp that verifies, if there is one.
	Time      time.Time `json:"time,omitzero"`
	Timestamp time.Time `json:"timestamp,omitzero"`
	// Hash is the digest algorithm: "SHA-1", "SHA-256", ….
	Hash string `json:"hash,omitempty"`
	// Valid: the signed bytes are intact and the signature value verifies
	// with the signer's certificate. It says nothing of trust in the
	// certificate: no chain is built here.
	Valid bool `json:"valid"`
	// WholeFile: the signature covers the whole file but its own value, so
	// nothing was appended after it.
	WholeFile bool `json:"whole_file"`
	// Problem says why the signature is not valid.
	Problem string `json:"problem,omitempty"`

	Certificate *x509.Certificate `json:"-"`
}

// Signatures reads every signature of a PDF's form and checks each
// against the file's bytes, in the order of the file (the last signed
// last). A file without signatures has none; an error means the file
// could not be read as a PDF.
func Signatures(data []byte) (_ []Signature, err error) {
	defer fault.Catch(&err)
	var sigs []found
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	ctx, err := api.ReadContext(bytes.NewReader(data), conf)
	if err != nil {
		return nil, fmt.Errorf("sign: read PDF: %w", err)
	}
	root, err := ctx.Catalog()
	if err != nil {
		return nil, fmt.Errorf("sign: read PDF: %w", err)
	}
	form, _ := ctx.DereferenceDict(root["AcroForm"])
	if form == nil {
		return nil, nil
	}
	fields, _ := ctx.DereferenceArray(form["Fields"])
	seen := map[string]bool{}
	var walk func(o types.Object, name string, depth int)
	walk = func(o types.Object, name string, depth int) {
		f, _ := ctx.DereferenceDict(o)
		if f == nil || depth > 16 {
			return
		}
		if t, err := ctx.DereferenceText(f["T"]); err == nil && t != "" {
			if name != "" {
				name += "."
			}
			name += t
		}
		if kids, _ := ctx.DereferenceArray(f["Kids"]); len(kids) > 0 {
			for _, k := range kids {
				walk(k, name, depth+1)
			}
		}
		v, _ := ctx.DereferenceDict(f["V"])
		if v == nil || v["ByteRange"] == nil {
			return
		}
		key := fmt.Sprint(f["V"])
		if seen[key] {
			return
		}
		seen[key] = true
		sigs = append(sigs, check(ctx, data, name, v))
	}
	for _, f := range fields {
		walk(f, "", 0)
	}
	// In the order of the file: by where each signed range ends.
	for i := 1; i < len(sigs); i++ {
		for j := i; j > 0 && sigs[j].end < sigs[j-1].end; j-- {
			sigs[j], sigs[j-1] = sigs[j-1], sigs[j]
		}
	}
	out := make([]Signature, len(sigs))
	for i := range sigs {
		out[i] = sigs[i].Signature
	}
	return out, nil
}

type found struct {
	Signature
	end int64
}

func check(ctx *model.Context, data []byte, field string, v types.Dict) (s found) {
	s.Field = field
	if sf := v.NameEntry("SubFilter"); sf != nil {
		s.Type = *sf
	}
	if m, err := ctx.DereferenceText(v["M"]); err == nil {
		if t, ok := types.DateTime(m, true); ok {
			s.Time = t
		}
	}
	fail := func(format string, args ...any) found {
		s.Valid, s.Problem = false, fmt.Sprintf(format, args...)
		return s
	}
	br, _ := ctx.DereferenceArray(v["ByteRange"])
	var r []int64
	for _, o := range br {
		i, ok := o.(types.Integer)
		if !ok {
			return fail("bad /ByteRange")
		}
		r = append(r, int64(i))
	}
	n := int64(len(data))
	if len(r) != 4 || r[0] != 0 || r[1] < 0 || r[2] < r[1] || r[3] < 0 || r[2]+r[3] > n {
		return fail("bad /ByteRange %v", r)
	}
	s.end = r[2] + r[3]
	s.WholeFile = s.end == n && gapIsContents(data[r[1]:r[2]])
	gap := data[r[1]:r[2]]
	if !gapIsContents(gap) {
		return fail("the bytes the signature leaves out are not its /Contents")
	}
	raw, err := hex.DecodeString(string(evenHex(gap[1 : len(gap)-1])))
	if err != nil {
		return fail("/Contents: %v", err)
	}
	var der asn1.RawValue
	if _, err := asn1.Unmarshal(raw, &der); err != nil {
		return fail("/Contents is not DER: %v", err)
	}
	p, err := parseCMS(der.FullBytes)
	if err != nil {
		return fail("%v", err)
	}
	s.Hash = hashName(p.hash)
	if c := p.signer; c != nil {
		sum := sha256.Sum256(c.Raw)
		s.Signer, s.Issuer, s.Serial, s.SHA256, s.Certificate = c.Subject.String(), c.Issuer.String(), c.SerialNumber.Text(16), hex.EncodeToString(sum[:]), c
	}
	if st, ok := p.attrs[oidSigningTime.String()]; ok && s.Time.IsZero() {
		var t time.Time
		if _, err := asn1.Unmarshal(st, &t); err == nil {
			s.Time = t
		}
	}
	h := newHash(p.hash)
	h.Write(data[r[0]:r[1]])
	h.Write(data[r[2] : r[2]+r[3]])
	if err := p.verify(h.Sum(nil)); err != nil {
		return fail("%v", err)
	}
	s.Valid = true
	if t, ok := p.unsigned(oidTimeStampToken); ok {
		if info, err := checkToken(t, p.si.Signature); err == nil {
			s.Timestamp = info.GenTime
		}
	}
	return s
}

// evenHex drops a trailing odd digit (PDF pads a hex string with 0).
func evenHex(b []byte) []byte {
	if len(b)%2 == 1 {
		return append(append([]byte(nil), b...), '0')
	}
	return b
}

func hashName(h crypto.Hash) string {
	switch h {
	case crypto.SHA1:
		return "SHA-1"
	case crypto.SHA256:
		return "SHA-256"
	case crypto.SHA384:
		return "SHA-384"
	case crypto.SHA512:
		return "SHA-512"
	}
	return h.String()
}

// unsigned returns the first value of an unsigned attribute.
func (p *parsedCMS) unsigned(oid asn1.ObjectIdentifier) ([]byte, bool) {
	rest := p.si.UnsignedAttrs.Bytes
	for len(rest) > 0 {
		var a attribute
		r, err := asn1.Unmarshal(rest, &a)
		if err != nil {
			return nil, false
		}
		rest = r
		if a.Type.Equal(oid) {
			var v asn1.RawValue
			if _, err := asn1.Unmarshal(a.Values.Bytes, &v); err == nil {
				return v.FullBytes, true
			}
		}
	}
	return nil, false
}

// Errors of Verify, for errors.Is.
var (
	// ErrUnsigned: the file has no signature of sohoa's.
	ErrUnsigned = errors.New("not signed by sohoa")
	// ErrInvalid: sohoa's signature does not hold (the file was changed
	// after signing, or the signature was damaged).
	ErrInvalid = errors.New("sohoa's signature is not valid")
)

// Verify checks sohoa's own signature on a PDF: there must be one
// (FieldName), valid, covering the whole file. It returns that signature;
// the errors wrap ErrUnsigned or ErrInvalid.
func Verify(data []byte) (*Signature, error) {
	sigs, err := Signatures(data)
	if err != nil {
		return nil, err
	}
	for i := len(sigs) - 1; i >= 0; i-- {
		s := sigs[i]
		if s.Field != FieldName {
			continue
		}
		switch {
		case !s.Valid:
			return &s, fmt.Errorf("%w: %s", ErrInvalid, s.Problem)
		case !s.WholeFile:
			return &s, fmt.Errorf("%w: the file was changed after it was signed (bytes appended)", ErrInvalid)
		}
		return &s, nil
	}
	return nil, ErrUnsigned
}
