package docmeta

import (
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/pipeline"
)

// handPage is a chỉ thị whose number and day were left blank for ink (as
// on the real scans, "Số: /CT-UBND", "ngày tháng 3 năm 2018"), with the
// worker's readings of its blanks.
func handPage(blanks ...pipeline.Blank) []*pipeline.PageText {
	pt := hdr{so: "Số: +130 /CT-UBND", date: "Quảng Ngãi, ngày +90 tháng 3 năm 2018", typ: "CHỈ THỊ",
		agency: []string{"ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"}, subject: []string{"Về tăng cường công tác thi hành án hành chính"}, body: bodyText}.build()
	for _, b := range blanks {
		for _, l := range pt.Lines {
			for i, w := range l.Words {
				if b.Box == (pipeline.Box{}) && (b.Field == pipeline.BlankNumber && strings.HasPrefix(w.Text, "Số") ||
					b.Field == pipeline.BlankDay && w.Text == "ngày" ||
					b.Field == pipeline.BlankMonth && w.Text == "tháng") {
					next := l.Words[i+1]
					b.Box = pipeline.Box{X0: w.Box.X1 - 10, Y0: l.Box.Y0 - 60, X1: next.Box.X0 + 5, Y1: l.Box.Y1 + 30}
				}
			}
		}
		b.Crop = "work/test/" + b.Field + ".png"
		pt.Blanks = append(pt.Blanks, b)
	}
	return []*pipeline.PageText{pt}
}

// The symbol read on its own after the blank against the one OCR read on
// the whole line: a lost hyphen is no disagreement, other letters are.
func TestBlankSymbolAgainstLine(t *testing.T) {
	for _, c := range []struct {
		line, alone      string
		conf             float64
		doc              string
		review, disagree bool
	}{
		{"/BCHĐND", "/BC-HĐND", 92, "07/BC-HĐND", false, false},
		{"/BC-HĐND", "/BC-UBND", 92, "07/BC-UBND", true, true},
		// Read alone too poorly to be taken: the line's stands, in doubt.
		{"/BC-HĐND", "/BC-UBND", 40, "07/BC-HĐND", true, true},
		// Slips of Tesseract reading the print alone: the line's stands.
		{"/BC-HĐND", "/BCC-HĐND", 92, "07/BC-HĐND", false, false},
		{"/BC-UBND", "/BC-UIBND", 92, "07/BC-UIBND", true, true}, // not a slip: the one read alone is taken, in doubt
		// The same letters: taken, with its low confidence.
		{"/BCHĐND", "/BC-HĐND", 40, "07/BC-HĐND", true, false},
	} {
		pt := hdr{so: "Số: +130 " + c.line, date: "Quảng Ngãi, ngày 20 tháng 3 năm 2018", typ: "BÁO CÁO",
			agency: []string{"HỘI ĐỒNG NHÂN DÂN", "TỈNH QUẢNG NGÃI"}, subject: []string{"Kết quả giám sát công tác thi hành án"}, body: bodyText}.build()
		b := hb(pipeline.BlankNumber, "07", 0.999, 0.999)
		b.Symbol, b.SymbolConf = c.alone, c.conf
		for _, l := range pt.Lines {
			for i, w := range l.Words {
				if strings.HasPrefix(w.Text, "Số") {
					b.Box = pipeline.Box{X0: w.Box.X1 - 10, Y0: l.Box.Y0 - 60, X1: l.Words[i+1].Box.X0 + 5, Y1: l.Box.Y1 + 30}
				}
			}
		}
		b.Crop = "work/test/number.png"
		pt.Blanks = append(pt.Blanks, b)
		m := ExtractIn([]*pipeline.PageText{pt}, Context{})
		checkInvariants(t, m)
		disagree := strings.Contains(strings.Join(m.Review, "\n"), "đọc riêng")
		if m.DocNumber != c.doc || m.NeedsReview != c.review || disagree != c.disagree {
			t.Errorf("line %s, alone %s: got %q review %v, want %q review %v; reasons %q", c.line, c.alone, m.DocNumber, m.NeedsReview, c.doc, c.review, m.Review)
		}
	}
}

// A letter or digit before the slash of the symbol read on its own is a
// piece of a digit the blank may have left out; dots and quotes (the
// leader, the slash's serif) are not.
func TestInkBeforeSlash(t *testing.T) {
	for sym, want := range map[string]string{
		"/TB-UBND": "", "./TB-UBND": "", "' /TB-UBND": "", "“.. /CT-UBND": "",
		"S/TB-UBND": "S", "'# /TTr-UBND": "'#", "“1 /HD-GDĐT": "“1", "TB-UBND": "", "": "",
	} {
		if got := inkBeforeSlash(sym); got != want {
			t.Errorf("%q: %q, want %q", sym, got, want)
		}
	}
	// And the number is not certain then.
	b := hb(pipeline.BlankNumber, "30", 0.999, 0.999)
	b.Symbol, b.SymbolConf = "S/CT-UBND", 90
	m := ExtractIn(handPage(b, hb(pipeline.BlankDay, "20", 0.999, 0.999)), Context{})
	if m.DocNumber != "30/CT-UBND" || !m.NeedsReview || !strings.Contains(strings.Join(m.Review, "\n"), "trước dấu /") {
		t.Errorf("got %q review %v; reasons %q", m.DocNumber, m.NeedsReview, m.Review)
	}
}

// A month written by hand as one digit 1 or 2 may have lost its second
// digit (11, 12): NĐ 30 writes January and February 01 and 02. Other
// months are written alone.
func TestHandwrittenLoneMonth(t *testing.T) {
	for _, c := range []struct {
		month, date string
		review      bool
	}{{"1", "2018-01-20", true}, {"01", "2018-01-20", false}, {"5", "2018-05-20", false}} {
		pg := handPage(hb(pipeline.BlankNumber, "07", 0.999, 0.999), hb(pipeline.BlankDay, "20", 0.999, 0.999))
		for _, l := range pg[0].Lines {
			for i, w := range l.Words {
				if w.Text == "tháng" {
					blank := pipeline.Blank{Field: pipeline.BlankMonth, Digits: c.month, Tesseract: c.month, Crop: "work/test/month.png",
						Box: pipeline.Box{X0: w.Box.X1 - 10, Y0: l.Box.Y0 - 60, X1: l.Words[i+2].Box.X0 + 5, Y1: l.Box.Y1 + 30}}
					for range c.month {
						blank.Probs = append(blank.Probs, 0.999)
					}
					pg[0].Blanks = append(pg[0].Blanks, blank)
					l.Words[i+1].Text = "Ö" // OCR garbled the handwriting
				}
			}
		}
		m := ExtractIn(pg, Context{})
		checkInvariants(t, m)
		lone := strings.Contains(strings.Join(m.Review, "\n"), "Tháng viết tay chỉ có một chữ số")
		if m.Date != c.date || m.NeedsReview != c.review || lone != c.review {
			t.Errorf("month %s: got %q review %v, want %q review %v; reasons %q", c.month, m.Date, m.NeedsReview, c.date, c.review, m.Review)
		}
	}
}

func hb(field, digits string, probs ...float64) pipeline.Blank {
	return pipeline.Blank{Field: field, Digits: digits, Probs: probs, Tesseract: digits}
}

func TestHandwrittenBlanks(t *testing.T) {
	sureNum, sureDay := hb(pipeline.BlankNumber, "07", 0.999, 0.998), hb(pipeline.BlankDay, "20", 0.999, 0.997)
	mod := func(b pipeline.Blank, f func(*pipeline.Blank)) pipeline.Blank { f(&b); return b }
	march := time.Date(2018, 3, 21, 16, 41, 0, 0, vietnam)
	cases := []struct {
		name   string
		blanks []pipeline.Blank
		ctx    Context
		doc    string
		date   string
		review bool
		reason string
	}{
		{"both sure", []pipeline.Blank{sureNum, sureDay}, Context{Taken: march, Signed: march}, "07/CT-UBND", "2018-03-20", false, ""},
		{"no blanks read", nil, Context{}, "", "", true, "Không đọc được số"},
		{"number unsure", []pipeline.Blank{hb(pipeline.BlankNumber, "07", 0.99, 0.80), sureDay}, Context{}, "07/CT-UBND", "2018-03-20", true, "chưa chắc chắn (độ tin cậy 80%)"},
		{"Tesseract reads otherwise", []pipeline.Blank{mod(hb(pipeline.BlankNumber, "07", 0.99, 0.999), func(b *pipeline.Blank) { b.Tesseract = "01" }), sureDay}, Context{}, "07/CT-UBND", "2018-03-20", true, "Tesseract đọc 01"},
		{"the model overrules Tesseract", []pipeline.Blank{mod(hb(pipeline.BlankNumber, "07", 0.999, 0.998), func(b *pipeline.Blank) { b.Tesseract = "01" }), sureDay}, Context{}, "07/CT-UBND", "2018-03-20", false, ""},
		{"Tesseract read no digits", []pipeline.Blank{mod(sureNum, func(b *pipeline.Blank) { b.Tesseract = "" }), sureDay}, Context{}, "07/CT-UBND", "2018-03-20", false, ""},
		{"a lone digit", []pipeline.Blank{hb(pipeline.BlankNumber, "7", 0.999), sureDay}, Context{}, "7/CT-UBND", "2018-03-20", true, "chỉ có một chữ số"},
		{"a leading zero above 9", []pipeline.Blank{hb(pipeline.BlankNumber, "012", 0.999, 0.999, 0.999), sureDay}, Context{}, "012/CT-UBND", "2018-03-20", true, "bắt đầu bằng 0"},
		{"a mark not a digit", []pipeline.Blank{mod(sureNum, func(b *pipeline.Blank) { b.Doubt = "có nét không phải chữ số" }), sureDay}, Context{}, "07/CT-UBND", "2018-03-20", true, "không phải chữ số"},
		{"nothing in the number blank", []pipeline.Blank{hb(pipeline.BlankNumber, ""), sureDay}, Context{}, "", "2018-03-20", true, "không đọc được chữ số"},
		{"day unsure", []pipeline.Blank{sureNum, hb(pipeline.BlankDay, "20", 0.999, 0.6)}, Context{}, "07/CT-UBND", "2018-03-20", true, "Ngày viết tay đọc là 20"},
		{"no such day", []pipeline.Blank{sureNum, hb(pipeline.BlankDay, "32", 0.999, 0.999)}, Context{}, "07/CT-UBND", "", true, "không có ngày như vậy"},
		{"a lone 2 may be 2x", []pipeline.Blank{sureNum, hb(pipeline.BlankDay, "2", 0.999)}, Context{}, "07/CT-UBND", "2018-03-02", true, "chỉ có một chữ số"},
		{"a lone 8 may be 18 (NĐ 30 writes 08)", []pipeline.Blank{sureNum, hb(pipeline.BlankDay, "8", 0.999)}, Context{}, "07/CT-UBND", "2018-03-08", true, "chỉ có một chữ số"},
		{"the year read alone otherwise", []pipeline.Blank{sureNum, mod(sureDay, func(b *pipeline.Blank) { b.Year, b.YearConf = "2015", 95 })}, Context{}, "07/CT-UBND", "2018-03-20", true, "đọc riêng đọc 2015"},
		{"the year read alone otherwise, poorly", []pipeline.Blank{sureNum, mod(sureDay, func(b *pipeline.Blank) { b.Year, b.YearConf = "2016", 88 })}, Context{}, "07/CT-UBND", "2018-03-20", false, ""},
		{"the year read alone the same", []pipeline.Blank{sureNum, mod(sureDay, func(b *pipeline.Blank) { b.Year, b.YearConf = "2018", 95 })}, Context{}, "07/CT-UBND", "2018-03-20", false, ""},
		{"after it was taken in", []pipeline.Blank{sureNum, sureDay}, Context{Taken: time.Date(2018, 3, 19, 9, 0, 0, 0, vietnam)}, "07/CT-UBND", "2018-03-20", true, "sau ngày nhận"},
		{"after it was signed", []pipeline.Blank{sureNum, sureDay}, Context{Signed: time.Date(2018, 3, 18, 9, 0, 0, 0, vietnam)}, "07/CT-UBND", "2018-03-20", true, "sau ngày ký số"},
		{"signed the same day, late in Vietnam", []pipeline.Blank{sureNum, sureDay}, Context{Signed: time.Date(2018, 3, 20, 18, 0, 0, 0, time.UTC)}, "07/CT-UBND", "2018-03-20", false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := ExtractIn(handPage(c.blanks...), c.ctx)
			checkInvariants(t, m)
			if m.DocNumber != c.doc || m.Date != c.date || m.NeedsReview != c.review {
				t.Errorf("got %q %q review %v, want %q %q review %v; reasons %q", m.DocNumber, m.Date, m.NeedsReview, c.doc, c.date, c.review, m.Review)
			}
			if c.reason != "" && !strings.Contains(strings.Join(m.Review, "\n"), c.reason) {
				t.Errorf("reasons %q lack %q", m.Review, c.reason)
			}
			if len(c.blanks) > 0 && m.Crops[CropNumber] == "" {
				t.Errorf("no crop of the number: %v", m.Crops)
			}
		})
	}
}

// A number printed and read with certainty stays; a sure reading of the
// same blank that contradicts it sends it to review.
func TestHandwrittenAgainstTyped(t *testing.T) {
	page := func(digits string) []*pipeline.PageText {
		ps := one(qd("Số: 15/2020/QĐ-UBND", dateVC))()
		ps[0].Blanks = []pipeline.Blank{{Field: pipeline.BlankNumber, Digits: digits, Probs: []float64{0.999, 0.999}, Tesseract: digits,
			Box: pipeline.Box{X0: 380, Y0: 300, X1: 520, Y1: 600}}}
		return ps
	}
	if m := Extract(page("15")); m.NeedsReview || m.DocNumber != "15/2020/QĐ-UBND" {
		t.Errorf("agreeing: %q review %v %q", m.DocNumber, m.NeedsReview, m.Review)
	}
	if m := Extract(page("16")); !m.NeedsReview || m.DocNumber != "15/2020/QĐ-UBND" {
		t.Errorf("contradicting: %q review %v %q", m.DocNumber, m.NeedsReview, m.Review)
	}
}

// A blank that the reading matched to no field (it lies off the number's
// row: OCR lost the line) is still shown to the reviewer.
func TestHandwrittenCropsUnmatched(t *testing.T) {
	ps := handPage()
	ps[0].Blanks = []pipeline.Blank{{Field: pipeline.BlankNumber, Box: pipeline.Box{X0: 300, Y0: 2000, X1: 500, Y1: 2100}, Crop: "work/x/n.png"},
		{Field: pipeline.BlankMonth, Box: pipeline.Box{X0: 1500, Y0: 2000, X1: 1600, Y1: 2100}, Crop: "work/x/m.png"}}
	m := Extract(ps)
	if m.Crops[CropNumber] != "work/x/n.png" || m.Crops[CropDate] != "work/x/m.png" {
		t.Errorf("crops %v", m.Crops)
	}
	if m.Number != "" {
		t.Errorf("an unmatched blank gave the number %q", m.Number)
	}
}

// Tesseract's slips on a crop of print are told from another reading.
func TestRereadSlip(t *testing.T) {
	for _, c := range []struct {
		line, alone string
		slip        bool
	}{
		{"NQ-HĐND", "NNQ-HĐND", true},
		{"QĐ-UBND", "QĐĐ-UBND", true},
		{"QĐ-UBND", "QĐĐĐ-UBND", true},
		{"TTr-GDĐT", "TIr-GDĐT", true},
		{"QĐ-UBND", "QĐĐĐĐ-UBND", false}, // three letters more
		{"QĐ-UBND", "QĐX-UBND", false},
		{"CT-UBND", "BC-UBND", false},
		{"KH-UBND", "KH-UBND-VP", false},
	} {
		if got := rereadSlip(c.line, c.alone); got != c.slip {
			t.Errorf("rereadSlip(%q, %q) = %v, want %v", c.line, c.alone, got, c.slip)
		}
	}
}

// A mark of the handwriting the line read into the symbol is no other
// symbol.
func TestStrayBefore(t *testing.T) {
	for _, c := range []struct {
		line, alone string
		stray       bool
	}{
		{"E/KH-UBND", "KH-UBND", true},
		{"N/NQ-HĐND", "NQHĐND", true},
		{"2016/NQ-HĐND", "NQ-HĐND", false}, // a year is part of the symbol
		{"E/KH-UBND", "TB-UBND", false},
		{"KH-UBND", "KH-UBND", false},
	} {
		if got := strayBefore(c.line, c.alone); got != c.stray {
			t.Errorf("strayBefore(%q, %q) = %v, want %v", c.line, c.alone, got, c.stray)
		}
	}
}

// TestDateBesideUnreadNumber: OCR merged the "Số:" line, whose handwritten
// number and symbol it could not read ("sốe2© KHUBND"), with the date line
// beside it, so close that the place seemed to follow on from the symbol.
// The date line is still the header's, and the symbol is no part of the
// place.
func TestDateBesideUnreadNumber(t *testing.T) {
	for _, so := range []string{"sốe2© KHUBND", "SốÏ..KHUBND", "sơ. €2 /KHVP —"} {
		date := "Hoằng Đạt, ngày 22 tháng 3 năm 2023"
		h := hdr{so: so, date: date, typ: "KẾ HOẠCH", agency: []string{"ỦY BAN NHÂN DÂN", "XÃ HOẰNG ĐẠT"},
			subject: []string{"Triển khai thực hiện công tác phổ cập giáo dục"}, body: bodyText}
		// The symbol ends 40 px before the place starts.
		h.soX = rightCX - textWidth(date)/2 - 40 - textWidth(so)
		m := Extract([]*pipeline.PageText{h.build()})
		if m.Date != "2023-03-22" || m.Place != "Hoằng Đạt" {
			t.Errorf("%q: date %q place %q, want 2023-03-22 in Hoằng Đạt (review %q)", so, m.Date, m.Place, m.Review)
		}
	}
}

// OCR read the handwritten day glued to "ngày" as print ("ngày3,"), and the
// blank reads as no day at all (71): the date is not certain, whatever the
// line's confidence.
func TestDayGluedAgainstUnreadableBlank(t *testing.T) {
	pt := hdr{so: "Số: 07/CT-UBND", date: "Quảng Ngãi, ngày3, tháng 3 năm 2018", typ: "CHỈ THỊ",
		agency: []string{"ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"}, subject: []string{"Về tăng cường công tác thi hành án hành chính"}, body: bodyText}.build()
	for _, l := range pt.Lines {
		for i, w := range l.Words {
			if w.Text == "ngày3," {
				b := hb(pipeline.BlankDay, "71", 0.69, 0.995)
				b.Box = pipeline.Box{X0: w.Box.X0 + 60, Y0: l.Box.Y0 - 60, X1: l.Words[i+1].Box.X0 + 5, Y1: l.Box.Y1 + 30}
				b.Crop = "work/test/day.png"
				pt.Blanks = append(pt.Blanks, b)
			}
		}
	}
	if len(pt.Blanks) != 1 {
		t.Fatal("the test page has no glued day")
	}
	m := ExtractIn([]*pipeline.PageText{pt}, Context{})
	checkInvariants(t, m)
	if m.Confidence[FieldDate] >= 0.85 || !m.NeedsReview {
		t.Errorf("date %q confidence %.2f review %v %q: want it in doubt", m.Date, m.Confidence[FieldDate], m.NeedsReview, m.Review)
	}
}
