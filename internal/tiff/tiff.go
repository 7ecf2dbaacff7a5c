package tiff

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// Field types.
const (
	TypeByte     = 1
	TypeShort    = 3
	TypeLong     = 4
	TypeRational = 5
	TypeIFD      = 13
)

// typeSize is the size in bytes of one value of each field type; 0 for types
// this package does not know (their entries are dropped).
var typeSize = [...]int{0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4}

// Errors of Walk, for callers to sort with errors.Is.
var (
	ErrLoop    = errors.New("IFD chain loops") // the chain comes back to an IFD already read
	ErrTooMany = errors.New("too many IFDs")   // the chain is longer than the caller allows
)

// File is a classic TIFF held in memory.
type File struct {
	Data  []byte
	Order binary.ByteOrder
	First uint32 // offset of the first IFD
}

// Parse reads the header of b.
func Parse(b []byte) (*File, error) {
	if len(b) < 8 {
		return nil, errors.New("header truncated")
	}
	f := &File{Data: b}
	switch string(b[:4]) {
	case "II*\x00":
		f.Order = binary.LittleEndian
	case "MM\x00*":
		f.Order = binary.BigEndian
	case "II+\x00", "MM\x00+":
		return nil, errors.New("BigTIFF is not supported")
	default:
		return nil, errors.New("not a TIFF header")
	}
	f.First = f.Order.Uint32(b[4:8])
	return f, nil
}

// Entry is one field of an IFD.
type Entry struct {
	Tag, Type uint16
	Count     uint32
	Val       []byte // Count values as stored (in the file's byte order); nil if they lie outside the file
}

// IFD is one image file directory, with its entries in file order.
type IFD struct {
	File    *File
	Offset  uint32
	Entries []Entry
	Next    uint32 // offset of the next IFD, 0 at the end of the chain
}

// ReadIFD parses the IFD at off. Entries of unknown type are dropped; entries
// whose values lie outside the file are kept with a nil Val, so that using
// them (but not merely having them) is an error.
func (f *File) ReadIFD(off uint32) (*IFD, error) {
	size := uint64(len(f.Data))
	if off < 8 || uint64(off)+2 > size {
		return nil, fmt.Errorf("IFD offset %d outside the file (%d bytes)", off, size)
	}
	n := uint64(f.Order.Uint16(f.Data[off:]))
	end := uint64(off) + 2 + 12*n
	if end+4 > size {
		return nil, fmt.Errorf("IFD at offset %d with %d entries runs past the end of the file (%d bytes)", off, n, size)
	}
	d := &IFD{File: f, Offset: off, Entries: make([]Entry, 0, n), Next: f.Order.Uint32(f.Data[end:])}
	for i := uint64(0); i < n; i++ {
		p := f.Data[uint64(off)+2+12*i:]
		e := Entry{Tag: f.Order.Uint16(p[0:2]), Type: f.Order.Uint16(p[2:4]), Count: f.Order.Uint32(p[4:8])}
		if int(e.Type) >= len(typeSize) || typeSize[e.Type] == 0 {
			continue
		}
		vs := uint64(typeSize[e.Type]) * uint64(e.Count)
		if vs <= 4 {
			e.Val = p[8 : 8+vs]
		} else if vo := uint64(f.Order.Uint32(p[8:12])); vo+vs <= size {
			e.Val = f.Data[vo : vo+vs]
		}
		d.Entries = append(d.Entries, e)
	}
	return d, nil
}

// Walk reads the IFD chain from the first IFD and calls fn with each IFD and
// its number (1 for the first). It returns an error wrapping ErrLoop when the
// chain comes back to an offset, ErrTooMany when it holds more than max IFDs,
// the error of ReadIFD, or the first error of fn, which stops the walk.
// SubIFDs are never followed.
func (f *File) Walk(max int, fn func(n int, d *IFD) error) error {
	seen := make(map[uint32]bool)
	for off := f.First; off != 0; {
		if seen[off] {
			return fmt.Errorf("%w back to offset %d", ErrLoop, off)
		}
		seen[off] = true
		if len(seen) > max {
			return fmt.Errorf("%w: more than %d", ErrTooMany, max)
		}
		d, err := f.ReadIFD(off)
		if err != nil {
			return fmt.Errorf("IFD %d: %w", len(seen), err)
		}
		if err := fn(len(seen), d); err != nil {
			return err
		}
		off = d.Next
	}
	return nil
}

// Find returns the entry of tag, or nil.
func (d *IFD) Find(tag uint16) *Entry {
	for i := range d.Entries {
		if d.Entries[i].Tag == tag {
			return &d.Entries[i]
		}
	}
	return nil
}

// Uints returns the values of an integer field (BYTE, SHORT, LONG or IFD),
// or nil if there is no such field, refusing a field of more than max values
// before allocating them.
func (d *IFD) Uints(tag uint16, max int) ([]uint64, error) {
	e := d.Find(tag)
	if e == nil {
		return nil, nil
	}
	if uint64(e.Count) > uint64(max) {
		return nil, fmt.Errorf("tag %d: %d values, more than %d", tag, e.Count, max)
	}
	if e.Val == nil {
		return nil, fmt.Errorf("tag %d: values outside the file", tag)
	}
	out := make([]uint64, e.Count)
	for i := range out {
		switch e.Type {
		case TypeByte:
			out[i] = uint64(e.Val[i])
		case TypeShort:
			out[i] = uint64(d.File.Order.Uint16(e.Val[2*i:]))
		case TypeLong, TypeIFD:
			out[i] = uint64(d.File.Order.Uint32(e.Val[4*i:]))
		default:
			return nil, fmt.Errorf("tag %d: type %d is not an integer type", tag, e.Type)
		}
	}
	return out, nil
}

// Uint returns the first value of an integer field, or def if there is none.
func (d *IFD) Uint(tag uint16, def uint64) (uint64, error) {
	e := d.Find(tag)
	if e == nil || e.Count == 0 {
		return def, nil
	}
	if e.Val == nil {
		return 0, fmt.Errorf("tag %d: value outside the file", tag)
	}
	switch e.Type {
	case TypeByte:
		return uint64(e.Val[0]), nil
	case TypeShort:
		return uint64(d.File.Order.Uint16(e.Val)), nil
	case TypeLong, TypeIFD:
		return uint64(d.File.Order.Uint32(e.Val)), nil
	}
	return 0, fmt.Errorf("tag %d: type %d is not an integer type", tag, e.Type)
}

// Rational returns the first value of a RATIONAL field (or of a SHORT or
// LONG one, as some writers use), or 0.
func (d *IFD) Rational(tag uint16) float64 {
	e := d.Find(tag)
	if e == nil || e.Type != TypeRational || e.Count == 0 || e.Val == nil {
		if v, err := d.Uint(tag, 0); err == nil {
			return float64(v)
		}
		return 0
	}
	num, den := d.File.Order.Uint32(e.Val[0:4]), d.File.Order.Uint32(e.Val[4:8])
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}

// Field is one field of a TIFF being written, its values already encoded in
// the byte order of the file.
type Field struct {
	Tag, Type uint16
	Count     uint32
	Val       []byte
}

// Image is one image of a TIFF being written: its fields, and its blocks
// (strips or tiles) with the tags whose fields Write fills with their
// offsets and byte counts.
type Image struct {
	Fields         []Field
	OffTag, CntTag uint16
	Blocks         [][]byte
}

// Write returns a single-image TIFF: see WriteImages.
func Write(bo binary.ByteOrder, fields []Field, offTag, cntTag uint16, blocks [][]byte) ([]byte, error) {
	return WriteImages(bo, []Image{{fields, offTag, cntTag, blocks}})
}

// ErrTooBig is returned by WriteImages for a file that does not fit in the
// 32-bit offsets of a classic TIFF.
var ErrTooBig = errors.New("file exceeds 4 GiB")

// WriteImages returns a TIFF of the images, their IFDs chained in order: the
// header, then for each image its IFD with its fields (sorted by tag,
// duplicates dropped) plus OffTag and CntTag pointing at its blocks, the
// fields' out-of-line values, then the blocks. Every IFD, value and block
// starts on an even offset.
func WriteImages(bo binary.ByteOrder, imgs []Image) ([]byte, error) {
	even := func(n int) int { return n + n&1 }
	type laid struct {
		fields   []Field
		offsets  []byte // of the blocks, filled in below
		ifd      int
		valPos   []int
		blockPos []int
	}
	lay := make([]laid, len(imgs))
	pos := 8
	for k, im := range imgs {
		fields := slices.DeleteFunc(slices.Clone(im.Fields), func(e Field) bool { return e.Tag == im.OffTag || e.Tag == im.CntTag })
		counts := make([]byte, 4*len(im.Blocks))
		for i, b := range im.Blocks {
			bo.PutUint32(counts[4*i:], uint32(len(b)))
		}
		l := laid{offsets: make([]byte, 4*len(im.Blocks)), ifd: pos}
		fields = append(fields,
			Field{Tag: im.OffTag, Type: TypeLong, Count: uint32(len(im.Blocks)), Val: l.offsets},
			Field{Tag: im.CntTag, Type: TypeLong, Count: uint32(len(im.Blocks)), Val: counts})
		slices.SortStableFunc(fields, func(a, b Field) int { return int(a.Tag) - int(b.Tag) })
		l.fields = slices.CompactFunc(fields, func(a, b Field) bool { return a.Tag == b.Tag })
		pos = even(pos + 2 + 12*len(l.fields) + 4)
		l.valPos = make([]int, len(l.fields))
		for i, e := range l.fields {
			if len(e.Val) > 4 {
				l.valPos[i] = pos
				pos = even(pos + len(e.Val))
			}
		}
		l.blockPos = make([]int, len(im.Blocks))
		for i, b := range im.Blocks {
			l.blockPos[i] = pos
			bo.PutUint32(l.offsets[4*i:], uint32(pos))
			pos = even(pos + len(b))
		}
		if uint64(pos) > 1<<32-1 {
			return nil, ErrTooBig
		}
		lay[k] = l
	}

	out := make([]byte, pos)
	if bo == binary.ByteOrder(binary.BigEndian) {
		copy(out, "MM\x00*")
	} else {
		copy(out, "II*\x00")
	}
	next := 4 // where the offset of the next IFD goes
	for k, l := range lay {
		bo.PutUint32(out[next:], uint32(l.ifd))
		bo.PutUint16(out[l.ifd:], uint16(len(l.fields)))
		for i, e := range l.fields {
			p := out[l.ifd+2+12*i:]
			bo.PutUint16(p[0:], e.Tag)
			bo.PutUint16(p[2:], e.Type)
			bo.PutUint32(p[4:], e.Count)
			if len(e.Val) <= 4 {
				copy(p[8:12], e.Val)
			} else {
				bo.PutUint32(p[8:], uint32(l.valPos[i]))
				copy(out[l.valPos[i]:], e.Val)
			}
		}
		next = l.ifd + 2 + 12*len(l.fields) // the last stays 0
		for i, b := range imgs[k].Blocks {
			copy(out[l.blockPos[i]:], b)
		}
	}
	return out, nil
}

// Short, Long and Rational make fields for a TIFF written from scratch, in
// little-endian order.
func Short(tag uint16, v uint16) Field {
	return Field{Tag: tag, Type: TypeShort, Count: 1, Val: binary.LittleEndian.AppendUint16(nil, v)}
}

func Long(tag uint16, v uint32) Field {
	return Field{Tag: tag, Type: TypeLong, Count: 1, Val: binary.LittleEndian.AppendUint32(nil, v)}
}

func Rational(tag uint16, num, den uint32) Field {
	b := binary.LittleEndian.AppendUint32(nil, num)
	return Field{Tag: tag, Type: TypeRational, Count: 1, Val: binary.LittleEndian.AppendUint32(b, den)}
}
