package epdftest

// Documents as e-office systems send them, for tests: each is the lines of
// page 1 in NĐ 30/2020's layout (agency block left, Quốc hiệu right, the
// number and the date line under them, the type name and trích yếu in the
// middle), set in Font, and the identity a reader must find in it.
type Doc struct {
	Number, Date, Type, Agency string
	// Phrase is a run of the body's words, to look for in extracted text.
	Phrase string
	Lines  []Line
}

// QuyetDinh is a quyết định of a district, in Times New Roman (Unicode).
var QuyetDinh = Doc{
	Number: "15/2020/QĐ-UBND", Date: "2020-03-20", Type: "QUYẾT ĐỊNH", Agency: "ỦY BAN NHÂN DÂN HUYỆN VÂN CANH",
	Phrase: "ban hành quy chế làm việc",
	Lines:  header("ỦY BAN NHÂN DÂN", "HUYỆN VÂN CANH", "Số: 15/2020/QĐ-UBND", "Vân Canh, ngày 20 tháng 3 năm 2020", "QUYẾT ĐỊNH", "Về việc ban hành quy chế làm việc của Ủy ban nhân dân huyện", TimesNewRoman, TimesNewRoman),
}

// ThongBao is a thông báo of a commune, typed in TCVN3 (.VnTime, its
// capitals in .VnTimeH) as many communes still type.
var ThongBao = Doc{
	Number: "12/TB-UBND", Date: "2021-05-08", Type: "THÔNG BÁO", Agency: "ỦY BAN NHÂN DÂN XÃ ĐỨC PHONG",
	Phrase: "lịch tiếp công dân",
	Lines:  header("ỦY BAN NHÂN DÂN", "XÃ ĐỨC PHONG", "Số: 12/TB-UBND", "Đức Phong, ngày 08 tháng 5 năm 2021", "THÔNG BÁO", "Về lịch tiếp công dân của Chủ tịch", VnTime, VnTimeH),
}

// ChiThi is a chỉ thị of a province, in Times New Roman.
var ChiThi = Doc{
	Number: "07/CT-UBND", Date: "2018-03-20", Type: "CHỈ THỊ", Agency: "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
	Phrase: "thi hành án hành chính",
	Lines:  header("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số: 07/CT-UBND", "Quảng Ngãi, ngày 20 tháng 3 năm 2018", "CHỈ THỊ", "Về tăng cường công tác thi hành án hành chính", TimesNewRoman, TimesNewRoman),
}

// KeHoach is a kế hoạch of a commune, in Times New Roman.
var KeHoach = Doc{
	Number: "35/KH-UBND", Date: "2024-03-15", Type: "KẾ HOẠCH", Agency: "ỦY BAN NHÂN DÂN XÃ TÂN PHONG",
	Phrase: "chuyển đổi số năm 2024",
	Lines:  header("ỦY BAN NHÂN DÂN", "XÃ TÂN PHONG", "Số: 35/KH-UBND", "Tân Phong, ngày 15 tháng 3 năm 2024", "KẾ HOẠCH", "Thực hiện chuyển đổi số năm 2024 trên địa bàn xã", TimesNewRoman, TimesNewRoman),
}

// header lays out page 1: body is set in font, capitals (agency, Quốc
// hiệu, type name) in caps (the same font, or a legacy capitals font).
func header(agency1, agency2, number, date, typ, subject string, font, caps Font) []Line {
	quoc := "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	doclap := "Độc lập - Tự do - Hạnh phúc"
	return []Line{
		{Text: agency1, X: 85, Top: 57, Size: 13, Font: caps},
		{Text: quoc, X: 290, Top: 57, Size: 12, Font: caps},
		{Text: agency2, X: 90, Top: 73, Size: 13, Font: caps},
		{Text: doclap, X: 330, Top: 73, Size: 13, Font: font},
		{Text: number, X: 75, Top: 105, Size: 13, Font: font},
		{Text: date, X: 315, Top: 105, Size: 13, Font: font},
		{Text: typ, X: 255, Top: 150, Size: 14, Font: caps},
		{Text: subject, X: 110, Top: 170, Size: 13, Font: font},
		{Text: "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", X: 85, Top: 210, Size: 13, Font: font},
		{Text: "Theo đề nghị của Trưởng phòng Văn hóa và Thông tin,", X: 85, Top: 230, Size: 13, Font: font},
		{Text: "Điều 1. Nay " + body(subject) + ".", X: 85, Top: 260, Size: 13, Font: font},
		{Text: "Điều 2. Văn phòng và các đơn vị có liên quan chịu trách nhiệm thi hành.", X: 85, Top: 280, Size: 13, Font: font},
	}
}

// body turns a trích yếu into the words of the body that carries it out.
func body(subject string) string {
	for _, p := range []string{"Về việc ", "Về "} {
		if len(subject) > len(p) && subject[:len(p)] == p {
			return subject[len(p):]
		}
	}
	return subject
}
