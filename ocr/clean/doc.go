// Package clean makes the copy of a page that Tesseract reads: grey without
// the red of seals (Gray), black and white without the paper, the noise and
// the shadows (Binarize), or the page's own grey ink on white paper
// (Whiten). The archived image stays faithful to the scan; this copy is for
// recognition only.
//
// # Place in the data flow
//
// The OCR worker decodes a page image, converts it to grey here (Gray),
// finds its orientation and skew and corrects it (package deskew),
// binarises the corrected grey copy for Tesseract (Binarize), and archives
// the corrected page image, re-encoded once, so that the OCR boxes match it:
//
//	g := clean.Gray(page)
//	g = …straightened and turned upright by package deskew…
//	bw := clean.Binarize(g)
//	forOCR := clean.Whiten(g, bw) // or bw itself: see below
//
// The functions keep no state and are safe for concurrent use; neither
// modifies its input.
//
// # What Tesseract reads best
//
// Measured by the package's OCR test (go test -run TestOCR -ocrpages 6):
// synthetic A4 pages at 300 dpi (fixtures/synth, six per condition) read by
// Tesseract 5.3 (vie, OMP_THREAD_LIMIT=1) as scanned, through Gray, through
// Binarize and through Whiten, scored by word F1 against the truth:
//
//	condition       scan            Gray            Binarize        Whiten
//	clean colour    0.996  0.94 s   0.995  0.77 s   0.993  0.75 s   0.995  0.77 s
//	noisy grey      0.980  0.92 s   0.980  0.91 s   0.980  0.76 s   0.986  0.80 s
//	grey paper      0.990  1.26 s   0.994  0.98 s   0.989  0.76 s   0.995  0.80 s
//	low contrast    0.993  0.95 s   0.993  0.86 s   0.984  0.76 s   0.993  0.82 s
//	sealed colour   0.980  1.38 s   0.993  0.89 s   0.991  0.84 s   0.994  0.92 s
//
// (Two Tesseract processes ran at once on two cores.) The bilevel page is read 10 to 40% faster than the scan and
// as well, except that it turns the small hook above (ẩ, ể, ổ) into a blob
// that Tesseract takes for an acute accent: up to one word in a hundred on
// faint or blurred print. Whiten keeps the ink's grey levels on white paper and
// reads as well as the scan or better, nearly as fast as the bilevel page:
// it is the page to give Tesseract, Binarize's output being its mask.
//
// Gray reads colour pages through their red channel: on sealed pages the
// luminance of the same pages, binarised, scores 0.982 against the red
// channel's 0.991 (0.993 against 0.993 on clean pages, 0.990 against 0.989
// on grey paper), and the real sealed report (fixtures/real/23-BC…) loses
// its seals: none of their pixels away from the text stays ink.
//
// On one core (AMD EPYC), for an A4 page at 300 dpi: Gray 5 ms, Binarize
// 85 ms, Gray and Binarize of a colour page 95 ms, plus Whiten 10 ms.
package clean
