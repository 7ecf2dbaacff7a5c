package convnet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
)

// The weights file (version 1), all integers and floats little-endian:
//
//	offset  size  field
//	0       4     magic "SHDG" (sohoa digits)
//	4       4     version, uint32 = 1
//	8       4     tensor count, uint32 = 8
//	12      …     each tensor: rank r (uint32), r dimensions (uint32 each),
//	              then the product of the dimensions float32 values, row-major
//	end−4   4     CRC-32 (IEEE) of every byte before it
//
// The tensors are, in order: W1 [16 1 5 5], B1 [16], W2 [32 16 5 5], B2 [32],
// W3 [128 512], B3 [128], W4 [11 128], B4 [11] — 321,324 bytes for the 80,331
// parameters plus 120 bytes of header. A reader refuses another magic,
// version, tensor count or shape, a length that does not match, a checksum
// that does not, and values that are not finite.
const (
	magic   = "SHDG"
	version = 1
)

// shapes lists the stored tensors' shapes in file order.
var shapes = [][]int{
	{C1, 1, Kernel, Kernel}, {C1},
	{C2, C1, Kernel, Kernel}, {C2},
	{Hidden, Flat}, {Hidden},
	{Out, Hidden}, {Out},
}

func (p *Params) tensors() [][]float32 {
	return [][]float32{p.W1, p.B1, p.W2, p.B2, p.W3, p.B3, p.W4, p.B4}
}

// Marshal encodes p as a weights file.
func Marshal(p *Params) []byte {
	b := make([]byte, 0, 12+NumParams*4+200)
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint32(b, version)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(shapes)))
	for i, t := range p.tensors() {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(shapes[i])))
		for _, d := range shapes[i] {
			b = binary.LittleEndian.AppendUint32(b, uint32(d))
		}
		for _, v := range t {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		}
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// Unmarshal decodes a weights file written by Marshal. Its errors say what is
// wrong with the data; none is meant to be matched.
func Unmarshal(data []byte) (*Params, error) {
	if len(data) < 16 || string(data[:4]) != magic {
		return nil, errors.New("not a weights file (no SHDG magic)")
	}
	sum := binary.LittleEndian.Uint32(data[len(data)-4:])
	body := data[:len(data)-4]
	r := reader{b: body[4:]}
	if v := r.u32(); v != version {
		return nil, fmt.Errorf("version %d, want %d", v, version)
	}
	if n := r.u32(); r.err == nil && n != uint32(len(shapes)) {
		return nil, fmt.Errorf("%d tensors, want %d", n, len(shapes))
	}
	p := New()
	for i, t := range p.tensors() {
		rank := r.u32()
		if r.err == nil && rank != uint32(len(shapes[i])) {
			return nil, fmt.Errorf("tensor %d: rank %d, want %d", i, rank, len(shapes[i]))
		}
		for j := 0; r.err == nil && j < len(shapes[i]); j++ {
			if d := r.u32(); r.err == nil && d != uint32(shapes[i][j]) {
				return nil, fmt.Errorf("tensor %d: shape differs from %v (dimension %d is %d)", i, shapes[i], j, d)
			}
		}
		for k := range t {
			t[k] = math.Float32frombits(r.u32())
		}
		if r.err != nil {
			return nil, fmt.Errorf("tensor %d: truncated", i)
		}
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%d bytes too many", len(r.b))
	}
	if got := crc32.ChecksumIEEE(body); got != sum {
		return nil, fmt.Errorf("checksum %08x, want %08x (corrupt file)", got, sum)
	}
	for i, v := range p.Data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("parameter %d is %v", i, v)
		}
	}
	return p, nil
}

// reader takes little-endian words from b; once short, it stays failed.
type reader struct {
	b   []byte
	err error
}

func (r *reader) u32() uint32 {
	if r.err != nil || len(r.b) < 4 {
		r.err = errors.New("short")
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}
