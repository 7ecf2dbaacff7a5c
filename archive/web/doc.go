// Package web is sohoa's HTTP face: the JSON API, the Vietnamese web pages
// for archivists, /healthz and /metrics. It reads archived documents from the
// search index and their PDFs from the archive bucket, and follows the status
// of documents still in the pipeline by watching the status bucket, so that a
// clerk can see what became of a paper they dropped.
//
// The API (documented in the README):
//
//	GET /healthz                   200 once ready
//	GET /api/documents?q=&limit=   {"total": N, "documents": [...]}
//	GET /api/documents/{id}        one document, with its OCR "text"
//	GET /api/documents/{id}/pdf    the archived PDF
//	GET /                          search page
//	GET /documents/{id}            document page
package web
