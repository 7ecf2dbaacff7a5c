package index

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/token/shingle"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/sohoa/sohoa/viet"
)

// Names of the analysis components. Bleve keeps token filters in a
// process-wide registry and records the names in the index's mapping, so
// a name, once used in an index on disk, keeps meaning the same thing.
const (
	tokenizerWords = "sohoa_words"

	analyzerExact = "sohoa_vi_exact" // words → exactTerm
	analyzerFold  = "sohoa_vi_fold"  // words → foldTerm
	analyzerPairs = "sohoa_vi_pairs" // words → foldTerm → pairs of adjacent words
	// analyzerHeadPairs is analyzerPairs for the head, its positions moved
	// past any text (headShift), so that a phrase of pairs never joins a
	// pair of the head to the pair of the text that happens to follow it.
	analyzerHeadPairs = "sohoa_vi_head_pairs"

	filterExact = "sohoa_vi_exact" // exactTerm
	filterFold  = "sohoa_vi_fold"  // foldTerm
	filterPairs = "sohoa_vi_pairs" // shingles of two, "a b"
	filterShift = "sohoa_vi_shift" // positions + headShift

	// filterNFC is the exact filter of schema 1 (NFC and look-alikes, no
	// lower case or tone placement). It stays registered so that an index
	// written with schema 1 still opens, to be reported as outdated.
	filterNFC = "sohoa_vi_nfc"
)

func init() {
	must(registry.RegisterTokenizer(tokenizerWords, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return wordTokenizer{}, nil
	}))
	must(registry.RegisterTokenFilter(filterExact, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return termFilter(exactTerm), nil
	}))
	must(registry.RegisterTokenFilter(filterFold, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return termFilter(foldTerm), nil
	}))
	must(registry.RegisterTokenFilter(filterShift, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return shiftFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(filterNFC, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return termFilter(viet.Normalize), nil
	}))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// exactTerm is a word as the exact fields index it: NFC, look-alike letters
// mapped (Ð → Đ), lower case, tone mark in the agreed place (viet.CanonTones):
// "Hoà", "HÒA" and "hòa" are all "hòa".
func exactTerm(w string) string {
	if isASCII(w) {
		return asciiLower(w)
	}
	return viet.CanonTones(strings.ToLower(viet.Normalize(w)))
}

// foldTerm is a word as the folded fields index it: lower case, no
// diacritics, đ → d (viet.Fold): "Quyết", "QUYET" and "quyêt" are all
// "quyet". It is viet.Fold, letter by letter from a table.
func foldTerm(w string) string {
	if isASCII(w) {
		return asciiLower(w)
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
		case r < foldTableEnd:
			b.WriteString(foldTable[r-utf8.RuneSelf])
		default:
			b.WriteString(viet.Fold(string(r)))
		}
	}
	return b.String()
}

// foldTable is viet.Fold of every rune from U+0080 to U+1EFF (Latin letters
// with their diacritics, combining marks, Vietnamese in Latin Extended
// Additional). Fold maps a string rune by rune (it decomposes, drops marks
// and lower-cases each rune alone), so folding rune by rune is the same.
const foldTableEnd = 0x1F00

var foldTable = func() []string {
	t := make([]string, foldTableEnd-utf8.RuneSelf)
	for r := rune(utf8.RuneSelf); r < foldTableEnd; r++ {
		t[r-utf8.RuneSelf] = viet.Fold(string(r))
	}
	return t
}()

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// termFilter applies f to every token.
type termFilter func(string) string

func (f termFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = []byte(f(string(t.Term)))
	}
	return in
}

// headShift is added to the positions of the head's pairs: more words
// than any document's text has.
const headShift = 1 << 26

// shiftFilter adds headShift to every token's position. It runs after the
// shingle filter, which would fill a gap before the first token with
// fillers.
type shiftFilter struct{}

func (shiftFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Position += headShift
	}
	return in
}

// addAnalyzers adds the four analyzers to im.
func addAnalyzers(im *mapping.IndexMappingImpl) error {
	if err := im.AddCustomTokenFilter(filterPairs, map[string]any{
		"type": shingle.Name, "min": 2.0, "max": 2.0, "output_original": false, "separator": " ", "filler": "",
	}); err != nil {
		return err
	}
	for name, filters := range map[string][]string{
		analyzerExact:     {filterExact},
		analyzerFold:      {filterFold},
		analyzerPairs:     {filterFold, filterPairs},
		analyzerHeadPairs: {filterFold, filterPairs, filterShift},
	} {
		if err := im.AddCustomAnalyzer(name, map[string]any{
			"type": custom.Name, "tokenizer": tokenizerWords, "token_filters": filters,
		}); err != nil {
			return err
		}
	}
	return nil
}

// wordTokenizer splits text into words: runs of letters, digits and
// combining marks. Punctuation, spaces and symbols separate words; a number
// with separators is several words (12.450 is 12 and 450, 15/2020/QĐ-UBND is
// 15, 2020, QĐ and UBND), in the index and in queries alike. It is simpler
// and several times faster than Unicode word segmentation (UAX #29), which
// Vietnamese, written with spaces between syllables, does not need.
type wordTokenizer struct{}

func (wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	var out analysis.TokenStream
	start, pos := -1, 0
	numeric := true
	emit := func(end int) {
		pos++
		typ := analysis.AlphaNumeric
		if numeric {
			typ = analysis.Numeric
		}
		out = append(out, &analysis.Token{Term: input[start:end], Start: start, End: end, Position: pos, Type: typ})
		start, numeric = -1, true
	}
	for i := 0; i < len(input); {
		r, n := rune(input[i]), 1
		var word bool
		if r < utf8.RuneSelf {
			word = 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
		} else {
			r, n = utf8.DecodeRune(input[i:])
			word = unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)
		}
		switch {
		case word && start < 0:
			start = i
			fallthrough
		case word:
			numeric = numeric && '0' <= r && r <= '9'
		case start >= 0:
			emit(i)
		}
		i += n
	}
	if start >= 0 {
		emit(len(input))
	}
	return out
}

// words splits s as the analyzers do, with byte offsets.
func words(s string) analysis.TokenStream { return wordTokenizer{}.Tokenize([]byte(s)) }
