// Package pdf writes the searchable PDF of one document: the scanned page
// images, each with an invisible text layer that puts every word OCR read
// over the place in the image where it was read.
//
// In the data flow it is the assemble step: once every page of a document
// has been through the OCR workers, the archive gathers the page images (as
// ingest stored them, or as a worker straightened them) and their
// pipeline.PageText, calls Write once for the document, and stores the
// resulting PDF in the bucket under the document number. Copying or
// searching the text of the PDF gives the NFC Vietnamese text OCR produced,
// word for word; pdftotext gives it back line by line.
//
// The output is PDF/A-2u (ISO 19005-2, level U: every character maps to
// Unicode), for long-term archiving: PDF 1.7 without encryption, actions or
// transparency, XMP metadata that declares the conformance and states the
// title, document number, language and dates as the Info dictionary does,
// and an sRGB output intent whose ICC profile the package generates, so
// that DeviceRGB and DeviceGray images have a defined meaning.
// archive/pdfcheck checks files against these rules.
//
// Images are embedded losslessly and, where the format allows, untouched:
// JPEG as /DCTDecode, single-strip CCITT G3/G4 TIFF as /CCITTFaxDecode; PNG
// and other TIFF pages are decoded, one page at a time, and written with
// /FlateDecode in the smallest of 1-bit, 8-bit gray or RGB that holds every
// pixel. CMYK JPEGs, which PDF/A does not allow under an RGB output intent,
// are converted to RGB JPEGs. The text uses one glyphless TrueType font
// that the package generates and embeds, with widths that match the font
// program and a ToUnicode map of every character shown, so no font files
// are needed at run time.
//
// pdfcpu builds the object graph and writes the file. Write keeps no state
// between calls, starts no goroutines and does no I/O besides writing to its
// io.Writer, provided the program has called pdfcpu's api.DisableConfigDir
// (main does; otherwise pdfcpu reads and may create its configuration
// directory on first use). Concurrent calls are then safe.
package pdf
