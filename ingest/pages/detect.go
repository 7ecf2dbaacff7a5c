package pages

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// pdfHeaderWindow is how far into a file the %PDF- header may start: PDF
// readers accept (and some scanners write) a few bytes of junk before it.
const pdfHeaderWindow = 1024

// Detect tells the format of a file from its first bytes (at least 8; 1024 is
// plenty, and a PDF header is looked for in the first 1024). It never looks at
// a file name. Anything but JPEG, PNG, TIFF or PDF is ErrUnsupported, with
// what the file looks like when that is known (zip/docx, gif, bmp, webp,
// heic, text…); an empty file is ErrEmpty.
func Detect(head []byte) (Format, error) {
	switch {
	case len(head) == 0:
		return "", fmt.Errorf("pages: %w: a file of 0 bytes", ErrEmpty)
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, nil
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return TIFF, nil
	case bytes.HasPrefix(head, []byte("II+\x00")), bytes.HasPrefix(head, []byte("MM\x00+")):
		return "", fmt.Errorf("pages: %w: BigTIFF file (only classic TIFF is supported)", ErrUnsupported)
	}
	if bytes.Contains(head[:min(len(head), pdfHeaderWindow)], []byte("%PDF-")) {
		return PDF, nil
	}
	return "", fmt.Errorf("pages: %w: %s", ErrUnsupported, lookalike(head))
}

// lookalike names the kind of file that head probably starts, for the
// message of ErrUnsupported.
func lookalike(head []byte) string {
	has := func(p string) bool { return bytes.HasPrefix(head, []byte(p)) }
	switch {
	case has("PK\x03\x04"), has("PK\x05\x06"):
		switch {
		case bytes.Contains(head, []byte("word/")):
			return "zip archive (a Word .docx document)"
		case bytes.Contains(head, []byte("xl/")):
			return "zip archive (an Excel .xlsx workbook)"
		case bytes.Contains(head, []byte("ppt/")):
			return "zip archive (a PowerPoint .pptx presentation)"
		case bytes.Contains(head, []byte("mimetypeapplication/vnd.oasis")):
			return "zip archive (an OpenDocument file)"
		case bytes.Contains(head, []byte("[Content_Types].xml")):
			return "zip archive (an Office Open XML document such as .docx)"
		}
		return "zip archive"
	case has("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"):
		return "old Microsoft Office document (.doc/.xls)"
	case has("GIF87a"), has("GIF89a"):
		return "GIF image"
	case has("BM") && len(head) >= 18 && isBMPHeaderSize(head[14:18]):
		return "BMP image"
	case has("RIFF") && len(head) >= 12 && string(head[8:12]) == "WEBP":
		return "WebP image"
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		switch string(head[8:12]) {
		case "heic", "heix", "hevc", "heim", "heis", "mif1", "msf1":
			return "HEIC/HEIF image"
		case "avif", "avis":
			return "AVIF image"
		case "jp2 ", "jpx ":
			return "JPEG 2000 image"
		}
		return "ISO media file (video or HEIF)"
	case has("\x00\x00\x00\x0CjP  \r\n\x87\n"), has("\xFF\x4F\xFF\x51"):
		return "JPEG 2000 image"
	case has("\x97JB2\r\n\x1A\n"):
		return "JBIG2 image"
	case has("AT&TFORM"):
		return "DjVu document"
	case has("\x1F\x8B"):
		return "gzip archive"
	case has("Rar!\x1A\x07"):
		return "RAR archive"
	case has("7z\xBC\xAF\x27\x1C"):
		return "7-Zip archive"
	case has("%!PS"):
		return "PostScript file"
	case has("{\\rtf"):
		return "RTF document"
	case has("\x00\x00\x01\x00"):
		return "Windows icon"
	case has("8BPS"):
		return "Photoshop image"
	}
	if looksLikeText(head) {
		t := bytes.ToLower(bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))))
		switch {
		case bytes.HasPrefix(t, []byte("<!doctype html")), bytes.HasPrefix(t, []byte("<html")):
			return "HTML document"
		case bytes.HasPrefix(t, []byte("<?xml")), bytes.HasPrefix(t, []byte("<svg")):
			return "XML document"
		}
		return "text file"
	}
	return fmt.Sprintf("unknown format (starts % x)", head[:min(len(head), 8)])
}

// isBMPHeaderSize reports whether b (little-endian) is the size of one of the
// BMP info headers.
func isBMPHeaderSize(b []byte) bool {
	switch uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24 {
	case 12, 16, 40, 52, 56, 64, 108, 124:
		return true
	}
	return false
}

// looksLikeText reports whether head is UTF-8 text without control characters
// other than white space. A multi-byte character cut by the end of head is
// allowed.
func looksLikeText(head []byte) bool {
	for i := 0; i < len(head); {
		r, n := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && n <= 1 {
			if len(head)-i < utf8.UTFMax && !utf8.FullRune(head[i:]) {
				return true
			}
			return false
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' || r == 0x7F {
			return false
		}
		i += n
	}
	return true
}
