package pages

import (
	"bytes"
	"math"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// matrix is a PDF transformation matrix [a b c d e f]: a point (x, y) maps
// to (a*x + c*y + e, b*x + d*y + f).
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// then returns the matrix that applies m first, then n (m × n in PDF's
// row-vector notation, as `cm` does: CTM' = M × CTM).
func (m matrix) then(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2],
		m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2],
		m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4],
		m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

func (m matrix) finite() bool {
	for _, v := range m {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// drawnImage is an image a page draws, with the matrix it is drawn with.
type drawnImage struct {
	sd     *types.StreamDict // nil for an inline image
	objNr  int
	w, h   int
	ctm    matrix
	inline bool
}

func (d drawnImage) area() int64 { return int64(d.w) * int64(d.h) }

// Bounds on the work one page may cause, against hostile files.
const (
	maxFormDepth   = 12      // nesting of form XObjects
	maxFormCalls   = 10_000  // form XObjects drawn per page, in all
	maxStateDepth  = 1 << 12 // q without Q
	maxOperands    = 64      // operands kept before an operator
	maxFormContent = 64 << 20
)

// contentScanner finds the images a page draws by following its content
// stream: the graphics state stack (q, Q), the current transformation (cm)
// and the XObjects drawn (Do), into form XObjects. Everything else in the
// stream is skipped.
type contentScanner struct {
	xref   *model.XRefTable
	images []drawnImage
	calls  int
	active map[int]bool // form XObjects being interpreted (loop guard)
}

type operand struct {
	num   float64
	name  string
	isNum bool
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// scan interprets one content stream drawn with the matrix ctm and the
// resources res.
func (s *contentScanner) scan(b []byte, res types.Dict, ctm matrix, depth int) {
	var (
		ops   []operand
		stack []matrix
		extra int // q beyond maxStateDepth, so that their Q pop nothing
	)
	push := func(o operand) {
		if len(ops) >= maxOperands {
			ops = append(ops[:0], ops[len(ops)-8:]...)
		}
		ops = append(ops, o)
	}
	nums := func(n int) ([]float64, bool) {
		if len(ops) < n {
			return nil, false
		}
		out := make([]float64, n)
		for i, o := range ops[len(ops)-n:] {
			if !o.isNum {
				return nil, false
			}
			out[i] = o.num
		}
		return out, true
	}
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case isSpace(c):
			i++
		case c == '%':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
		case c == '(':
			i = skipString(b, i)
			push(operand{})
		case c == '<' && i+1 < len(b) && b[i+1] == '<', c == '>' && i+1 < len(b) && b[i+1] == '>':
			i += 2
		case c == '<':
			for i < len(b) && b[i] != '>' {
				i++
			}
			i++
			push(operand{})
		case c == '[' || c == ']' || c == '{' || c == '}' || c == ')' || c == '>':
			i++
		case c == '/':
			j := i + 1
			for j < len(b) && !isSpace(b[j]) && !isDelim(b[j]) {
				j++
			}
			push(operand{name: string(b[i+1 : j])})
			i = j
		default:
			j := i
			for j < len(b) && !isSpace(b[j]) && !isDelim(b[j]) {
				j++
			}
			if j == i { // a lone delimiter we do not handle
				i++
				continue
			}
			tok := b[i:j]
			i = j
			if c == '+' || c == '-' || c == '.' || c >= '0' && c <= '9' {
				if v, err := strconv.ParseFloat(string(tok), 64); err == nil {
					push(operand{num: v, isNum: true})
					continue
				}
			}
			switch string(tok) {
			case "q":
				if len(stack) < maxStateDepth {
					stack = append(stack, ctm)
				} else {
					extra++
				}
			case "Q":
				if extra > 0 {
					extra--
				} else if len(stack) > 0 {
					ctm = stack[len(stack)-1]
					stack = stack[:len(stack)-1]
				}
			case "cm":
				if v, ok := nums(6); ok {
					if m := (matrix{v[0], v[1], v[2], v[3], v[4], v[5]}).then(ctm); m.finite() {
						ctm = m
					}
				}
			case "Do":
				if len(ops) > 0 && !ops[len(ops)-1].isNum && ops[len(ops)-1].name != "" {
					s.do(ops[len(ops)-1].name, res, ctm, depth)
				}
			case "BI":
				i = s.inlineImage(b, i, ctm)
			}
			ops = ops[:0]
		}
	}
}

// skipString returns the index after the literal string that starts at b[i].
func skipString(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
		i++
	}
	return i
}

// inlineImage records the inline image whose dictionary starts at b[i] (just
// after BI) and returns the index after its EI.
func (s *contentScanner) inlineImage(b []byte, i int, ctm matrix) int {
	id := bytes.Index(b[i:], []byte("ID"))
	if id < 0 {
		return len(b)
	}
	var w, h int
	fields := bytes.Fields(b[i : i+id])
	for k := 0; k+1 < len(fields); k++ {
		if fields[k][0] != '/' {
			continue
		}
		key := string(fields[k][1:])
		k++
		if fields[k][0] == '[' { // an array value: skip to its end
			for k < len(fields) && !bytes.Contains(fields[k], []byte("]")) {
				k++
			}
			continue
		}
		if n, err := strconv.Atoi(string(fields[k])); err == nil {
			switch key {
			case "W", "Width":
				w = n
			case "H", "Height":
				h = n
			}
		}
	}
	s.images = append(s.images, drawnImage{w: w, h: h, ctm: ctm, inline: true})
	// The data follows ID and one white-space byte, and ends at an EI that
	// stands alone.
	for j := i + id + 3; j+1 < len(b); j++ {
		if b[j] == 'E' && b[j+1] == 'I' && isSpace(b[j-1]) && (j+2 == len(b) || isSpace(b[j+2]) || isDelim(b[j+2])) {
			return j + 2
		}
	}
	return len(b)
}

// do handles the Do operator: an image is recorded, a form is interpreted.
func (s *contentScanner) do(name string, res types.Dict, ctm matrix, depth int) {
	if res == nil {
		return
	}
	xobjs, err := s.xref.DereferenceDict(res["XObject"])
	if err != nil || xobjs == nil {
		return
	}
	o, ok := xobjs[name]
	if !ok || o == nil {
		return
	}
	objNr := -1
	if ir, ok := o.(types.IndirectRef); ok {
		objNr = ir.ObjectNumber.Value()
	}
	sd, _, err := s.xref.DereferenceStreamDict(o)
	if err != nil || sd == nil {
		return
	}
	sub := sd.Dict.Subtype()
	if sub == nil {
		return
	}
	switch *sub {
	case "Image":
		w, _ := intEntry(s.xref, sd.Dict, "Width")
		h, _ := intEntry(s.xref, sd.Dict, "Height")
		s.images = append(s.images, drawnImage{sd: sd, objNr: objNr, w: w, h: h, ctm: ctm})
	case "Form":
		if depth >= maxFormDepth || s.calls >= maxFormCalls || objNr >= 0 && s.active[objNr] {
			return
		}
		s.calls++
		m := identity
		if a, err := s.xref.DereferenceArray(sd.Dict["Matrix"]); err == nil && len(a) == 6 {
			for k := range a {
				if v, err := s.xref.DereferenceNumber(a[k]); err == nil {
					m[k] = v
				}
			}
		}
		if !m.finite() {
			m = identity
		}
		fres := res
		if d, err := s.xref.DereferenceDict(sd.Dict["Resources"]); err == nil && d != nil {
			fres = d
		}
		form := *sd
		form.Content = nil
		if err := form.DecodeWithLimit(maxFormContent); err != nil {
			return // an undecodable form draws nothing we can use
		}
		if objNr >= 0 {
			s.active[objNr] = true
			defer delete(s.active, objNr)
		}
		s.scan(form.Content, fres, m.then(ctm), depth+1)
	}
}

// intEntry returns an integer entry of d, dereferenced.
func intEntry(xref *model.XRefTable, d types.Dict, key string) (int, bool) {
	o, ok := d[key]
	if !ok {
		return 0, false
	}
	return intValue(xref, o)
}

// intValue returns an integer object (or a float with an integer value), dereferenced.
func intValue(xref *model.XRefTable, o types.Object) (int, bool) {
	o, err := xref.Dereference(o)
	if err != nil {
		return 0, false
	}
	switch v := o.(type) {
	case types.Integer:
		return v.Value(), true
	case types.Float:
		if f := v.Value(); f == math.Trunc(f) && math.Abs(f) < math.MaxInt32 {
			return int(f), true
		}
	}
	return 0, false
}
