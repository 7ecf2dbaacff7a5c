package index

import (
	"path/filepath"
	"testing"
	"time"
)

func testDocs() []Doc {
	t0 := time.Date(2025, 1, 23, 8, 0, 0, 0, time.UTC)
	return []Doc{
		{ID: "a1", DocNumber: "23/BC-UBND", Date: "2025-01-23", Type: "BÁO CÁO", Agency: "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
			Subject: "Tình hình, kết quả thực hiện công tác cải cách thủ tục hành chính tháng 01/2025",
			Text:    "Thực hiện nội dung Công văn số 5633/VPCP-KSTT của Văn phòng Chính phủ về việc báo cáo tháng công tác cải cách thủ tục hành chính",
			Pages:   2, Created: t0, Archived: t0.Add(time.Minute)},
		{ID: "b2", DocNumber: "15/2020/QĐ-UBND", Date: "2020-02-10", Type: "QUYẾT ĐỊNH", Agency: "ỦY BAN NHÂN DÂN HUYỆN VÂN CANH",
			Subject: "Về việc triển khai phần mềm một cửa điện tử",
			Text:    "Chủ tịch Ủy ban nhân dân huyện quyết định triển khai phần mềm một cửa điện tử tại xã Canh Hòa",
			Pages:   1, Created: t0.Add(time.Hour), Archived: t0.Add(time.Hour + time.Minute)},
		{ID: "c3", DocNumber: "07/CT-UBND", Date: "2018-03-20", Type: "CHỈ THỊ",
			Subject: "Về tăng cường công tác thi hành án hành chính",
			Text:    "việc tổ chức thi hành những bản án, quyết định của Tòa án về vụ án hành chính ở thị xã Đức Phổ và xã Hoà Bình",
			Pages:   4, Created: t0.Add(2 * time.Hour), Archived: t0.Add(2*time.Hour + time.Minute)},
	}
}

func TestSearch(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range testDocs() {
		if err := ix.Put(d); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		q     string
		first string
	}{
		{"cải cách thủ tục hành chính", "a1"},
		{"cai cach thu tuc hanh chinh", "a1"}, // without diacritics
		{"CẢI CÁCH", "a1"},
		{"thi hành án", "c3"},
		{"duc pho", "c3"}, // đ folds to d
		{"hoa binh", "c3"},
		{"Hòa Bình", "c3"}, // tone placement: the text says Hoà
		{"15/2020/QĐ-UBND", "b2"},
		{"qd-ubnd", "b2"},
		{"một cửa điện tử", "b2"},
	}
	for _, tt := range tests {
		res, err := ix.Search(tt.q, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Docs) == 0 || res.Docs[0].ID != tt.first {
			var ids []string
			for _, d := range res.Docs {
				ids = append(ids, d.ID)
			}
			t.Errorf("Search(%q) = %v, want %s first", tt.q, ids, tt.first)
		}
	}

	// Empty query: everything, most recently archived first, with all fields.
	res, err := ix.Search("", 10, 0)
	if err != nil || res.Total != 3 || res.Docs[0].ID != "c3" || res.Docs[2].ID != "a1" {
		t.Fatalf("list all = %+v, %v", res, err)
	}
	want := testDocs()[2]
	got := res.Docs[0]
	if got.DocNumber != want.DocNumber || got.Text != want.Text || got.Pages != 4 || !got.Archived.Equal(want.Archived) {
		t.Errorf("stored fields = %+v", got)
	}

	// The index survives a reopen; Get finds by id.
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	d, ok, err := ix.Get("b2")
	if err != nil || !ok || d.Subject != testDocs()[1].Subject {
		t.Fatalf("get after reopen = %+v %v %v", d, ok, err)
	}
	if _, ok, _ := ix.Get("zz"); ok {
		t.Errorf("get of a missing id found something")
	}
}
