package docmeta

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in             string
		number, symbol string
		ok             bool
	}{
		{"Số: 15/2020/QĐ-UBND", "15", "2020/QĐ-UBND", true},
		{"15/2020/QĐ-UBND", "15", "2020/QĐ-UBND", true},
		{"15/2020/qd-ubnd", "15", "2020/QĐ-UBND", true},
		{"Số: 15 / 2020 / QD – UBND", "15", "2020/QĐ-UBND", true},
		{"Số:15/2020/QÐ-UBND", "15", "2020/QĐ-UBND", true}, // U+00D0
		{norm.NFD.String("Số: 15/2020/QĐ-UBND"), "15", "2020/QĐ-UBND", true},
		{"S6: 15/2020/QĐ-UBND", "15", "2020/QĐ-UBND", true},
		{"Sô : 15/2020/QĐ-UBND", "15", "2020/QĐ-UBND", true},
		{"số 15/2020/QĐ-UBND", "15", "2020/QĐ-UBND", true},
		{"123/UBND-VP", "123", "UBND-VP", true},
		{"123/UBND—VP", "123", "UBND-VP", true},
		{"Số 123-QĐ/HU", "123", "QĐ/HU", true},
		{"123 - QĐ / HU", "123", "QĐ/HU", true},
		{"12-KH/DU", "12", "KH/ĐU", true},
		{"05/QĐ-UBND", "05", "QĐ-UBND", true},
		{"O5/QĐ-UBND", "05", "QĐ-UBND", true}, // look-alike mapped; Extract flags it
		{"l5/QĐ-UBND", "15", "QĐ-UBND", true},
		{"b3/TB-UBND", "63", "TB-UBND", true},
		{"31/TTR-UBND", "31", "TTr-UBND", true},
		{"31/ttr-ubnd", "31", "TTr-UBND", true},
		{"02/QYĐ-UBND", "02", "QyĐ-UBND", true},
		{"02/qyd-ubnd", "02", "QyĐ-UBND", true},
		{"09/CTR-UBND", "09", "CTr-UBND", true},
		{"04/TRS-VP", "04", "TrS-VP", true},
		{"11/CT-TTG", "11", "CT-TTg", true},
		{"11/CT-TTg", "11", "CT-TTg", true},
		{"18/2021/NQ-HDND", "18", "2021/NQ-HĐND", true},
		{"157/QĐ-NĐ-UB", "157", "QĐ-NĐ-UB", true},
		{"204/UB-QD", "204", "UB-QĐ", true},
		{"03/HD-UBND", "03", "HD-UBND", true}, // Hướng dẫn or Hợp đồng: kept as read
		{"03/HĐ-UBND", "03", "HĐ-UBND", true},
		{"15/QĐ-UBND.", "15", "QĐ-UBND", true},
		{"15/2O20/QĐ-UBND", "15", "2020/QĐ-UBND", true},
		{"123/BCĐ389-VP", "123", "BCĐ389-VP", true},
		{"1234/UBND-KTTH", "1234", "UBND-KTTH", true},
		{"12/HD-GDDT", "12", "HD-GDĐT", true}, // the Phòng Giáo dục và Đào tạo's bar restored
		{"B38/2016/QĐ-UBND", "838", "2016/QĐ-UBND", true},
		{"55/CT-.UBND", "55", "CT-UBND", true},
		{"157/QĐ-NĐ-ÚB", "157", "QĐ-NĐ-UB", true},
		{"Số: /CT-UBND", "", "", false},
		{"@#/CT-UBND", "", "", false},
		{"....../QĐ-UBND", "", "", false},
		{"15/", "", "", false},
		{"15", "", "", false},
		{"", "", "", false},
		{"Số:", "", "", false},
		{"15/2020", "", "", false},
		{"1234567/UBND", "", "", false},
		{"0/UBND", "", "", false},
		{"00/UBND", "", "", false},
		{"15/QĐ--UBND", "", "", false},
		{"15/Ủy-UBND", "", "", false},
		{"15/2020/2021/QĐ", "", "", false},
		{"1/2/3", "", "", false},
		{"Quảng Ngãi", "", "", false},
	}
	for _, tt := range tests {
		n, s, ok := ParseNumber(tt.in)
		if n != tt.number || s != tt.symbol || ok != tt.ok {
			t.Errorf("ParseNumber(%q) = %q, %q, %v; want %q, %q, %v", tt.in, n, s, ok, tt.number, tt.symbol, tt.ok)
		}
		if ok && !validDocNumber(n+"/"+s) && !validDocNumber(n+"-"+s) {
			t.Errorf("ParseNumber(%q): %q + %q is not canonical", tt.in, n, s)
		}
	}
}

// A symbol is printed in capitals: a segment read in small letters alone
// is mended, and the mending is a doubt; so is a segment one look-alike
// letter from an office's abbreviation.
func TestSymbolInSmallLetters(t *testing.T) {
	for in, fixed := range map[string]bool{"63/rp": true, "31/ttr-ubnd": true, "63/TP": false, "31/TTr-UBND": false,
		"01/TB-KIHT": true, "01/TB-KTHT": false, "12/UBND-VP": false} {
		p := parseNumber([]rune(in))
		if !p.symOK || (len(p.symFixes) > 0) != fixed || (len(p.letterDoubts()) > 0) != fixed {
			t.Errorf("%s: symOK %v, fixes %v, doubts %v; want mended %v", in, p.symOK, p.symFixes, p.letterDoubts(), fixed)
		}
	}
}

func TestValidDocNumber(t *testing.T) {
	for _, s := range []string{"15/2020/QĐ-UBND", "123/UBND-VP", "123-QĐ/HU", "05/QĐ-UBND", "31/TTr-UBND", "157/QĐ-NĐ-UB", "45/UBND", "11/CT-TTg"} {
		if !validDocNumber(s) {
			t.Errorf("validDocNumber(%q) = false", s)
		}
	}
	for _, s := range []string{"", "15", "15/", "/QĐ-UBND", "15/qđ-ubnd", "15 /QĐ-UBND", "15/QĐ–UBND", "15/QÐ-UBND", "0/UBND", "15/1850/QĐ-UBND", "1234567/UBND", "15/QĐ-", "b3/TB-UBND"} {
		if validDocNumber(s) {
			t.Errorf("validDocNumber(%q) = true", s)
		}
	}
}

// TestTypeTable keeps the Phụ lục III table consistent: every abbreviation
// parses back to itself in a type slot, and every name is found on a type
// line.
func TestTypeTable(t *testing.T) {
	for _, dt := range docTypes {
		n, s, ok := ParseNumber("12/" + dt.abbr + "-UBND")
		if !ok || n != "12" || s != dt.abbr+"-UBND" {
			t.Errorf("%s: ParseNumber gives %q %q %v", dt.abbr, n, s, ok)
		}
		m := Extract(onePage(typed(dt.name, "Số: 12/"+dt.abbr+"-UBND")))
		if m.Type != dt.name {
			t.Errorf("type line %q read as %q", dt.name, m.Type)
		}
		if m.DocNumber != "12/"+dt.abbr+"-UBND" || m.NeedsReview {
			t.Errorf("%s: %q review=%v %q", dt.name, m.DocNumber, m.NeedsReview, m.Review)
		}
	}
}
