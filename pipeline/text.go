package pipeline

// PageText is what a worker read on one page: the words with their boxes,
// grouped into lines and paragraphs, in the pixel coordinates of the image
// named by Image (origin top-left, y down). Text is NFC.
type PageText struct {
	Doc  string `json:"doc"`
	Page int    `json:"page"`
	// Image is the work-bucket key of the image the boxes refer to, and
	// Format its encoding (jpeg, png, tiff). It is the page as ingest stored
	// it, or a corrected copy when the worker rotated or straightened it.
	Image  string  `json:"image"`
	Format string  `json:"format"`
	Width  int     `json:"width"`
	Height int     `json:"height"`
	DPIX   float64 `json:"dpi_x"`
	DPIY   float64 `json:"dpi_y"`
	// DPIAssumed: the file did not say its resolution, and DPIX and DPIY
	// are what the worker assumed (an office scanner's default).
	DPIAssumed bool `json:"dpi_assumed,omitempty"`
	// Rotation (0, 90, 180, 270, clockwise) and Skew (degrees) that the
	// worker corrected before reading.
	Rotation int     `json:"rotation"`
	Skew     float64 `json:"skew"`
	Lines    []Line  `json:"lines"`
	// Patches are the coloured parts of a page whose Image is black and
	// white (seals, stamps, signatures in colour), to draw over it.
	Patches []Patch `json:"patches,omitempty"`
	// Engine names what read the page, e.g. "tesseract 5.3.0 vie".
	Engine string `json:"engine"`
	// Empty: the page is a blank sheet (the back of a one-sided page in a
	// duplex run): next to no ink and no word read. The archive leaves it
	// out of the PDF and names it in the record. Ink is the share of the
	// page, inside its margins, that is ink in the black-and-white copy
	// OCR read.
	Empty bool    `json:"empty,omitempty"`
	Ink   float64 `json:"ink"`
	// Separator: the page is a separator sheet (package ocr/separator),
	// laid between two documents of a stack; never archived.
	Separator bool `json:"separator,omitempty"`
	// Blanks are the header's blanks that are filled in by hand (the
	// number before its printed symbol, the day and month of the date
	// line), as the worker found and read them on this page.
	Blanks []Blank `json:"blanks,omitempty"`
}

// Fields of a Blank.
const (
	BlankNumber = "number" // the số before the printed "/SYMBOL"
	BlankDay    = "day"    // between "ngày" and "tháng"
	BlankMonth  = "month"  // between "tháng" and "năm"
)

// Blank is a blank of the printed header and what the handwriting reader
// read in it. Box is where it is on the page, in the coordinates of the
// page's Lines; Digits what the digit model read there, one probability
// per digit in Probs ("" and none when it found no digit); Tesseract what
// Tesseract read on the same crop (digits only, "" when it read none);
// Crop the work-bucket key of the crop as scanned (PNG), for the review.
type Blank struct {
	Field     string    `json:"field"`
	Box       Box       `json:"box"`
	Digits    string    `json:"digits"`
	Probs     []float64 `json:"probs,omitempty"`
	Tesseract string    `json:"tesseract,omitempty"`
	// Colour is true when ink was told from print by its colour.
	Colour bool `json:"colour,omitempty"`
	// Doubt says, in Vietnamese, what in the blank the reader could not
	// make into digits ("" when every mark was a digit).
	Doubt string `json:"doubt,omitempty"`
	Crop  string `json:"crop,omitempty"`
	// Symbol, for a number's blank with digits in it, is what Tesseract
	// read of the printed symbol after it on its own (from its slash, as
	// read: "/BC-UBND"), SymbolConf the confidence of that reading (0 to
	// 100); OCR of the whole line beside large handwriting garbles it.
	Symbol     string  `json:"symbol,omitempty"`
	SymbolConf float64 `json:"symbol_conf,omitempty"`
	// Year, for the last blank of the date with digits in it, is what
	// Tesseract read of the printed year after "năm" on its own (beside
	// handwriting, OCR of the whole line misreads it: 2015 for 2018),
	// YearConf that reading's confidence (0 to 100).
	Year     string  `json:"year,omitempty"`
	YearConf float64 `json:"year_conf,omitempty"`
}

// Patch is a rectangle of a page kept in colour: the work-bucket key of its
// image (JPEG) and where it goes on the page, in the page image's pixels.
type Patch struct {
	Image  string `json:"image"`
	Format string `json:"format"`
	Box    Box    `json:"box"`
}

// Line is one line of text as OCR found it.
type Line struct {
	Box  Box `json:"box"`
	Para int `json:"para"` // paragraph number on the page, from 1
	// Baseline of the line: y = Box.Y1 + BaseOffset + BaseSlope*(x-Box.X0),
	// as Tesseract's hOCR reports it (offset is usually negative: the baseline
	// sits above the bottom of the descenders).
	BaseSlope  float64 `json:"base_slope"`
	BaseOffset float64 `json:"base_offset"`
	// Size is the height of the line's letters from ascender to
	// descender, in pixels, as Tesseract estimates it (hOCR x_size); 0 if
	// unknown. Lines set in one type size have nearly the same Size.
	Size  float64 `json:"size,omitempty"`
	Words []Word  `json:"words"`
}

// Word is one recognised word. Conf is Tesseract's confidence, 0 to 100;
// CharConf, when Tesseract gave it, the confidence of each character of
// Text (one per rune), so that a word such as "316/QĐ-UBND" can be judged
// digit by digit.
type Word struct {
	Text     string    `json:"text"`
	Box      Box       `json:"box"`
	Conf     float64   `json:"conf"`
	CharConf []float64 `json:"char_conf,omitempty"`
}

// Box is a rectangle in pixels: X0,Y0 the top-left corner, X1,Y1 exclusive.
type Box struct {
	X0 int `json:"x0"`
	Y0 int `json:"y0"`
	X1 int `json:"x1"`
	Y1 int `json:"y1"`
}

// Text returns the page's text: words joined by spaces, lines by newlines,
// paragraphs by blank lines.
func (p *PageText) Text() string {
	var b []byte
	para := -1
	for i, l := range p.Lines {
		if i > 0 {
			b = append(b, '\n')
			if l.Para != para {
				b = append(b, '\n')
			}
		}
		para = l.Para
		for j, w := range l.Words {
			if j > 0 {
				b = append(b, ' ')
			}
			b = append(b, w.Text...)
		}
	}
	return string(b)
}
