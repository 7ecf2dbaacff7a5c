package hand

import (
	"strings"
	"testing"

	"github.com/sohoa/sohoa/pipeline"
)

// line lays out words left to right from x, each 24 px a letter, on a
// baseline at y with capitals 40 px high; "+N" skips N pixels.
func line(x, y int, text string) pipeline.Line {
	var l pipeline.Line
	for _, t := range strings.Fields(text) {
		if t[0] == '+' {
			n := 0
			for _, c := range t[1:] {
				n = n*10 + int(c-'0')
			}
			x += n
			continue
		}
		w := 24 * len([]rune(t))
		l.Words = append(l.Words, pipeline.Word{Text: t, Box: pipeline.Box{X0: x, Y0: y - 40, X1: x + w, Y1: y}, Conf: 95})
		x += w + 14
	}
	l.Box = l.Words[0].Box
	l.Box.X1 = l.Words[len(l.Words)-1].Box.X1
	return l
}

func TestFind(t *testing.T) {
	for _, c := range []struct {
		name  string
		lines []pipeline.Line
		want  []string // field:left-right
	}{
		{"blanks left for ink", []pipeline.Line{line(450, 440, "Số: +110 /CT-UBND +300 Quảng Ngãi, ngày +80 tháng +40 năm 2018")},
			[]string{"number:522-646", "day:1516-1610", "month:1730-1784"}},
		// A month OCR read as print, with confidence and at print's height,
		// is not read again as a blank.
		{"a printed month is no blank", []pipeline.Line{line(450, 440, "Số: +110 /CT-UBND +300 Quảng Ngãi, ngày +80 tháng 3 năm 2018")},
			[]string{"number:522-646", "day:1516-1610"}},
		{"digits glued to Số: by OCR", []pipeline.Line{line(450, 440, "Số:11 +20 /CT-UBND")},
			[]string{"number:518-604"}},
		{"OCR garbled the symbol's first letter", []pipeline.Line{line(450, 440, "số: Ÿ Ê. /8C-UBND")},
			[]string{"number:522-636"}},
		{"the symbol cut from its number", []pipeline.Line{line(450, 440, "Số: I57/ QĐ-NĐ-UB")},
			[]string{"number:522-618"}},
		// A legal document's symbol with its year: the blank ends at the
		// slash before the year.
		{"the year in the symbol", []pipeline.Line{line(450, 440, "Số: +110 /2016/NQ-HĐND")},
			[]string{"number:522-646"}},
		// OCR read the handwriting as a slash and a letter: the symbol is
		// the word after it.
		{"a slash read in the handwriting", []pipeline.Line{line(450, 440, "Số: Ì ⁄.Šˆ /CT-UBND")},
			[]string{"number:522-684"}},
		// OCR read no slash: the blank ends about where the symbol's
		// capitals start, and PlaceSlash must see the slash.
		{"the slash read into the handwriting", []pipeline.Line{line(450, 440, "Số: lỗ mD-UBND")},
			[]string{"number:522-617?"}},
		{"a symbol read without slash or hyphen", []pipeline.Line{line(450, 440, "Số: +110 KHUBND")},
			[]string{"number:522-646?"}},
		{"the year's slash past the handwriting", []pipeline.Line{line(450, 440, "Số: .CÖÝ./2024/NQ-HĐND")},
			[]string{"number:522-655"}},
		// OCR misread the label's o beside the handwriting.
		{"the label read sø:", []pipeline.Line{line(450, 440, "sø:AL4 /TB-UBND")},
			[]string{"number:518-608"}},
		{"the label read sẽ:", []pipeline.Line{line(450, 440, "sẽ:// „Z /QĐ-UBND")},
			[]string{"number:518-646"}},
		{"the label read sø.", []pipeline.Line{line(450, 440, "sø.? +110 /GDĐT")},
			[]string{"number:518-670"}},
		// OCR garbled the whole symbol beside large handwriting: the blank
		// and the symbol lie between the label and the right column, and
		// PlaceSlash must see the slash.
		{"the symbol garbled past reading", []pipeline.Line{line(450, 440, "số: [T nprpxH +400 Vạn Ninh, ngày +80 tháng 5 năm 2017")},
			[]string{"day:1472-1566", "number:522-1142?"}},
		{"the label glued to the handwriting, the symbol garbled", []pipeline.Line{line(450, 440, "số:2Ớf vT +460 Cẩm Xuyên, ngày +80 tháng 01 năm 2024")},
			[]string{"day:1470-1564", "number:518-1116?"}},
		{"a department's name is no label", []pipeline.Line{line(450, 440, "SỞ TÀI CHÍNH")}, nil},
		{"Ngãi is not ngày", []pipeline.Line{line(1200, 440, "Quảng Ngãi, tháng 3 năm 2018")}, nil},
		{"an incoming-mail stamp has no symbol", []pipeline.Line{line(200, 800, "Số: 2352")}, nil},
		// The first of each on the page: a date line cited in the text is
		// taken when the header has none (docmeta matches blanks to the
		// header's own rows).
		{"only the first of each", []pipeline.Line{
			line(450, 440, "Số: +110 /CT-UBND"),
			line(400, 900, "Thực hiện Chỉ thị số 11/CT-TTg ngày 16 tháng 4 năm 2021"),
		}, []string{"number:522-646", "day:1180-1256"}},
		{"below the top half: not a header", []pipeline.Line{line(450, 2500, "Số: +110 /CT-UBND")}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, s := range Find(c.lines, 2480, 3508) {
				got = append(got, s.Field+":"+itoa(s.Left)+"-"+itoa(s.Right))
				if s.NeedsSlash {
					got[len(got)-1] += "?"
				}
				if s.Region.Min.X > s.Left || s.Region.Max.X < s.Right || s.Region.Min.Y > s.Base-s.H || s.Region.Max.Y <= s.Base {
					t.Errorf("%s: region %v does not hold the blank %d–%d at baseline %d", s.Field, s.Region, s.Left, s.Right, s.Base)
				}
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
