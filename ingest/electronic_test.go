package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sohoa/sohoa/ingest/epdf/epdftest"
	"github.com/sohoa/sohoa/internal/need"
	"github.com/sohoa/sohoa/internal/poll"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/pipeline"
)

// fetchAll returns every message on subjects filter of stream.
func fetchAll(t *testing.T, q *pipeline.Queue, stream, filter string) []jetstream.Msg {
	t.Helper()
	ctx := context.Background()
	cons, err := q.Consumer(ctx, pipeline.ConsumerConfig{Stream: stream, Name: "test-" + pipeline.SafeToken(filter), Filter: filter, AckWait: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	var out []jetstream.Msg
	for {
		b, err := cons.Fetch(100, jetstream.FetchMaxWait(500*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for m := range b.Messages() {
			out = append(out, m)
			n++
		}
		if n == 0 {
			return out
		}
	}
}

// An electronic page with text is read by ingest from its own text: its
// result is stored where a worker would store its OCR and no page task is
// queued for it; the scanned page beside it is queued as always; a file
// all of text is announced ready by ingest itself.
func TestElectronicPagesNeedNoOCR(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdftoppm", "pdffonts"} {
		need.Tool(t, tool, "poppler-utils")
	}
	r := newRig(t, 50*time.Millisecond)
	q, work, ctx, inbox := r.q, r.work, r.ctx, r.inbox // New made the folders
	scan := image.NewGray(image.Rect(0, 0, 400, 560))
	for i := range scan.Pix {
		scan.Pix[i] = 0xF0
	}
	for y := 100; y < 110; y++ {
		for x := 50; x < 350; x++ {
			scan.SetGray(x, y, color.Gray{})
		}
	}
	// Page 3: text beside a picture over half the page (it could be a
	// scan smaller than the page under a stamp's text): OCR'd whole.
	mixed := epdftest.Make([]epdftest.Page{{Lines: epdftest.ChiThi.Lines}, {Scan: scan},
		{Lines: epdftest.ChiThi.Lines[8:], Seal: scan, SealAt: [3]float64{80, 300, 430}}}, epdftest.Options{})
	text := epdftest.Make([]epdftest.Page{{Lines: epdftest.ThongBao.Lines}}, epdftest.Options{})
	for name, data := range map[string][]byte{"hon-hop.pdf": mixed, "tcvn3.pdf": text} {
		if err := os.WriteFile(filepath.Join(inbox, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r.start()

	mixedID, textID := docID(mixed), docID(text)
	poll.Until(t, 60*time.Second, func() error {
		for _, id := range []string{mixedID, textID} {
			st, err := q.Status(ctx, id)
			if err != nil {
				return err
			}
			if st.Status != pipeline.StatusQueued {
				return errors.New(st.Status)
			}
		}
		return nil
	})
	// Page 1 of the mixed file and the TCVN3 page: their own text, Unicode.
	for _, c := range []struct {
		id     string
		number string
		engine string
	}{{mixedID, "07/CT-UBND", "pdf text (poppler)"}, {textID, "12/TB-UBND", "pdf text (poppler) from TCVN3"}} {
		var pt pipeline.PageText
		b, err := work.Get(ctx, pipeline.WorkTextKey(c.id, 1))
		if err != nil {
			t.Fatalf("%s: page 1's text: %v", c.number, err)
		}
		if err := json.Unmarshal(b, &pt); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(pt.Text(), "Số: "+c.number) || !strings.HasPrefix(pt.Engine, c.engine) || pt.Image != pipeline.WorkPageKey(c.id, 1, "png") || pt.DPIX != 300 {
			t.Errorf("%s: page 1 %q by %q, image %s at %v dpi", c.number, pt.Text(), pt.Engine, pt.Image, pt.DPIX)
		}
		if _, err := work.Get(ctx, pt.Image); err != nil {
			t.Errorf("%s: the rendered page: %v", c.number, err)
		}
	}
	// The scan and the page with a large picture are queued for OCR, the
	// text pages are not.
	for _, n := range []int{2, 3} {
		if _, err := work.Get(ctx, pipeline.WorkTextKey(mixedID, n)); !errors.Is(err, objstore.ErrNotExist) {
			t.Errorf("page %d has a result before OCR: %v", n, err)
		}
	}
	var tasks []string
	for _, m := range fetchAll(t, q, pipeline.StreamPages, "sohoa.pages.>") {
		pt, err := pipeline.ReadPageTask(m.Subject(), m.Data())
		if err != nil {
			t.Fatal(err)
		}
		tasks = append(tasks, pt.Doc+"/"+pt.Blob[strings.LastIndex(pt.Blob, "/")+1:])
	}
	slices.Sort(tasks)
	if want := []string{mixedID + "/page-0002.jpeg", mixedID + "/page-0003.png"}; !slices.Equal(tasks, want) {
		t.Errorf("page tasks %v, want %v", tasks, want)
	}
	var ready []string
	for _, m := range fetchAll(t, q, pipeline.StreamDocs, "sohoa.docs.>") {
		r, err := pipeline.ReadDocReady(m.Subject(), m.Data())
		if err != nil {
			t.Fatal(err)
		}
		ready = append(ready, r.Doc)
	}
	if len(ready) != 1 || ready[0] != textID {
		t.Errorf("documents ready %v, want only the one of text, %s", ready, textID)
	}
}
