package ocr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"iter"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/ocr/digits"
	"github.com/sohoa/sohoa/ocr/tesseract"
	"github.com/sohoa/sohoa/pipeline"
)

// Config of a worker process.
type Config struct {
	// Workers is how many pages are read at once, each by its own engine
	// (default 1). One per core is right for a machine that only does OCR.
	Workers int
	// Languages for Tesseract (default vie).
	Languages []string
	// Name identifies this worker in logs (default: host name and pid).
	Name string
	// PageDeadline bounds the handling of one page (default 15 minutes, far
	// beyond what a page takes). A page past it is given up as though it
	// had killed the process: twice, and its document is failed.
	PageDeadline time.Duration
}

func (c *Config) ensureDefaults() {
	if c.Workers <= 0 {
		c.Workers = 1
	}
	if len(c.Languages) == 0 {
		c.Languages = []string{"vie"}
	}
	if c.PageDeadline <= 0 {
		c.PageDeadline = pipeline.DefaultDeadline
	}
}

// blobStore is what a worker needs of the work bucket.
type blobStore interface {
	Get(ctx context.Context, key string) ([]byte, error)
	Put(ctx context.Context, key string, data []byte, contentType string) error
	Exists(ctx context.Context, key string) (bool, error)
	List(ctx context.Context, prefix string) iter.Seq2[objstore.Info, error]
}

var _ blobStore = (*objstore.Bucket)(nil)

// recognizer is one OCR engine; tesseract.Engine is the real one.
type recognizer interface {
	Recognize(img []byte, dpi int) (*tesseract.Page, error)
	Line(img []byte, dpi int) (string, float64, error)
	Name() string
	Close() error
}

// slot is what one page in flight needs: an OCR engine, and an orientation
// detector started on first need (most pages never need it).
type slot struct {
	rec recognizer
	osd *tesseract.OSD
	err error // why the detector could not start, once
}

// Detect runs Tesseract's OSD, starting it if needed.
func (s *slot) Detect(img *image.Gray, dpi int) (int, float64, error) {
	if s.osd == nil && s.err == nil {
		s.osd, s.err = tesseract.NewOSD("")
	}
	if s.err != nil {
		return 0, 0, s.err
	}
	return s.osd.Detect(img, dpi)
}

func (s *slot) close() {
	s.rec.Close()
	if s.osd != nil {
		s.osd.Close()
	}
}

// Worker reads pages from the queue.
type Worker struct {
	cfg     Config
	q       *pipeline.Queue
	work    blobStore
	log     *slog.Logger
	metrics *Metrics
	slots   chan *slot
}

// New returns a worker; its engines are started by Run.
func New(cfg Config, q *pipeline.Queue, work blobStore, m *Metrics, log *slog.Logger) *Worker {
	cfg.ensureDefaults()
	if cfg.Name != "" {
		log = log.With("worker", cfg.Name)
	}
	return &Worker{cfg: cfg, q: q, work: work, log: log, metrics: m}
}

// Run starts the engines and reads pages until ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	w.slots = make(chan *slot, w.cfg.Workers)
	defer func() {
		close(w.slots)
		for s := range w.slots {
			s.close()
		}
	}()
	for i := range w.cfg.Workers {
		e, err := tesseract.New(tesseract.Config{Languages: w.cfg.Languages})
		if err != nil {
			return fmt.Errorf("ocr: %w", err)
		}
		s := &slot{rec: e}
		w.slots <- s
		if i == 0 {
			// Without orientation detection a page scanned sideways or
			// upside down, whose own text does not settle it, would be
			// read as it lies: refuse to start rather than do that
			// silently. The first slot keeps the detector it started.
			if s.osd, err = tesseract.NewOSD(""); err != nil {
				return fmt.Errorf("ocr: orientation detection cannot start: %w", err)
			}
		}
	}
	cons, err := w.q.Consumer(ctx, pipeline.ConsumerConfig{
		Stream: pipeline.StreamPages, Name: pipeline.ConsumerOCR,
		Filter: "sohoa.pages.>", AckWait: pipeline.AckWaitOCR,
	})
	if err != nil {
		return err
	}
	w.log.Info("worker ready", "engines", w.cfg.Workers)
	// More pages in hand than engines: while one page's results are being
	// stored and acknowledged (disk and network), another is already read.
	return w.q.ConsumeWith(ctx, cons, pipeline.ConsumeConfig{
		Workers: w.cfg.Workers + prefetch, AckWait: pipeline.AckWaitOCR, Deadline: w.cfg.PageDeadline,
	}, w.handle)
}

func (w *Worker) handle(ctx context.Context, msg jetstream.Msg) error {
	t, err := pipeline.ReadPageTask(msg.Subject(), msg.Data())
	if err != nil {
		return err
	}
	log := w.log.With("doc", t.Doc, "page", t.Page)
	st, err := w.q.Status(ctx, t.Doc)
	if errors.Is(err, pipeline.ErrNoStatus) {
		log.Warn("page of an unknown document; dropping it")
		return nil
	}
	if err != nil {
		return err
	}
	if st.Attempt != t.Attempt || st.Status == pipeline.StatusFailed || st.Status == pipeline.StatusArchived {
		log.Debug("page of a finished or older attempt; skipping", "status", st.Status)
		return nil
	}

	textKey := pipeline.WorkTextKey(t.Doc, t.Page)
	done, err := w.work.Exists(ctx, textKey)
	if err != nil {
		return err
	}
	if !done {
		if err := w.read(ctx, t, textKey, log); err != nil {
			return err
		}
	}
	return w.signalIfComplete(ctx, t)
}

// ReadPage is what every page goes through: Prepare, then rec reads the
// black and white copy, and the lines it finds are mapped onto the
// corrected page (Prepared.Width × Height), where the archive places them.
func ReadPage(data []byte, format string, dpi float64, osd orienter, rec interface {
	Recognize(img []byte, dpi int) (*tesseract.Page, error)
}) (*Prepared, []pipeline.Line, error) {
	prep, err := Prepare(data, format, dpi, osd)
	if err != nil {
		return nil, nil, err
	}
	page, err := rec.Recognize(prep.ForOCR, int(math.Round(prep.OCRDPI)))
	if err != nil {
		return nil, nil, err
	}
	scaleLines(page.Lines, float64(prep.Width)/float64(prep.OCRWidth), float64(prep.Height)/float64(prep.OCRHeight))
	return prep, page.Lines, nil
}

// scaleLines maps OCR geometry read on a scaled page (kx, ky: full size
// over scaled size) onto the full page: boxes, baselines and sizes.
func scaleLines(lines []pipeline.Line, kx, ky float64) {
	if kx == 1 && ky == 1 {
		return
	}
	box := func(b *pipeline.Box) {
		b.X0, b.X1 = int(math.Round(float64(b.X0)*kx)), int(math.Round(float64(b.X1)*kx))
		b.Y0, b.Y1 = int(math.Round(float64(b.Y0)*ky)), int(math.Round(float64(b.Y1)*ky))
	}
	for i := range lines {
		l := &lines[i]
		box(&l.Box)
		l.BaseOffset *= ky
		l.BaseSlope *= ky / kx
		l.Size *= ky
		for j := range l.Words {
			box(&l.Words[j].Box)
		}
	}
}

// read runs OCR on one page and stores the result.
func (w *Worker) read(ctx context.Context, t pipeline.PageTask, textKey string, log *slog.Logger) error {
	if st, err := w.q.UpdateStatus(ctx, t.Doc, func(s *pipeline.Status) error {
		if s.Status == pipeline.StatusQueued {
			s.Status = pipeline.StatusProcessing
		}
		return nil
	}); err != nil {
		return err
	} else if st.Status != pipeline.StatusProcessing {
		return nil // failed or archived meanwhile
	}
	img, err := w.work.Get(ctx, t.Blob)
	if errors.Is(err, objstore.ErrNotExist) {
		log.Info("page image gone; the document was retired meanwhile")
		return nil
	}
	if err != nil {
		return err
	}
	start := time.Now()
	dpi := t.DPIX
	if dpi <= 0 {
		dpi = defaultDPI
	}
	s := <-w.slots
	prep, lines, err := ReadPage(img, t.Format, dpi, s, s.rec)
	var blanks []Blank
	if err == nil && (t.Page <= HeaderPages || t.Stack) {
		blanks = ReadBlanks(prep, lines, digits.Default(), s.rec, dpi)
	}
	name := s.rec.Name()
	w.slots <- s
	if err != nil {
		return pipeline.Permanent(advicePage(t.Page), fmt.Errorf("ocr: page %d: %w", t.Page, err))
	}
	res := pipeline.PageText{
		Doc: t.Doc, Page: t.Page, Image: t.Blob, Format: t.Format,
		Width: prep.Width, Height: prep.Height, DPIX: t.DPIX, DPIY: t.DPIY,
		Rotation: prep.Rotation, Skew: prep.Skew, Lines: lines, Engine: name,
		Ink: prep.Ink, Empty: EmptyPage(prep.Ink, lines), Separator: prep.Separator,
	}
	if prep.Fixed != nil {
		res.Image = pipeline.WorkImageKey(t.Doc, t.Page, prep.FixedFormat)
		res.Format = prep.FixedFormat
		if err := w.work.Put(ctx, res.Image, prep.Fixed, "image/"+prep.FixedFormat); err != nil {
			return err
		}
	}
	for i, pt := range prep.Patches {
		key := pipeline.WorkPatchKey(t.Doc, t.Page, i+1)
		if err := w.work.Put(ctx, key, pt.Data, "image/jpeg"); err != nil {
			return err
		}
		r := pt.Rect
		res.Patches = append(res.Patches, pipeline.Patch{Image: key, Format: "jpeg",
			Box: pipeline.Box{X0: r.Min.X, Y0: r.Min.Y, X1: r.Max.X, Y1: r.Max.Y}})
	}
	for i, b := range blanks {
		if b.Crop != nil {
			b.Blank.Crop = pipeline.WorkBlankKey(t.Doc, t.Page, i+1)
			if err := w.work.Put(ctx, b.Blank.Crop, b.Crop, "image/png"); err != nil {
				return err
			}
		}
		res.Blanks = append(res.Blanks, b.Blank)
	}
	if res.DPIX <= 0 || res.DPIY <= 0 {
		res.DPIX, res.DPIY, res.DPIAssumed = defaultDPI, defaultDPI, true
	}
	data, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("ocr: %w", err)
	}
	if err := w.work.Put(ctx, textKey, data, "application/json"); err != nil {
		return err
	}
	took := time.Since(start)
	w.metrics.observePage(took)
	log.Info("page read", "lines", len(res.Lines), "ms", took.Milliseconds(), "empty", res.Empty,
		"rotation", res.Rotation, "skew", math.Round(res.Skew*100)/100, "orientation_confidence", math.Round(prep.OrientationConfidence*100)/100)
	return nil
}

// signalIfComplete publishes DocReady once every page of the document has
// its result. Several workers may see the document complete at once; the
// stream keeps one of their messages.
func (w *Worker) signalIfComplete(ctx context.Context, t pipeline.PageTask) error {
	n := 0
	for o, err := range w.work.List(ctx, pipeline.WorkPrefix(t.Doc)) {
		if err != nil {
			return err
		}
		if strings.HasSuffix(o.Key, ".ocr.json") {
			n++
		}
	}
	if n < t.Pages {
		return nil
	}
	return w.q.PublishDocReady(ctx, pipeline.DocReady{Doc: t.Doc, Attempt: t.Attempt, Pages: t.Pages})
}

// prefetch is how many pages a worker holds beyond its engines: a page
// waiting for an engine must not wait long, as its ack deadline runs (its
// handler extends it), so one is enough to cover the storing of the last.
const prefetch = 1

// defaultDPI is assumed for images that do not say: office scanners default to it.
const defaultDPI = 300

func advicePage(n int) string {
	return fmt.Sprintf("Không đọc được ảnh của trang %d: tệp bị hỏng hoặc ảnh không giải mã được.\n"+
		"Cách xử lý: hãy quét lại văn bản (hoặc chép lại tệp từ máy quét), rồi thả lại vào thư mục inbox.", n)
}
