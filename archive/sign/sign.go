package sign

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Config says who signs and how.
type Config struct {
	// Key signs; Chain[0] is its certificate, followed by the
	// intermediate certificates to embed (the root may be left out).
	Key   crypto.Signer
	Chain []*x509.Certificate
	// Agency is the name of the agency making the copy, shown in the
	// appearance; default: the certificate's common name (or organization).
	Agency string
	// Form is the form of the copy (hình thức sao), shown on the first line;
	// default "Sao y từ văn bản giấy sang văn bản điện tử" (NĐ 30/2020, art. 25).
	Form string
	// TimestampURL, if set, is an RFC 3161 time-stamping service: each
	// signature gets a signature time-stamp (PAdES B-T). Empty: B-B.
	TimestampURL string
	// HTTP is the client for the time-stamping service (default: one with
	// a 30-second timeout).
	HTTP *http.Client
	// Zone is the time zone of the signing time shown and stated (default
	// Vietnam's, UTC+7); Now is the clock (default time.Now).
	Zone *time.Location
	Now  func() time.Time
}

// DefaultForm is the form of copy a digitised paper document is.
const DefaultForm = "Sao y từ văn bản giấy sang văn bản điện tử"

// FieldName is the name (/T) of the signature field sohoa adds: Sign
// replaces a field of that name, and Verify looks for it.
const FieldName = "sohoa"

// Signer signs PDFs. It is safe for concurrent use if its Key is.
type Signer struct {
	cfg     Config
	subject string
}

// New returns a Signer for cfg, with defaults filled in.
func New(cfg Config) (*Signer, error) {
	if cfg.Key == nil || len(cfg.Chain) == 0 {
		return nil, errors.New("sign: no key or certificate")
	}
	if _, _, err := signatureAlgorithm(cfg.Key.Public()); err != nil {
		return nil, err
	}
	if !publicKeysEqual(cfg.Key.Public(), cfg.Chain[0].PublicKey) {
		return nil, errors.New("sign: the certificate is not the key's")
	}
	c := cfg.Chain[0]
	if cfg.Agency == "" {
		cfg.Agency = c.Subject.CommonName
		if cfg.Agency == "" && len(c.Subject.Organization) > 0 {
			cfg.Agency = c.Subject.Organization[0]
		}
	}
	if cfg.Form == "" {
		cfg.Form = DefaultForm
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Zone == nil {
		cfg.Zone = time.FixedZone("ICT", 7*3600)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if _, err := serifFont(); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return &Signer{cfg: cfg, subject: c.Subject.String()}, nil
}

// Subject is the signing certificate's subject.
func (s *Signer) Subject() string { return s.subject }

func publicKeysEqual(a, b crypto.PublicKey) bool {
	ea, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && ea.Equal(b)
}

// Sign returns pdf signed: pdf itself, byte for byte, followed by an
// incremental update that adds a PAdES signature (ETSI.CAdES.detached,
// SHA-256, B-B or B-T) covering the whole file, and a signature field at
// the top right of page 1 whose appearance is text only: the form of the
// copy, the agency and the signing time (ISO 8601), as NĐ 30/2020 asks for
// a digitised copy. A signature field sohoa added earlier (FieldName) is
// dropped from the form and the page; signatures of others are kept.
//
// The first element of the trailer's /ID is kept, so the file keeps its
// permanent identity; a PDF/A-2u input stays PDF/A-2u (the font is
// embedded, the widget printable, nothing else changes). The input must
// use a classic cross-reference table (as archive/pdf writes), not a
// cross-reference stream.
func (s *Signer) Sign(ctx context.Context, pdf []byte) ([]byte, error) {
	now := s.cfg.Now().In(s.cfg.Zone).Truncate(time.Second)
	inc, err := newIncrement(pdf)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	lines := []string{s.cfg.Form, s.cfg.Agency, "Thời gian ký: " + now.Format(time.RFC3339)}
	reserve := 4096 + 2*1024
	for _, c := range s.cfg.Chain {
		reserve += len(c.Raw)
	}
	if s.cfg.TimestampURL != "" {
		reserve += 16384
	}
	out, ranges, err := inc.write(lines, now, reserve)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	h := sha256.New()
	h.Write(out[ranges[0]:ranges[1]])
	h.Write(out[ranges[2]:ranges[3]])
	der, sigValue, si, sd, err := signCMS(cmsParams{signer: s.cfg.Key, chain: s.cfg.Chain, digest: h.Sum(nil)})
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	if s.cfg.TimestampURL != "" {
		token, err := timestamp(ctx, s.cfg.HTTP, s.cfg.TimestampURL, sigValue)
		if err != nil {
			return nil, fmt.Errorf("sign: time-stamp: %w", err)
		}
		if err := addUnsignedAttr(si, oidTimeStampToken, token); err != nil {
			return nil, fmt.Errorf("sign: time-stamp: %w", err)
		}
		if der, err = marshalSignedData(sd, si); err != nil {
			return nil, fmt.Errorf("sign: %w", err)
		}
	}
	enc := hex.EncodeToString(der)
	room := ranges[2] - ranges[1] - 2
	if len(enc) > room {
		return nil, fmt.Errorf("sign: the signature needs %d bytes, %d were reserved", len(enc)/2, room/2)
	}
	copy(out[ranges[1]+1:], strings.ToUpper(enc))
	return out, nil
}

// placeholder checks that a signed file's gap holds its hex string.
func gapIsContents(b []byte) bool {
	return len(b) >= 2 && b[0] == '<' && b[len(b)-1] == '>' && bytes.IndexFunc(b[1:len(b)-1], func(r rune) bool {
		return !strings.ContainsRune("0123456789abcdefABCDEF", r)
	}) < 0
}
