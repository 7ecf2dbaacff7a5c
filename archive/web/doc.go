// Package web is sohoa's HTTP face: the JSON API, the Vietnamese web pages
// for archivists, /healthz and /metrics. It reads archived documents from the
// search index, their records and corrections through the archive stage,
// their PDFs and originals from the archive bucket, and follows the status of
// documents still in the pipeline by watching the status bucket, so that a
// clerk can see what became of a paper they dropped.
//
// The API is described in openapi.yaml (served at /api/openapi.yaml):
//
//	GET   /healthz                        200 once ready
//	GET   /api/documents?q=&year=&type=&agency=&review=&limit=&offset=
//	                                      {"total", "documents", "facets"}
//	GET   /api/documents/{id}             one document in full: OCR text,
//	                                      review reasons, confidences, corrections
//	PATCH /api/documents/{id}             an archivist's correction (JSON)
//	GET   /api/documents/{id}/pdf         the archived PDF/A
//	GET   /api/documents/{id}/original    the file as it was dropped
//	GET   /api/documents/{id}/crops/{name} the crop (PNG) of a handwritten
//	                                      blank: number, date
//
// The pages, server-rendered (html/template, no build step):
//
//	GET  /                         search, with facets and snippets; /?q=… is a link
//	GET  /review                   the review queue
//	GET  /review/{id}              one document of it to confirm or correct:
//	                               number and date beside the crops of their
//	                               blanks, pre-filled with the machine's
//	                               reading, keyboard first (Enter saves and
//	                               opens the next, Esc skips)
//	GET  /review/{id}/next         skip to the next one
//	GET  /pipeline                 documents still in the pipeline, and failures
//	GET  /documents/{id}           a document: its PDF, metadata, downloads, the
//	                               correction form and the history of changes
//	POST /documents/{id}/correct   the form's answer (from the review view:
//	                               then on to the next in the queue)
//
// Who corrects is the X-Remote-User header when an authenticating reverse
// proxy sets it, otherwise the name typed in the form (remembered in a
// cookie). Requests that change something are refused when the browser says
// they come from another site (net/http.CrossOriginProtection).
package web
