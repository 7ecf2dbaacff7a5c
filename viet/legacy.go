package viet

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Legacy encodings.
//
// Before Unicode, Vietnamese was typed in fonts that drew Vietnamese letters
// in the place of Latin-1 ones, and files made with them still arrive: a PDF
// whose fonts are .VnTime or VNI-Times extracts, through the font's own
// encoding, as Latin-1 garbage ("Uû ban nh©n d©n" for "Uỷ ban nhân dân").
// Two encodings cover what communes hold:
//
//   - TCVN3 (TCVN 5712:1993's "ABC" font encoding; fonts .VnTime, .VnArial,
//     …): one byte per letter, tone included. Its fonts hold lower case and
//     the seven toneless capitals Ă Â Đ Ê Ô Ơ Ư; capitals with a tone come
//     from a second font of the family, named with a final H (.VnTimeH),
//     that draws the same bytes as capitals.
//   - VNI (VNI-Windows; fonts VNI-Times, VNI-Helve, …): a Latin base letter
//     followed by one or two bytes for its marks ("aø" is à, "ño" is đo), a
//     few letters in one byte (ô is ơ, ö is ư, ñ is đ, the toned i's, î is ỵ).
//
// The decoders map the Latin-1 characters a PDF's text gives for those bytes
// to Unicode, in NFC. Which encoding a text is in comes from its font's name
// when there is one (LegacyOfFont), and otherwise from the text itself
// (DetectLegacy): the decoding whose words are Vietnamese syllables wins.

// Legacy names a text encoding.
type Legacy int

const (
	// Unicode: the text is what it says.
	Unicode Legacy = iota
	// TCVN3: the ABC encoding, lower case and toneless capitals.
	TCVN3
	// TCVN3Capitals: the ABC encoding in a capitals font (.VnTimeH).
	TCVN3Capitals
	// VNI: the VNI-Windows encoding.
	VNI
)

func (l Legacy) String() string {
	switch l {
	case TCVN3:
		return "TCVN3"
	case TCVN3Capitals:
		return "TCVN3 (capitals)"
	case VNI:
		return "VNI"
	}
	return "Unicode"
}

// Decode returns s decoded from l, in NFC.
func (l Legacy) Decode(s string) string {
	switch l {
	case TCVN3:
		return DecodeTCVN3(s, false)
	case TCVN3Capitals:
		return DecodeTCVN3(s, true)
	case VNI:
		return DecodeVNI(s)
	}
	return norm.NFC.String(s)
}

// tcvn3 maps the Latin-1 character that stands for each byte of the ABC
// encoding to its letter, in the order of the letters: each row a base
// letter, then its grave, hook, tilde, acute and dot forms.
var tcvn3 = func() map[rune]rune {
	rows := []struct{ abc, uni string }{
		{"µ¶·¸¹", "àảãáạ"},
		{"¨»¼½¾Æ", "ăằẳẵắặ"},
		{"©ÇÈÉÊË", "âầẩẫấậ"},
		{"®", "đ"},
		{"ÌÎÏÐÑ", "èẻẽéẹ"},
		{"ªÒÓÔÕÖ", "êềểễếệ"},
		{"×ØÜÝÞ", "ìỉĩíị"},
		{"ßáâãä", "òỏõóọ"},
		{"«åæçèé", "ôồổỗốộ"},
		{"¬êëìíî", "ơờởỡớợ"},
		{"ïñòóô", "ùủũúụ"},
		{"\u00adõö÷øù", "ưừửữứự"}, // the ư is a soft hyphen, which some extractors drop
		{"úûüýþ", "ỳỷỹýỵ"},
		{"¡¢§£¤¥¦", "ĂÂĐÊÔƠƯ"},
	}
	m := map[rune]rune{}
	for _, r := range rows {
		a, u := []rune(r.abc), []rune(r.uni)
		if len(a) != len(u) {
			panic("viet: TCVN3 table row " + r.abc)
		}
		for i := range a {
			m[a[i]] = u[i]
		}
	}
	return m
}()

// DecodeTCVN3 maps s from the ABC encoding to Unicode. capitals: the text
// was drawn in a capitals font (.VnTimeH), so every letter is upper case.
func DecodeTCVN3(s string, capitals bool) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for _, r := range s {
		if u, ok := tcvn3[r]; ok {
			r = u
		}
		if capitals {
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// vni maps VNI's spellings of letters (a base letter and its mark bytes, or
// one byte) to the letters, lower case; upper case is the same spelling in
// capitals. Longest spelling first when decoding.
var vni = func() map[string]rune {
	// Tones in VNI's byte order: acute, grave, hook, tilde, dot.
	tones := []string{"ù", "ø", "û", "õ", "ï"}
	withQuality := []string{"á", "à", "å", "ã", "ä"} // after the â (circumflex) of a, e, o
	withBreve := []string{"é", "è", "ú", "ü", "ë"}   // after the ê (breve) of a
	m := map[string]rune{}
	add := func(spelling string, letter string) {
		r, _ := utf8.DecodeRuneInString(norm.NFC.String(letter))
		m[spelling] = r
	}
	acute, grave, hook, tilde, dot := "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
	marks := []string{acute, grave, hook, tilde, dot}
	for _, base := range []string{"a", "e", "o", "u", "y"} {
		for i, t := range tones {
			add(base+t, base+marks[i])
		}
	}
	for _, base := range []string{"a", "e", "o"} {
		add(base+"â", base+"\u0302")
		for i, t := range withQuality {
			add(base+t, base+"\u0302"+marks[i])
		}
	}
	add("aê", "ă")
	for i, t := range withBreve {
		add("a"+t, "ă"+marks[i])
	}
	for _, horn := range []struct{ spelling, letter string }{{"ô", "ơ"}, {"ö", "ư"}} {
		add(horn.spelling, horn.letter)
		for i, t := range tones {
			add(horn.spelling+t, horn.letter+marks[i])
		}
	}
	add("ñ", "đ")
	for i, t := range []string{"í", "ì", "æ", "ó", "ò"} {
		add(t, "i"+marks[i])
	}
	add("î", "ỵ")
	for k, r := range m {
		m[strings.ToUpper(k)] = unicode.ToUpper(r)
	}
	return m
}()

// DecodeVNI maps s from the VNI-Windows encoding to Unicode.
func DecodeVNI(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		n := 0
		var letter rune
		// A spelling is one rune or two (a base and one mark byte, which
		// carries the quality and the tone together: "aá" is ấ); the
		// longer one wins.
		end, runes := i, 0
		for end < len(s) && runes < 2 {
			_, w := utf8.DecodeRuneInString(s[end:])
			end += w
			runes++
			if r, ok := vni[s[i:end]]; ok {
				n, letter = end-i, r
			}
		}
		if n == 0 {
			r, w := utf8.DecodeRuneInString(s[i:])
			b.WriteRune(r)
			i += w
			continue
		}
		b.WriteRune(letter)
		i += n
	}
	return norm.NFC.String(b.String())
}

// LegacyOfFont tells the encoding of text drawn in a font from the font's
// name (a PDF's BaseFont, subset prefix and style suffixes allowed):
// ".VnTime", "VnTimeH", "ABCDEF+.VnArialH,Bold", "VNI-Times". Unicode for
// any other.
func LegacyOfFont(name string) Legacy {
	if i := strings.IndexByte(name, '+'); i == 6 {
		name = name[i+1:] // a subset's prefix
	}
	if i := strings.IndexByte(name, ','); i >= 0 {
		name = name[:i] // a style: ",Bold"
	}
	name = strings.TrimSpace(name)
	switch {
	case len(name) >= 4 && strings.EqualFold(name[:4], "VNI-"):
		return VNI
	case strings.HasPrefix(name, ".Vn"), len(name) > 2 && strings.HasPrefix(name, "Vn") && unicode.IsUpper(rune(name[2])):
		family := name
		for _, style := range []string{"-BoldItalic", "-Bold", "-Italic", "BoldItalic", "Bold", "Italic"} {
			family = strings.TrimSuffix(family, style)
		}
		if strings.HasSuffix(family, "H") {
			return TCVN3Capitals
		}
		return TCVN3
	}
	return Unicode
}

// DetectLegacy tells which encoding s is most likely in, from s alone: of
// the text as it is and its TCVN3 and VNI decodings, the one in which most
// of the words with letters outside ASCII are Vietnamese syllables. Text
// already in Unicode Vietnamese, plain ASCII, or text no decoding makes
// more Vietnamese is Unicode. A TCVN3 text whose ASCII letters are all
// capitals is TCVN3Capitals.
func DetectLegacy(s string) Legacy {
	for _, r := range s {
		if r > 0xFF && unicode.IsLetter(r) {
			return Unicode // legacy fonts' text is all Latin-1
		}
	}
	best, bestMargin := Unicode, syllableScore(s).margin()
	var bestScore score
	for _, l := range []Legacy{TCVN3, VNI} {
		if sc := syllableScore(l.Decode(s)); sc.margin() > bestMargin {
			best, bestMargin, bestScore = l, sc.margin(), sc
		}
	}
	if best == Unicode || bestScore.good <= bestScore.bad {
		return Unicode
	}
	if best == TCVN3 && allCapitals(s) {
		return TCVN3Capitals
	}
	return best
}

// score counts the words with letters outside ASCII that are Vietnamese
// syllables (good) and that are not (bad).
type score struct{ good, bad int }

func (s score) margin() int { return s.good - s.bad }

func syllableScore(s string) score {
	var sc score
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '\u00ad' && !isLatin1Symbol(r) }) {
		ascii := true
		for i := 0; i < len(w); i++ {
			if w[i] >= utf8.RuneSelf {
				ascii = false
				break
			}
		}
		if ascii {
			continue
		}
		if isSyllable(w) {
			sc.good++
		} else {
			sc.bad++
		}
	}
	return sc
}

// isLatin1Symbol: the Latin-1 signs legacy fonts draw letters in (© ® ª
// « ¬ µ ¶ · ¸ ¹ ¼ ½ ¾ ¡ ¢ £ ¤ ¥ ¦ § ¨ ×, soft hyphen), which must stay
// inside a word to be judged.
func isLatin1Symbol(r rune) bool { return r >= 0xA1 && r <= 0xBF || r == 0xD7 || r == 0xF7 }

// allCapitals: every ASCII letter of s is a capital, and there are a few.
func allCapitals(s string) bool {
	n := 0
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			return false
		case r >= 'A' && r <= 'Z':
			n++
		}
	}
	return n >= 3
}

// Onsets, vowel clusters and codas of Vietnamese syllables (toneless, lower
// case), for isSyllable.
var (
	onsets = []string{"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
		"b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""}
	nuclei = map[string]bool{}
	codas  = map[string]bool{"": true, "c": true, "ch": true, "m": true, "n": true, "ng": true, "nh": true, "p": true, "t": true}
)

func init() {
	for _, v := range strings.Fields("a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê " +
		"iêu yêu oai oay oao oeo uây uôi uya uyê uyu ươi ươu") {
		nuclei[v] = true
	}
}

// isSyllable reports whether w is one Vietnamese syllable: an onset, a
// vowel cluster with at most one tone mark, and a coda.
func isSyllable(w string) bool {
	var letters []rune
	tones := 0
	for _, r := range norm.NFD.String(strings.ToLower(w)) {
		switch r {
		case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
			tones++
			continue
		}
		letters = append(letters, r)
	}
	if tones > 1 || len(letters) == 0 {
		return false
	}
	bare := norm.NFC.String(string(letters))
	for _, o := range onsets {
		if !strings.HasPrefix(bare, o) {
			continue
		}
		rest := bare[len(o):]
		// The nucleus is the longest run of vowels; what follows is the coda.
		i := 0
		for _, r := range rest {
			if !strings.ContainsRune("aăâeêioôơuưy", r) {
				break
			}
			i += utf8.RuneLen(r)
		}
		if nuclei[rest[:i]] && codas[rest[i:]] {
			return true
		}
	}
	return false
}
