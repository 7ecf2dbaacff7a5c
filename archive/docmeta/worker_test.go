package docmeta

import (
	"image"
	"testing"

	"github.com/sohoa/sohoa/ingest/pages"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/digits"
	"github.com/sohoa/sohoa/ocr/tesseract"
	"github.com/sohoa/sohoa/pipeline"
)

// workerOCR reads pages with what sohoa's OCR worker reads them with
// (ocr.ReadPage: turned, straightened, shrunk to 200 dpi and binarised,
// read by Tesseract vie with a confidence for every character, the boxes
// mapped back onto the corrected page). What it returns is the worker's
// PageText, so the
// goldens of testdata/real and the synthetic test see what Extract sees in
// production.
type workerOCR struct {
	eng *tesseract.Engine
	osd *tesseract.OSD
}

// newWorkerOCR starts Tesseract, or skips the test when this build or this
// machine has none (CGO_ENABLED=0, no libtesseract).
func newWorkerOCR(t testing.TB) *workerOCR {
	t.Helper()
	w, err := startWorkerOCR()
	if err != nil {
		t.Skipf("no Tesseract: %v", err)
	}
	t.Cleanup(w.close)
	return w
}

func startWorkerOCR() (*workerOCR, error) {
	eng, err := tesseract.New(tesseract.Config{Languages: []string{"vie"}})
	if err != nil {
		return nil, err
	}
	return &workerOCR{eng: eng}, nil
}

func (w *workerOCR) close() {
	w.eng.Close()
	if w.osd != nil {
		w.osd.Close()
	}
}

// Detect is the worker's orientation check, started on first need.
func (w *workerOCR) Detect(img *image.Gray, dpi int) (int, float64, error) {
	if w.osd == nil {
		o, err := tesseract.NewOSD("")
		if err != nil {
			return 0, 0, err
		}
		w.osd = o
	}
	return w.osd.Detect(img, dpi)
}

// read reads one page image (as pages.Split gives it) as the worker does.
func (w *workerOCR) read(p pages.Page) (*pipeline.PageText, error) {
	dpi := p.DPIX
	if dpi <= 0 {
		dpi = 300 // the worker's defaultDPI
	}
	prep, lines, err := ocr.ReadPage(p.Data, string(p.Format), float64(dpi), w, w.eng)
	if err != nil {
		return nil, err
	}
	pt := &pipeline.PageText{
		Format: string(p.Format), Width: prep.Width, Height: prep.Height, DPIX: dpi, DPIY: dpi,
		Rotation: prep.Rotation, Skew: prep.Skew, Lines: lines, Engine: w.eng.Name(),
	}
	// The header's handwritten blanks, as the worker reads them on the
	// first pages; their crops stay out of the test's results.
	for _, b := range ocr.ReadBlanks(prep, lines, digits.Default(), w.eng, float64(dpi)) {
		pt.Blanks = append(pt.Blanks, b.Blank)
	}
	return pt, nil
}
