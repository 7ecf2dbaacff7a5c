// Package digits reads one handwritten digit: a small convolutional network,
// trained on MNIST and on synthetic ink, run in pure Go (float32, no cgo).
//
// # Place in the data flow
//
// Vietnamese administrative documents leave blanks in the print — the
// number in "Số: …/QĐ-UBND", the day in "ngày … tháng … năm" — that a clerk
// fills in by hand, usually with a felt pen: large, slanted, separate digits,
// often scanned to 1-bit CCITT. The OCR worker's handwriting reader crops
// each blank (pipeline.Blank), splits the crop's ink into connected
// components, and asks this package what each component is:
//
//	in := digits.Normalize(component) // ink 255 on paper 0, any size
//	probs := digits.Default().Predict(in)
//	class, p := digits.Best(probs) // 0–9, or digits.Reject
//
// Reject says "not one digit": a letter or a slash of the printed number
// (the "/" of "15/QĐ"), a dot or dash of the leader line the clerk wrote
// over, a blot, specks, two digits run together (the reader then splits the
// component and asks again), part of a digit. The probabilities go into the
// record (pipeline.Blank.Probs) so that a doubtful digit can be sent for
// review.
//
// # Normalisation
//
// Normalize repeats MNIST's own preparation of its digits: the bounding box
// of the ink is scaled, keeping its aspect ratio, to fit 20×20 (area
// averaging, so that edges come out grey), and placed in the 28×28 frame with
// its centre of mass at the centre. The trainer passes every training sample
// through the same function — MNIST's digits redrawn larger and degraded,
// font digits, the reject class — so the network learns exactly what
// inference gives it.
//
// # Model
//
// Default is the network trained by ocr/digits/train and embedded in the
// binary (weights.bin, parsed once per process); Parse reads another file of
// the same format. A Model is immutable: Predict is safe for concurrent use
// and allocates nothing once warm.
//
// The network (see internal/convnet):
//
//	28×28 → conv 5×5×16 → max-pool 2 → ReLU → conv 5×5×32 → max-pool 2 → ReLU
//	      → dense 512→128 → ReLU → dense 128→11 → softmax
//
// 80,331 parameters, float32. The weights file (version 1) is: the magic
// "SHDG", version (uint32, 1), tensor count (uint32, 8), then per tensor its
// rank, its dimensions (uint32 each) and its values (float32), W1 [16 1 5 5],
// B1 [16], W2 [32 16 5 5], B2 [32], W3 [128 512], B3 [128], W4 [11 128],
// B4 [11], and last a CRC-32 (IEEE) of all that precedes it; everything
// little-endian, 321,436 bytes. Parse refuses any other shape, a short or
// long file, a wrong checksum and values that are not finite; its errors wrap
// ErrWeights.
//
// # Training
//
//	make model     (go run ./ocr/digits/train -seed 1 -out ocr/digits/weights.bin)
//
// trains from scratch and writes weights.bin; the same seed writes the same
// bytes (samples are drawn from a source seeded by their epoch and index,
// batches are split into a fixed number of shards whose gradients are summed
// in a fixed order). Each epoch is MNIST's 60,000 training digits — 15% as
// MNIST has them, 20% redrawn 2–3× larger with a light slant and rotation in
// grey, the rest also slanted up to ±20°, rotated up to ±8°, stretched,
// with strokes thickened or thinned, broken, specked, blurred, roughened and
// thresholded to 1-bit at 25–70% — plus 9,000 digits drawn in thirteen
// handwriting faces (fonts-dkg-handwriting, fonts-breip, fonts-bwht,
// fonts-klee; fonts-femkeklaver is left out, its glyphs are hollow outlines)
// degraded the same way, plus 10,000 rejects (13% of the epoch): letters and
// punctuation from those faces and Liberation Serif and Sans (Vietnamese
// letters from Liberation alone), dotted and dashed leader lines, dashes,
// blots, specks, slashes, two MNIST digits run together, MNIST digits cut
// vertically. MNIST's test set is never learnt from: another part of the
// project composites its digits into synthetic pages. Adam, batches of 64,
// step size 1e-3 cosine-annealed to 1e-5.
//
//	go run ./ocr/digits/train -eval            (make bench calls it)
//
// prints the shipped weights' accuracy on MNIST's 10,000 test digits, each
// through Normalize, a Reject answer counting as wrong.
//
// # Measured
//
// The shipped weights (make model: 14 epochs, seed 1) read 99.06% of
// MNIST's 10,000 test digits (go run ./ocr/digits/train -eval). On the
// generated handwritten headers of fixtures/handset (MNIST test digits and
// handwriting-font digits written into the blanks, a third each 1-bit, grey
// and colour; go test ./fixtures/handset -run TestRun -v -args -n 300
// -seed S), as the worker and the archive read them, at commit 7cf48bc:
//
//	seed   number right  right, certain  date right  right, certain  wrong and certain
//	2000   78.7%         50.3%           87.0%       62.3%           0
//	9100   77.3%         46.3%           86.3%       63.0%           0
//
// Reading a page's blanks takes about 150 ms; the network reads a digit in
// about half a millisecond (BenchmarkPredict, on this 2-core machine under
// load), and trying the cuts of touching digits asks it a few dozen times a
// glyph; most of the rest is Tesseract reading the same marks, the symbol
// and the year again. make bench prints the table.
package digits
