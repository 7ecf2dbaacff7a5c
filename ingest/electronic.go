package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/sohoa/sohoa/ingest/epdf"
	"github.com/sohoa/sohoa/ingest/pages"
	"github.com/sohoa/sohoa/pipeline"
)

// electronic renders the pages of a PDF that SplitAll found to draw no
// scan, in place in pgs (each becomes a PNG page), and returns, by page
// number, the results of those that carry usable text and no large
// picture (pages.LargeImage): their own words, in the rendered image's
// pixels, to be stored as the worker would store its OCR. The others are
// left to OCR. Errors wrap
// epdf.ErrTool (try again) or one of package pages' errors (permanent).
func (in *Ingest) electronic(ctx context.Context, id string, data []byte, pgs []pages.Page, log *slog.Logger) (map[int]pipeline.PageText, error) {
	var which []int
	for i, p := range pgs {
		if p.Electronic {
			which = append(which, i+1)
		}
	}
	if len(which) == 0 {
		return nil, nil
	}
	read, err := epdf.Read(ctx, data, which, in.cfg.Electronic)
	if err != nil {
		return nil, fmt.Errorf("ingest: electronic pages: %w", err)
	}
	texts := map[int]pipeline.PageText{}
	for _, r := range read {
		cover := pgs[r.Number-1].Cover
		pgs[r.Number-1] = pages.Page{Data: r.Image, Format: pages.PNG, Width: r.Width, Height: r.Height, DPIX: r.DPI, DPIY: r.DPI}
		var legacy []string
		for _, l := range r.Legacy {
			legacy = append(legacy, l.String())
		}
		// A page with a large picture is OCR'd whole: the picture may be a
		// scan, and the text over it only a stamp's.
		own := r.Text && cover < pages.LargeImage
		log.Info("electronic page", "page", r.Number, "own_text", own, "legacy", strings.Join(legacy, ","), "dpi", r.DPI, "image_cover", cover)
		if !own {
			continue
		}
		engine := "pdf text (poppler)"
		if len(legacy) > 0 {
			engine += " from " + strings.Join(legacy, ", ")
		}
		texts[r.Number] = pipeline.PageText{
			Doc: id, Page: r.Number, Image: pipeline.WorkPageKey(id, r.Number, string(pages.PNG)), Format: string(pages.PNG),
			Width: r.Width, Height: r.Height, DPIX: r.DPI, DPIY: r.DPI, Lines: r.Lines, Engine: engine,
		}
	}
	return texts, nil
}
