//go:build cgo

package tesseract

/*
#cgo LDFLAGS: -ltesseract
#include <stdlib.h>
#include <tesseract/capi.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"image"
	"unsafe"
)

// OSD detects a page's orientation with Tesseract's orientation and script
// detection (the osd traineddata of Debian's tesseract-ocr-osd). It costs
// about as much as reading the page, so the worker asks it only when its
// own, cheaper estimate is unsure. Not safe for concurrent use.
type OSD struct {
	api *C.TessBaseAPI
}

// NewOSD starts an orientation detector.
func NewOSD(tessdataPrefix string) (*OSD, error) {
	initMu.Lock()
	defer initMu.Unlock()
	api := C.TessBaseAPICreate()
	if api == nil {
		return nil, errors.New("tesseract: cannot create an engine")
	}
	var prefix *C.char
	if tessdataPrefix != "" {
		prefix = C.CString(tessdataPrefix)
		defer C.free(unsafe.Pointer(prefix))
	}
	lang := C.CString("osd")
	defer C.free(unsafe.Pointer(lang))
	if C.TessBaseAPIInit3(api, prefix, lang) != 0 {
		C.TessBaseAPIDelete(api)
		return nil, errors.New("tesseract: orientation data (osd) is not installed: apt-get install tesseract-ocr-osd")
	}
	quiet, devnull := C.CString("debug_file"), C.CString("/dev/null")
	defer C.free(unsafe.Pointer(quiet))
	defer C.free(unsafe.Pointer(devnull))
	C.TessBaseAPISetVariable(api, quiet, devnull)
	return &OSD{api: api}, nil
}

// Detect returns the clockwise turn (0, 90, 180 or 270) that makes the
// page upright, and Tesseract's confidence in it (roughly, above 2 is sure).
// dpi is the image's resolution (0: 300).
func (o *OSD) Detect(img *image.Gray, dpi int) (rotation int, confidence float64, err error) {
	if dpi <= 0 {
		dpi = 300
	}
	b := img.Bounds()
	if b.Empty() {
		return 0, 0, errors.New("tesseract: empty image")
	}
	pix := img.Pix[img.PixOffset(b.Min.X, b.Min.Y):]
	C.TessBaseAPISetImage(o.api, (*C.uchar)(unsafe.Pointer(&pix[0])), C.int(b.Dx()), C.int(b.Dy()), 1, C.int(img.Stride))
	var deg C.int
	var conf C.float
	var script *C.char
	var scriptConf C.float
	C.TessBaseAPISetSourceResolution(o.api, C.int(dpi))
	// script points into Tesseract's own tables: despite capi.h's comment,
	// freeing it corrupts the heap (Tesseract 5.3 does not allocate it).
	ok := C.TessBaseAPIDetectOrientationScript(o.api, &deg, &conf, &script, &scriptConf)
	C.TessBaseAPIClear(o.api)
	if ok == 0 {
		return 0, 0, fmt.Errorf("tesseract: orientation not detected (too little text)")
	}
	// Tesseract reports how far the page is turned clockwise; undoing it
	// is the complementary clockwise turn.
	return (360 - int(deg)) % 360, float64(conf), nil
}

// Close releases the detector.
func (o *OSD) Close() error {
	C.TessBaseAPIEnd(o.api)
	C.TessBaseAPIDelete(o.api)
	return nil
}
