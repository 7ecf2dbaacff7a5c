package docmeta

import (
	"strings"
	"testing"

	"github.com/sohoa/sohoa/pipeline"
)

// want is what a case expects. doc, number, symbol, date and typ are always
// compared ("" means must be empty); place, agency, parent and subject only
// when set ("-" means must be empty). reason, when set, must be a substring
// of one of the review reasons.
type want struct {
	doc, number, symbol, date, typ string
	place, agency, parent, subject string
	review                         bool
	reason                         string
}

var (
	subjQD = []string{"Về việc triển khai phần mềm một cửa điện tử", "trên địa bàn huyện Vân Canh"}
	bodyQD = []string{
		"Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
		"Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ;",
	}
	bodyText = []string{
		"Thực hiện Chỉ thị số 11/CT-TTg ngày 16 tháng 4 năm 2021 của Thủ tướng Chính phủ,",
		"Ủy ban nhân dân huyện yêu cầu các cơ quan, đơn vị thực hiện tốt các nội dung sau:",
	}
	dateVC = "Vân Canh, ngày 10 tháng 02 năm 2020"
)

// qd is a quyết định of the UBND of Vân Canh with the given number line and
// date line.
func qd(so, date string) hdr {
	return hdr{so: so, date: date, typ: "QUYẾT ĐỊNH", subject: subjQD, body: bodyQD}
}

// typed is a document of the given type and number line, dated 10/02/2020.
func typed(typ, so string) hdr {
	return hdr{so: so, date: dateVC, typ: typ, subject: []string{"Về việc tổ chức hội nghị tổng kết năm 2019"}, body: bodyText}
}

// cv is a công văn of the UBND of Vân Canh.
func cv(so, date string, vv ...string) hdr {
	if vv == nil {
		vv = []string{"V/v triển khai phần mềm một cửa", "điện tử trên địa bàn huyện"}
	}
	return hdr{so: so, date: date, vv: vv, body: append([]string{"Kính gửi: Các cơ quan, đơn vị thuộc huyện."}, bodyText...)}
}

func party(so, date, typ string) hdr {
	return hdr{party: true, agency: []string{"ĐẢNG BỘ TỈNH BÌNH ĐỊNH", "HUYỆN ỦY VÂN CANH", "*"}, so: so, date: date, typ: typ,
		subject: []string{"về việc thành lập Đoàn kiểm tra"}, body: bodyText}
}

func with(h hdr, f func(*hdr)) hdr { f(&h); return h }

type extractCase struct {
	name  string
	pages func() []*pipeline.PageText
	want  want
}

func one(h hdr) func() []*pipeline.PageText {
	return func() []*pipeline.PageText { return []*pipeline.PageText{h.build()} }
}

// stampTopRight is an incoming-mail stamp in the top margin, right.
func stampTopRight(b *pb) {
	b.line(70, 1800, "UBND HUYỆN VÂN CANH")
	b.line(120, 1800, "CV ĐẾN")
	b.line(170, 1800, "Số: 2352")
	b.line(215, 1800, "Ngày: 21.3.18")
	b.line(255, 1800, "Chuyển: VP")
}

// stampOverBody is the stamp over the first lines of the body, left margin.
func stampOverBody(b *pb) {
	b.line(820, 60, "TRUNG TÂM CÔNG BÁO")
	b.line(870, 60, "CV")
	b.line(880, 200, "Số: 2352~70")
	b.line(930, 60, "ĐẾN")
	b.line(930, 200, "Ngày: 21.3.18")
	b.line(980, 200, "Chuyển:")
}

func extractCases() []extractCase {
	qdDefault := want{doc: "15/2020/QĐ-UBND", number: "15", symbol: "2020/QĐ-UBND", date: "2020-02-10", typ: "QUYẾT ĐỊNH",
		place: "Vân Canh", agency: "ỦY BAN NHÂN DÂN HUYỆN VÂN CANH", parent: "-",
		subject: "Về việc triển khai phần mềm một cửa điện tử trên địa bàn huyện Vân Canh"}
	qdw := func(f func(*want)) want { w := qdDefault; f(&w); return w }
	typw := func(doc, number, symbol, typ string) want {
		return want{doc: doc, number: number, symbol: symbol, date: "2020-02-10", typ: typ, place: "Vân Canh",
			subject: "Về việc tổ chức hội nghị tổng kết năm 2019"}
	}
	cvw := func(doc, number, symbol string) want {
		return want{doc: doc, number: number, symbol: symbol, date: "2020-02-10", typ: CongVan, place: "Vân Canh",
			subject: "triển khai phần mềm một cửa điện tử trên địa bàn huyện"}
	}
	return []extractCase{
		// Clean NĐ 30/2020 headers.
		{"clean QĐ legal", one(qd("Số: 15/2020/QĐ-UBND", dateVC)), qdDefault},
		{"clean QĐ with parent", one(with(qd("Số: 15/2020/QĐ-UBND", dateVC), func(h *hdr) { h.parent = "UBND TỈNH BÌNH ĐỊNH" })),
			qdw(func(w *want) { w.parent = "UBND TỈNH BÌNH ĐỊNH" })},
		{"clean QĐ date split from number line", one(with(qd("Số: 15/2020/QĐ-UBND", dateVC), func(h *hdr) { h.split = true })), qdDefault},
		{"clean QĐ ordinary", one(qd("Số: 87/QĐ-UBND", "Quảng Ngãi, ngày 23 tháng 01 năm 2025")),
			qdw(func(w *want) {
				w.doc, w.number, w.symbol, w.date, w.place = "87/QĐ-UBND", "87", "QĐ-UBND", "2025-01-23", "Quảng Ngãi"
			})},
		{"leading zero number", one(qd("Số: 05/QĐ-UBND", "Vân Canh, ngày 05 tháng 3 năm 2021")),
			qdw(func(w *want) { w.doc, w.number, w.symbol, w.date = "05/QĐ-UBND", "05", "QĐ-UBND", "2021-03-05" })},
		{"day and month without leading zero", one(qd("Số: 05/QĐ-UBND", "Vân Canh, ngày 5 tháng 2 năm 2021")),
			qdw(func(w *want) { w.doc, w.number, w.symbol, w.date = "05/QĐ-UBND", "05", "QĐ-UBND", "2021-02-05" })},
		// NĐ 30 writes 05; a lone digit is more often half of a handwritten
		// number read as print ("Số:. 2./KH-UBND" for 10 by hand).
		{"one-digit number read, flagged", one(qd("Số: 5/QĐ-UBND", "Vân Canh, ngày 5 tháng 2 năm 2021")),
			qdw(func(w *want) {
				w.doc, w.number, w.symbol, w.date = "5/QĐ-UBND", "5", "QĐ-UBND", "2021-02-05"
				w.review, w.reason = true, "một chữ số"
			})},
		{"four-digit number", one(cv("Số: 1234/UBND-KTTH", dateVC)), cvw("1234/UBND-KTTH", "1234", "UBND-KTTH")},
		{"place with thị trấn", one(qd("Số: 15/2020/QĐ-UBND", "thị trấn Vân Canh, ngày 10 tháng 02 năm 2020")),
			qdw(func(w *want) { w.place = "thị trấn Vân Canh" })},
		{"year with trailing dot", one(qd("Số: 15/2020/QĐ-UBND", "Vân Canh, ngày 10 tháng 02 năm 2020.")), qdDefault},
		{"one-line agency of a commune", one(with(qd("Số: 15/2020/QĐ-UBND", dateVC), func(h *hdr) { h.agency = []string{"ỦY BAN NHÂN DÂN XÃ CANH HIỂN"} })),
			qdw(func(w *want) { w.agency = "ỦY BAN NHÂN DÂN XÃ CANH HIỂN" })},
		{"department under a district", one(with(typed("KẾ HOẠCH", "Số: 12/KH-PTC"), func(h *hdr) {
			h.parent, h.agency = "UBND HUYỆN VÂN CANH", []string{"PHÒNG TÀI CHÍNH - KẾ HOẠCH"}
		})), func() want {
			w := typw("12/KH-PTC", "12", "KH-PTC", "KẾ HOẠCH")
			w.parent, w.agency = "UBND HUYỆN VÂN CANH", "PHÒNG TÀI CHÍNH - KẾ HOẠCH"
			return w
		}()},
		{"old style UBND motto on own lines", one(with(qd("Số: 15/2020/QĐ-UBND", dateVC), func(h *hdr) {
			h.noMotto = true
			h.extra = func(b *pb) {
				b.centred(250, rightCX, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
				b.centred(312, rightCX, "Độc lập - Tự do - Hạnh phúc")
			}
		})), qdDefault},
		{"authority line after subject", one(with(qd("Số: 15/2020/QĐ-UBND", dateVC), func(h *hdr) {
			h.subject = []string{"Về việc triển khai phần mềm một cửa điện tử", "trên địa bàn huyện Vân Canh", "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN VÂN CANH"}
		})), qdDefault},

		// Types of Phụ lục III, and mixed-case abbreviations.
		{"chỉ thị", one(typed("CHỈ THỊ", "Số: 07/CT-UBND")), typw("07/CT-UBND", "07", "CT-UBND", "CHỈ THỊ")},
		{"thông báo", one(typed("THÔNG BÁO", "Số: 45/TB-UBND")), typw("45/TB-UBND", "45", "TB-UBND", "THÔNG BÁO")},
		{"báo cáo", one(typed("BÁO CÁO", "Số: 23/BC-UBND")), typw("23/BC-UBND", "23", "BC-UBND", "BÁO CÁO")},
		{"kế hoạch", one(typed("KẾ HOẠCH", "Số: 112/KH-UBND")), typw("112/KH-UBND", "112", "KH-UBND", "KẾ HOẠCH")},
		{"tờ trình TTr", one(typed("TỜ TRÌNH", "Số: 31/TTr-UBND")), typw("31/TTr-UBND", "31", "TTr-UBND", "TỜ TRÌNH")},
		{"tờ trình read TTR", one(typed("TỜ TRÌNH", "Số: 31/TTR-UBND")), typw("31/TTr-UBND", "31", "TTr-UBND", "TỜ TRÌNH")},
		{"quy định QyĐ", one(typed("QUY ĐỊNH", "Số: 02/QyĐ-UBND")), typw("02/QyĐ-UBND", "02", "QyĐ-UBND", "QUY ĐỊNH")},
		{"quy định read QYD", one(typed("QUY ĐỊNH", "Số: 02/QYD-UBND")), typw("02/QyĐ-UBND", "02", "QyĐ-UBND", "QUY ĐỊNH")},
		{"chương trình CTr", one(typed("CHƯƠNG TRÌNH", "Số: 09/CTr-UBND")), typw("09/CTr-UBND", "09", "CTr-UBND", "CHƯƠNG TRÌNH")},
		{"trích sao TrS", one(typed("TRÍCH SAO", "Số: 04/TrS-VP")), typw("04/TrS-VP", "04", "TrS-VP", "TRÍCH SAO")},
		{"nghị quyết of HĐND", one(with(typed("NGHỊ QUYẾT", "Số: 18/2021/NQ-HĐND"), func(h *hdr) { h.agency = []string{"HỘI ĐỒNG NHÂN DÂN", "HUYỆN VÂN CANH"} })),
			func() want {
				w := typw("18/2021/NQ-HĐND", "18", "2021/NQ-HĐND", "NGHỊ QUYẾT")
				w.review, w.reason, w.agency = true, "khác năm ban hành", "HỘI ĐỒNG NHÂN DÂN HUYỆN VÂN CANH"
				return w
			}()},
		{"hướng dẫn HD", one(typed("HƯỚNG DẪN", "Số: 03/HD-UBND")), typw("03/HD-UBND", "03", "HD-UBND", "HƯỚNG DẪN")},
		{"hợp đồng read HD, type line decides", one(typed("HỢP ĐỒNG", "Số: 03/HD-UBND")), typw("03/HĐ-UBND", "03", "HĐ-UBND", "HỢP ĐỒNG")},
		{"đề án read DA, type line decides", one(typed("ĐỀ ÁN", "Số: 06/DA-UBND")), typw("06/ĐA-UBND", "06", "ĐA-UBND", "ĐỀ ÁN")},
		{"dự án DA", one(typed("DỰ ÁN", "Số: 06/DA-UBND")), typw("06/DA-UBND", "06", "DA-UBND", "DỰ ÁN")},
		{"HD without type line is ambiguous", one(with(typed("", "Số: 03/HD-UBND"), func(h *hdr) { h.subject = nil })),
			want{doc: "03/HD-UBND", number: "03", symbol: "HD-UBND", date: "2020-02-10", typ: "HƯỚNG DẪN", review: true, reason: "D hay Đ"}},
		{"công điện CĐ", one(typed("CÔNG ĐIỆN", "Số: 01/CĐ-UBND")), typw("01/CĐ-UBND", "01", "CĐ-UBND", "CÔNG ĐIỆN")},
		{"giấy mời", one(typed("GIẤY MỜI", "Số: 66/GM-UBND")), typw("66/GM-UBND", "66", "GM-UBND", "GIẤY MỜI")},
		{"biên bản", one(typed("BIÊN BẢN", "Số: 14/BB-UBND")), typw("14/BB-UBND", "14", "BB-UBND", "BIÊN BẢN")},
		{"phương án", one(typed("PHƯƠNG ÁN", "Số: 08/PA-UBND")), typw("08/PA-UBND", "08", "PA-UBND", "PHƯƠNG ÁN")},
		{"quy chế", one(typed("QUY CHẾ", "Số: 11/QC-UBND")), typw("11/QC-UBND", "11", "QC-UBND", "QUY CHẾ")},
		{"type damaged CHÍ THỊ", one(typed("CHÍ THỊ", "Số: 07/CT-UBND")), typw("07/CT-UBND", "07", "CT-UBND", "CHỈ THỊ")},
		{"type letter-spaced", one(typed("T Ờ T R Ì N H", "Số: 31/TTr-UBND")), typw("31/TTr-UBND", "31", "TTr-UBND", "TỜ TRÌNH")},
		{"type contradicts symbol", one(typed("CHỈ THỊ", "Số: 15/QĐ-UBND")),
			want{doc: "15/QĐ-UBND", number: "15", symbol: "QĐ-UBND", date: "2020-02-10", typ: "CHỈ THỊ", review: true, reason: "không khớp ký hiệu"}},
		{"no type line, type from symbol", one(with(typed("", "Số: 45/TB-UBND"), func(h *hdr) { h.subject = nil })),
			want{doc: "45/TB-UBND", number: "45", symbol: "TB-UBND", date: "2020-02-10", typ: "THÔNG BÁO"}},
		{"old agency-first symbol", one(qd("Số: 204/UB-QĐ", dateVC)),
			qdw(func(w *want) { w.doc, w.number, w.symbol = "204/UB-QĐ", "204", "UB-QĐ" })},
		{"three-part symbol", one(qd("Số: 157/QĐ-NĐ-UB", "Cao Bằng, ngày 22 tháng 2 năm 1999")),
			qdw(func(w *want) {
				w.doc, w.number, w.symbol, w.date, w.place = "157/QĐ-NĐ-UB", "157", "QĐ-NĐ-UB", "1999-02-22", "Cao Bằng"
			})},
		{"agency symbol TTg kept", one(typed("CHỈ THỊ", "Số: 11/CT-TTg")), typw("11/CT-TTg", "11", "CT-TTg", "CHỈ THỊ")},

		// Công văn.
		{"công văn with V/v", one(cv("Số: 123/UBND-VP", dateVC)), cvw("123/UBND-VP", "123", "UBND-VP")},
		{"công văn V/v with colon", one(cv("Số: 123/UBND-VP", dateVC, "V/v: triển khai phần mềm một cửa", "điện tử trên địa bàn huyện")),
			cvw("123/UBND-VP", "123", "UBND-VP")},
		{"công văn V/V upper", one(cv("Số: 123/UBND-VP", dateVC, "V/V triển khai phần mềm một cửa", "điện tử trên địa bàn huyện")),
			cvw("123/UBND-VP", "123", "UBND-VP")},
		{"công văn en dash with spaces", one(cv("Số: 123/UBND – VP", dateVC)), cvw("123/UBND-VP", "123", "UBND-VP")},
		{"công văn em dash", one(cv("Số: 123/UBND—VP", dateVC)), cvw("123/UBND-VP", "123", "UBND-VP")},
		{"công văn spaces around dash", one(cv("Số: 123/UBND - NC", dateVC)), cvw("123/UBND-NC", "123", "UBND-NC")},
		{"công văn without V/v", one(with(cv("Số: 123/UBND-VP", dateVC), func(h *hdr) { h.vv = nil })),
			want{doc: "123/UBND-VP", number: "123", symbol: "UBND-VP", date: "2020-02-10", typ: CongVan, subject: "-", review: true, reason: "để đối chiếu"}},
		{"symbol one look-alike off the type's abbreviation", one(typed("TỜ TRÌNH", "Số: 286/TIr-UBND")),
			want{doc: "286/TTr-UBND", number: "286", symbol: "TTr-UBND", date: "2020-02-10", typ: "TỜ TRÌNH"}},
		{"symbol one letter off the type's abbreviation", one(typed("TỜ TRÌNH", "Số: 286/TKr-UBND")),
			want{doc: "286/TTr-UBND", number: "286", symbol: "TTr-UBND", date: "2020-02-10", typ: "TỜ TRÌNH", review: true, reason: "đã sửa thành TTr"}},
		{"symbol without the type's abbreviation", one(typed("QUYẾT ĐỊNH", "Số: 15/VP-UBND")),
			want{doc: "15/VP-UBND", number: "15", symbol: "VP-UBND", date: "2020-02-10", typ: "QUYẾT ĐỊNH", review: true, reason: "chữ viết tắt"}},
		{"công văn of a commune", one(with(cv("Số: 45/UBND", "Canh Hiển, ngày 3 tháng 11 năm 2022"), func(h *hdr) {
			h.agency = []string{"ỦY BAN NHÂN DÂN", "XÃ CANH HIỂN"}
		})), want{doc: "45/UBND", number: "45", symbol: "UBND", date: "2022-11-03", typ: CongVan, place: "Canh Hiển",
			agency: "ỦY BAN NHÂN DÂN XÃ CANH HIỂN", subject: "triển khai phần mềm một cửa điện tử trên địa bàn huyện"}},

		// Party documents.
		{"party QĐ", one(party("Số 123-QĐ/HU", "Vân Canh, ngày 05 tháng 3 năm 2021", "QUYẾT ĐỊNH")),
			want{doc: "123-QĐ/HU", number: "123", symbol: "QĐ/HU", date: "2021-03-05", typ: "QUYẾT ĐỊNH", place: "Vân Canh",
				agency: "HUYỆN ỦY VÂN CANH", parent: "ĐẢNG BỘ TỈNH BÌNH ĐỊNH", subject: "về việc thành lập Đoàn kiểm tra"}},
		{"party with colon", one(party("Số: 123-QĐ/HU", "Vân Canh, ngày 05 tháng 3 năm 2021", "QUYẾT ĐỊNH")),
			want{doc: "123-QĐ/HU", number: "123", symbol: "QĐ/HU", date: "2021-03-05", typ: "QUYẾT ĐỊNH"}},
		{"party spaces", one(party("Số 05 - NQ/HU", "Vân Canh, ngày 05 tháng 3 năm 2021", "NGHỊ QUYẾT")),
			want{doc: "05-NQ/HU", number: "05", symbol: "NQ/HU", date: "2021-03-05", typ: "NGHỊ QUYẾT"}},
		{"party kế hoạch of a commune", one(with(party("Số 12-KH/ĐU", "Canh Vinh, ngày 20 tháng 4 năm 2023", "KẾ HOẠCH"), func(h *hdr) {
			h.agency = []string{"ĐẢNG BỘ HUYỆN VÂN CANH", "ĐẢNG ỦY XÃ CANH VINH", "*"}
		})), want{doc: "12-KH/ĐU", number: "12", symbol: "KH/ĐU", date: "2023-04-20", typ: "KẾ HOẠCH", place: "Canh Vinh",
			agency: "ĐẢNG ỦY XÃ CANH VINH", parent: "ĐẢNG BỘ HUYỆN VÂN CANH"}},
		{"party công văn CV", one(with(party("Số 45-CV/HU", "Vân Canh, ngày 05 tháng 3 năm 2021", ""), func(h *hdr) {
			h.subject, h.vv = nil, []string{"V/v chuẩn bị đại hội chi bộ"}
		})), want{doc: "45-CV/HU", number: "45", symbol: "CV/HU", date: "2021-03-05", typ: CongVan, subject: "chuẩn bị đại hội chi bộ"}},
		{"party ĐU read DU", one(party("Số 12-KH/DU", "Vân Canh, ngày 05 tháng 3 năm 2021", "KẾ HOẠCH")),
			want{doc: "12-KH/ĐU", number: "12", symbol: "KH/ĐU", date: "2021-03-05", typ: "KẾ HOẠCH"}},

		// OCR damage to letters, spacing and the label.
		{"Ð U+00D0 in symbol", one(qd("Số: 15/2020/QÐ-UBND", dateVC)), qdDefault},
		{"D for Đ in type slot", one(qd("Số: 15/2020/QD-UBND", dateVC)), qdDefault},
		{"UBNÐ read with a bar", one(qd("Số: 15/2020/QĐ-UBNĐ", dateVC)), qdDefault},
		{"label S6:", one(qd("S6: 15/2020/QĐ-UBND", dateVC)), qdDefault},
		{"label Sô:", one(qd("Sô: 15/2020/QĐ-UBND", dateVC)), qdDefault},
		{"label Số : with loose colon", one(qd("Số : 15/2020/QĐ-UBND", dateVC)), qdDefault},
		{"label glued to number", one(qd("Số:15/2020/QĐ-UBND", dateVC)), qdDefault},
		{"label and number in separate OCR lines", one(with(qd("", dateVC), func(h *hdr) {
			h.split = true
			h.extra = func(b *pb) {
				b.line(500, 330, "Số:")
				b.line(500, 420, "15/2020/QĐ-UBND")
			}
		})), qdDefault},
		{"spaces around slashes", one(qd("Số: 15 / 2020 / QĐ - UBND", dateVC)), qdDefault},
		{"symbol split by OCR", one(qd("Số: 15/2020/QĐ- UBND", dateVC)), qdDefault},
		{"O for 0 in number", one(qd("Số: O5/QĐ-UBND", dateVC)),
			qdw(func(w *want) {
				w.doc, w.number, w.symbol, w.review, w.reason = "05/QĐ-UBND", "05", "QĐ-UBND", true, "O→0"
			})},
		{"l for 1 in number", one(qd("Số: l5/2020/QĐ-UBND", dateVC)),
			qdw(func(w *want) { w.review, w.reason = true, "l→1" })},
		{"S for 5 in number", one(qd("Số: 1S/2020/QĐ-UBND", dateVC)),
			qdw(func(w *want) { w.review, w.reason = true, "S→5" })},
		{"O for 0 in year, date confirms", one(qd("Số: 15/2O20/QĐ-UBND", dateVC)), qdDefault},
		{"O for 0 in year, date disagrees", one(qd("Số: 15/2O20/QĐ-UBND", "Vân Canh, ngày 10 tháng 02 năm 2021")),
			qdw(func(w *want) { w.date, w.review, w.reason = "2021-02-10", true, "khác năm ban hành" })},
		{"low confidence glued number", one(qd("Số: 15/2020/QĐ-UBND~60", dateVC)),
			qdw(func(w *want) { w.review, w.reason = true, "không chắc chắn" })},
		{"low confidence symbol", one(qd("Số: 15 /QĐ-UBND~50", dateVC)),
			qdw(func(w *want) {
				w.doc, w.number, w.symbol, w.review, w.reason = "15/QĐ-UBND", "15", "QĐ-UBND", true, "Ký hiệu văn bản: OCR không chắc chắn"
			})},
		{"typed number one space before slash", one(cv("Số: 12 /UBND-VP", dateVC)), cvw("12/UBND-VP", "12", "UBND-VP")},

		// Character confidences (Word.CharConf): the digits are judged by
		// their own, not by their word's.
		{"word unsure, its digits sure", one(qd("Số: 316/QĐ-UBND~49/99", "Quảng Ngãi, ngày 23 tháng 01 năm 2025")),
			qdw(func(w *want) {
				w.doc, w.number, w.symbol, w.date, w.place = "316/QĐ-UBND", "316", "QĐ-UBND", "2025-01-23", "Quảng Ngãi"
			})},
		{"legal number: word unsure, digits and year sure", one(qd("Số: 15/2020/QĐ-UBND~60/98", dateVC)), qdDefault},
		{"word sure, one digit unsure", one(qd("Số: 15/2020/QĐ-UBND~95/99;1=62", dateVC)),
			qdw(func(w *want) {
				w.review, w.reason = true, "Số văn bản: OCR không chắc chắn (độ tin cậy 62%)"
			})},
		{"digits sure, symbol letter unsure", one(qd("Số: 15/QĐ-UBND~90/99;4=40", dateVC)),
			qdw(func(w *want) {
				w.doc, w.number, w.symbol, w.review, w.reason = "15/QĐ-UBND", "15", "QĐ-UBND", true, "Ký hiệu văn bản: OCR không chắc chắn (độ tin cậy 40%)"
			})},
		{"label unsure, glued digits sure", one(qd("Số:15/2020/QĐ-UBND~40/99;0=30;1=30;2=30", dateVC)), qdDefault},
		{"label sure, glued digit unsure", one(qd("Số:15/2020/QĐ-UBND~95/99;4=50", dateVC)),
			qdw(func(w *want) {
				w.review, w.reason = true, "Số văn bản: OCR không chắc chắn (độ tin cậy 50%)"
			})},
		{"look-alike read sure is still mapped and flagged", one(qd("Số: l5/2020/QĐ-UBND~96/99", dateVC)),
			qdw(func(w *want) { w.review, w.reason = true, "l→1" })},
		{"digits glued to the label, apart from the symbol: the word's doubt counts", one(typed("CHỈ THỊ", "Số:11~15/99 /CT-UBND")),
			func() want {
				w := typw("11/CT-UBND", "11", "CT-UBND", "CHỈ THỊ")
				w.review, w.reason = true, "độ tin cậy 15%"
				return w
			}()},
		{"handwritten number, its characters sure", one(typed("BÁO CÁO", "Số: 23^~87/99 +40 /BC-UBND")),
			func() want {
				w := typw("23/BC-UBND", "23", "BC-UBND", "BÁO CÁO")
				w.review, w.reason = true, "khác chữ in"
				return w
			}()},
		{"character confidences that do not line up are ignored", func() []*pipeline.PageText {
			p := qd("Số: 15/2020/QĐ-UBND~60", dateVC).build()
			for i := range p.Lines {
				for j := range p.Lines[i].Words {
					if w := &p.Lines[i].Words[j]; w.Text == "15/2020/QĐ-UBND" {
						w.CharConf = []float64{99, 99, 99} // three for fifteen runes
					}
				}
			}
			return []*pipeline.PageText{p}
		}, qdw(func(w *want) { w.review, w.reason = true, "không chắc chắn (độ tin cậy 60%)" })},
		{"day word unsure, its digits sure", one(qd("Số: 15/2020/QĐ-UBND", "Vân Canh, ngày 10~55/97 tháng 02~70/99 năm 2020~80/99")), qdDefault},
		{"day digit unsure", one(qd("Số: 15/2020/QĐ-UBND", "Vân Canh, ngày 10~96/99;1=70 tháng 02 năm 2020")),
			qdw(func(w *want) {
				w.review, w.reason = true, "Ngày tháng: OCR không chắc chắn (độ tin cậy 70%)"
			})},
		{"day glued to ngày: keyword unsure, digits sure", one(qd("Số: 15/2020/QĐ-UBND", "Vân Canh, ngày10~50/99;1=40 tháng 02 năm 2020")), qdDefault},
		{"day glued to ngày: digit unsure", one(qd("Số: 15/2020/QĐ-UBND", "Vân Canh, ngày10~95/99;5=60 tháng 02 năm 2020")),
			qdw(func(w *want) { w.review, w.reason = true, "độ tin cậy 60%" })},
		{"year digit unsure", one(qd("Số: 15/2020/QĐ-UBND", "Vân Canh, ngày 10 tháng 02 năm 2020~95/99;2=50")),
			qdw(func(w *want) { w.review, w.reason = true, "độ tin cậy 50%" })},

		// What Tesseract made of printed numbers on synthetic pages
		// (TestSynth -synthdump).
		{"B for 8 in number", one(qd("Số: B38/2016/QĐ-UBND~53/98", "Cấm Xuyên, ngày 02 tháng 4 năm 2016")),
			qdw(func(w *want) {
				w.doc, w.number, w.symbol, w.date, w.place, w.review, w.reason = "838/2016/QĐ-UBND", "838", "2016/QĐ-UBND", "2016-04-02", "Cấm Xuyên", true, "B→8"
			})},
		{"slash dropped, digits sure: offered, flagged", one(with(typed("NGHỊ QUYẾT", "Số: 206NQ-HĐND~85/98"), func(h *hdr) {
			h.agency = []string{"HỘI ĐỒNG NHÂN DÂN", "HUYỆN BA TƠ"}
		})), func() want {
			w := typw("206/NQ-HĐND", "206", "NQ-HĐND", "NGHỊ QUYẾT")
			w.review, w.reason = true, "số 206 là đoán"
			return w
		}()},
		{"slash dropped before a lone agency", one(cv("Số: 135UBND~75/98", dateVC)),
			func() want {
				w := cvw("135/UBND", "135", "UBND")
				w.review, w.reason = true, "số 135 là đoán"
				return w
			}()},
		{"slash dropped between number and year", one(qd("Số: 152020/QĐ-UBND", dateVC)),
			qdw(func(w *want) {
				w.doc, w.number, w.symbol, w.review, w.reason = "152020/QĐ-UBND", "152020", "QĐ-UBND", true, "gồm cả năm 2020"
			})},
		{"speck between dash and agency", one(typed("CHỈ THỊ", "Số: 55/CT-.UBND~39/98")), typw("55/CT-UBND", "55", "CT-UBND", "CHỈ THỊ")},
		{"accent on a capital of the symbol", one(qd("Số: 157/QĐ-NĐ-ÚB", "Cao Bằng, ngày 22 tháng 2 năm 1999")),
			qdw(func(w *want) {
				w.doc, w.number, w.symbol, w.date, w.place, w.review, w.reason = "157/QĐ-NĐ-UB", "157", "QĐ-NĐ-UB", "1999-02-22", "Cao Bằng", true, "Ú→U"
			})},
		{"V/v read V&", one(cv("Số: 146/NNPTNT", dateVC, "V&~72 triển khai phần mềm một cửa", "điện tử trên địa bàn huyện")),
			cvw("146/NNPTNT", "146", "NNPTNT")},
		{"V/v read VW", one(cv("Số: 96/LĐTBXH", dateVC, "VW~40 triển khai phần mềm một cửa", "điện tử trên địa bàn huyện")),
			cvw("96/LĐTBXH", "96", "LĐTBXH")},
		{"công văn of the inspectorate: TTr is Thanh tra", one(with(cv("Số: 246/TTr", dateVC), func(h *hdr) {
			h.parent, h.agency = "UBND HUYỆN QUẢNG ĐIỀN", []string{"THANH TRA HUYỆN"}
		})), cvw("246/TTr", "246", "TTr")},

		// Handwritten numbers.
		{"handwritten number plausible, low confidence", one(typed("CHỈ THỊ", "Số: +20 07^~62 +40 /CT-UBND")),
			func() want {
				w := typw("07/CT-UBND", "07", "CT-UBND", "CHỈ THỊ")
				w.review, w.reason = true, "viết tay"
				return w
			}()},
		{"handwritten number with high confidence", one(typed("BÁO CÁO", "Số: 22^~93 +40 /BC-UBND")),
			func() want {
				w := typw("22/BC-UBND", "22", "BC-UBND", "BÁO CÁO")
				w.review, w.reason = true, "khác chữ in"
				return w
			}()},
		{"handwritten number one space from the slash, confident", one(typed("BÁO CÁO", "Số: 23^~92 /BC-UBND")),
			func() want {
				w := typw("23/BC-UBND", "23", "BC-UBND", "BÁO CÁO")
				w.review, w.reason = true, "khác chữ in"
				return w
			}()},
		{"number in the blank, printed size", one(typed("CHỈ THỊ", "Số: +60 07~96 +90 /CT-UBND")),
			func() want {
				w := typw("07/CT-UBND", "07", "CT-UBND", "CHỈ THỊ")
				w.review, w.reason = true, "chỗ trống"
				return w
			}()},
		{"handwritten garbage glued to label", one(typed("THÔNG BÁO", "Số:b3~40 /TB-UBND")),
			func() want {
				w := typw("63/TB-UBND", "63", "TB-UBND", "THÔNG BÁO")
				w.review, w.reason = true, "b→6"
				return w
			}()},
		{"handwritten garbage symbols", one(typed("CHỈ THỊ", "Số: @#~13 /CT-UBND")),
			func() want {
				w := typw("", "", "CT-UBND", "CHỈ THỊ")
				w.review, w.reason = true, "không đọc được"
				return w
			}()},
		{"number dropped, label misread", one(typed("CHỈ THỊ", "Sôi~14 +120 /CT-UBND~53")),
			func() want {
				w := typw("", "", "CT-UBND", "CHỈ THỊ")
				w.review, w.reason = true, "Không đọc được số văn bản"
				return w
			}()},
		{"blank left empty", one(typed("QUYẾT ĐỊNH", "Số: +150 /QĐ-UBND")),
			func() want {
				w := typw("", "", "QĐ-UBND", "QUYẾT ĐỊNH")
				w.review, w.reason = true, "để trống"
				return w
			}()},
		{"dotted blank", one(typed("QUYẾT ĐỊNH", "Số: ....../QĐ-UBND")),
			func() want {
				w := typw("", "", "QĐ-UBND", "QUYẾT ĐỊNH")
				w.review = true
				return w
			}()},
		{"handwritten digits split in two words", one(typed("CHỈ THỊ", "Số: 0~80 7^~70 /CT-UBND")),
			func() want {
				w := typw("07/CT-UBND", "07", "CT-UBND", "CHỈ THỊ")
				w.review, w.reason = true, "tách rời"
				return w
			}()},
		{"slash read as a digit", one(typed("CHỈ THỊ", "Số: 1237CT-UBND~40")),
			func() want {
				w := typw("", "", "CT-UBND", "CHỈ THỊ")
				w.review, w.reason = true, "dấu /"
				return w
			}()},
		{"type name from a council is not HỢP ĐỒNG", one(with(hdr{so: "Số: 2317NQ-HĐND~10", date: dateVC, typ: "NGHỊ QUYẾT",
			subject: []string{"Về việc thông qua Kế hoạch giảm nghèo"}, body: bodyQD}, func(h *hdr) {
			h.agency = []string{"HỘI ĐỒNG NHÂN DÂN", "HUYỆN VÂN CANH"}
		})), want{symbol: "NQ-HĐND", date: "2020-02-10", typ: "NGHỊ QUYẾT", agency: "HỘI ĐỒNG NHÂN DÂN HUYỆN VÂN CANH", review: true}},
		{"council without number or date: HỘI ĐỒNG is not HỢP ĐỒNG", one(hdr{agency: []string{"HỘI ĐỒNG NHÂN DÂN", "HUYỆN VÂN CANH"}, typ: "NGHỊ QUYẾT",
			subject: []string{"Về việc thông qua Kế hoạch giảm nghèo"}, body: bodyQD}),
			want{typ: "NGHỊ QUYẾT", agency: "HỘI ĐỒNG NHÂN DÂN HUYỆN VÂN CANH", subject: "Về việc thông qua Kế hoạch giảm nghèo", review: true, reason: "Không tìm thấy số"}},
		{"number with letters", one(typed("CHỈ THỊ", "Số: 0Z~50 /CT-UBND")),
			func() want {
				w := typw("", "", "CT-UBND", "CHỈ THỊ")
				w.review = true
				return w
			}()},

		// Dates.
		{"handwritten day", one(qd("Số: 15/2020/QĐ-UBND", "Vân Canh, ngày 10^~88 tháng 02 năm 2020")),
			qdw(func(w *want) { w.review, w.reason = true, "khác chữ in" })},
		{"day read as garbage", one(qd("Số: 15/2020/QĐ-UBND", "Vân Canh, ngày @3~88 tháng 02 năm 2020")),
			qdw(func(w *want) { w.date, w.review, w.reason = "", true, "Không đọc được ngày" })},
		{"day glued to ngày as garbage", one(qd("Số: 15/2020/QĐ-UBND", "Vân Canh, ngàW/†~46 tháng 02 năm 2020")),
			qdw(func(w *want) { w.date, w.review, w.reason = "", true, "Không đọc được ngày" })},
		{"day glued to ngày, printed", one(qd("Số: 15/2020/QĐ-UBND", "Vân Canh, ngày10 tháng 02 năm 2020")), qdDefault},
		{"day low confidence", one(qd("Số: 15/2020/QĐ-UBND", "Vân Canh, ngày 10~70 tháng 02 năm 2020")),
			qdw(func(w *want) { w.review, w.reason = true, "Ngày tháng: OCR không chắc chắn" })},
		{"month with I for 1", one(qd("Số: 15/2020/QĐ-UBND", "Vân Canh, ngày 10 tháng 0I~73 năm 2020")),
			qdw(func(w *want) { w.date, w.review, w.reason = "2020-01-10", true, "I→1" })},
		{"day out of range", one(qd("Số: 15/2020/QĐ-UBND", "Vân Canh, ngày 80~18 tháng 3 năm 2020")),
			qdw(func(w *want) { w.date, w.review, w.reason = "", true, "Không đọc được ngày" })},
		{"invalid calendar date", one(qd("Số: 15/2020/QĐ-UBND", "Vân Canh, ngày 31 tháng 02 năm 2020")),
			qdw(func(w *want) { w.date, w.review, w.reason = "", true, "không hợp lệ" })},
		{"day left blank", one(qd("Số: 15/2020/QĐ-UBND", "Vân Canh, ngày +150 tháng 02 năm 2020")),
			qdw(func(w *want) { w.date, w.review, w.reason = "", true, "Không đọc được ngày" })},
		{"year misread", one(qd("Số: 157/QĐ-NĐ-UB", "Cao Bằng, ngày 22 tháng 2 năm T999.~36")),
			qdw(func(w *want) {
				w.doc, w.number, w.symbol, w.date, w.place, w.review, w.reason = "157/QĐ-NĐ-UB", "157", "QĐ-NĐ-UB", "", "Cao Bằng", true, "năm ban hành"
			})},
		{"date in V/v is not the date line", one(cv("Số: 123/UBND-VP", "", "V/v báo cáo ngày 10 tháng 3 năm 2020", "về công tác cải cách")),
			want{doc: "123/UBND-VP", number: "123", symbol: "UBND-VP", typ: CongVan, place: "-", review: true, reason: "Không tìm thấy ngày"}},
		{"no date line", one(qd("Số: 15/2020/QĐ-UBND", "")),
			qdw(func(w *want) { w.date, w.place, w.review, w.reason = "", "-", true, "Không tìm thấy ngày" })},
		{"Quảng Nam place before năm", one(qd("Số: 15/2020/QĐ-UBND", "Quảng Nam, ngày 10 tháng 02 năm 2020")),
			qdw(func(w *want) { w.place = "Quảng Nam" })},

		// Incoming-mail stamps with their own "Số:".
		{"stamp top right", one(with(qd("Số: 15/2020/QĐ-UBND", dateVC), func(h *hdr) { h.extra = stampTopRight })), qdDefault},
		{"stamp over the body", one(with(qd("Số: 15/2020/QĐ-UBND", dateVC), func(h *hdr) { h.extra = stampOverBody })), qdDefault},
		{"stamp with slash in its number", one(with(qd("Số: 15/2020/QĐ-UBND", dateVC), func(h *hdr) {
			h.extra = func(b *pb) {
				b.line(120, 1800, "CV ĐẾN")
				b.line(170, 1800, "Số: 2352/VP")
				b.line(215, 1800, "Ngày: 21.3.18")
			}
		})), qdDefault},
		{"stamp merged onto the number line", one(with(qd("", ""), func(h *hdr) {
			h.extra = func(b *pb) {
				b.line(500, 330, "Số: 15/2020/QĐ-UBND", 1000, "ĐẾN Số: 2352", 1400, "Vân Canh, ngày 10 tháng 02 năm 2020")
			}
		})), qdDefault},
		{"only the stamp has a number", one(with(qd("", dateVC), func(h *hdr) { h.extra = stampTopRight })),
			qdw(func(w *want) {
				w.doc, w.number, w.symbol, w.review, w.reason = "", "", "", true, "Không tìm thấy số"
			})},
		{"handwritten number and stamp", one(with(typed("CHỈ THỊ", "Số: @#~13 /CT-UBND"), func(h *hdr) { h.extra = stampOverBody })),
			func() want {
				w := typw("", "", "CT-UBND", "CHỈ THỊ")
				w.review = true
				return w
			}()},

		{"stamp's number is the only one with a symbol", one(with(typed("CHỈ THỊ", "Sôi~14"), func(h *hdr) {
			h.extra = func(b *pb) {
				b.line(120, 1800, "CV ĐẾN")
				b.line(170, 1800, "Số: 2352/VP")
				b.line(215, 1800, "Ngày: 21.3.18")
			}
		})), func() want {
			w := typw("2352/VP", "2352", "VP", "CHỈ THỊ")
			w.review, w.reason = true, "dấu công văn đến"
			return w
		}()},
		{"number line in the right column", one(with(typed("CHỈ THỊ", ""), func(h *hdr) {
			h.extra = func(b *pb) { b.line(545, 1450, "Số: 07/CT-UBND") }
		})),
			func() want {
				w := typw("07/CT-UBND", "07", "CT-UBND", "CHỈ THỊ")
				w.review, w.reason = true, "vị trí thường lệ"
				return w
			}()},

		// Pages.
		{"header on page 2 after a blank cover", func() []*pipeline.PageText {
			cover := newPB().line(1700, 900, "HỒ SƠ LƯU").page()
			return []*pipeline.PageText{cover, qd("Số: 15/2020/QĐ-UBND", dateVC).build()}
		}, qdDefault},
		{"nil and empty pages", func() []*pipeline.PageText { return []*pipeline.PageText{nil, newPB().page()} },
			want{review: true, reason: "Không tìm thấy phần đầu"}},
		{"no pages", func() []*pipeline.PageText { return nil }, want{review: true, reason: "Không tìm thấy phần đầu"}},
		{"body citation is not the number", one(hdr{date: dateVC, typ: "CHỈ THỊ", subject: []string{"Về tăng cường công tác thi hành án"}, body: bodyText}),
			want{date: "2020-02-10", typ: "CHỈ THỊ", place: "Vân Canh", review: true, reason: "Không tìm thấy số"}},
		{"page width unknown", func() []*pipeline.PageText {
			p := qd("Số: 15/2020/QĐ-UBND", dateVC).build()
			p.Width, p.Height = 0, 0
			return []*pipeline.PageText{p}
		}, qdDefault},
	}
}

func TestExtract(t *testing.T) {
	cases := extractCases()
	if len(cases) < 80 {
		t.Errorf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := Extract(tc.pages())
			checkInvariants(t, m)
			w := tc.want
			eq := func(field, got, want string) {
				t.Helper()
				if got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			eq("DocNumber", m.DocNumber, w.doc)
			eq("Number", m.Number, w.number)
			eq("Symbol", m.Symbol, w.symbol)
			eq("Date", m.Date, w.date)
			eq("Type", m.Type, w.typ)
			opt := func(field, got, want string) {
				t.Helper()
				switch want {
				case "":
				case "-":
					eq(field, got, "")
				default:
					eq(field, got, want)
				}
			}
			opt("Place", m.Place, w.place)
			opt("Agency", m.Agency, w.agency)
			opt("Parent", m.Parent, w.parent)
			opt("Subject", m.Subject, w.subject)
			if m.NeedsReview != w.review {
				t.Errorf("NeedsReview = %v, want %v (reasons %q)", m.NeedsReview, w.review, m.Review)
			}
			if w.reason != "" {
				found := false
				for _, r := range m.Review {
					found = found || strings.Contains(r, w.reason)
				}
				if !found {
					t.Errorf("no review reason contains %q: %q", w.reason, m.Review)
				}
			}
		})
	}
}
