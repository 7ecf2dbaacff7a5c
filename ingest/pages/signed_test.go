package pages

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPDFDate(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"20180321164100+07'00'", "2018-03-21T16:41:00+07:00", true},
		{"20250124142343+07'00", "2025-01-24T14:23:43+07:00", true},
		{"20210511112639Z", "2021-05-11T11:26:39Z", true},
		{"2021", "2021-01-01T00:00:00Z", true},
		{"20211311", "", false},
		{"1899", "", false},
	} {
		got, ok := pdfDate(c.in)
		if ok != c.ok || ok && got.Format(time.RFC3339) != c.want {
			t.Errorf("pdfDate(%q) = %v, %v; want %s, %v", c.in, got.Format(time.RFC3339), ok, c.want, c.ok)
		}
	}
}

// The real scans carry the publisher's signatures, made after the
// documents' dates (fixtures/real/labels.json).
func TestSigningTimesRealScans(t *testing.T) {
	for file, day := range map[string]string{
		"07-CT-UBND-2018.pdf": "2018-03-20",
		"11-CT-UBND-2021.pdf": "2021-05-11",
		"23-BC-UBND-2025.pdf": "2025-01-23",
	} {
		data, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "real", file))
		if err != nil {
			t.Fatal(err)
		}
		ts := SigningTimes(data)
		if len(ts) == 0 {
			t.Errorf("%s: no signing time found", file)
			continue
		}
		if got := ts[0].Format("2006-01-02"); got < day {
			t.Errorf("%s: signed %s, before the document's date %s", file, got, day)
		}
		t.Logf("%s: %v", file, ts)
	}
	if ts := SigningTimes([]byte("%PDF-1.4\n1 0 obj<</Type/Page>>endobj\n%%EOF")); len(ts) != 0 {
		t.Errorf("unsigned PDF: %v", ts)
	}
}
