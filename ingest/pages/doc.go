// Package pages turns one scanned file into the images of its pages.
//
// # Place in the data flow
//
// Office scanners drop files into an inbox folder; one file is one document.
// The ingest stage takes a file only once it is complete, and then:
//
//	inbox/file ──ingest──> pages.Split ──> []Page ──> one blob per page (claim-check, work bucket)
//	                                              └──> one PageTask per page on JetStream ──> OCR workers
//
// Split decides the format by content (Detect; never by the file name) and
// returns the pages in order. Ingest stores each Page.Data as a blob, keyed
// from the file's SHA-256 and the page number, and queues one message per
// page carrying the blob key, Page.Format and the resolution. An OCR worker
// reads the blob with Go's image decoders (image/jpeg, image/png,
// golang.org/x/image/tiff) or with leptonica, so no page is in a form the two
// would read differently. The archive later embeds the same images in the PDF/A, so
// pages are passed on without re-encoding wherever possible: a JPEG or PNG
// file is its own page, a JPEG inside a PDF is taken out byte for byte, and
// CCITT G4 stays G4 (in a minimal single-page TIFF).
//
// # Electronic originals
//
// Split refuses a PDF page that draws no scan (ErrNoImage). SplitAll, which
// ingest uses, hands such a page back in its place, marked Electronic and
// without data, for package epdf to render and read from its own text; a
// page with a scan stays a scan even when it carries text too.
//
// # Failures
//
// Every error wraps one of ErrUnsupported, ErrCorrupt, ErrEncrypted,
// ErrTooLarge or ErrNoImage, with the page and a readable reason in the
// message. All are permanent: the same bytes always fail the same way, so
// ingest moves the file to failed/ with the message beside it rather than
// retrying. Nothing here is transient, and nothing here is logged.
//
// # Resources
//
// Split works on a file already in memory, decodes at most one page at a
// time, refuses a page larger than Limits.MaxPixels from its header before
// decoding it, and a file whose pages together would decode to more than
// Limits.MaxDecodedBytes. A TIFF page's strips or tiles are checked against
// its size before they are copied: as many as the size needs, inside the
// file, sharing no bytes with another (within the page or across pages),
// and no more compressed data than the page's pixels could take, so what
// Split returns is never much larger than the file. It never panics (a panic inside a third-party decoder is
// recovered and reported as ErrCorrupt). It keeps no state, starts no
// goroutines, reads no files and no environment, and may be called from
// several goroutines at once. It builds its own pdfcpu configuration, so it
// never reads or creates pdfcpu's configuration directory, whether or not
// main has called api.DisableConfigDir. It takes no context: a call lasts as long as
// decoding one file's pages, and callers check their context between files.
package pages
