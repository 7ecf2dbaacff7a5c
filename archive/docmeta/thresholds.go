package docmeta

// The numbers the header is read and judged by, in one place.
//
// Confidences are Tesseract's, 0 to 100, each character's own where it gave
// one. Distances on a row are in line heights (row.h, the median height of
// the row's words: 38 to 50 px for 13–14 pt type at 300 dpi, 25 to 35 at
// 200), so that they hold at any resolution; positions on the page are
// percentages of its width or height (see pct). Facts of the format itself
// — a number has 1 to 6 digits, a year 4, a day 1 to 31; "ngày" and "tháng"
// are read with one letter of OCR damage — stay with the code that reads
// them.
//
// The values were set on the table tests (builder_test.go), the real scans
// (testdata/real) and the held-out synthetic pages (TestSynth). Changing
// one changes what is certain: run all three, TestSynth with -synthn 100
// on more than one seed, and keep "wrong and certain" at 0.
const (
	// maxHeaderPages is how many pages are searched for the header: page
	// 1, and page 2 when page 1 is a cover or routing slip without one.
	maxHeaderPages = 2

	// ── Certainty ──────────────────────────────────────────────────────

	// minNumberConf is the lowest confidence a digit of the number may
	// have for the number to be certain. Printed digits read at 90 and
	// more; digits written into the blank by hand, or damaged, read lower.
	// An archive key needs the certainty of print.
	minNumberConf = 85
	// minHandProb is the lowest probability the digit model may give a
	// digit written by hand into a blank for the reading to be certain
	// (with Tesseract agreeing or silent on the same marks, and nothing in
	// the blank that is not a digit). Set on the generated handwritten
	// headers (fixtures/handset, seeds 1000 and 2000) so that none is
	// wrong and certain: at 0.97 a 1 touching an 8 (a B) read as a sure 8.
	minHandProb = 0.98
	// tessOverruled: when the digit model gives every digit at least this,
	// Tesseract reading the same marks otherwise does not keep the reading
	// from being certain. Tesseract is no reader of handwriting: on seed
	// 2000's 300 generated headers it read other digits for 18 of the 30
	// numbers the model read right with 0.97 and more, and the right ones
	// for none the model read wrong.
	tessOverruled = 0.995
	// minYearReread: the printed year read again on its own after a
	// handwritten blank contradicts the line's reading only when read at
	// least this well. On seed 2000's generated headers the re-read of the
	// right year read 94 to 96, misreadings (2016 for 2018) 92 at most.
	minYearReread = 93
	// minSymbolConf is the lowest confidence of a letter of the symbol.
	// Lower than for digits: the symbol is checked against the type name
	// and the abbreviation tables as well, which catch most misreadings.
	minSymbolConf = 70
	// minDateConf is the lowest confidence of a digit of the day, the month
	// and the year, for the same reason as minNumberConf.
	minDateConf = 85
	// flaggedConfScale and flaggedConfMax lower the confidence of a number
	// or date flagged for review (times 0.6, at most 0.5), so that
	// Meta.Confidence never ranks a flagged field near a certain one
	// (certain is at least minNumberConf/100 = 0.85).
	flaggedConfScale = 0.6
	flaggedConfMax   = 0.5

	// minWordConf is the confidence under which a word is OCR's own doubt
	// — a scratch, a stamp's rim, a seal's text — and is left out of the
	// agency, the type name and the trích yếu. Real words, even damaged,
	// score above it.
	minWordConf = 20
	// minAgencyConf is the lowest mean confidence of a line of the agency
	// block: under it the line is a seal or stamp over the block.
	minAgencyConf = 45
	// minUpperShare is the share of capitals a line needs to be an agency
	// line or a type name (both are set in capitals); not 1, as OCR reads
	// some capitals small (ủy, đ).
	minUpperShare = 0.6
	// minAuthorityUpperShare is the share of capitals of the authority line
	// ("ỦY BAN NHÂN DÂN TỈNH …") that opens a quyết định's body and ends its
	// trích yếu, which mixes cases and must not be taken for one.
	minAuthorityUpperShare = 0.8

	// ── Confidence of the type ─────────────────────────────────────────
	// Meta.Confidence[FieldType] is the type name's mean word confidence,
	// or, when it must be doubted or inferred, these.

	// typeConfMismatch: the type name and the symbol's abbreviation
	// disagree (QĐ under CHỈ THỊ): one of them is wrong.
	typeConfMismatch = 0.3
	// typeConfNoAbbrScale scales the type name's confidence when the
	// symbol carries no abbreviation of it: the name is likely right, the
	// symbol misread.
	typeConfNoAbbrScale = 0.8
	// typeConfVv: no type name, but a V/v, which only a công văn has.
	typeConfVv = 0.8
	// typeConfFromAbbr: no type name; the type is the symbol's abbreviation.
	typeConfFromAbbr = 0.6
	// typeConfGuess: no type name, abbreviation or V/v; taken for a công
	// văn whose V/v was lost.
	typeConfGuess = 0.5

	// ── Where the parts of the header are ──────────────────────────────

	// numberZonePct: the "Số:" is sought in the top 55% of the page; a
	// page's body cites other numbers, and the header ends well above.
	numberZonePct = 55
	// mottoZonePct: the national motto is in the top quarter.
	mottoZonePct = 25
	// dateZonePct: a date line without a "Số:" to anchor it is sought in
	// the top 40%, above the body whose citations carry dates too.
	dateZonePct = 40
	// typeZonePct: the type name is in the top 60% (below a long agency
	// block, a stamp and a two-line date on a small page).
	typeZonePct = 60
	// typeReach: the type name is at most 12 line heights below the "Số:"
	// or date line; further down is the body.
	typeReach = 12
	// typeCentreMinPct and typeCentreMaxPct: the type name is centred; its
	// centre lies in the middle three fifths of the page, not in a column.
	typeCentreMinPct = 20
	typeCentreMaxPct = 80
	// subjectCentrePct: a line of the trích yếu is centred on the type
	// line within 6% of the page width (about a word).
	subjectCentrePct = 6
	// columnSlackPct: a word of the left column may overhang the start of
	// the right column by half a line height (OCR's boxes are loose).
	columnSlackPct = 50

	// ── The "Số:" line ─────────────────────────────────────────────────

	// sameLinePct: a word of another OCR line whose centre is within half
	// a line height of the label's is on the label's line: Tesseract
	// sometimes makes "Số:" and its number lines of their own.
	sameLinePct = 50
	// numberReach: before the slash, the words after "Số:" may be up to 10
	// line heights apart — the blank a clerk leaves for ink is wide.
	numberReach = 10
	// symbolGap: once the symbol has a letter after its slash, a word more
	// than 1.5 line heights on is the place name, not more of the symbol.
	symbolGap = 1.5
	// maxPreSlashWords: at most 3 words before the slash (the number, and
	// what OCR made of ink and the dotted leader); more is prose.
	maxPreSlashWords = 3
	// maxPreSlashLen: a word before the slash longer than 8 characters is
	// prose, not a number with its dotted leader ("07......").
	maxPreSlashLen = 8
	// proseLowerBefore and proseLowerAfter: a word with 2 lower-case
	// letters before the slash, or 3 after it, is prose: abbreviations
	// have at most one (TTr, QyĐ, TTg), and after the slash a party
	// symbol's unit may have two.
	proseLowerBefore = 2
	proseLowerAfter  = 3
	// numberBlankPct: a number standing more than half a line height
	// before its symbol is a word of its own in the blank: printed numbers
	// are typed against the slash.
	numberBlankPct = 50

	// stampReachY and stampReachX: an incoming-mail stamp's words ("ĐẾN",
	// "Ngày:", "Chuyển:") within 4 line heights above or below a "Số:" and
	// 8 to either side make it the stamp's registry number: the stamp is a
	// small box of four or five lines.
	stampReachY = 4
	stampReachX = 8

	// Scores of a "Số:" candidate: the document's own is in the left
	// column, has a readable symbol and number and the date after it on
	// its line; a stamp nearby outweighs everything but the column.
	scoreLeftColumn = 4
	scoreSymbol     = 2
	scoreNumber     = 1
	scoreDateAfter  = 2
	scoreStamp      = -6

	// ── The date line ──────────────────────────────────────────────────

	// dateReach: a date line on another row than the number's is at most 3
	// line heights from it (OCR splits the merged line, or sets the date
	// line a little lower).
	dateReach = 3
	// dateColumnSlack: on another row, the date's "tháng" starts in the
	// right column, give or take a line height.
	dateColumnSlack = 1
	// dateTopSlack: without a "Số:", the date line starts at most 2 line
	// heights left of the right column, and at least 2 clear of the word
	// before it: a line of its own, not a sentence of the body.
	dateTopSlack = 2
	// placeGap: words of the place name stand at most 2 line heights apart.
	placeGap = 2
	// maxPlaceWords: a place name has at most 6 words ("thị trấn Vân
	// Canh"); more is prose.
	maxPlaceWords = 6
	// blankGap: a day standing more than 1.5 line heights from "ngày" or
	// "tháng" was written into a blank (a space between words is a third).
	blankGap = 1.5

	// ── Ink by its geometry ────────────────────────────────────────────
	// Digits written by hand differ from the printed year of the date
	// line in size and sit off its baseline.

	// inkMaxHeight and inkMinHeight: digits taller than 1.3 or shorter
	// than 0.6 times the printed year are not print of the same size (the
	// day and the number are set in the same type as the year; marks and
	// OCR's boxes vary by less).
	inkMaxHeight = 1.3
	inkMinHeight = 0.6
	// inkBelow and inkAbove: digits whose bottom is more than 0.25 of the
	// year's height below the row's baseline, or 0.35 above it, were not
	// typed on it. Below is the tighter: ink drops below the line, and
	// digits have no descenders to excuse it.
	inkBelow = 0.25
	inkAbove = 0.35

	// ── The agency block ───────────────────────────────────────────────

	// agencyGap: the agency block's last line is within 3 line heights of
	// the "Số:" line (or date line), and its lines as close to each other;
	// agencyGapNoNumber: within 6 of the type name when there is neither,
	// as the "Số:" line's place is then empty.
	agencyGap         = 3
	agencyGapNoNumber = 6
	// maxAgencyLines: parent and issuing agency take at most 5 lines.
	maxAgencyLines = 5

	// ── The trích yếu ──────────────────────────────────────────────────

	// maxSubjectLines: a trích yếu under the type name takes at most 4
	// lines; more is the body.
	maxSubjectLines = 4
	// subjectLinePct: each line follows the one above within 0.8 line
	// heights of leading; subjectFirstPct: the first follows the type name
	// within 1.5, which is set larger and apart.
	subjectLinePct  = 80
	subjectFirstPct = 150
	// subjectAsideGap: a line off the centre (a stamp, a seal beside the
	// trích yếu) is skipped, unless it is more than 2 line heights below:
	// then the trích yếu has ended.
	subjectAsideGap = 2
	// vvReach: a công văn's "V/v" is within 5 line heights under its
	// "Số:" line; it continues on at most vvMaxRows rows, indented at most
	// vvIndent line heights left of the V/v.
	vvReach   = 5
	vvMaxRows = 4
	vvIndent  = 2

	// ── Type names as OCR reads them ───────────────────────────────────

	// fuzzyTypeMinLen: only type names of 7 letters and more ("CHỈ THỊ",
	// folded and spaced) are matched with one letter wrong; shorter ones
	// are one letter from too many other words.
	fuzzyTypeMinLen = 7
	// letterSpacedMinWords and letterSpacedPct: a row of at least 4 words,
	// 80% of them one or two letters, is a letter-spaced name ("Q U Y Ế T
	// Đ Ị N H").
	letterSpacedMinWords = 4
	letterSpacedPct      = 80
)

// pct is p percent of x, rounded down as integer arithmetic does.
func pct(x, p int) int { return x * p / 100 }
