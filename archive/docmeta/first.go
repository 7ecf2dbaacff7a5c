package docmeta

import "github.com/sohoa/sohoa/pipeline"

// firstZonePct: the number and the date line of a first page whose motto
// OCR missed are in the top part of it.
const firstZonePct = 40

// FirstPage tells whether pt is the first page of a document, by NĐ
// 30/2020's layout: only a first page carries the header, the national
// (or party) motto at the top right, the agency at the top left, the
// "Số:" line and the date line below them; continuation pages carry a
// page number at most. A page is taken for a first one when OCR read the
// motto in its top quarter, or, the motto missed, both a "Số:" number
// opening its line and a date line in its top part. A stack (inbox/tach/) is cut before each
// first page. Safe for concurrent use.
func FirstPage(pt *pipeline.PageText) bool {
	if pt == nil {
		return false
	}
	pg := newPage(pt)
	if pg.motto {
		return true
	}
	r := read(pg)
	if r.num == nil || r.date == nil || r.dateRow < 0 {
		return false
	}
	// The label opens its line, as the header's does ("Số: 15/2020/QĐ-UBND"),
	// not as a citation in the text ("Căn cứ Quyết định số: 350/UB …").
	row := pg.rows[r.num.row]
	if row.words[0].box != r.num.label.box {
		return false
	}
	top := pct(pg.h, firstZonePct)
	return row.box.Y0 <= top && pg.rows[r.dateRow].box.Y0 <= top
}
