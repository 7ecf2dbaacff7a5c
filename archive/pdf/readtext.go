package pdf

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/fault"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/sohoa/sohoa/pipeline"
)

// ReadText reads back the text layer of the pages numbered in which (from
// 1; all of them when which is empty) of a PDF that Write made, as the
// pipeline.PageText it was written from: the words of each line in
// order, each with its box in the pixels of the page's image, and the
// image's size and resolution. Boxes are as the text layer places them:
// the width as written (narrowed or widened where writeText moved words
// apart), the height one em of the line from its baseline. Word
// confidences are not kept in a PDF and are 0; lines are grouped into
// paragraphs where the gap above a line exceeds its height.
//
// It reads only what writeText writes (BT…ET blocks of F1, Tz, Tm and
// hexadecimal Tj): a page drawn otherwise gives no lines, not a guess.
func ReadText(src []byte, which []int) (pts []*pipeline.PageText, err error) {
	defer func() {
		if err != nil && !strings.HasPrefix(err.Error(), "pdf: ") {
			err = fmt.Errorf("pdf: read text: %w", err)
		}
	}()
	defer fault.Catch(&err)
	conf := model.NewDefaultConfiguration()
	ctx, err := api.ReadContext(bytes.NewReader(src), conf)
	if err != nil {
		return nil, err
	}
	if ctx.Encrypt != nil {
		return nil, errors.New("encrypted")
	}
	if err := ctx.EnsurePageCount(); err != nil {
		return nil, err
	}
	if len(which) == 0 {
		for n := 1; n <= ctx.PageCount; n++ {
			which = append(which, n)
		}
	}
	for _, n := range which {
		if n < 1 || n > ctx.PageCount {
			return nil, fmt.Errorf("no page %d in %d", n, ctx.PageCount)
		}
		pt, err := readPageText(ctx, n)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", n, err)
		}
		pts = append(pts, pt)
	}
	return pts, nil
}

// readPageText reads page n of ctx; see ReadText.
func readPageText(ctx *model.Context, n int) (*pipeline.PageText, error) {
	page, _, inh, err := ctx.PageDict(n, false)
	if err != nil {
		return nil, err
	}
	if page == nil || inh == nil || inh.MediaBox == nil {
		return nil, errors.New("no page dictionary or media box")
	}
	wpt, hpt := inh.MediaBox.Width(), inh.MediaBox.Height()
	res, err := ctx.DereferenceDict(page["Resources"])
	if err != nil || res == nil {
		return nil, fmt.Errorf("no resources: %v", err)
	}
	xobj, err := ctx.DereferenceDict(res["XObject"])
	if err != nil || xobj == nil {
		return nil, fmt.Errorf("no page image: %v", err)
	}
	img, _, err := ctx.DereferenceStreamDict(xobj["Im1"])
	if err != nil || img == nil {
		return nil, fmt.Errorf("no page image: %v", err)
	}
	iw, ih := img.IntEntry("Width"), img.IntEntry("Height")
	if iw == nil || ih == nil || *iw <= 0 || *ih <= 0 || wpt <= 0 || hpt <= 0 {
		return nil, errors.New("the page image has no size")
	}
	pl := placement{kx: 1, ky: 1, sx: wpt / float64(*iw), sy: hpt / float64(*ih), width: float64(*iw), height: float64(*ih)}
	pt := &pipeline.PageText{
		Page: n, Width: *iw, Height: *ih, DPIX: round3(72 / pl.sx), DPIY: round3(72 / pl.sy),
		Engine: "pdf text layer (sohoa)",
	}
	content, err := ctx.PageContent(page, n)
	if errors.Is(err, model.ErrNoContent) {
		return pt, nil
	}
	if err != nil {
		return nil, err
	}
	pt.Lines = parseTextLayer(content, pl)
	return pt, nil
}

// parseTextLayer turns the text layer writeText wrote into lines; see
// ReadText.
func parseTextLayer(content []byte, pl placement) []pipeline.Line {
	var (
		lines      []pipeline.Line
		cur        *pipeline.Line
		fs, scale  float64
		x, y       float64
		prevBottom = math.Inf(-1)
		para       int
	)
	sc := bufio.NewScanner(bytes.NewReader(content))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		op, args := f[len(f)-1], f[:len(f)-1]
		nums := func(k int) ([]float64, bool) {
			if len(args) != k {
				return nil, false
			}
			v := make([]float64, k)
			for i, a := range args {
				var err error
				if v[i], err = strconv.ParseFloat(a, 64); err != nil {
					return nil, false
				}
			}
			return v, true
		}
		switch op {
		case "BT":
			cur, fs, scale = &pipeline.Line{}, 0, 100
		case "Tf":
			if len(args) == 2 && cur != nil && args[0] == "/"+fontResource {
				fs, _ = strconv.ParseFloat(args[1], 64)
			}
		case "Tz":
			if v, ok := nums(1); ok {
				scale = v[0]
			}
		case "Tm":
			if v, ok := nums(6); ok {
				x, y = v[4], v[5]
			}
		case "Tj":
			if cur == nil || fs <= 0 || len(args) != 1 || !strings.HasPrefix(args[0], "<") || !strings.HasSuffix(args[0], ">") {
				continue
			}
			raw, err := hex.DecodeString(args[0][1 : len(args[0])-1])
			if err != nil || len(raw) == 0 || len(raw)%2 != 0 {
				continue
			}
			runes := make([]rune, len(raw)/2)
			for i := range runes {
				runes[i] = rune(raw[2*i])<<8 | rune(raw[2*i+1])
			}
			if string(runes) == " " {
				continue // the space that spans the gap to the next word
			}
			em := fs / pl.sy // in pixels
			width := scale / 100 * float64(len(runes)) * glyphAdvance / unitsPerEm * fs
			base := pl.height - y/pl.sy
			x0, x1 := x/pl.sx, (x+width)/pl.sx
			y1 := base + descentRatio*em
			box := pipeline.Box{X0: int(math.Round(x0)), Y0: int(math.Round(y1 - em)), X1: int(math.Round(x1)), Y1: int(math.Round(y1))}
			cur.Words = append(cur.Words, pipeline.Word{Text: string(runes), Box: box})
		case "ET":
			if cur == nil || len(cur.Words) == 0 {
				cur = nil
				continue
			}
			b := cur.Words[0].Box
			for _, w := range cur.Words[1:] {
				b = pipeline.Box{X0: min(b.X0, w.Box.X0), Y0: min(b.Y0, w.Box.Y0), X1: max(b.X1, w.Box.X1), Y1: max(b.Y1, w.Box.Y1)}
			}
			cur.Box = b
			if h := float64(b.Y1 - b.Y0); float64(b.Y0)-prevBottom > h || para == 0 {
				para++
			}
			prevBottom = float64(b.Y1)
			cur.Para, cur.Size = para, fs/pl.sy
			lines = append(lines, *cur)
			cur = nil
		}
	}
	return lines
}
