// Package deskew finds how a scanned page is turned and turns it back: its
// skew (a few degrees either way, from the sheet feeder or a hand on the
// glass) and its orientation (a page fed sideways or upside down).
//
// # Place in the data flow
//
// The OCR worker decodes a page image, converts it to grey for recognition
// (clean.Gray), measures skew and orientation here, corrects the page,
// binarises the corrected grey copy for Tesseract (clean.Binarize), and
// archives the corrected page image, re-encoded once, so that the boxes of
// the OCR result match the image in the PDF:
//
//	g := clean.Gray(page)
//	deg, _ := deskew.Angle(g)                        // skew, any quarter turn
//	straight := deskew.Correct(g, 0, deg).(*image.Gray)
//	rot, conf := deskew.Orientation(straight)        // conf < 0.5: check another way
//	forOCR := clean.Binarize(deskew.Correct(straight, rot, 0).(*image.Gray)) // exact copy
//	archived := deskew.Correct(page, rot, deg)       // one resampling of the scan
//
// Correct(page, rot, deg) and Correct(Correct(g, 0, deg), rot, 0) have the
// same size and geometry, so the words Tesseract finds on forOCR sit on the
// same pixels of archived.
//
// # Conventions
//
// Angles are in degrees as the page is seen on screen. A skew deg is
// positive when the text lines rise to the right (the page was turned
// counter-clockwise), as synth.Options.Skew; Correct turns the page
// clockwise by deg to straighten it. A rotation is the clockwise quarter
// turn (0, 90, 180 or 270) that makes the page upright; a page rendered
// with synth.Options.Rotation r needs (360 − r) mod 360.
// (disintegration/imaging.Rotate turns counter-clockwise for a positive
// angle: Correct(img, 0, deg) turns like imaging.Rotate(img, −deg, white).)
//
// # Methods and costs
//
// Both measurements work on the page shrunk by 2 (150 dpi) and thresholded
// against its local paper level (a percentile per cell), so grey or yellowed
// paper, faint ink and uneven lighting look alike. Angle projects the edge
// pixels of the ink (ink beside paper across the lines) at angles 0.5°
// apart over ±15°, along rows and along columns, on a copy shrunk by 4, and
// keeps the angle whose profile has the most energy in its differences; it
// refines it on the half-scale copy by halving steps and a parabola. Dark
// borders are peeled off first, and edges rather than areas keep pictures,
// seals and borders from outweighing the text. Orientation compares
// profiles across narrow strips along both axes (text lines make one far
// more jagged than the other) and, along the lines, lets every line of
// every strip vote on which way is up: Vietnamese puts far more ink above
// the x-height band (tone marks, circumflexes and breves, ascenders,
// capitals) than below the baseline (descenders, the dot below).
//
// Measured on one core (AMD EPYC) for an A4 page at 300 dpi (2480×3508
// grey): Angle 14 ms, Orientation 13 ms, Correct 40 to 55 ms for a skew
// (grey, bilinear; bilevel pages stay bilevel), 15 ms for a quarter turn,
// 80 ms for a skew of an RGBA page. disintegration/imaging.Rotate takes 335
// to 375 ms for the same skew (it works in NRGBA, 4 bytes a pixel) and is
// not used. On 300 synthetic pages skewed uniformly within ±15° (three
// fonts, colour, grey and bilevel, noise, blur, salt and pepper, grey
// paper, lost contrast, seals, 200 to 400 dpi, a fifth of them sideways or
// upside down, an eighth cut to a few lines) the skew error has a median of
// 0.009°, a 95th percentile of 0.025° and a maximum of 0.07°. Orientation
// was right on all of 600 pages (150 of those documents, each in four
// turns), 1.3% of them with a confidence below 0.5, all of them pages of a
// few lines; and on every page of the real scans in all four turns, with
// confidence 1. Run larger corpora with go test -args -corpus N; the
// benchmarks report ms/page.
//
// Everything here is pure Go, keeps no state, and is safe for concurrent
// use.
package deskew
