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
)

// Retitle writes to w a copy of a PDF that Write made, with its metadata
// (XMP, Info, /Lang) replaced by info: what an archivist's correction of a
// document's number, date or subject changes. Pages, images and the text
// layer are copied as they are, streams byte for byte; the file keeps its
// permanent identifier (the first half of /ID) and stays PDF/A-2u.
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
