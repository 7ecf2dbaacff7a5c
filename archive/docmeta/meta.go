package docmeta

import (
	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/pipeline"
)

// Meta is what the header of a Vietnamese administrative document says.
// Every string is NFC; a field that was not found is "".
type Meta struct {
	// DocNumber is the số và ký hiệu in canonical form (see ParseNumber):
	// "15/2020/QĐ-UBND", "123/UBND-VP", "123-QĐ/HU". It is set whenever a
	// number and a symbol were read, even when they are not certain — then
	// NeedsReview says so — and "" when the number could not be read at all
	// (handwriting OCR could not make into digits) or no "Số:" was found.
	DocNumber string
	// Number is the number as printed, leading zero kept: "15", "05".
	Number string
	// Symbol is everything after the number and its separator, the year of
	// a legal document included: "2020/QĐ-UBND", "UBND-VP", "QĐ/HU". So
	// DocNumber is Number, its separator ('/', or '-' for a party document)
	// and Symbol, and ParseNumber returns the same pair. Symbol is set when
	// only the number was unreadable ("Số: @# /CT-UBND" gives "CT-UBND").
	Symbol string
	// Date is the date of the document, ISO "2020-02-10"; "" unless day,
	// month and year were all read (a guess is flagged, see NeedsReview).
	Date string
	// Place is the place of the date line: "Vân Canh", "Quảng Ngãi".
	Place string
	// Type is the type name in upper case as in NĐ 30/2020 Phụ lục III:
	// "QUYẾT ĐỊNH", "CHỈ THỊ", …; "CÔNG VĂN" for a công văn.
	Type string
	// Agency is the issuing agency: "ỦY BAN NHÂN DÂN HUYỆN VÂN CANH".
	Agency string
	// Parent is the parent agency line, if printed: "UBND TỈNH BÌNH ĐỊNH".
	Parent string
	// Subject is the trích yếu: the lines under the type name as printed
	// ("Về việc …"), or for a công văn what follows "V/v".
	Subject string
	// Confidence is, per field, how sure the reading is, 0 to 1, under the
	// keys FieldDocNumber, FieldDate, FieldType, FieldAgency and
	// FieldSubject (all always present). For the number and the date it is
	// the lowest OCR confidence of the number's digits and of the date's
	// (each character's own where Tesseract gave one, else its word's): at
	// least 0.85 when certain, at most 0.5 when flagged for review, 0 when
	// not read. For the others it is the mean OCR confidence of their
	// words, lowered where the type name and the symbol disagree or the
	// type was inferred.
	Confidence map[string]float64
	// NeedsReview is true whenever the number or the date is not certain:
	// not found, unreadable, read with low confidence or with character
	// substitutions, handwritten into a blank, or contradicted by the type.
	NeedsReview bool
	// Review says why, in short Vietnamese sentences for the review queue.
	Review []string
	// Crops names, under CropNumber and CropDate, the work-bucket keys of
	// the crops of the blanks the number and the date were read from
	// (pipeline.Blank.Crop), for the review page; nil when there were none.
	Crops map[string]string `json:",omitempty"`
}

// Extract reads a document's identity from the OCR of its pages, in order.
// Only the header is read: on page 1, or on page 2 when page 1 has none.
// It never fails: what it cannot read it leaves empty and flags for review.
// Nil pages are skipped. Safe for concurrent use.
func Extract(pages []*pipeline.PageText) Meta { return ExtractIn(pages, Context{}) }

// ExtractIn is Extract with what else is known of the document, which a
// date read by hand is checked against (see Context).
func ExtractIn(pages []*pipeline.PageText, ctx Context) Meta {
	var first *reading
	seen := 0
	for _, pt := range pages {
		if pt == nil {
			continue
		}
		if seen++; seen > maxHeaderPages {
			break
		}
		r := read(newPage(pt))
		if first == nil {
			first = r
		}
		if r.found() {
			return r.meta(ctx)
		}
	}
	if first == nil {
		first = &reading{}
	}
	return first.meta(ctx)
}

// reading is what one page's header says, before it is judged.
type reading struct {
	pg      *page
	num     *numCand
	date    *dateLine
	dateRow int
	typ     *typeMatch
	agency  []word
	parent  []word
	subject []word
	vv      bool // the subject follows "V/v": a công văn
	// crops are the work keys of the crops of the blanks the number and
	// the date were read from (Meta.Crops).
	crops map[string]string
}

func (r *reading) found() bool { return r.num != nil || r.date != nil || r.typ != nil }

// read finds the parts of the header on one page.
func read(pg *page) *reading {
	r := &reading{pg: pg, dateRow: -1}
	cands := pg.numberCandidates()
	for i := range cands {
		c := &cands[i]
		if r.num == nil || c.score > r.num.score {
			r.num = c
		}
	}
	anchor := -1
	if r.num != nil {
		anchor = r.num.row
		r.findDateNear(r.num)
		if r.date == nil {
			r.findDateTop()
		}
	} else {
		r.findDateTop()
	}
	if r.dateRow > anchor {
		anchor = r.dateRow
	}
	if tm, ok := pg.typeRow(anchor); ok {
		r.typ = &tm
		r.subject = pg.subjectAfter(tm)
	}
	if anchor >= 0 && (r.typ == nil || r.typ.t.name == CongVan) {
		if vv := pg.vvSubject(anchor); len(vv) > 0 {
			r.subject, r.vv = vv, true
		}
	}
	top, gap := -1, agencyGap
	switch {
	case r.num != nil:
		top = r.num.label.box.Y0
	case r.date != nil:
		top = pg.rows[r.dateRow].box.Y0
	case r.typ != nil:
		top, gap = r.typ.words[0].box.Y0, agencyGapNoNumber
	}
	if top >= 0 {
		r.parent, r.agency = splitParent(pg.agencyBlock(top, gap))
	}
	return r
}

// meta judges the reading and fills in a Meta. Each field is judged where
// it is read (date.go, type.go, number_judge.go), in this order: the date's
// printed year is the reference for the size of printed digits, and the type
// name checks the symbol, and mends its abbreviation, before the number is
// judged.
func (r *reading) meta(ctx Context) Meta {
	m := Meta{Confidence: map[string]float64{FieldDocNumber: 0, FieldDate: 0, FieldType: 0, FieldAgency: 0, FieldSubject: 0}}
	if !r.found() {
		m.NeedsReview = true
		m.Review = []string{reasonNoHeader}
		return m
	}

	dr := r.handDate(r.judgeDate(), ctx)
	m.Date, m.Place = dr.iso, dr.place
	m.Confidence[FieldDate] = dr.conf

	var p numberParts
	if r.num != nil {
		p = r.num.p
		p.segs = append([]string(nil), p.segs...)
	}
	nb := r.numberBlank()
	p, bs := r.blankSymbol(p, nb)
	tr := r.judgeType(&p)
	m.Type, m.Confidence[FieldType] = tr.name, tr.conf

	nr := r.handNumber(p, nb, bs, r.judgeNumber(p, dr, tr.mismatch))
	m.DocNumber, m.Number, m.Symbol = nr.doc, nr.number, nr.symbol
	m.Confidence[FieldDocNumber] = nr.conf

	if len(r.agency) > 0 {
		m.Agency = agencyText(r.agency)
		m.Confidence[FieldAgency] = meanConf(r.agency) / 100
	}
	if len(r.parent) > 0 {
		m.Parent = agencyText(r.parent)
	}
	if len(r.subject) > 0 {
		m.Subject = subjectText(r.subject)
		m.Confidence[FieldSubject] = meanConf(r.subject) / 100
	}

	m.Crops = r.pg.headerCrops(r.crops)
	m.NeedsReview = !nr.certain || !dr.certain
	m.Review = dedupe(append(nr.reasons, dr.reasons...))
	return m.nfc()
}

func (m Meta) nfc() Meta {
	for _, s := range []*string{&m.DocNumber, &m.Number, &m.Symbol, &m.Date, &m.Place, &m.Type, &m.Agency, &m.Parent, &m.Subject} {
		*s = norm.NFC.String(*s)
	}
	for i := range m.Review {
		m.Review[i] = norm.NFC.String(m.Review[i])
	}
	return m
}

func dedupe(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
