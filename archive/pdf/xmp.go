package pdf

import (
	"encoding/xml"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// docMeta is the document metadata as both the Info dictionary and the XMP
// packet state it: the fields of Info cleaned by metaText, and the one date
// used for creation, modification and the metadata.
type docMeta struct {
	title, identifier, language, producer string
	date                                  time.Time
}

func newDocMeta(info Info) docMeta {
	date := info.Created
	if date.IsZero() {
		date = time.Now()
	}
	// Both forms of the date have whole seconds.
	date = date.Truncate(time.Second)
	return docMeta{
		title:      metaText(info.Title),
		identifier: metaText(info.Identifier),
		language:   metaText(info.Language),
		producer:   metaText(info.Producer),
		date:       date,
	}
}

// metaText returns s as metadata text: in NFC, every run of white space and
// control characters (which XML cannot carry, and which an OCR'd subject
// line spanning several lines contains) replaced by one space, without
// leading or trailing space. Byte order marks and the noncharacters U+FFFE
// and U+FFFF, also not allowed in XML, are dropped.
func metaText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFC.String(s) {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		case r == '\uFEFF' || r == '\uFFFE' || r == '\uFFFF':
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// xmpDate formats t as an XMP date with seconds and an explicit time zone
// offset ("+00:00" for UTC), the instant and zone of the Info dictionary's
// dates.
func xmpDate(t time.Time) string { return t.Format("2006-01-02T15:04:05-07:00") }

// xmpPacket returns the document's XMP metadata packet, in UTF-8: the
// PDF/A identification (part 2, conformance U), Dublin Core title (x-default),
// identifier, language and format, the XMP basic dates and creator tool, and
// the PDF producer, each only when known. It uses predefined schemas only,
// with the value types the XMP specification gives them, so PDF/A needs no
// extension schema. The packet header has no bytes or encoding attribute
// (PDF/A-2 6.6.2.1), and the packet is read-only: no padding.
func xmpPacket(m docMeta) []byte {
	var b strings.Builder
	esc := func(s string) string {
		var e strings.Builder
		xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	prop := func(name, value string) {
		b.WriteString("   <" + name + ">" + esc(value) + "</" + name + ">\n")
	}
	b.WriteString("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n" +
		"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n" +
		" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n" +
		"  <rdf:Description rdf:about=\"\"\n" +
		"    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n" +
		"    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n" +
		"    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n" +
		"    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n")
	prop("pdfaid:part", "2")
	prop("pdfaid:conformance", "U")
	prop("dc:format", "application/pdf")
	if m.title != "" {
		b.WriteString("   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + esc(m.title) + "</rdf:li></rdf:Alt></dc:title>\n")
	}
	if m.identifier != "" {
		prop("dc:identifier", m.identifier)
	}
	if m.language != "" {
		b.WriteString("   <dc:language><rdf:Bag><rdf:li>" + esc(m.language) + "</rdf:li></rdf:Bag></dc:language>\n")
	}
	date := xmpDate(m.date)
	prop("xmp:CreateDate", date)
	prop("xmp:ModifyDate", date)
	prop("xmp:MetadataDate", date)
	if m.producer != "" {
		prop("xmp:CreatorTool", m.producer)
		prop("pdf:Producer", m.producer)
	}
	b.WriteString("  </rdf:Description>\n" +
		" </rdf:RDF>\n" +
		"</x:xmpmeta>\n" +
		"<?xpacket end=\"r\"?>")
	return []byte(b.String())
}
