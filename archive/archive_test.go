package archive

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/objstore/s3test"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/pipeline/natsd"
)

func TestMain(m *testing.M) {
	api.DisableConfigDir()
	m.Run()
}

// rig is an archive stage on real components: an embedded NATS server, a
// versitygw S3 process, a Bleve index.
type rig struct {
	a           *Archive
	q           *pipeline.Queue
	work, store *objstore.Bucket
	ix          *index.Index
}

func newRig(t *testing.T) *rig {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	ns, err := natsd.Start(natsd.Config{StoreDir: t.TempDir()}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	nc, err := ns.Connect("test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	ctx, cancel := context.WithCancel(context.Background())
	q, err := pipeline.Open(ctx, nc, pipeline.Config{}, log)
	if err != nil {
		t.Fatal(err)
	}
	s3 := s3test.VersityGW(t)
	work, err := objstore.Open(ctx, s3.Config("sohoa-work"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := objstore.Open(ctx, s3.Config("sohoa-archive"))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{a: New(Config{}, q, work, store, store.Name(), ix, nil, log), q: q, work: work, store: store, ix: ix}
	done := make(chan error)
	go func() { done <- r.a.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; ix.Close() })
	return r
}

// page is a one-page document as the workers leave it: image, OCR result.
func (r *rig) page(t *testing.T, id string, lines ...string) {
	t.Helper()
	ctx := context.Background()
	img := image.NewGray(image.Rect(0, 0, 1240, 1754)) // A4 at 150 dpi
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	imgKey := pipeline.WorkPageKey(id, 1, "png")
	if err := r.work.Put(ctx, imgKey, b.Bytes(), "image/png"); err != nil {
		t.Fatal(err)
	}
	if err := r.work.Put(ctx, pipeline.WorkSourceKey(id), b.Bytes(), "image/png"); err != nil {
		t.Fatal(err)
	}
	pt := pipeline.PageText{Doc: id, Page: 1, Image: imgKey, Format: "png", Width: 1240, Height: 1754, DPIX: 150, DPIY: 150}
	for i, l := range lines {
		y := 100 + 40*i
		line := pipeline.Line{Box: pipeline.Box{X0: 100, Y0: y, X1: 1100, Y1: y + 30}, Para: 1}
		x := 100
		for _, w := range strings.Fields(l) {
			conf := make([]float64, len([]rune(w)))
			for k := range conf {
				conf[k] = 99
			}
			line.Words = append(line.Words, pipeline.Word{Text: w, Box: pipeline.Box{X0: x, Y0: y, X1: x + 20*len([]rune(w)), Y1: y + 30}, Conf: 96, CharConf: conf})
			x += 20*len([]rune(w)) + 15
		}
		pt.Lines = append(pt.Lines, line)
	}
	data, _ := json.Marshal(pt)
	if err := r.work.Put(ctx, pipeline.WorkTextKey(id, 1), data, "application/json"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.q.CreateStatus(ctx, pipeline.Status{ID: id, SourceName: id + ".png", Format: "png", Pages: 1, Status: pipeline.StatusProcessing, Attempt: 1, Ingest: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := r.q.PublishDocReady(ctx, pipeline.DocReady{Doc: id, Attempt: 1, Pages: 1}); err != nil {
		t.Fatal(err)
	}
}

func (r *rig) waitArchived(t *testing.T, id string) pipeline.Status {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := r.q.Status(context.Background(), id)
		if err == nil && st.Status == pipeline.StatusArchived {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not archived: %+v %v", id, st, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var header = []string{
	"ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
	"TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc",
	"Số: 07/CT-UBND Quảng Ngãi, ngày 20 tháng 3 năm 2018",
	"CHỈ THỊ",
	"Về tăng cường công tác thi hành án hành chính",
	"Trong thời gian qua công tác thi hành án hành chính đã đạt kết quả tích cực.",
}

func TestArchiveCorrectReindex(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.page(t, "doc1", header...)
	st := r.waitArchived(t, "doc1")

	// Committed: PDF, record, and the original beside them.
	side := SidecarKey(st.Key)
	v1, err := r.a.readRecord(ctx, side)
	if err != nil {
		t.Fatal(err)
	}
	if v1.Version != 1 || v1.ID != "doc1" || v1.Source.Key == "" || v1.TT02.MaDinhDanhVanBan != "sohoa:doc1" {
		t.Errorf("record v1 = %+v", v1)
	}
	if ok, _ := r.store.Exists(ctx, v1.Source.Key); !ok {
		t.Errorf("original not kept at %s", v1.Source.Key)
	}
	if !strings.HasPrefix(st.Key, "ubnd-tinh-quang-ngai/2018/07-CT-UBND/doc1") {
		t.Errorf("key %q, want it from agency, year and number", st.Key)
	}

	// A correction: a new version under the corrected identity, nothing
	// overwritten.
	num, date, by := "08/CT-UBND", "2018-03-21", "Nguyễn Văn An"
	if _, err := r.a.Correct(ctx, "doc1", Correction{DocNumber: &num, Date: &date}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a correction without its author: %v", err)
	}
	bad := "2018-13-40"
	if _, err := r.a.Correct(ctx, "doc1", Correction{Date: &bad, By: by}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a bad date: %v", err)
	}
	if _, err := r.a.Correct(ctx, "nope", Correction{DocNumber: &num, By: by}); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unknown document: %v", err)
	}
	v2, err := r.a.Correct(ctx, "doc1", Correction{DocNumber: &num, Date: &date, By: by, Note: "số viết tay"})
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 || v2.DocNumber != "08/CT-UBND" || v2.Date != date || v2.NeedsReview || v2.Previous != side {
		t.Errorf("record v2 = %+v", v2)
	}
	if !strings.HasPrefix(v2.PDF.Key, "ubnd-tinh-quang-ngai/2018/08-CT-UBND/doc1.v2") || len(v2.Corrections) != 2 || v2.Corrections[0].By != by {
		t.Errorf("v2 key %q, corrections %+v", v2.PDF.Key, v2.Corrections)
	}
	if still, err := r.a.readRecord(ctx, side); err != nil || still.Version != 1 || still.DocNumber != v1.DocNumber {
		t.Errorf("version 1 changed: %+v %v", still, err)
	}
	pdf2, err := r.store.Get(ctx, v2.PDF.Key)
	if err != nil || !bytes.Contains(pdf2, []byte("08/CT-UBND")) {
		t.Errorf("the new PDF does not carry the corrected number: %v", err)
	}
	if d, ok, _ := r.ix.Get("doc1"); !ok || d.DocNumber != num || d.Key != v2.PDF.Key {
		t.Errorf("index after correction: %+v", d)
	}
	if st, _ := r.q.Status(ctx, "doc1"); st.Key != v2.PDF.Key {
		t.Errorf("status key %q after correction", st.Key)
	}

	// The index is derived: rebuilt from the bucket alone, it holds the
	// latest version.
	fresh, err := index.Open(filepath.Join(t.TempDir(), "fresh"))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	n, err := Reindex(ctx, r.store, fresh, slog.New(slog.DiscardHandler))
	if err != nil || n != 1 {
		t.Fatalf("reindex: %d, %v", n, err)
	}
	d, ok, err := fresh.Get("doc1")
	if err != nil || !ok || d.DocNumber != num || d.Key != v2.PDF.Key {
		t.Errorf("rebuilt index: %+v %v %v", d, ok, err)
	}
}

func TestKeys(t *testing.T) {
	tests := []struct {
		agency, date, number, want string
	}{
		{"ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "2018-03-20", "07/CT-UBND", "ubnd-tinh-quang-ngai/2018/07-CT-UBND/x"},
		{"ỦY BAN NHÂN DÂN HUYỆN VÂN CANH", "2020-02-10", "15/2020/QĐ-UBND", "ubnd-huyen-van-canh/2020/15-2020-QD-UBND/x"},
		{"", "", "", "khong-ro-co-quan/khong-ro-nam/chua-so/x"},
		{"HỘI ĐỒNG NHÂN DÂN XÃ ĐỨC PHONG", "2021", "123-QĐ/HU", "hdnd-xa-duc-phong/2021/123-QD-HU/x"},
	}
	for _, tt := range tests {
		if got := BaseKey(tt.agency, tt.date, tt.number, "x"); got != tt.want {
			t.Errorf("BaseKey(%q, %q, %q) = %q, want %q", tt.agency, tt.date, tt.number, got, tt.want)
		}
	}
	if ObjectKey("a/b", 1, "pdf") != "a/b.pdf" || ObjectKey("a/b", 3, "json") != "a/b.v3.json" {
		t.Errorf("ObjectKey")
	}
}
