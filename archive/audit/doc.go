// Package audit is the archive's append-only record of who did what: every
// sign-in, search, view, download and correction, as one entry (who, their
// role, from where, what, which document, when). It lives in the archive
// bucket beside the documents, one object per entry under audit/, written
// create-only (If-None-Match), so that an entry once written is never
// replaced by sohoa; and each entry carries the SHA-256 of the one before
// it, so that a changed, removed or reordered entry breaks the chain, which
// Verify (and `sohoa verify`) finds.
//
// Several archive nodes may append to one bucket: an entry whose place was
// taken meanwhile is appended again after the one that took it.
//
// Log's methods are safe for concurrent use.
//
// In the data flow it stands beside the web (package web), which appends
// an entry before it serves a request, and `sohoa verify`, which checks the
// chain; account changes reach it from the accounts file's journal
// (auth.Store.Drain), which a running server empties into it.
package audit
