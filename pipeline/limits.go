package pipeline

// MaxPagePixels is the most pixels one page image may have anywhere in the
// pipeline: ingest refuses a larger page from its header (pages.Limits), the
// OCR worker refuses to decode one and never deskews a page past it, and
// the PDF writer refuses to embed one. It is one number so that a page that
// passes ingest is never OCR'd at great cost only to be refused by the
// archive as an internal error.
//
// 2^27 = 134 217 728 pixels. A3 at 600 dpi (7016 × 9921, 69.6 million) and
// A1 at 300 dpi (7016 × 9933, 69.7 million) fit with room to spare; A0 at
// 290 dpi fits, A0 at the full 300 dpi (9933 × 14043, 139.5 million) is
// just over and must be scanned a little coarser. Decoded as 8-bit grey
// such a page is 128 MiB, in RGBA 512 MiB, and OCR holds a few copies.
const MaxPagePixels = 1 << 27
