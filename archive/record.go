package archive

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/sohoa/sohoa/archive/docmeta"
	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/viet"
)

// SchemaVersion names the layout of the JSON sidecar.
const SchemaVersion = "sohoa.document/1"

// Record is a document's JSON sidecar, stored beside its PDF. It is the
// archive's record of the document: the search index is rebuilt from it.
type Record struct {
	Schema string `json:"schema"`
	// ID is the document's identity (from the SHA-256 of the source file).
	ID string `json:"id"`

	// Fields of the document (Thông tư 02/2019/TT-BNV where they apply).
	DocNumber string `json:"doc_number"` // số và ký hiệu
	Number    string `json:"number"`     // số
	Symbol    string `json:"symbol"`     // ký hiệu
	Date      string `json:"date"`       // ngày tháng năm văn bản, YYYY-MM-DD
	Type      string `json:"type"`       // tên loại văn bản
	Agency    string `json:"agency"`     // cơ quan ban hành
	Parent    string `json:"parent_agency,omitempty"`
	Subject   string `json:"subject"` // trích yếu nội dung
	Place     string `json:"place,omitempty"`
	Language  string `json:"language"` // ngôn ngữ
	Pages     int    `json:"pages"`    // số lượng trang

	// NeedsReview is true when the number or the date is not certain.
	NeedsReview bool               `json:"needs_review"`
	Review      []string           `json:"review,omitempty"`
	Confidence  map[string]float64 `json:"confidence,omitempty"`

	PDF    Object `json:"pdf"`
	Source Source `json:"source"`
	// PageInfo says, per page, what the worker did to the scan before
	// reading it: the turn and the straightening it applied.
	PageInfo []PageInfo `json:"page_info"`
	// Text is the OCR text, NFC; pages separated by a form feed line.
	Text string `json:"text"`

	Created  time.Time `json:"created"`  // when the file was taken from the inbox
	Archived time.Time `json:"archived"` // when the PDF was committed
	MadeBy   MadeBy    `json:"made_by"`

	pdf []byte // the PDF itself, before it is stored
}

// Object is a stored object and its fixity.
type Object struct {
	Key    string `json:"key"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// PageInfo describes one page of the archived PDF.
type PageInfo struct {
	Width    int     `json:"width"`  // pixels
	Height   int     `json:"height"` // pixels
	DPI      float64 `json:"dpi"`
	Rotation int     `json:"rotation"` // degrees clockwise, corrected before OCR
	Skew     float64 `json:"skew"`     // degrees, corrected before OCR
	Words    int     `json:"words"`
}

// Source is the file as it was dropped.
type Source struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Format string `json:"format"`
}

// MadeBy names the software versions that made the record.
type MadeBy struct {
	Sohoa string `json:"sohoa"`
	OCR   string `json:"ocr"`
}

// IndexDoc is the record as the search index keeps it.
func (r *Record) IndexDoc() index.Doc {
	return index.Doc{
		ID: r.ID, DocNumber: r.DocNumber, Date: r.Date, Type: r.Type, Agency: r.Agency,
		Subject: r.Subject, Text: r.Text, SourceName: r.Source.Name, SHA256: r.PDF.SHA256,
		Key: r.PDF.Key, Pages: r.Pages, NeedsReview: r.NeedsReview,
		Created: r.Created, Archived: r.Archived,
	}
}

// Key is where a document is stored, without extension: readable, derived
// from the document's year and number, and ending in the document id so that
// two different documents with the same number (it happens) never share a
// key. Documents without a number sit under "chua-so/" (no number yet).
//
//	2018/07-CT-UBND/3f2a…        (07/CT-UBND of 2018)
//	2020/15-2020-QD-UBND/9c1e…   (15/2020/QĐ-UBND)
//	chua-so/5d0b…
func Key(m docmeta.Meta, id string) string {
	year := ""
	if len(m.Date) >= 4 {
		year = m.Date[:4]
	}
	slug := Slug(m.DocNumber)
	switch {
	case slug == "":
		return "chua-so/" + id
	case year == "":
		return "khong-ro-nam/" + slug + "/" + id
	}
	return year + "/" + slug + "/" + id
}

// SidecarKey is the key of the JSON sidecar of the PDF at pdfKey.
func SidecarKey(pdfKey string) string { return strings.TrimSuffix(pdfKey, ".pdf") + ".json" }

var unsafeRun = regexp.MustCompile(`[^A-Za-z0-9]+`)

// Slug makes a document number safe and readable in a key: diacritics
// folded (QĐ → QD), every run of other characters a single '-'.
func Slug(docNumber string) string {
	s := viet.Fold(docNumber)
	// Fold lower-cases; keep the number's letters upper-case as printed.
	s = strings.ToUpper(s)
	s = unsafeRun.ReplaceAllString(s, "-")
	s = strings.Trim(s, "-")
	if len(s) > 80 {
		s = s[:80]
	}
	return s
}

// String describes a record in logs.
func (r *Record) String() string { return fmt.Sprintf("%s (%s)", r.ID, r.DocNumber) }
