package sign

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"slices"
	"time"
)

// Object identifiers of CMS (RFC 5652), ESS (RFC 5035) and RFC 3161.
var (
	oidData                = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	oidSigningCertV2       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidTimeStampToken      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
	oidTSTInfo             = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	oidSHA1                = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA256              = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384              = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512              = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	oidRSA                 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidSHA1WithRSA         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	oidSHA256WithRSA       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidSHA384WithRSA       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	oidSHA512WithRSA       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	oidECDSAWithSHA256     = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA384     = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSAWithSHA512     = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidECPublicKey         = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidExtKeyUsageTimeStmp = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 8}
)

// The ASN.1 structures of CMS SignedData that signing and verifying need.

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,optional,tag:0"`
}

type signedData struct {
	Version          int
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContentInfo encapContentInfo
	Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos      []signerInfo  `asn1:"set"`
}

type encapContentInfo struct {
	EContentType asn1.ObjectIdentifier
	EContent     asn1.RawValue `asn1:"explicit,optional,tag:0"`
}

type signerInfo struct {
	Version            int
	SID                asn1.RawValue
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue // SET OF
}

type essCertIDv2 struct {
	// hashAlgorithm is SHA-256, the default, and so left out (DER).
	CertHash     []byte
	IssuerSerial issuerSerial
}

type issuerSerial struct {
	Issuer []asn1.RawValue // GeneralNames: one directoryName
	Serial *big.Int
}

type signingCertificateV2 struct {
	Certs []essCertIDv2
}

// cmsParams is what a CMS signature is made of.
type cmsParams struct {
	signer crypto.Signer
	chain  []*x509.Certificate // chain[0] signs
	// digest is the SHA-256 of the signed content (detached) or, when
	// eContent is set, of eContent.
	digest       []byte
	eContentType asn1.ObjectIdentifier // oidData if nil
	eContent     []byte                // nil: detached
	signingTime  time.Time             // zero: no signing-time attribute (PAdES puts it in /M)
}

// signCMS returns a DER CMS ContentInfo holding SignedData with one
// SignerInfo: signed attributes content-type, message-digest,
// signing-certificate-v2 (and signing-time when asked), SHA-256, signed by
// p.signer; and the signature value, which an RFC 3161 token covers.
func signCMS(p cmsParams) (der, sigValue []byte, si *signerInfo, sd *signedData, err error) {
	cert := p.chain[0]
	ctype := p.eContentType
	if ctype == nil {
		ctype = oidData
	}
	certHash := sha256.Sum256(cert.Raw)
	dirName, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 4, IsCompound: true, Bytes: cert.RawIssuer})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	scv2, err := asn1.Marshal(signingCertificateV2{Certs: []essCertIDv2{{
		CertHash:     certHash[:],
		IssuerSerial: issuerSerial{Issuer: []asn1.RawValue{{FullBytes: dirName}}, Serial: cert.SerialNumber},
	}}})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	attrs := []struct {
		oid asn1.ObjectIdentifier
		val any
	}{
		{oidContentType, ctype},
		{oidMessageDigest, p.digest},
		{oidSigningCertV2, asn1.RawValue{FullBytes: scv2}},
	}
	if !p.signingTime.IsZero() {
		attrs = append(attrs, struct {
			oid asn1.ObjectIdentifier
			val any
		}{oidSigningTime, p.signingTime.UTC()})
	}
	var encoded [][]byte
	for _, a := range attrs {
		v, err := asn1.Marshal(a.val)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		set, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: v})
		if err != nil {
			return nil, nil, nil, nil, err
		}
		e, err := asn1.Marshal(attribute{Type: a.oid, Values: asn1.RawValue{FullBytes: set}})
		if err != nil {
			return nil, nil, nil, nil, err
		}
		encoded = append(encoded, e)
	}
	slices.SortFunc(encoded, bytes.Compare) // DER orders a SET OF by encoding
	body := bytes.Join(encoded, nil)
	// The signature is over the attributes as a SET (tag 0x31); the
	// SignerInfo holds them under [0] IMPLICIT.
	toSign, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: body})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	h := sha256.Sum256(toSign)
	sigAlg, opts, err := signatureAlgorithm(p.signer.Public())
	if err != nil {
		return nil, nil, nil, nil, err
	}
	sig, err := p.signer.Sign(rand.Reader, h[:], opts)
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("sign: %w", err)
	}
	sid, err := asn1.Marshal(issuerAndSerial{Issuer: asn1.RawValue{FullBytes: cert.RawIssuer}, Serial: cert.SerialNumber})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	si = &signerInfo{
		Version:            1,
		SID:                asn1.RawValue{FullBytes: sid},
		DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: oidSHA256},
		SignedAttrs:        asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: body},
		SignatureAlgorithm: sigAlg,
		Signature:          sig,
	}
	var certs []byte
	for _, c := range p.chain {
		certs = append(certs, c.Raw...)
	}
	sd = &signedData{
		Version:          1,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{{Algorithm: oidSHA256}},
		EncapContentInfo: encapContentInfo{EContentType: ctype},
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: certs},
	}
	if p.eContent != nil {
		oct, err := asn1.Marshal(p.eContent)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		sd.EncapContentInfo.EContent = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: oct}
		sd.Version = 3 // eContentType other than id-data
	}
	der, err = marshalSignedData(sd, si)
	return der, sig, si, sd, err
}

// marshalSignedData encodes sd with the one SignerInfo si as a ContentInfo.
func marshalSignedData(sd *signedData, si *signerInfo) ([]byte, error) {
	sd.SignerInfos = []signerInfo{*si}
	inner, err := asn1.Marshal(*sd)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(contentInfo{ContentType: oidSignedData, Content: asn1.RawValue{FullBytes: explicit0(inner)}})
}

// explicit0 wraps der in a [0] EXPLICIT tag.
func explicit0(der []byte) []byte {
	b, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: der})
	return b
}

// signatureAlgorithm is the CMS signature algorithm for a public key, and
// the options for crypto.Signer.Sign over a SHA-256 digest.
func signatureAlgorithm(pub crypto.PublicKey) (pkix.AlgorithmIdentifier, crypto.SignerOpts, error) {
	switch pub.(type) {
	case *rsa.PublicKey:
		return pkix.AlgorithmIdentifier{Algorithm: oidRSA, Parameters: asn1.NullRawValue}, crypto.SHA256, nil
	case *ecdsa.PublicKey:
		return pkix.AlgorithmIdentifier{Algorithm: oidECDSAWithSHA256}, crypto.SHA256, nil
	}
	return pkix.AlgorithmIdentifier{}, nil, fmt.Errorf("sign: keys of type %T are not supported (RSA or ECDSA)", pub)
}

// parsedCMS is a CMS SignedData read back: its first SignerInfo, the
// certificates it carries and the signer's among them.
type parsedCMS struct {
	sd      signedData
	si      signerInfo
	certs   []*x509.Certificate
	signer  *x509.Certificate
	hash    crypto.Hash
	attrs   map[string][]byte // signed attribute OID → first value (DER)
	content []byte            // eContent, if encapsulated
}

// parseCMS reads a DER ContentInfo of SignedData. Trailing bytes (the zero
// padding of a PDF /Contents) are ignored.
func parseCMS(der []byte) (*parsedCMS, error) {
	var ci contentInfo
	if _, err := asn1.Unmarshal(der, &ci); err != nil {
		return nil, fmt.Errorf("not a CMS object: %w", err)
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return nil, fmt.Errorf("CMS content type %v, want SignedData", ci.ContentType)
	}
	p := &parsedCMS{}
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &p.sd); err != nil {
		return nil, fmt.Errorf("CMS SignedData: %w", err)
	}
	if len(p.sd.SignerInfos) == 0 {
		return nil, errors.New("CMS SignedData without a signer")
	}
	p.si = p.sd.SignerInfos[0]
	if len(p.sd.Certificates.Bytes) > 0 {
		certs, err := x509.ParseCertificates(p.sd.Certificates.Bytes)
		if err != nil {
			// Some certificates may be other kinds (attribute certificates):
			// read them one by one, keeping those that parse.
			rest := p.sd.Certificates.Bytes
			for len(rest) > 0 {
				var raw asn1.RawValue
				r, err := asn1.Unmarshal(rest, &raw)
				if err != nil {
					break
				}
				rest = r
				if c, err := x509.ParseCertificate(raw.FullBytes); err == nil {
					certs = append(certs, c)
				}
			}
		}
		p.certs = certs
	}
	if len(p.sd.EncapContentInfo.EContent.Bytes) > 0 {
		var oct []byte
		if _, err := asn1.Unmarshal(p.sd.EncapContentInfo.EContent.Bytes, &oct); err == nil {
			p.content = oct
		}
	}
	var ok bool
	if p.hash, ok = hashOf(p.si.DigestAlgorithm.Algorithm); !ok {
		return nil, fmt.Errorf("unsupported digest algorithm %v", p.si.DigestAlgorithm.Algorithm)
	}
	var ias issuerAndSerial
	if _, err := asn1.Unmarshal(p.si.SID.FullBytes, &ias); err == nil {
		for _, c := range p.certs {
			if c.SerialNumber.Cmp(ias.Serial) == 0 && bytes.Equal(c.RawIssuer, ias.Issuer.FullBytes) {
				p.signer = c
			}
		}
	} else if p.si.SID.Class == asn1.ClassContextSpecific && p.si.SID.Tag == 0 {
		for _, c := range p.certs {
			if bytes.Equal(c.SubjectKeyId, p.si.SID.Bytes) {
				p.signer = c
			}
		}
	}
	if len(p.si.SignedAttrs.Bytes) > 0 {
		p.attrs = map[string][]byte{}
		rest := p.si.SignedAttrs.Bytes
		for len(rest) > 0 {
			var a attribute
			r, err := asn1.Unmarshal(rest, &a)
			if err != nil {
				return nil, fmt.Errorf("CMS signed attributes: %w", err)
			}
			rest = r
			var first asn1.RawValue
			if _, err := asn1.Unmarshal(a.Values.Bytes, &first); err == nil {
				p.attrs[a.Type.String()] = first.FullBytes
			}
		}
	}
	return p, nil
}

func hashOf(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	switch {
	case oid.Equal(oidSHA1):
		return crypto.SHA1, true
	case oid.Equal(oidSHA256):
		return crypto.SHA256, true
	case oid.Equal(oidSHA384):
		return crypto.SHA384, true
	case oid.Equal(oidSHA512):
		return crypto.SHA512, true
	}
	return 0, false
}

func newHash(h crypto.Hash) hash.Hash {
	switch h {
	case crypto.SHA1:
		return sha1.New()
	case crypto.SHA384:
		return sha512.New384()
	case crypto.SHA512:
		return sha512.New()
	}
	return sha256.New()
}

// verify checks the CMS signature over content whose digest (with p.hash)
// is digest: the message-digest attribute against it and the signature
// over the signed attributes (or, without them, over digest itself) with
// the signer's certificate.
func (p *parsedCMS) verify(digest []byte) error {
	if p.signer == nil {
		return errors.New("the signer's certificate is not in the signature")
	}
	signed := digest
	if p.attrs != nil {
		md, ok := p.attrs[oidMessageDigest.String()]
		if !ok {
			return errors.New("no message-digest attribute")
		}
		var v []byte
		if _, err := asn1.Unmarshal(md, &v); err != nil {
			return fmt.Errorf("message-digest attribute: %w", err)
		}
		if !bytes.Equal(v, digest) {
			return errors.New("the signed bytes have changed (message digest differs)")
		}
		set, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: p.si.SignedAttrs.Bytes})
		if err != nil {
			return err
		}
		h := newHash(p.hash)
		h.Write(set)
		signed = h.Sum(nil)
	}
	switch pub := p.signer.PublicKey.(type) {
	case *rsa.PublicKey:
		if err := rsa.VerifyPKCS1v15(pub, p.hash, signed, p.si.Signature); err != nil {
			return errors.New("the signature value does not verify with the signer's key")
		}
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(pub, signed, p.si.Signature) {
			return errors.New("the signature value does not verify with the signer's key")
		}
	default:
		return fmt.Errorf("signer key of type %T not supported", pub)
	}
	return nil
}
