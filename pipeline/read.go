package pipeline

import (
	"encoding/json"
	"fmt"
	"strings"
)

// adviceUnreadable is what a clerk reads beside a file whose message inside
// the pipeline could not be read.
const adviceUnreadable = "Thông tin nội bộ của hệ thống về tệp này bị hỏng (không đọc được), nên tệp không được xử lý tiếp; bản thân tệp gốc không bị ảnh hưởng.\n" +
	"Cách xử lý: hãy thả lại tệp này vào thư mục inbox. Nếu lỗi lặp lại, hãy báo cho bộ phận CNTT."

// ReadPageTask reads the PageTask that arrived on subject. A message that is
// not JSON, lacks a field, or names another document than its subject is
// a Failure: Consume fails the document its subject names and terminates
// the message, or, when the subject names none, logs it and terminates it.
func ReadPageTask(subject string, data []byte) (PageTask, error) {
	var t PageTask
	if err := json.Unmarshal(data, &t); err != nil {
		return t, unreadable(subject, err)
	}
	var missing []string
	if t.Doc == "" {
		missing = append(missing, "doc")
	}
	if t.Attempt < 1 {
		missing = append(missing, "attempt")
	}
	if t.Page < 1 {
		missing = append(missing, "page")
	}
	if t.Pages < t.Page {
		missing = append(missing, "pages")
	}
	if t.Blob == "" {
		missing = append(missing, "blob")
	}
	return t, check(subject, t.Doc, missing)
}

// ReadDocReady reads the DocReady that arrived on subject, as ReadPageTask
// reads a PageTask.
func ReadDocReady(subject string, data []byte) (DocReady, error) {
	var r DocReady
	if err := json.Unmarshal(data, &r); err != nil {
		return r, unreadable(subject, err)
	}
	var missing []string
	if r.Doc == "" {
		missing = append(missing, "doc")
	}
	if r.Attempt < 1 {
		missing = append(missing, "attempt")
	}
	if r.Pages < 1 {
		missing = append(missing, "pages")
	}
	return r, check(subject, r.Doc, missing)
}

func check(subject, doc string, missing []string) error {
	if len(missing) > 0 {
		return unreadable(subject, fmt.Errorf("missing or invalid %s", strings.Join(missing, ", ")))
	}
	if d := DocOf(subject); d != doc {
		return unreadable(subject, fmt.Errorf("the message is about document %q", doc))
	}
	return nil
}

func unreadable(subject string, err error) error {
	return Permanent(adviceUnreadable, fmt.Errorf("pipeline: unreadable message on %s: %w", subject, err))
}
