package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Stream, consumer and bucket names.
const (
	StreamPages  = "SOHOA_PAGES"
	StreamDocs   = "SOHOA_DOCS"
	StreamRetire = "SOHOA_RETIRE"
	StreamEvents = "SOHOA_EVENTS"

	ConsumerOCR     = "ocr"
	ConsumerArchive = "archive"

	// BucketStatus is the JetStream key-value bucket that holds one Status per
	// document, keyed by document id.
	BucketStatus = "SOHOA_STATUS"
)

// Subjects.
const (
	subjectPages  = "sohoa.pages"
	subjectDocs   = "sohoa.docs"
	subjectRetire = "sohoa.retire"

	// SubjectArchived carries an Archived event for every document the archive
	// has committed. Other systems (e-office, one-stop software) subscribe to it.
	SubjectArchived = "sohoa.events.archived"
	// SubjectFailed carries a Failed event for every document that ended in failed/.
	SubjectFailed = "sohoa.events.failed"
	// SubjectCorrected carries an Archived event (and the version) for every
	// correction an archivist made: the document's new number, key and PDF.
	SubjectCorrected = "sohoa.events.corrected"
)

// SubjectPage is the subject of the task for one page of a document.
func SubjectPage(doc string, page int) string {
	return fmt.Sprintf("%s.%s.%d", subjectPages, doc, page)
}

// SubjectDoc is the subject that tells the archive that every page of doc has been read.
func SubjectDoc(doc string) string { return subjectDocs + "." + doc }

// SubjectRetire is the subject on which the ingest named ingest learns what became of doc.
func SubjectRetire(ingest, doc string) string {
	return subjectRetire + "." + ingest + "." + doc
}

// ConsumerIngest is the durable consumer of the ingest process named name.
func ConsumerIngest(name string) string { return "ingest-" + name }

// FilterRetire is the subject filter of the ingest process named name.
func FilterRetire(name string) string { return subjectRetire + "." + name + ".>" }

// SafeToken turns s into something usable as one subject token and one
// consumer name: letters, digits, '-' and '_' only.
func SafeToken(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// DocID is the identity of a document: the first 128 bits of the SHA-256 of
// the file as dropped, in hex. The same file dropped twice is the same document.
func DocID(sum [sha256.Size]byte) string { return hex.EncodeToString(sum[:16]) }

// Status values of a document, as the API reports them.
const (
	StatusQueued     = "queued"
	StatusProcessing = "processing"
	StatusArchived   = "archived"
	StatusFailed     = "failed"
)

// Status is what the pipeline knows about one document, kept in BucketStatus.
// Ingest creates it; workers, the archive and failures update it.
type Status struct {
	ID         string `json:"id"`
	SHA256     string `json:"sha256"`      // of the source file, hex
	SourceName string `json:"source_name"` // file name as dropped
	SourcePath string `json:"source_path"` // path relative to the inbox
	Ingest     string `json:"ingest"`      // name of the ingest that owns the original
	Format     string `json:"format"`      // jpeg, png, tiff, pdf
	Size       int64  `json:"size"`        // of the source file, bytes
	Pages      int    `json:"pages"`
	Status     string `json:"status"`
	Reason     string `json:"reason,omitempty"` // why it failed
	// Attempt counts how often the document was queued: a file dropped again
	// after it failed is tried anew, under new message ids.
	Attempt   int       `json:"attempt"`
	Key       string    `json:"key,omitempty"`        // object key of the archived PDF
	DocNumber string    `json:"doc_number,omitempty"` // once archived
	PDFSHA256 string    `json:"pdf_sha256,omitempty"` // of the archived PDF
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
	// Signed is the earliest signing time of the digital signatures the
	// source file carries, as it states it (pages.SigningTimes); zero when
	// it has none. The archive checks a date read by hand against it.
	Signed time.Time `json:"signed,omitzero"`
	// Stack: the file was dropped into inbox/tach/ and holds several
	// documents, which the archive cuts it into (StackDir).
	Stack bool `json:"stack,omitempty"`
	// Parts are the ids of the documents a stack was cut into, in order,
	// once archived (Key is then the first's).
	Parts []string `json:"parts,omitempty"`
}

// StackDir is the folder of the inbox whose files are stacks: one run of
// the scanner's feeder through several documents, cut into one document
// at each first page and separator sheet.
const StackDir = "tach"

// PartID is the identity of the part of stack that begins at its page
// first: as DocID, from the stack's id and that page, so that a retry cuts
// the same parts under the same ids.
func PartID(stack string, first int) string {
	return DocID(sha256.Sum256(fmt.Appendf(nil, "sohoa stack %s page %d", stack, first)))
}

// PageTask asks a worker to read one page. Blob is the key, in the work
// bucket, of the page image as ingest stored it.
type PageTask struct {
	Doc     string `json:"doc"`
	Attempt int    `json:"attempt"`
	Page    int    `json:"page"` // 1-based
	Pages   int    `json:"pages"`
	Blob    string `json:"blob"`
	// Format of the blob: jpeg, png or tiff (one page).
	Format string  `json:"format"`
	DPIX   float64 `json:"dpi_x,omitempty"`
	DPIY   float64 `json:"dpi_y,omitempty"`
	// Stack: the page is of a stack (inbox/tach/), where any page may be
	// the first of a document: its header's handwritten blanks are read
	// whatever its place.
	Stack bool `json:"stack,omitempty"`
}

// DocReady tells the archive that every page of Doc has its OCR result in
// the work bucket.
type DocReady struct {
	Doc     string `json:"doc"`
	Attempt int    `json:"attempt"`
	Pages   int    `json:"pages"`
}

// Outcomes carried by Retire.
const (
	OutcomeArchived = "archived"
	OutcomeFailed   = "failed"
)

// Retire tells the ingest that owns a document's original what to do with it:
// move it to done/ (archived) or failed/ with the reason beside it.
type Retire struct {
	Doc     string `json:"doc"`
	Attempt int    `json:"attempt"`
	Outcome string `json:"outcome"`
	Reason  string `json:"reason,omitempty"`
	Key     string `json:"key,omitempty"`
}

// Archived is the event published on SubjectArchived.
type Archived struct {
	ID        string `json:"id"`
	DocNumber string `json:"doc_number"`
	Key       string `json:"key"`
	Bucket    string `json:"bucket"`
	SHA256    string `json:"sha256"` // of the archived PDF
	Pages     int    `json:"pages"`
}

// Corrected is the event published on SubjectCorrected.
type Corrected struct {
	Archived
	Version int `json:"version"`
}

// Failed is the event published on SubjectFailed.
type Failed struct {
	ID         string `json:"id"`
	SourceName string `json:"source_name"`
	Reason     string `json:"reason"`
}

// Message ids: the stream's duplicate window drops a second publish with the same id.
// The ids of the messages about one attempt carry its number, so that a
// document tried again is not taken for a duplicate.
func MsgIDPage(doc string, attempt, page int) string {
	return fmt.Sprintf("page-%s-%d-%d", doc, attempt, page)
}
func MsgIDDoc(doc string, attempt int) string    { return fmt.Sprintf("doc-%s-%d", doc, attempt) }
func MsgIDRetire(doc string, attempt int) string { return fmt.Sprintf("retire-%s-%d", doc, attempt) }
func MsgIDArchived(doc string) string            { return "archived-" + doc }
func MsgIDFailed(doc string, attempt int) string { return fmt.Sprintf("failed-%s-%d", doc, attempt) }

// Keys in the work bucket. Everything of one document sits under WorkPrefix(doc),
// so it can be deleted with one prefix listing once the document is retired.
func WorkPrefix(doc string) string { return "work/" + doc + "/" }

// WorkSourceKey is where ingest stores the file as it was dropped, for the
// archive to keep beside the PDF.
func WorkSourceKey(doc string) string { return WorkPrefix(doc) + "source" }

// WorkPageKey is where ingest stores page n's image (ext without the dot).
func WorkPageKey(doc string, page int, ext string) string {
	return fmt.Sprintf("%spage-%04d.%s", WorkPrefix(doc), page, ext)
}

// WorkTextKey is where a worker stores page n's OCR result.
func WorkTextKey(doc string, page int) string {
	return fmt.Sprintf("%spage-%04d.ocr.json", WorkPrefix(doc), page)
}

// WorkPatchKey is where a worker stores the i-th colour patch of page n.
func WorkPatchKey(doc string, page, i int) string {
	return fmt.Sprintf("%spage-%04d.patch-%02d.jpg", WorkPrefix(doc), page, i)
}

// WorkBlankKey is where a worker stores the crop of the i-th blank of page n.
func WorkBlankKey(doc string, page, i int) string {
	return fmt.Sprintf("%spage-%04d.blank-%02d.png", WorkPrefix(doc), page, i)
}

// WorkImageKey is where a worker stores a page image it had to change
// (rotated or straightened), the one its OCR boxes refer to.
func WorkImageKey(doc string, page int, ext string) string {
	return fmt.Sprintf("%spage-%04d.fixed.%s", WorkPrefix(doc), page, ext)
}
