// Package docmeta reads a Vietnamese administrative document's identity —
// số và ký hiệu, date, place, type, issuing agency, trích yếu — from the OCR
// of its first page, and says when it is not sure.
//
// # Place in the data flow
//
//	ocr workers ── PageText per page (words, boxes, confidences) ──> work bucket
//	archive ── Extract(pages) ──> Meta ──┬─> storage key (archive.Key: year, số và ký hiệu)
//	                                    ├─> JSON sidecar (archive.Record), PDF metadata
//	                                    ├─> search index (number, date, type, agency, subject)
//	                                    └─> review queue (NeedsReview, Review)
//
// The archive calls Extract on a document's OCR results once every page has
// been read, before it builds the PDF and chooses the key the document is
// stored under. The search index calls ParseNumber on what an archivist
// types, so that "15/2020/qd-ubnd" finds 15/2020/QĐ-UBND.
//
// # The rule
//
// A wrong document number presented as certain is the one failure the
// archive cannot afford: it files the document under another's key and hides
// it from the search that would find it. So Extract never presents a guess as
// certain. It still fills in what it read — a flagged guess helps the person
// who reviews it — but NeedsReview is true, with the reasons in Review,
// whenever the number or the date is not certain:
//
//   - a digit of the number, or of the day, month or year, has a Tesseract
//     confidence under 85 (a letter of the symbol under 70). Each
//     character is judged by its own confidence (pipeline.Word.CharConf)
//     where the worker has it — a word such as "316/QĐ-UBND" may score 49
//     as a whole while each of its digits scores 99 — and by its word's
//     otherwise; digits glued to "Số:" but apart from the symbol ("Số:11
//     /CT-UBND", where ink lands) take their word's doubt as well;
//   - a character had to be mapped to read it as digits (O→0, l/I→1, S→5,
//     b→6, B→8 — mapped only in a digit slot, never in the symbol), or a
//     mark taken off a capital of the symbol (ÚB→UB);
//   - it is not digits at all ("@#"), or is missing ("Số:   /CT-UBND");
//   - OCR lost the slash between number and symbol ("206NQ-HĐND"): the
//     digits are offered as the number when they were read with confidence,
//     never as certain; a number that ends in the date's year may have
//     swallowed it ("152020/QĐ-UBND");
//   - it stands apart from its symbol, in the blank a clerk leaves for ink,
//     or differs in size or baseline from the printed year of the date line
//     (handwriting), or was split by OCR;
//   - the symbol's type abbreviation contradicts the printed type name
//     (QĐ under CHỈ THỊ), or leaves D/Đ undecided (HD Hướng dẫn / HĐ Hợp
//     đồng) with no type name to decide it;
//   - the year of a legal number differs from the year of the date;
//   - the "Số:" sits by an incoming-mail stamp or outside the left column.
//
// # What is read, and where
//
// The words' positions are used, not only their text: the right header
// column starts at the national (or party) motto, and the left column holds
// the agency block and the "Số:" line even where OCR merged both columns
// onto one line. The incoming-mail stamp's own "Số: 2352" has no symbol and
// is not taken for the document's number. The header is read on page 1, or
// on page 2 when page 1 has none.
//
// The số và ký hiệu is canonical (NFC, Đ, no inner spaces, canonical letter
// case: 15/2020/QĐ-UBND, 123/UBND-VP, 31/TTr-UBND, 123-QĐ/HU). Meta.Symbol is
// everything after the number and its separator, the year of a legal
// document included ("2020/QĐ-UBND"): Number and Symbol together are the
// whole số và ký hiệu, and ParseNumber returns the same pair, so the search
// index can rebuild and compare it without losing the year.
//
// Extract and ParseNumber are pure functions of their input: no I/O, no
// shared state, safe for concurrent use and to repeat.
//
// # Files
//
// Extract reads a page in two steps, find then judge, and each part of the
// header has its file for both:
//
//	meta.go          Meta, Extract, and the order of the steps: read finds
//	                 the parts on a page, meta judges them and fills in Meta
//	number_find.go   the "Số:" labels and the words of number and symbol
//	                 after each, the incoming-mail stamp's told apart
//	number.go        the canonical số và ký hiệu and its parser, ParseNumber
//	number_judge.go  whether the number is certain: confidences, mapped
//	                 characters, blanks and ink, the year and the type
//	date.go          the place and date line, found and judged
//	type.go          the types of Phụ lục III, the type name found, the
//	                 symbol checked against it
//	agency.go        the issuing and parent agency of the left block
//	subject.go       the trích yếu, under the type name or after V/v
//	layout.go        page geometry: rows, baselines, the header's columns,
//	                 the stamp, ink told from print by size and baseline
//	text.go          the words' text: normalised, folded, filtered
//	thresholds.go    every number the reading is decided by, documented
//	review.go        the review reasons, in Vietnamese, as archivists see them
//	fields.go        the names of the fields and of the blanks' crops
//
//	handwriting.go   the blanks read by hand (pipeline.PageText.Blanks) made
//	                 into the number and the date, and their crops named
//
// # Handwriting
//
// The OCR worker finds the header's blanks (ocr/hand), reads them with a
// digit network and Tesseract, and leaves the readings on the page. When
// OCR of the printed page could not make the number or the day certain,
// the blank's reading takes its place: certain only when every digit has
// a probability of at least minHandProb, Tesseract read the same digits
// or none (or the model gave each more than tessOverruled), nothing in the blank was left unread, the number has two
// digits at least with a leading zero only below 10, and the date is real
// and neither after the document was taken in nor after the earliest
// signing time of the original (ExtractIn's Context). A printed number
// read with certainty stays, unless a sure reading of its blank says
// otherwise. Doubts that the blank does not settle (the symbol, the stamp,
// the type) stand.
//
// # Tests
//
// testdata/real holds the page-1 OCR of the four real scans of
// fixtures/real exactly as the worker produces it (worker_test.go: the page
// split as ingest splits it, ocr.Prepare's cleaned page at 200 dpi,
// Tesseract 5.3 vie with character confidences, boxes scaled back to the
// corrected page), their labels, and the golden Meta of each; go test
// ./archive/docmeta/ -run TestRealScans -update regenerates them (with cgo
// and libtesseract). None of the four is certain: three have the number and
// the day handwritten, and the fourth, a faded 1999 typescript, reads
// "I57/" and "ngày 32". The table tests lay out realistic headers with
// plausible boxes and confidences (builder_test.go). FuzzExtract and
// FuzzParseNumber check that nothing panics, every output is NFC and every
// DocNumber is canonical.
//
// TestSynth renders pages with fixtures/synth in the mix of fixtures/gen
// (fonts, colour, grey and bilevel, JPEG, PNG and G4 TIFF files, skew,
// noise, blur, seals, a third as rough as the bench corpus, a tenth turned)
// and reads them as the worker does; CI reads six, and -synthn 100 or more
// measures the rates (-synthdump keeps every page's PageText and truth):
//
//	go test ./archive/docmeta -run TestSynth -v -args -synthn 100 -synthseed 23
//
// On those 100 held-out pages the number, date and type were all exactly
// right on every page; 94 were certain, none wrong and certain.
package docmeta
