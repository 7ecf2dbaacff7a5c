package web

import (
	"cmp"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/audit"
	"github.com/sohoa/sohoa/archive/auth"
	"github.com/sohoa/sohoa/archive/docmeta"
	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/ocr/separator"
	"github.com/sohoa/sohoa/pipeline"
)

//go:embed templates/*.html
var templateFS embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"statusName": statusName,
	"actionName": actionName,
	"fieldName":  fieldName,
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Local().Format("02/01/2006 15:04")
	},
	"dmy": dmy,
	"orDash": func(s string) string {
		if s == "" {
			return "—"
		}
		return s
	},
	"percent": func(f float64) int { return int(f*100 + 0.5) },
	// snippet is trusted: the index escapes the text and adds only <mark>.
	"snippet": func(s string) template.HTML { return template.HTML(s) },
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

// actionName is an audit entry's action as an administrator reads it.
func actionName(a string) string {
	switch a {
	case audit.View:
		return "Xem"
	case audit.Download:
		return "Tải về"
	case audit.Correct:
		return "Sửa"
	case audit.Search:
		return "Tìm kiếm"
	case audit.Login:
		return "Đăng nhập"
	case audit.LoginFailed:
		return "Đăng nhập sai"
	case audit.Logout:
		return "Đăng xuất"
	case audit.Account:
		return "Tài khoản"
	}
	return a
}

// fieldName is a document field as the archivist reads it.
func fieldName(f string) string {
	switch f {
	case "doc_number":
		return "Số và ký hiệu"
	case "date":
		return "Ngày văn bản"
	case "type":
		return "Tên loại"
	case "agency":
		return "Cơ quan ban hành"
	case "subject":
		return "Trích yếu"
	}
	return f
}

// dmy writes a YYYY-MM-DD date as Vietnamese write it: 20/03/2018.
func dmy(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return t.Format("02/01/2006")
}

// nav is what every page's header shows: how many documents wait for
// review and how many are in the pipeline.
// It also carries who is signed in (User, their role's name, whether
// they may correct), the CSRF token for the page's forms and the nonce of
// its style and script (the Content-Security-Policy allows no others).
type nav struct {
	Title    string
	Active   string
	Review   uint64
	Pipeline int
	Failed   int
	Refresh  bool

	User       string
	Role       string
	Kind       string
	CanCorrect bool
	IsAdmin    bool
	CSRF       string
	Nonce      string
}

// bareNav is a page's header without the counts: for the login, the
// password and error pages, which may be shown to no one in particular.
func (s *Server) bareNav(r *http.Request, title string) nav {
	c := callerOf(r)
	n := nav{Title: title, Nonce: rand.Text(), CSRF: c.csrf, Kind: c.Kind}
	if c.Role != auth.None {
		n.User, n.Role, n.CanCorrect, n.IsAdmin = c.Name, c.Role.Vietnamese(), c.Can(auth.Archivist), c.Can(auth.Admin)
	}
	return n
}

func (s *Server) nav(r *http.Request, title, active string) nav {
	n := s.bareNav(r, title)
	n.Active = active
	if res, err := s.index.Search(index.Query{Review: true, Limit: 1}); err == nil {
		n.Review = res.Total
	}
	s.mu.RLock()
	for _, st := range s.pending {
		if st.Status == pipeline.StatusFailed {
			n.Failed++
		} else {
			n.Pipeline++
		}
	}
	s.mu.RUnlock()
	return n
}

// facetLink is one value of a facet on the search page: a link that adds
// the filter, or removes it when it is on.
type facetLink struct {
	Value string
	Count int
	On    bool
	URL   string
}

// searchURL is the search page's address for q.
func searchURL(path string, q index.Query) string {
	v := url.Values{}
	if q.Text != "" {
		v.Set("q", q.Text)
	}
	if q.Year != 0 {
		v.Set("year", strconv.Itoa(q.Year))
	}
	if q.Type != "" {
		v.Set("type", q.Type)
	}
	if q.Agency != "" {
		v.Set("agency", q.Agency)
	}
	if q.Offset > 0 {
		v.Set("offset", strconv.Itoa(q.Offset))
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

func facetLinks(q index.Query, key string, fs []Facet) []facetLink {
	var out []facetLink
	for _, f := range fs {
		nq := q
		nq.Offset = 0
		var on bool
		switch key {
		case "year":
			y, _ := strconv.Atoi(f.Value)
			on = q.Year == y
			nq.Year = y
			if on {
				nq.Year = 0
			}
		case "type":
			on = q.Type == f.Value
			nq.Type = f.Value
			if on {
				nq.Type = ""
			}
		case "agency":
			on = q.Agency == f.Value
			nq.Agency = f.Value
			if on {
				nq.Agency = ""
			}
		}
		out = append(out, facetLink{Value: f.Value, Count: f.Count, On: on, URL: searchURL("/", nq)})
	}
	if key == "year" {
		// Years read best newest first.
		slices.SortStableFunc(out, func(a, b facetLink) int { return strings.Compare(b.Value, a.Value) })
	}
	return out
}

const pageSize = 20

func (s *Server) pageSearch(w http.ResponseWriter, r *http.Request) {
	q := queryOf(r, pageSize)
	q.Review = false
	list, err := s.list(q)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	n := s.nav(r, "Tìm kiếm", "search")
	for _, d := range list.Documents {
		if d.Status == pipeline.StatusQueued || d.Status == pipeline.StatusProcessing {
			n.Refresh = true
		}
	}
	data := map[string]any{
		"Nav": n, "Q": q, "List": list, "Filtered": filtered(q),
		"Facets": []struct {
			Name  string
			Links []facetLink
		}{
			{"Năm", facetLinks(q, "year", list.Facets["year"])},
			{"Tên loại", facetLinks(q, "type", list.Facets["type"])},
			{"Cơ quan ban hành", facetLinks(q, "agency", list.Facets["agency"])},
		},
		"From": q.Offset + 1, "To": q.Offset + len(list.Documents),
	}
	if q.Offset > 0 {
		pq := q
		pq.Offset = max(0, q.Offset-q.Limit)
		data["Prev"] = searchURL("/", pq)
	}
	if q.Offset+len(list.Documents) < list.Total {
		nq := q
		nq.Offset = q.Offset + q.Limit
		data["Next"] = searchURL("/", nq)
	}
	render(w, http.StatusOK, "search.html", data)
}

func (s *Server) pageReview(w http.ResponseWriter, r *http.Request) {
	q := queryOf(r, 50)
	q.Text, q.Review = "", true
	list, err := s.list(q)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	data := map[string]any{"Nav": s.nav(r, "Cần kiểm tra", "review"), "List": list, "Done": r.URL.Query().Has("done")}
	if len(list.Documents) > 0 {
		data["Start"] = "/review/" + url.PathEscape(list.Documents[0].ID)
	}
	if q.Offset+len(list.Documents) < list.Total {
		data["Next"] = "/review?offset=" + strconv.Itoa(q.Offset+q.Limit)
	}
	render(w, http.StatusOK, "review.html", data)
}

func (s *Server) pagePipeline(w http.ResponseWriter, r *http.Request) {
	docs := s.pendingMatching("")
	counts := map[string]int{}
	for _, d := range docs {
		counts[d.Status]++
	}
	// Failed ones first: they need someone; then the rest, newest first.
	failed := func(d Document) int {
		if d.Status == pipeline.StatusFailed {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(docs, func(a, b Document) int { return cmp.Compare(failed(a), failed(b)) })
	n := s.nav(r, "Tiến trình xử lý", "pipeline")
	n.Refresh = counts[pipeline.StatusQueued]+counts[pipeline.StatusProcessing] > 0
	render(w, http.StatusOK, "pipeline.html", map[string]any{"Nav": n, "Docs": docs, "Counts": counts})
}

// separatorSVG is the separator sheet's barcode (package ocr/separator):
// its narrow module 1 mm, its bars 25 mm tall — 147 mm wide with its quiet
// zones, inside an A4 page's margins.
var separatorSVG = func() template.HTML {
	svg, err := separator.SVG(separator.Code, 1, 25)
	if err != nil {
		panic(err) // the code is a constant Code 39 can say
	}
	return template.HTML(svg)
}()

// pageSeparator is the separator sheet, to print and lay between the
// documents of a stack (inbox/tach/).
func (s *Server) pageSeparator(w http.ResponseWriter, r *http.Request) {
	render(w, http.StatusOK, "separator.html", map[string]any{
		"Nav": s.nav(r, "Tờ phân tách văn bản", ""), "Barcode": separatorSVG, "Code": separator.Code,
	})
}

// form is the correction form as the archivist filled it in.
type form struct {
	DocNumber, Date, Type, Agency, Subject, By, Note string
}

func formOf(d Detail) form {
	return form{DocNumber: d.DocNumber, Date: d.Date, Type: d.Type, Agency: d.Agency, Subject: d.Subject}
}

func (s *Server) pageDoc(w http.ResponseWriter, r *http.Request) {
	d, err := s.detail(r.Context(), r.PathValue("id"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	f := formOf(d)
	f.By = callerOf(r).Name
	s.renderDoc(w, r, http.StatusOK, d, f, "")
}

func (s *Server) renderDoc(w http.ResponseWriter, r *http.Request, status int, d Detail, f form, problem string) {
	title := d.DocNumber
	if title == "" {
		title = d.SourceName
	}
	n := s.nav(r, title, "")
	n.Refresh = d.Status == pipeline.StatusQueued || d.Status == pipeline.StatusProcessing
	fields := []string{docmeta.FieldDocNumber, docmeta.FieldDate, docmeta.FieldType, docmeta.FieldAgency, docmeta.FieldSubject}
	render(w, status, "document.html", map[string]any{
		"Nav": n, "Doc": d, "Form": f, "Problem": problem, "Saved": r.URL.Query().Has("saved"),
		"Types": docmeta.TypeNames(), "Fields": fields,
	})
}

func (s *Server) pageCorrect(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Biểu mẫu không hợp lệ (bad form)", http.StatusBadRequest)
		return
	}
	f := form{
		DocNumber: r.PostForm.Get(docmeta.FieldDocNumber), Date: formDate(r.PostForm.Get(docmeta.FieldDate)), Type: r.PostForm.Get(docmeta.FieldType),
		Agency: r.PostForm.Get(docmeta.FieldAgency), Subject: r.PostForm.Get(docmeta.FieldSubject), By: strings.TrimSpace(r.PostForm.Get("by")),
		Note: r.PostForm.Get("note"),
	}
	f.By = callerOf(r).Name // the account, whatever the form says
	review := r.PostForm.Has(reviewField)
	var cur index.Doc // where the document stands in the review queue
	var err error
	if review {
		cur, _, err = s.index.Get(id)
		switch {
		case err != nil:
		case r.PostForm.Get(versionField) != strconv.Itoa(cur.Version):
			err = archive.ErrConflict // another archivist reviewed it meanwhile
		default:
			err = reviewed(f)
		}
	}
	if err == nil {
		var rec *archive.Record
		rec, err = s.arch.Correct(r.Context(), id, archive.Correction{
			DocNumber: sent(r.PostForm, docmeta.FieldDocNumber, &f.DocNumber), Date: sent(r.PostForm, docmeta.FieldDate, &f.Date),
			Type: sent(r.PostForm, docmeta.FieldType, &f.Type), Agency: sent(r.PostForm, docmeta.FieldAgency, &f.Agency),
			Subject: sent(r.PostForm, docmeta.FieldSubject, &f.Subject), By: f.By, Note: f.Note,
		})
		if err == nil {
			err = s.recordCorrection(r, rec)
		}
	}
	if err != nil {
		status, msg := httpError(err)
		if status == http.StatusInternalServerError {
			s.log.Error("correction failed", "doc", id, "err", err)
		}
		if errors.Is(err, archive.ErrInvalid) && strings.TrimSpace(f.By) == "" {
			msg = "Hãy ghi tên người sửa (who corrects must be given)."
		}
		d, derr := s.detail(r.Context(), id)
		if derr != nil {
			s.failPage(w, r, derr)
			return
		}
		if review {
			if errors.Is(err, archive.ErrConflict) {
				// Show what the other archivist saved, not what was typed.
				f = form{DocNumber: reviewNumber(d), Date: d.Date, By: f.By}
				msg = "Văn bản này vừa được người khác kiểm tra; các ô dưới đây là giá trị họ đã lưu. Bấm Enter nếu đúng, hoặc Esc để sang văn bản sau."
			}
			s.renderReview(w, r, status, d, f, msg, reviewFocus(err, f))
			return
		}
		s.renderDoc(w, r, status, d, f, msg)
		return
	}
	if review {
		s.redirectAfter(w, r, cur, id)
		return
	}
	http.Redirect(w, r, "/documents/"+url.PathEscape(id)+"?saved=1", http.StatusSeeOther)
}

// sent is v, the value of a form field, if the form sent that field; nil
// if it did not, so that a form showing some fields only (the review
// view's number and date) leaves the others as they are.
func sent(f url.Values, field string, v *string) *string {
	if !f.Has(field) {
		return nil
	}
	return v
}

// formDate takes a date as typed: YYYY-MM-DD (what a date field sends),
// the Vietnamese dd/mm/yyyy, or its eight digits alone (ddmmyyyy), and
// gives YYYY-MM-DD; anything else is left for Correct to refuse with a
// clear message.
func formDate(s string) string {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2/1/2006", "2-1-2006", "2.1.2006", "02012006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	return s
}

// failPage answers an error with a page.
func (s *Server) failPage(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := httpError(err)
	if status == http.StatusInternalServerError {
		s.log.Error("page failed", "err", err)
	}
	render(w, status, "error.html", map[string]any{"Nav": s.bareNav(r, "Lỗi"), "Status": status, "Message": msg})
}

// render writes a page. data["Nav"] is its header (nav), whose nonce the
// page's Content-Security-Policy allows.
func render(w http.ResponseWriter, status int, name string, data map[string]any) {
	n, _ := data["Nav"].(nav)
	w.Header().Set("Content-Security-Policy", fmt.Sprintf(pagesPolicy, n.Nonce))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, name, data); err != nil {
		// Headers are gone; the page ends where the template failed.
		_, _ = w.Write([]byte("<p>Lỗi hiển thị trang (template error): " + template.HTMLEscapeString(err.Error()) + "</p>"))
	}
}

func (s *Server) pageAudit(w http.ResponseWriter, r *http.Request) {
	if s.audit == nil {
		s.failPage(w, r, statusError{http.StatusNotFound, "Máy chủ này không ghi nhật ký truy cập (no audit kept)."})
		return
	}
	id := r.PathValue("id")
	entries, err := s.audit.Document(r.Context(), id)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	render(w, http.StatusOK, "audit.html", map[string]any{"Nav": s.nav(r, "Nhật ký truy cập", ""), "ID": id, "Entries": entries})
}
