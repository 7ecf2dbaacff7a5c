package pdfcheck

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// nsPDFAID is the namespace of the PDF/A identification schema.
const nsPDFAID = "http://www.aiim.org/pdfa/ns/id/"

var (
	xpacketRE      = regexp.MustCompile(`<\?xpacket\s[^?]*\?>`)
	xpacketAttrsRE = regexp.MustCompile(`\b(bytes|encoding)\s*=`)
)

// metadata checks the catalog's XMP metadata (6.6.2.1) and the PDF/A
// identification in it (6.6.4).
func (c *checker) metadata(root types.Dict) {
	if root["Metadata"] == nil {
		c.add("6.6.2.1", "the catalog has no XMP metadata stream (/Metadata)")
		return
	}
	sd := c.stream(root["Metadata"])
	if sd == nil {
		c.add("6.6.2.1", "the catalog's /Metadata is not a stream")
		return
	}
	if c.name(sd.Dict, "Type") != "Metadata" || c.name(sd.Dict, "Subtype") != "XML" {
		c.add("6.6.2.1", "the catalog's metadata stream lacks /Type /Metadata and /Subtype /XML")
	}
	b := decoded(sd)
	if b == nil {
		c.add("6.6.2.1", "the catalog's metadata stream cannot be decoded")
		return
	}
	if h := xpacketRE.Find(b); h != nil {
		for _, m := range xpacketAttrsRE.FindAllSubmatch(h, -1) {
			c.add("6.6.2.1", "the XMP packet header has a %s attribute", m[1])
		}
	}

	part, conformance, err := pdfaID(b)
	if err != nil {
		c.add("6.6.2.1", "the XMP metadata is not well-formed XML: %v", err)
		return
	}
	switch {
	case part == nil && conformance == nil:
		c.add("6.6.4", "the XMP metadata has no PDF/A identification (pdfaid:part and pdfaid:conformance)")
		return
	case part == nil:
		c.add("6.6.4", "the XMP metadata has no pdfaid:part, want 2")
	case *part != "2":
		c.add("6.6.4", "XMP pdfaid:part is %s, want 2", *part)
	}
	switch {
	case conformance == nil:
		c.add("6.6.4", "the XMP metadata has no pdfaid:conformance, want U")
	case *conformance != "U" && *conformance != "A":
		c.add("6.6.4", "XMP pdfaid:conformance is %s, want U", *conformance)
	}
}

// pdfaID returns the values of pdfaid:part and pdfaid:conformance in an XMP
// packet, given as elements or as attributes of rdf:Description; nil for
// one that is absent.
func pdfaID(b []byte) (part, conformance *string, err error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var in *string // the pdfaid element being read
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return part, conformance, nil
		}
		if err != nil {
			return nil, nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			for _, a := range tok.Attr {
				if a.Name.Space == nsPDFAID {
					set(a.Name.Local, strings.TrimSpace(a.Value), &part, &conformance)
				}
			}
			if tok.Name.Space == nsPDFAID {
				in = new(string)
				*in = tok.Name.Local
				text.Reset()
			}
		case xml.CharData:
			if in != nil {
				text.Write(tok)
			}
		case xml.EndElement:
			if in != nil && tok.Name.Space == nsPDFAID {
				set(*in, strings.TrimSpace(text.String()), &part, &conformance)
				in = nil
			}
		}
	}
}

func set(name, value string, part, conformance **string) {
	switch name {
	case "part":
		*part = &value
	case "conformance":
		*conformance = &value
	}
}

// outputIntents checks the output intents (6.2.3): a PDF/A one with an ICC
// profile that is a valid output or display profile whose colour space has
// /N components, and one profile shared by every intent that has one.
func (c *checker) outputIntents(root types.Dict) {
	arr, _ := c.deref(root["OutputIntents"]).(types.Array)
	var pdfa types.Dict
	var profiles []types.Object
	for _, o := range arr {
		oi := c.dict(o)
		if oi == nil {
			continue
		}
		if c.name(oi, "S") == "GTS_PDFA1" && pdfa == nil {
			pdfa = oi
		}
		if p, ok := oi["DestOutputProfile"]; ok {
			profiles = append(profiles, p)
		}
		if _, ok := oi["DestOutputProfileRef"]; ok {
			c.add("6.2.3", "an output intent has a /DestOutputProfileRef, an external profile")
		}
	}
	for _, p := range profiles[min(1, len(profiles)):] {
		r0, ok0 := profiles[0].(types.IndirectRef)
		r, ok := p.(types.IndirectRef)
		if !ok0 || !ok || r0.ObjectNumber != r.ObjectNumber {
			c.add("6.2.3", "the output intents have different ICC profiles; PDF/A allows only one")
			break
		}
	}
	if pdfa == nil {
		c.add("6.2.3", "the catalog has no PDF/A output intent (/OutputIntents with /S /GTS_PDFA1)")
		return
	}
	if pdfa["DestOutputProfile"] == nil {
		c.add("6.2.3", "the PDF/A output intent has no ICC profile (/DestOutputProfile)")
		return
	}
	sd := c.stream(pdfa["DestOutputProfile"])
	if sd == nil {
		c.add("6.2.3", "the PDF/A output intent's /DestOutputProfile is not a stream")
		return
	}
	profile := decoded(sd)
	h, err := parseICCHeader(profile)
	if err != nil {
		c.add("6.2.3", "the PDF/A output intent's ICC profile is not valid: %v", err)
		return
	}
	c.outputCS = h.colorSpace
	var problems []string
	if h.class != "mntr" && h.class != "prtr" {
		problems = append(problems, "its device class is "+quote(h.class)+", not an output (prtr) or display (mntr) profile")
	}
	comps, ok := iccComponents[h.colorSpace]
	if !ok {
		problems = append(problems, "its colour space is "+quote(h.colorSpace)+", not GRAY, RGB or CMYK")
	}
	if h.major >= 5 {
		problems = append(problems, "it is ICC version "+strconv.Itoa(h.major)+", newer than 4")
	}
	if n := sd.IntEntry("N"); ok && (n == nil || *n != comps) {
		got := "no /N"
		if n != nil {
			got = "/N " + strconv.Itoa(*n)
		}
		problems = append(problems, "its stream has "+got+" but the profile's colour space "+quote(h.colorSpace)+" has "+strconv.Itoa(comps)+" components")
	}
	if len(problems) > 0 {
		c.add("6.2.3", "the PDF/A output intent's ICC profile is unsuitable: %s", strings.Join(problems, "; "))
	}
}

// iccComponents gives the number of components of the ICC colour spaces
// PDF/A output intents may have.
var iccComponents = map[string]int{"GRAY": 1, "RGB ": 3, "CMYK": 4}

type iccHeader struct {
	class, colorSpace string
	major             int
}

func parseICCHeader(b []byte) (iccHeader, error) {
	if len(b) < 132 {
		return iccHeader{}, errors.New("shorter than an ICC header")
	}
	if string(b[36:40]) != "acsp" {
		return iccHeader{}, errors.New("no 'acsp' signature")
	}
	if n := binary.BigEndian.Uint32(b); int64(n) != int64(len(b)) {
		return iccHeader{}, fmt.Errorf("its header gives a size of %d bytes, it has %d", n, len(b))
	}
	return iccHeader{class: string(b[12:16]), colorSpace: string(b[16:20]), major: int(b[8])}, nil
}

func quote(s string) string { return "'" + strings.TrimSpace(s) + "'" }
