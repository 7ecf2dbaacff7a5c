package archive

import (
	"context"
	"errors"
	"fmt"

	"github.com/sohoa/sohoa/archive/docmeta"
	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/pipeline"
)

// Stacks.
//
// A clerk feeds a pile of documents through the scanner in one run and
// drops the one file into inbox/tach/ (pipeline.StackDir). Its pages are
// read as any document's; the archive then cuts it into documents:
//
//   - before every first page (docmeta.FirstPage: NĐ 30's header, which
//     only a document's first page carries);
//   - at every separator sheet (package ocr/separator), left out;
//   - at every blank sheet, left out. In a duplex run of one-sided paper,
//     where every back is blank (half the even pages or more), a single
//     blank page is the back of the sheet before it and stays with its
//     part as a blank page; a blank sheet there is a blank front and its
//     blank back, two blank pages from an odd one.
//
// Each part is a document of its own: its id (pipeline.PartID), key, PDF
// and record, which names the stack (Record.Stack) and the stack's pages
// it holds (Source.Pages). The stack's file is stored once, under
// StackSourceKey, before any part, and every part's Source points at it.
// Parts are committed as documents are: a retry cuts the same parts under
// the same ids and keys, and a part already committed stands.

// StackSourceKey is where the file of stack id, of format, is kept.
func StackSourceKey(id, format string) string {
	return pipeline.StackDir + "/" + id + ".original." + sourceExt(format)
}

// stackPart is one document cut from a stack: its pages, and the pages
// of the stack left out of it as the blank backs of its sheets.
type stackPart struct {
	pages []*pipeline.PageText
	blank []int
}

// cutStack cuts a stack's pages into parts (see Stacks above), and
// returns them and the stack's pages taken as separators.
func cutStack(texts []*pipeline.PageText) (parts []stackPart, separators []int) {
	evens, blankEvens := 0, 0
	for _, t := range texts {
		if t.Page%2 == 0 {
			evens++
			if t.Empty && !t.Separator {
				blankEvens++
			}
		}
	}
	duplex := evens > 0 && 2*blankEvens >= evens
	blank := func(i int) bool { return i < len(texts) && texts[i].Empty && !texts[i].Separator }
	var cur stackPart
	cut := func() {
		// A part is its pages: blank backs met before any page wait for
		// the next one.
		if len(cur.pages) > 0 {
			parts = append(parts, cur)
			cur = stackPart{}
		}
	}
	for i := 0; i < len(texts); i++ {
		t := texts[i]
		switch {
		case t.Separator:
			cut()
			separators = append(separators, t.Page)
		case blank(i) && !duplex:
			cut()
			separators = append(separators, t.Page)
		case blank(i) && t.Page%2 == 1 && blank(i+1):
			cut() // a blank sheet, front and back
			separators = append(separators, t.Page, texts[i+1].Page)
			i++
		case blank(i):
			cur.blank = append(cur.blank, t.Page)
		default:
			if docmeta.FirstPage(t) {
				cut()
			}
			cur.pages = append(cur.pages, t)
		}
	}
	cut()
	if len(cur.blank) > 0 && len(parts) > 0 {
		last := &parts[len(parts)-1]
		last.blank = append(last.blank, cur.blank...)
	}
	return parts, separators
}

// archiveStack cuts the stack st into documents and commits each, then
// the stack's status and the stack's file's retire.
func (a *Archive) archiveStack(ctx context.Context, st pipeline.Status) error {
	texts, err := a.readTexts(ctx, st)
	if err != nil {
		return err
	}
	parts, seps := cutStack(texts)
	if len(parts) == 0 {
		return pipeline.Permanent(adviceStackEmpty, fmt.Errorf("archive: no page of the %d of the stack is a document's", len(texts)))
	}
	src := Source{Name: st.SourceName, SHA256: st.SHA256, Format: st.Format, Key: StackSourceKey(st.ID, st.Format), Size: st.Size}
	if err := a.storeStackSource(ctx, st.ID, src); err != nil {
		return err
	}
	ids := make([]string, len(parts))
	var first *Record
	for i, p := range parts {
		id := pipeline.PartID(st.ID, p.pages[0].Page)
		rec, err := a.build(ctx, st, id, p.pages, p.blank)
		if err != nil {
			return err
		}
		rec.Source = src
		for _, t := range p.pages {
			rec.Source.Pages = append(rec.Source.Pages, t.Page)
		}
		rec.Stack = &Stack{ID: st.ID, Part: i + 1, Parts: len(parts), Separators: seps}
		rec.sharedSource = true
		if rec, err = a.commit(ctx, rec); err != nil {
			return err
		}
		a.metrics.observeDoc(rec)
		a.log.Info("archived a part of a stack", "stack", st.ID, "doc", rec.ID, "part", i+1, "of", len(parts),
			"pages", rec.Source.Pages, "key", rec.PDF.Key, "doc_number", rec.DocNumber, "needs_review", rec.NeedsReview)
		ids[i] = rec.ID
		if first == nil {
			first = rec
		}
	}
	st, err = a.q.UpdateStatus(ctx, st.ID, func(s *pipeline.Status) error {
		s.Status, s.Reason = pipeline.StatusArchived, ""
		s.Key, s.DocNumber, s.PDFSHA256 = first.PDF.Key, first.DocNumber, first.PDF.SHA256
		s.Parts = ids
		return nil
	})
	if err != nil {
		return err
	}
	a.log.Info("archived a stack", "stack", st.ID, "parts", len(parts), "separators", seps, "source", src.Key)
	return a.announce(ctx, st)
}

// storeStackSource streams the stack's file from the work bucket into
// the archive, create-only; the same bytes there are an earlier try's.
// Its key derives from the file's own hash, so other bytes there are not
// a try's but damage, and are left for IT.
func (a *Archive) storeStackSource(ctx context.Context, id string, src Source) error {
	work := pipeline.WorkSourceKey(id)
	sum, err := a.hashWork(ctx, work)
	if err != nil {
		return err
	}
	rc, info, err := a.work.Open(ctx, work)
	if err != nil {
		return err
	}
	defer rc.Close()
	err = a.store.CreateFrom(ctx, src.Key, rc, info.Size, sum, contentTypeOf(src.Format))
	if errors.Is(err, objstore.ErrExists) {
		return fmt.Errorf("archive: %s holds other bytes than the stack's file of that hash: %w", src.Key, err)
	}
	return err
}

// announceParts publishes the archived event of each part of the stack
// st; the stack's file is retired by announce.
func (a *Archive) announceParts(ctx context.Context, st pipeline.Status) error {
	for _, id := range st.Parts {
		rec, err := a.Record(ctx, id)
		if err != nil {
			return fmt.Errorf("archive: part %s of stack %s: %w", id, st.ID, err)
		}
		if err := a.q.PublishArchived(ctx, pipeline.Archived{
			ID: rec.ID, DocNumber: rec.DocNumber, Key: rec.PDF.Key, Bucket: a.bucket, SHA256: rec.PDF.SHA256, Pages: rec.Pages,
		}); err != nil {
			return err
		}
	}
	return nil
}

const adviceStackEmpty = "Không lưu trữ: tập quét này (thư mục tach) chỉ có trang trắng và tờ phân tách, không có trang nào của văn bản.\n" +
	"Cách xử lý: hãy xem lại tập giấy đã được đặt đúng mặt vào máy quét chưa, quét lại rồi thả lại vào thư mục inbox/tach."
