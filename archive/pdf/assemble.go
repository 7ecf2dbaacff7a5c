package pdf

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/fault"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Part is some pages of a PDF that Write made (as it was stored: retitled
// by Retitle, signed or not): the pages numbered from 1, in the order
// wanted.
type Part struct {
	PDF   []byte
	Pages []int
}

// Assemble writes to w a PDF/A-2u file of the pages of parts, one after
// another: what an archivist's split of a document (some of its pages) or
// merge of two (all the pages of both) makes. Each page is copied as it
// is, with its image, its patches and its text layer, streams byte for
// byte; the file gets its own metadata from info, an output intent, and a
// permanent identifier (the first half of /ID) that is a hash of the
// parts' identifiers, their pages and info, so that the same assembly
// made twice is recognisably the same document. Signatures of the parts
// are left behind: they do not cover the new file.
func Assemble(w io.Writer, parts []Part, info Info) (err error) {
	defer func() {
		if err != nil && !strings.HasPrefix(err.Error(), "pdf: ") {
			err = fmt.Errorf("pdf: assemble: %w", err)
		}
	}()
	defer fault.Catch(&err)
	if len(parts) == 0 {
		return errors.New("no pages")
	}
	conf := model.NewDefaultConfiguration()
	conf.WriteObjectStream = false
	conf.WriteXRefStream = false
	dest, err := pdfcpu.CreateContextWithXRefTable(conf, types.PaperSize["A4"])
	if err != nil {
		return err
	}
	d := &doc{ctx: dest}
	if d.pagesRef, err = dest.Pages(); err != nil {
		return err
	}
	if d.pages, err = dest.DereferenceDict(*d.pagesRef); err != nil {
		return err
	}
	d.pages.Delete("MediaBox") // every page has its own, as Write gives them
	id := sha256.New()
	for i, p := range parts {
		src, err := api.ReadContext(bytes.NewReader(p.PDF), conf)
		if err != nil {
			return fmt.Errorf("part %d: %w", i+1, err)
		}
		if src.Encrypt != nil {
			return fmt.Errorf("part %d: encrypted", i+1)
		}
		if err := src.EnsurePageCount(); err != nil {
			return fmt.Errorf("part %d: %w", i+1, err)
		}
		if len(p.Pages) == 0 {
			return fmt.Errorf("part %d: no pages", i+1)
		}
		for _, n := range p.Pages {
			if n < 1 || n > src.PageCount {
				return fmt.Errorf("part %d: no page %d in its %d", i+1, n, src.PageCount)
			}
		}
		root, err := src.Catalog()
		if err != nil {
			return fmt.Errorf("part %d: %w", i+1, err)
		}
		if err := dropSignatures(src, root); err != nil {
			return fmt.Errorf("part %d: %w", i+1, err)
		}
		src.Form = nil // AddPages would carry the dropped fields over
		if err := pdfcpu.AddPages(src, dest, p.Pages, false); err != nil {
			return fmt.Errorf("part %d: %w", i+1, err)
		}
		pid := permanentIDOf(src)
		id.Write(binary.AppendUvarint(nil, uint64(len(pid))))
		id.Write(pid)
		for _, n := range p.Pages {
			id.Write(binary.AppendUvarint(nil, uint64(n)))
		}
	}
	if err := d.addMetadata(info, id); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := api.WriteContext(dest, &buf); err != nil {
		return err
	}
	if err := d.fixInfo(buf.Bytes()); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// permanentIDOf is the first element of a document's /ID, as bytes; nil
// when it has none.
func permanentIDOf(ctx *model.Context) []byte {
	if len(ctx.ID) == 0 {
		return nil
	}
	switch v := ctx.ID[0].(type) {
	case types.HexLiteral:
		b, _ := v.Bytes()
		return b
	case types.StringLiteral:
		return []byte(v.Value())
	}
	return nil
}
