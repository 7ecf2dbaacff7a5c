package sign

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"time"
)

// RFC 3161 structures.

type messageImprint struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	HashedMessage []byte
}

type timeStampReq struct {
	Version        int
	MessageImprint messageImprint
	Nonce          *big.Int `asn1:"optional"`
	CertReq        bool     `asn1:"optional,default:false"`
}

type pkiStatusInfo struct {
	Status       int
	StatusString []asn1.RawValue `asn1:"optional"`
	FailInfo     asn1.BitString  `asn1:"optional"`
}

type timeStampResp struct {
	Status         pkiStatusInfo
	TimeStampToken asn1.RawValue `asn1:"optional"`
}

type tstInfo struct {
	Version        int
	Policy         asn1.ObjectIdentifier
	MessageImprint messageImprint
	SerialNumber   *big.Int
	GenTime        time.Time `asn1:"generalized"`
	Accuracy       accuracy  `asn1:"optional"`
	Ordering       bool      `asn1:"optional,default:false"`
	Nonce          *big.Int  `asn1:"optional"`
}

type accuracy struct {
	Seconds int `asn1:"optional"`
	Millis  int `asn1:"optional,tag:0"`
	Micros  int `asn1:"optional,tag:1"`
}

// maxTimestampResponse bounds what is read from a time-stamping service.
const maxTimestampResponse = 1 << 20

// timestamp asks the RFC 3161 service at url for a time-stamp token over
// sigValue (a signature-time-stamp, ETSI EN 319 122-1 5.3), and returns the
// token (a DER ContentInfo) after checking that it stamps that value.
func timestamp(ctx context.Context, client *http.Client, url string, sigValue []byte) ([]byte, error) {
	h := sha256.Sum256(sigValue)
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, err
	}
	req, err := asn1.Marshal(timeStampReq{
		Version:        1,
		MessageImprint: messageImprint{HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA256}, HashedMessage: h[:]},
		Nonce:          nonce,
		CertReq:        true,
	})
	if err != nil {
		return nil, err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(req))
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Content-Type", "application/timestamp-query")
	resp, err := client.Do(hreq)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %s", url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTimestampResponse))
	if err != nil {
		return nil, err
	}
	var tsr timeStampResp
	if _, err := asn1.Unmarshal(body, &tsr); err != nil {
		return nil, fmt.Errorf("%s: not a time-stamp response: %w", url, err)
	}
	if tsr.Status.Status > 1 || len(tsr.TimeStampToken.FullBytes) == 0 {
		return nil, fmt.Errorf("%s: time-stamp refused (status %d)", url, tsr.Status.Status)
	}
	token := tsr.TimeStampToken.FullBytes
	info, err := checkToken(token, sigValue)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	if info.Nonce == nil || info.Nonce.Cmp(nonce) != 0 {
		return nil, fmt.Errorf("%s: the time-stamp answers another request (nonce)", url)
	}
	return token, nil
}

// checkToken verifies a time-stamp token's signature and that it stamps
// data, and returns its TSTInfo.
func checkToken(token, data []byte) (*tstInfo, error) {
	p, err := parseCMS(token)
	if err != nil {
		return nil, fmt.Errorf("time-stamp token: %w", err)
	}
	if !p.sd.EncapContentInfo.EContentType.Equal(oidTSTInfo) || p.content == nil {
		return nil, errors.New("time-stamp token without TSTInfo")
	}
	h := newHash(p.hash)
	h.Write(p.content)
	if err := p.verify(h.Sum(nil)); err != nil {
		return nil, fmt.Errorf("time-stamp token: %w", err)
	}
	var info tstInfo
	if _, err := asn1.Unmarshal(p.content, &info); err != nil {
		return nil, fmt.Errorf("TSTInfo: %w", err)
	}
	ih, ok := hashOf(info.MessageImprint.HashAlgorithm.Algorithm)
	if !ok {
		return nil, errors.New("TSTInfo: unsupported hash")
	}
	dh := newHash(ih)
	dh.Write(data)
	if !bytes.Equal(dh.Sum(nil), info.MessageImprint.HashedMessage) {
		return nil, errors.New("the time-stamp is for other data")
	}
	return &info, nil
}

// addUnsignedAttr adds an unsigned attribute with one value (DER) to si.
func addUnsignedAttr(si *signerInfo, oid asn1.ObjectIdentifier, value []byte) error {
	set, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: value})
	if err != nil {
		return err
	}
	a, err := asn1.Marshal(attribute{Type: oid, Values: asn1.RawValue{FullBytes: set}})
	if err != nil {
		return err
	}
	si.UnsignedAttrs = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 1, IsCompound: true, Bytes: append(si.UnsignedAttrs.Bytes, a...)}
	return nil
}
