package index

import (
	"fmt"
	"time"
)

// Agencies as their headers print them. Vân Canh's appears in both tone
// placements (ỦY / UỶ), as it does in real scans.
const (
	agQuangNgai = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
	agVanCanh   = "ỦY BAN NHÂN DÂN HUYỆN VÂN CANH"
	agVanCanh2  = "UỶ BAN NHÂN DÂN HUYỆN VÂN CANH"
	agSonTinh   = "ỦY BAN NHÂN DÂN HUYỆN SƠN TỊNH"
	agCanhHoa   = "ỦY BAN NHÂN DÂN XÃ CANH HÒA"
	agSoTC      = "SỞ TÀI CHÍNH TỈNH QUẢNG NGÃI"
	agSoNN      = "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"
	agHDND      = "HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG NGÃI"
	agSoYT      = "SỞ Y TẾ TỈNH QUẢNG NGÃI"
)

// corpus is a set of realistic documents of a district and a province:
// decisions, directives, reports, plans, notices, công văn, with the OCR
// slips real scans have (tô chức for tổ chức, sácb for sách).
func corpus() []Doc {
	t0 := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	docs := []Doc{
		{ID: "d01", DocNumber: "15/2020/QĐ-UBND", Date: "2020-02-10", Type: "QUYẾT ĐỊNH", Agency: agVanCanh,
			Subject: "Về việc triển khai phần mềm một cửa điện tử",
			Text: "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Xét đề nghị của Chánh Văn phòng HĐND và UBND huyện. " +
				"QUYẾT ĐỊNH: Điều 1. Triển khai phần mềm một cửa điện tử tại Bộ phận tiếp nhận và trả kết quả của UBND các xã, thị trấn. " +
				"Điều 2. Giao Phòng Văn hóa và Thông tin chủ trì, hướng dẫn cài đặt, tập huấn cho cán bộ, công chức sử dụng phần mềm. " +
				"Điều 3. Quyết định này có hiệu lực kể từ ngày ký."},
		{ID: "d02", DocNumber: "07/CT-UBND", Date: "2018-03-20", Type: "CHỈ THỊ", Agency: agQuangNgai,
			Subject: "Về tăng cường công tác thi hành án hành chính",
			Text: "Thời gian qua, việc tổ chức thi hành những bản án, quyết định của Tòa án về vụ án hành chính trên địa bàn tỉnh đã có chuyển biến. " +
				"Tuy nhiên vẫn còn tình trạng chậm thi hành, người đứng đầu cơ quan chưa nghiêm túc chấp hành bản án có hiệu lực pháp luật. " +
				"Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các sở, ban, ngành và Chủ tịch UBND các huyện, thị xã Đức Phổ, thành phố thực hiện nghiêm các nội dung sau."},
		{ID: "d03", DocNumber: "23/BC-UBND", Date: "2025-01-23", Type: "BÁO CÁO", Agency: agQuangNgai,
			Subject: "Tình hình, kết quả thực hiện công tác cải cách thủ tục hành chính tháng 01/2025",
			Text: "Thực hiện nội dung Công văn số 5633/VPCP-KSTT của Văn phòng Chính phủ về việc báo cáo tháng công tác cải cách thủ tục hành chính, " +
				"UBND tỉnh báo cáo như sau: trong tháng đã tiếp nhận 12.450 hồ sơ, giải quyết đúng hạn 98,7%. Việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính " +
				"được thực hiện tại Trung tâm Phục vụ hành chính công tỉnh. Tồn tại: một số thủ tục còn trễ hạn do phải lấy ý kiến nhiều cơ quan."},
		{ID: "d04", DocNumber: "45/KH-UBND", Date: "2023-04-05", Type: "KẾ HOẠCH", Agency: agSonTinh,
			Subject: "Phòng, chống thiên tai và tìm kiếm cứu nạn năm 2023",
			Text: "Nhằm chủ động phòng ngừa, ứng phó kịp thời, khắc phục khẩn trương và có hiệu quả khi thiên tai xảy ra, UBND huyện ban hành kế hoạch như sau. " +
				"Kiện toàn Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn huyện; rà soát các khu dân cư ven sông Trà Khúc có nguy cơ sạt lở. " +
				"Chuẩn bị lương thực, thuốc men, phương tiện theo phương châm bốn tại chỗ. Kiểm tra an toàn hồ chứa nước và công trình thủy lợi trước mùa mưa bão."},
		{ID: "d05", DocNumber: "112/TB-UBND", Date: "2024-06-12", Type: "THÔNG BÁO", Agency: agVanCanh,
			Subject: "Kết luận của Chủ tịch UBND huyện tại cuộc họp giao ban tháng 6",
			Text: "Ngày 10 tháng 6 năm 2024, Chủ tịch UBND huyện chủ trì cuộc họp giao ban. Sau khi nghe báo cáo, Chủ tịch kết luận: " +
				"đẩy nhanh tiến độ giải ngân vốn đầu tư công, nhất là các công trình giao thông nông thôn; tập trung giải phóng mặt bằng tuyến đường ĐT 638. " +
				"Phòng Tài chính - Kế hoạch tham mưu điều chuyển vốn của các dự án chậm giải ngân."},
		{ID: "d06", DocNumber: "1234/UBND-KT", Date: "2022-09-15", Type: "CÔNG VĂN", Agency: agQuangNgai,
			Subject: "V/v hướng dẫn thực hiện chính sách hỗ trợ người lao động gặp khó khăn do đại dịch COVID-19",
			Text: "Thực hiện Nghị quyết số 68/NQ-CP ngày 01/7/2021 của Chính phủ và Quyết định số 23/2021/QĐ-TTg của Thủ tướng Chính phủ, " +
				"UBND tỉnh đề nghị các sở, ngành, địa phương khẩn trương rà soát, lập danh sách người lao động tạm hoãn hợp đồng lao động, nghỉ việc không hưởng lương. " +
				"Bảo hiểm xã hội tỉnh phối hợp xác nhận thời gian đóng bảo hiểm thất nghiệp cho người lao động."},
		{ID: "d07", DocNumber: "05/2019/QĐ-UBND", Date: "2019-01-28", Type: "QUYẾT ĐỊNH", Agency: agQuangNgai,
			Subject: "Ban hành Quy định giá đất ở trên địa bàn tỉnh giai đoạn 2020 - 2024",
			Text: "Căn cứ Luật Đất đai ngày 29 tháng 11 năm 2013; Căn cứ Nghị định số 44/2014/NĐ-CP của Chính phủ quy định về giá đất. " +
				"Điều 1. Ban hành kèm theo Quyết định này Quy định bảng giá đất ở tại nông thôn và đô thị. Giá đất được xác định theo vị trí, " +
				"khả năng sinh lợi và điều kiện kết cấu hạ tầng. Điều 2. Sở Tài nguyên và Môi trường chủ trì, hướng dẫn thực hiện."},
		{ID: "d08", DocNumber: "31/TTr-UBND", Date: "2021-11-02", Type: "TỜ TRÌNH", Agency: agSonTinh,
			Subject: "Đề nghị phê duyệt dự toán kinh phí sửa chữa trường tiểu học Tịnh Hà",
			Text: "UBND huyện kính trình UBND tỉnh xem xét, phê duyệt dự toán kinh phí sửa chữa, nâng cấp trường tiểu học Tịnh Hà với tổng mức 2.350 triệu đồng. " +
				"Các hạng mục: thay mái tôn dãy phòng học 8 phòng, lát lại nền, cải tạo nhà vệ sinh và hệ thống cấp nước sạch cho học sinh. " +
				"Nguồn vốn: ngân sách tỉnh hỗ trợ 70%, ngân sách huyện đối ứng 30%."},
		{ID: "d09", DocNumber: "18/GM-UBND", Date: "2024-08-19", Type: "GIẤY MỜI", Agency: agCanhHoa,
			Subject: "Dự hội nghị tổng kết công tác xây dựng nông thôn mới",
			Text: "UBND xã Canh Hòa trân trọng kính mời đại diện lãnh đạo các thôn, Mặt trận Tổ quốc và các đoàn thể xã dự hội nghị tổng kết " +
				"công tác xây dựng nông thôn mới giai đoạn 2021 - 2024. Thời gian: 07 giờ 30 ngày 23 tháng 8 năm 2024. Địa điểm: Hội trường UBND xã."},
		{ID: "d10", DocNumber: "12/NQ-HĐND", Date: "2022-12-09", Type: "NGHỊ QUYẾT", Agency: agHDND,
			Subject: "Về dự toán ngân sách địa phương và phân bổ ngân sách cấp tỉnh năm 2023",
			Text: "HỘI ĐỒNG NHÂN DÂN TỈNH khóa XIII, kỳ họp thứ 11 quyết nghị: Điều 1. Thông qua dự toán thu ngân sách nhà nước trên địa bàn năm 2023 " +
				"là 28.500 tỷ đồng; tổng chi ngân sách địa phương 19.870 tỷ đồng. Điều 2. Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết. " +
				"Thường trực Hội đồng nhân dân, các Ban và đại biểu Hội đồng nhân dân tỉnh giám sát việc thực hiện."},
		{ID: "d11", DocNumber: "56/HD-STC", Date: "2023-02-14", Type: "HƯỚNG DẪN", Agency: agSoTC,
			Subject: "Hướng dẫn quyết toán kinh phí chương trình mục tiêu quốc gia giảm nghèo bền vững",
			Text: "Sở Tài chính hướng dẫn các đơn vị lập, gửi báo cáo quyết toán kinh phí thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững. " +
				"Hồ sơ quyết toán gồm: báo cáo tổng hợp, bảng đối chiếu số liệu với Kho bạc Nhà nước, danh sách hộ nghèo được hỗ trợ. " +
				"Thời hạn nộp trước ngày 31 tháng 3 năm 2023."},
		{ID: "d12", DocNumber: "77/KH-SNN", Date: "2024-03-08", Type: "KẾ HOẠCH", Agency: agSoNN,
			Subject: "Phòng, chống bệnh dịch tả lợn châu Phi năm 2024",
			Text: "Để chủ động ngăn chặn, khống chế bệnh Dịch tả lợn châu Phi, Sở Nông nghiệp và Phát triển nông thôn xây dựng kế hoạch: " +
				"tổ chức giám sát dịch bệnh tại các cơ sở chăn nuôi, chợ buôn bán gia súc; tiêu hủy lợn bệnh đúng quy định; " +
				"khử trùng, tiêu độc môi trường chăn nuôi. Chi cục Chăn nuôi và Thú y là cơ quan thường trực."},
		{ID: "d13", DocNumber: "09/CT-UBND", Date: "2021-05-17", Type: "CHỈ THỊ", Agency: agVanCanh,
			Subject: "Về tăng cường công tác quản lý, bảo vệ rừng và phòng cháy, chữa cháy rừng",
			Text: "Trong mùa khô, nguy cơ cháy rừng trên địa bàn huyện ở mức cấp IV và cấp V. Chủ tịch UBND huyện chỉ thị: Hạt Kiểm lâm tăng cường tuần tra, " +
				"kiểm soát lâm sản; UBND các xã tổ chức ký cam kết bảo vệ rừng với hộ gia đình nhận khoán; nghiêm cấm đốt nương làm rẫy trong thời gian cao điểm nắng nóng."},
		{ID: "d14", DocNumber: "203/BC-SYT", Date: "2023-10-30", Type: "BÁO CÁO", Agency: agSoYT,
			Subject: "Tình hình phòng, chống dịch sốt xuất huyết",
			Text: "Từ đầu năm đến nay toàn tỉnh ghi nhận 3.215 ca mắc sốt xuất huyết, tăng 45% so với cùng kỳ, không có trường hợp tử vong. " +
				"Ngành y tế đã triển khai chiến dịch diệt lăng quăng, bọ gậy tại các khu dân cư; phun hóa chất xử lý ổ dịch. Đề nghị UBND các huyện chỉ đạo vệ sinh môi trường."},
		{ID: "d15", DocNumber: "02/2022/QĐ-UBND", Date: "2022-01-12", Type: "QUYẾT ĐỊNH", Agency: agQuangNgai,
			Subject: "Quy định phân cấp quản lý nhà nước về an toàn thực phẩm",
			Text: "Điều 1. Phạm vi điều chỉnh: Quyết định này quy định phân cấp quản lý nhà nước về an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh thực phẩm. " +
				"Điều 4. UBND cấp huyện cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm cho cơ sở có đăng ký kinh doanh hộ gia đình. " +
				"Điều 6. Quyết định có hiệu lực từ ngày 25 tháng 01 năm 2022 và thay thế Quyết định số 15/2020/QĐ-UBND."},
		{ID: "d16", DocNumber: "88/TB-UBND", Date: "2019-07-22", Type: "THÔNG BÁO", Agency: agSonTinh,
			Subject: "Lịch tiếp công dân định kỳ của Chủ tịch UBND huyện",
			Text: "Chủ tịch UBND huyện tiếp công dân định kỳ vào ngày 15 hằng tháng tại Trụ sở Tiếp công dân huyện. Công dân đến trình bày khiếu nại, tố cáo, " +
				"kiến nghị, phản ánh mang theo giấy tờ tùy thân và tài liệu liên quan. Trường hợp ngày 15 trùng ngày nghỉ thì chuyển sang ngày làm việc kế tiếp."},
		{ID: "d17", DocNumber: "640/UBND-NC", Date: "2020-04-03", Type: "CÔNG VĂN", Agency: agVanCanh,
			Subject: "V/v thực hiện giãn cách xã hội phòng, chống dịch bệnh",
			Text: "Thực hiện Chỉ thị số 16/CT-TTg của Thủ tướng Chính phủ, UBND huyện yêu cầu các cơ quan, đơn vị thực hiện nghiêm việc giãn cách xã hội: " +
				"mọi người ở tại nhà, chỉ ra ngoài khi thật cần thiết; tạm dừng các hoạt động tập trung đông người. Công an huyện tăng cường kiểm tra, xử lý vi phạm."},
		{ID: "d18", DocNumber: "25/KH-UBND", Date: "2025-02-18", Type: "KẾ HOẠCH", Agency: agCanhHoa,
			Subject: "Tổ chức Lễ hội cầu ngư đầu năm",
			Text: "Nhằm giữ gìn và phát huy giá trị văn hóa truyền thống, UBND xã ban hành kế hoạch tổ chức Lễ hội cầu ngư năm 2025 tại lăng Ông thôn Tân Lương. " +
				"Ban Tổ chức gồm đại diện Ủy ban, Mặt trận và các chức sắc của vạn chài. Thời gian diễn ra hai ngày, có đua thuyền, kéo co và hát bả trạo."},
		{ID: "d19", DocNumber: "26/KH-UBND", Date: "2025-02-20", Type: "KẾ HOẠCH", Agency: agCanhHoa,
			Subject: "Đảm bảo an ninh trật tự lễ hội",
			// OCR: "tô chức" for "tổ chức", "kéo đài" for "kéo dài".
			Text: "Để đảm bảo an ninh trật tự, an toàn giao thông trong thời gian tô chức Lễ hội cầu ngư năm 2025, Công an xã phối hợp dân quân bố trí lực lượng trực " +
				"suốt thời gian lễ hội kéo đài hai ngày. Nghiêm cấm các hành vi cờ bạc, gây rối trật tự công cộng."},
		{ID: "d20", DocNumber: "150/QĐ-UBND", Date: "2023-07-07", Type: "QUYẾT ĐỊNH", Agency: agVanCanh2,
			Subject: "Về việc thành lập Tổ công tác rà soát hộ nghèo, hộ cận nghèo",
			Text: "Thành lập Tổ công tác rà soát hộ nghèo, hộ cận nghèo năm 2023 gồm các ông, bà có tên sau. Tổ công tác có nhiệm vụ hướng dẫn các xã tổ chức " +
				"rà soát theo chuẩn nghèo đa chiều giai đoạn 2022 - 2025, tổng hợp kết quả báo cáo UBND huyện trước ngày 30 tháng 11."},
		{ID: "d21", DocNumber: "38/BC-UBND", Date: "2020-12-15", Type: "BÁO CÁO", Agency: agVanCanh,
			Subject: "Kết quả thực hiện công trình thủy lợi hồ chứa nước Canh Hiển",
			Text: "Công trình hồ chứa nước Canh Hiển được khởi công năm 2018, dung tích 2,3 triệu mét khối, tưới cho 250 ha lúa. Đến nay đã hoàn thành đập đất, " +
				"tràn xả lũ và kênh chính. Công trình thuỷ lợi đưa vào sử dụng góp phần chuyển đổi cơ cấu cây trồng, nâng cao thu nhập cho người dân."},
		{ID: "d22", DocNumber: "417/STC-QLNS", Date: "2024-11-05", Type: "CÔNG VĂN", Agency: agSoTC,
			Subject: "V/v xây dựng dự toán ngân sách năm 2025",
			Text: "Sở Tài chính đề nghị các sở, ban, ngành xây dựng dự toán ngân sách năm 2025 bám sát nhiệm vụ chính trị được giao, triệt để tiết kiệm chi thường xuyên. " +
				"Thuyết minh chi tiết cơ sở tính toán từng nhiệm vụ chi; không đề xuất các khoản chi chưa có chế độ, tiêu chuẩn, định mức."},
		{ID: "d23", DocNumber: "419/STC-QLNS", Date: "2024-11-12", Type: "CÔNG VĂN", Agency: agSoTC,
			// OCR: "sácb" for "sách" in "ngân sách".
			Subject: "V/v thẩm tra dự toán của các huyện",
			Text: "Sở Tài chính tổ chức làm việc với UBND các huyện để thẩm tra dự toán ngân sácb năm 2025: số thu trên địa bàn, số bổ sung cân đối, " +
				"nhu cầu chi đầu tư phát triển. Đề nghị các huyện chuẩn bị số liệu, cử lãnh đạo Phòng Tài chính - Kế hoạch tham dự."},
		{ID: "d24", DocNumber: "61/QĐ-UBND", Date: "2018-02-26", Type: "QUYẾT ĐỊNH", Agency: agSonTinh, NeedsReview: true,
			Subject: "Về việc khen thưởng các tập thể, cá nhân có thành tích trong phong trào thi đua năm 2017",
			Text: "Tặng Giấy khen của Chủ tịch UBND huyện cho 12 tập thể và 35 cá nhân đã có thành tích xuất sắc trong phong trào thi đua yêu nước năm 2017. " +
				"Mỗi tập thể được thưởng 1.000.000 đồng, mỗi cá nhân 500.000 đồng từ quỹ thi đua khen thưởng của huyện."},
		{ID: "d25", DocNumber: "14/TTr-SNN", Date: "2019-09-09", Type: "TỜ TRÌNH", Agency: agSoNN,
			Subject: "Đề nghị phê duyệt phương án giao rừng, cho thuê rừng gắn với giao đất",
			Text: "Sở Nông nghiệp và Phát triển nông thôn kính trình UBND tỉnh phê duyệt phương án giao rừng, cho thuê rừng gắn với giao đất lâm nghiệp cho hộ gia đình, " +
				"cá nhân và cộng đồng dân cư thôn tại các huyện miền núi. Tổng diện tích dự kiến giao 12.500 ha rừng sản xuất."},
		{ID: "d26", DocNumber: "03/CT-UBND", Date: "2024-01-15", Type: "CHỈ THỊ", Agency: agQuangNgai,
			Subject: "Về tổ chức đón Tết Nguyên đán Giáp Thìn năm 2024",
			Text: "Để nhân dân đón Tết vui tươi, lành mạnh, an toàn, tiết kiệm, Chủ tịch UBND tỉnh chỉ thị: chăm lo đời sống các gia đình chính sách, hộ nghèo; " +
				"bảo đảm cung ứng hàng hóa, bình ổn giá cả thị trường; không tổ chức đi thăm, chúc Tết cấp trên; nghiêm cấm sử dụng pháo nổ."},
		{ID: "d27", DocNumber: "95/BC-UBND", Date: "2022-06-28", Type: "BÁO CÁO", Agency: agCanhHoa, NeedsReview: true,
			Subject: "Sơ kết 6 tháng đầu năm về phát triển kinh tế - xã hội",
			Text: "Sáu tháng đầu năm, tổng diện tích gieo trồng vụ Đông Xuân đạt 420 ha, năng suất lúa bình quân 52 tạ/ha. Chăn nuôi ổn định, không xảy ra dịch bệnh. " +
				"Thu ngân sách xã đạt 58% dự toán. Công tác khám chữa bệnh cho nhân dân được duy trì; trạm y tế xã đạt chuẩn quốc gia."},
		{ID: "d28", DocNumber: "300/QĐ-SYT", Date: "2021-08-02", Type: "QUYẾT ĐỊNH", Agency: agSoYT,
			Subject: "Thành lập bệnh viện dã chiến điều trị người bệnh COVID-19",
			Text: "Thành lập Bệnh viện dã chiến số 1 tại Ký túc xá Trường Cao đẳng Y tế với quy mô 500 giường bệnh để tiếp nhận, điều trị người bệnh COVID-19 " +
				"không có triệu chứng hoặc triệu chứng nhẹ. Giám đốc Bệnh viện đa khoa tỉnh kiêm Giám đốc bệnh viện dã chiến."},
		{ID: "d29", DocNumber: "12/HD-UBND", Date: "2020-08-10", Type: "HƯỚNG DẪN", Agency: agVanCanh,
			Subject: "Hướng dẫn chỉnh lý tài liệu lưu trữ tại các cơ quan, đơn vị",
			Text: "Tài liệu lưu trữ phải được chỉnh lý hoàn chỉnh, phân loại theo phông, lập hồ sơ, xác định thời hạn bảo quản và thống kê tài liệu hết giá trị. " +
				"Hồ sơ được sắp xếp trong hộp, cặp bìa và ghi nhãn theo quy định của Thông tư 02/2019/TT-BNV về chuẩn dữ liệu đầu vào và yêu cầu bảo quản tài liệu lưu trữ điện tử."},
		{ID: "d30", DocNumber: "71/TB-UBND", Date: "2021-03-03", Type: "THÔNG BÁO", Agency: agQuangNgai,
			Subject: "Thu hồi đất để thực hiện dự án đường ven biển Dung Quất - Sa Huỳnh",
			Text: "UBND tỉnh thông báo thu hồi đất của các hộ gia đình, cá nhân tại xã Bình Hải, huyện Bình Sơn để thực hiện dự án đường ven biển Dung Quất - Sa Huỳnh. " +
				"Tổ chức kiểm đếm, đo đạc trong tháng 4 năm 2021. Người có đất thu hồi được bồi thường, hỗ trợ, tái định cư theo quy định."},
		{ID: "d31", DocNumber: "08/2021/QĐ-UBND", Date: "2021-04-01", Type: "QUYẾT ĐỊNH", Agency: agQuangNgai,
			Subject: "Ban hành quy chế phối hợp quản lý cụm công nghiệp",
			Text: "Ban hành kèm theo Quyết định này Quy chế phối hợp quản lý nhà nước đối với cụm công nghiệp trên địa bàn tỉnh. Sở Công Thương là cơ quan đầu mối, " +
				"phối hợp Sở Kế hoạch và Đầu tư, Sở Tài nguyên và Môi trường trong thẩm định dự án đầu tư hạ tầng kỹ thuật cụm công nghiệp."},
		{ID: "d32", DocNumber: "540/UBND-VX", Date: "2023-09-01", Type: "CÔNG VĂN", Agency: agSonTinh,
			Subject: "V/v chuẩn bị khai giảng năm học mới",
			Text: "UBND huyện yêu cầu Phòng Giáo dục và Đào tạo chỉ đạo các trường học sửa chữa cơ sở vật chất, vệ sinh trường lớp, bảo đảm đủ sách giáo khoa cho học sinh " +
				"trước ngày khai giảng 05 tháng 9. Quan tâm hỗ trợ học sinh có hoàn cảnh khó khăn, học sinh vùng bị ảnh hưởng bởi lũ lụt."},
		{ID: "d33", DocNumber: "19/KH-UBND", Date: "2022-03-21", Type: "KẾ HOẠCH", Agency: agVanCanh2,
			Subject: "Chuyển đổi số huyện Vân Canh giai đoạn 2022 - 2025",
			Text: "Mục tiêu: 100% văn bản trao đổi giữa các cơ quan nhà nước dưới dạng điện tử; số hóa kết quả giải quyết thủ tục hành chính còn hiệu lực; " +
				"xây dựng kho lưu trữ tài liệu điện tử của huyện. Nhiệm vụ: nâng cấp hạ tầng mạng, đào tạo kỹ năng số cho cán bộ, công chức và người dân."},
		// A notice and its certified copy (sao y), OCR'd separately: the copy
		// reads "kéo đài" for "kéo dài" and "ngân sácb" for "ngân sách".
		{ID: "d35", DocNumber: "14/TB-UBND", Date: "2024-01-30", Type: "THÔNG BÁO", Agency: agSonTinh,
			Subject: "Lịch nghỉ Tết Nguyên đán Giáp Thìn",
			Text: "Thời gian nghỉ Tết Nguyên đán kéo dài từ ngày 08 đến hết ngày 14 tháng 02 năm 2024. Các cơ quan bố trí lực lượng trực, " +
				"bảo đảm kinh phí từ ngân sách cho công tác thăm hỏi các gia đình có công."},
		{ID: "d36", DocNumber: "02/SY-UBND", Date: "2024-02-01", Type: "SAO Y", Agency: agCanhHoa,
			Subject: "Sao y Thông báo lịch nghỉ Tết",
			Text: "Thời gian nghỉ Tết Nguyên đán kéo đài từ ngày 08 đến hết ngày 14 tháng 02 năm 2024. Các cơ quan bố trí lực lượng trực, " +
				"bảo đảm kinh phí từ ngân sácb cho công tác thăm hỏi các gia đình có công."},
		{ID: "d34", DocNumber: "", Date: "", Type: "", Agency: "", NeedsReview: true,
			Subject: "", SourceName: "scan_0042.pdf",
			Text: "Biên bản kiểm tra hiện trường vụ sạt lở bờ sông tại thôn An Hòa, xác nhận có 3 hộ dân phải di dời khẩn cấp, đề nghị hỗ trợ kinh phí khắc phục."},
	}
	for i := range docs {
		docs[i].Created = t0.Add(time.Duration(i) * time.Hour)
		docs[i].Archived = docs[i].Created.Add(5 * time.Minute)
		docs[i].Pages = 1 + i%4
		docs[i].SHA256 = fmt.Sprintf("%064x", i+1)
		docs[i].Key = fmt.Sprintf("k/%s", docs[i].ID)
		if docs[i].SourceName == "" {
			docs[i].SourceName = fmt.Sprintf("scan_%04d.pdf", i+1)
		}
	}
	return docs
}
