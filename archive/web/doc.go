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
//	GET   /api/audit?document=ID          the audit of a document (admin)
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
//	GET  /documents/{id}/audit     who viewed, downloaded, corrected it (admin)
//
// And the sign-in (login.go):
//
//	GET|POST /login     the Vietnamese login page; a session cookie
//	POST     /logout    ends it
//	GET|POST /password  change one's password (first, after a one-time one)
//
// Nothing but /healthz and the login is served to no one (guard.go): the API
// answers 401 without an account (a bearer token, the session cookie, or
// X-Remote-User from a trusted proxy) and 403 for a role too low; the pages
// send the browser to the login. Who corrects is that account, never a name
// in the request. Requests that change something need the page's CSRF token
// when the cookie or a proxy signed them in, and are refused when the
// browser says they come from another site (net/http.CrossOriginProtection).
// Sign-ins, searches, views, downloads and corrections are appended to the
// audit (package audit) before they are served (audit.go). Every answer goes
// through harden first: a Host of the allowlist, bounded
// query, path and body, and a Content-Security-Policy that lets no one frame
// the pages and runs only the pages' own script (a nonce per page).
package web
