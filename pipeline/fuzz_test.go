package pipeline_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/sohoa/sohoa/pipeline"
)

// FuzzReadMessages feeds any bytes to the readers of the messages workers
// and the archive take off the queue. Each either refuses the message as a
// permanent Failure or returns one whose fields were checked: about the
// subject's document, a page within the pages, strings no longer than the
// message (so the output is bounded by the input); and no one message may
// take over 10 s.
func FuzzReadMessages(f *testing.F) {
	for _, v := range []any{
		pipeline.PageTask{Doc: "d1", Attempt: 1, Page: 2, Pages: 3, Blob: "pages/d1/2", Format: "tiff", DPIX: 300, DPIY: 300},
		pipeline.DocReady{Doc: "d1", Attempt: 2, Pages: 3},
	} {
		b, err := json.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"doc":"d1","attempt":1,"page":1,"pages":1e999,"blob":"\u0000"}`))
	page, doc := pipeline.SubjectPage("d1", 2), pipeline.SubjectDoc("d1")
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		var fail *pipeline.Failure
		pt, err := pipeline.ReadPageTask(page, data)
		switch {
		case err != nil && !errors.As(err, &fail):
			t.Fatalf("ReadPageTask: %v is not a Failure", err)
		case err == nil:
			if pt.Doc != "d1" || pt.Attempt < 1 || pt.Page < 1 || pt.Page > pt.Pages || pt.Blob == "" {
				t.Fatalf("ReadPageTask took %+v", pt)
			}
			if len(pt.Blob)+len(pt.Format) > len(data) {
				t.Fatalf("ReadPageTask: %d bytes of strings from a message of %d", len(pt.Blob)+len(pt.Format), len(data))
			}
		}
		dr, err := pipeline.ReadDocReady(doc, data)
		switch {
		case err != nil && !errors.As(err, &fail):
			t.Fatalf("ReadDocReady: %v is not a Failure", err)
		case err == nil && (dr.Doc != "d1" || dr.Attempt < 1 || dr.Pages < 1):
			t.Fatalf("ReadDocReady took %+v", dr)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("one message took %v", d)
		}
	})
}
