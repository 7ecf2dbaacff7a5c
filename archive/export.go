package archive

import (
	"archive/zip"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/sohoa/sohoa/archive/index"
)

// The hand-over package.
//
// ExportDossier writes a hồ sơ as a BagIt bag (RFC 8493) in a zip, the
// package an archive hands over to the archive that takes its records:
//
//	<code>/bagit.txt                 BagIt-Version 1.0, UTF-8
//	<code>/bag-info.txt              who, when, what (the hồ sơ's code and title), Payload-Oxum
//	<code>/manifest-sha256.txt       the SHA-256 of every payload file
//	<code>/tagmanifest-sha256.txt    the SHA-256 of the tag files above
//	<code>/data/ho-so.json           the hồ sơ as stored (its latest version)
//	<code>/data/ho-so.csv            the file-level table (TT 02/2019, Phụ lục II)
//	<code>/data/van-ban.csv          the document-level table (TT 02/2019, Phụ lục I), one row per document
//	<code>/data/van-ban/NNN-<number>/   per document, in the hồ sơ's order: its PDF/A,
//	                                    its original (a stack's once, in its first part) and its record
//
// The CSV tables are UTF-8 with a byte-order mark, which spreadsheet
// programs need to read Vietnamese, comma-separated, one header row.

// ExportDossier writes hồ sơ id's hand-over package to w, as by (who is
// named in bag-info.txt). A restricted hồ sơ is exported like any other:
// who may ask for it is the caller's to decide.
func (a *Archive) ExportDossier(ctx context.Context, id, by string, w io.Writer) error {
	return ExportDossier(ctx, a.store, a.index, id, by, w)
}

// ExportDossier is Archive.ExportDossier on the archive bucket st and its
// index ix, for the command that exports with no archive running.
func ExportDossier(ctx context.Context, st Bucket, ix *index.Index, id, by string, w io.Writer) error {
	d, err := DossierIn(ctx, st, id)
	if err != nil {
		return err
	}
	root := Slug(d.Code)
	if root == "" {
		root = "ho-so-" + d.ID
	}
	z := zip.NewWriter(w)
	bag := &bagWriter{z: z, root: root, sums: map[string]string{}}

	recs := make([]*Record, len(d.Documents))
	for i, doc := range d.Documents {
		if recs[i], err = recordIn(ctx, st, ix, doc); err != nil {
			return fmt.Errorf("archive: export dossier %s: document %s: %w", d.Code, doc, err)
		}
	}
	if err := bag.writeJSON("data/ho-so.json", d); err != nil {
		return err
	}
	if err := bag.writeCSV("data/ho-so.csv", dossierTable(d, recs)); err != nil {
		return err
	}
	if err := bag.writeCSV("data/van-ban.csv", documentTable(d, recs)); err != nil {
		return err
	}
	originals := map[string]bool{}
	for i, rec := range recs {
		dir := fmt.Sprintf("data/van-ban/%03d-%s", i+1, cmp.Or(Slug(rec.DocNumber), "chua-so"))
		if err := bag.copyObject(ctx, st, dir+"/"+rec.ID+".pdf", rec.PDF.Key); err != nil {
			return err
		}
		if rec.Source.Key != "" && !originals[rec.Source.Key] {
			originals[rec.Source.Key] = true
			if err := bag.copyObject(ctx, st, dir+"/"+rec.ID+".original."+sourceExt(rec.Source.Format), rec.Source.Key); err != nil {
				return err
			}
		}
		if err := bag.writeJSON(dir+"/"+rec.ID+".json", rec); err != nil {
			return err
		}
	}
	if err := bag.finish(d, by); err != nil {
		return err
	}
	return z.Close()
}

// bagWriter writes a bag's files into a zip, keeping their checksums.
type bagWriter struct {
	z       *zip.Writer
	root    string
	sums    map[string]string // payload path → SHA-256
	order   []string
	octets  int64
	tagSums []string
}

func (b *bagWriter) create(name string) (io.Writer, error) {
	return b.z.CreateHeader(&zip.FileHeader{Name: path.Join(b.root, name), Method: zip.Deflate, Modified: time.Now().UTC()})
}

// write writes the payload file name from r, hashing it.
func (b *bagWriter) write(name string, r io.Reader) error {
	f, err := b.create(name)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err != nil {
		return fmt.Errorf("archive: export %s: %w", name, err)
	}
	b.sums[name] = hex.EncodeToString(h.Sum(nil))
	b.order = append(b.order, name)
	b.octets += n
	return nil
}

func (b *bagWriter) writeJSON(name string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("archive: export %s: %w", name, err)
	}
	return b.write(name, strings.NewReader(string(data)))
}

func (b *bagWriter) writeCSV(name string, rows [][]string) error {
	var s strings.Builder
	s.WriteString("\ufeff")
	cw := csv.NewWriter(&s)
	cw.UseCRLF = true
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("archive: export %s: %w", name, err)
	}
	return b.write(name, strings.NewReader(s.String()))
}

// copyObject copies the archive object at key into the bag as name.
func (b *bagWriter) copyObject(ctx context.Context, st Bucket, name, key string) error {
	data, err := st.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("archive: export %s: %w", key, err)
	}
	return b.write(name, strings.NewReader(string(data)))
}

// tag writes the tag file name.
func (b *bagWriter) tag(name, content string) error {
	f, err := b.create(name)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(f, content); err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(content))
	b.tagSums = append(b.tagSums, hex.EncodeToString(sum[:])+"  "+name+"\n")
	return nil
}

// finish writes the manifest and the tag files.
func (b *bagWriter) finish(d *Dossier, by string) error {
	var m strings.Builder
	for _, name := range b.order {
		m.WriteString(b.sums[name] + "  " + name + "\n")
	}
	if err := b.tag("bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"); err != nil {
		return err
	}
	info := fmt.Sprintf("Source-Organization: %s\nBagging-Date: %s\nExternal-Identifier: %s\nExternal-Description: %s\n"+
		"Contact-Name: %s\nBag-Software-Agent: sohoa %s\nPayload-Oxum: %d.%d\n",
		oneLine(cmp.Or(d.Fonds, "sohoa")), time.Now().UTC().Format(time.DateOnly), oneLine(cmp.Or(d.Code, d.ID)),
		oneLine(d.Title), oneLine(by), Version, b.octets, len(b.order))
	if err := b.tag("bag-info.txt", info); err != nil {
		return err
	}
	if err := b.tag("manifest-sha256.txt", m.String()); err != nil {
		return err
	}
	f, err := b.create("tagmanifest-sha256.txt")
	if err != nil {
		return err
	}
	_, err = io.WriteString(f, strings.Join(b.tagSums, ""))
	return err
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// dossierTable is the hồ sơ's row under TT 02/2019 Phụ lục II's names.
func dossierTable(d *Dossier, recs []*Record) [][]string {
	pages := d.Pages
	if pages == 0 {
		for _, r := range recs {
			pages += r.Pages
		}
	}
	return [][]string{
		{"Mã hồ sơ", "Mã phông", "Mục lục số hoặc năm hình thành hồ sơ", "Số và ký hiệu hồ sơ", "Tiêu đề hồ sơ",
			"Thời hạn bảo quản", "Chế độ sử dụng", "Ngôn ngữ", "Thời gian bắt đầu", "Thời gian kết thúc",
			"Tổng số văn bản trong hồ sơ", "Số lượng tờ", "Số lượng trang", "Từ khóa", "Ghi chú"},
		{d.Code, d.Fonds, d.Catalog, d.Number, d.Title, d.Retention, accessName(d.Access), cmp.Or(d.Language, "Tiếng Việt"),
			dmy(d.Start), dmy(d.End), strconv.Itoa(len(recs)), zeroEmpty(d.Sheets), zeroEmpty(pages), d.Keywords, d.Note},
	}
}

// documentTable is one row per document under TT 02/2019 Phụ lục I's names.
func documentTable(d *Dossier, recs []*Record) [][]string {
	rows := [][]string{{"Mã định danh văn bản", "Mã hồ sơ", "Số thứ tự văn bản trong hồ sơ", "Tên loại văn bản",
		"Số của văn bản", "Ký hiệu của văn bản", "Ngày tháng năm văn bản", "Tên cơ quan, tổ chức ban hành văn bản",
		"Trích yếu nội dung", "Ngôn ngữ", "Số lượng trang", "Ghi chú", "Mức độ tin cậy", "Tệp PDF/A", "SHA-256 của tệp PDF/A"}}
	for i, r := range recs {
		t := r.TT02
		rows = append(rows, []string{t.MaDinhDanhVanBan, d.Code, strconv.Itoa(i + 1), t.TenLoaiVanBan, t.SoCuaVanBan,
			t.KyHieuCuaVanBan, t.NgayThangNam, t.CoQuanBanHanh, t.TrichYeu, t.NgonNgu, strconv.Itoa(t.SoLuongTrang),
			t.GhiChu, t.MucDoTinCay, path.Base(r.PDF.Key), r.PDF.SHA256})
	}
	return rows
}

func accessName(a string) string {
	if a == AccessRestricted {
		return "Hạn chế"
	}
	return "Công khai"
}

// dmy writes a YYYY-MM-DD date as the rules do, dd/mm/yyyy.
func dmy(s string) string {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Format("02/01/2006")
	}
	return s
}

func zeroEmpty(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
