// Package pagestest builds hostile image files for tests: TIFFs whose strips
// lie about the image (the strip bomb, strips past the end of the file, more
// strips than rows, many huge pages in a small file) and a PNG that claims
// more pixels than it has. Each is what an attacker, or a badly broken
// scanner, could drop into the inbox; package pages must refuse them all
// from their headers, without allocating what they claim.
//
// It is used by tests only, of package pages and of ingest.
package pagestest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
	"slices"
)

// Block is one strip (or tile) as an IFD lists it: Off is an offset into
// the data passed to Build (not into the file), Count its byte count.
type Block struct {
	Off, Count uint32
}

// Page is the IFD of one image of a TIFF built by Build.
type Page struct {
	Width, Height uint32
	BitsPerSample uint16 // per sample; 8 if zero
	Samples       uint16 // per pixel; 1 if zero
	Compression   uint16 // 1 (none) if zero
	RowsPerStrip  uint32 // Height if zero
	Strips        []Block
}

// Build writes a little-endian classic TIFF: the header, data, then one IFD
// per page, chained in order. Strip offsets are made absolute. Nothing is
// checked: that is the point.
func Build(data []byte, pages []Page) []byte {
	le := binary.LittleEndian
	const dataAt = 8
	out := []byte("II*\x00\x00\x00\x00\x00")
	out = append(out, data...)
	next := 4 // where the offset of the next IFD goes
	for _, p := range pages {
		if len(out)%2 == 1 {
			out = append(out, 0)
		}
		bps, spp, comp, rps := p.BitsPerSample, p.Samples, p.Compression, p.RowsPerStrip
		if bps == 0 {
			bps = 8
		}
		if spp == 0 {
			spp = 1
		}
		if comp == 0 {
			comp = 1
		}
		if rps == 0 {
			rps = p.Height
		}
		photometric := uint32(1) // BlackIsZero
		if spp == 3 {
			photometric = 2 // RGB
		}
		// Out-of-line values first: offsets, counts, bits per sample.
		offsAt := len(out)
		for _, s := range p.Strips {
			out = le.AppendUint32(out, dataAt+s.Off)
		}
		cntsAt := len(out)
		for _, s := range p.Strips {
			out = le.AppendUint32(out, s.Count)
		}
		bpsAt := len(out)
		for range spp {
			out = le.AppendUint16(out, bps)
		}
		type entry struct {
			tag, typ uint16
			count    uint32
			val      uint32
		}
		n := uint32(len(p.Strips))
		bpsVal := uint32(bps)
		if spp > 2 {
			bpsVal = uint32(bpsAt)
		} else if spp == 2 {
			bpsVal = uint32(bps) | uint32(bps)<<16
		}
		offsVal, cntsVal := uint32(offsAt), uint32(cntsAt)
		if n == 1 {
			offsVal, cntsVal = dataAt+p.Strips[0].Off, p.Strips[0].Count
		}
		entries := []entry{
			{256, 4, 1, p.Width},
			{257, 4, 1, p.Height},
			{258, 3, uint32(spp), bpsVal},
			{259, 3, 1, uint32(comp)},
			{262, 3, 1, photometric},
			{273, 4, n, offsVal},
			{277, 3, 1, uint32(spp)},
			{278, 4, 1, rps},
			{279, 4, n, cntsVal},
		}
		if len(out)%2 == 1 {
			out = append(out, 0)
		}
		le.PutUint32(out[next:], uint32(len(out)))
		out = le.AppendUint16(out, uint16(len(entries)))
		for _, e := range entries {
			out = le.AppendUint16(out, e.tag)
			out = le.AppendUint16(out, e.typ)
			out = le.AppendUint32(out, e.count)
			if e.typ == 3 && e.count == 1 {
				out = le.AppendUint16(out, uint16(e.val))
				out = append(out, 0, 0)
			} else {
				out = le.AppendUint32(out, e.val)
			}
		}
		next = len(out)
		out = le.AppendUint32(out, 0)
	}
	return out
}

// noise is n bytes that do not compress.
func noise(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// StripBomb is the file of the attack: 294 KB whose 4,000 strips all point
// at the same 256 KiB, for a 6000 × 8000 RGB page (48 Mpx, within the pixel
// limit). Copying its strips without a bound makes a page of 1 GiB.
func StripBomb() []byte {
	const strips, shared = 4000, 256 << 10
	p := Page{Width: 6000, Height: 8000, Samples: 3, Compression: 8, RowsPerStrip: 2}
	for range strips {
		p.Strips = append(p.Strips, Block{Off: 0, Count: shared})
	}
	return Build(noise(shared, 1), []Page{p})
}

// StripsPastEOF is a 1000 × 1000 grey page whose second strip claims bytes
// beyond the end of the file.
func StripsPastEOF() []byte {
	p := Page{Width: 1000, Height: 1000, RowsPerStrip: 500,
		Strips: []Block{{0, 500_000}, {500_000, 500_000}}}
	return Build(noise(600_000, 2), []Page{p})
}

// MoreStripsThanRows is a 100 × 10 grey page with 20 strips of a row each.
func MoreStripsThanRows() []byte {
	p := Page{Width: 100, Height: 10, RowsPerStrip: 1}
	for i := range 20 {
		p.Strips = append(p.Strips, Block{Off: uint32(100 * i), Count: 100})
	}
	return Build(noise(2000, 3), []Page{p})
}

// Oversized is a 16 × 16 grey page whose one (Deflate) strip is 2 MiB: far
// more compressed data than a page of 256 bytes can take.
func Oversized() []byte {
	p := Page{Width: 16, Height: 16, Compression: 8, Strips: []Block{{0, 2 << 20}}}
	return Build(noise(2<<20, 4), []Page{p})
}

// SharedAcrossPages is n 2000 × 2000 grey pages (Deflate) that all use the
// same 1 MiB strip: each page is sound, together they copy the file n times.
func SharedAcrossPages(n int) []byte {
	p := Page{Width: 2000, Height: 2000, Compression: 8, Strips: []Block{{0, 1 << 20}}}
	return Build(noise(1<<20, 5), slices.Repeat([]Page{p}, n))
}

// ManyHugePages is n pages of w × h black and white pixels, each a few
// bytes of Deflate data of its own: a small file that claims n·w·h pixels
// of OCR work.
func ManyHugePages(n int, w, h uint32) []byte {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 1<<16))
	zw.Close()
	one := z.Bytes()
	var data []byte
	var pages []Page
	for range n {
		pages = append(pages, Page{Width: w, Height: h, BitsPerSample: 1, Compression: 8,
			Strips: []Block{{uint32(len(data)), uint32(len(one))}}})
		data = append(data, one...)
	}
	return Build(data, pages)
}

// PNGHeader is a well-formed PNG (signature, IHDR, one empty IDAT, IEND,
// every CRC right) that claims w × h 8-bit grey pixels. Its size must be
// refused from the header: decoding it would allocate w·h bytes.
func PNGHeader(w, h uint32) []byte {
	be := binary.BigEndian
	out := []byte("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, body []byte) {
		out = be.AppendUint32(out, uint32(len(body)))
		c := append([]byte(typ), body...)
		out = append(out, c...)
		out = be.AppendUint32(out, crc32.ChecksumIEEE(c))
	}
	ihdr := be.AppendUint32(nil, w)
	ihdr = be.AppendUint32(ihdr, h)
	chunk("IHDR", append(ihdr, 8, 0, 0, 0, 0))
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return out
}
