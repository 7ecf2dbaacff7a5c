package tesseract

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/viet"
)

// Page is what Tesseract read on one image.
type Page struct {
	Width, Height int
	Lines         []pipeline.Line
}

// parseHOCR reads Tesseract's hOCR output: ocr_page (size), ocr_par
// (paragraphs), ocr_line and its kin (lines, with bbox and baseline) and
// ocrx_word (words, with bbox and x_wconf). Word text is NFC, with look-alike
// letters mapped (viet.Normalize).
func parseHOCR(r io.Reader) (*Page, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	page := &Page{}
	para := 0
	var line *pipeline.Line
	var word *pipeline.Word
	var wordText, charText strings.Builder
	var chars []string // the text of each ocrx_cinfo of the word
	var confs []float64
	depth := 0
	wordDepth, lineDepth, charDepth := -1, -1, -1
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("tesseract: hocr: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			class, title := attr(t, "class"), attr(t, "title")
			switch class {
			case "ocr_page":
				b, _ := bbox(title)
				page.Width, page.Height = b.X1, b.Y1
			case "ocr_par":
				para++
			case "ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat":
				b, _ := bbox(title)
				l := pipeline.Line{Box: b, Para: max(para, 1)}
				if f := field(title, "baseline"); len(f) == 2 {
					l.BaseSlope, _ = strconv.ParseFloat(f[0], 64)
					l.BaseOffset, _ = strconv.ParseFloat(f[1], 64)
				}
				if f := field(title, "x_size"); len(f) == 1 {
					l.Size, _ = strconv.ParseFloat(f[0], 64)
				}
				page.Lines = append(page.Lines, l)
				line = &page.Lines[len(page.Lines)-1]
				lineDepth = depth
			case "ocrx_word":
				b, _ := bbox(title)
				w := pipeline.Word{Box: b}
				if f := field(title, "x_wconf"); len(f) == 1 {
					w.Conf, _ = strconv.ParseFloat(f[0], 64)
				}
				word = &w
				wordText.Reset()
				chars, confs = chars[:0], confs[:0]
				wordDepth = depth
			case "ocrx_cinfo":
				if word != nil {
					conf := -1.0
					if f := field(title, "x_conf"); len(f) == 1 {
						conf, _ = strconv.ParseFloat(f[0], 64)
					}
					confs = append(confs, conf)
					charText.Reset()
					charDepth = depth
				}
			}
		case xml.CharData:
			if charDepth >= 0 {
				charText.Write(t)
			} else if word != nil {
				wordText.Write(t)
			}
		case xml.EndElement:
			if depth == charDepth {
				chars = append(chars, charText.String())
				charDepth = -1
			}
			if depth == wordDepth && word != nil {
				if len(chars) > 0 {
					// With character boxes, the word's text is in its
					// ocrx_cinfo spans; what lies between them is layout.
					word.Text = viet.Normalize(strings.Join(chars, ""))
					word.CharConf = charConfs(word.Text, chars, confs)
				} else {
					word.Text = viet.Normalize(strings.TrimSpace(wordText.String()))
				}
				if word.Text != "" && line != nil {
					line.Words = append(line.Words, *word)
				}
				word, wordDepth = nil, -1
			}
			if depth == lineDepth {
				line, lineDepth = nil, -1
			}
			depth--
		}
	}
	// Drop lines that ended up without words (Tesseract emits empty ones for
	// noise it could not read).
	kept := page.Lines[:0]
	for _, l := range page.Lines {
		if len(l.Words) > 0 {
			kept = append(kept, l)
		}
	}
	page.Lines = kept
	return page, nil
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// field returns the values of one property in an hOCR title attribute,
// e.g. field("bbox 1 2 3 4; x_wconf 90", "x_wconf") = ["90"].
func field(title, name string) []string {
	for _, part := range strings.Split(title, ";") {
		f := strings.Fields(part)
		if len(f) > 0 && f[0] == name {
			return f[1:]
		}
	}
	return nil
}

func bbox(title string) (pipeline.Box, bool) {
	f := field(title, "bbox")
	if len(f) != 4 {
		return pipeline.Box{}, false
	}
	var v [4]int
	for i, s := range f {
		n, err := strconv.Atoi(s)
		if err != nil {
			return pipeline.Box{}, false
		}
		v[i] = n
	}
	return pipeline.Box{X0: v[0], Y0: v[1], X1: v[2], Y1: v[3]}, true
}

// charConfs spreads the confidences of a word's characters, as Tesseract
// split them, over the runes of its normalised text; nil when the two do not
// line up (a character Tesseract gave as several code points that NFC
// composed, for one).
func charConfs(text string, chars []string, confs []float64) []float64 {
	var out []float64
	for i, c := range chars {
		for range []rune(viet.Normalize(c)) {
			out = append(out, confs[i])
		}
	}
	if len(out) != len([]rune(text)) {
		return nil
	}
	return out
}
