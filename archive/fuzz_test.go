package archive_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/archive"
)

// FuzzRecordKeys reads any bytes as a sidecar record, as ReadRecord does,
// and derives its keys and index document. A key must stay within its
// bounds whatever the record holds (agency 60 bytes, year 4 or a fixed
// word, number 80, then the id), hold no "..", no empty or unsafe part,
// and no one input may take over 10 s.
func FuzzRecordKeys(f *testing.F) {
	seed, err := json.Marshal(archive.Record{ID: "d1", Version: 2, DocNumber: "15/2020/QĐ-UBND",
		Date: "2020-03-15", Agency: "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"id":"x","doc_number":"../../..","agency":"` + strings.Repeat("Văn phòng ", 30) + `","date":"99999"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		var r archive.Record
		if json.Unmarshal(data, &r) != nil {
			return
		}
		const id = "0123abcd"
		base := archive.BaseKey(r.Agency, r.Date, r.DocNumber, id)
		if max := len("khong-ro-co-quan") + 60 + 1 + len("khong-ro-nam") + 1 + 80 + 1 + len(id); len(base) > max {
			t.Fatalf("key of %d bytes, more than %d: %q", len(base), max, base)
		}
		parts := strings.Split(base, "/")
		if len(parts) != 4 || parts[3] != id {
			t.Fatalf("key %q is not agency/year/number/id", base)
		}
		for _, p := range parts[:3] {
			if p == "" || strings.Trim(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
				t.Fatalf("key %q has an empty or unsafe part %q", base, p)
			}
		}
		pdf := archive.ObjectKey(base, r.Version, "pdf")
		if side := archive.SidecarKey(pdf); !strings.HasPrefix(side, base) || !strings.HasSuffix(side, ".json") {
			t.Fatalf("sidecar key %q of %q", side, pdf)
		}
		r.IndexDoc()
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("one input took %v", d)
		}
	})
}
