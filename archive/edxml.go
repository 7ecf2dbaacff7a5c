package archive

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// edXML (liên thông văn bản).
//
// E-office systems exchange documents as edXML messages, QCVN
// 102:2016/BTTTT (amended by TT 01/2022/TT-BTTTT). EdXML writes an
// archived document as one: the namespace http://www.mic.gov.vn/TBT/QCVN_102_2016
// under the prefix edXML, the root edXML holding edXMLEnvelope (its
// edXMLHeader with the MessageHeader — From, DocumentId, Code with
// CodeNumber and CodeNotation, PromulgationInfo with Place and
// PromulgationDate (dd/mm/yyyy), DocumentType with Type and TypeName,
// Subject, OtherInfo with PageAmount — and its edXMLBody with the
// edXMLManifest's Reference to the attachment), and AttachmentEncoded
// with the PDF/A in base64. The layout follows the standard's structure
// as the national interconnection gateway's parsers read it; sohoa knows
// no agency's OrganId (the mã định danh of QĐ 20/2020/QĐ-TTg), so From
// names the agency by its name only, and no To: the sender's system
// addresses the message.

// EdXMLNamespace is QCVN 102:2016's XML namespace.
const EdXMLNamespace = "http://www.mic.gov.vn/TBT/QCVN_102_2016"

type edxmlMessage struct {
	XMLName  xml.Name `xml:"edXML:edXML"`
	NS       string   `xml:"xmlns:edXML,attr"`
	Envelope struct {
		Header struct {
			Message struct {
				From struct {
					OrganID   string `xml:"edXML:OrganId"`
					OrganName string `xml:"edXML:OrganName"`
				} `xml:"edXML:From"`
				DocumentID string `xml:"edXML:DocumentId"`
				Code       struct {
					Number   string `xml:"edXML:CodeNumber"`
					Notation string `xml:"edXML:CodeNotation"`
				} `xml:"edXML:Code"`
				Promulgation struct {
					Place string `xml:"edXML:Place"`
					Date  string `xml:"edXML:PromulgationDate"`
				} `xml:"edXML:PromulgationInfo"`
				Type struct {
					Type string `xml:"edXML:Type"`
					Name string `xml:"edXML:TypeName"`
				} `xml:"edXML:DocumentType"`
				Subject string `xml:"edXML:Subject"`
				Other   struct {
					PageAmount int `xml:"edXML:PageAmount"`
				} `xml:"edXML:OtherInfo"`
			} `xml:"edXML:MessageHeader"`
		} `xml:"edXML:edXMLHeader"`
		Body struct {
			Manifest struct {
				Reference struct {
					ContentID   string `xml:"edXML:ContentId"`
					ContentType string `xml:"edXML:ContentType"`
					Description string `xml:"edXML:Description"`
					Name        string `xml:"edXML:AttachmentName"`
				} `xml:"edXML:Reference"`
			} `xml:"edXML:edXMLManifest"`
		} `xml:"edXML:edXMLBody"`
	} `xml:"edXML:edXMLEnvelope"`
	Attachments struct {
		Attachment struct {
			ContentID string `xml:"ContentId"`
			Encoded   string `xml:"ContentTransferEncoded"`
		} `xml:"Attachment"`
	} `xml:"AttachmentEncoded"`
}

// normativeTypes are the types of legal documents (văn bản quy phạm pháp
// luật) as far as a People's Committee issues them: edXML's Type 1; every
// other type is an administrative document, Type 2.
var normativeTypes = map[string]bool{"NGHỊ QUYẾT": true, "QUYẾT ĐỊNH": true}

// EdXML writes rec, with its PDF/A pdf, as an edXML message to w.
func EdXML(rec *Record, pdf []byte, w io.Writer) error {
	var m edxmlMessage
	m.NS = EdXMLNamespace
	h := &m.Envelope.Header.Message
	h.From.OrganName = rec.Agency
	h.DocumentID = rec.TT02.MaDinhDanhVanBan
	h.Code.Number, h.Code.Notation = rec.Number, rec.Symbol
	h.Promulgation.Place = rec.Place
	if d, err := time.Parse(time.DateOnly, rec.Date); err == nil {
		h.Promulgation.Date = d.Format("02/01/2006")
	}
	h.Type.Type = "2"
	// A normative Quyết định or Nghị quyết carries the year in its
	// symbol (15/2020/QĐ-UBND); without it, it is an administrative one.
	if normativeTypes[rec.Type] && strings.Count(rec.DocNumber, "/") >= 2 {
		h.Type.Type = "1"
	}
	h.Type.Name = typeName(rec.Type)
	h.Subject = rec.Subject
	h.Other.PageAmount = rec.Pages
	ref := &m.Envelope.Body.Manifest.Reference
	ref.ContentID = "cid:" + rec.ID
	ref.ContentType = "application/pdf"
	ref.Description = "Bản số hóa (PDF/A-2u)"
	ref.Name = path.Base(rec.PDF.Key)
	m.Attachments.Attachment.ContentID = ref.ContentID
	m.Attachments.Attachment.Encoded = base64.StdEncoding.EncodeToString(pdf)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(&m); err != nil {
		return fmt.Errorf("archive: edXML of %s: %w", rec.ID, err)
	}
	return enc.Close()
}

// typeName writes a type as edXML's TypeName does, in sentence case:
// "QUYẾT ĐỊNH" → "Quyết định".
func typeName(t string) string {
	if t == "" {
		return ""
	}
	r := []rune(strings.ToLower(t))
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
