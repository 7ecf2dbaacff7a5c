package pdf

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/sohoa/sohoa/internal/need"
)

func TestMain(m *testing.M) {
	// As main does in production: pdfcpu must not read or create a
	// configuration directory.
	api.DisableConfigDir()
	if pdfaCheckReady() == nil {
		dir, err := os.MkdirTemp("", "pdfa")
		if err == nil {
			allPDFs.dir = dir
		}
	}
	code := m.Run()
	if allPDFs.dir != "" {
		if code == 0 && !pdfaCheckAll() {
			code = 1
		}
		os.RemoveAll(allPDFs.dir)
	}
	os.Exit(code)
}

// allPDFs collects every file writePDF writes, so that TestMain can run
// pdfa_check.py on all of them at the end, in one process.
var allPDFs struct {
	sync.Mutex
	dir   string // "" when pdfa_check.py cannot run here
	files []writtenPDF
}

type writtenPDF struct {
	path, test string
	text       bool
}

// pdfaCheckReady says why sohoa's independent PDF/A checker cannot run
// (nil when it can): it lives in ../shared beside the repository, and
// needs qpdf and pikepdf.
func pdfaCheckReady() error {
	if _, err := os.Stat(pdfaCheckTool); err != nil {
		return err
	}
	if _, err := exec.LookPath("qpdf"); err != nil {
		return err
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import pikepdf").Run(); err != nil {
		return fmt.Errorf("python3-pikepdf: %w", err)
	}
	return nil
}

// pdfaCheckAll runs pdfa_check.py on every file the tests wrote and reports
// whether it accepted them all: OK, or for a document without text only the
// tool's own complaint that there is no text layer (a heuristic for OCR
// output, not a PDF/A clause).
func pdfaCheckAll() bool {
	files := allPDFs.files
	ok := true
	for len(files) > 0 {
		batch := files[:min(len(files), 200)]
		files = files[len(batch):]
		args := []string{pdfaCheckTool}
		for _, f := range batch {
			args = append(args, f.path)
		}
		out, _ := exec.Command("/usr/bin/python3", args...).CombinedOutput()
		got := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if path, result, found := strings.Cut(l, ": "); found {
				got[path] = result
			}
		}
		for _, f := range batch {
			want := "OK"
			if !f.text {
				want = "no text layer (no fonts on any page)"
			}
			if got[f.path] != want {
				fmt.Fprintf(os.Stderr, "pdfa_check.py on a file %s wrote: %q, want %q\n", f.test, got[f.path], want)
				ok = false
			}
		}
	}
	if testing.Verbose() || !ok {
		fmt.Fprintf(os.Stderr, "pdfa_check.py checked the %d files the tests wrote\n", len(allPDFs.files))
	}
	return ok
}

var testInfo = Info{
	Title:      "Quyết định về việc phê duyệt kế hoạch thủy lợi",
	Identifier: "15/2020/QĐ-UBND",
	Language:   "vi",
	Producer:   "sohoa 0.1",
	Created:    time.Date(2020, 3, 15, 9, 30, 0, 0, time.FixedZone("ICT", 7*3600)),
}

// writePDF runs Write and fails the test on error.
func writePDF(t *testing.T, pages []Page, info Info) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, pages, info); err != nil {
		t.Fatalf("Write: %v", err)
	}
	keepPDF(t, b.Bytes(), hasText(pages))
	return b.Bytes()
}

// keepPDF keeps a file a test made for pdfa_check.py (see TestMain); text
// says whether it has a text layer.
func keepPDF(t *testing.T, pdf []byte, text bool) {
	t.Helper()
	allPDFs.Lock()
	defer allPDFs.Unlock()
	if allPDFs.dir != "" {
		path := filepath.Join(allPDFs.dir, fmt.Sprintf("%04d.pdf", len(allPDFs.files)))
		if err := os.WriteFile(path, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		allPDFs.files = append(allPDFs.files, writtenPDF{path, t.Name(), text})
	}
}

// needTool skips the test when an external program is not installed
// (fails it under SOHOA_REQUIRE_TOOLS=1, as make test sets).
func needTool(t *testing.T, name string) string {
	t.Helper()
	return need.Tool(t, name, "poppler-utils")
}

// tempPDF writes pdf to a file in a test directory and returns its path.
func tempPDF(t *testing.T, pdf []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// run runs a program and returns its standard output.
func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(needTool(t, name), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.Bytes())
	}
	return out
}

// render renders page 1 of pdf with pdftoppm at dpi; gray asks for an 8-bit
// gray image instead of RGB.
func render(t *testing.T, pdf []byte, dpiX, dpiY float64, gray bool) image.Image {
	t.Helper()
	path := tempPDF(t, pdf)
	args := []string{"-f", "1", "-l", "1", "-png", "-singlefile", "-aa", "no", "-aaVector", "no",
		"-rx", strconv.FormatFloat(dpiX, 'f', -1, 64), "-ry", strconv.FormatFloat(dpiY, 'f', -1, 64)}
	if gray {
		args = append(args, "-gray")
	}
	out := filepath.Join(filepath.Dir(path), "page")
	run(t, "pdftoppm", append(args, path, out)...)
	f, err := os.Open(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// readPDF parses and validates pdf with pdfcpu.
func readPDF(t *testing.T, pdf []byte) *model.Context {
	t.Helper()
	ctx, err := api.ReadAndValidate(bytes.NewReader(pdf), model.NewDefaultConfiguration())
	if err != nil {
		t.Fatalf("pdfcpu read: %v", err)
	}
	return ctx
}

// pageDict returns page n (from 1) of ctx.
func pageDict(t *testing.T, ctx *model.Context, n int) types.Dict {
	t.Helper()
	d, _, _, err := ctx.PageDict(n, false)
	if err != nil || d == nil {
		t.Fatalf("page %d: %v", n, err)
	}
	return d
}

// deref resolves o in ctx, failing the test if it is not of type T.
func deref[T any](t *testing.T, ctx *model.Context, o types.Object) T {
	t.Helper()
	o, err := ctx.Dereference(o)
	if err != nil {
		t.Fatal(err)
	}
	v, ok := o.(T)
	if !ok {
		var zero T
		t.Fatalf("object %v is %T, want %T", o, o, zero)
	}
	return v
}

// pageImageStream returns the dictionary and raw (encoded) data of the image
// XObject of page n.
func pageImageStream(t *testing.T, ctx *model.Context, n int) types.StreamDict {
	t.Helper()
	res := deref[types.Dict](t, ctx, pageDict(t, ctx, n)["Resources"])
	xo := deref[types.Dict](t, ctx, res["XObject"])
	if len(xo) != 1 {
		t.Fatalf("page %d has %d XObjects, want 1", n, len(xo))
	}
	var sd types.StreamDict
	for _, ref := range xo {
		sd = deref[types.StreamDict](t, ctx, ref)
	}
	return sd
}

// tiffFile describes a TIFF file for buildTIFF: one page, little-endian.
type tiffFile struct {
	width, height            int
	compression, photometric int
	bitsPerSample, samples   int // 0 means 1
	fillOrder, t4Options     int // 0 means absent
	rowsPerStrip             int // 0 means height
	strips                   [][]byte
	extraPages               int  // further full-resolution IFDs (copies of the first)
	thumbnail                bool // a reduced-resolution IFD after the page
}

// buildTIFF assembles a TIFF container around strip data, which it does not
// interpret: tests use it to wrap CCITT data produced elsewhere.
func buildTIFF(f tiffFile) []byte {
	le := binary.LittleEndian
	b := []byte{'I', 'I', 42, 0, 0, 0, 0, 0}
	var offs, counts []uint32
	for _, s := range f.strips {
		offs = append(offs, uint32(len(b)))
		counts = append(counts, uint32(len(s)))
		b = append(b, s...)
		if len(b)%2 == 1 {
			b = append(b, 0)
		}
	}
	one := func(v int) int {
		if v == 0 {
			return 1
		}
		return v
	}
	rps := f.rowsPerStrip
	if rps == 0 {
		rps = f.height
	}
	type entry struct {
		tag, typ uint16
		vals     []uint32
	}
	ifd := func(subfile uint32) []entry {
		e := []entry{
			{254, 4, []uint32{subfile}},
			{256, 4, []uint32{uint32(f.width)}},
			{257, 4, []uint32{uint32(f.height)}},
			{258, 3, []uint32{uint32(one(f.bitsPerSample))}},
			{259, 3, []uint32{uint32(f.compression)}},
			{262, 3, []uint32{uint32(f.photometric)}},
			{273, 4, offs},
			{277, 3, []uint32{uint32(one(f.samples))}},
			{278, 4, []uint32{uint32(rps)}},
			{279, 4, counts},
		}
		if f.fillOrder != 0 {
			e = append(e, entry{266, 3, []uint32{uint32(f.fillOrder)}})
		}
		if f.t4Options != 0 {
			e = append(e, entry{292, 4, []uint32{uint32(f.t4Options)}})
		}
		sort.Slice(e, func(i, j int) bool { return e[i].tag < e[j].tag })
		return e
	}
	var ifds [][]entry
	ifds = append(ifds, ifd(0))
	for range f.extraPages {
		ifds = append(ifds, ifd(0))
	}
	if f.thumbnail {
		ifds = append(ifds, ifd(1))
	}
	next := 4
	for _, es := range ifds {
		// Arrays that do not fit in an entry go before the IFD.
		ext := map[int]uint32{}
		for i, e := range es {
			if len(e.vals) > 1 {
				ext[i] = uint32(len(b))
				for _, v := range e.vals {
					b = le.AppendUint32(b, v)
				}
			}
		}
		le.PutUint32(b[next:], uint32(len(b)))
		b = le.AppendUint16(b, uint16(len(es)))
		for i, e := range es {
			b = le.AppendUint16(b, e.tag)
			b = le.AppendUint16(b, e.typ)
			b = le.AppendUint32(b, uint32(len(e.vals)))
			switch {
			case len(e.vals) > 1:
				b = le.AppendUint32(b, ext[i])
			case e.typ == 3:
				b = le.AppendUint16(b, uint16(e.vals[0]))
				b = le.AppendUint16(b, 0)
			default:
				b = le.AppendUint32(b, e.vals[0])
			}
		}
		next = len(b)
		b = le.AppendUint32(b, 0)
	}
	return b
}
