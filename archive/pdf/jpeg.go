package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// jpegInfo is what the PDF image dictionary needs from a JPEG's headers.
type jpegInfo struct {
	width, height int
	components    int  // 1, 3 or 4
	adobe         bool // an Adobe APP14 marker is present
}

// parseJPEG reads the markers of a JPEG up to its first scan. It accepts the
// codings every PDF reader decodes with /DCTDecode: baseline, extended
// sequential and progressive Huffman coding, 8 bits per sample, with 1, 3 or
// 4 components.
func parseJPEG(b []byte) (jpegInfo, error) {
	var info jpegInfo
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return info, errors.New("jpeg: missing SOI marker")
	}
	sof := false
	for i := 2; ; {
		// Markers may be preceded by any number of 0xFF fill bytes.
		if i >= len(b) || b[i] != 0xFF {
			return info, fmt.Errorf("jpeg: no marker at offset %d", i)
		}
		for i < len(b) && b[i] == 0xFF {
			i++
		}
		if i >= len(b) {
			return info, errors.New("jpeg: truncated before first scan")
		}
		m := b[i]
		i++
		switch {
		case m == 0x01 || (m >= 0xD0 && m <= 0xD7): // TEM, RSTn: no length
			continue
		case m == 0xD8 || m == 0xD9:
			return info, fmt.Errorf("jpeg: unexpected marker %02X before first scan", m)
		}
		if i+2 > len(b) {
			return info, errors.New("jpeg: truncated marker segment")
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		if n < 2 || i+n > len(b) {
			return info, fmt.Errorf("jpeg: marker %02X: bad length %d", m, n)
		}
		seg := b[i+2 : i+n]
		i += n
		switch m {
		case 0xC0, 0xC1, 0xC2: // SOF0 baseline, SOF1 extended, SOF2 progressive
			if sof {
				return info, errors.New("jpeg: more than one frame header")
			}
			sof = true
			if len(seg) < 6 {
				return info, errors.New("jpeg: short frame header")
			}
			if seg[0] != 8 {
				return info, fmt.Errorf("jpeg: %d bits per sample, want 8", seg[0])
			}
			info.height = int(binary.BigEndian.Uint16(seg[1:]))
			info.width = int(binary.BigEndian.Uint16(seg[3:]))
			info.components = int(seg[5])
			if info.width == 0 || info.height == 0 {
				// A zero height means the height follows in a DNL marker
				// after the first scan, which PDF readers do not support.
				return info, fmt.Errorf("jpeg: frame size %dx%d", info.width, info.height)
			}
			if c := info.components; c != 1 && c != 3 && c != 4 {
				return info, fmt.Errorf("jpeg: %d components, want 1, 3 or 4", c)
			}
			if len(seg) < 6+3*info.components {
				return info, errors.New("jpeg: short frame header")
			}
		case 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF:
			return info, fmt.Errorf("jpeg: unsupported coding (SOF%d): lossless, hierarchical or arithmetic", m-0xC0)
		case 0xEE: // APP14
			if len(seg) >= 5 && string(seg[:5]) == "Adobe" {
				info.adobe = true
			}
		case 0xDA: // SOS
			if !sof {
				return info, errors.New("jpeg: scan before frame header")
			}
			return info, nil
		}
	}
}
