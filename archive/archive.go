package archive

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sohoa/sohoa/archive/docmeta"
	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/archive/pdf"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/pipeline"
)

// Version is written into every sidecar and PDF as the software that made it.
var Version = "0.1.0"

// Config of the archive stage: what it stands on, and how it runs. New
// fills the defaults and refuses a Config without Queue, Work, Store or
// Index.
type Config struct {
	// Queue is the pipeline: documents ready, statuses, claims.
	Queue *pipeline.Queue
	// Work is the work bucket the workers leave pages in.
	Work *objstore.Bucket
	// Store is the archive bucket; its Name goes into the events that tell
	// other systems where a document is.
	Store Bucket
	// Index is the search index the archive keeps up to date.
	Index *index.Index
	// Metrics (nil: none) and Log (nil: discarded).
	Metrics *Metrics
	Log     *slog.Logger
	// Workers is how many documents are assembled at once (default 1).
	Workers int
	// DocDeadline bounds the assembling and storing of one document
	// (default 15 minutes). A document past it is given up as though it had
	// killed the process: twice, and it is failed.
	DocDeadline time.Duration
	// Sign, if set, signs every PDF just before it is stored: a
	// document's first version and each correction's (archive/sign's
	// Signer.Sign). It must keep the first element of the trailer's /ID
	// (createFirstPDF knows an earlier try's PDF by it). Nil: PDFs are
	// stored unsigned. Its errors are taken as transient: retried.
	Sign func(ctx context.Context, pdf []byte) ([]byte, error)
}

func (c *Config) ensureDefaults() {
	if c.Workers <= 0 {
		c.Workers = 1
	}
	if c.DocDeadline <= 0 {
		c.DocDeadline = pipeline.DefaultDeadline
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
}

func (c *Config) validate() error {
	switch {
	case c.Queue == nil:
		return errors.New("archive: no queue")
	case c.Work == nil:
		return errors.New("archive: no work bucket")
	case c.Store == nil:
		return errors.New("archive: no archive bucket")
	case c.Index == nil:
		return errors.New("archive: no index")
	}
	return nil
}

// Bucket is what the archive needs of the archive bucket.
type Bucket interface {
	Name() string
	Create(ctx context.Context, key string, data []byte, contentType string) error
	CreateFrom(ctx context.Context, key string, r io.Reader, size int64, sum [sha256.Size]byte, contentType string) error
	Get(ctx context.Context, key string) ([]byte, error)
	Exists(ctx context.Context, key string) (bool, error)
	Delete(ctx context.Context, key string) error
	List(ctx context.Context, prefix string) iter.Seq2[objstore.Info, error]
}

var _ Bucket = (*objstore.Bucket)(nil)

// Archive assembles and commits documents.
type Archive struct {
	cfg     Config
	q       *pipeline.Queue
	work    *objstore.Bucket
	store   Bucket
	bucket  string
	index   *index.Index
	log     *slog.Logger
	metrics *Metrics

	corrections docLocks // one correction of a document at a time
}

// New returns an archive stage on cfg's queue, buckets and index.
func New(cfg Config) (*Archive, error) {
	cfg.ensureDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Archive{
		cfg: cfg, q: cfg.Queue, work: cfg.Work, store: cfg.Store, bucket: cfg.Store.Name(),
		index: cfg.Index, log: cfg.Log, metrics: cfg.Metrics,
	}, nil
}

// Run assembles documents as they become ready, until ctx ends.
func (a *Archive) Run(ctx context.Context) error {
	cons, err := a.q.Consumer(ctx, pipeline.ConsumerConfig{
		Stream: pipeline.StreamDocs, Name: pipeline.ConsumerArchive,
		Filter: "sohoa.docs.>", AckWait: pipeline.AckWaitArchive,
	})
	if err != nil {
		return err
	}
	settled := make(chan struct{})
	sctx, stop := context.WithCancel(ctx)
	go func() { a.settleLoop(sctx); close(settled) }()
	defer func() { stop(); <-settled }()
	return a.q.ConsumeWith(ctx, cons, pipeline.ConsumeConfig{
		Workers: a.cfg.Workers, AckWait: pipeline.AckWaitArchive, Deadline: a.cfg.DocDeadline,
	}, a.handle)
}

func (a *Archive) handle(ctx context.Context, msg jetstream.Msg) error {
	r, err := pipeline.ReadDocReady(msg.Subject(), msg.Data())
	if err != nil {
		return err
	}
	st, err := a.q.Status(ctx, r.Doc)
	if errors.Is(err, pipeline.ErrNoStatus) {
		a.log.Warn("ready message for an unknown document; dropping it", "doc", r.Doc)
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case st.Status == pipeline.StatusArchived:
		// Committed before, but the message came again (a crash before the
		// ack): repeat what follows the commit; all of it is idempotent.
		return a.announce(ctx, st)
	case st.Status == pipeline.StatusFailed || st.Attempt != r.Attempt:
		return nil
	case st.Stack:
		return a.archiveStack(ctx, st)
	}
	rec, err := a.assemble(ctx, st)
	if err != nil {
		return err
	}
	if rec, err = a.commit(ctx, rec); err != nil {
		return err
	}
	st, err = a.q.UpdateStatus(ctx, st.ID, func(s *pipeline.Status) error {
		s.Status, s.Reason = pipeline.StatusArchived, ""
		s.Key, s.DocNumber, s.PDFSHA256 = rec.PDF.Key, rec.DocNumber, rec.PDF.SHA256
		return nil
	})
	if err != nil {
		return err
	}
	a.metrics.observeDoc(rec)
	a.log.Info("archived", "doc", st.ID, "key", rec.PDF.Key, "doc_number", rec.DocNumber, "pages", rec.Pages, "needs_review", rec.NeedsReview)
	return a.announce(ctx, st)
}

// readTexts reads what the workers (or the ingest, for pages with their
// own text) stored of each page of a document.
func (a *Archive) readTexts(ctx context.Context, st pipeline.Status) ([]*pipeline.PageText, error) {
	texts := make([]*pipeline.PageText, st.Pages)
	for i := range texts {
		data, err := a.work.Get(ctx, pipeline.WorkTextKey(st.ID, i+1))
		if err != nil {
			return nil, err
		}
		var t pipeline.PageText
		if err := json.Unmarshal(data, &t); err != nil {
			return nil, pipeline.Permanent(adviceInternal, fmt.Errorf("archive: OCR result of page %d: %w", i+1, err))
		}
		texts[i] = &t
	}
	return texts, nil
}

// assemble builds the PDF and the record of one document.
func (a *Archive) assemble(ctx context.Context, st pipeline.Status) (*Record, error) {
	texts, err := a.readTexts(ctx, st)
	if err != nil {
		return nil, err
	}
	// Blank sheets (the backs of one-sided pages in a duplex run) are left
	// out, and named in the record by their number in the original.
	var blank []int
	kept := texts[:0:0]
	for _, t := range texts {
		if t.Empty {
			blank = append(blank, t.Page)
			continue
		}
		kept = append(kept, t)
	}
	if len(kept) == 0 {
		return nil, pipeline.Permanent(adviceAllEmpty, fmt.Errorf("archive: all %d pages are blank sheets", len(texts)))
	}
	rec, err := a.build(ctx, st, st.ID, kept, blank)
	if err != nil {
		return nil, err
	}
	base := BaseKey(rec.Agency, rec.Date, rec.DocNumber, rec.ID)
	rec.Source.Key, rec.Source.Size = ObjectKey(base, 1, "original."+sourceExt(st.Format)), st.Size
	return rec, nil
}

// build makes the PDF and the record of document id from the pages texts
// of the file st (blank: the pages of it left out as blank sheets). The
// record's Source names the file; where it is stored is the caller's.
func (a *Archive) build(ctx context.Context, st pipeline.Status, id string, texts []*pipeline.PageText, blank []int) (*Record, error) {
	meta := docmeta.ExtractIn(texts, docmeta.Context{Taken: st.Created, Signed: st.Signed})
	now := time.Now().UTC()
	info := pdf.Info{
		Title: meta.Subject, Identifier: meta.DocNumber, Language: "vi",
		Producer: "sohoa " + Version, Created: st.Created,
	}
	pages := make([]pdf.Page, len(texts))
	for i, t := range texts {
		pages[i] = pdf.Page{Format: t.Format, DPIX: t.DPIX, DPIY: t.DPIY, Text: t}
	}
	for i, t := range texts {
		img, err := a.work.Get(ctx, t.Image)
		if err != nil {
			return nil, err
		}
		pages[i].Image = img
		for _, pt := range t.Patches {
			data, err := a.work.Get(ctx, pt.Image)
			if err != nil {
				return nil, err
			}
			pages[i].Patches = append(pages[i].Patches, pdf.Patch{Image: data, Format: pt.Format,
				X: pt.Box.X0, Y: pt.Box.Y0, Width: pt.Box.X1 - pt.Box.X0, Height: pt.Box.Y1 - pt.Box.Y0})
		}
	}
	var buf bytes.Buffer
	if err := pdf.Write(&buf, pages, info); err != nil {
		return nil, pipeline.Permanent(adviceInternal, fmt.Errorf("archive: write PDF: %w", err))
	}
	data, err := a.signed(ctx, buf.Bytes())
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	var text strings.Builder
	engines := map[string]bool{}
	for i, t := range texts {
		if i > 0 {
			text.WriteString("\n\f\n")
		}
		text.WriteString(t.Text())
		engines[t.Engine] = true
	}
	pageInfo := make([]PageInfo, len(texts))
	for i, t := range texts {
		n := 0
		for _, l := range t.Lines {
			n += len(l.Words)
		}
		pageInfo[i] = PageInfo{Width: t.Width, Height: t.Height, DPI: t.DPIX, Rotation: t.Rotation, Skew: t.Skew, Words: n}
	}
	rec := &Record{
		Schema: SchemaVersion, ID: id, Version: 1,
		DocNumber: meta.DocNumber, Number: meta.Number, Symbol: meta.Symbol, Date: meta.Date,
		Type: meta.Type, Agency: meta.Agency, Parent: meta.Parent, Subject: meta.Subject, Place: meta.Place,
		Language: "vi", Pages: len(texts), BlankPages: blank,
		NeedsReview: meta.NeedsReview, Review: meta.Review, Confidence: meta.Confidence,
		Source:   Source{Name: st.SourceName, SHA256: st.SHA256, Format: st.Format},
		PageInfo: pageInfo,
		Text:     text.String(),
		Created:  st.Created,
		Archived: now,
		MadeBy:   MadeBy{Sohoa: Version, OCR: joinKeys(engines)},
	}
	base := BaseKey(meta.Agency, meta.Date, meta.DocNumber, id)
	rec.PDF = Object{Key: ObjectKey(base, 1, "pdf"), SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	for name, src := range meta.Crops {
		if rec.Crops == nil {
			rec.Crops, rec.cropSrc = map[string]Object{}, map[string]string{}
		}
		rec.Crops[name] = Object{Key: ObjectKey(base, 1, "crop-"+name+".png")}
		rec.cropSrc[name] = src
	}
	// Below the intake standard: archived, and reviewed with how to rescan.
	if rs := intakeReasons(texts); len(rs) > 0 {
		rec.NeedsReview, rec.Review = true, append(rec.Review, rs...)
	}
	rec.fillTT02()
	rec.pdf = data
	return rec, nil
}

// signed returns a PDF as it is to be stored: signed with the archive's
// key (Config.Sign), or as it is when no key is configured.
func (a *Archive) signed(ctx context.Context, pdf []byte) ([]byte, error) {
	if a.cfg.Sign == nil {
		return pdf, nil
	}
	out, err := a.cfg.Sign(ctx, pdf)
	if err != nil {
		return nil, fmt.Errorf("archive: sign the PDF: %w", err)
	}
	return out, nil
}

// commit stores the original file, the PDF, then the record — the commit
// point — and indexes the document. Every object is created, never put
// over another (objstore.Bucket.Create): the same bytes already at a key
// are an earlier try's and stand. A record already there means an earlier
// try committed; what came before it in an earlier, interrupted try (no
// record yet) is uncommitted, and is kept when it has the same bytes or
// replaced (createUnnamed) when it has not.
func (a *Archive) commit(ctx context.Context, rec *Record) (*Record, error) {
	side := SidecarKey(rec.PDF.Key)
	stored, err := a.ReadRecord(ctx, side)
	switch {
	case err == nil:
		rec = stored // committed before: that record stands
	case errors.Is(err, objstore.ErrNotExist):
		if !rec.sharedSource {
			if err := a.storeOriginal(ctx, rec, side); err != nil {
				return nil, err
			}
		}
		if err := a.storeCrops(ctx, rec, side); err != nil {
			return nil, err
		}
		if err := a.createFirstPDF(ctx, rec, side); err != nil {
			return nil, err
		}
		if err := a.createRecord(ctx, side, rec); err != nil {
			if !errors.Is(err, objstore.ErrExists) {
				return nil, err
			}
			if rec, err = a.ReadRecord(ctx, side); err != nil { // another archive committed first
				return nil, err
			}
		}
	default:
		return nil, err
	}
	return rec, a.index.Put(rec.IndexDoc())
}

// createFirstPDF creates a document's first PDF. pdfcpu writes the same
// document in another order of objects each time, so the PDF an earlier
// try stored before it was cut short (no record beside it) is other bytes
// of the same document: it is recognised by its permanent file ID (the
// first element of the trailer's /ID, a hash of the pages and metadata:
// pdf.Write) and kept, the record then naming its bytes — nothing is
// deleted, as the archive's put-only credentials require. Anything else
// in the way is handled by createUnnamed.
func (a *Archive) createFirstPDF(ctx context.Context, rec *Record, side string) error {
	err := a.store.Create(ctx, rec.PDF.Key, rec.pdf, "application/pdf")
	if !errors.Is(err, objstore.ErrExists) {
		return err
	}
	if ok, xerr := a.store.Exists(ctx, side); xerr != nil || ok {
		return cmp.Or(xerr, err)
	}
	there, gerr := a.store.Get(ctx, rec.PDF.Key)
	if gerr != nil {
		return gerr
	}
	if id := permanentID(there); id != "" && id == permanentID(rec.pdf) {
		sum := sha256.Sum256(there)
		rec.PDF.SHA256, rec.PDF.Size, rec.pdf = hex.EncodeToString(sum[:]), int64(len(there)), there
		a.log.Info("the PDF an interrupted try stored is this document's, and is kept", "doc", rec.ID, "key", rec.PDF.Key)
		return nil
	}
	return a.createUnnamed(ctx, rec.PDF.Key, side, func() error {
		return a.store.Create(ctx, rec.PDF.Key, rec.pdf, "application/pdf")
	})
}

// trailerID finds the first element of a PDF's file identifier.
var trailerID = regexp.MustCompile(`/ID\s*\[\s*<([0-9A-Fa-f]+)>`)

// permanentID is the first element of the last /ID in data, upper case;
// "" when there is none.
func permanentID(data []byte) string {
	tail := data[max(0, len(data)-4096):]
	all := trailerID.FindAllSubmatch(tail, -1)
	if len(all) == 0 {
		return ""
	}
	return strings.ToUpper(string(all[len(all)-1][1]))
}

// storeOriginal streams the original file from the work bucket into the
// archive, create-only. Its SHA-256, which tells a retry's bytes from
// others, is taken from the work bucket's copy itself (one more read), not
// from the status: what was stored is what is compared.
func (a *Archive) storeOriginal(ctx context.Context, rec *Record, side string) error {
	src := pipeline.WorkSourceKey(rec.ID)
	sum, err := a.hashWork(ctx, src)
	if err != nil {
		return err
	}
	return a.createUnnamed(ctx, rec.Source.Key, side, func() error {
		rc, info, err := a.work.Open(ctx, src)
		if err != nil {
			return err
		}
		defer rc.Close()
		return a.store.CreateFrom(ctx, rec.Source.Key, rc, info.Size, sum, contentTypeOf(rec.Source.Format))
	})
}

// hashWork is the SHA-256 of the object at key in the work bucket.
func (a *Archive) hashWork(ctx context.Context, key string) ([sha256.Size]byte, error) {
	rc, _, err := a.work.Open(ctx, key)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return [sha256.Size]byte{}, fmt.Errorf("archive: read %s: %w", key, err)
	}
	return [sha256.Size]byte(h.Sum(nil)), nil
}

// createUnnamed runs create, a create-only write of key, an object of the
// version whose record is at record. Where other bytes are in the way
// (objstore.ErrExists) and that record does not exist, they are what an
// earlier try of this version left before it was cut short (before
// versions were claimed, or under a claim since settled, or made by an
// older sohoa whose bytes differed): nothing names them, and whoever
// writes this version holds it (the docs consumer's message, or a
// correction's claim), so they are deleted and create runs again. Where
// the archive's credentials may not delete (objstore.ErrDenied: split
// roles, deploy/s3/), the object stays and the document waits for IT: the
// error says what to remove. With a record there, the version was made:
// ErrExists.
func (a *Archive) createUnnamed(ctx context.Context, key, record string, create func() error) error {
	err := create()
	if !errors.Is(err, objstore.ErrExists) {
		return err
	}
	if ok, xerr := a.store.Exists(ctx, record); xerr != nil || ok {
		return cmp.Or(xerr, err)
	}
	a.log.Warn("an object left without its record by a try cut short is replaced", "key", key)
	if derr := a.store.Delete(ctx, key); derr != nil {
		if errors.Is(derr, objstore.ErrDenied) {
			return fmt.Errorf("archive: %s holds other bytes that an earlier, interrupted try left, "+
				"and these credentials may not delete it: remove it with the S3 administrator's credentials "+
				"(no record names it; the document is retried): %w", key, derr)
		}
		return derr
	}
	return create()
}

// contentTypeOf is the MIME type of a source format.
func contentTypeOf(format string) string {
	switch format {
	case "jpeg":
		return "image/jpeg"
	case "png":
		return "image/png"
	case "tiff":
		return "image/tiff"
	case "pdf":
		return "application/pdf"
	}
	return "application/octet-stream"
}

// ReadRecord reads the record stored at key (a sidecar key: SidecarKey).
func (a *Archive) ReadRecord(ctx context.Context, key string) (*Record, error) {
	return readRecord(ctx, a.store, key)
}

func readRecord(ctx context.Context, st Bucket, key string) (*Record, error) {
	data, err := st.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("archive: record %s: %w", key, err)
	}
	return &r, nil
}

// createRecord stores a record where there is none; ErrExists otherwise.
func (a *Archive) createRecord(ctx context.Context, key string, r *Record) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	return a.store.Create(ctx, key, data, "application/json; charset=utf-8")
}

// sourceExt is the file extension of a source format.
func sourceExt(format string) string {
	switch format {
	case "jpeg":
		return "jpg"
	case "tiff":
		return "tif"
	case "":
		return "bin"
	}
	return format
}

// announce publishes the archived event (one per part of a stack) and
// retires the original.
func (a *Archive) announce(ctx context.Context, st pipeline.Status) error {
	if st.Stack {
		if err := a.announceParts(ctx, st); err != nil {
			return err
		}
	} else if err := a.q.PublishArchived(ctx, pipeline.Archived{
		ID: st.ID, DocNumber: st.DocNumber, Key: st.Key, Bucket: a.bucket, SHA256: st.PDFSHA256, Pages: st.Pages,
	}); err != nil {
		return err
	}
	return a.q.PublishRetire(ctx, st.Ingest, pipeline.Retire{
		Doc: st.ID, Attempt: st.Attempt, Outcome: pipeline.OutcomeArchived, Key: st.Key,
	})
}

const adviceAllEmpty = "Không lưu trữ: mọi trang của tệp này đều là trang trắng (không có chữ, gần như không có mực).\n" +
	"Cách xử lý: hãy xem lại văn bản giấy đã được đặt đúng mặt vào máy quét chưa, quét lại rồi thả lại vào thư mục inbox."

const adviceInternal = "Lỗi nội bộ khi lập bản lưu trữ của văn bản này. Tệp gốc không bị mất.\n" +
	"Cách xử lý: hãy báo cho bộ phận CNTT, gửi kèm tệp này."

func joinKeys(m map[string]bool) string {
	var s []string
	for k := range m {
		if k != "" {
			s = append(s, k)
		}
	}
	return strings.Join(s, ", ")
}
