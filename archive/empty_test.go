package archive_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"github.com/sohoa/sohoa/archive/archivetest"
	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/pipeline"
)

// The backs of one-sided sheets scanned in a duplex run are left out of
// the PDF and named in the record; a file of nothing but blank sheets is
// failed with a reason that says so.
func TestBlankSheetsLeftOut(t *testing.T) {
	r := archivetest.New(t)
	ctx := context.Background()
	r.PagesWithEmpty(t, "duplex", []bool{false, true, false, true}, archivetest.ChiThi...)
	r.WaitArchived(t, "duplex")
	rec, err := r.Archive.Record(ctx, "duplex")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Pages != 2 || !slices.Equal(rec.BlankPages, []int{2, 4}) || len(rec.PageInfo) != 2 {
		t.Errorf("record: %d pages, blank pages %v, %d page infos; want 2, [2 4], 2", rec.Pages, rec.BlankPages, len(rec.PageInfo))
	}
	data, err := r.Store.Get(ctx, rec.PDF.Key)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := api.PageCount(bytes.NewReader(data), nil); err != nil || n != 2 {
		t.Errorf("the PDF has %d pages (%v), want 2", n, err)
	}

	r.PagesWithEmpty(t, "backs", []bool{true, true}, archivetest.ChiThi...)
	var st pipeline.Status
	poll.Until(t, 30*time.Second, func() error {
		if st, err = r.Queue.Status(ctx, "backs"); err == nil && st.Status != pipeline.StatusFailed {
			err = errors.New("backs is " + st.Status)
		}
		return err
	})
	if !strings.Contains(st.Reason, "trang trắng") || !strings.Contains(st.Reason, "quét lại") {
		t.Errorf("reason = %q; want it to say every page is blank and to scan again", st.Reason)
	}
}
