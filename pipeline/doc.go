// Package pipeline holds what crosses stage boundaries in sohoa: the names of
// the JetStream streams, consumers, subjects and key-value buckets, the JSON
// messages that travel on them, the per-page OCR result that workers hand to
// the archive, and the rule that sorts a handler's failure into permanent or
// transient. Every stage (ingest, ocr, archive) imports it; it imports none of
// them.
//
// The flow, with the subjects it uses:
//
//	ingest  ── PageTask  ──> sohoa.pages.<doc>.<page>   (stream SOHOA_PAGES,  consumer "ocr")
//	worker  ── DocReady  ──> sohoa.docs.<doc>           (stream SOHOA_DOCS,   consumer "archive")
//	archive ── Retire    ──> sohoa.retire.<ingest>.<doc> (stream SOHOA_RETIRE, consumer "ingest-<ingest>")
//	archive ── Archived  ──> sohoa.events.archived      (stream SOHOA_EVENTS, for other systems)
//
// Payloads are claim-checks: page images and OCR results live in the work
// bucket of the object store, messages carry only their keys. Every message
// has a JetStream message id derived from the document id, so a publish that
// is repeated (a restart, a re-dropped file) is dropped by the stream's
// duplicate window, and every handler is written so that running it twice on
// the same message changes nothing.
//
// Consume settles every message by one policy (ConsumeWith): ack what is
// done, nak what may succeed later, fail the document of what never can.
// It also keeps the quarantine (quarantine.go): what became of each
// delivery is written to BucketReturns, so that a message whose handling
// kills the process, or runs past its deadline, fails its document after
// its second death instead of killing every process that takes it.
package pipeline
