package docmeta

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/sohoa/sohoa/pipeline"
)

// word is an OCR word with its text normalised (NFC, Đ for Ð).
type word struct {
	text string
	box  pipeline.Box
	conf float64
	// chars is the confidence of each rune of text, when Tesseract gave
	// them and they line up with the normalised text; nil otherwise. A
	// pointer keeps word comparable.
	chars *[]float64
	row   int // index of its row in page.rows
}

// runeConf is the confidence of the i-th rune of the word's text: its own
// when known, else the word's.
func (w word) runeConf(i int) float64 {
	if w.chars != nil && i >= 0 && i < len(*w.chars) {
		return (*w.chars)[i]
	}
	return w.conf
}

// charConfs returns a word's character confidences when they line up with
// its normalised text t, one per rune, clamped to 0–100 (Tesseract reports
// -1 for what it did not recognise); nil when there are none or they do
// not line up.
func charConfs(w pipeline.Word, t string) *[]float64 {
	if len(w.CharConf) == 0 || len(w.CharConf) != utf8.RuneCountInString(t) || utf8.RuneCountInString(w.Text) != len(w.CharConf) {
		return nil
	}
	cc := make([]float64, len(w.CharConf))
	for i, c := range w.CharConf {
		if math.IsNaN(c) || c < 0 {
			c = 0
		}
		cc[i] = min(c, 100)
	}
	return &cc
}

func (w word) height() int { return w.box.Y1 - w.box.Y0 }

func (w word) cx() int { return (w.box.X0 + w.box.X1) / 2 }

// row is one OCR line, its words in reading order (left to right).
type row struct {
	words  []word
	box    pipeline.Box // union of the words' boxes
	lbox   pipeline.Box // the line's box as OCR reported it; the baseline is relative to it
	h      int          // median word height: the unit of every distance on the row
	slope  float64
	offset float64
}

// baseline returns the y of the row's baseline at x, and false when OCR
// reported none.
func (r row) baseline(x int) (float64, bool) {
	if r.slope == 0 && r.offset == 0 {
		return 0, false
	}
	return float64(r.lbox.Y1) + r.offset + r.slope*float64(x-r.lbox.X0), true
}

// page is one page's OCR prepared for reading the header: rows from top to
// bottom, and where the right header column (motto, place and date) starts.
type page struct {
	w, h  int
	rows  []row
	colX  int  // x where the right header column starts
	motto bool // colX comes from the national (or party) motto, not a guess
	// mottoY1 is the bottom of the lowest motto line: the type name is below.
	mottoY1 int
	// blanks are the header's blanks as the worker read them by hand.
	blanks []pipeline.Blank
}

func newPage(pt *pipeline.PageText) *page {
	pg := &page{w: pt.Width, h: pt.Height, blanks: pt.Blanks}
	maxX, maxY := 0, 0
	for _, l := range pt.Lines {
		var r row
		for _, w := range l.Words {
			t := normText(w.Text)
			if t == "" || w.Box.X1 < w.Box.X0 || w.Box.Y1 < w.Box.Y0 {
				continue
			}
			conf := w.Conf
			if math.IsNaN(conf) || conf < 0 {
				conf = 0 // Tesseract reports -1 for what it did not recognise
			}
			conf = min(conf, 100)
			r.words = append(r.words, word{text: t, box: w.Box, conf: conf, chars: charConfs(w, t)})
		}
		if len(r.words) == 0 {
			continue
		}
		sort.SliceStable(r.words, func(i, j int) bool { return r.words[i].box.X0 < r.words[j].box.X0 })
		r.box = r.words[0].box
		hs := make([]int, 0, len(r.words))
		for _, w := range r.words {
			r.box = union(r.box, w.box)
			hs = append(hs, w.height())
		}
		sort.Ints(hs)
		r.h = max(hs[len(hs)/2], 1)
		r.lbox = l.Box
		if !math.IsNaN(l.BaseSlope) && !math.IsNaN(l.BaseOffset) && !math.IsInf(l.BaseSlope, 0) && !math.IsInf(l.BaseOffset, 0) {
			r.slope, r.offset = l.BaseSlope, l.BaseOffset
		}
		maxX, maxY = max(maxX, r.box.X1), max(maxY, r.box.Y1)
		pg.rows = append(pg.rows, r)
	}
	if pg.w <= 0 {
		pg.w = maxX
	}
	if pg.h <= 0 {
		pg.h = maxY
	}
	sort.SliceStable(pg.rows, func(i, j int) bool { return pg.rows[i].box.Y0 < pg.rows[j].box.Y0 })
	for i := range pg.rows {
		for j := range pg.rows[i].words {
			pg.rows[i].words[j].row = i
		}
	}
	pg.findColumn()
	return pg
}

// findColumn finds the left edge of the right header column from the
// motto ("CỘNG HÒA XÃ HỘI…", "Độc lập - Tự do…", or the party's "ĐẢNG CỘNG
// SẢN VIỆT NAM"), which OCR often merges onto one line with the agency.
func (pg *page) findColumn() {
	pg.colX = pg.w / 2
	best := -1
	for _, r := range pg.rows {
		if r.box.Y0 > pct(pg.h, mottoZonePct) {
			break
		}
		f := foldWords(r.words)
		for i := 0; i+1 < len(f); i++ {
			// "hoa" as a prefix: OCR reads HOÀ with a stray mark (HOÀẢ).
			if f[i] == "cong" && strings.HasPrefix(f[i+1], "hoa") || f[i] == "doc" && f[i+1] == "lap" ||
				i+2 < len(f) && f[i] == "dang" && f[i+1] == "cong" && f[i+2] == "san" {
				if x := r.words[i].box.X0; best < 0 || x < best {
					best = x
				}
				pg.mottoY1 = max(pg.mottoY1, r.box.Y1)
				break
			}
		}
	}
	if best > 0 {
		pg.colX, pg.motto = best, true
	}
}

// left returns the words of r that lie in the left header column.
func (pg *page) left(r row) []word {
	var out []word
	for _, w := range r.words {
		if w.cx() < pg.colX && w.box.X1 <= pg.colX+pct(r.h, columnSlackPct) {
			out = append(out, w)
		}
	}
	return out
}

func union(a, b pipeline.Box) pipeline.Box {
	return pipeline.Box{X0: min(a.X0, b.X0), Y0: min(a.Y0, b.Y0), X1: max(a.X1, b.X1), Y1: max(a.Y1, b.Y1)}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// stampNear reports whether the words around w are those of an
// incoming-mail stamp.
func (pg *page) stampNear(w word, h int) bool {
	for _, r := range pg.rows {
		if r.box.Y1 < w.box.Y0-stampReachY*h || r.box.Y0 > w.box.Y1+stampReachY*h {
			continue
		}
		for _, x := range r.words {
			if x.box.X1 < w.box.X0-stampReachX*h || x.box.X0 > w.box.X1+stampReachX*h {
				continue
			}
			if isStampWord(x.text) {
				return true
			}
		}
	}
	return false
}

func isStampWord(t string) bool {
	f := strings.Trim(foldOne(t), ".,;")
	switch {
	case (f == "den" || f == "den:") && lowerCount(t) == 0:
		return true // ĐẾN
	case f == "cv" && lowerCount(t) == 0:
		return true
	case strings.HasPrefix(f, "chuyen:"), f == "ngay:", strings.HasPrefix(f, "ngay:"):
		return true
	}
	return false
}

func (pg *page) anyInky(ps []piece, ref word) bool {
	for _, p := range ps {
		if p.whole && pg.inky(p.w, ref) {
			return true
		}
	}
	return false
}

// inky reports whether a word of digits looks handwritten next to the
// printed digits of ref: another size, or off the baseline.
func (pg *page) inky(w, ref word) bool {
	rh := float64(ref.height())
	if rh <= 0 {
		return false
	}
	wh := float64(w.height())
	if wh > inkMaxHeight*rh || wh < inkMinHeight*rh {
		return true
	}
	var base float64
	if b, ok := pg.rows[w.row].baseline(w.cx()); ok {
		base = b
	} else if w.row == ref.row {
		base = float64(ref.box.Y1)
	} else {
		return false
	}
	dev := float64(w.box.Y1) - base
	return dev > inkBelow*rh || dev < -inkAbove*rh
}
