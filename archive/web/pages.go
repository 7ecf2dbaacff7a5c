package web

import (
	"embed"
	"html/template"
	"net/http"
	"time"

	"github.com/sohoa/sohoa/pipeline"
)

//go:embed templates/*.html
var templateFS embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"statusName": statusName,
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Local().Format("02/01/2006 15:04")
	},
	"orDash": func(s string) string {
		if s == "" {
			return "—"
		}
		return s
	},
}).ParseFS(templateFS, "templates/*.html"))

// statusName is a status as the clerk reads it.
func statusName(s string) string {
	switch s {
	case pipeline.StatusQueued:
		return "Đang chờ"
	case pipeline.StatusProcessing:
		return "Đang xử lý"
	case pipeline.StatusArchived:
		return "Đã lưu trữ"
	case pipeline.StatusFailed:
		return "Lỗi"
	}
	return s
}

func (s *Server) pageSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	list, err := s.list(q, intParam(r, "limit", 50, 1, 500), intParam(r, "offset", 0, 0, 1_000_000))
	if err != nil {
		s.fail(w, err)
		return
	}
	inPipeline := false
	for _, d := range list.Documents {
		if d.Status == pipeline.StatusQueued || d.Status == pipeline.StatusProcessing {
			inPipeline = true
		}
	}
	render(w, "search.html", map[string]any{"Title": "Tìm kiếm", "Q": q, "List": list, "Refresh": inPipeline})
}

func (s *Server) pageDoc(w http.ResponseWriter, r *http.Request) {
	doc, ixd, ok, err := s.get(r.PathValue("id"))
	if err != nil {
		s.fail(w, err)
		return
	}
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		render(w, "notfound.html", map[string]any{"Title": "Không tìm thấy"})
		return
	}
	text := ""
	if ixd != nil {
		text = ixd.Text
	}
	title := doc.DocNumber
	if title == "" {
		title = doc.SourceName
	}
	render(w, "document.html", map[string]any{"Title": title, "Doc": doc, "Text": text,
		"Refresh": doc.Status == pipeline.StatusQueued || doc.Status == pipeline.StatusProcessing})
}

func render(w http.ResponseWriter, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := pages.ExecuteTemplate(w, name, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}
