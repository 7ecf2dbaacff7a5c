package sign

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"github.com/sohoa/sohoa/archive/pdf"
	"github.com/sohoa/sohoa/archive/pdfcheck"
	"github.com/sohoa/sohoa/internal/need"
	"github.com/sohoa/sohoa/pipeline"
)

func TestMain(m *testing.M) {
	api.DisableConfigDir()
	os.Exit(m.Run())
}

// testCert makes a certificate for key, signed by parent's key (self-signed
// when parent is nil).
func testCert(t testing.TB, key crypto.Signer, cn string, parent *x509.Certificate, parentKey crypto.Signer, ca bool, eku ...x509.ExtKeyUsage) *x509.Certificate {
	t.Helper()
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"Tỉnh Quảng Ngãi"}, Country: []string{"VN"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:  eku,
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

// testPKI returns a key and its chain (leaf, CA): RSA or ECDSA.
func testPKI(t testing.TB, kind string) (crypto.Signer, []*x509.Certificate) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := testCert(t, caKey, "sohoa test CA", nil, nil, true)
	var key crypto.Signer
	switch kind {
	case "rsa":
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		key = k
	default:
		key, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	return key, []*x509.Certificate{testCert(t, key, "Ủy ban nhân dân huyện Bình Sơn", ca, caKey, false), ca}
}

// testPDF is what archive/pdf writes: an A4 page at 100 dpi with a line
// of text, and a second page.
func testPDF(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 827, 1169))
	for i := range img.Pix {
		img.Pix[i] = 0xF0
	}
	for x := 100; x < 700; x++ {
		img.Set(x, 200, color.Gray{0})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	text := &pipeline.PageText{Lines: []pipeline.Line{{
		Box:   pipeline.Box{X0: 100, Y0: 180, X1: 400, Y1: 210},
		Words: []pipeline.Word{{Text: "Quyết", Box: pipeline.Box{X0: 100, Y0: 180, X1: 200, Y1: 210}}, {Text: "định", Box: pipeline.Box{X0: 220, Y0: 180, X1: 300, Y1: 210}}},
	}}}
	p := pdf.Page{Image: b.Bytes(), Format: "png", DPIX: 100, DPIY: 100, Text: text}
	var out bytes.Buffer
	info := pdf.Info{Title: "Quyết định thử", Identifier: "15/2020/QĐ-UBND", Language: "vi", Producer: "sohoa test",
		Created: time.Date(2020, 3, 15, 9, 30, 0, 0, time.FixedZone("ICT", 7*3600))}
	if err := pdf.Write(&out, []pdf.Page{p, p}, info); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func newSigner(t testing.TB, key crypto.Signer, chain []*x509.Certificate, tsa string) *Signer {
	t.Helper()
	s, err := New(Config{Key: key, Chain: chain, TimestampURL: tsa})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var firstID = regexp.MustCompile(`/ID\s*\[\s*<([0-9A-Fa-f]+)>`)

func lastFirstID(b []byte) string {
	all := firstID.FindAllSubmatch(b, -1)
	if len(all) == 0 {
		return ""
	}
	return strings.ToUpper(string(all[len(all)-1][1]))
}

// checkSigned checks a signed file with poppler's pdfsig, with
// archive/pdfcheck and with the shared PDF/A checker.
func checkSigned(t *testing.T, signed []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "signed.pdf")
	if err := os.WriteFile(path, signed, 0o644); err != nil {
		t.Fatal(err)
	}
	pdfsig := need.Tool(t, "pdfsig", "poppler-utils")
	out, _ := exec.Command(pdfsig, path).CombinedOutput()
	for _, want := range []string{"Signature is Valid", "Total document signed", "ETSI.CAdES.detached", "SHA-256"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("pdfsig does not say %q:\n%s", want, out)
		}
	}
	if n := strings.Count(string(out), "Signature #"); n != 1 {
		t.Errorf("pdfsig lists %d signatures, want 1:\n%s", n, out)
	}
	problems, err := pdfcheck.Check(bytes.NewReader(signed), int64(len(signed)))
	if err != nil || len(problems) > 0 {
		t.Errorf("pdfcheck after signing: %v %v", err, problems)
	}
	pdfaCheck(t, path)
}

// pdfaCheck runs the shared PDF/A checker (../shared/tools beside the
// repository) on path.
func pdfaCheck(t *testing.T, path string) {
	t.Helper()
	tool := filepath.Join("..", "..", "..", "shared", "tools", "pdfa_check.py")
	if _, err := os.Stat(tool); err != nil {
		if os.Getenv("SOHOA_REQUIRE_PDFA") != "" {
			t.Fatalf("the PDF/A checker cannot run: %v", err)
		}
		t.Logf("the PDF/A checker cannot run: %v", err)
		return
	}
	out, err := exec.Command("/usr/bin/python3", tool, path).CombinedOutput()
	if want := path + ": OK\n"; string(out) != want {
		if os.Getenv("SOHOA_REQUIRE_PDFA") == "" && strings.Contains(string(out), "ModuleNotFoundError") {
			t.Logf("the PDF/A checker cannot run: %s", out)
			return
		}
		t.Errorf("pdfa_check.py (%v):\n%s", err, out)
	}
}

func TestSign(t *testing.T) {
	src := testPDF(t)
	for _, kind := range []string{"rsa", "ecdsa"} {
		t.Run(kind, func(t *testing.T) {
			key, chain := testPKI(t, kind)
			s := newSigner(t, key, chain, "")
			signed, err := s.Sign(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(signed, src) {
				t.Fatal("the signed file does not begin with the original's bytes (not an incremental update)")
			}
			if got, want := lastFirstID(signed), lastFirstID(src); got != want || got == "" {
				t.Errorf("permanent ID %q after signing, want %q", got, want)
			}
			checkSigned(t, signed)
			sig, err := Verify(signed)
			if err != nil {
				t.Fatal(err)
			}
			if sig.Signer != chain[0].Subject.String() || sig.Type != "ETSI.CAdES.detached" || sig.Hash != "SHA-256" || !sig.WholeFile {
				t.Errorf("Verify = %+v", sig)
			}
			if !sig.Timestamp.IsZero() {
				t.Errorf("a time-stamp without a time-stamping service: %v", sig.Timestamp)
			}
			// The signing-certificate-v2 attribute names the signer's
			// certificate by its SHA-256.
			sigs, _ := Signatures(signed)
			if len(sigs) != 1 {
				t.Fatalf("%d signatures", len(sigs))
			}
		})
	}
}

// TestAppearance checks the text of the signature's appearance: the form
// of the copy, the agency and the signing time in ISO 8601, top right.
func TestAppearance(t *testing.T) {
	key, chain := testPKI(t, "ecdsa")
	s, err := New(Config{Key: key, Chain: chain, Agency: "Văn phòng HĐND và UBND huyện Bình Sơn",
		Now: func() time.Time { return time.Date(2026, 12, 5, 1, 2, 3, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := s.Sign(context.Background(), testPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(signed, []byte("/M(D:20261205080203+07'00')")) {
		t.Errorf("no /M in Vietnam's time")
	}
	// The appearance shows glyphs; the ToUnicode map and the glyph ids
	// of the content stream give back the text.
	f, _ := serifFont()
	for _, line := range []string{DefaultForm, "Văn phòng HĐND và UBND huyện Bình Sơn", "Thời gian ký: 2026-12-05T08:02:03+07:00"} {
		var hx strings.Builder
		for _, r := range line {
			hx.WriteString(strings.ToUpper(hex4(f.glyph(r))))
		}
		if !bytes.Contains(inflateAll(t, signed), []byte("<"+hx.String()+"> Tj")) {
			t.Errorf("the appearance does not show %q", line)
		}
	}
	m := regexp.MustCompile(`/Subtype/Widget.*/Rect\[([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)\]`).FindSubmatch(signed)
	if m == nil {
		t.Fatal("no widget")
	}
	// The page is 595.44 x 841.68 points: the field ends 14 points from
	// its top right corner and lies in its right half.
	if string(m[3]) != "581.44" || string(m[4]) != "827.68" || atof(m[1]) < 595.44/2 {
		t.Errorf("widget at %s %s %s %s, want the top right of the page", m[1], m[2], m[3], m[4])
	}
}

func TestTampered(t *testing.T) {
	key, chain := testPKI(t, "ecdsa")
	signed, err := newSigner(t, key, chain, "").Sign(context.Background(), testPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(signed); err != nil {
		t.Fatal(err)
	}
	// A byte of the first page's image changed.
	changed := bytes.Clone(signed)
	i := bytes.Index(changed, []byte("stream\n")) + 100
	changed[i] ^= 0x01
	if _, err := Verify(changed); !errors.Is(err, ErrInvalid) {
		t.Errorf("a changed byte: Verify = %v, want ErrInvalid", err)
	}
	// Something appended after the signature.
	appended := append(bytes.Clone(signed), "% more\n"...)
	if _, err := Verify(appended); !errors.Is(err, ErrInvalid) {
		t.Errorf("bytes appended: Verify = %v, want ErrInvalid", err)
	}
	if _, err := Verify(testPDF(t)); !errors.Is(err, ErrUnsigned) {
		t.Errorf("unsigned: Verify = %v, want ErrUnsigned", err)
	}
}

// TestResign: signing a signed file again leaves one sohoa signature,
// the new one, covering the whole file.
func TestResign(t *testing.T) {
	key, chain := testPKI(t, "rsa")
	s := newSigner(t, key, chain, "")
	once, err := s.Sign(context.Background(), testPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	twice, err := s.Sign(context.Background(), once)
	if err != nil {
		t.Fatal(err)
	}
	checkSigned(t, twice)
	if lastFirstID(twice) != lastFirstID(once) {
		t.Error("the permanent ID changed")
	}
}

func TestNewRejects(t *testing.T) {
	key, chain := testPKI(t, "ecdsa")
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if _, err := New(Config{Key: other, Chain: chain}); err == nil {
		t.Error("New accepts a certificate that is not the key's")
	}
	if _, err := New(Config{Key: key}); err == nil {
		t.Error("New accepts no certificate")
	}
}

// tsaServer is a tiny RFC 3161 time-stamping service.
func tsaServer(t *testing.T, genTime time.Time) *httptest.Server {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cert := testCert(t, key, "sohoa test TSA", nil, nil, false, x509.ExtKeyUsageTimeStamping)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req timeStampReq
		if _, err := asn1.Unmarshal(body, &req); err != nil || r.Header.Get("Content-Type") != "application/timestamp-query" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		tst, err := asn1.Marshal(tstInfo{Version: 1, Policy: asn1.ObjectIdentifier{1, 2, 3, 4}, MessageImprint: req.MessageImprint,
			SerialNumber: big.NewInt(7), GenTime: genTime.UTC(), Nonce: req.Nonce})
		if err != nil {
			t.Error(err)
			return
		}
		d := sha256.Sum256(tst)
		token, _, _, _, err := signCMS(cmsParams{signer: key, chain: []*x509.Certificate{cert}, digest: d[:], eContentType: oidTSTInfo, eContent: tst, signingTime: genTime})
		if err != nil {
			t.Error(err)
			return
		}
		resp, _ := asn1.Marshal(timeStampResp{Status: pkiStatusInfo{Status: 0}, TimeStampToken: asn1.RawValue{FullBytes: token}})
		w.Header().Set("Content-Type", "application/timestamp-reply")
		w.Write(resp)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestTimestamp: with a time-stamping service the signature carries a
// signature time-stamp over its value (PAdES B-T).
func TestTimestamp(t *testing.T) {
	gen := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	srv := tsaServer(t, gen)
	key, chain := testPKI(t, "rsa")
	signed, err := newSigner(t, key, chain, srv.URL).Sign(context.Background(), testPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	checkSigned(t, signed)
	sig, err := Verify(signed)
	if err != nil {
		t.Fatal(err)
	}
	if !sig.Timestamp.Equal(gen) {
		t.Errorf("time-stamp %v, want %v", sig.Timestamp, gen)
	}
	// A service that answers for other data is refused.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer bad.Close()
	if _, err := newSigner(t, key, chain, bad.URL).Sign(context.Background(), testPDF(t)); err == nil {
		t.Error("Sign succeeds with a time-stamping service that fails")
	}
}

// TestRetitled: a correction rewrites a signed file (pdf.Retitle) and signs
// the new version; the old signature, no longer over these bytes, must not
// be left behind as a broken one.
func TestRetitled(t *testing.T) {
	key, chain := testPKI(t, "ecdsa")
	s := newSigner(t, key, chain, "")
	signed, err := s.Sign(context.Background(), testPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	var re bytes.Buffer
	if err := pdf.Retitle(&re, signed, pdf.Info{Title: "Trích yếu đã sửa", Identifier: "16/2020/QĐ-UBND", Language: "vi", Producer: "sohoa test",
		Created: time.Date(2020, 3, 15, 9, 30, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if sigs, err := Signatures(re.Bytes()); err != nil || len(sigs) != 0 {
		t.Errorf("the retitled file keeps %d signatures (%v), want none", len(sigs), err)
	}
	again, err := s.Sign(context.Background(), re.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	checkSigned(t, again)
	if lastFirstID(again) != lastFirstID(signed) {
		t.Error("the permanent ID changed")
	}
}
