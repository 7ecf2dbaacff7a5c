// Package tesseract is sohoa's binding to the Tesseract OCR engine, through
// gosseract (cgo). It is the only package of sohoa that needs cgo; built with
// CGO_ENABLED=0 it compiles to a twin whose New reports that OCR is missing,
// so that `go vet` and the stages that do no OCR still build without a C
// toolchain.
//
// An Engine wraps one Tesseract instance. It is not safe for concurrent use:
// a worker creates one per goroutine, once, and reuses it for every page.
// Tesseract's own OpenMP threads should be limited with OMP_THREAD_LIMIT=1 in
// the environment of the process (parallelism comes from running several
// engines on different pages).
package tesseract
