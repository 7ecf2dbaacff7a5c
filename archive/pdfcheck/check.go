package pdfcheck

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Problem is one broken clause.
type Problem struct {
	Clause  string // the clause of ISO 19005-2, e.g. "6.6.4"
	Message string // what is wrong, in plain words
}

// String returns the problem on one line, the clause first, e.g.
// "6.6.4 XMP pdfaid:conformance is B, want U".
func (p Problem) String() string { return p.Clause + " " + p.Message }

// tailSize is how much of the end of the file is searched for %%EOF and,
// when pdfcpu cannot read the file, for /Encrypt.
const tailSize = 4096

// Check reads a PDF and returns every PDF/A-2u clause it breaks (nil:
// none): one Problem per check that fails (see the package documentation),
// always in the same order, the file's bytes first, then its metadata, its
// objects and pdfcpu's validation.
//
// The error is non-nil only when the file cannot be read at all: reading r
// fails, or the file is not a PDF that pdfcpu can parse. An encrypted file
// that cannot be opened without a password is not an error: it yields the
// encryption problem (and any found in its first and last bytes), since
// nothing else can be checked.
func Check(r io.ReadSeeker, size int64) (problems []Problem, err error) {
	if size <= 0 {
		return nil, errors.New("pdfcheck: empty file")
	}
	head, err := readAt(r, 0, min(size, 1024))
	if err != nil {
		return nil, err
	}
	tail, err := readAt(r, max(0, size-tailSize), min(size, tailSize))
	if err != nil {
		return nil, err
	}
	c := &checker{}
	c.header(head)
	c.eof(tail)

	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("pdfcheck: %w", err)
	}
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationStrict
	ctx, err := read(r, conf)
	if err != nil {
		if errors.Is(err, pdfcpu.ErrWrongPassword) || bytes.Contains(tail, []byte("/Encrypt")) {
			c.add("6.1.3", "the file is encrypted (/Encrypt in the trailer), and PDF/A forbids encryption; it needs a password to open, so nothing else was checked")
			return c.problems, nil
		}
		return nil, fmt.Errorf("pdfcheck: not a readable PDF: %w", err)
	}
	c.ctx = ctx
	if err := c.document(); err != nil {
		return nil, err
	}
	return c.problems, nil
}

func readAt(r io.ReadSeeker, off, n int64) ([]byte, error) {
	if _, err := r.Seek(off, io.SeekStart); err != nil {
		return nil, fmt.Errorf("pdfcheck: %w", err)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("pdfcheck: read: %w", err)
	}
	return b, nil
}

// read parses the file with pdfcpu, turning its panics, which malformed
// files can provoke, into errors.
func read(r io.ReadSeeker, conf *model.Configuration) (ctx *model.Context, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("pdfcpu: %v", p)
		}
	}()
	return api.ReadContext(r, conf)
}

// checker collects the problems of one file.
type checker struct {
	ctx      *model.Context
	problems []Problem
	// pages are the page dictionaries in order; pageOf maps the object
	// numbers of page dictionaries to page numbers.
	pages  []types.Dict
	pageOf map[int]int
	// outputCS is the colour space in the header of the PDF/A output
	// intent's profile ("RGB ", "CMYK", "GRAY"), "" if there is none.
	outputCS string
}

func (c *checker) add(clause, format string, args ...any) {
	c.problems = append(c.problems, Problem{clause, fmt.Sprintf(format, args...)})
}

var headerRE = regexp.MustCompile(`^%PDF-1\.[0-7](\r\n|\r|\n)`)

// header checks the file header and the binary comment after it (6.1.2).
func (c *checker) header(head []byte) {
	m := headerRE.Find(head)
	if m == nil {
		c.add("6.1.2", "the file does not start with a PDF header, %%PDF-1.0 to %%PDF-1.7, on a line of its own")
		return
	}
	rest := head[len(m):]
	if len(rest) < 5 || rest[0] != '%' || rest[1] <= 127 || rest[2] <= 127 || rest[3] <= 127 || rest[4] <= 127 {
		c.add("6.1.2", "the header is not followed by a binary comment: %% and at least four bytes above 127")
	}
}

// eof checks that nothing but an end-of-line follows the last %%EOF (6.1.3).
func (c *checker) eof(tail []byte) {
	i := bytes.LastIndex(tail, []byte("%%EOF"))
	if i < 0 {
		c.add("6.1.3", "there is no %%%%EOF marker at the end of the file")
		return
	}
	switch rest := tail[i+len("%%EOF"):]; string(rest) {
	case "", "\n", "\r", "\r\n":
	default:
		c.add("6.1.3", "%d bytes follow the last %%%%EOF marker, where only an end-of-line may", len(rest))
	}
}

// document runs the checks on the parsed file.
func (c *checker) document() error {
	ctx := c.ctx
	if ctx.Encrypt != nil || ctx.E != nil {
		c.add("6.1.3", "the file is encrypted (/Encrypt in the trailer), and PDF/A forbids encryption")
	}
	if !validID(ctx.ID) {
		c.add("6.1.3", "the trailer has no file identifier (/ID with two strings)")
	}
	root, err := ctx.Catalog()
	if err != nil {
		return fmt.Errorf("pdfcheck: catalog: %w", err)
	}
	c.pageOf = map[int]int{}
	c.walkPages(root["Pages"], 0)

	c.metadata(root)
	c.outputIntents(root)
	objs := c.objects()
	c.images(objs)
	c.fonts(objs)
	c.actions(root, objs)
	c.filters(objs)
	c.inlineImages(objs)
	c.annotations()

	if err := validate(ctx); err != nil {
		c.add("6.1.1", "the file is not valid PDF by pdfcpu's strict validation: %v", err)
	}
	return nil
}

// walkPages collects the pages of the page tree node o, in order.
func (c *checker) walkPages(o types.Object, depth int) {
	node := c.dict(o)
	if node == nil || depth > 64 {
		return
	}
	if c.name(node, "Type") == "Page" {
		if r, ok := o.(types.IndirectRef); ok {
			if _, seen := c.pageOf[r.ObjectNumber.Value()]; seen {
				return
			}
			c.pageOf[r.ObjectNumber.Value()] = len(c.pages) + 1
		}
		c.pages = append(c.pages, node)
		return
	}
	kids, _ := c.deref(node["Kids"]).(types.Array)
	for _, k := range kids {
		c.walkPages(k, depth+1)
	}
}

func validID(id types.Array) bool {
	if len(id) != 2 {
		return false
	}
	for _, o := range id {
		switch o.(type) {
		case types.StringLiteral, types.HexLiteral:
		default:
			return false
		}
	}
	return true
}

// validate runs pdfcpu's validation (strict, as the context was read),
// turning panics into errors. It runs last: it may change the context.
func validate(ctx *model.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("pdfcpu: %v", p)
		}
	}()
	return api.ValidateContext(ctx)
}

// object is an indirect object of the file, its dictionary and, for a
// stream, the stream.
type object struct {
	nr     int
	dict   types.Dict
	stream *types.StreamDict
}

// objects returns the dictionaries and streams of the file, in object
// number order.
func (c *checker) objects() []object {
	var objs []object
	for nr, e := range c.ctx.Table {
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		switch o := e.Object.(type) {
		case types.Dict:
			objs = append(objs, object{nr: nr, dict: o})
		case types.StreamDict:
			objs = append(objs, object{nr: nr, dict: o.Dict, stream: &o})
		}
	}
	slices.SortFunc(objs, func(a, b object) int { return a.nr - b.nr })
	return objs
}

// deref resolves o, returning nil for anything missing or broken.
func (c *checker) deref(o types.Object) types.Object {
	if o == nil {
		return nil
	}
	o, err := c.ctx.Dereference(o)
	if err != nil {
		return nil
	}
	return o
}

func (c *checker) dict(o types.Object) types.Dict {
	d, _ := c.deref(o).(types.Dict)
	return d
}

func (c *checker) stream(o types.Object) *types.StreamDict {
	sd, ok := c.deref(o).(types.StreamDict)
	if !ok {
		return nil
	}
	return &sd
}

// name returns d[key] as a name, "" if it is not one.
func (c *checker) name(d types.Dict, key string) string {
	n, _ := c.deref(d[key]).(types.Name)
	return n.Value()
}

// decoded returns the decoded content of a stream, nil if it cannot be
// decoded.
func decoded(sd *types.StreamDict) []byte {
	s := *sd
	if err := s.Decode(); err != nil {
		return nil
	}
	return s.Content
}

// where describes the location of an object for a message: its page, or
// its object number.
func (c *checker) where(nr int) string {
	if p, ok := c.pageOf[nr]; ok {
		return "page " + strconv.Itoa(p)
	}
	return "object " + strconv.Itoa(nr)
}

// list joins locations for a message, at most maxListed of them.
func list(items []string) string {
	const maxListed = 5
	if len(items) > maxListed {
		return strings.Join(items[:maxListed], ", ") + fmt.Sprintf(" and %d more", len(items)-maxListed)
	}
	return strings.Join(items, ", ")
}
