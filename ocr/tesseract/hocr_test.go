package tesseract

import (
	"strings"
	"testing"
)

// A trimmed hOCR page as Tesseract 5.3 writes it, with a look-alike Ð
// (U+00D0) and a decomposed (NFD) word as they come from some models.
const sampleHOCR = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head><title></title><meta http-equiv="Content-Type" content="text/html;charset=utf-8"/></head>
 <body>
  <div class='ocr_page' id='page_1' title='image "unknown"; bbox 0 0 2480 3508; ppageno 0; scan_res 300 300'>
   <div class='ocr_carea' id='block_1_1' title="bbox 409 206 2226 340">
    <p class='ocr_par' id='par_1_1' lang='vie' title="bbox 409 206 2226 340">
     <span class='ocr_line' id='line_1_1' title="bbox 409 206 2226 271; baseline 0.001 -12; x_size 51; x_descenders 12; x_ascenders 13">
      <span class='ocrx_word' id='word_1_1' title='bbox 409 206 502 258; x_wconf 96'>ỦY</span>
      <span class='ocrx_word' id='word_1_2' title='bbox 520 206 640 258; x_wconf 91'><strong>BAN</strong></span>
     </span>
     <span class='ocr_header' id='line_1_2' title="bbox 409 271 2017 340; baseline 0.003 -18; x_size 50">
      <span class='ocrx_word' id='word_1_3' title='bbox 409 271 560 330; x_wconf 77'>QUYẾT</span>
      <span class='ocrx_word' id='word_1_4' title='bbox 580 271 720 330; x_wconf 80'>ÐỊNH</span>
      <span class='ocrx_word' id='word_1_5' title='bbox 740 271 900 330; x_wconf 85'>Hòa &amp; Bình</span>
     </span>
    </p>
    <p class='ocr_par' id='par_1_2' lang='vie' title="bbox 409 400 900 460">
     <span class='ocr_line' id='line_1_3' title="bbox 409 400 900 460; baseline 0 -9">
      <span class='ocrx_word' id='word_1_6' title='bbox 409 400 500 460; x_wconf 0'> </span>
      <span class='ocrx_word' id='word_1_7' title='bbox 510 400 900 460; x_wconf 93'>thủy</span>
     </span>
     <span class='ocr_line' id='line_1_4' title="bbox 409 470 900 520; baseline 0 -9">
      <span class='ocrx_word' id='word_1_8' title='bbox 409 470 500 520; x_wconf 0'> </span>
     </span>
    </p>
   </div>
  </div>
 </body>
</html>`

func TestParseHOCR(t *testing.T) {
	p, err := parseHOCR(strings.NewReader(sampleHOCR))
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != 2480 || p.Height != 3508 {
		t.Errorf("size = %dx%d", p.Width, p.Height)
	}
	if len(p.Lines) != 3 {
		t.Fatalf("lines = %d, want 3 (the empty line dropped)", len(p.Lines))
	}
	l := p.Lines[1]
	if l.Para != 1 || l.BaseSlope != 0.003 || l.BaseOffset != -18 || l.Size != 50 {
		t.Errorf("line 2 = para %d, baseline %v %v", l.Para, l.BaseSlope, l.BaseOffset)
	}
	var words []string
	for _, w := range l.Words {
		words = append(words, w.Text)
	}
	if got := strings.Join(words, "|"); got != "QUYẾT|ĐỊNH|Hòa & Bình" {
		t.Errorf("words = %q (Ð must become Đ, entities decoded)", got)
	}
	if w := l.Words[1]; w.Box.X0 != 580 || w.Box.Y1 != 330 || w.Conf != 80 {
		t.Errorf("word box/conf = %+v", w)
	}
	if p.Lines[0].Words[1].Text != "BAN" {
		t.Errorf("text inside <strong> lost: %q", p.Lines[0].Words[1].Text)
	}
	third := p.Lines[2]
	if third.Para != 2 || len(third.Words) != 1 || third.Words[0].Text != "thủy" {
		t.Errorf("third line = %+v", third)
	}
}

// With hocr_char_boxes, each word's characters come in ocrx_cinfo spans
// with their own confidences, and the layout between them is not text.
func TestParseHOCRCharacters(t *testing.T) {
	const page = `<html><body><div class='ocr_page' title='bbox 0 0 100 100'>
<p class='ocr_par'><span class='ocr_line' title='bbox 0 0 100 20; baseline 0 -3; x_size 20'>
 <span class='ocrx_word' title='bbox 0 0 50 20; x_wconf 71'>
  <span class='ocrx_cinfo' title='x_bboxes 0 0 10 20; x_conf 99.5'>3</span>
  <span class='ocrx_cinfo' title='x_bboxes 10 0 20 20; x_conf 42.25'>1</span>
  <span class='ocrx_cinfo' title='x_bboxes 20 0 30 20; x_conf 98'>Ð</span>
 </span>
</span></p></div></body></html>`
	p, err := parseHOCR(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	w := p.Lines[0].Words[0]
	if w.Text != "31Đ" || len(w.CharConf) != 3 || w.CharConf[1] != 42.25 || w.Conf != 71 {
		t.Errorf("word = %+v", w)
	}
}
