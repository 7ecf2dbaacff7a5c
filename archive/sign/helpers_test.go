package sign

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"testing"
)

func hex4(g uint16) string { return fmt.Sprintf("%04X", g) }

func atof(b []byte) float64 {
	f, _ := strconv.ParseFloat(string(b), 64)
	return f
}

var streamRE = regexp.MustCompile(`(?s)stream\n(.*?)\nendstream`)

// inflateAll returns the decompressed content of every Flate stream in b
// that decompresses, with the uncompressed ones, one after another.
func inflateAll(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	for _, m := range streamRE.FindAllSubmatch(b, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			out.Write(m[1])
			continue
		}
		d, _ := io.ReadAll(r)
		out.Write(d)
	}
	return out.Bytes()
}
