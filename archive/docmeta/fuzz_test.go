package docmeta

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/pipeline"
)

func onePage(h hdr) []*pipeline.PageText { return []*pipeline.PageText{h.build()} }

// fuzzPage lays out text as OCR lines: one line per '\n', segments split by
// '\t' placed across the page, markers as in pb; jitter moves boxes about
// (overlaps, inversions, off-page) so that geometry is fuzzed too.
func fuzzPage(text string, width, height int, jitter int) *pipeline.PageText {
	b := newPB()
	b.pt.Width, b.pt.Height = width, height
	for i, l := range strings.Split(text, "\n") {
		var segs []any
		for j, s := range strings.Split(l, "\t") {
			segs = append(segs, 300+j*900, s)
		}
		b.line(200+i*60, segs...)
	}
	if jitter != 0 {
		k := 0
		for i := range b.pt.Lines {
			for j := range b.pt.Lines[i].Words {
				k++
				d := (jitter * k) % 97
				w := &b.pt.Lines[i].Words[j]
				w.Box.X0 += d
				w.Box.Y1 -= d / 2
				w.Conf = float64((jitter + k*31) % 101)
			}
			b.pt.Lines[i].BaseSlope = float64(jitter%7) / 100
		}
	}
	return b.page()
}

var fuzzSeeds = []string{
	"ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHUYỆN VÂN CANH\tĐộc lập - Tự do - Hạnh phúc\nSố: 15/2020/QĐ-UBND\tVân Canh, ngày 10 tháng 02 năm 2020\n\tQUYẾT ĐỊNH\n\tVề việc triển khai phần mềm\nCăn cứ Luật Tổ chức",
	"ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH QUẢNG NGÃI\tĐộc lập - Tự do - Hạnh phúc\nSố: @#~13 /CT-UBND\tQuảng Ngãi, ngày 80~18 tháng 3 năm 2018\n\tCHỈ THỊ",
	"Sôi~14 /CT-UBND~53\tQuảng Ngãi, ngàW/†~46 tháng 5~71 năm 2021",
	"Số: 22^~70 +40 /BC-UBND\tQuảng Ngãi, ngày @3 tháng 0I~73 năm 2025\n\tBÁO CÁO",
	"ĐẢNG BỘ TỈNH BÌNH ĐỊNH\tĐẢNG CỘNG SẢN VIỆT NAM\nHUYỆN ỦY VÂN CANH\nSố 123-QĐ/HU\tVân Canh, ngày 05 tháng 3 năm 2021",
	"Số: 123/UBND – VP\tVân Canh, ngày10 tháng 02 năm 2020.\nV/v triển khai\nKính gửi:",
	"CV ĐẾN\nSố: 2352\nNgày: 21.3.18\nChuyển:",
	"Số:b3 /TB-UBND\tngày tháng năm",
	"Số: 15/2O20/QD-UBNÐ\tthị trấn Vân Canh, ngày 31 tháng 02 năm 2020",
	"T Ờ T R Ì N H\nSố: 31/TTR-UBND",
}

func FuzzExtract(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, 2480, 3508, i*13)
	}
	f.Add("Số: 1/A\tngày 1 tháng 1 năm 2000", 0, 0, 0)
	f.Add("Số:", -5, -5, -3)
	f.Fuzz(func(t *testing.T, text string, width, height, jitter int) {
		m := Extract([]*pipeline.PageText{fuzzPage(text, width, height, jitter), nil})
		checkInvariants(t, m)
	})
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{
		"Số: 15/2020/QĐ-UBND", "123/UBND-VP", "Số 123-QĐ/HU", "O5/qd-ubnd", "31/TTR-UBND", "02/QYD-UBND",
		"11/CT-TTG", "03/HD-UBND", "15/2O20/QÐ-UBND", "Sôi /CT-UBND", "@#/CT", "1/2/3", "123 - QĐ / HU / VP",
		"15/QĐ--UBND", "Số:b3 /TB-UBND", "204/UB-QD-ND",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, sym, ok := ParseNumber(s)
		if !norm.NFC.IsNormalString(n) || !norm.NFC.IsNormalString(sym) {
			t.Fatalf("ParseNumber(%q) = %q, %q: not NFC", s, n, sym)
		}
		if !ok {
			if n != "" || sym != "" {
				t.Fatalf("ParseNumber(%q) = %q, %q, false", s, n, sym)
			}
			return
		}
		if len(n) == 0 || len(n) > 6 || strings.IndexFunc(n, func(r rune) bool { return !unicode.IsDigit(r) || r > '9' }) >= 0 {
			t.Fatalf("ParseNumber(%q): number %q", s, n)
		}
		doc := parseNumberText(s).docNumber()
		if !validDocNumber(doc) || !joins(doc, n, sym) {
			t.Fatalf("ParseNumber(%q) = %q, %q: number %q is not canonical", s, n, sym, doc)
		}
		// The canonical number parses back to itself.
		if n2, sym2, ok2 := ParseNumber(doc); !ok2 || n2 != n || sym2 != sym {
			t.Fatalf("ParseNumber(%q) = %q, %q; but ParseNumber(%q) = %q, %q, %v", s, n, sym, doc, n2, sym2, ok2)
		}
	})
}
