// Package ccitt writes bilevel images as ITU-T T.6 (CCITT Group 4) data and
// as bilevel TIFF files, the format office scanners produce for black-and-white
// scans.
//
// In sohoa it is a producer only: fixtures/synth uses it to write the
// synthetic scans (multi-page G4 TIFF files and /CCITTFaxDecode images inside
// image-only PDFs) that exercise ingest and the OCR workers. Decoding is left
// to golang.org/x/image/tiff and golang.org/x/image/ccitt, which the tests use
// to check that every image comes back pixel for pixel.
//
// The functions keep no state and are safe for concurrent use.
package ccitt
