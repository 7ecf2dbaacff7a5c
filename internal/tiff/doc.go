// Package tiff reads and writes the structure of classic (not Big) TIFF
// files: the header, image file directories (IFDs) and their fields. It
// decodes no pixels (golang.org/x/image/tiff does that); ingest/pages uses it
// to split hostile multi-page files, archive/pdf to find CCITT strips it can
// embed untouched, and ccitt to write G4 files.
//
// Reading is bounded by the input: an IFD is read only when all its entries
// lie inside the file, a field's values are referenced in place (never
// copied) and are nil when they lie outside it, and Uints refuses a field of
// more values than its caller allows, before allocating them. Walking the IFD
// chain (Walk) stops at a loop or after a caller's number of directories.
package tiff
