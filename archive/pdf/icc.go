package pdf

import (
	"encoding/binary"
	"math"
)

// The PDF/A output intent needs an ICC profile describing the colour space
// that DeviceRGB and DeviceGray mean in the file. Rather than ship a profile
// file, this file generates one: an ICC version 2 display ('mntr') profile of
// sRGB (IEC 61966-2-1), a matrix/TRC profile with the XYZ connection space,
// built from the sRGB primaries and transfer function. It is the same in
// every document.

// srgbDescription names the profile in its desc tag and the output intent.
const srgbDescription = "sRGB IEC61966-2.1"

// iccDate is the creation date in the profile header, fixed so that the
// profile is the same in every document: 2024-01-01T00:00:00.
var iccDate = [6]uint16{2024, 1, 1, 0, 0, 0}

// The CIE XYZ of illuminants, Y = 1. D50 is the profile connection space
// illuminant, with the values ICC.1 prescribes for the header; D65 is the
// sRGB white point, computed from its chromaticity (x 0.3127, y 0.3290).
var (
	iccD50  = [3]float64{0.9642, 1, 0.8249}
	srgbD65 = xyToXYZ(0.3127, 0.3290)
)

// The chromaticities of the sRGB primaries (IEC 61966-2-1, Table 1).
var srgbPrimaries = [3][2]float64{{0.64, 0.33}, {0.30, 0.60}, {0.15, 0.06}}

// srgbCurveEntries is the number of samples in the TRC curves.
const srgbCurveEntries = 1024

// srgbProfile returns the ICC profile of sRGB. Its tags are desc, cprt,
// wtpt (the media white point: the D65 white of an sRGB display, as in the
// sRGB profiles in common use), rXYZ, gXYZ, bXYZ (the primaries adapted to
// the D50 connection space with the Bradford transform, so that they add up
// to D50) and one curv table of the sRGB transfer function shared by rTRC,
// gTRC and bTRC.
func srgbProfile() []byte {
	be := binary.BigEndian
	type tag struct {
		sig  string
		data []byte
	}
	cols := srgbColorants()
	curve := srgbCurve()
	tags := []tag{
		{"desc", textDescription(srgbDescription)},
		{"cprt", textTag("No copyright, use freely")},
		{"wtpt", xyzTag(srgbD65)},
		{"rXYZ", xyzTag(cols[0])},
		{"gXYZ", xyzTag(cols[1])},
		{"bXYZ", xyzTag(cols[2])},
		{"rTRC", curve},
		{"gTRC", curve},
		{"bTRC", curve},
	}

	// Tag data follows the tag table, each element starting on a 4-byte
	// boundary; tags with the same data share one element, as ICC.1
	// allows.
	table := make([]byte, 0, 4+12*len(tags))
	table = be.AppendUint32(table, uint32(len(tags)))
	var data []byte
	start := 128 + 4 + 12*len(tags)
	offsets := map[*byte]int{}
	for _, t := range tags {
		off, ok := offsets[&t.data[0]]
		if !ok {
			off = start + len(data)
			offsets[&t.data[0]] = off
			data = append(data, t.data...)
			for len(data)%4 != 0 {
				data = append(data, 0)
			}
		}
		table = append(table, t.sig...)
		table = be.AppendUint32(table, uint32(off))
		table = be.AppendUint32(table, uint32(len(t.data)))
	}

	size := 128 + len(table) + len(data)
	h := make([]byte, 0, size)
	h = be.AppendUint32(h, uint32(size))
	h = be.AppendUint32(h, 0)          // preferred CMM: none
	h = be.AppendUint32(h, 0x02100000) // version 2.1.0
	h = append(h, "mntr"...)           // device class: display
	h = append(h, "RGB "...)           // colour space of the data
	h = append(h, "XYZ "...)           // profile connection space
	for _, v := range iccDate {
		h = be.AppendUint16(h, v)
	}
	h = append(h, "acsp"...)
	h = be.AppendUint32(h, 0)          // primary platform: none
	h = be.AppendUint32(h, 0)          // flags: not embedded, independent
	h = be.AppendUint32(h, 0)          // device manufacturer
	h = be.AppendUint32(h, 0)          // device model
	h = be.AppendUint64(h, 0)          // device attributes: reflective, glossy
	h = be.AppendUint32(h, 0)          // rendering intent: perceptual
	h = appendXYZ(h, iccD50)           // PCS illuminant
	h = be.AppendUint32(h, 0)          // profile creator
	h = append(h, make([]byte, 44)...) // profile ID (version 4 only) and reserved
	h = append(h, table...)
	return append(h, data...)
}

// srgbColorants returns the XYZ of the sRGB red, green and blue primaries
// at full intensity, adapted from D65 to D50 with the Bradford transform.
func srgbColorants() [3][3]float64 {
	// RGB to XYZ (D65): the columns are the primaries' XYZ, scaled so that
	// R = G = B = 1 gives the white point.
	var p mat3
	for i, xy := range srgbPrimaries {
		c := xyToXYZ(xy[0], xy[1])
		for r := range 3 {
			p[r][i] = c[r]
		}
	}
	s := p.inverse().apply(srgbD65)
	for r := range 3 {
		for c := range 3 {
			p[r][c] *= s[c]
		}
	}
	// Bradford adaptation: into cone space, scale by the ratio of the
	// destination and source whites there, and back.
	bradford := mat3{
		{0.8951, 0.2664, -0.1614},
		{-0.7502, 1.7135, 0.0367},
		{0.0389, -0.0685, 1.0296},
	}
	src, dst := bradford.apply(srgbD65), bradford.apply(iccD50)
	var scale mat3
	for i := range 3 {
		scale[i][i] = dst[i] / src[i]
	}
	m := bradford.inverse().mul(scale).mul(bradford).mul(p)
	var cols [3][3]float64
	for c := range 3 {
		for r := range 3 {
			cols[c][r] = m[r][c]
		}
	}
	return cols
}

// srgbCurve returns a curveType element sampling the sRGB transfer function
// (encoded value to linear light) at srgbCurveEntries evenly spaced points.
func srgbCurve() []byte {
	be := binary.BigEndian
	b := make([]byte, 0, 12+2*srgbCurveEntries)
	b = append(b, "curv"...)
	b = be.AppendUint32(b, 0)
	b = be.AppendUint32(b, srgbCurveEntries)
	for i := range srgbCurveEntries {
		v := srgbToLinear(float64(i) / (srgbCurveEntries - 1))
		b = be.AppendUint16(b, uint16(math.Round(v*0xFFFF)))
	}
	return b
}

// srgbToLinear is the sRGB electro-optical transfer function.
func srgbToLinear(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// textDescription returns a textDescriptionType element (ICC version 2)
// with the ASCII description s and no Unicode or ScriptCode variants.
func textDescription(s string) []byte {
	be := binary.BigEndian
	var b []byte
	b = append(b, "desc"...)
	b = be.AppendUint32(b, 0)
	b = be.AppendUint32(b, uint32(len(s)+1)) // ASCII count, with the NUL
	b = append(b, s...)
	b = append(b, 0)
	b = be.AppendUint32(b, 0) // Unicode language code
	b = be.AppendUint32(b, 0) // Unicode count
	b = be.AppendUint16(b, 0) // ScriptCode code
	b = append(b, 0)          // ScriptCode count
	return append(b, make([]byte, 67)...)
}

// textTag returns a textType element holding the ASCII text s.
func textTag(s string) []byte {
	b := append([]byte("text"), 0, 0, 0, 0)
	b = append(b, s...)
	return append(b, 0)
}

func xyzTag(v [3]float64) []byte {
	return appendXYZ(append([]byte("XYZ "), 0, 0, 0, 0), v)
}

// appendXYZ appends an XYZNumber: three s15Fixed16Numbers.
func appendXYZ(b []byte, v [3]float64) []byte {
	for _, c := range v {
		b = binary.BigEndian.AppendUint32(b, uint32(int32(math.Round(c*65536))))
	}
	return b
}

// xyToXYZ returns the XYZ, with Y = 1, of chromaticity (x, y).
func xyToXYZ(x, y float64) [3]float64 { return [3]float64{x / y, 1, (1 - x - y) / y} }

// mat3 is a 3x3 matrix, row-major.
type mat3 [3][3]float64

func (m mat3) apply(v [3]float64) (r [3]float64) {
	for i := range 3 {
		r[i] = m[i][0]*v[0] + m[i][1]*v[1] + m[i][2]*v[2]
	}
	return r
}

func (m mat3) mul(n mat3) (r mat3) {
	for i := range 3 {
		for j := range 3 {
			r[i][j] = m[i][0]*n[0][j] + m[i][1]*n[1][j] + m[i][2]*n[2][j]
		}
	}
	return r
}

// inverse returns the inverse of m, which must be invertible (the matrices
// here are fixed and are).
func (m mat3) inverse() (r mat3) {
	det := m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) -
		m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) +
		m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	for i := range 3 {
		for j := range 3 {
			// Cofactor of m[j][i], for the adjugate.
			a, b := (j+1)%3, (j+2)%3
			c, d := (i+1)%3, (i+2)%3
			r[i][j] = (m[a][c]*m[b][d] - m[a][d]*m[b][c]) / det
		}
	}
	return r
}
