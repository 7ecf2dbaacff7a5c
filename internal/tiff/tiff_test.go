package tiff

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// twoImages is a little-endian TIFF of a 3x2 image in two strips and a 1x1
// one, written by WriteImages.
func twoImages(t testing.TB) []byte {
	t.Helper()
	b, err := WriteImages(binary.LittleEndian, []Image{
		{Fields: []Field{Long(TagImageLength, 2), Long(TagImageWidth, 3), Rational(TagXResolution, 300, 1),
			Short(TagRowsPerStrip, 1)},
			OffTag: TagStripOffsets, CntTag: TagStripByteCounts, Blocks: [][]byte{{1, 2, 3}, {4, 5, 6}}},
		{Fields: []Field{Long(TagImageWidth, 1), Long(TagImageLength, 1), Long(TagNewSubfileType, 1)},
			OffTag: TagStripOffsets, CntTag: TagStripByteCounts, Blocks: [][]byte{{7}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWriteRead(t *testing.T) {
	b := twoImages(t)
	f, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	var ifds []*IFD
	if err := f.Walk(10, func(n int, d *IFD) error {
		if n != len(ifds)+1 {
			t.Errorf("IFD numbered %d, want %d", n, len(ifds)+1)
		}
		ifds = append(ifds, d)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(ifds) != 2 {
		t.Fatalf("%d IFDs, want 2", len(ifds))
	}
	d := ifds[0]
	for i := 1; i < len(d.Entries); i++ {
		if d.Entries[i].Tag <= d.Entries[i-1].Tag {
			t.Errorf("tags out of order: %d after %d", d.Entries[i].Tag, d.Entries[i-1].Tag)
		}
	}
	if w, err := d.Uint(TagImageWidth, 0); err != nil || w != 3 {
		t.Errorf("width %d, %v", w, err)
	}
	if rps, err := d.Uint(TagRowsPerStrip, 0); err != nil || rps != 1 {
		t.Errorf("rows per strip %d, %v", rps, err)
	}
	if x := d.Rational(TagXResolution); x != 300 {
		t.Errorf("x resolution %v", x)
	}
	if v, err := d.Uint(TagCompression, 7); err != nil || v != 7 {
		t.Errorf("absent tag: %d, %v; want the default", v, err)
	}
	offs, err := d.Uints(TagStripOffsets, 2)
	if err != nil {
		t.Fatal(err)
	}
	cnts, _ := d.Uints(TagStripByteCounts, 2)
	var got []byte
	for i, o := range offs {
		if o%2 != 0 {
			t.Errorf("strip %d at odd offset %d", i, o)
		}
		got = append(got, b[o:o+cnts[i]]...)
	}
	if !bytes.Equal(got, []byte{1, 2, 3, 4, 5, 6}) {
		t.Errorf("strips hold %v", got)
	}
	if _, err := d.Uints(TagStripOffsets, 1); err == nil {
		t.Error("Uints took 2 values with a limit of 1")
	}
	if d.Reduced() || !ifds[1].Reduced() {
		t.Errorf("reduced: %v, %v; want false, true", d.Reduced(), ifds[1].Reduced())
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{"II*", "header truncated"},
		{"GIF89a\x00\x00", "not a TIFF header"},
		{"II+\x00\x08\x00\x00\x00", "BigTIFF"},
	} {
		if _, err := Parse([]byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want %q", tc.data, err, tc.want)
		}
	}
}

func TestWalkBounds(t *testing.T) {
	le := binary.LittleEndian
	b := twoImages(t)
	f, _ := Parse(b)
	d, _ := f.ReadIFD(f.First)
	second := d.Next
	last, _ := f.ReadIFD(second)
	// Point the second IFD's next offset back at the first.
	loop := bytes.Clone(b)
	le.PutUint32(loop[second+2+12*uint32(len(last.Entries)):], f.First)

	for _, tc := range []struct {
		name string
		data []byte
		max  int
		want error
		text string
	}{
		{"loop", loop, 10, ErrLoop, "loops back to offset 8"},
		{"too many", b, 1, ErrTooMany, "more than 1"},
		{"offset past the end", append(bytes.Clone(b[:4]), 0xff, 0xff, 0, 0), 10, nil, "IFD 1: IFD offset 65535 outside the file"},
		{"entries past the end", b[:second+20], 10, nil, "runs past the end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			err = f.Walk(tc.max, func(int, *IFD) error { return nil })
			if err == nil || !strings.Contains(err.Error(), tc.text) || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("Walk: %v, want %v %q", err, tc.want, tc.text)
			}
		})
	}
}

// Values that lie outside the file are kept as a nil Val: having them is no
// error, using them is.
func TestValuesOutsideTheFile(t *testing.T) {
	le := binary.LittleEndian
	b := []byte("II*\x00\x08\x00\x00\x00")
	b = le.AppendUint16(b, 1)
	b = le.AppendUint16(b, TagStripOffsets)
	b = le.AppendUint16(b, TypeLong)
	b = le.AppendUint32(b, 1<<30) // a billion values
	b = le.AppendUint32(b, 8)
	b = le.AppendUint32(b, 0)
	f, _ := Parse(b)
	d, err := f.ReadIFD(f.First)
	if err != nil {
		t.Fatal(err)
	}
	if e := d.Find(TagStripOffsets); e == nil || e.Val != nil {
		t.Fatalf("entry %+v, want one with nil Val", e)
	}
	if _, err := d.Uints(TagStripOffsets, 1<<31); err == nil || !strings.Contains(err.Error(), "outside the file") {
		t.Errorf("Uints: %v", err)
	}
	if _, err := d.Uint(TagStripOffsets, 0); err == nil {
		t.Error("Uint read a value outside the file")
	}
}

// FuzzRead walks the IFD chain of any input and reads every field. What it
// returns must stay bounded by the input: no more IFDs than the walk's
// limit or the file has offsets, no more values in a field than the file
// has bytes, each value slice inside the file; and one input must not hang.
func FuzzRead(f *testing.F) {
	f.Add(twoImages(f))
	be, _ := WriteImages(binary.BigEndian, []Image{{Fields: []Field{{TagImageWidth, TypeShort, 1, []byte{0, 9}}},
		OffTag: TagTileOffsets, CntTag: TagTileByteCounts, Blocks: [][]byte{{1}, {2}}}})
	f.Add(be)
	f.Add([]byte("II*\x00\x08\x00\x00\x00\x00\x00\x08\x00\x00\x00")) // empty IFD pointing at itself
	f.Fuzz(func(t *testing.T, b []byte) {
		const maxIFDs = 64
		start := time.Now()
		file, err := Parse(b)
		if err != nil {
			return
		}
		ifds := 0
		err = file.Walk(maxIFDs, func(n int, d *IFD) error {
			ifds++
			if n != ifds {
				t.Fatalf("IFD numbered %d, want %d", n, ifds)
			}
			for _, e := range d.Entries {
				if e.Val != nil && !within(b, e.Val) {
					t.Fatalf("tag %d: values outside the input", e.Tag)
				}
				// A value takes one byte of the input at least.
				if vs, err := d.Uints(e.Tag, 1<<32-1); err == nil && len(vs) > len(b) {
					t.Fatalf("tag %d: %d values from %d bytes", e.Tag, len(vs), len(b))
				}
				d.Uint(e.Tag, 0)
				d.Rational(e.Tag)
			}
			d.Reduced()
			return nil
		})
		if ifds > maxIFDs || ifds > len(b) { // one IFD an offset
			t.Fatalf("%d IFDs from %d bytes (limit %d)", ifds, len(b), maxIFDs)
		}
		if errors.Is(err, ErrTooMany) && ifds != maxIFDs {
			t.Fatalf("ErrTooMany after %d IFDs", ifds)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("one input took %v", d)
		}
	})
}

// within reports whether v is a slice of b's memory.
func within(b, v []byte) bool {
	if len(v) == 0 {
		return true
	}
	lo, p := uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(unsafe.Pointer(unsafe.SliceData(v)))
	return p >= lo && p+uintptr(len(v)) <= lo+uintptr(len(b))
}
