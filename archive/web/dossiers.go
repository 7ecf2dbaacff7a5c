package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/auth"
)

// Dossiers is what the web needs of the archive's hồ sơ (see
// archive.Dossier).
type Dossiers interface {
	CreateDossier(ctx context.Context, f archive.DossierFields, by string) (*archive.Dossier, error)
	Dossier(ctx context.Context, id string) (*archive.Dossier, error)
	Dossiers(ctx context.Context) ([]*archive.Dossier, error)
	DueDossiers(ctx context.Context, now time.Time) ([]*archive.Dossier, error)
	UpdateDossier(ctx context.Context, id string, f archive.DossierFields, by string) (*archive.Dossier, error)
	AddToDossier(ctx context.Context, id, doc, by string) (*archive.Dossier, error)
	ExportDossier(ctx context.Context, id, by string, w io.Writer) error
}

var _ Dossiers = (*archive.Archive)(nil)

// withDossiers serves h where the archive keeps hồ sơ, 404 elsewhere.
func (s *Server) withDossiers(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.dossiers == nil {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "Máy chủ này không giữ hồ sơ (this server keeps no dossiers)"})
			return
		}
		h(w, r)
	}
}

// dossierBody is a hồ sơ's fields as the API takes them.
type dossierBody struct {
	Fonds     *string `json:"fonds"`
	Catalog   *string `json:"catalog"`
	Number    *string `json:"number"`
	Title     *string `json:"title"`
	Start     *string `json:"start"`
	End       *string `json:"end"`
	Retention *string `json:"retention"`
	Access    *string `json:"access"`
	Language  *string `json:"language"`
	Keywords  *string `json:"keywords"`
	Note      *string `json:"note"`
	Sheets    *int    `json:"sheets"`
	Pages     *int    `json:"pages"`
}

func (b dossierBody) fields() archive.DossierFields {
	return archive.DossierFields{Fonds: b.Fonds, Catalog: b.Catalog, Number: b.Number, Title: b.Title, Start: b.Start,
		End: b.End, Retention: b.Retention, Access: b.Access, Language: b.Language, Keywords: b.Keywords, Note: b.Note,
		Sheets: b.Sheets, Pages: b.Pages}
}

// decodeJSON reads r's body into v, refusing unknown fields; false (and
// the 400 answered) when it is not such JSON.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body) // harden bounds it
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Nội dung không phải JSON hợp lệ (invalid JSON): " + err.Error()})
		return false
	}
	return true
}

// mayRead tells whether the caller may read hồ sơ d: a restricted one
// (chế độ sử dụng hạn chế) only archivists and administrators.
func mayRead(r *http.Request, d *archive.Dossier) bool {
	return d.Access != archive.AccessRestricted || callerOf(r).Can(auth.Archivist)
}

func (s *Server) apiDossiers(w http.ResponseWriter, r *http.Request) {
	list := s.dossiers.Dossiers
	if r.URL.Query().Get("due") == "true" {
		list = func(ctx context.Context) ([]*archive.Dossier, error) { return s.dossiers.DueDossiers(ctx, time.Now()) }
	}
	all, err := list(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	all = slices.DeleteFunc(all, func(d *archive.Dossier) bool { return !mayRead(r, d) })
	writeJSON(w, http.StatusOK, map[string]any{"total": len(all), "dossiers": all})
}

func (s *Server) apiCreateDossier(w http.ResponseWriter, r *http.Request) {
	var b dossierBody
	if !decodeJSON(w, r, &b) {
		return
	}
	d, err := s.dossiers.CreateDossier(r.Context(), b.fields(), callerOf(r).Name)
	if err == nil {
		w.Header().Set("Location", "/api/dossiers/"+d.ID)
	}
	s.answerChanged(w, r, d, err, http.StatusCreated)
}

// answerChanged answers a change of hồ sơ d (err: it failed) with d, once
// the audit has it.
func (s *Server) answerChanged(w http.ResponseWriter, r *http.Request, d *archive.Dossier, err error, status int) {
	if err == nil {
		err = s.recordDossier(r, d)
	}
	if err != nil {
		w.Header().Del("Location")
		s.fail(w, err)
		return
	}
	writeJSON(w, status, d)
}

// readable is the hồ sơ of the request's {id} for its caller; false (and
// the error answered) when there is none, or it is restricted and the
// caller may not see it (not shown to exist).
func (s *Server) readable(w http.ResponseWriter, r *http.Request) (*archive.Dossier, bool) {
	d, err := s.dossiers.Dossier(r.Context(), r.PathValue("id"))
	if err == nil && !mayRead(r, d) {
		err = archive.ErrNoDossier
	}
	if err != nil {
		s.fail(w, err)
		return nil, false
	}
	return d, true
}

func (s *Server) apiDossier(w http.ResponseWriter, r *http.Request) {
	if d, ok := s.readable(w, r); ok {
		writeJSON(w, http.StatusOK, d)
	}
}

func (s *Server) apiUpdateDossier(w http.ResponseWriter, r *http.Request) {
	var b dossierBody
	if !decodeJSON(w, r, &b) {
		return
	}
	d, err := s.dossiers.UpdateDossier(r.Context(), r.PathValue("id"), b.fields(), callerOf(r).Name)
	s.answerChanged(w, r, d, err, http.StatusOK)
}

func (s *Server) apiAddToDossier(w http.ResponseWriter, r *http.Request) {
	var b struct {
		ID string `json:"id"`
	}
	if !decodeJSON(w, r, &b) {
		return
	}
	d, err := s.dossiers.AddToDossier(r.Context(), r.PathValue("id"), b.ID, callerOf(r).Name)
	s.answerChanged(w, r, d, err, http.StatusOK)
}

// apiExportDossier sends the hồ sơ's hand-over package (a BagIt bag in a
// zip: archive.ExportDossier). The package is made while it is sent: an
// error after the first bytes ends the download short, which the bag's
// manifest then shows.
func (s *Server) apiExportDossier(w http.ResponseWriter, r *http.Request) {
	d, ok := s.readable(w, r)
	if !ok {
		return
	}
	name := archive.Slug(d.Code)
	if name == "" {
		name = "ho-so-" + d.ID
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+strings.ToLower(name)+`.zip"`)
	if err := s.dossiers.ExportDossier(r.Context(), d.ID, callerOf(r).Name, w); err != nil {
		s.log.Error("dossier export cut short", "dossier", d.ID, "err", err)
	}
}

// apiEdXML sends an archived document as an edXML message (QCVN
// 102:2016: archive.EdXML), its PDF/A inside.
func (s *Server) apiEdXML(w http.ResponseWriter, r *http.Request) {
	rec, ok := s.archived(w, r)
	if !ok {
		return
	}
	rc, _, err := s.store.Open(r.Context(), rec.PDF.Key)
	if err != nil {
		s.fail(w, err)
		return
	}
	pdf, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		s.fail(w, err)
		return
	}
	var out bytes.Buffer
	if err := archive.EdXML(rec, pdf, &out); err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+rec.ID+`.edxml"`)
	_, _ = w.Write(out.Bytes())
}
