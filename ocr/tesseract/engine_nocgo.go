//go:build !cgo

package tesseract

import (
	"errors"
	"image"
)

// Config of an engine.
type Config struct {
	Languages      []string
	TessdataPrefix string
}

// Engine is unavailable in a build without cgo.
type Engine struct{}

var errNoCgo = errors.New("tesseract: this sohoa was built without cgo, so it cannot run OCR; rebuild with CGO_ENABLED=1 and libtesseract-dev installed")

// New reports that OCR is not built in.
func New(Config) (*Engine, error) { return nil, errNoCgo }

func (e *Engine) Name() string                                      { return "" }
func (e *Engine) Recognize(img []byte, dpi int) (*Page, error)      { return nil, errNoCgo }
func (e *Engine) Line(img []byte, dpi int) (string, float64, error) { return "", 0, errNoCgo }
func (e *Engine) Close() error                                      { return nil }

// OSD is unavailable in a build without cgo.
type OSD struct{}

// NewOSD reports that OCR is not built in.
func NewOSD(string) (*OSD, error) { return nil, errNoCgo }

func (o *OSD) Detect(*image.Gray, int) (int, float64, error) { return 0, 0, errNoCgo }
func (o *OSD) Close() error                                  { return nil }
