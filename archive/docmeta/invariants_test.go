package docmeta

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

// checkInvariants holds for every Meta that Extract returns.
func checkInvariants(t testing.TB, m Meta) {
	t.Helper()
	for name, s := range map[string]string{
		"DocNumber": m.DocNumber, "Number": m.Number, "Symbol": m.Symbol, "Date": m.Date, "Place": m.Place,
		"Type": m.Type, "Agency": m.Agency, "Parent": m.Parent, "Subject": m.Subject,
	} {
		if !norm.NFC.IsNormalString(s) {
			t.Errorf("%s %q is not NFC", name, s)
		}
	}
	for _, r := range m.Review {
		if !norm.NFC.IsNormalString(r) {
			t.Errorf("review %q is not NFC", r)
		}
	}
	if m.DocNumber != "" && !validDocNumber(m.DocNumber) {
		t.Errorf("DocNumber %q is not canonical", m.DocNumber)
	}
	if m.DocNumber != "" && !joins(m.DocNumber, m.Number, m.Symbol) {
		t.Errorf("DocNumber %q is not Number %q, a separator and Symbol %q", m.DocNumber, m.Number, m.Symbol)
	}
	for _, k := range []string{"doc_number", "date", "type", "agency", "subject"} {
		c, ok := m.Confidence[k]
		if !ok || c < 0 || c > 1 {
			t.Errorf("confidence %q = %v, %v", k, c, ok)
		}
	}
	if m.NeedsReview != (len(m.Review) > 0) {
		t.Errorf("NeedsReview %v with reasons %q", m.NeedsReview, m.Review)
	}
	if !m.NeedsReview && (m.DocNumber == "" || m.Date == "") {
		t.Errorf("certain without number %q or date %q", m.DocNumber, m.Date)
	}
	if !m.NeedsReview && (m.Confidence["doc_number"] < 0.85 || m.Confidence["date"] < 0.85) {
		t.Errorf("certain with confidence %v", m.Confidence)
	}
	if m.NeedsReview && m.Confidence["doc_number"] > 0.5 && m.Confidence["date"] > 0.5 {
		t.Errorf("flagged but both confidences high: %v", m.Confidence)
	}
}

// joins reports whether doc is number, '/' or '-', then symbol.
func joins(doc, number, symbol string) bool {
	return doc == number+"/"+symbol || doc == number+"-"+symbol
}
