package archive

import (
	"bytes"
	"encoding/base64"
	"os/exec"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/internal/need"
)

// An archived document's edXML parses, by Python's own XML parser with
// QCVN 102:2016's namespace, and carries its number, notation, date, type,
// subject and PDF.
func TestEdXML(t *testing.T) {
	rec := &Record{ID: "3f9a0c7e1b2d4a6f8e0c1a2b3c4d5e6f", DocNumber: "15/2020/QĐ-UBND", Number: "15", Symbol: "2020/QĐ-UBND",
		Date: "2020-03-05", Type: "QUYẾT ĐỊNH", Agency: "ỦY BAN NHÂN DÂN HUYỆN VÂN CANH", Place: "Vân Canh",
		Subject: "Về việc ban hành quy chế <làm việc> & tiếp dân", Pages: 3,
		PDF: Object{Key: "ubnd-huyen-van-canh/2020/15-2020-QD-UBND/3f9a.pdf"}}
	rec.fillTT02()
	pdf := []byte("%PDF-1.7\n% a PDF/A\n%%EOF\n")
	var buf bytes.Buffer
	if err := EdXML(rec, pdf, &buf); err != nil {
		t.Fatal(err)
	}
	py := need.Tool(t, "python3", "python3")
	script := `
import sys, xml.etree.ElementTree as ET
ns = {'e': '` + EdXMLNamespace + `'}
root = ET.parse(sys.stdin).getroot()
assert root.tag == '{` + EdXMLNamespace + `}edXML', root.tag
h = root.find('e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader', ns)
for p in ['e:Code/e:CodeNumber', 'e:Code/e:CodeNotation', 'e:PromulgationInfo/e:PromulgationDate', 'e:PromulgationInfo/e:Place',
          'e:DocumentType/e:Type', 'e:DocumentType/e:TypeName', 'e:Subject', 'e:From/e:OrganName', 'e:OtherInfo/e:PageAmount']:
    print(h.find(p, ns).text)
ref = root.find('e:edXMLEnvelope/e:edXMLBody/e:edXMLManifest/e:Reference', ns)
print(ref.find('e:ContentId', ns).text, ref.find('e:ContentType', ns).text)
att = root.find('AttachmentEncoded/Attachment')
print(att.find('ContentId').text)
print(att.find('ContentTransferEncoded').text)
`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(buf.Bytes())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python3 could not read the edXML: %v\n%s\n%s", err, out, buf.Bytes())
	}
	got := strings.Split(strings.TrimSpace(string(out)), "\n")
	want := []string{"15", "2020/QĐ-UBND", "05/03/2020", "Vân Canh", "1", "Quyết định", rec.Subject, rec.Agency, "3",
		"cid:" + rec.ID + " application/pdf", "cid:" + rec.ID, base64.StdEncoding.EncodeToString(pdf)}
	if len(got) != len(want) {
		t.Fatalf("read %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d: %q, want %q", i, got[i], want[i])
		}
	}
	// A công văn is an administrative document: Type 2.
	rec.Type, rec.DocNumber, rec.Symbol = "CÔNG VĂN", "123/UBND-VP", "UBND-VP"
	buf.Reset()
	if err := EdXML(rec, pdf, &buf); err != nil || !strings.Contains(buf.String(), "<edXML:Type>2</edXML:Type>") {
		t.Errorf("a công văn's type: %v\n%s", err, buf.String())
	}
}
