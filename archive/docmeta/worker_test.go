package docmeta

import (
	"fmt"
	"image"
	"math"
	"testing"

	"github.com/sohoa/sohoa/ingest/pages"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/clean"
	"github.com/sohoa/sohoa/ocr/deskew"
	"github.com/sohoa/sohoa/ocr/tesseract"
	"github.com/sohoa/sohoa/pipeline"
)

// workerOCR reads pages the way sohoa's OCR worker does (ocr/worker.go):
// ocr.Prepare turns, straightens, shrinks to 200 dpi and binarises the
// page; Tesseract (vie, with a confidence for every character) reads the
// cleaned page; the boxes are scaled back onto the corrected page at the
// scan's resolution. What it returns is the worker's PageText, so the
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

// read reads one page image (as pages.Split gives it) and returns its
// PageText and the upright grey page the boxes refer to.
func (w *workerOCR) read(p pages.Page) (*pipeline.PageText, *image.Gray, error) {
	dpi := p.DPIX
	if dpi <= 0 {
		dpi = 300 // the worker's defaultDPI
	}
	prep, err := ocr.Prepare(p.Data, string(p.Format), dpi, w)
	if err != nil {
		return nil, nil, err
	}
	tp, err := w.eng.Recognize(prep.ForOCR, int(math.Round(prep.OCRDPI)))
	if err != nil {
		return nil, nil, err
	}
	pipeline.ScaleLines(tp.Lines, float64(prep.Width)/float64(prep.OCRWidth), float64(prep.Height)/float64(prep.OCRHeight))
	pt := &pipeline.PageText{
		Format: string(p.Format), Width: prep.Width, Height: prep.Height, DPIX: dpi, DPIY: dpi,
		Rotation: prep.Rotation, Skew: prep.Skew, Lines: tp.Lines, Engine: w.eng.Name(),
	}
	img, err := tesseract.Decode(p.Data)
	if err != nil {
		return nil, nil, fmt.Errorf("decode: %w", err)
	}
	var upright *image.Gray
	switch c := deskew.Correct(clean.Gray(img), prep.Rotation, prep.Skew).(type) {
	case *image.Gray:
		upright = c
	default:
		upright = clean.Gray(c)
	}
	return pt, upright, nil
}
