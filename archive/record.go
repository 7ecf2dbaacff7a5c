package archive

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sohoa/sohoa/archive/index"
	"github.com/sohoa/sohoa/viet"
)

// SchemaVersion names the layout of the JSON sidecar.
const SchemaVersion = "sohoa.document/1"

// Record is a document's JSON sidecar, stored beside its PDF. It is the
// archive's record of the document: the search index is rebuilt from it.
// A record is never overwritten: an archivist's correction makes a new
// version, with a new record (and a new PDF whose metadata says the
// same), and the old one stays where it was.
type Record struct {
	Schema string `json:"schema"`
	// ID is the document's identity (from the SHA-256 of the source file).
	ID string `json:"id"`
	// Version is 1 for the document as first archived; each correction
	// makes the next. Previous is the key of the record it replaces.
	Version  int    `json:"version"`
	Previous string `json:"previous,omitempty"`

	// Fields of the document (Thông tư 02/2019/TT-BNV where they apply;
	// TT02 gives them all under the standard's names).
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
	Pages     int    `json:"pages"`    // số lượng trang (of the PDF)
	// BlankPages are the pages of the original left out of the PDF as blank
	// sheets (the backs of one-sided pages in a duplex run), numbered as in
	// the original, from 1.
	BlankPages []int `json:"blank_pages,omitempty"`

	// NeedsReview is true when the number or the date is not certain.
	NeedsReview bool               `json:"needs_review"`
	Review      []string           `json:"review,omitempty"`
	Confidence  map[string]float64 `json:"confidence,omitempty"`
	// Corrections is the history of the archivists' changes, oldest first.
	Corrections []Change `json:"corrections,omitempty"`

	PDF    Object `json:"pdf"`
	Source Source `json:"source"`
	// Stack is set on a document cut from a stack (inbox/tach/); its
	// Source is then the stack's file, stored once for all its parts, and
	// Source.Pages the stack's pages it holds.
	Stack *Stack `json:"stack,omitempty"`
	// Merged are the originals of the pages merged into this document from
	// others (Merge), in the order their pages follow Source's; each
	// names the pages of it this document holds.
	Merged []MergedSource `json:"merged_sources,omitempty"`
	// Mends are the archivists' splits and merges that made versions of
	// this document (or made it), oldest first.
	Mends []Mend `json:"mends,omitempty"`
	// MergedInto is set on the last version of a document merged into
	// another (Merge): that one holds its pages now, and this document is
	// no longer in the index or the search.
	MergedInto string `json:"merged_into,omitempty"`
	// Crops are the header's blanks as scanned, under docmeta.CropNumber
	// and docmeta.CropDate: PNG images stored beside the first version's
	// PDF, shown beside the fields on the review page. Later versions keep
	// pointing at them.
	Crops map[string]Object `json:"crops,omitempty"`
	// PageInfo says, per page, what the worker did to the scan before
	// reading it: the turn and the straightening it applied.
	PageInfo []PageInfo `json:"page_info"`
	// Text is the OCR text, NFC; pages separated by a form feed line.
	Text string `json:"text"`

	Created  time.Time `json:"created"`  // when the file was taken from the inbox
	Archived time.Time `json:"archived"` // when this version was committed
	MadeBy   MadeBy    `json:"made_by"`

	// TT02 repeats the document-level fields of Thông tư 02/2019/TT-BNV
	// under the standard's own names, for exchange with archive software;
	// fields sohoa cannot know are empty.
	TT02 TT02 `json:"tt02"`

	pdf []byte // the PDF itself, before it is stored
	// sharedSource: Source is a stack's file, stored once for all its
	// parts before them (Archive.archiveStack), not by commit.
	sharedSource bool
	// cropSrc are the work-bucket keys the crops are copied from, by name.
	cropSrc map[string]string
}

// Change is one field an archivist corrected, or confirmed as the machine
// read it (From equal to To) when taking the document out of review.
type Change struct {
	Version int       `json:"version"` // the version the change made
	Field   string    `json:"field"`
	From    string    `json:"from"`
	To      string    `json:"to"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
	Note    string    `json:"note,omitempty"`
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

// Source is the file as it was dropped, kept beside the PDF/A at Key
// (a scanner's PDF may carry a digital signature only the original keeps).
type Source struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Format string `json:"format"`
	Key    string `json:"key,omitempty"`
	Size   int64  `json:"size,omitempty"`
	// Pages are the pages of the original this document is made of,
	// numbered as in the original from 1, when it is made of only some of
	// them (one part of a stack, or of a document split by an archivist);
	// empty when it holds them all.
	Pages []int `json:"pages,omitempty"`
}

// MergedSource is the original of pages merged in from another document:
// its Source (Pages the pages of it held here) and the pages of it left
// out as blank sheets.
type MergedSource struct {
	Source
	BlankPages []int `json:"blank_pages,omitempty"`
}

// Kinds of Mend.
const (
	MendSplit      = "split"       // pages of this document left it for Other, a new document
	MendSplitFrom  = "split_from"  // this document is pages split from Other
	MendMerge      = "merge"       // Other's pages were appended to this document's
	MendMergedInto = "merged_into" // this document's pages were appended to Other's
)

// Mend is an archivist's split or merge as each document it touched
// records it.
type Mend struct {
	Kind    string `json:"kind"`
	Version int    `json:"version"` // the version of this document it made
	// Other is the other document, OtherVersion its version the mend
	// read (split_from, merge) or made (split, merged_into).
	Other        string `json:"other"`
	OtherVersion int    `json:"other_version"`
	// Pages are the pages that moved, numbered as in the version before
	// (split, split_from: the pages that left it) or in the version made
	// (merge, merged_into: where the other's pages are now).
	Pages []int     `json:"pages"`
	By    string    `json:"by"`
	At    time.Time `json:"at"`
	Note  string    `json:"note,omitempty"`
}

// Stack says where a document cut from a stack came from: a file dropped
// into inbox/tach/ that held several documents (Record.Stack).
type Stack struct {
	// ID is the stack's own identity (from the SHA-256 of the file, as a
	// document's), Part this document's place in it from 1, of Parts.
	ID    string `json:"id"`
	Part  int    `json:"part"`
	Parts int    `json:"parts"`
	// Separators are the pages of the stack taken as separator sheets
	// (sohoa's printed sheet, or a blank sheet between documents) and left
	// out of every part, numbered as in the stack.
	Separators []int `json:"separators,omitempty"`
}

// MadeBy names the software versions that made the record.
type MadeBy struct {
	Sohoa string `json:"sohoa"`
	OCR   string `json:"ocr"`
}

// TT02 are the document-level fields of a digitised record in Thông tư
// 02/2019/TT-BNV, named as the standard names them.
type TT02 struct {
	MaDinhDanhVanBan string `json:"ma_dinh_danh_van_ban"` // document identifier
	MaHoSo           string `json:"ma_ho_so"`             // file code
	SoVaKyHieu       string `json:"so_va_ky_hieu"`
	SoCuaVanBan      string `json:"so_cua_van_ban"`
	KyHieuCuaVanBan  string `json:"ky_hieu_cua_van_ban"`
	NgayThangNam     string `json:"ngay_thang_nam_van_ban"` // dd/mm/yyyy
	TenLoaiVanBan    string `json:"ten_loai_van_ban"`
	CoQuanBanHanh    string `json:"ten_co_quan_to_chuc_ban_hanh"`
	TrichYeu         string `json:"trich_yeu_noi_dung"`
	NgonNgu          string `json:"ngon_ngu"`
	SoLuongTrang     int    `json:"so_luong_trang"`
	GhiChu           string `json:"ghi_chu"`
	TuKhoa           string `json:"tu_khoa"`
	CheDoSuDung      string `json:"che_do_su_dung"`
	MucDoTinCay      string `json:"muc_do_tin_cay"` // "Số hóa": digitised from paper
	ButTich          string `json:"but_tich"`
	TinhTrangVatLy   string `json:"tinh_trang_vat_ly"`
}

// fillTT02 sets TT02 from the record's own fields.
func (r *Record) fillTT02() {
	t := &r.TT02
	t.MaDinhDanhVanBan = "sohoa:" + r.ID
	t.SoVaKyHieu, t.SoCuaVanBan, t.KyHieuCuaVanBan = r.DocNumber, r.Number, r.Symbol
	t.NgayThangNam = ""
	if d, err := time.Parse(time.DateOnly, r.Date); err == nil {
		t.NgayThangNam = d.Format("02/01/2006")
	}
	t.TenLoaiVanBan, t.CoQuanBanHanh, t.TrichYeu = r.Type, r.Agency, r.Subject
	t.NgonNgu, t.SoLuongTrang, t.MucDoTinCay = "Tiếng Việt", r.Pages, "Số hóa"
	if r.NeedsReview {
		t.GhiChu = "Số, ký hiệu hoặc ngày do máy đọc, cần kiểm tra lại."
	} else {
		t.GhiChu = ""
	}
}

// IndexDoc is the record as the search index keeps it.
func (r *Record) IndexDoc() index.Doc {
	return index.Doc{
		ID: r.ID, DocNumber: r.DocNumber, Number: r.Number, Symbol: r.Symbol, Version: r.Version,
		Date: r.Date, Type: r.Type, Agency: r.Agency,
		Subject: r.Subject, Text: r.Text, SourceName: r.Source.Name, SHA256: r.PDF.SHA256,
		Key: r.PDF.Key, Pages: r.Pages, NeedsReview: r.NeedsReview,
		Created: r.Created, Archived: r.Archived,
	}
}

// BaseKey is where a document is stored, without extension: readable,
// derived from its issuing agency, year and number, and ending in the
// document id so that two different documents with the same number (it
// happens: Quảng Ngãi issued two 87/QĐ-UBND in 2025) never share a key.
//
//	ubnd-tinh-quang-ngai/2018/07-CT-UBND/3f2a…      (07/CT-UBND of 2018)
//	ubnd-huyen-van-canh/2020/15-2020-QD-UBND/9c1e…  (15/2020/QĐ-UBND)
//	khong-ro-co-quan/khong-ro-nam/chua-so/5d0b…     (nothing could be read)
//
// Documents without a number say so in their key ("chua-so", not yet
// numbered) and sit in the review queue.
func BaseKey(agency, date, docNumber, id string) string {
	year := "khong-ro-nam"
	if len(date) >= 4 {
		if _, err := strconv.Atoi(date[:4]); err == nil {
			year = date[:4]
		}
	}
	num := Slug(docNumber)
	if num == "" {
		num = "chua-so"
	}
	ag := agencySlug(agency)
	if ag == "" {
		ag = "khong-ro-co-quan"
	}
	return ag + "/" + year + "/" + num + "/" + id
}

// ObjectKey is the key of one object of version v of a document stored
// under base: the first version has no version mark.
//
//	base.pdf, base.json, base.original.pdf      version 1
//	base.v2.pdf, base.v2.json                   version 2
func ObjectKey(base string, v int, ext string) string {
	if v <= 1 {
		return base + "." + ext
	}
	return fmt.Sprintf("%s.v%d.%s", base, v, ext)
}

// SidecarKey is the key of the JSON record of the PDF at pdfKey.
func SidecarKey(pdfKey string) string { return strings.TrimSuffix(pdfKey, ".pdf") + ".json" }

var unsafeRun = regexp.MustCompile(`[^A-Za-z0-9]+`)

// Slug makes a document number safe and readable in a key: diacritics
// folded (QĐ → QD), every run of other characters a single '-', letters
// upper-case as numbers are printed.
func Slug(docNumber string) string {
	s := strings.ToUpper(viet.Fold(docNumber))
	s = unsafeRun.ReplaceAllString(s, "-")
	s = strings.Trim(s, "-")
	if len(s) > 80 {
		s = s[:80]
	}
	return s
}

// agencyWords shorten the common words of agency names in keys.
var agencyWords = strings.NewReplacer(
	"uy ban nhan dan", "ubnd",
	"hoi dong nhan dan", "hdnd",
	"van phong", "vp",
)

// agencySlug makes an issuing agency readable in a key, in lower case:
// "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" → "ubnd-tinh-quang-ngai".
func agencySlug(agency string) string {
	s := viet.Fold(agency)
	s = strings.Join(strings.Fields(unsafeRun.ReplaceAllString(s, " ")), " ")
	s = agencyWords.Replace(s)
	s = strings.ReplaceAll(s, " ", "-")
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-")
	}
	return s
}

// String describes a record in logs.
func (r *Record) String() string { return fmt.Sprintf("%s v%d (%s)", r.ID, r.Version, r.DocNumber) }
