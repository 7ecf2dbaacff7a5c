package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/sohoa/sohoa/archive/docmeta"
	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/pipeline"
)

// The review flow: one document of the review queue at a time, its number
// and date beside the crops of the blanks they were handwritten into,
// keyboard first. Enter confirms (the correction form's POST, with
// reviewField set) and opens the next document of the queue; Esc skips to
// it without saving. "Next" is the order of /review: most recently
// archived first, then by id.
//
//	GET /review/{id}        the review view of a document
//	GET /review/{id}/next   skip: the one after it (or the queue when none is)

// reviewField, sent by the review view's form, asks the correction to go
// on to the next document of the review queue.
const reviewField = "review"

// versionField is the version of the document the review view showed: a
// review of an older one is refused (archive.ErrConflict), so that two
// archivists going through the queue at once do not undo each other.
const versionField = "version"

// reviewBatch is how many documents of the queue are looked at at once
// when looking for the next one.
const reviewBatch = 200

func (s *Server) pageReviewDoc(w http.ResponseWriter, r *http.Request) {
	d, err := s.detail(r.Context(), r.PathValue("id"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if d.Status != pipeline.StatusArchived {
		// Nothing read yet: its page says where it is in the pipeline.
		http.Redirect(w, r, "/documents/"+url.PathEscape(d.ID), http.StatusSeeOther)
		return
	}
	f := form{DocNumber: reviewNumber(d), Date: d.Date, By: callerOf(r).Name}
	s.renderReview(w, r, http.StatusOK, d, f, "", "f-number")
}

// pageReviewSkip leaves a document as it is and opens the next one.
func (s *Server) pageReviewSkip(w http.ResponseWriter, r *http.Request) {
	cur, ok, err := s.index.Get(r.PathValue("id"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if !ok {
		http.Redirect(w, r, "/review", http.StatusSeeOther)
		return
	}
	s.redirectAfter(w, r, cur, "")
}

// redirectAfter sends the browser to the document that follows cur in the
// review queue, saying which one was just saved (saved, if any); to the
// queue when none follows.
func (s *Server) redirectAfter(w http.ResponseWriter, r *http.Request, cur index.Doc, saved string) {
	next, err := s.reviewAfter(cur)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	u := "/review?done=1"
	if next != "" {
		u = "/review/" + url.PathEscape(next)
		if saved != "" {
			u += "?saved=" + url.QueryEscape(saved)
		}
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// reviewAfter is the id of the document that follows cur in the review
// queue, "" when none does. cur need not be in the queue any more (it has
// just been confirmed): what followed it still does.
func (s *Server) reviewAfter(cur index.Doc) (string, error) {
	for off := 0; ; off += reviewBatch {
		res, err := s.index.Search(index.Query{Review: true, Limit: reviewBatch, Offset: off})
		if err != nil {
			return "", err
		}
		for _, h := range res.Hits {
			if follows(h.Doc, cur) {
				return h.Doc.ID, nil
			}
		}
		if len(res.Hits) < reviewBatch {
			return "", nil
		}
	}
}

// follows reports whether d comes after cur in the review queue's order.
func follows(d, cur index.Doc) bool {
	if !d.Archived.Equal(cur.Archived) {
		return d.Archived.Before(cur.Archived)
	}
	return d.ID > cur.ID
}

// reviewed checks a review as sent, so that what is wrong is said in the
// archivist's terms (dd/mm/yyyy) and the field to mend has the focus.
func reviewed(f form) error {
	switch {
	case strings.TrimSpace(f.DocNumber) == "" || f.Date == "":
		return errUnconfirmed
	}
	if _, _, ok := docmeta.ParseNumber(strings.TrimSpace(f.DocNumber)); !ok {
		return errReviewNumber
	}
	if _, err := time.Parse(time.DateOnly, f.Date); err != nil {
		return errReviewDate
	}
	return nil
}

// reviewFocus is the id of the field a review's problem is in, for the
// review view to put the keyboard there.
func reviewFocus(problem error, f form) string {
	switch {
	case errors.Is(problem, errReviewDate):
		return "f-date"
	case strings.TrimSpace(f.By) == "":
		return "f-by"
	}
	return "f-number"
}

// reviewNumber is what the number field starts with: the best reading, even
// uncertain; when the number could not be read, its printed symbol after
// the separator, so that only the handwritten digits are left to type.
func reviewNumber(d Detail) string {
	switch {
	case d.DocNumber != "" || d.Symbol == "":
		return d.DocNumber
	case !startsWithDigit(d.Symbol) && strings.Contains(d.Symbol, "/"):
		return "-" + d.Symbol // a party document: 123-QĐ/HU
	}
	return "/" + d.Symbol
}

func startsWithDigit(s string) bool {
	for _, r := range s {
		return unicode.IsDigit(r)
	}
	return false
}

// renderReview shows the review view of d with the form as f has it, the
// problem if any, and the keyboard in the field whose id is focus.
func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, status int, d Detail, f form, problem, focus string) {
	title := "Kiểm tra " + d.DocNumber
	if d.DocNumber == "" {
		title = "Kiểm tra " + d.SourceName
	}
	n := s.nav(r, title, "review")
	data := map[string]any{
		"Nav": n, "Doc": d, "Form": f, "Problem": problem,
		"CropNumber": d.Crops[docmeta.CropNumber], "CropDate": d.Crops[docmeta.CropDate],
		"ReviewField": reviewField, "VersionField": versionField, "Focus": focus,
	}
	if id := r.URL.Query().Get("saved"); id != "" {
		if prev, ok, err := s.index.Get(id); err == nil && ok {
			data["Saved"] = prev
		}
	}
	render(w, status, "reviewdoc.html", data)
}
