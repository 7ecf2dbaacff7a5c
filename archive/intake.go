package archive

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/sohoa/sohoa/pipeline"
)

// minDPI is the intake standard's least resolution of a scan: Nghị định
// 30/2020/NĐ-CP (Phụ lục I) and Thông tư 02/2019/TT-BNV ask for 200 dpi
// or more, at 100% scale. A scan below it, or one whose file does not say
// its resolution (so that its scale cannot be known), is archived all the
// same, and put in the review queue with a reason that says how to scan it
// again: the paper may still be there to rescan, and an archivist decides.
const minDPI = 200

// intakeReasons are the review reasons of the pages texts against the
// intake standard: one for the pages below minDPI, one for the pages whose
// file gave no resolution; none when every page meets it.
func intakeReasons(texts []*pipeline.PageText) []string {
	var low, unknown []string
	lowest := math.Inf(1)
	for _, t := range texts {
		dpi := math.Min(t.DPIX, t.DPIY)
		switch {
		case t.DPIAssumed || t.DPIX <= 0 || t.DPIY <= 0:
			unknown = append(unknown, strconv.Itoa(t.Page))
		case dpi < minDPI-0.5:
			low = append(low, strconv.Itoa(t.Page))
			lowest = math.Min(lowest, dpi)
		}
	}
	var out []string
	if len(low) > 0 {
		out = append(out, fmt.Sprintf("Bản quét dưới chuẩn: trang %s có độ phân giải %.0f dpi, dưới mức tối thiểu %d dpi "+
			"(Nghị định 30/2020/NĐ-CP, Thông tư 02/2019/TT-BNV). Cách xử lý: quét lại bản giấy ở 300 dpi, tỷ lệ 100%%, "+
			"rồi thả tệp mới vào thư mục inbox", strings.Join(low, ", "), lowest, minDPI))
	}
	if len(unknown) > 0 {
		out = append(out, fmt.Sprintf("Tệp quét không ghi độ phân giải (trang %s): không kiểm được mức tối thiểu %d dpi, tỷ lệ 100%% "+
			"(Nghị định 30/2020/NĐ-CP). Cách xử lý: đặt máy quét lưu độ phân giải vào tệp (PDF, TIFF hoặc JPEG), "+
			"quét lại ở 300 dpi, rồi thả tệp mới vào thư mục inbox", strings.Join(unknown, ", "), minDPI))
	}
	return out
}
