package epdf

import (
	"bytes"
	"fmt"
	"runtime/debug"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/sohoa/sohoa/viet"
)

// withLegacyEncodings returns a copy of the PDF data in which each of the
// (non-embedded, simple) legacy fonts has an /Encoding whose /Differences
// name, for every byte, the Unicode letter the legacy encoding puts there
// (uniXXXX), so that a renderer substituting a Unicode font for the
// missing .VnTime draws the Vietnamese letters and not the Latin-1 ones
// of the same bytes. Only the fonts change; the copy is for rendering.
func withLegacyEncodings(data []byte, fonts []Font) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("epdf: pdfcpu: panic: %v\n%s", r, debug.Stack())
		}
	}()
	conf := &model.Configuration{
		Reader15:                  true,
		ValidationMode:            model.ValidationRelaxed,
		UnsupportedResourcePolicy: model.UnsupportedResourceSkip,
		Eol:                       types.EolLF,
		Cmd:                       model.VALIDATE,
		Offline:                   true,
		Limits:                    model.DefaultResourceLimits(),
	}
	ctx, err := api.ReadContext(bytes.NewReader(data), conf)
	if err != nil {
		return nil, err
	}
	changed := 0
	for _, f := range fonts {
		if f.Type != "TrueType" && f.Type != "Type 1" {
			continue // a composite font's codes are not bytes
		}
		e, ok := ctx.XRefTable.Table[f.Object]
		if !ok || e == nil {
			continue
		}
		d, ok := e.Object.(types.Dict)
		if !ok {
			continue
		}
		diff := types.Array{}
		for b := 0x20; b <= 0xFF; b++ {
			r := winAnsi(byte(b))
			if r == 0 {
				continue
			}
			u := []rune(f.Legacy.Decode(string(r)))
			if len(u) != 1 || u[0] == r && (f.Legacy != viet.TCVN3Capitals || b < 'a' || b > 'z') {
				continue
			}
			diff = append(diff, types.Integer(b), types.Name(fmt.Sprintf("uni%04X", u[0])))
		}
		d["Encoding"] = types.Dict{
			"Type":         types.Name("Encoding"),
			"BaseEncoding": types.Name("WinAnsiEncoding"),
			"Differences":  diff,
		}
		if fd, err := ctx.DereferenceDict(d["FontDescriptor"]); err == nil && fd != nil {
			if fl, ok := fd["Flags"].(types.Integer); ok {
				fd["Flags"] = types.Integer(int(fl)&^4 | 32) // not symbolic: the names count
			}
		}
		changed++
	}
	if changed == 0 {
		return nil, fmt.Errorf("epdf: no legacy font to change")
	}
	var buf bytes.Buffer
	if err := api.WriteContext(ctx, &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// winAnsi is the character WinAnsiEncoding gives byte b (0 for none):
// Latin-1, but for 0x80–0x9F.
func winAnsi(b byte) rune {
	if b < 0x80 || b >= 0xA0 {
		if b == 0x7F {
			return 0
		}
		return rune(b)
	}
	return cp1252[b-0x80]
}

var cp1252 = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0,
}
