package web

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
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

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/audit"
	"github.com/sohoa/sohoa/archive/auth"
	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/archive/reform"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/viet"
)

// Objects is what the web needs of the archive bucket: the PDFs and
// originals it sends.
type Objects interface {
	Open(ctx context.Context, key string) (io.ReadCloser, objstore.Info, error)
}

var _ Objects = (*objstore.Bucket)(nil)

// Archive is what the web needs of the archive stage: a document's record
// (its sidecar), the crops of its blanks, and archivists' corrections.
type Archive interface {
	Record(ctx context.Context, id string) (*archive.Record, error)
	Crop(ctx context.Context, id, name string) ([]byte, error)
	Correct(ctx context.Context, id string, c archive.Correction) (*archive.Record, error)
}

var _ Archive = (*archive.Archive)(nil)

// Config of the web server: what it serves from. New refuses one without
// Queue, Index, Objects or Archive.
type Config struct {
	Queue   *pipeline.Queue // statuses of documents in the pipeline
	Index   *index.Index    // the search index
	Objects Objects         // the archive bucket
	Archive Archive         // records, crops, corrections
	// Metrics provides /metrics (nil: no metrics).
	Metrics prometheus.Gatherer
	// Log (nil: discarded).
	Log *slog.Logger

	// Accounts are the users and tokens who may use the server; required:
	// every route but /healthz and the login needs one.
	Accounts *auth.Store
	// Sessions of signed-in browsers (nil: new ones, auth.NewSessions) and
	// the login's Throttle of each user name (nil: auth.NewThrottle). Each
	// client address has a throttle too, more lenient (addrFree failures),
	// as one proxy or NAT may carry a whole office.
	Sessions *auth.Sessions
	Throttle *auth.Throttle
	// TrustedProxies are the addresses whose X-Remote-User header names
	// the user (a user of Accounts); from anywhere else it is ignored.
	TrustedProxies []netip.Prefix
	// AllowedHosts are the names (and addresses) the server answers as,
	// in the Host header; others get 421, which stops DNS rebinding.
	// Empty: any.
	AllowedHosts []string
	// Audit records every sign-in, search, view, download and correction
	// (nil: nothing is recorded, and /api/audit answers 404). When a record
	// cannot be written the request is refused (503): nothing is read or
	// changed unrecorded.
	Audit *audit.Log
}

func (c *Config) ensureDefaults() {
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Sessions == nil {
		c.Sessions = auth.NewSessions()
	}
	if c.Throttle == nil {
		c.Throttle = auth.NewThrottle()
	}
}

func (c *Config) validate() error {
	switch {
	case c.Queue == nil:
		return errors.New("web: no queue")
	case c.Index == nil:
		return errors.New("web: no index")
	case c.Objects == nil:
		return errors.New("web: no archive bucket")
	case c.Archive == nil:
		return errors.New("web: no archive")
	case c.Accounts == nil:
		return errors.New("web: no accounts")
	}
	return nil
}

// Server serves the API and the pages.
type Server struct {
	q     *pipeline.Queue
	index *index.Index
	store Objects
	arch  Archive
	// dossiers are the archive's hồ sơ, when it keeps them (the archive
	// stage does: *archive.Archive); nil, their routes answer 404.
	dossiers Dossiers
	gather   prometheus.Gatherer
	log      *slog.Logger

	accounts *auth.Store
	sessions *auth.Sessions
	throttle *auth.Throttle
	// addrThrottle slows down guessing from one address across users.
	addrThrottle *auth.Throttle
	trusted      []netip.Prefix
	hosts        []string
	csrfKey      []byte // for the CSRF tokens of a proxy's users
	audit        *audit.Log

	ready   atomic.Bool
	mu      sync.RWMutex
	pending map[string]pipeline.Status // documents not archived yet, by id
}

// addrFree is how many failed logins one client address may make (in an
// hour, across user names) before it has to wait.
const addrFree = 30

func addrThrottle() *auth.Throttle {
	t := auth.NewThrottle()
	t.Free = addrFree
	return t
}

// New returns a server over cfg's archive.
func New(cfg Config) (*Server, error) {
	cfg.ensureDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	dossiers, _ := cfg.Archive.(Dossiers)
	return &Server{
		q: cfg.Queue, index: cfg.Index, store: cfg.Objects, arch: cfg.Archive, dossiers: dossiers, gather: cfg.Metrics, log: cfg.Log,
		pending:  map[string]pipeline.Status{},
		accounts: cfg.Accounts, sessions: cfg.Sessions, throttle: cfg.Throttle, addrThrottle: addrThrottle(),
		trusted: cfg.TrustedProxies, hosts: normalHosts(cfg.AllowedHosts), csrfKey: newKey(), audit: cfg.Audit,
	}, nil
}

// Run follows document statuses and serves HTTP on l until ctx ends.
func (s *Server) Run(ctx context.Context, l net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      10 * time.Minute, // a PDF of some hundred pages over a slow link
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    maxHeader,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	// The status watch and the accounts' drain stop with Run, whichever
	// ends it: ctx, or the listener failing.
	bg, stopBG := context.WithCancel(ctx)
	defer stopBG()
	watchDone := make(chan error, 1)
	go func() { watchDone <- s.follow(bg) }()
	drained := make(chan struct{})
	go func() { s.drainAccounts(bg); close(drained) }()
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
	stopBG()
	<-watchDone
	<-drained
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

// route is one method and path pattern (net/http.ServeMux syntax), the
// least role it needs, what the audit records of it before it is served
// (audit.View, …; "" for nothing, or what the handler records itself), and
// its handler. Those under /api/ are described in openapi.yaml
// (x-sohoa-role: the role).
type route struct {
	method, path string
	role         auth.Role
	record       string
	h            http.HandlerFunc
}

func (s *Server) routes() []route {
	const (
		anyone    = auth.None
		viewer    = auth.Viewer
		archivist = auth.Archivist
		admin     = auth.Admin
	)
	rs := []route{
		{"GET", "/healthz", anyone, "", s.healthz},
		{"GET", "/login", anyone, "", s.pageLogin},
		{"POST", "/login", anyone, "", s.postLogin},
		{"POST", "/logout", viewer, "", s.postLogout},
		{"GET", "/password", viewer, "", s.pagePassword},
		{"POST", "/password", viewer, "", s.postPassword},
		{"GET", "/api/openapi.yaml", viewer, "", serveOpenAPI},
		{"GET", "/api/documents", viewer, audit.Search, s.apiList},
		{"GET", "/api/documents/{id}", viewer, audit.View, s.apiGet},
		{"PATCH", "/api/documents/{id}", archivist, "", s.apiCorrect},
		{"GET", "/api/documents/{id}/pdf", viewer, audit.Download, s.pdf},
		{"GET", "/api/documents/{id}/original", viewer, audit.Download, s.original},
		{"GET", "/api/documents/{id}/crops/{name}", viewer, "", s.crop},
		{"GET", "/api/documents/{id}/edxml", viewer, audit.Download, s.apiEdXML},
		{"GET", "/api/audit", admin, "", s.apiAudit},
		{"GET", "/{$}", viewer, audit.Search, s.pageSearch},
		{"GET", "/review", archivist, "", s.pageReview},
		{"GET", "/review/{id}", archivist, audit.View, s.pageReviewDoc},
		{"GET", "/review/{id}/next", archivist, "", s.pageReviewSkip},
		{"GET", "/pipeline", viewer, "", s.pagePipeline},
		{"GET", "/to-phan-tach", viewer, "", s.pageSeparator},
		{"GET", "/documents/{id}", viewer, audit.View, s.pageDoc},
		{"GET", "/documents/{id}/audit", admin, "", s.pageAudit},
		{"POST", "/documents/{id}/correct", archivist, "", s.pageCorrect},
	}
	rs = append(rs,
		route{"GET", "/api/dossiers", viewer, "", s.withDossiers(s.apiDossiers)},
		route{"POST", "/api/dossiers", archivist, "", s.withDossiers(s.apiCreateDossier)},
		route{"GET", "/api/dossiers/{id}", viewer, audit.View, s.withDossiers(s.apiDossier)},
		route{"PATCH", "/api/dossiers/{id}", archivist, "", s.withDossiers(s.apiUpdateDossier)},
		route{"POST", "/api/dossiers/{id}/documents", archivist, "", s.withDossiers(s.apiAddToDossier)},
		route{"GET", "/api/dossiers/{id}/export", viewer, audit.Download, s.withDossiers(s.apiExportDossier)})
	if s.gather != nil {
		rs = append(rs, route{"GET", "/metrics", viewer, "", promhttp.HandlerFor(s.gather, promhttp.HandlerOpts{}).ServeHTTP})
	}
	return rs
}

// Handler routes requests: each through harden (Host, sizes, headers),
// then guard (who may), and requests that change something are refused
// when a browser says they come from another site.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.method+" "+rt.path, s.guard(rt))
	}
	return s.harden(http.NewCrossOriginProtection().Handler(mux))
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
	Number       string    `json:"number"`
	Symbol       string    `json:"symbol"`
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
	Version      int       `json:"version,omitempty"`
	Created      time.Time `json:"created"`
	Archived     time.Time `json:"archived,omitzero"`
	// Snippets are fragments of the text where the query's words are,
	// HTML-escaped, the words in <mark>; only in search results.
	Snippets []string `json:"snippets,omitempty"`
}

// Detail is one document with everything its record says.
type Detail struct {
	Document
	Text         string             `json:"text"`
	Review       []string           `json:"review,omitempty"`
	Confidence   map[string]float64 `json:"confidence,omitempty"`
	ParentAgency string             `json:"parent_agency,omitempty"`
	Place        string             `json:"place,omitempty"`
	Corrections  []archive.Change   `json:"corrections,omitempty"`
	Original     *Original          `json:"original,omitempty"`
	// Crops are the addresses of the crops of the header's blanks, by name
	// (docmeta.CropNumber, docmeta.CropDate).
	Crops map[string]string `json:"crops,omitempty"`
	// BlankPages are the pages of the original left out as blank sheets.
	BlankPages []int `json:"blank_pages,omitempty"`
	// Stack is set on a document cut from a stack (inbox/tach/).
	Stack *archive.Stack `json:"stack,omitempty"`
	// AgencySuccessor says what became of the agency printed on it in the
	// reform of 1 July 2025, when it does not stand as it was (its
	// province merged, its district abolished); the agency stays as printed.
	AgencySuccessor *reform.Succession `json:"agency_successor,omitempty"`
}

// Original is the file as it was dropped, kept beside the PDF/A. Pages
// are the pages of it the document holds, when it holds only some (a part
// of a stack): its download is then the whole file.
type Original struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Format string `json:"format"`
	Size   int64  `json:"size,omitempty"`
	Pages  []int  `json:"pages,omitempty"`
}

func fromIndex(d index.Doc) Document {
	return Document{
		ID: d.ID, DocNumber: d.DocNumber, Number: d.Number, Symbol: d.Symbol, Date: d.Date, Type: d.Type,
		Agency: d.Agency, Subject: d.Subject, Pages: d.Pages, SHA256: d.SHA256, SourceName: d.SourceName,
		Status: pipeline.StatusArchived, NeedsReview: d.NeedsReview, Key: d.Key, Version: d.Version,
		Created: d.Created, Archived: d.Archived,
	}
}

func fromStatus(st pipeline.Status) Document {
	return Document{
		ID: st.ID, Pages: st.Pages, SourceName: st.SourceName, SourceSHA256: st.SHA256,
		Status: st.Status, Reason: st.Reason, Created: st.Created,
	}
}

// fromRecord is the latest record of an archived document, in full.
func fromRecord(r *archive.Record) Detail {
	d := Detail{
		Document: Document{
			ID: r.ID, DocNumber: r.DocNumber, Number: r.Number, Symbol: r.Symbol, Date: r.Date, Type: r.Type,
			Agency: r.Agency, Subject: r.Subject, Pages: r.Pages, SHA256: r.PDF.SHA256, SourceName: r.Source.Name,
			SourceSHA256: r.Source.SHA256, Status: pipeline.StatusArchived, NeedsReview: r.NeedsReview,
			Key: r.PDF.Key, Version: r.Version, Created: r.Created, Archived: r.Archived,
		},
		Text: r.Text, Review: r.Review, Confidence: r.Confidence, ParentAgency: r.Parent, Place: r.Place,
		Corrections: r.Corrections, BlankPages: r.BlankPages, Stack: r.Stack,
	}
	if s := reform.Successor(r.Agency, r.Parent); s.Changed {
		d.AgencySuccessor = &s
	}
	if r.Source.Key != "" {
		d.Original = &Original{Name: r.Source.Name, SHA256: r.Source.SHA256, Format: r.Source.Format, Size: r.Source.Size, Pages: r.Source.Pages}
	}
	for name := range r.Crops {
		if d.Crops == nil {
			d.Crops = map[string]string{}
		}
		d.Crops[name] = cropURL(r.ID, name)
	}
	return d
}

// cropURL is the address of a crop of document id.
func cropURL(id, name string) string {
	return "/api/documents/" + url.PathEscape(id) + "/crops/" + url.PathEscape(name)
}

// Facet is one value of a facet and how many documents found have it.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// List is a page of documents.
type List struct {
	Total     int                `json:"total"`
	Documents []Document         `json:"documents"`
	Facets    map[string][]Facet `json:"facets"`
}

// filtered reports whether a query narrows by a field of archived
// documents, which documents in the pipeline do not have yet.
func filtered(q index.Query) bool {
	return q.Year != 0 || q.Type != "" || q.Agency != "" || q.Review
}

// queryOf reads a search from a request's query string.
func queryOf(r *http.Request, defLimit int) index.Query {
	v := r.URL.Query()
	q := index.Query{
		Text:   strings.TrimSpace(v.Get("q")),
		Type:   strings.TrimSpace(v.Get("type")),
		Agency: strings.TrimSpace(v.Get("agency")),
		Limit:  intParam(r, "limit", defLimit, 1, maxLimit),
		Offset: intParam(r, "offset", 0, 0, maxOffset),
	}
	q.Year, _ = strconv.Atoi(v.Get("year"))
	q.Review, _ = strconv.ParseBool(v.Get("review"))
	return q
}

// pendingMatching lists the documents in the pipeline whose file name has
// every word of text (or whose id is text), newest first.
func (s *Server) pendingMatching(text string) []Document {
	var pend []Document
	words := strings.FieldsFunc(viet.Fold(text), notAlnum)
	s.mu.RLock()
	for _, st := range s.pending {
		if nameMatches(st.SourceName, words) || st.ID == text {
			pend = append(pend, fromStatus(st))
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(pend, func(a, b Document) int { return b.Created.Compare(a.Created) })
	return pend
}

// list finds documents: the index for archived ones, the status view for
// those in the pipeline (matched on their file name; left out when the
// search filters by a field they do not have yet).
func (s *Server) list(q index.Query) (List, error) {
	var pend []Document
	if !filtered(q) {
		pend = s.pendingMatching(q.Text)
	}
	limit, offset := q.Limit, q.Offset
	iq := q
	iq.Limit, iq.Offset = limit+offset, 0
	res, err := s.index.Search(iq)
	if err != nil {
		return List{}, err
	}
	var docs []Document
	if q.Text == "" {
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
			d := fromIndex(h.Doc)
			d.Snippets = h.Snippets
			docs = append(docs, d)
		}
	}
	out := List{Total: len(pend) + int(res.Total), Documents: []Document{}, Facets: map[string][]Facet{}}
	if offset < len(docs) {
		docs = docs[offset:]
		out.Documents = docs[:min(limit, len(docs))]
	}
	for _, k := range []string{"year", "type", "agency"} {
		fs := []Facet{}
		for _, f := range res.Facets[k] {
			fs = append(fs, Facet{Value: f.Value, Count: f.Count})
		}
		out.Facets[k] = fs
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

// errNoDocument is a document id that is neither archived nor in the
// pipeline.
var errNoDocument = errors.New("không có văn bản này (no such document)")

// Errors of a review as sent (see reviewed).
var (
	// errUnconfirmed: no number or no date, which cannot take the document
	// out of the queue.
	errUnconfirmed = errors.New("review without a number or a date")
	// errReviewNumber, errReviewDate: one that is not a number or a date.
	errReviewNumber = errors.New("review with a malformed number")
	errReviewDate   = errors.New("review with a malformed date")
)

// detail finds one document: its latest record when it is archived, its
// status when it is still in the pipeline (or failed).
func (s *Server) detail(ctx context.Context, id string) (Detail, error) {
	rec, err := s.arch.Record(ctx, id)
	if err == nil {
		return fromRecord(rec), nil
	}
	if !errors.Is(err, archive.ErrNotFound) {
		return Detail{}, err
	}
	s.mu.RLock()
	st, ok := s.pending[id]
	s.mu.RUnlock()
	if ok {
		return Detail{Document: fromStatus(st)}, nil
	}
	return Detail{}, errNoDocument
}

func (s *Server) apiList(w http.ResponseWriter, r *http.Request) {
	out, err := s.list(queryOf(r, 20))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiGet(w http.ResponseWriter, r *http.Request) {
	d, err := s.detail(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// correction is the body of PATCH /api/documents/{id}: absent fields stay
// as they are.
type correction struct {
	DocNumber *string `json:"doc_number"`
	Date      *string `json:"date"`
	Type      *string `json:"type"`
	Agency    *string `json:"agency"`
	Subject   *string `json:"subject"`
	By        string  `json:"by"`
	Note      string  `json:"note"`
}

func (s *Server) apiCorrect(w http.ResponseWriter, r *http.Request) {
	var c correction
	if !decodeJSON(w, r, &c) {
		return
	}
	c.By = callerOf(r).Name // who is the account, never what the body says
	rec, err := s.arch.Correct(r.Context(), r.PathValue("id"), archive.Correction{
		DocNumber: c.DocNumber, Date: c.Date, Type: c.Type, Agency: c.Agency, Subject: c.Subject, By: c.By, Note: c.Note,
	})
	if err == nil {
		err = s.recordCorrection(r, rec)
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, fromRecord(rec))
}

const notArchived = "Văn bản chưa được lưu trữ hoặc không tồn tại (no archived document with this id)"

// archived finds an archived document's record for a download, or
// answers 404 with a sentence for people.
func (s *Server) archived(w http.ResponseWriter, r *http.Request) (*archive.Record, bool) {
	rec, err := s.arch.Record(r.Context(), r.PathValue("id"))
	if errors.Is(err, archive.ErrNotFound) {
		http.Error(w, notArchived, http.StatusNotFound)
		return nil, false
	}
	if err != nil {
		s.fail(w, err)
		return nil, false
	}
	return rec, true
}

// pdf sends the latest PDF/A. The index knows its key and checksum, so the
// record (with the whole OCR text) is not read for a download.
func (s *Server) pdf(w http.ResponseWriter, r *http.Request) {
	d, ok, err := s.index.Get(r.PathValue("id"))
	if err != nil {
		s.fail(w, err)
		return
	}
	if !ok {
		http.Error(w, notArchived, http.StatusNotFound)
		return
	}
	name := d.ID
	if d.DocNumber != "" {
		name = strings.NewReplacer("/", "-", " ", "").Replace(d.DocNumber)
	}
	w.Header().Set("Content-Security-Policy", pdfFraming) // the document pages show it in a frame
	w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	s.download(w, r, d.Key, "application/pdf", "inline", name+".pdf", d.SHA256)
}

func (s *Server) original(w http.ResponseWriter, r *http.Request) {
	rec, ok := s.archived(w, r)
	if !ok {
		return
	}
	if rec.Source.Key == "" {
		http.Error(w, "Tệp gốc không được lưu cho văn bản này (the original was not kept for this document)", http.StatusNotFound)
		return
	}
	types := map[string]string{"jpeg": "image/jpeg", "png": "image/png", "tiff": "image/tiff", "pdf": "application/pdf"}
	ct := types[rec.Source.Format]
	if ct == "" {
		ct = "application/octet-stream"
	}
	s.download(w, r, rec.Source.Key, ct, "attachment", rec.Source.Name, rec.Source.SHA256)
}

// download sends an object of the archive bucket.
func (s *Server) download(w http.ResponseWriter, r *http.Request, key, contentType, disposition, name, sha string) {
	rc, info, err := s.store.Open(r.Context(), key)
	if err != nil {
		s.fail(w, err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.FormatInt(info.Size, 10))
	w.Header().Set("Content-Disposition", fmt.Sprintf(`%s; filename="%s"; filename*=UTF-8''%s`, disposition, asciiName(name), url.PathEscape(name)))
	if sha != "" {
		w.Header().Set("ETag", `"`+sha+`"`)
	}
	_, _ = io.Copy(w, rc)
}

// crop sends the PNG of a crop of a document's blank. A document's crops
// never change (they are cut from its source, which its id names), so the
// browser may keep them; private, as the documents are not public.
func (s *Server) crop(w http.ResponseWriter, r *http.Request) {
	data, err := s.arch.Crop(r.Context(), r.PathValue("id"), r.PathValue("name"))
	if err != nil {
		s.fail(w, err)
		return
	}
	sum := sha256.Sum256(data)
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

//go:embed openapi.yaml
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	_, _ = w.Write(openAPI)
}

// fail answers an error in JSON, with the status it calls for and a
// message for people.
func (s *Server) fail(w http.ResponseWriter, err error) {
	status, msg := httpError(err)
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "err", err)
	}
	var held *archive.HeldError
	if errors.As(err, &held) {
		w.Header().Set("Retry-After", strconv.Itoa(int(heldWait(held)/time.Second)))
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

// httpError is the status and the message (Vietnamese, English in
// brackets) for an error.
func httpError(err error) (int, string) {
	var se statusError
	switch {
	case errors.As(err, &se):
		return se.status, se.msg
	case errors.Is(err, errAudit):
		return http.StatusServiceUnavailable, "Không ghi được nhật ký truy cập nên chưa thể phục vụ; hãy thử lại sau hoặc báo bộ phận CNTT (cannot write the audit: refused)"
	case errors.Is(err, errNoDocument), errors.Is(err, archive.ErrNotFound), errors.Is(err, objstore.ErrNotExist):
		return http.StatusNotFound, "Không có văn bản này (no such document)"
	case errors.Is(err, archive.ErrNoDossier):
		return http.StatusNotFound, "Không có hồ sơ này (no such dossier)"
	case errors.Is(err, archive.ErrNoCrop):
		return http.StatusNotFound, "Không có ảnh cắt của ô viết tay này: văn bản không có ô đó, hoặc được lưu trữ trước khi có ảnh cắt (no such crop of this document)"
	case errors.Is(err, errUnconfirmed):
		return http.StatusBadRequest, "Hãy ghi cả số và ngày văn bản; nếu chưa đọc được, bấm Esc để bỏ qua văn bản này."
	case errors.Is(err, errReviewNumber):
		return http.StatusBadRequest, "Số và ký hiệu chưa đúng dạng: hãy ghi cả số và ký hiệu, ví dụ 12/TB-UBND hoặc 15/2020/QĐ-UBND."
	case errors.Is(err, errReviewDate):
		return http.StatusBadRequest, "Ngày văn bản chưa đúng (không có ngày này, hoặc không theo ngày/tháng/năm): hãy ghi lại, ví dụ 12/02/2020."
	case errors.Is(err, archive.ErrInvalid):
		return http.StatusBadRequest, "Giá trị không hợp lệ, hãy sửa lại (invalid value): " + strings.TrimPrefix(err.Error(), archive.ErrInvalid.Error()+": ")
	case errors.Is(err, archive.ErrConflict):
		return http.StatusConflict, "Văn bản vừa được người khác sửa; hãy tải lại trang và sửa lại (corrected by someone else meanwhile: reload and retry)"
	case errors.Is(err, archive.ErrHeld):
		var held *archive.HeldError
		if !errors.As(err, &held) {
			held = &archive.HeldError{Wait: time.Minute}
		}
		wait := heldWait(held)
		return http.StatusConflict, fmt.Sprintf("Văn bản đang có một lần sửa khác chưa xong (của %s, từ %s). Nếu lần sửa đó bị dừng giữa chừng (dịch vụ bị tắt đột ngột), "+
			"sohoa sẽ tự hoàn tất hoặc hủy nó trong khoảng %s nữa. Hãy đợi rồi tải lại trang và sửa lại (another correction holds the document: retry in %v)",
			cmp.Or(held.By, "người khác"), held.Since.Local().Format("15:04:05"), pipeline.VietDuration(wait), wait)
	}
	return http.StatusInternalServerError, "Lỗi máy chủ, hãy thử lại hoặc báo bộ phận CNTT (server error): " + err.Error()
}

// heldWait is how long the correction that holds a document may still
// hold it, rounded up to a second.
func heldWait(held *archive.HeldError) time.Duration {
	return max(held.Wait.Truncate(time.Second)+time.Second, time.Second)
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
