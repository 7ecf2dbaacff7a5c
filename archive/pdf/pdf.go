package pdf

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/fault"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/pipeline"
)

// defaultDPI is the resolution assumed for an image that does not say.
const defaultDPI = 300

// ErrBadImage marks a page image that cannot be embedded: corrupt, of an
// unsupported kind (12-bit or arithmetic-coded JPEG, multi-page or BigTIFF,
// 2-D G3 in several strips, …) or too large to decode safely. Retrying will
// not help; callers test for it with errors.Is.
var ErrBadImage = errors.New("bad image")

// Page is one page to write.
type Page struct {
	// Image is the encoded image; Format names its encoding: "jpeg", "png"
	// or "tiff" (a single-page TIFF: CCITT G3/G4 1-bit, or uncompressed,
	// LZW, PackBits or Deflate gray, paletted or RGB).
	Image  []byte
	Format string
	// DPIX, DPIY are the image's resolution in pixels per inch; 0 means
	// unknown, and 300 is assumed. A resolution that would make the page
	// smaller than 3 or larger than 14400 points (PDF/A's limits) in
	// either direction is taken to be wrong: 300 dpi is assumed in both,
	// and a page that still does not fit (an image of less than 13 or more
	// than 60000 pixels) is scaled to fit.
	DPIX, DPIY float64
	// Patches are parts of the page in colour, drawn over Image: the seals
	// and stamps of a page archived in black and white.
	Patches []Patch
	// Text is what OCR read on the image, in its pixel coordinates; nil for
	// a page without text. If Text.Width and Text.Height are set and differ
	// from the image's size (OCR ran on a scaled copy), the boxes are scaled
	// to the image; a different aspect ratio is an error.
	Text *pipeline.PageText
}

// Patch is an image drawn over part of a page: JPEG, placed with its
// top-left corner at (X, Y) and spanning Width×Height pixels of the page
// image.
type Patch struct {
	Image               []byte
	Format              string
	X, Y, Width, Height int
}

// Info is document metadata, stated both in the XMP metadata and in the
// Info dictionary. Every string is written in NFC with runs of white space
// and control characters turned into single spaces.
type Info struct {
	Title      string // trích yếu (subject line): dc:title, /Title; may be empty
	Identifier string // số và ký hiệu, e.g. "15/2020/QĐ-UBND": dc:identifier, /Identifier; may be empty
	Language   string // BCP 47 tag of the text, e.g. "vi": dc:language and the catalog's /Lang
	Producer   string // e.g. "sohoa 0.1": pdf:Producer, xmp:CreatorTool, /Producer
	// Created is the time of writing if zero, and is written to the
	// second, with its time zone.
	Created time.Time
}

// Write writes a PDF/A-2u file of pages to w: PDF 1.7, one page per image,
// each page the size of its image at its resolution with the image filling
// it, and an invisible text layer (text render mode 3) placing every OCR
// word over its box in the image, so that search, selection and copy give
// the OCR text, every character mapped to Unicode.
//
// JPEG images and single-strip CCITT TIFF data are embedded as they are,
// except CMYK JPEGs, which are converted to RGB JPEGs (PDF/A allows no
// CMYK under an RGB output intent); other images are decoded, one page at a
// time, and written losslessly with Flate in the smallest of 1-bit, 8-bit
// gray or RGB that holds them.
//
// The catalog gets an XMP metadata stream that declares PDF/A-2u and states
// info (see Info), an sRGB output intent with an ICC profile the package
// generates, and /Lang. The Info dictionary states the same: /Title,
// /Identifier (a custom key), /Producer, and /CreationDate and /ModDate
// both set to info.Created, as do xmp:CreateDate, xmp:ModifyDate and
// xmp:MetadataDate. The first, permanent half of the file /ID is a hash of
// info and the pages, so the same document written twice keeps its
// identity.
//
// Write does not modify pages or retain them after it returns. The file is
// assembled in memory and handed to w in one Write call, so nothing reaches
// w unless the whole document could be made. Errors caused by an image wrap
// ErrBadImage.
func Write(w io.Writer, pages []Page, info Info) (err error) {
	defer func() {
		if err != nil && !strings.HasPrefix(err.Error(), "pdf: ") {
			err = fmt.Errorf("pdf: %w", err)
		}
	}()
	// pdfcpu reports some internal failures by panicking with fault.Panic,
	// which its own api functions recover like this (runs first).
	defer fault.Catch(&err)

	if len(pages) == 0 {
		return errors.New("pdf: no pages")
	}
	conf := model.NewDefaultConfiguration()
	conf.Cmd = model.IMPORTIMAGES
	// A classic cross-reference table and trailer: the most widely readable
	// form, and object streams would save little in a file of images.
	conf.WriteObjectStream = false
	conf.WriteXRefStream = false

	// CreateContextWithXRefTable is how pdfcpu's own image import starts a
	// document: a catalog and an empty page tree (with a default MediaBox,
	// which every page here overrides).
	ctx, err := pdfcpu.CreateContextWithXRefTable(conf, types.PaperSize["A4"])
	if err != nil {
		return fmt.Errorf("pdf: create document: %w", err)
	}
	d := &doc{ctx: ctx}
	if d.pagesRef, err = ctx.Pages(); err != nil {
		return fmt.Errorf("pdf: page tree: %w", err)
	}
	if d.pages, err = ctx.DereferenceDict(*d.pagesRef); err != nil {
		return fmt.Errorf("pdf: page tree: %w", err)
	}
	d.pages.Delete("MediaBox")

	id := sha256.New()
	for i := range pages {
		if err := d.addPage(&pages[i]); err != nil {
			return fmt.Errorf("pdf: page %d: %w", i+1, err)
		}
		hashPage(id, &pages[i])
	}
	if d.font != nil {
		if err := d.addFont(); err != nil {
			return fmt.Errorf("pdf: font: %w", err)
		}
	}
	if err := d.addMetadata(info, id); err != nil {
		return fmt.Errorf("pdf: metadata: %w", err)
	}
	// The whole file is assembled in memory (pdfcpu holds every stream until
	// it writes anyway) so that fixInfo can correct it before w sees it.
	var buf bytes.Buffer
	if err := api.WriteContext(ctx, &buf); err != nil {
		return fmt.Errorf("pdf: write: %w", err)
	}
	if err := d.fixInfo(buf.Bytes()); err != nil {
		return fmt.Errorf("pdf: metadata: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("pdf: write: %w", err)
	}
	return nil
}

// doc is a document being assembled.
type doc struct {
	ctx      *model.Context
	pagesRef *types.IndirectRef
	pages    types.Dict
	// font is the text layer's Type0 font dictionary, created with the first
	// page that has text and filled in by addFont; used records the CIDs
	// the pages show.
	font    types.Dict
	fontRef *types.IndirectRef
	used    cidSet
	// info is the Info dictionary as it must be written (see fixInfo).
	info types.Dict
}

func (d *doc) addPage(p *Page) error {
	dpiX, dpiY := p.DPIX, p.DPIY
	for _, v := range []*float64{&dpiX, &dpiY} {
		switch {
		case *v == 0:
			*v = defaultDPI
		case !(*v > 0) || math.IsInf(*v, 0):
			return fmt.Errorf("bad resolution %vx%v dpi", p.DPIX, p.DPIY)
		}
	}
	img, err := newImage(p)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadImage, err)
	}
	wpt, hpt, err := pageSize(img.width, img.height, dpiX, dpiY)
	if err != nil {
		return err
	}

	imgRef, err := d.ctx.IndRefForNewObject(img.stream)
	if err != nil {
		return err
	}
	resources := types.NewDict()
	resources.Insert("XObject", types.Dict{"Im1": *imgRef})

	var content bytes.Buffer
	fmt.Fprintf(&content, "q\n%s 0 0 %s 0 0 cm\n/Im1 Do\nQ\n", num(wpt), num(hpt))
	xobjects := resources["XObject"].(types.Dict)
	for i, pt := range p.Patches {
		pimg, err := newImage(&Page{Image: pt.Image, Format: pt.Format})
		if err != nil {
			return fmt.Errorf("%w: patch %d: %w", ErrBadImage, i+1, err)
		}
		if pt.Width <= 0 || pt.Height <= 0 || pt.X < 0 || pt.Y < 0 || pt.X+pt.Width > img.width || pt.Y+pt.Height > img.height {
			return fmt.Errorf("patch %d at %d,%d size %dx%d lies outside the %dx%d page", i+1, pt.X, pt.Y, pt.Width, pt.Height, img.width, img.height)
		}
		ref, err := d.ctx.IndRefForNewObject(pimg.stream)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("P%d", i+1)
		xobjects.Insert(name, *ref)
		sx, sy := wpt/float64(img.width), hpt/float64(img.height)
		fmt.Fprintf(&content, "q\n%s 0 0 %s %s %s cm\n/%s Do\nQ\n",
			num(float64(pt.Width)*sx), num(float64(pt.Height)*sy),
			num(float64(pt.X)*sx), num(hpt-float64(pt.Y+pt.Height)*sy), name)
	}
	if hasWords(p.Text) {
		pl := placement{
			kx: 1, ky: 1,
			sx: wpt / float64(img.width), sy: hpt / float64(img.height),
			width: float64(img.width), height: float64(img.height),
		}
		if t := p.Text; t.Width > 0 && t.Height > 0 && (t.Width != img.width || t.Height != img.height) {
			pl.kx, pl.ky = float64(img.width)/float64(t.Width), float64(img.height)/float64(t.Height)
			if r := pl.kx / pl.ky; r < 0.98 || r > 1.02 {
				return fmt.Errorf("text is for a %dx%d image, the image is %dx%d", t.Width, t.Height, img.width, img.height)
			}
		}
		if d.font == nil {
			d.font = types.NewDict()
			if d.fontRef, err = d.ctx.IndRefForNewObject(d.font); err != nil {
				return err
			}
		}
		writeText(&content, p.Text, pl, &d.used)
		resources.Insert("Font", types.Dict{fontResource: *d.fontRef})
	}
	contentRef, err := d.flateStream(content.Bytes(), nil)
	if err != nil {
		return err
	}

	page := types.NewDict()
	page.InsertName("Type", "Page")
	page.Insert("Parent", *d.pagesRef)
	page.Insert("MediaBox", types.Array{types.Integer(0), types.Integer(0), number(wpt), number(hpt)})
	page.Insert("Resources", resources)
	page.Insert("Contents", *contentRef)
	pageRef, err := d.ctx.IndRefForNewObject(page)
	if err != nil {
		return err
	}
	if err := model.AppendPageTree(pageRef, 1, d.pages); err != nil {
		return err
	}
	d.ctx.PageCount++
	return nil
}

// PDF/A-2 (6.1.13) limits the page size to between minPageSize and
// maxPageSize units in each direction.
const minPageSize, maxPageSize = 3, 14400

// pageSize returns the size in points, rounded as the content stream writes
// numbers, of a page showing a w x h pixel image at the resolution given.
// A resolution that puts the page outside PDF/A's limits is taken to be
// wrong (scanners do write 1 or 72 dpi): defaultDPI is assumed instead,
// and if the page still does not fit, as for an image smaller than 13
// pixels or larger than 60000, it is scaled to fit.
func pageSize(w, h int, dpiX, dpiY float64) (wpt, hpt float64, err error) {
	fits := func(a, b float64) bool {
		return min(a, b) >= minPageSize && max(a, b) <= maxPageSize
	}
	wpt, hpt = round3(float64(w)*72/dpiX), round3(float64(h)*72/dpiY)
	if fits(wpt, hpt) {
		return wpt, hpt, nil
	}
	wpt, hpt = float64(w)*72/defaultDPI, float64(h)*72/defaultDPI
	f := 1.0
	if m := min(wpt, hpt); m < minPageSize {
		f = minPageSize / m
	}
	if m := max(wpt, hpt); m*f > maxPageSize {
		f = maxPageSize / m
	}
	wpt, hpt = wpt*f, hpt*f
	if min(wpt, hpt) < minPageSize*(1-1e-9) {
		return 0, 0, fmt.Errorf("%dx%d image: no page size within %d to %d points keeps its shape", w, h, minPageSize, maxPageSize)
	}
	// Rounding must not take a side just out of bounds.
	return clamp(round3(wpt), minPageSize, maxPageSize), clamp(round3(hpt), minPageSize, maxPageSize), nil
}

// addFont fills in the text layer's font: a Type0 font with /Identity-H
// over a CIDFontType2 whose CIDs all map to the empty glyph of an embedded
// glyphless TrueType program, with a ToUnicode CMap for the CIDs used.
func (d *doc) addFont() error {
	prog := fontProgram()
	fileRef, err := d.flateStream(prog, types.Dict{"Length1": types.Integer(len(prog))})
	if err != nil {
		return err
	}
	desc := types.NewDict()
	desc.InsertName("Type", "FontDescriptor")
	desc.InsertName("FontName", fontName)
	desc.InsertInt("Flags", 4) // symbolic
	desc.Insert("FontBBox", types.NewIntegerArray(notdefXMin, notdefYMin, notdefXMax, notdefYMax))
	desc.InsertInt("ItalicAngle", 0)
	desc.InsertInt("Ascent", fontAscent)
	desc.InsertInt("Descent", fontDescent)
	desc.InsertInt("CapHeight", notdefYMax)
	desc.InsertInt("StemV", 80)
	desc.Insert("FontFile2", *fileRef)
	descRef, err := d.ctx.IndRefForNewObject(desc)
	if err != nil {
		return err
	}
	mapRef, err := d.flateStream(cidToGIDMap(), nil)
	if err != nil {
		return err
	}
	cid := types.NewDict()
	cid.InsertName("Type", "Font")
	cid.InsertName("Subtype", "CIDFontType2")
	cid.InsertName("BaseFont", fontName)
	cid.Insert("CIDSystemInfo", types.Dict{
		"Registry":   types.StringLiteral("Adobe"),
		"Ordering":   types.StringLiteral("Identity"),
		"Supplement": types.Integer(0),
	})
	cid.Insert("FontDescriptor", *descRef)
	cid.InsertInt("DW", glyphAdvance)
	cid.Insert("W", types.NewIntegerArray(0, 0xFFFF, glyphAdvance))
	cid.Insert("CIDToGIDMap", *mapRef)
	cidRef, err := d.ctx.IndRefForNewObject(cid)
	if err != nil {
		return err
	}
	toUnicodeRef, err := d.flateStream(toUnicodeCMap(d.used.sorted()), nil)
	if err != nil {
		return err
	}
	d.font.InsertName("Type", "Font")
	d.font.InsertName("Subtype", "Type0")
	d.font.InsertName("BaseFont", fontName)
	d.font.InsertName("Encoding", "Identity-H")
	d.font.Insert("DescendantFonts", types.Array{*cidRef})
	d.font.Insert("ToUnicode", *toUnicodeRef)
	return nil
}

// addMetadata sets the document metadata: the catalog's /Lang, its XMP
// /Metadata stream and the Info dictionary, which state the same values
// (PDF/A-2 6.6.2), the sRGB output intent, and the permanent half of the
// file ID: a hash of the info and the pages, so that the same document
// assembled twice keeps its identity.
func (d *doc) addMetadata(info Info, pageHash interface{ Sum([]byte) []byte }) error {
	root, err := d.ctx.Catalog()
	if err != nil {
		return err
	}
	intent, err := d.outputIntent()
	if err != nil {
		return err
	}
	root.Insert("OutputIntents", types.Array{*intent})

	h := sha256.New()
	for _, s := range []string{info.Title, info.Identifier, info.Language, info.Producer, info.Created.UTC().Format(time.RFC3339Nano)} {
		h.Write(binary.AppendUvarint(nil, uint64(len(s))))
		h.Write([]byte(s))
	}
	h.Write(pageHash.Sum(nil))
	id := types.NewHexLiteral(h.Sum(nil)[:16])
	// pdfcpu keeps the first element and replaces the second with its own
	// per-write identifier.
	d.ctx.ID = types.Array{id, id}
	return d.setMetadata(root, info)
}

// setMetadata gives the document its XMP metadata stream, /Lang and Info
// dictionary from info, replacing those it has (a rewritten file keeps its
// object numbers: see Retitle).
func (d *doc) setMetadata(root types.Dict, info Info) error {
	m := newDocMeta(info)
	root.Delete("Lang")
	if m.language != "" {
		root.Insert("Lang", textString(m.language))
	}

	// The XMP stream is not compressed, so that tools that scan files for
	// XMP packets without parsing PDF still find it.
	xmp := xmpPacket(m)
	md := types.NewDict()
	md.InsertName("Type", "Metadata")
	md.InsertName("Subtype", "XML")
	n := int64(len(xmp))
	md.Insert("Length", types.Integer(n))
	stream := types.StreamDict{Dict: md, Content: xmp, Raw: xmp, StreamLength: &n}
	if old, ok := root["Metadata"].(types.IndirectRef); ok {
		if e, ok := d.ctx.FindTableEntryForIndRef(&old); ok {
			e.Object = stream
		}
	} else {
		mdRef, err := d.ctx.IndRefForNewObject(stream)
		if err != nil {
			return err
		}
		root.Insert("Metadata", *mdRef)
	}

	d.info = types.NewDict()
	root.Delete("ViewerPreferences")
	if m.title != "" {
		d.info.Insert("Title", textString(m.title))
		root.Insert("ViewerPreferences", types.Dict{"DisplayDocTitle": types.Boolean(true)})
	}
	// /Identifier is not one of the Info keys PDF/A relates to XMP (Table 1
	// of ISO 19005-2), so it needs no XMP twin; dc:identifier carries the
	// same value for PDF/A tools, and the Info entry stays for tools (and
	// callers) that read Info dictionaries.
	if m.identifier != "" {
		d.info.Insert("Identifier", textString(m.identifier))
	}
	if m.producer != "" {
		d.info.Insert("Producer", textString(m.producer))
	}
	date := types.StringLiteral(types.DateString(m.date))
	d.info.Insert("CreationDate", date)
	d.info.Insert("ModDate", date)

	// What pdfcpu gets: the same without the entries it overwrites, and
	// room for fixInfo to put them back (see there).
	stamped := d.info.Clone().(types.Dict)
	for _, k := range stampedKeys {
		stamped.Delete(k)
	}
	stamped.Insert(padKey, types.StringLiteral(strings.Repeat(" ", len(d.info.PDFString()))))
	if d.ctx.Info != nil {
		if e, ok := d.ctx.FindTableEntryForIndRef(d.ctx.Info); ok {
			e.Object = stamped
			return nil
		}
	}
	var err error
	d.ctx.Info, err = d.ctx.IndRefForNewObject(stamped)
	return err
}

// outputIntent adds the PDF/A output intent: sRGB, with the profile that
// srgbProfile generates. It gives DeviceRGB and DeviceGray, the only colour
// spaces the pages use, their meaning (PDF/A-2 6.2.4.3).
func (d *doc) outputIntent() (*types.IndirectRef, error) {
	profile, err := d.flateStream(srgbProfile(), types.Dict{"N": types.Integer(3)})
	if err != nil {
		return nil, err
	}
	oi := types.NewDict()
	oi.InsertName("Type", "OutputIntent")
	oi.InsertName("S", "GTS_PDFA1")
	oi.Insert("OutputConditionIdentifier", types.StringLiteral(srgbDescription))
	oi.Insert("RegistryName", types.StringLiteral("http://www.color.org"))
	oi.Insert("Info", types.StringLiteral(srgbDescription))
	oi.Insert("DestOutputProfile", *profile)
	return d.ctx.IndRefForNewObject(oi)
}

// stampedKeys are the Info entries pdfcpu's writer always sets itself:
// /Producer to "pdfcpu <version>", the dates to the time of writing
// (pdfcpu.ensureInfoDict; there is no option to keep the caller's values).
var stampedKeys = []string{"Producer", "CreationDate", "ModDate"}

// padKey names the Info entry that reserves room for fixInfo.
const padKey = "SohoaPad"

// fixInfo puts the caller's /Producer, /CreationDate and /ModDate into the
// Info dictionary of a file pdfcpu has just written to pdf.
//
// This works around pdfcpu, which overwrites those three entries on every
// write (see stampedKeys). They matter: Producer and the creation date are
// archival metadata, and PDF/A requires the Info dictionary to agree with
// the XMP metadata, which cannot know the instant pdfcpu will stamp. So the
// Info dictionary goes to pdfcpu with a padding entry longer than the three
// values, and here its serialization in the written file, at the offset
// pdfcpu recorded for the cross-reference table, is replaced by the wanted
// dictionary padded with spaces to the same length. No offset moves, so the
// cross-reference table pdfcpu wrote stays exact, and the file has a single
// revision. The object is located and checked byte for byte; if pdfcpu ever
// writes it differently, fixInfo fails rather than guess.
func (d *doc) fixInfo(pdf []byte) error {
	nr := d.ctx.Info.ObjectNumber.Value()
	stamped, err := d.ctx.DereferenceDict(*d.ctx.Info)
	if err != nil {
		return err
	}
	off, ok := d.ctx.Write.Table[nr]
	header := fmt.Sprintf("%d %d obj%s", nr, d.ctx.Info.GenerationNumber.Value(), d.ctx.Write.Eol)
	old := stamped.PDFString()
	if !ok || off < 0 || off+int64(len(header)+len(old)) > int64(len(pdf)) ||
		string(pdf[off:off+int64(len(header)+len(old))]) != header+old {
		return errors.New("cannot find the Info dictionary pdfcpu wrote")
	}
	want := d.info.PDFString()
	if len(want) > len(old) {
		return fmt.Errorf("the Info dictionary needs %d bytes, %d are reserved", len(want), len(old))
	}
	// "<<...>>" becomes "<<...   >>".
	fixed := want[:len(want)-2] + strings.Repeat(" ", len(old)-len(want)) + ">>"
	copy(pdf[off+int64(len(header)):], fixed)
	return nil
}

// flateStream adds a Flate-compressed stream of content with the extra
// dictionary entries in extra.
func (d *doc) flateStream(content []byte, extra types.Dict) (*types.IndirectRef, error) {
	sd, err := d.ctx.NewStreamDictForBuf(content)
	if err != nil {
		return nil, err
	}
	for k, v := range extra {
		sd.Insert(k, v)
	}
	if err := sd.Encode(); err != nil {
		return nil, err
	}
	// The decoded content is not needed once encoded.
	sd.Content = nil
	return d.ctx.IndRefForNewObject(*sd)
}

func hashPage(h io.Writer, p *Page) {
	h.Write(binary.AppendUvarint(nil, uint64(len(p.Image))))
	h.Write(p.Image)
	if p.Text != nil {
		h.Write([]byte(p.Text.Text()))
	}
}

func hasWords(t *pipeline.PageText) bool {
	if t == nil {
		return false
	}
	for _, l := range t.Lines {
		for _, w := range l.Words {
			if len(textCIDs(w.Text)) > 0 {
				return true
			}
		}
	}
	return false
}

// textString returns s, in NFC, as a PDF text string: a literal when s is
// printable ASCII (which PDFDocEncoding shares), UTF-16BE with a byte order
// mark otherwise.
func textString(s string) types.Object {
	s = norm.NFC.String(s)
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7E {
			ascii = false
			break
		}
	}
	if ascii {
		r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
		return types.StringLiteral(r.Replace(s))
	}
	return types.NewHexLiteral([]byte(types.EncodeUTF16String(s)))
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// number returns v as a PDF integer when it is one, a real otherwise.
func number(v float64) types.Object {
	if v == math.Trunc(v) && math.Abs(v) < 1<<31 {
		return types.Integer(int(v))
	}
	return types.Float(v)
}
