// Package sign signs the PDF/A files the archive stores, and reads and
// checks the signatures of PDFs.
//
// In the data flow it is the last step before a PDF is stored: the archive
// writes a document's PDF/A-2u (archive/pdf), or a correction's new version
// (pdf.Retitle), and hands the bytes to Signer.Sign, which returns them
// signed; that is what goes into the bucket. NĐ 30/2020/NĐ-CP gives a
// digitised copy legal value when the agency signs it: a digital signature
// at the top right of page 1, no signature image, the text giving the form
// of the copy, the agency and the signing time (ISO 8601), in Times New
// Roman 10 pt, black.
//
// The signature is PAdES baseline (ETSI EN 319 142-1): B-B, a CMS
// SignedData of subfilter ETSI.CAdES.detached with SHA-256 and the
// signing-certificate-v2 attribute, the signing time in the signature
// dictionary's /M (not in the CMS, as PAdES asks); B-T when a time-stamping
// service is configured (Config.TimestampURL): an RFC 3161 signature
// time-stamp in the unsigned attributes. It is written as an incremental
// update, so the bytes of the PDF/A are kept as they are and the file
// stays PDF/A-2u: the appearance is text only, in an embedded subset of
// Liberation Serif (Times New Roman's metrics, every Vietnamese letter),
// with a ToUnicode map; the widget is printable; the trailer keeps the
// first element of /ID, the file's permanent identity. The CMS is written
// with encoding/asn1 rather than with a PDF signing library: the one DESIGN.md
// names (digitorus/pdfsign) is not served in an approved release, and what
// is needed (one SignerInfo, three signed attributes, one increment) is
// small enough to own and to test against poppler's pdfsig.
//
// Keys come from a PKCS#12 file (LoadPKCS12) or a PKCS#11 token
// (OpenPKCS11, which needs cgo; a build without cgo returns an error
// saying so). Secrets are passed in by the caller (cmd/sohoa reads them
// from the environment) and never logged or kept beyond opening the key.
//
// Signatures reads every signature in a PDF's form and checks that its
// signed bytes are intact, that its value verifies with the signer's
// certificate, and whether it covers the whole file; Verify checks sohoa's
// own. Neither builds a certificate chain or judges trust.
//
// Signer is safe for concurrent use when its key is; the package keeps no
// other state than the parsed font, read once. pdfcpu is used to read
// files, so the program must have called pdfcpu's api.DisableConfigDir.
package sign
