//go:build !cgo

package tesseract

import (
	"bytes"
	"image"
	_ "image/jpeg" // Go's decoders stand in for leptonica's
	_ "image/png"

	_ "golang.org/x/image/tiff"
)

// Decode reads an encoded page image with Go's decoders (a build without
// cgo has no leptonica).
func Decode(data []byte) (image.Image, error) {
	img, _, err := image.Decode(bytes.NewReader(data))
	return img, err
}
