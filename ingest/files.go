package ingest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sohoa/sohoa/ingest/pages"
	"github.com/sohoa/sohoa/pipeline"
)

// moveAside renames src to dest, creating dest's folder, and never replaces
// an existing file: "a.pdf" becomes "a (2).pdf" if needed. It returns the
// path used.
func moveAside(src, dest string) (string, error) {
	if err := os.MkdirAll(filepath.Dir(dest), 0o775); err != nil {
		return "", err
	}
	ext := filepath.Ext(dest)
	stem := strings.TrimSuffix(dest, ext)
	for n := 1; n < 10000; n++ {
		cand := dest
		if n > 1 {
			cand = fmt.Sprintf("%s (%d)%s", stem, n, ext)
		}
		// Link then unlink: unlike rename, link fails if cand exists.
		err := os.Link(src, cand)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			// Different file systems or no hard links (some network shares):
			// fall back to a rename after checking the name is free.
			if _, serr := os.Lstat(cand); serr == nil {
				continue
			}
			if rerr := os.Rename(src, cand); rerr != nil {
				return "", rerr
			}
			return cand, syncDir(filepath.Dir(cand))
		}
		if err := syncDir(filepath.Dir(cand)); err != nil {
			return "", err
		}
		if err := os.Remove(src); err != nil {
			return "", err
		}
		return cand, nil
	}
	return "", fmt.Errorf("no free name for %s", dest)
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// writeReason writes NAME.reason.txt beside a failed file, in Vietnamese
// first (clerks read it), then the technical detail.
func writeReason(dest, rel string, r pipeline.Retire) error {
	text := fmt.Sprintf("Tệp: %s\nThời gian: %s\nMã tài liệu: %s\n\n%s\n",
		rel, time.Now().Format("02/01/2006 15:04:05"), orDash(r.Doc), r.Reason)
	if err := os.WriteFile(dest+".reason.txt", []byte(text), 0o664); err != nil {
		return fmt.Errorf("ingest: write reason: %w", err)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// What a clerk is told, by kind of failure.
const (
	adviceUnsupported = "Không đọc được: định dạng tệp không được hỗ trợ. sohoa nhận ảnh quét JPEG, PNG, TIFF và tệp PDF (bản quét hoặc văn bản điện tử).\n" +
		"Cách xử lý: hãy cài máy quét lưu ra một trong các định dạng đó (hoặc lưu lại tệp sang định dạng đó), rồi thả lại vào thư mục inbox."
	adviceCorrupt = "Không đọc được: tệp bị hỏng hoặc chưa được chép hết.\n" +
		"Cách xử lý: hãy chép lại tệp từ máy quét, hoặc quét lại văn bản, rồi thả lại vào thư mục inbox."
	adviceEncrypted = "Không đọc được: tệp PDF có mật khẩu hoặc bị mã hóa.\n" +
		"Cách xử lý: hãy lưu một bản PDF không đặt mật khẩu (hoặc quét lại văn bản giấy), rồi thả lại vào thư mục inbox."
	adviceTooLarge = "Không xử lý: tệp hoặc ảnh quá lớn để xử lý an toàn (quá nhiều trang hoặc độ phân giải quá cao).\n" +
		"Cách xử lý: hãy quét lại ở 300 dpi, hoặc tách văn bản thành nhiều tệp nhỏ hơn, rồi thả lại vào thư mục inbox."
	adviceUnreadable = "Không đọc được: sohoa không mở hoặc không đọc được tệp này sau nhiều lần thử (thường do quyền truy cập trên thư mục chia sẻ, hoặc lỗi ổ đĩa hay mạng).\n" +
		"Cách xử lý: hãy kiểm tra quyền của tệp (tài khoản của dịch vụ sohoa phải được đọc), hoặc chép lại tệp từ máy quét, rồi thả lại vào thư mục inbox."
	adviceNotRegular = "Không xử lý: đây không phải một tệp thông thường (là lối tắt/liên kết tượng trưng, ống dẫn FIFO, thiết bị hoặc socket). sohoa không đi theo liên kết và không đọc những loại này.\n" +
		"Cách xử lý: hãy chép chính tệp ảnh quét (không phải lối tắt tới nó) vào thư mục inbox."
	// adviceNotMoved is added to a reason when the file could not even be
	// moved to failed/ (%s: the failed folder).
	adviceNotMoved = "Không chuyển được tệp sang thư mục %s: tệp vẫn nằm trong inbox, sohoa sẽ thử chuyển lại.\n" +
		"Cách xử lý: hãy báo cho bộ phận CNTT kiểm tra thư mục failed (còn chỗ trống, đúng quyền ghi), hoặc tự chuyển tệp ra khỏi inbox."
	adviceEmpty = "Không xử lý: tệp không có trang nào (tệp rỗng 0 byte, hoặc tệp PDF không có trang).\n" +
		"Cách xử lý: hãy xem máy quét đã lưu xong tệp chưa, rồi chép lại tệp (hoặc quét lại văn bản) và thả lại vào thư mục inbox."
	// adviceElectronic: poppler could not render or read an electronic
	// PDF's page (it is damaged, or too large or too complex to render
	// in the time allowed).
	adviceElectronic = "Không đọc được: trang của văn bản điện tử (PDF có chữ) bị hỏng, hoặc quá lớn hay quá phức tạp để hiển thị an toàn.\n" +
		"Cách xử lý: hãy mở tệp bằng phần mềm đọc PDF và in lại ra một tệp PDF mới (hoặc in ra giấy rồi quét), rồi thả lại vào thư mục inbox."
)

// advise picks the clerk's advice for an error from package pages.
func advise(err error) string {
	switch {
	case errors.Is(err, pages.ErrEncrypted):
		return adviceEncrypted
	case errors.Is(err, pages.ErrTooLarge):
		return adviceTooLarge
	case errors.Is(err, pages.ErrEmpty):
		return adviceEmpty
	case errors.Is(err, pages.ErrUnsupported):
		return adviceUnsupported
	}
	return adviceCorrupt
}
