package tiff

// Tags that sohoa reads or writes by number, in ascending order.
const (
	TagNewSubfileType  = 254
	TagSubfileType     = 255
	TagImageWidth      = 256
	TagImageLength     = 257
	TagBitsPerSample   = 258
	TagCompression     = 259
	TagPhotometric     = 262
	TagFillOrder       = 266
	TagStripOffsets    = 273
	TagSamplesPerPixel = 277
	TagRowsPerStrip    = 278
	TagStripByteCounts = 279
	TagXResolution     = 282
	TagYResolution     = 283
	TagPlanarConfig    = 284
	TagT4Options       = 292
	TagT6Options       = 293
	TagResolutionUnit  = 296
	TagPageNumber      = 297
	TagTileWidth       = 322
	TagTileLength      = 323
	TagTileOffsets     = 324
	TagTileByteCounts  = 325
)

// Compression values.
const (
	CompressionNone = 1
	CompressionG3   = 3 // ITU-T T.4 (CCITT Group 3)
	CompressionG4   = 4 // ITU-T T.6 (CCITT Group 4)
)

// Reduced reports whether the IFD holds a reduced-resolution copy (a
// thumbnail or preview) or a transparency mask rather than a page.
func (d *IFD) Reduced() bool {
	if v, err := d.Uint(TagNewSubfileType, 0); err == nil && v&0b101 != 0 {
		return true
	}
	if v, err := d.Uint(TagSubfileType, 1); err == nil && v == 2 {
		return true
	}
	return false
}
