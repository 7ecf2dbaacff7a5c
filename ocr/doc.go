// Package ocr is the worker stage of sohoa: it takes pages from the queue (a
// durable pull consumer shared by every worker on every machine), reads each
// with Tesseract in Vietnamese, and stores the words with their boxes as the
// page's OCR result in the work bucket. The worker that stores the last
// result of a document tells the archive that the document is ready.
//
// Per page: fetch the image (a claim-check blob), prepare it for reading
// (Prepare: orientation and skew are corrected here), recognise it, store the
// result as JSON, then acknowledge. Handling the same page twice is harmless:
// a page whose result is already stored is not read again, and the "ready"
// message is deduplicated by the stream.
//
// Run owns its goroutines: one per configured worker, each with its own
// Tesseract engine, created once.
package ocr
