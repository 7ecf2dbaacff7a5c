// Package epdf reads the pages of electronic PDFs — documents made by
// office software rather than a scanner — with poppler, a real renderer
// from Debian (package poppler-utils), run as a subprocess.
//
// # Place in the data flow
//
// Ingest splits a PDF with package pages; a page that draws no scan comes
// back as pages.Page{Electronic: true}. Read then gives, for each such
// page, an image of it (a PNG that pdftoppm rendered) and its own text
// (pdftotext -bbox-layout: its words with their boxes), mapped onto the
// image's pixels:
//
//	PDF page with text ──pdftotext──> words ──legacy fonts? viet.Decode──> NFC lines ─┐
//	                  └──pdftoppm───> PNG ───────────────────────────────────────────┴─> pipeline.PageText (no OCR)
//	PDF page without usable text ──pdftoppm──> PNG ──> OCR worker, as a scan
//
// A page whose words are usable text is archived from them, not OCR'd:
// ingest writes its PageText itself, with confidence 99 for every word,
// and docmeta reads its number, date, type and agency from it as from a
// scan's OCR. A page with no usable text (nothing, or glyphs that map to
// no letters) goes to OCR as an image.
//
// # Legacy encodings
//
// Text set in TCVN3 (.VnTime, .VnTimeH, …) or VNI fonts extracts as Latin-1
// garbage. The fonts of each page (pdffonts) and the text itself
// (viet.DetectLegacy) say which lines are in which encoding, and they are
// decoded to Unicode with package viet. Such fonts are never installed, so
// the page would render as garbage too: Read renders from a copy of the
// file in which each non-embedded TCVN3 font is given an encoding that
// names the Vietnamese letters its bytes stand for, so that the substitute
// font (Liberation) draws them. The original file is never changed.
//
// # Resources and failures
//
// Every run of a tool has Config.Timeout (times the pages it renders), the
// caller's context, and at most Config.MaxMemory of address space. Consecutive pages are rendered by one run of
// pdftoppm, and a long file's fonts listed by one run of pdffonts, as each
// run parses the whole file. A page is rendered at Config.DPI, lower when
// that would pass Config.MaxPixels, and refused (pages.ErrTooLarge) when
// even 100 dpi would; the text of a file is read up to Config.MaxText
// bytes. The file is written to a temporary folder that Read removes.
// Errors wrap pages.ErrCorrupt or pages.ErrTooLarge (permanent: the same
// file fails the same way) or ErrTool (poppler is missing, or was stopped
// because the caller's context ended: retrying can mend that). Read keeps
// no state and may be called from several goroutines at once.
package epdf
