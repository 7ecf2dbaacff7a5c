package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/ingest/epdf"
	"github.com/sohoa/sohoa/ingest/epdf/epdftest"
	"github.com/sohoa/sohoa/internal/need"
	"github.com/sohoa/sohoa/internal/poll"
)

// scanOf renders a page of text as a scanner would give it: a grey image
// at 200 dpi (drawn by poppler through epdf, in Liberation Serif), for a
// PDF page that is a scan.
func scanOf(t *testing.T, lines []epdftest.Line) image.Image {
	t.Helper()
	got, err := epdf.Read(context.Background(), epdftest.Make([]epdftest.Page{{Lines: lines}}, epdftest.Options{}), []int{1}, epdf.Config{DPI: 200})
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(got[0].Image))
	if err != nil {
		t.Fatal(err)
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Bounds(), img, image.Point{}, draw.Src)
	return g
}

// redSeal is a small scanned seal: a red ring.
func redSeal() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 240, 240))
	for y := 0; y < 240; y++ {
		for x := 0; x < 240; x++ {
			c := color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
			if d := (x-120)*(x-120) + (y-120)*(y-120); d < 110*110 && d > 90*90 {
				c = color.RGBA{0xD0, 0x20, 0x20, 0xFF}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

// Electronic originals as e-office systems send them are archived like
// scans: a Word export in Times New Roman (not embedded), one typed in
// TCVN3, a mixed one (a page of text with a scanned seal, and a scanned
// page), and a digitally signed one. Each becomes a PDF/A-2u whose text is
// the original's own, indexed by its number, date and type, read right
// and certain; the original is kept byte for byte, its signature valid.
func TestServeElectronicPDFs(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdftoppm", "pdffonts", "pdfsig"} {
		need.Tool(t, tool, "poppler-utils")
	}
	need.Tool(t, "openssl", "openssl")

	page2 := []epdftest.Line{
		{Text: "Điều 3. Quyết định này có hiệu lực kể từ ngày ký ban hành.", X: 85, Top: 80, Size: 13},
		{Text: "Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện,", X: 85, Top: 100, Size: 13},
		{Text: "Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành.", X: 85, Top: 120, Size: 13},
	}
	scanned := []epdftest.Line{
		{Text: "Các sở, ban, ngành tỉnh và Ủy ban nhân dân các huyện", X: 85, Top: 80, Size: 14},
		{Text: "tổ chức thực hiện nghiêm túc Chỉ thị này và báo cáo", X: 85, Top: 104, Size: 14},
		{Text: "kết quả về Ủy ban nhân dân tỉnh trước ngày 30 tháng 6.", X: 85, Top: 128, Size: 14},
	}
	signedDoc, err := epdftest.Sign(epdftest.Make([]epdftest.Page{{Lines: epdftest.KeHoach.Lines}}, epdftest.Options{SignatureSpace: 8192}), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	files := []struct {
		name  string
		doc   epdftest.Doc
		data  []byte
		pages int
		// words the archived copy's text must have beyond the header's
		words []string
	}{
		{"quyet-dinh-word.pdf", epdftest.QuyetDinh, epdftest.Make([]epdftest.Page{{Lines: epdftest.QuyetDinh.Lines}, {Lines: page2}}, epdftest.Options{}), 2,
			[]string{"có hiệu lực kể từ ngày ký"}},
		{"thong-bao-tcvn3.pdf", epdftest.ThongBao, epdftest.Make([]epdftest.Page{{Lines: epdftest.ThongBao.Lines}}, epdftest.Options{}), 1, nil},
		{"chi-thi-hon-hop.pdf", epdftest.ChiThi, epdftest.Make([]epdftest.Page{
			{Lines: epdftest.ChiThi.Lines, Seal: redSeal(), SealAt: [3]float64{380, 620, 110}},
			{Scan: scanOf(t, scanned)},
		}, epdftest.Options{}), 2, []string{"tổ chức thực hiện nghiêm túc", "Chỉ thị này và báo cáo"}}, // OCR of the scanned page 2
		{"ke-hoach-da-ky.pdf", epdftest.KeHoach, signedDoc, 1, nil},
	}

	// A page poppler must not render: 5 m square, past the pixel limit
	// even at 100 dpi. It is refused, with the reason beside it.
	tooLarge := epdftest.Make([]epdftest.Page{{Size: [2]float64{14400, 14400}, Lines: epdftest.KeHoach.Lines}}, epdftest.Options{})

	data := t.TempDir()
	httpAddr := freeAddr(t)
	base := "http://" + httpAddr
	p := startProc(t, "serve", nil, "serve", "--data", data, "--http", httpAddr, "--workers", "1", "--log", "json")
	waitHealthy(t, base, p)
	inbox := filepath.Join(data, "inbox")
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(inbox, f.name), f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(inbox, "qua-lon.pdf"), tooLarge, 0o644); err != nil {
		t.Fatal(err)
	}
	docs := waitFinished(t, base, len(files)+1, 5*time.Minute)
	byName := map[string]apiDoc{}
	for _, d := range docs {
		byName[d.SourceName] = d
	}
	for _, f := range files {
		d := byName[f.name]
		if d.Status != "archived" {
			t.Errorf("%s: %s (%s), want archived", f.name, d.Status, d.Reason)
			continue
		}
		if d.DocNumber != f.doc.Number || d.Date != f.doc.Date || d.Type != f.doc.Type || d.NeedsReview || d.Pages != f.pages {
			t.Errorf("%s: %q %q %q, review %v, %d pages; want %q %q %q, certain, %d pages",
				f.name, d.DocNumber, d.Date, d.Type, d.NeedsReview, d.Pages, f.doc.Number, f.doc.Date, f.doc.Type, f.pages)
		}
		var full apiDoc
		if err := getJSON(base, "/api/documents/"+d.ID, &full); err != nil {
			t.Fatal(err)
		}
		if full.Agency != f.doc.Agency {
			t.Errorf("%s: agency %q, want %q", f.name, full.Agency, f.doc.Agency)
		}
		// The archived copy's text (as pdftotext reads it) is the
		// original's own: its header, its body, and the OCR of a scanned page.
		text := pdfText(t, get(t, base+"/api/documents/"+d.ID+"/pdf"))
		want := append([]string{f.doc.Number, f.doc.Phrase, "Độc lập - Tự do - Hạnh phúc", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}, f.words...)
		for _, w := range want {
			if !containsWords(text, w) {
				t.Errorf("%s: the archived PDF's text lacks %q:\n%s", f.name, w, text)
			}
			if full.Text == nil || !containsWords(*full.Text, w) {
				t.Errorf("%s: the API text lacks %q", f.name, w)
			}
		}
		if strings.ContainsAny(text, "©§®") {
			t.Errorf("%s: legacy bytes left in the text:\n%s", f.name, text)
		}
		// Searching finds it by its number.
		var hits apiList
		if err := getJSON(base, "/api/documents?q="+strings.ReplaceAll(f.doc.Number, "/", "%2F"), &hits); err != nil {
			t.Fatal(err)
		} else if len(hits.Documents) == 0 || hits.Documents[0].ID != d.ID {
			t.Errorf("%s: a search for %s finds %+v", f.name, f.doc.Number, hits.Documents)
		}
	}

	if d := byName["qua-lon.pdf"]; d.Status != "failed" || !strings.Contains(d.Reason, "văn bản điện tử") {
		t.Errorf("qua-lon.pdf: %s, %q; want failed, saying why", d.Status, d.Reason)
	}
	poll.Until(t, 30*time.Second, func() error {
		b, err := os.ReadFile(filepath.Join(data, "failed", "qua-lon.pdf.reason.txt"))
		if err == nil && !strings.Contains(string(b), "Cách xử lý") {
			return fmt.Errorf("reason %q", b)
		}
		return err
	})

	// The originals are kept beside their PDF/A byte for byte, the
	// signed one's signature valid; every PDF/A passes sohoa verify.
	var archived []string
	originals := map[string][]byte{}
	_ = filepath.WalkDir(filepath.Join(data, "s3", "data", "sohoa-archive"), func(p string, d os.DirEntry, err error) error {
		switch {
		case err != nil || d.IsDir():
		case strings.Contains(filepath.Base(p), ".original."):
			originals[p], _ = os.ReadFile(p)
		case strings.HasSuffix(p, ".pdf"):
			archived = append(archived, p)
		}
		return nil
	})
	if len(originals) != len(files) || len(archived) != len(files) {
		t.Errorf("%d originals and %d PDFs in the archive bucket, want %d of each", len(originals), len(archived), len(files))
	}
	for _, f := range files {
		found := ""
		for p, b := range originals {
			if bytes.Equal(b, f.data) {
				found = p
			}
		}
		if found == "" {
			t.Errorf("%s: not kept byte for byte", f.name)
			continue
		}
		if f.name == "ke-hoach-da-ky.pdf" {
			out, _ := exec.Command("pdfsig", found).CombinedOutput()
			if !strings.Contains(string(out), "Signature is Valid") {
				t.Errorf("the signed original's signature, as archived:\n%s", out)
			}
		}
	}
	if len(archived) > 0 {
		if out, err := exec.Command(sohoaBinary(t), append([]string{"verify"}, archived...)...).CombinedOutput(); err != nil {
			t.Errorf("sohoa verify: %v\n%s", err, out)
		}
	}
}
