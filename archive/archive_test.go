package archive_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/archivetest"
	"github.com/sohoa/sohoa/archive/docmeta"
	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/pipeline"
)

func TestMain(m *testing.M) {
	api.DisableConfigDir()
	m.Run()
}

func TestArchiveCorrectReindex(t *testing.T) {
	r := archivetest.New(t)
	ctx := context.Background()
	r.Page(t, "doc1", archivetest.ChiThi...)
	st := r.WaitArchived(t, "doc1")

	// Committed: PDF, record, and the original beside them.
	side := archive.SidecarKey(st.Key)
	v1, err := r.Archive.ReadRecord(ctx, side)
	if err != nil {
		t.Fatal(err)
	}
	if v1.Version != 1 || v1.ID != "doc1" || v1.Source.Key == "" || v1.TT02.MaDinhDanhVanBan != "sohoa:doc1" {
		t.Errorf("record v1 = %+v", v1)
	}
	if ok, _ := r.Store.Exists(ctx, v1.Source.Key); !ok {
		t.Errorf("original not kept at %s", v1.Source.Key)
	}
	if !strings.HasPrefix(st.Key, "ubnd-tinh-quang-ngai/2018/07-CT-UBND/doc1") {
		t.Errorf("key %q, want it from agency, year and number", st.Key)
	}

	// A correction: a new version under the corrected identity, nothing
	// overwritten.
	num, date, by := "08/CT-UBND", "2018-03-21", "Nguyễn Văn An"
	if _, err := r.Archive.Correct(ctx, "doc1", archive.Correction{DocNumber: &num, Date: &date}); !errors.Is(err, archive.ErrInvalid) {
		t.Errorf("a correction without its author: %v", err)
	}
	bad := "2018-13-40"
	if _, err := r.Archive.Correct(ctx, "doc1", archive.Correction{Date: &bad, By: by}); !errors.Is(err, archive.ErrInvalid) {
		t.Errorf("a bad date: %v", err)
	}
	if _, err := r.Archive.Correct(ctx, "nope", archive.Correction{DocNumber: &num, By: by}); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("an unknown document: %v", err)
	}
	v2, err := r.Archive.Correct(ctx, "doc1", archive.Correction{DocNumber: &num, Date: &date, By: by, Note: "số viết tay"})
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 || v2.DocNumber != "08/CT-UBND" || v2.Date != date || v2.NeedsReview || v2.Previous != side {
		t.Errorf("record v2 = %+v", v2)
	}
	if !strings.HasPrefix(v2.PDF.Key, "ubnd-tinh-quang-ngai/2018/08-CT-UBND/doc1.v2") || len(v2.Corrections) != 2 || v2.Corrections[0].By != by {
		t.Errorf("v2 key %q, corrections %+v", v2.PDF.Key, v2.Corrections)
	}
	if still, err := r.Archive.ReadRecord(ctx, side); err != nil || still.Version != 1 || still.DocNumber != v1.DocNumber {
		t.Errorf("version 1 changed: %+v %v", still, err)
	}
	pdf2, err := r.Store.Get(ctx, v2.PDF.Key)
	if err != nil || !bytes.Contains(pdf2, []byte("08/CT-UBND")) {
		t.Errorf("the new PDF does not carry the corrected number: %v", err)
	}
	if d, ok, _ := r.Index.Get("doc1"); !ok || d.DocNumber != num || d.Key != v2.PDF.Key {
		t.Errorf("index after correction: %+v", d)
	}
	if st, _ := r.Queue.Status(ctx, "doc1"); st.Key != v2.PDF.Key {
		t.Errorf("status key %q after correction", st.Key)
	}

	// The index is derived: rebuilt from the bucket alone, it holds the
	// latest version.
	fresh, err := index.Open(filepath.Join(t.TempDir(), "fresh"))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	n, err := archive.Reindex(ctx, r.Store, fresh, slog.New(slog.DiscardHandler))
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
		if got := archive.BaseKey(tt.agency, tt.date, tt.number, "x"); got != tt.want {
			t.Errorf("archive.BaseKey(%q, %q, %q) = %q, want %q", tt.agency, tt.date, tt.number, got, tt.want)
		}
	}
	if archive.ObjectKey("a/b", 1, "pdf") != "a/b.pdf" || archive.ObjectKey("a/b", 3, "json") != "a/b.v3.json" {
		t.Errorf("ObjectKey")
	}
}

// TestCropsAndConfirm follows a document whose number and day were
// written by hand: its record keeps the crops of the two blanks, which
// Crop serves; an archivist confirms the machine's reading as it is, and
// the document leaves the review queue with the confirmation in its
// history.
func TestCropsAndConfirm(t *testing.T) {
	r := archivetest.New(t)
	ctx := context.Background()
	number, day := archivetest.Crop("12"), archivetest.Crop("12")
	r.PageWithBlanks(t, "ink1", archivetest.ThongBaoInk, map[string][]byte{pipeline.BlankNumber: number, pipeline.BlankDay: day})
	r.Page(t, "plain", archivetest.ChiThi...)
	st := r.WaitArchived(t, "ink1")
	r.WaitArchived(t, "plain")

	v1, err := r.Archive.ReadRecord(ctx, archive.SidecarKey(st.Key))
	if err != nil {
		t.Fatal(err)
	}
	if !v1.NeedsReview || v1.DocNumber != "12/TB-UBND" || v1.Date != "2020-02-12" {
		t.Fatalf("record v1: review %v, number %q, date %q; want the reader's guess, in review", v1.NeedsReview, v1.DocNumber, v1.Date)
	}
	if len(v1.Crops) != 2 || !strings.HasPrefix(v1.Crops[docmeta.CropNumber].Key, strings.TrimSuffix(st.Key, ".pdf")) || v1.Crops[docmeta.CropDate].Size != int64(len(day)) {
		t.Errorf("crops of v1 = %+v, want both beside the PDF %s", v1.Crops, st.Key)
	}
	for _, c := range []struct {
		id, name string
		want     []byte
		err      error
	}{
		{"ink1", docmeta.CropNumber, number, nil},
		{"ink1", docmeta.CropDate, day, nil},
		{"ink1", "signature", nil, archive.ErrNoCrop},
		{"plain", docmeta.CropNumber, nil, archive.ErrNoCrop},
		{"nope", docmeta.CropNumber, nil, archive.ErrNotFound},
	} {
		got, err := r.Archive.Crop(ctx, c.id, c.name)
		if !errors.Is(err, c.err) || !bytes.Equal(got, c.want) {
			t.Errorf("Crop(%s, %s) = %d bytes, %v; want %d bytes, %v", c.id, c.name, len(got), err, len(c.want), c.err)
		}
	}

	// Confirmed as read: a new version out of review, which says who
	// confirmed; its crops are still the first version's.
	num, date, by := v1.DocNumber, v1.Date, "Lê Thị Hoa"
	v2, err := r.Archive.Correct(ctx, "ink1", archive.Correction{DocNumber: &num, Date: &date, By: by})
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 || v2.NeedsReview || v2.Review != nil || v2.DocNumber != num || v2.Date != date || v2.Confidence[docmeta.FieldDocNumber] != 1 {
		t.Errorf("confirmed record = v%d review %v %q, %q %q, confidence %v", v2.Version, v2.NeedsReview, v2.Review, v2.DocNumber, v2.Date, v2.Confidence)
	}
	want := []archive.Change{
		{Version: 2, Field: docmeta.FieldDocNumber, From: num, To: num, By: by},
		{Version: 2, Field: docmeta.FieldDate, From: date, To: date, By: by},
	}
	if len(v2.Corrections) != len(want) {
		t.Fatalf("history after confirming = %+v, want %+v", v2.Corrections, want)
	}
	for i, c := range v2.Corrections {
		c.At = time.Time{}
		if c != want[i] {
			t.Errorf("history[%d] = %+v, want %+v", i, c, want[i])
		}
	}
	if got, err := r.Archive.Crop(ctx, "ink1", docmeta.CropNumber); err != nil || !bytes.Equal(got, number) {
		t.Errorf("number crop after confirming: %d bytes, %v", len(got), err)
	}
	if d, ok, _ := r.Index.Get("ink1"); !ok || d.NeedsReview || d.Version != 2 {
		t.Errorf("index after confirming: %+v", d)
	}
	// Confirming again changes nothing: no third version.
	if v, err := r.Archive.Correct(ctx, "ink1", archive.Correction{DocNumber: &num, Date: &date, By: by}); err != nil || v.Version != 2 {
		t.Errorf("confirming again: %v, %v", v, err)
	}
}

// A ready message that cannot be read fails its document with the reason
// (it would otherwise stay "processing" for ever); the next document is
// archived as usual.
func TestUnreadableReadyFailsTheDocument(t *testing.T) {
	r := archivetest.New(t)
	ctx := context.Background()
	if _, _, err := r.Queue.CreateStatus(ctx, pipeline.Status{ID: "bad", SourceName: "bad.png", Format: "png", Pages: 1, Status: pipeline.StatusProcessing, Attempt: 1, Ingest: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Queue.JetStream().Publish(ctx, pipeline.SubjectDoc("bad"), []byte(`{"doc":"bad","pages":`)); err != nil {
		t.Fatal(err)
	}
	r.Page(t, "doc1", archivetest.ChiThi...)
	r.WaitArchived(t, "doc1")
	var st pipeline.Status
	poll.Until(t, 30*time.Second, func() error {
		var err error
		if st, err = r.Queue.Status(ctx, "bad"); err == nil && st.Status != pipeline.StatusFailed {
			err = errors.New("bad is " + st.Status)
		}
		return err
	})
	if !strings.Contains(st.Reason, "thả lại tệp này vào thư mục inbox") {
		t.Errorf("reason = %q; want it to tell the clerk what to do", st.Reason)
	}
}
