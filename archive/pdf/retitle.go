package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/fault"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Retitle writes to w a copy of a PDF that Write made, with its metadata
// (XMP, Info, /Lang) replaced by info: what an archivist's correction of a
// document's number, date or subject changes. Pages, images and the text
// layer are copied as they are, streams byte for byte; the file keeps its
// permanent identifier (the first half of /ID) and stays PDF/A-2u. A
// digital signature (archive/sign's) does not cover the new bytes, so its
// field is dropped: the new version is to be signed anew.
func Retitle(w io.Writer, src []byte, info Info) (err error) {
	defer func() {
		if err != nil && !strings.HasPrefix(err.Error(), "pdf: ") {
			err = fmt.Errorf("pdf: retitle: %w", err)
		}
	}()
	defer fault.Catch(&err)
	conf := model.NewDefaultConfiguration()
	conf.WriteObjectStream = false
	conf.WriteXRefStream = false
	ctx, err := api.ReadContext(bytes.NewReader(src), conf)
	if err != nil {
		return err
	}
	if ctx.Encrypt != nil {
		return errors.New("encrypted")
	}
	root, err := ctx.Catalog()
	if err != nil {
		return err
	}
	if err := dropSignatures(ctx, root); err != nil {
		return err
	}
	d := &doc{ctx: ctx}
	if err := d.setMetadata(root, info); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := api.WriteContext(ctx, &buf); err != nil {
		return err
	}
	if err := d.fixInfo(buf.Bytes()); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// dropSignatures removes the signature fields from the catalog's form and
// their widgets from the pages; a form left without fields goes too.
func dropSignatures(ctx *model.Context, root types.Dict) error {
	isSig := func(o types.Object) bool {
		d, err := ctx.DereferenceDict(o)
		if err != nil || d == nil {
			return false
		}
		ft := d.NameEntry("FT")
		return ft != nil && *ft == "Sig"
	}
	keep := func(o types.Object) (types.Array, bool) {
		a, _ := ctx.DereferenceArray(o)
		var out types.Array
		for _, e := range a {
			if !isSig(e) {
				out = append(out, e)
			}
		}
		return out, len(out) != len(a)
	}
	if form, _ := ctx.DereferenceDict(root["AcroForm"]); form != nil {
		if fields, changed := keep(form["Fields"]); changed {
			if len(fields) == 0 {
				root.Delete("AcroForm")
			} else {
				form.Update("Fields", fields)
				form.Delete("SigFlags")
			}
		}
	}
	if err := ctx.EnsurePageCount(); err != nil {
		return err
	}
	for i := 1; i <= ctx.PageCount; i++ {
		page, _, _, err := ctx.PageDict(i, false)
		if err != nil {
			return err
		}
		if annots, changed := keep(page["Annots"]); changed {
			if len(annots) == 0 {
				page.Delete("Annots")
			} else {
				page.Update("Annots", annots)
			}
		}
	}
	return nil
}
