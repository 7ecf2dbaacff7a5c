package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/viet"
)

// The generator writes documents that have the statistics search cares
// about rather than meaning: the words of Vietnamese administrative prose
// (two-syllable words drawn with Zipf's law, function words, formulas every
// decision repeats), place and person names from syllable lists (thousands of
// rare terms), numbers, dates and cited document numbers, and the OCR slips
// of real scans (a letter misread, a diacritic lost, the other tone-mark
// placement), which grow the term dictionary the way OCR does.

// common are the words of administrative prose on any topic, most frequent
// first; topics are the words of one field each. Words of two or more
// syllables are joined by '_' here.
var common = vocab(`
thực_hiện công_tác ủy_ban nhân_dân địa_bàn tổ_chức quy_định cơ_quan đơn_vị triển_khai kế_hoạch quản_lý
nhà_nước kinh_tế xã_hội phát_triển hướng_dẫn báo_cáo kiểm_tra chỉ_đạo phối_hợp tham_mưu đề_xuất đề_nghị
thống_nhất phê_duyệt ban_hành sửa_đổi bổ_sung thay_thế nhiệm_vụ giải_pháp mục_tiêu chỉ_tiêu kết_quả tồn_tại
hạn_chế nguyên_nhân khó_khăn vướng_mắc tăng_cường đẩy_mạnh nâng_cao hoàn_thiện kiện_toàn rà_soát thống_kê
tổng_hợp đánh_giá sơ_kết tổng_kết tuyên_truyền phổ_biến tập_huấn thời_gian thời_hạn kịp_thời nghiêm_túc
đầy_đủ chính_xác hiệu_quả thiết_thực công_khai minh_bạch trách_nhiệm thẩm_quyền chức_năng quyền_hạn
hoàn_thành đúng_tiến_độ chậm_tiến_độ cấp_huyện cấp_xã cấp_tỉnh thôn_xóm ban_chỉ_đạo tổ_công_tác hội_đồng
thường_trực lãnh_đạo chủ_tịch phó_chủ_tịch trưởng_phòng giám_đốc doanh_nghiệp người_dân cộng_đồng
hồ_sơ văn_bản ý_kiến cuộc_họp hội_nghị kinh_phí ngân_sách dự_án công_trình đầu_tư xây_dựng hành_chính
thủ_tục giải_quyết cán_bộ công_chức viên_chức nhân_viên tình_hình quá_trình nội_dung phạm_vi đối_tượng
`)

var topics = [][]string{
	vocab(`đất_đai quy_hoạch sử_dụng_đất thu_hồi_đất bồi_thường tái_định_cư giải_phóng_mặt_bằng giấy_chứng_nhận
	quyền_sử_dụng_đất địa_chính đo_đạc bản_đồ giá_đất chuyển_mục_đích tranh_chấp lấn_chiếm thửa_đất diện_tích
	hạn_mức đăng_ký_biến_động đất_nông_nghiệp đất_ở trích_lục cấp_đổi`),
	vocab(`thiên_tai bão_lũ sạt_lở cứu_nạn cứu_hộ thủy_lợi kênh_mương hồ_chứa đê_điều ngập_úng hạn_hán
	xâm_nhập_mặn mùa_mưa mùa_khô sơ_tán di_dời ứng_phó khắc_phục hậu_quả lũ_quét mực_nước cảnh_báo
	bốn_tại_chỗ áp_thấp_nhiệt_đới`),
	vocab(`nông_nghiệp chăn_nuôi trồng_trọt gia_súc gia_cầm dịch_tả tiêm_phòng thú_y giống_cây vật_nuôi
	phân_bón thuốc_bảo_vệ_thực_vật năng_suất sản_lượng gieo_trồng thu_hoạch hợp_tác_xã liên_kết
	tiêu_thụ nông_sản vụ_đông_xuân vụ_hè_thu sâu_bệnh`),
	vocab(`y_tế bệnh_viện trạm_y_tế dịch_bệnh tiêm_chủng sức_khỏe khám_chữa_bệnh bảo_hiểm_y_tế
	sốt_xuất_huyết tay_chân_miệng an_toàn_thực_phẩm ngộ_độc dinh_dưỡng dân_số kế_hoạch_hóa_gia_đình
	thuốc thiết_bị_y_tế y_tế_dự_phòng phun_hóa_chất`),
	vocab(`giáo_dục đào_tạo học_sinh giáo_viên trường_học năm_học khai_giảng tuyển_sinh phổ_cập mầm_non
	tiểu_học trung_học_cơ_sở cơ_sở_vật_chất sách_giáo_khoa học_bổng chuẩn_quốc_gia thi_tốt_nghiệp
	bán_trú phòng_học`),
	vocab(`giao_thông đường_bộ cầu_cống bê_tông_hóa nhựa_hóa mặt_đường tải_trọng an_toàn_giao_thông
	hành_lang_an_toàn cấp_phép_xây_dựng nhà_ở đô_thị chỉnh_trang chiếu_sáng thoát_nước vỉa_hè
	trật_tự_xây_dựng nghiệm_thu bàn_giao duy_tu bảo_dưỡng`),
	vocab(`dự_toán quyết_toán thanh_toán giải_ngân nguồn_vốn tạm_ứng thu_ngân_sách chi_thường_xuyên
	đầu_tư_công kho_bạc tiết_kiệm kế_toán công_nợ tài_sản_công thuế phí lệ_phí vốn_đối_ứng
	kết_dư chuyển_nguồn`),
	vocab(`lao_động việc_làm bảo_hiểm_xã_hội người_có_công hộ_nghèo cận_nghèo trợ_cấp bảo_trợ_xã_hội
	xuất_khẩu_lao_động dạy_nghề thương_binh liệt_sĩ trẻ_em người_cao_tuổi người_khuyết_tật
	giảm_nghèo nhà_tình_nghĩa quà_tết`),
	vocab(`an_ninh trật_tự quốc_phòng công_an quân_sự dân_quân tự_vệ tuyển_quân nghĩa_vụ_quân_sự
	ma_túy tội_phạm phòng_cháy chữa_cháy cờ_bạc an_ninh_nông_thôn tuần_tra pháo_nổ vũ_khí`),
	vocab(`văn_hóa thể_thao du_lịch lễ_hội di_tích nhà_văn_hóa gia_đình_văn_hóa thư_viện văn_nghệ
	giải_bóng_đá truyền_thống bảo_tồn danh_lam_thắng_cảnh tín_ngưỡng tôn_giáo quảng_cáo`),
	vocab(`chuyển_đổi_số số_hóa điện_tử dịch_vụ_công_trực_tuyến phần_mềm chữ_ký_số cơ_sở_dữ_liệu
	hạ_tầng_mạng an_toàn_thông_tin định_danh_điện_tử căn_cước thanh_toán_không_dùng_tiền_mặt
	kho_dữ_liệu lưu_trữ_điện_tử`),
	vocab(`cải_cách_hành_chính thủ_tục_hành_chính một_cửa liên_thông tiếp_công_dân khiếu_nại tố_cáo
	kiến_nghị phản_ánh thanh_tra giải_quyết_đơn kỷ_luật công_vụ chỉ_số_hài_lòng quá_hạn`),
	vocab(`môi_trường rác_thải chất_thải ô_nhiễm khai_thác_khoáng_sản cát_sỏi rừng_phòng_hộ rừng_sản_xuất
	kiểm_lâm lâm_sản trồng_rừng cháy_rừng nước_sạch biến_đổi_khí_hậu bãi_rác`),
	vocab(`nông_thôn_mới tiêu_chí xã_đạt_chuẩn nông_thôn_mới_kiểu_mẫu thu_nhập_bình_quân sản_phẩm_OCOP
	cảnh_quan đường_giao_thông_nông_thôn nhà_văn_hóa_thôn hộ_gia_đình vườn_mẫu`),
	vocab(`biên_chế tuyển_dụng bổ_nhiệm luân_chuyển đánh_giá_xếp_loại tinh_giản sắp_xếp_đơn_vị_hành_chính
	thi_đua khen_thưởng nâng_lương nghỉ_hưu bồi_dưỡng đạo_đức_công_vụ`),
}

// vocab splits a list of words; '_' joins the syllables of one word.
func vocab(s string) []string {
	ws := strings.Fields(s)
	for i, w := range ws {
		ws[i] = strings.ReplaceAll(w, "_", " ")
	}
	return ws
}

// function words, each used often.
var functionWords = strings.Fields(`và của các những được cho trong theo với tại về đã sẽ để có không là này đó từ đến trên
một số việc người khi do vào như sau năm tháng ngày đối với cũng còn nhằm bảo đảm phải chưa đang mỗi`)

// formulas are sentences that many documents repeat word for word.
var formulas = []string{
	"Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
	"Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;",
	"Theo đề nghị của Trưởng phòng Tài chính - Kế hoạch huyện.",
	"Quyết định này có hiệu lực kể từ ngày ký.",
	"Chánh Văn phòng HĐND và UBND huyện, Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này.",
	"Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh kịp thời về Ủy ban nhân dân huyện để xem xét, giải quyết.",
	"Yêu cầu Thủ trưởng các cơ quan, đơn vị nghiêm túc triển khai thực hiện.",
	"Nơi nhận: Như Điều 3; Thường trực Huyện ủy; Thường trực HĐND huyện; Lưu: VT.",
}

// Syllables of place and person names.
var (
	nameSyllables = strings.Fields(`An Bình Hòa Phú Tân Thạnh Sơn Hà Long Minh Phước Đức Quang Xuân Trung Nghĩa Hưng Lợi Thuận Mỹ
Hải Đông Tây Nam Bắc Lộc Thành Vĩnh Khánh Thủy Canh Tịnh Hiệp Cát Lâm Trà Sa Huỳnh Kỳ Điền Phong Lân Chánh
Thọ Lập Sinh Đạt Tiến Ngọc Hảo Tín Diên Hiền Thắng Lương Giang Nguyên Hoàng Quý Hội Châu Thái Yên Khê Linh Hoa
Thịnh Kim Vân Hiển Liên Hậu Thạch Tường Nghi Mai Lạc Hồng Ninh Duệ Tùng Ảnh Cẩm Vạn Ân Trạch Lý Đa Dương Hoài`)
	familyNames = strings.Fields(`Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Cao Lương`)
	middleNames = strings.Fields(`Văn Thị Hữu Đình Minh Thanh Quốc Ngọc Xuân Công Đức Thành Hoài Bảo Kim`)
)

// Types with their symbol abbreviation; the first ones are the most common.
var types = []struct{ name, abbr string }{
	{"CÔNG VĂN", ""}, {"QUYẾT ĐỊNH", "QĐ"}, {"BÁO CÁO", "BC"}, {"KẾ HOẠCH", "KH"}, {"THÔNG BÁO", "TB"},
	{"TỜ TRÌNH", "TTr"}, {"GIẤY MỜI", "GM"}, {"CHỈ THỊ", "CT"}, {"HƯỚNG DẪN", "HD"}, {"NGHỊ QUYẾT", "NQ"},
	{"CHƯƠNG TRÌNH", "CTr"}, {"BIÊN BẢN", "BB"},
}

// offices issue documents inside a district: symbol suffix and name.
var offices = []struct{ abbr, name string }{
	{"VP", "Văn phòng HĐND và UBND"}, {"TCKH", "Phòng Tài chính - Kế hoạch"}, {"TNMT", "Phòng Tài nguyên và Môi trường"},
	{"NNPTNT", "Phòng Nông nghiệp và Phát triển nông thôn"}, {"KTHT", "Phòng Kinh tế và Hạ tầng"},
	{"GDĐT", "Phòng Giáo dục và Đào tạo"}, {"NV", "Phòng Nội vụ"}, {"LĐTBXH", "Phòng Lao động - Thương binh và Xã hội"},
}

// gen makes documents and queries from one seed: the same seed, the same
// corpus.
type gen struct {
	r         *rand.Rand
	zipf      *rand.Zipf   // over common
	topicZipf []*rand.Zipf // over each topic
	topic     []int        // the topics of the document being written
	districts []string     // "huyện Vân Canh"
	communes  []string     // "xã Canh Hòa"
	t0        time.Time
}

func newGen(seed uint64) *gen {
	r := rand.New(rand.NewPCG(seed, 0x736f686f61))
	g := &gen{r: r, zipf: rand.NewZipf(r, 1.1, 2, uint64(len(common)-1)), t0: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, t := range topics {
		g.topicZipf = append(g.topicZipf, rand.NewZipf(r, 1.05, 1, uint64(len(t)-1)))
	}
	for range 40 {
		g.districts = append(g.districts, "huyện "+g.name())
	}
	for range 600 {
		g.communes = append(g.communes, "xã "+g.name())
	}
	return g
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }
func (g *gen) chance(p float64) bool   { return g.r.Float64() < p }

func (g *gen) name() string { return g.pick(nameSyllables) + " " + g.pick(nameSyllables) }

func (g *gen) person() string {
	return g.pick(familyNames) + " " + g.pick(middleNames) + " " + g.pick(nameSyllables)
}

// word is a common word, or a word of one of the document's topics.
func (g *gen) word() string {
	if g.chance(0.45) {
		return common[g.zipf.Uint64()]
	}
	t := g.topic[g.r.IntN(len(g.topic))]
	return topics[t][g.topicZipf[t].Uint64()]
}

func (g *gen) date() time.Time { return g.t0.AddDate(0, 0, g.r.IntN(11*365)) }

// cited is a document number as the text cites it.
func (g *gen) cited() string {
	t := types[1+g.r.IntN(len(types)-1)]
	d := g.date()
	if g.chance(0.4) {
		return fmt.Sprintf("Quyết định số %d/%d/QĐ-UBND ngày %d/%d/%d", 1+g.r.IntN(60), d.Year(), d.Day(), d.Month(), d.Year())
	}
	return fmt.Sprintf("%s số %d/%s-UBND ngày %d/%d/%d", capFirst(strings.ToLower(t.name)), 1+g.r.IntN(900), t.abbr, d.Day(), d.Month(), d.Year())
}

// clause is 4 to 12 words.
func (g *gen) clause() string {
	n := 4 + g.r.IntN(9)
	ws := make([]string, 0, n)
	for range n {
		switch p := g.r.Float64(); {
		case p < 0.55:
			ws = append(ws, g.word())
		case p < 0.85:
			ws = append(ws, g.pick(functionWords))
		case p < 0.91:
			ws = append(ws, g.pick(g.communes))
		case p < 0.93:
			ws = append(ws, g.pick(g.districts))
		case p < 0.96:
			ws = append(ws, fmt.Sprint(1+g.r.IntN(500)))
		case p < 0.98:
			ws = append(ws, "ông "+g.person())
		default:
			ws = append(ws, g.cited())
		}
	}
	return strings.Join(ws, " ")
}

func (g *gen) sentence() string {
	if g.chance(0.08) {
		return g.pick(formulas)
	}
	s := g.clause()
	for g.chance(0.45) {
		s += ", " + g.clause()
	}
	return capFirst(s) + "."
}

// ocr gives text the slips of OCR: per word, a letter misread (1.5%), a
// diacritic lost (1%), and, per document, the other tone placement.
func (g *gen) ocr(text string, newStyle bool) string {
	ws := strings.Split(text, " ")
	for i, w := range ws {
		switch p := g.r.Float64(); {
		case p < 0.015 && utf8.RuneCountInString(w) >= 3:
			rs := []rune(w)
			j := g.r.IntN(len(rs))
			rs[j] = []rune("bcehilmnortu")[g.r.IntN(12)]
			ws[i] = string(rs)
		case p < 0.025:
			ws[i] = dropMark(w)
		}
		if newStyle {
			ws[i] = newStyleTones.Replace(ws[i])
		}
	}
	return strings.Join(ws, " ")
}

// newStyleTones writes the open oa, oe, uy syllables "hoà, khoẻ, thuỷ".
var newStyleTones = strings.NewReplacer("òa", "oà", "óa", "oá", "ỏa", "oả", "õa", "oã", "ọa", "oạ",
	"òe", "oè", "óe", "oé", "ỏe", "oẻ", "õe", "oẽ", "ọe", "oẹ",
	"ùy", "uỳ", "úy", "uý", "ủy", "uỷ", "ũy", "uỹ", "ụy", "uỵ", "Ủy", "Uỷ")

// dropMark drops the diacritics of the first letter of w that has any
// (tổ → to, Đức → Dức).
func dropMark(w string) string {
	rs := []rune(w)
	for i, r := range rs {
		f := []rune(viet.Fold(string(r)))
		if len(f) != 1 {
			continue
		}
		if unicode.IsUpper(r) {
			f[0] = unicode.ToUpper(f[0])
		}
		if f[0] != r {
			rs[i] = f[0]
			return string(rs)
		}
	}
	return w
}

func capFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

// doc makes document i, about textBytes of text.
func (g *gen) doc(i, textBytes int) index.Doc {
	t := types[int(math.Min(float64(len(types)-1), g.r.ExpFloat64()*3))]
	date := g.date()
	district := g.pick(g.districts)
	agency := "ỦY BAN NHÂN DÂN " + strings.ToUpper(district)
	suffix := "UBND"
	if g.chance(0.3) {
		agency = "ỦY BAN NHÂN DÂN " + strings.ToUpper(g.pick(g.communes))
	}
	number := 1 + g.r.IntN(1500)
	var docNumber string
	switch {
	case t.abbr == "":
		o := offices[g.r.IntN(len(offices))]
		docNumber = fmt.Sprintf("%d/%s-%s", number, suffix, o.abbr)
	case t.abbr == "QĐ" && g.chance(0.2):
		docNumber = fmt.Sprintf("%02d/%d/QĐ-%s", 1+g.r.IntN(60), date.Year(), suffix)
	default:
		docNumber = fmt.Sprintf("%02d/%s-%s", number, t.abbr, suffix)
	}
	g.topic = append(g.topic[:0], g.r.IntN(len(topics)))
	if g.chance(0.3) {
		g.topic = append(g.topic, g.r.IntN(len(topics)))
	}
	newStyle := g.chance(0.3)
	subject := "Về việc " + g.word() + " " + g.word() + " " + g.pick(functionWords) + " " + g.word() + " " + g.pick(g.communes)
	var b strings.Builder
	for b.Len() < textBytes {
		b.WriteString(g.sentence())
		if g.chance(0.2) {
			b.WriteString("\n")
		} else {
			b.WriteString(" ")
		}
	}
	created := g.t0.Add(time.Duration(i) * time.Minute)
	return index.Doc{
		ID:          fmt.Sprintf("%016x", g.r.Uint64()),
		DocNumber:   docNumber,
		Date:        date.Format(time.DateOnly),
		Type:        t.name,
		Agency:      agency,
		Subject:     g.ocr(subject, newStyle),
		Text:        g.ocr(b.String(), newStyle),
		SourceName:  fmt.Sprintf("scan_%06d.pdf", i),
		SHA256:      fmt.Sprintf("%064x", i),
		Key:         fmt.Sprintf("%d/%s/%d", date.Year(), strings.ReplaceAll(docNumber, "/", "-"), i),
		Pages:       1 + g.r.IntN(5),
		NeedsReview: g.chance(0.05),
		Created:     created,
		Archived:    created.Add(3 * time.Minute),
	}
}

// query is one benchmark query; want is the document it was made from, when
// that document should be among the top 3.
type query struct {
	kind string
	q    index.Query
	want string
}

// Kinds of query, in the order of the report.
var kinds = []string{"words", "words, no diacritics", "5 words", "5 words, no diacritics", "5 words, one typo", "\"phrase\"", "number", "filtered", "list, filtered"}

// queries makes n queries of every kind from sample documents.
func (g *gen) queries(sample []index.Doc, n int) []query {
	var qs []query
	for i := range n {
		d := sample[g.r.IntN(len(sample))]
		ws := strings.FieldsFunc(d.Text, func(r rune) bool { return !isWordRune(r) })
		window := func(k int) []string {
			j := g.r.IntN(max(1, len(ws)-k))
			return ws[j:min(j+k, len(ws))]
		}
		kind := kinds[i%len(kinds)]
		q := query{kind: kind}
		switch kind {
		case "words":
			q.q.Text = strings.Join(window(2), " ")
		case "words, no diacritics":
			q.q.Text = viet.Fold(strings.Join(window(2), " "))
		case "5 words":
			q.q.Text, q.want = strings.Join(window(5), " "), d.ID
		case "5 words, no diacritics":
			q.q.Text, q.want = viet.Fold(strings.Join(window(5), " ")), d.ID
		case "5 words, one typo":
			w := window(5)
			q.q.Text, q.want = strings.Join(g.typo(w), " "), d.ID
		case "\"phrase\"":
			q.q.Text, q.want = `"`+strings.Join(window(4), " ")+`"`, d.ID
		case "number":
			// As an archivist types it: QD for QĐ, lower case, spaces.
			s := strings.NewReplacer("Đ", "D", "/", " / ", "-", " - ").Replace(d.DocNumber)
			q.q.Text, q.want = strings.ToLower(s), d.ID
		case "filtered":
			q.q = index.Query{Text: strings.Join(window(2), " ")}
			switch g.r.IntN(3) {
			case 0:
				fmt.Sscan(d.Date[:4], &q.q.Year)
			case 1:
				q.q.Type = d.Type
			default:
				q.q.Agency = d.Agency
			}
		case "list, filtered":
			q.q.Agency = d.Agency
			if g.chance(0.5) {
				fmt.Sscan(d.Date[:4], &q.q.Year)
			}
		}
		qs = append(qs, q)
	}
	return qs
}

// typo changes one letter of one word of four letters or more.
func (g *gen) typo(ws []string) []string {
	out := append([]string(nil), ws...)
	var long []int
	for i, w := range out {
		if utf8.RuneCountInString(viet.Fold(w)) >= 4 && strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return out
	}
	i := long[g.r.IntN(len(long))]
	rs := []rune(out[i])
	j := 1 + g.r.IntN(len(rs)-1)
	for {
		r := []rune("bcdghklmnpqrstvx")[g.r.IntN(16)]
		if r != unicode.ToLower(rs[j]) {
			rs[j] = r
			break
		}
	}
	out[i] = string(rs)
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
