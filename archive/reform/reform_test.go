package reform

import "testing"

func TestProvinces(t *testing.T) {
	into := map[string]bool{}
	names := map[string]bool{}
	for _, p := range Provinces {
		if names[p.Name] {
			t.Errorf("%s twice", p.Name)
		}
		names[p.Name] = true
		into[p.Into] = true
	}
	if len(Provinces) != 63 || len(into) != 34 {
		t.Fatalf("%d provinces before the day into %d after, want 63 into 34", len(Provinces), len(into))
	}
	for n := range into {
		if !names[n] {
			t.Errorf("%s after the day is none of the 63 before", n)
		}
	}
}

func TestSuccessor(t *testing.T) {
	for _, c := range []struct {
		agency, parent string
		level          string
		changed        bool
		successor      string
	}{
		{"ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH", "", "province", true, "Ủy ban nhân dân tỉnh Gia Lai"},
		{"UBND HUYỆN VÂN CANH", "UBND TỈNH BÌNH ĐỊNH", "district", true, "Ủy ban nhân dân tỉnh Gia Lai"},
		{"ỦY BAN NHÂN DÂN TỈNH CAO BẰNG", "", "province", false, ""},
		{"ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "", "province", false, ""},
		{"ỦY BAN NHÂN DÂN TỈNH KON TUM", "", "province", true, "Ủy ban nhân dân tỉnh Quảng Ngãi"},
		{"UBND THÀNH PHỐ ĐÀ NẴNG", "", "province", false, ""},
		{"ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM", "", "province", true, "Ủy ban nhân dân thành phố Đà Nẵng"},
		{"UBND THÀNH PHỐ QUY NHƠN", "UBND TỈNH BÌNH ĐỊNH", "district", true, "Ủy ban nhân dân tỉnh Gia Lai"},
		{"SỞ TƯ PHÁP TỈNH HẢI DƯƠNG", "", "province", true, "Ủy ban nhân dân thành phố Hải Phòng"},
		{"BỘ CHỈ HUY QUÂN SỰ TỈNH HÀ NAM", "", "province", true, "Ủy ban nhân dân tỉnh Ninh Bình"},
		{"UBND THỊ XÃ AN NHƠN", "UBND TỈNH BÌNH ĐỊNH", "district", true, "Ủy ban nhân dân tỉnh Gia Lai"},
		{"UBND QUẬN HOÀN KIẾM", "UBND THÀNH PHỐ HÀ NỘI", "district", true, "Ủy ban nhân dân thành phố Hà Nội"},
		{"ỦY BAN NHÂN DÂN TỈNH THỪA THIÊN HUẾ", "", "province", false, ""},
		{"UBND TỈNH BÀ RỊA - VŨNG TÀU", "", "province", true, "Ủy ban nhân dân thành phố Hồ Chí Minh"},
		{"PHÒNG TƯ PHÁP HUYỆN DUY XUYÊN", "", "district", true, ""},
		{"UBND XÃ ĐỨC PHONG", "", "", false, ""},
		{"CƠ QUAN THƯỜNG TRỰC", "", "", false, ""},
		{"", "UBND TỈNH BÌNH ĐỊNH", "", false, ""},
	} {
		got := Successor(c.agency, c.parent)
		if got.Level != c.level || got.Changed != c.changed || got.Successor != c.successor || (got.Changed && got.Note == "") {
			t.Errorf("%q under %q: %+v, want %s changed %v %q", c.agency, c.parent, got, c.level, c.changed, c.successor)
		}
	}
}
