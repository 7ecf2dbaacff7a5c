//go:build cgo

package tesseract

/*
#cgo LDFLAGS: -llept
#include <stdlib.h>
#include <leptonica/allheaders.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"image"
	"unsafe"
)

// Decode reads an encoded page image (JPEG, PNG, TIFF — one page — or PNM)
// with leptonica, whose codecs (libjpeg-turbo, libpng, libtiff) are those
// Tesseract itself reads with, and two to four times faster than Go's. A
// black-and-white image comes back as *image.Gray holding 0 and 255, a grey
// one as *image.Gray, anything else as *image.RGBA.
func Decode(data []byte) (image.Image, error) {
	if len(data) == 0 {
		return nil, errors.New("empty image")
	}
	pix := C.pixReadMem((*C.l_uint8)(unsafe.Pointer(&data[0])), C.size_t(len(data)))
	if pix == nil {
		return nil, errors.New("leptonica cannot decode the image")
	}
	defer C.pixDestroy(&pix)
	if C.pixGetColormap(pix) != nil {
		p := C.pixRemoveColormap(pix, C.REMOVE_CMAP_BASED_ON_SRC)
		if p == nil {
			return nil, errors.New("leptonica cannot remove the colour map")
		}
		C.pixDestroy(&pix)
		pix = p
	}
	switch d := C.pixGetDepth(pix); d {
	case 1, 8, 32:
	case 2, 4, 16:
		p := C.pixConvertTo8(pix, 0)
		if p == nil {
			return nil, fmt.Errorf("leptonica cannot convert a %d-bit image", d)
		}
		C.pixDestroy(&pix)
		pix = p
	default:
		return nil, fmt.Errorf("%d-bit images are not supported", d)
	}
	w, h := int(C.pixGetWidth(pix)), int(C.pixGetHeight(pix))
	wpl := int(C.pixGetWpl(pix))
	words := unsafe.Slice((*uint32)(unsafe.Pointer(C.pixGetData(pix))), wpl*h)
	// Leptonica keeps pixels in 32-bit words, the first pixel in the most
	// significant bits, whatever the machine's byte order.
	switch C.pixGetDepth(pix) {
	case 1:
		g := image.NewGray(image.Rect(0, 0, w, h))
		for y := range h {
			row, out := words[y*wpl:(y+1)*wpl], g.Pix[y*w:(y+1)*w]
			for x := range out {
				if row[x>>5]&(0x80000000>>(x&31)) == 0 {
					out[x] = 255 // a 0 bit is background: white
				}
			}
		}
		return g, nil
	case 8:
		g := image.NewGray(image.Rect(0, 0, w, h))
		for y := range h {
			row, out := words[y*wpl:(y+1)*wpl], g.Pix[y*w:(y+1)*w]
			for x := range out {
				out[x] = uint8(row[x>>2] >> (24 - 8*(x&3)))
			}
		}
		return g, nil
	}
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		row, out := words[y*wpl:y*wpl+w], rgba.Pix[y*rgba.Stride:y*rgba.Stride+4*w]
		for x, v := range row {
			o := out[4*x : 4*x+4 : 4*x+4]
			o[0], o[1], o[2], o[3] = uint8(v>>24), uint8(v>>16), uint8(v>>8), 255
		}
	}
	return rgba, nil
}
