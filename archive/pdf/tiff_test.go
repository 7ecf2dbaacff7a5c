package pdf

import (
	"encoding/binary"
	"runtime"
	"testing"

	"github.com/sohoa/sohoa/internal/tiff"
)

// A directory of many large fields this reader never looks at (here 200
// BYTE fields of 1 MiB, all over the same bytes) must not make it allocate
// their values: it used to decode each into 8 MiB of uint64s, 1.6 GB here.
func TestParseTIFFSkipsFieldsItDoesNotRead(t *testing.T) {
	le := binary.LittleEndian
	const shared = 1 << 20
	b := []byte("II*\x00")
	b = le.AppendUint32(b, 8+shared) // first IFD after the data
	b = append(b, make([]byte, shared)...)
	type entry struct {
		tag, typ uint16
		count, v uint32
	}
	entries := []entry{{tiff.TagImageWidth, 4, 1, 100}, {tiff.TagImageLength, 4, 1, 100}}
	for i := range 200 {
		entries = append(entries, entry{uint16(40000 + i), 1, shared, 8})
	}
	b = le.AppendUint16(b, uint16(len(entries)))
	for _, e := range entries {
		b = le.AppendUint16(b, e.tag)
		b = le.AppendUint16(b, e.typ)
		b = le.AppendUint32(b, e.count)
		b = le.AppendUint32(b, e.v)
	}
	b = le.AppendUint32(b, 0)

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	d, err := parseTIFF(b)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if w, err := d.Uint(tiff.TagImageWidth, 0); err != nil || w != 100 {
		t.Errorf("width %d", w)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("parseTIFF allocated %d MiB", alloc>>20)
	}
}
