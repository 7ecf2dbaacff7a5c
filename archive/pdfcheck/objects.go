package pdfcheck

import (
	"sort"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// images checks image XObjects: no /Interpolate true, /Alternates or /OPI
// (6.2.8), and device colour spaces only under an output intent of that
// colour space (6.2.4.3).
func (c *checker) images(objs []object) {
	var interpolate, alternates []string
	device := map[string][]string{}
	for _, o := range objs {
		if o.stream == nil || c.name(o.dict, "Subtype") != "Image" {
			continue
		}
		where := "object " + strconv.Itoa(o.nr)
		if b, ok := c.deref(o.dict["Interpolate"]).(types.Boolean); ok && bool(b) {
			interpolate = append(interpolate, where)
		}
		if o.dict["Alternates"] != nil || o.dict["OPI"] != nil {
			alternates = append(alternates, where)
		}
		if cs := c.deviceSpace(o.dict["ColorSpace"]); cs != "" {
			device[cs] = append(device[cs], where)
		}
	}
	if len(interpolate) > 0 {
		c.add("6.2.8", "images with /Interpolate true, which PDF/A forbids: %s", list(interpolate))
	}
	if len(alternates) > 0 {
		c.add("6.2.8", "images with /Alternates or /OPI, which PDF/A forbids: %s", list(alternates))
	}
	intent := map[string]string{"RGB ": "an RGB", "CMYK": "a CMYK", "GRAY": "a gray"}[c.outputCS]
	if intent == "" {
		intent = "no"
	}
	for _, cs := range []string{"DeviceGray", "DeviceRGB", "DeviceCMYK"} {
		where := device[cs]
		if len(where) == 0 {
			continue
		}
		switch {
		case cs == "DeviceGray" && c.outputCS != "",
			cs == "DeviceRGB" && c.outputCS == "RGB ",
			cs == "DeviceCMYK" && c.outputCS == "CMYK":
			continue
		}
		c.add("6.2.4.3", "images in %s, which needs %s output intent, and the file has %s output intent: %s",
			cs, map[string]string{"DeviceGray": "an", "DeviceRGB": "an RGB", "DeviceCMYK": "a CMYK"}[cs], intent, list(where))
	}
}

// deviceSpace returns the device colour space an image's /ColorSpace uses,
// directly or as the base of an Indexed space, "" for none.
func (c *checker) deviceSpace(o types.Object) string {
	switch cs := c.deref(o).(type) {
	case types.Name:
		switch v := cs.Value(); v {
		case "DeviceGray", "DeviceRGB", "DeviceCMYK":
			return v
		}
	case types.Array:
		if len(cs) >= 2 {
			if n, ok := c.deref(cs[0]).(types.Name); ok && (n == "Indexed" || n == "I") {
				return c.deviceSpace(cs[1])
			}
		}
	}
	return ""
}

// unicodeCollections are the Adobe character collections whose CIDs have
// known Unicode values, so that Type 0 fonts using them need no ToUnicode.
var unicodeCollections = map[string]bool{"GB1": true, "CNS1": true, "Japan1": true, "Korea1": true}

// standardEncodings are the encodings whose codes have known Unicode
// values, so that simple fonts using them need no ToUnicode.
var standardEncodings = map[string]bool{"WinAnsiEncoding": true, "MacRomanEncoding": true, "MacExpertEncoding": true}

// fonts checks every font: embedded (6.2.11.4.1), with a ToUnicode map
// (6.2.11.7.2), and for CIDFontType2 a CIDToGIDMap (6.2.11.3.2).
func (c *checker) fonts(objs []object) {
	var notEmbedded, noUnicode, noGIDMap []string
	for _, o := range objs {
		if o.stream != nil || c.name(o.dict, "Type") != "Font" {
			continue
		}
		font := o.dict
		where := c.fontName(font) + " (object " + strconv.Itoa(o.nr) + ")"
		needsUnicode := true
		switch c.name(font, "Subtype") {
		case "Type0":
			var desc types.Dict
			if ds, ok := c.deref(font["DescendantFonts"]).(types.Array); ok && len(ds) > 0 {
				desc = c.dict(ds[0])
			}
			if desc == nil {
				continue // pdfcpu's validation reports it
			}
			if !c.embedded(desc) {
				notEmbedded = append(notEmbedded, where)
			}
			if c.name(desc, "Subtype") == "CIDFontType2" && desc["CIDToGIDMap"] == nil {
				noGIDMap = append(noGIDMap, where)
			}
			if si := c.dict(desc["CIDSystemInfo"]); si != nil {
				reg, _ := c.ctx.DereferenceText(si["Registry"])
				ord, _ := c.ctx.DereferenceText(si["Ordering"])
				needsUnicode = !(reg == "Adobe" && unicodeCollections[ord])
			}
		case "Type1", "MMType1", "TrueType":
			if !c.embedded(font) {
				notEmbedded = append(notEmbedded, where)
			}
			if standardEncodings[c.name(font, "Encoding")] {
				needsUnicode = false
			}
			if c.name(font, "Subtype") == "TrueType" {
				if fd := c.dict(font["FontDescriptor"]); fd != nil {
					if f, ok := c.deref(fd["Flags"]).(types.Integer); ok && f&32 != 0 && f&4 == 0 {
						needsUnicode = false // non-symbolic
					}
				}
			}
		case "Type3":
			// Glyphs defined in the file: nothing to embed.
		default:
			continue // CIDFonts are checked through their Type 0 font
		}
		if needsUnicode && font["ToUnicode"] == nil {
			noUnicode = append(noUnicode, where)
		}
	}
	if len(notEmbedded) > 0 {
		c.add("6.2.11.4.1", "fonts whose program is not embedded: %s", list(notEmbedded))
	}
	if len(noGIDMap) > 0 {
		c.add("6.2.11.3.2", "CIDFontType2 fonts without a /CIDToGIDMap: %s", list(noGIDMap))
	}
	if len(noUnicode) > 0 {
		c.add("6.2.11.7.2", "fonts without a /ToUnicode map, so their text has no Unicode: %s", list(noUnicode))
	}
}

func (c *checker) fontName(font types.Dict) string {
	if n := c.name(font, "BaseFont"); n != "" {
		return n
	}
	return "unnamed font"
}

// embedded reports whether a font (or CIDFont) dictionary's descriptor
// holds a font program.
func (c *checker) embedded(font types.Dict) bool {
	fd := c.dict(font["FontDescriptor"])
	return fd != nil && (fd["FontFile"] != nil || fd["FontFile2"] != nil || fd["FontFile3"] != nil)
}

// forbiddenActions are the action types PDF/A-2 forbids besides JavaScript
// (6.5.1); allowedNamed are the named actions it allows.
var (
	forbiddenActions = map[string]bool{
		"Launch": true, "Sound": true, "Movie": true, "ResetForm": true, "ImportData": true, "Hide": true,
		"SetOCGState": true, "Rendition": true, "Trans": true, "GoTo3DView": true, "SetState": true, "NOP": true,
	}
	allowedNamed = map[string]bool{"NextPage": true, "PrevPage": true, "FirstPage": true, "LastPage": true}
)

// actions checks for JavaScript and other forbidden actions (6.5.1), and
// additional actions (/AA), in the catalog and pages (6.5.2) and elsewhere,
// in form fields and widgets (6.4.1). Every dictionary is looked at,
// including dictionaries nested directly in others.
func (c *checker) actions(root types.Dict, objs []object) {
	rootNr := c.ctx.Root.ObjectNumber.Value()
	// Objects that are known by their role rather than their number.
	role := map[int]string{}
	if r, ok := root["OpenAction"].(types.IndirectRef); ok {
		role[r.ObjectNumber.Value()] = "the catalog's /OpenAction"
	}
	var js, forbidden, aaDoc, aaForm []string
	if names := c.dict(root["Names"]); names != nil && names["JavaScript"] != nil {
		js = append(js, "document-level JavaScript (/Names /JavaScript)")
		c.nameTreeValues(names["JavaScript"], func(r types.IndirectRef) {
			role[r.ObjectNumber.Value()] = "document-level JavaScript (/Names /JavaScript)"
		}, 0)
	}
	where := func(nr int, key string) string {
		switch {
		case role[nr] != "":
			return role[nr]
		case nr == rootNr && key != "":
			return "the catalog's /" + key
		case nr == rootNr:
			return "the catalog"
		case c.pageOf[nr] != 0:
			return "page " + strconv.Itoa(c.pageOf[nr])
		}
		return "object " + strconv.Itoa(nr)
	}
	for _, o := range objs {
		walkDicts(o.dict, "", 0, func(d types.Dict, key string) {
			// Actions have no type or /Type /Action; structure elements,
			// whose /S is a structure type, always have a parent, /P.
			s := ""
			if t := c.name(d, "Type"); (t == "" || t == "Action") && d["P"] == nil {
				s = c.name(d, "S")
			}
			switch {
			case s == "JavaScript" || d["JS"] != nil:
				js = append(js, where(o.nr, key))
			case forbiddenActions[s]:
				forbidden = append(forbidden, s+" in "+where(o.nr, key))
			case s == "Named" && !allowedNamed[c.name(d, "N")]:
				forbidden = append(forbidden, "Named /"+c.name(d, "N")+" in "+where(o.nr, key))
			}
			if d["AA"] != nil {
				if o.nr == rootNr || c.pageOf[o.nr] != 0 {
					aaDoc = append(aaDoc, where(o.nr, ""))
				} else {
					aaForm = append(aaForm, where(o.nr, ""))
				}
			}
		})
	}
	if len(js) > 0 {
		c.add("6.5.1", "JavaScript, which PDF/A forbids: %s", list(dedupe(js)))
	}
	if len(forbidden) > 0 {
		c.add("6.5.1", "actions PDF/A forbids: %s", list(dedupe(forbidden)))
	}
	if len(aaDoc) > 0 {
		c.add("6.5.2", "additional actions (/AA), which run on events and PDF/A forbids, in %s", list(dedupe(aaDoc)))
	}
	if len(aaForm) > 0 {
		c.add("6.4.1", "additional actions (/AA) in form fields or widgets, which PDF/A forbids: %s", list(dedupe(aaForm)))
	}
}

// walkDicts calls f for d and every dictionary nested directly in it (in
// dictionaries and arrays, not through references), with the key of d's
// entry that leads there.
func walkDicts(d types.Dict, key string, depth int, f func(d types.Dict, key string)) {
	if depth > 32 {
		return
	}
	f(d, key)
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if key == "" {
			walkObject(d[k], k, depth+1, f)
		} else {
			walkObject(d[k], key, depth+1, f)
		}
	}
}

func walkObject(o types.Object, key string, depth int, f func(d types.Dict, key string)) {
	switch v := o.(type) {
	case types.Dict:
		walkDicts(v, key, depth, f)
	case types.Array:
		for _, e := range v {
			walkObject(e, key, depth+1, f)
		}
	}
}

// nameTreeValues calls f for every indirect value in a name tree.
func (c *checker) nameTreeValues(o types.Object, f func(types.IndirectRef), depth int) {
	node := c.dict(o)
	if node == nil || depth > 32 {
		return
	}
	if names, ok := c.deref(node["Names"]).(types.Array); ok {
		for i := 1; i < len(names); i += 2 {
			if r, ok := names[i].(types.IndirectRef); ok {
				f(r)
			}
		}
	}
	if kids, ok := c.deref(node["Kids"]).(types.Array); ok {
		for _, k := range kids {
			c.nameTreeValues(k, f, depth+1)
		}
	}
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// standardFilters are the filters of ISO 32000-1, Table 6, that PDF/A
// allows (6.1.7.2): all but LZWDecode. Crypt is left to the encryption
// check.
var standardFilters = map[string]bool{
	"ASCIIHexDecode": true, "ASCII85Decode": true, "FlateDecode": true, "RunLengthDecode": true,
	"CCITTFaxDecode": true, "JBIG2Decode": true, "DCTDecode": true, "JPXDecode": true, "Crypt": true,
}

// filters checks stream filters (6.1.7.2) and external streams (6.1.7.1).
func (c *checker) filters(objs []object) {
	var lzw, unknown, external []string
	for _, o := range objs {
		if o.stream == nil {
			continue
		}
		where := "object " + strconv.Itoa(o.nr)
		for _, f := range c.filterNames(o.dict["Filter"]) {
			switch {
			case f == "LZWDecode" || f == "LZW":
				lzw = append(lzw, where)
			case !standardFilters[f]:
				unknown = append(unknown, "/"+f+" in "+where)
			}
		}
		if o.dict["F"] != nil || o.dict["FFilter"] != nil || o.dict["FDecodeParms"] != nil {
			external = append(external, where)
		}
	}
	if len(lzw) > 0 {
		c.add("6.1.7.2", "streams compressed with LZW, which PDF/A forbids: %s", list(dedupe(lzw)))
	}
	if len(unknown) > 0 {
		c.add("6.1.7.2", "streams with filters that are not standard PDF: %s", list(unknown))
	}
	if len(external) > 0 {
		c.add("6.1.7.1", "streams whose data is outside the file (/F, /FFilter or /FDecodeParms): %s", list(external))
	}
}

// filterNames returns the names in a /Filter entry: a name or an array.
func (c *checker) filterNames(o types.Object) []string {
	switch f := c.deref(o).(type) {
	case types.Name:
		return []string{f.Value()}
	case types.Array:
		var names []string
		for _, e := range f {
			if n, ok := c.deref(e).(types.Name); ok {
				names = append(names, n.Value())
			}
		}
		return names
	}
	return nil
}

// inlineImages checks the inline images of page content streams and form
// XObjects: no LZW (6.1.10) and no interpolation (6.2.8).
func (c *checker) inlineImages(objs []object) {
	type content struct {
		where string
		sd    *types.StreamDict
	}
	var streams []content
	for i, page := range c.pages {
		where := "page " + strconv.Itoa(i+1)
		switch cs := c.deref(page["Contents"]).(type) {
		case types.StreamDict:
			streams = append(streams, content{where, &cs})
		case types.Array:
			for _, e := range cs {
				if sd := c.stream(e); sd != nil {
					streams = append(streams, content{where, sd})
				}
			}
		}
	}
	for _, o := range objs {
		if o.stream != nil && c.name(o.dict, "Subtype") == "Form" {
			streams = append(streams, content{"object " + strconv.Itoa(o.nr), o.stream})
		}
	}
	var lzw, interpolate []string
	for _, s := range streams {
		b := decoded(s.sd)
		if b == nil {
			continue // pdfcpu's validation reports streams it cannot decode
		}
		for _, img := range inlineImageDicts(b) {
			for _, f := range img.filters {
				if f == "LZWDecode" || f == "LZW" {
					lzw = append(lzw, s.where)
				}
			}
			if img.interpolate {
				interpolate = append(interpolate, s.where)
			}
		}
	}
	if len(lzw) > 0 {
		c.add("6.1.10", "inline images compressed with LZW, which PDF/A forbids, in %s", list(dedupe(lzw)))
	}
	if len(interpolate) > 0 {
		c.add("6.2.8", "inline images with interpolation (/I true), which PDF/A forbids, in %s", list(dedupe(interpolate)))
	}
}

// annotationTypes are the annotation subtypes of ISO 32000-1 that PDF/A-2
// allows (6.3.1): all but 3D, Sound, Screen and Movie.
var annotationTypes = map[string]bool{
	"Text": true, "Link": true, "FreeText": true, "Line": true, "Square": true, "Circle": true,
	"Polygon": true, "PolyLine": true, "Highlight": true, "Underline": true, "Squiggly": true,
	"StrikeOut": true, "Stamp": true, "Caret": true, "Ink": true, "Popup": true, "FileAttachment": true,
	"Widget": true, "PrinterMark": true, "TrapNet": true, "Watermark": true, "Redact": true,
}

// Annotation flags (ISO 32000-1, 12.5.3).
const (
	annotInvisible    = 1
	annotHidden       = 2
	annotPrint        = 4
	annotNoView       = 32
	annotToggleNoView = 256
)

// annotations checks the annotations of every page: allowed types (6.3.1),
// printed and not hidden (6.3.2).
func (c *checker) annotations() {
	var badType, notPrinted []string
	for i, page := range c.pages {
		p := i + 1
		annots, _ := c.deref(page["Annots"]).(types.Array)
		for _, a := range annots {
			d := c.dict(a)
			if d == nil {
				continue
			}
			st := c.name(d, "Subtype")
			where := st + " on page " + strconv.Itoa(p)
			if st == "" {
				where = "an annotation without /Subtype on page " + strconv.Itoa(p)
			}
			if r, ok := a.(types.IndirectRef); ok {
				where += " (object " + strconv.Itoa(r.ObjectNumber.Value()) + ")"
			}
			if !annotationTypes[st] {
				badType = append(badType, where)
			}
			if st == "Popup" {
				continue
			}
			f, ok := c.deref(d["F"]).(types.Integer)
			if !ok || f&annotPrint == 0 || f&(annotInvisible|annotHidden|annotNoView|annotToggleNoView) != 0 {
				notPrinted = append(notPrinted, where)
			}
		}
	}
	if len(badType) > 0 {
		c.add("6.3.1", "annotations of types PDF/A forbids (3D, Sound, Screen, Movie or non-standard): %s", list(badType))
	}
	if len(notPrinted) > 0 {
		c.add("6.3.2", "annotations that are not printed (no print flag in /F) or are hidden: %s", list(notPrinted))
	}
}
