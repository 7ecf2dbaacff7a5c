// Package archive is the last stage of sohoa. When every page of a document
// has been read, it assembles the document's PDF from the page images and
// their OCR words (package pdf), reads the document's identity from its
// header (package docmeta), and commits the document to the archive bucket:
// the PDF first, then its JSON sidecar, under a key derived from the document
// number. The sidecar is the commit point: a document whose sidecar is in the
// bucket is archived, and the search index (package index) can always be
// rebuilt from the sidecars alone.
//
// After the commit it indexes the document, marks it archived, announces it
// on sohoa.events.archived, and tells the ingest that owns the original to
// retire it. Every step is safe to repeat: a DocReady message that comes again
// finds the document archived and only repeats the announcements, which the
// stream deduplicates.
//
// Run owns its goroutines and returns when its context ends.
package archive
