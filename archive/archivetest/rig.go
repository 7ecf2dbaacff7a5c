// Package archivetest runs the archive stage on real components for tests
// of it and of what stands on it (the web interface): an embedded NATS
// server with JetStream, a versitygw S3 process, a Bleve index. Documents
// enter it as the OCR workers leave them, so that the archive assembles,
// stores and indexes them exactly as in production.
package archivetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/objstore/s3test"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/pipeline/queuetest"
)

// Two documents' first lines, for Page: ChiThi's header reads with
// certainty; ThongBao's number and day were left blank for ink, so it
// waits in the review queue.
var (
	ChiThi = []string{
		"ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc",
		"Số: 07/CT-UBND Quảng Ngãi, ngày 20 tháng 3 năm 2018",
		"CHỈ THỊ",
		"Về tăng cường công tác thi hành án hành chính",
		"Trong thời gian qua công tác thi hành án hành chính đã đạt kết quả tích cực.",
	}
	ThongBao = []string{
		"ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"HUYỆN VÂN CANH Độc lập - Tự do - Hạnh phúc",
		"Số: /TB-UBND Vân Canh, ngày tháng 02 năm 2020",
		"THÔNG BÁO",
		"Về lịch tiếp công dân của Chủ tịch",
		"Chủ tịch Ủy ban nhân dân huyện tiếp công dân định kỳ vào thứ Năm hằng tuần.",
	}
)

// Two headers whose number and day were written by hand, for
// PageWithBlanks: the handwriting reader read 12 and 12, 45 and 08, but
// is not sure of them.
var (
	ThongBaoInk = []string{
		"ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"HUYỆN VÂN CANH Độc lập - Tự do - Hạnh phúc",
		"Số: 12/TB-UBND Vân Canh, ngày 12 tháng 02 năm 2020",
		"THÔNG BÁO",
		"Về lịch tiếp công dân của Chủ tịch",
		"Chủ tịch Ủy ban nhân dân huyện tiếp công dân định kỳ vào thứ Năm hằng tuần.",
	}
	QuyetDinhInk = []string{
		"ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"XÃ ĐỨC PHONG Độc lập - Tự do - Hạnh phúc",
		"Số: 45/QĐ-UBND Đức Phong, ngày 08 tháng 5 năm 2021",
		"QUYẾT ĐỊNH",
		"Về việc công nhận tổ hòa giải ở cơ sở",
		"Chủ tịch Ủy ban nhân dân xã quyết định công nhận tổ hòa giải thôn Tân Phong.",
	}
)

// Rig is a running archive stage. Everything stops when the test ends.
type Rig struct {
	Archive     *archive.Archive
	Queue       *pipeline.Queue
	Work, Store *objstore.Bucket
	Index       *index.Index
	S3          s3test.Server // the server both buckets are on
}

// New starts a rig; configure, if given, changes the archive's Config
// before it starts (e.g. sets Sign).
func New(t testing.TB, configure ...func(*archive.Config)) *Rig {
	t.Helper()
	s3 := s3test.VersityGW(t)
	return start(t, s3, s3, configure...)
}

// NewLeastPrivilege starts a rig whose archive holds only the S3 account
// deploy/s3 gives the archive role (read the work bucket, read and create
// in the archive bucket, delete nothing); the rig's Work and Store, with
// which the test stages pages and looks, are the root account's.
func NewLeastPrivilege(t testing.TB) *Rig {
	t.Helper()
	s3 := s3test.VersityGWShipped(t)
	return start(t, s3.Server, s3.Roles["archive"])
}

func start(t testing.TB, s3, role s3test.Server, configure ...func(*archive.Config)) *Rig {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	q := queuetest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	open := func(s s3test.Server, name string) *objstore.Bucket {
		b, err := objstore.Open(ctx, s.Config(name))
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		return b
	}
	work, store := open(s3, "sohoa-work"), open(s3, "sohoa-archive")
	roleWork, roleStore := work, store
	if role != s3 {
		roleWork, roleStore = open(role, "sohoa-work"), open(role, "sohoa-archive")
	}
	ix, err := index.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	cfg := archive.Config{Queue: q, Work: roleWork, Store: roleStore, Index: ix, Log: log}
	for _, c := range configure {
		c(&cfg)
	}
	ar, err := archive.New(cfg)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	r := &Rig{Archive: ar, Queue: q, Work: work, Store: store, Index: ix, S3: s3}
	done := make(chan error)
	go func() { done <- r.Archive.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; ix.Close() })
	return r
}

// Page hands the archive a one-page document as the workers leave it: a
// blank A4 page image at 200 dpi (the intake standard's least) and its OCR, one line of words per line
// given, every character read with confidence 99.
func (r *Rig) Page(t testing.TB, id string, lines ...string) {
	t.Helper()
	r.page(t, id, lines, nil)
	r.Ready(t, id)
}

// Stage leaves a document as Page does, but does not yet tell the archive
// it is ready: the test may first take something away (the S3 server).
func (r *Rig) Stage(t testing.TB, id string, lines ...string) {
	t.Helper()
	r.page(t, id, lines, nil)
}

// Ready tells the archive that a staged document's pages are all read.
func (r *Rig) Ready(t testing.TB, id string) {
	t.Helper()
	if err := r.Queue.PublishDocReady(context.Background(), pipeline.DocReady{Doc: id, Attempt: 1, Pages: 1}); err != nil {
		t.Fatal(err)
	}
}

// PageWithBlanks is Page for a header whose blanks were filled in by hand
// and read by a handwriting reader that is not sure. crops maps a blank
// (pipeline.BlankNumber, BlankDay, BlankMonth) to the PNG a worker cut out
// of it (see Crop). The word in that blank — the number before "/" after
// "Số:", the word after "ngày", after "tháng" — has its digits read with
// confidence 45, so that docmeta takes them as a guess that needs review;
// the page carries a pipeline.Blank for each, over those digits, whose Crop
// is the work-bucket key the PNG is put at (pipeline.WorkBlankKey).
func (r *Rig) PageWithBlanks(t testing.TB, id string, lines []string, crops map[string][]byte) {
	t.Helper()
	r.page(t, id, lines, crops)
	r.Ready(t, id)
}

// blankAfter is the word that follows each blank's printed cue.
var blankAfter = map[string]string{
	pipeline.BlankNumber: "Số:",
	pipeline.BlankDay:    "ngày",
	pipeline.BlankMonth:  "tháng",
}

// inkConf is the confidence of digits written by hand, for PageWithBlanks.
const inkConf = 45

// PagesWithEmpty hands the archive a document of len(empty) pages as
// Page does, the lines given on each page but those a worker found to be
// blank sheets (empty[i]: no lines, PageText.Empty set).
func (r *Rig) PagesWithEmpty(t testing.TB, id string, empty []bool, lines ...string) {
	t.Helper()
	pages := make([][]string, len(empty))
	for i, e := range empty {
		if !e {
			pages[i] = lines
		}
	}
	r.Pages(t, id, pages...)
}

// Pages hands the archive a document of len(pages) pages as Page does,
// each page with its own lines; a page given no lines is a blank sheet,
// as a worker finds one (PageText.Empty).
func (r *Rig) Pages(t testing.TB, id string, pages ...[]string) {
	t.Helper()
	ctx := context.Background()
	base := r.page(t, id, nil, nil)
	for i, lines := range pages {
		pt := base
		pt.Page, pt.Lines, pt.Empty = i+1, ocrLines(lines), len(lines) == 0
		data, err := json.Marshal(pt)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Work.Put(ctx, pipeline.WorkTextKey(id, i+1), data, "application/json"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Queue.UpdateStatus(ctx, id, func(s *pipeline.Status) error { s.Pages = len(pages); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := r.Queue.PublishDocReady(ctx, pipeline.DocReady{Doc: id, Attempt: 1, Pages: len(pages)}); err != nil {
		t.Fatal(err)
	}
}

// ocrLines is the OCR of lines on a page: a line of words per line,
// from the top, every character read with confidence 99.
func ocrLines(lines []string) []pipeline.Line {
	var out []pipeline.Line
	for i, l := range lines {
		y := 100 + 40*i
		line := pipeline.Line{Box: pipeline.Box{X0: 100, Y0: y, X1: 1100, Y1: y + 30}, Para: 1}
		x := 100
		for _, w := range strings.Fields(l) {
			n := len([]rune(w))
			conf := make([]float64, n)
			for k := range conf {
				conf[k] = 99
			}
			line.Words = append(line.Words, pipeline.Word{Text: w, Box: pipeline.Box{X0: x, Y0: y, X1: x + 20*n, Y1: y + 30}, Conf: 96, CharConf: conf})
			x += 20*n + 15
		}
		out = append(out, line)
	}
	return out
}

// page writes a one-page document's page and status, and returns the page.
func (r *Rig) page(t testing.TB, id string, lines []string, crops map[string][]byte) pipeline.PageText {
	t.Helper()
	ctx := context.Background()
	img := image.NewGray(image.Rect(0, 0, 1654, 2339))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	imgKey := pipeline.WorkPageKey(id, 1, "png")
	if err := r.Work.Put(ctx, imgKey, b.Bytes(), "image/png"); err != nil {
		t.Fatal(err)
	}
	if err := r.Work.Put(ctx, pipeline.WorkSourceKey(id), b.Bytes(), "image/png"); err != nil {
		t.Fatal(err)
	}
	pt := pipeline.PageText{Doc: id, Page: 1, Image: imgKey, Format: "png", Width: 1654, Height: 2339, DPIX: 200, DPIY: 200}
	pt.Lines = ocrLines(lines)
	for _, field := range []string{pipeline.BlankNumber, pipeline.BlankDay, pipeline.BlankMonth} {
		crop, ok := crops[field]
		if !ok {
			continue
		}
		blank, ok := inked(&pt, field)
		if !ok {
			t.Fatalf("archivetest: no %s blank in the lines of %s (no digits after %q)", field, id, blankAfter[field])
		}
		blank.Crop = pipeline.WorkBlankKey(id, 1, len(pt.Blanks))
		if err := r.Work.Put(ctx, blank.Crop, crop, "image/png"); err != nil {
			t.Fatal(err)
		}
		pt.Blanks = append(pt.Blanks, blank)
	}
	data, err := json.Marshal(pt)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Work.Put(ctx, pipeline.WorkTextKey(id, 1), data, "application/json"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Queue.CreateStatus(ctx, pipeline.Status{ID: id, SourceName: id + ".png", Format: "png", Pages: 1, Status: pipeline.StatusProcessing, Attempt: 1, Ingest: "test"}); err != nil {
		t.Fatal(err)
	}
	return pt
}

// inked finds the digits of field's blank on pt (the leading digits of the
// word after its cue), lowers their confidence as handwriting's, and
// returns the blank over them as the handwriting reader reads it.
func inked(pt *pipeline.PageText, field string) (pipeline.Blank, bool) {
	for _, l := range pt.Lines {
		for i := 1; i < len(l.Words); i++ {
			if l.Words[i-1].Text != blankAfter[field] {
				continue
			}
			w := &l.Words[i]
			digits := w.Text
			if k := strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' }); k >= 0 {
				digits = digits[:k]
			}
			if digits == "" {
				return pipeline.Blank{}, false
			}
			probs := make([]float64, len(digits))
			for k := range digits {
				w.CharConf[k] = inkConf
				probs[k] = inkConf / 100.0
			}
			w.Conf = 60
			box := w.Box
			box.X1 = box.X0 + 20*len(digits)
			return pipeline.Blank{Field: field, Box: box, Digits: digits, Probs: probs}, true
		}
	}
	return pipeline.Blank{}, false
}

// Crop is a PNG such as a worker cuts out of a header's blank: digits
// written in blue ink on the dotted line of the form, for tests of the
// review (drawn in a plain bitmap font, scaled up as a 300 dpi scan
// would show them).
func Crop(digits string) []byte {
	const scale = 4
	face := basicfont.Face7x13
	w, h := 7*len(digits)+12, 19
	small := image.NewRGBA(image.Rect(0, 0, w, h))
	paper := color.RGBA{0xf8, 0xf5, 0xec, 0xff}
	draw.Draw(small, small.Bounds(), image.NewUniform(paper), image.Point{}, draw.Src)
	for x := 1; x < w-1; x += 2 {
		small.Set(x, h-3, color.RGBA{0x8a, 0x8a, 0x8a, 0xff})
	}
	d := font.Drawer{Dst: small, Src: image.NewUniform(color.RGBA{0x1f, 0x3f, 0x9f, 0xff}), Face: face, Dot: fixed.P(6, h-5)}
	d.DrawString(digits)
	big := image.NewRGBA(image.Rect(0, 0, w*scale, h*scale))
	for y := range h * scale {
		for x := range w * scale {
			big.Set(x, y, small.At(x/scale, y/scale))
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, big); err != nil {
		panic(err) // encoding an in-memory image does not fail
	}
	return b.Bytes()
}

// WaitArchived waits (up to 30 s) until document id is archived.
func (r *Rig) WaitArchived(t testing.TB, id string) pipeline.Status {
	t.Helper()
	var st pipeline.Status
	poll.Until(t, 30*time.Second, func() error {
		var err error
		st, err = r.Queue.Status(context.Background(), id)
		if err == nil && st.Status != pipeline.StatusArchived {
			err = fmt.Errorf("%s not archived: %+v", id, st)
		}
		return err
	})
	return st
}
