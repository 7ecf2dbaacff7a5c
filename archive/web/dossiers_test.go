package web

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/archive"
	"github.com/sohoa/sohoa/archive/archivetest"
	"github.com/sohoa/sohoa/archive/auth"
)

func ptr[T any](v T) *T { return &v }

// sendAs makes a request as the holder of token and returns the status and
// the body.
func sendAs(t *testing.T, method, u, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestDossierAPI: an archivist makes a hồ sơ, fills it with a document and
// changes it through the API; a viewer may read a public one, not change
// it, and does not see a restricted one; bad requests say what is wrong.
func TestDossierAPI(t *testing.T) {
	s := startSite(t, nil)
	s.rig.Page(t, "tb", archivetest.ThongBao...)
	s.rig.WaitArchived(t, "tb")
	arch, view := s.tokens[auth.Archivist], s.tokens[auth.Viewer]

	code, body := sendAs(t, "POST", s.base+"/api/dossiers", view, `{"title": "x", "retention": "10 năm"}`)
	if code != http.StatusForbidden {
		t.Errorf("a viewer made a dossier: %d %s", code, body)
	}
	code, body = sendAs(t, "POST", s.base+"/api/dossiers", arch, `{"title": "Hồ sơ tiếp công dân", "retention": "mãi mãi"}`)
	if code != http.StatusBadRequest || !strings.Contains(body, "vĩnh viễn") {
		t.Errorf("a retention not understood: %d %s", code, body)
	}
	code, body = sendAs(t, "POST", s.base+"/api/dossiers", arch, `{"title": "Hồ sơ tiếp công dân", "retention": "10 năm", "colour": "red"}`)
	if code != http.StatusBadRequest || !strings.Contains(body, "colour") {
		t.Errorf("an unknown field: %d %s", code, body)
	}
	code, body = sendAs(t, "POST", s.base+"/api/dossiers", arch, `{"fonds": "H15", "catalog": "2020", "number": "7", "title": "Hồ sơ tiếp công dân năm 2020", "retention": "vĩnh viễn"}`)
	var d archive.Dossier
	if code != http.StatusCreated || json.Unmarshal([]byte(body), &d) != nil || d.ID == "" || d.Code != "H15.2020.7" || d.CreatedBy != testerNames[auth.Archivist] {
		t.Fatalf("create: %d %s", code, body)
	}
	code, body = sendAs(t, "POST", s.base+"/api/dossiers/"+d.ID+"/documents", arch, `{"id": "tb"}`)
	if code != http.StatusOK || json.Unmarshal([]byte(body), &d) != nil || len(d.Documents) != 1 || d.Documents[0] != "tb" || d.Version != 2 {
		t.Fatalf("add: %d %s", code, body)
	}
	code, body = sendAs(t, "POST", s.base+"/api/dossiers/"+d.ID+"/documents", arch, `{"id": "khong-co"}`)
	if code != http.StatusBadRequest {
		t.Errorf("adding no document: %d %s", code, body)
	}
	code, body = sendAs(t, "GET", s.base+"/api/dossiers/"+d.ID, view, "")
	if code != http.StatusOK || !strings.Contains(body, `"tb"`) {
		t.Errorf("a viewer reads a public dossier: %d %s", code, body)
	}
	code, body = sendAs(t, "GET", s.base+"/api/dossiers/"+d.ID+"/export", view, "")
	if code != http.StatusOK || !strings.HasPrefix(body, "PK") || !strings.Contains(body, "H15-2020-7/bagit.txt") {
		t.Errorf("a viewer exports a public dossier: %d %.60q", code, body)
	}
	code, _ = sendAs(t, "PATCH", s.base+"/api/dossiers/"+d.ID, view, `{"access": "restricted"}`)
	if code != http.StatusForbidden {
		t.Errorf("a viewer changed a dossier: %d", code)
	}
	code, body = sendAs(t, "PATCH", s.base+"/api/dossiers/"+d.ID, arch, `{"access": "hạn chế"}`)
	if code != http.StatusOK || json.Unmarshal([]byte(body), &d) != nil || d.Access != archive.AccessRestricted || d.Version != 3 {
		t.Fatalf("patch: %d %s", code, body)
	}
	if code, body = sendAs(t, "GET", s.base+"/api/dossiers/"+d.ID, view, ""); code != http.StatusNotFound {
		t.Errorf("a viewer reads a restricted dossier: %d %s", code, body)
	}
	if code, _ = sendAs(t, "GET", s.base+"/api/dossiers/"+d.ID+"/export", view, ""); code != http.StatusNotFound {
		t.Errorf("a viewer exports a restricted dossier: %d", code)
	}
	if _, body = sendAs(t, "GET", s.base+"/api/dossiers", view, ""); strings.Contains(body, d.ID) {
		t.Errorf("a viewer's list shows a restricted dossier: %s", body)
	}
	var list struct {
		Total    int               `json:"total"`
		Dossiers []archive.Dossier `json:"dossiers"`
	}
	if code, body = sendAs(t, "GET", s.base+"/api/dossiers", arch, ""); code != http.StatusOK || json.Unmarshal([]byte(body), &list) != nil ||
		list.Total != 1 || len(list.Dossiers) != 1 || list.Dossiers[0].ID != d.ID {
		t.Errorf("the archivist's list: %d %s", code, body)
	}
	if code, _ = sendAs(t, "GET", s.base+"/api/dossiers/"+strings.Repeat("a", 32), arch, ""); code != http.StatusNotFound {
		t.Errorf("an unknown dossier: %d", code)
	}
	if code, body = sendAs(t, "GET", s.base+"/api/documents/tb/edxml", view, ""); code != http.StatusOK ||
		!strings.Contains(body, archive.EdXMLNamespace) || !strings.Contains(body, "<edXML:CodeNotation>TB-UBND</edXML:CodeNotation>") ||
		!strings.Contains(body, "<ContentTransferEncoded>JVBER") {
		t.Errorf("edXML: %d %.300s", code, body)
	}
	// The agency printed on it, a district's, was abolished on 1 July 2025.
	if code, body = sendAs(t, "GET", s.base+"/api/documents/tb", view, ""); code != http.StatusOK ||
		!strings.Contains(body, `"agency_successor"`) || !strings.Contains(body, `"level": "district"`) || !strings.Contains(body, "phông đóng") {
		t.Errorf("the agency's successor: %d %.2000s", code, body)
	}
	if code, _ = sendAs(t, "GET", s.base+"/api/dossiers", "", ""); code != http.StatusUnauthorized {
		t.Errorf("no account: %d", code)
	}
}
