package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/viet"
)

// pdfStore is what the web needs of the archive bucket.
type pdfStore interface {
	Open(ctx context.Context, key string) (io.ReadCloser, objstore.Info, error)
}

var _ pdfStore = (*objstore.Bucket)(nil)

// Server serves the API and the pages.
type Server struct {
	q       *pipeline.Queue
	index   *index.Index
	store   pdfStore
	gather  prometheus.Gatherer
	log     *slog.Logger
	ready   atomic.Bool
	mu      sync.RWMutex
	pending map[string]pipeline.Status // documents not archived yet, by id
}

// New returns a server. gather provides /metrics (nil: no metrics).
func New(q *pipeline.Queue, ix *index.Index, st pdfStore, gather prometheus.Gatherer, log *slog.Logger) *Server {
	return &Server{q: q, index: ix, store: st, gather: gather, log: log, pending: map[string]pipeline.Status{}}
}

// Run follows document statuses and serves HTTP on l until ctx ends.
func (s *Server) Run(ctx context.Context, l net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	watchDone := make(chan error, 1)
	go func() { watchDone <- s.follow(ctx) }()
	serveDone := make(chan error, 1)
	go func() { serveDone <- srv.Serve(l) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-serveDone:
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shut)
	if err == nil {
		<-serveDone
	}
	<-watchDone
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// follow keeps the view of documents in the pipeline up to date.
func (s *Server) follow(ctx context.Context) error {
	for ctx.Err() == nil {
		first := true
		err := s.q.WatchStatuses(ctx, func(st pipeline.Status) {
			s.mu.Lock()
			if st.Status == pipeline.StatusArchived {
				delete(s.pending, st.ID)
			} else {
				s.pending[st.ID] = st
			}
			s.mu.Unlock()
		}, func() {
			if first {
				s.ready.Store(true)
				first = false
			}
		})
		if err != nil && ctx.Err() == nil {
			s.log.Warn("lost the status watch; resuming", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(2 * time.Second):
			}
		}
	}
	return nil
}

// Handler routes requests.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	if s.gather != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(s.gather, promhttp.HandlerOpts{}))
	}
	mux.HandleFunc("GET /api/documents", s.apiList)
	mux.HandleFunc("GET /api/documents/{id}", s.apiGet)
	mux.HandleFunc("GET /api/documents/{id}/pdf", s.pdf)
	mux.HandleFunc("GET /documents/{id}", s.pageDoc)
	mux.HandleFunc("GET /{$}", s.pageSearch)
	return mux
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	_, _ = io.WriteString(w, "ok\n")
}

// Document is a document as the API shows it.
type Document struct {
	ID           string    `json:"id"`
	DocNumber    string    `json:"doc_number"`
	Date         string    `json:"date"`
	Type         string    `json:"type"`
	Agency       string    `json:"agency"`
	Subject      string    `json:"subject"`
	Pages        int       `json:"pages"`
	SHA256       string    `json:"sha256"` // of the archived PDF
	SourceName   string    `json:"source_name"`
	SourceSHA256 string    `json:"source_sha256,omitempty"`
	Status       string    `json:"status"`
	NeedsReview  bool      `json:"needs_review"`
	Reason       string    `json:"reason,omitempty"` // why it failed
	Key          string    `json:"key,omitempty"`
	Created      time.Time `json:"created"`
	Archived     time.Time `json:"archived,omitzero"`
	Text         *string   `json:"text,omitempty"`
}

func fromIndex(d index.Doc) Document {
	return Document{
		ID: d.ID, DocNumber: d.DocNumber, Date: d.Date, Type: d.Type, Agency: d.Agency, Subject: d.Subject,
		Pages: d.Pages, SHA256: d.SHA256, SourceName: d.SourceName, Status: pipeline.StatusArchived,
		NeedsReview: d.NeedsReview, Key: d.Key, Created: d.Created, Archived: d.Archived,
	}
}

func fromStatus(st pipeline.Status) Document {
	return Document{
		ID: st.ID, Pages: st.Pages, SourceName: st.SourceName, SourceSHA256: st.SHA256,
		Status: st.Status, Reason: st.Reason, Created: st.Created,
	}
}

// List is a page of documents.
type List struct {
	Total     int        `json:"total"`
	Documents []Document `json:"documents"`
}

// list finds documents: the index for archived ones, the status view for
// those in the pipeline (matched on their file name).
func (s *Server) list(q string, limit, offset int) (List, error) {
	var pend []Document
	words := strings.FieldsFunc(viet.Fold(q), notAlnum)
	s.mu.RLock()
	for _, st := range s.pending {
		if nameMatches(st.SourceName, words) || st.ID == q {
			pend = append(pend, fromStatus(st))
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(pend, func(a, b Document) int { return b.Created.Compare(a.Created) })

	res, err := s.index.Search(index.Query{Text: q, Limit: limit + offset})
	if err != nil {
		return List{}, err
	}
	var docs []Document
	if q == "" {
		// Everything, newest first: merge the two lists by creation time.
		docs = make([]Document, 0, len(pend)+len(res.Hits))
		i, j := 0, 0
		for i < len(pend) || j < len(res.Hits) {
			if j >= len(res.Hits) || (i < len(pend) && !pend[i].Created.Before(res.Hits[j].Doc.Created)) {
				docs = append(docs, pend[i])
				i++
			} else {
				docs = append(docs, fromIndex(res.Hits[j].Doc))
				j++
			}
		}
	} else {
		docs = pend
		for _, h := range res.Hits {
			docs = append(docs, fromIndex(h.Doc))
		}
	}
	out := List{Total: len(pend) + int(res.Total), Documents: []Document{}}
	if offset < len(docs) {
		docs = docs[offset:]
		out.Documents = docs[:min(limit, len(docs))]
	}
	return out, nil
}

func notAlnum(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// nameMatches reports whether every query word appears in a file name
// (folded: "quet moi" matches "Quét-mới.jpg"). No words match every name.
func nameMatches(name string, words []string) bool {
	folded := viet.Fold(name)
	for _, w := range words {
		if !strings.Contains(folded, w) {
			return false
		}
	}
	return true
}

// get finds one document, archived or in the pipeline.
func (s *Server) get(id string) (Document, *index.Doc, bool, error) {
	d, ok, err := s.index.Get(id)
	if err != nil {
		return Document{}, nil, false, err
	}
	if ok {
		return fromIndex(d), &d, true, nil
	}
	s.mu.RLock()
	st, ok := s.pending[id]
	s.mu.RUnlock()
	if ok {
		return fromStatus(st), nil, true, nil
	}
	return Document{}, nil, false, nil
}

func (s *Server) apiList(w http.ResponseWriter, r *http.Request) {
	limit, offset := intParam(r, "limit", 20, 1, 1000), intParam(r, "offset", 0, 0, 1_000_000)
	out, err := s.list(r.URL.Query().Get("q"), limit, offset)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiGet(w http.ResponseWriter, r *http.Request) {
	doc, ixd, ok, err := s.get(r.PathValue("id"))
	if err != nil {
		s.fail(w, err)
		return
	}
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "không có văn bản này (no such document)"})
		return
	}
	text := ""
	if ixd != nil {
		text = ixd.Text
	}
	doc.Text = &text
	writeJSON(w, http.StatusOK, doc)
}

func (s *Server) pdf(w http.ResponseWriter, r *http.Request) {
	doc, _, ok, err := s.get(r.PathValue("id"))
	if err != nil {
		s.fail(w, err)
		return
	}
	if !ok || doc.Status != pipeline.StatusArchived {
		http.Error(w, "Văn bản chưa được lưu trữ hoặc không tồn tại (no archived PDF for this id)", http.StatusNotFound)
		return
	}
	rc, info, err := s.store.Open(r.Context(), doc.Key)
	if err != nil {
		s.fail(w, err)
		return
	}
	defer rc.Close()
	name := doc.ID
	if doc.DocNumber != "" {
		name = strings.NewReplacer("/", "-", " ", "").Replace(doc.DocNumber)
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Length", strconv.FormatInt(info.Size, 10))
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s.pdf"; filename*=UTF-8''%s.pdf`, asciiName(name), url.PathEscape(name)))
	if doc.SHA256 != "" {
		w.Header().Set("ETag", `"`+doc.SHA256+`"`)
	}
	_, _ = io.Copy(w, rc)
}

func (s *Server) fail(w http.ResponseWriter, err error) {
	s.log.Error("request failed", "err", err)
	status := http.StatusInternalServerError
	if errors.Is(err, objstore.ErrNotExist) {
		status = http.StatusNotFound
	}
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func intParam(r *http.Request, name string, def, lo, hi int) int {
	v, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil {
		return def
	}
	return max(lo, min(hi, v))
}

func asciiName(s string) string {
	f := viet.Fold(s)
	var b strings.Builder
	for _, r := range f {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			b.WriteByte('_')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
