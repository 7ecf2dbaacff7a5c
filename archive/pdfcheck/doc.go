// Package pdfcheck checks a PDF file against the rules of PDF/A-2u (ISO
// 19005-2, level U) that matter for sohoa's archive, and says in plain words
// which ones it breaks. It is what `sohoa verify FILE…` runs: district IT
// uses it on files in the bucket (or files someone has edited, re-saved or
// received from elsewhere) to learn whether they are still archival PDF/A.
//
// archive/pdf writes files that pass every check. The checks, each reported
// as one Problem under its ISO 19005-2 clause number:
//
//   - 6.1.2 the %PDF-1.n header and the binary comment after it;
//   - 6.1.3 a file identifier (/ID) in the trailer, no encryption, nothing
//     after the last %%EOF but an end-of-line;
//   - 6.6.2.1 an XMP metadata stream in the catalog, well-formed, whose
//     xpacket header has no bytes or encoding attribute;
//   - 6.6.4 pdfaid:part 2 and pdfaid:conformance U (or A) in that XMP;
//   - 6.2.3 a PDF/A output intent (/S /GTS_PDFA1) with an ICC profile whose
//     /N matches the colour space in the profile's header, all output
//     intents sharing one profile;
//   - 6.2.4.3 images in DeviceRGB or DeviceCMYK only under an output intent
//     of that colour space, in DeviceGray only under one of any;
//   - 6.2.11.4.1 every font embedded (FontFile, FontFile2 or FontFile3;
//     Type 3 fonts excepted), 6.2.11.7.2 every font with a ToUnicode map,
//     6.2.11.3.2 every CIDFontType2 font with a CIDToGIDMap;
//   - 6.5.1 no JavaScript (the /Names /JavaScript tree, actions of type
//     JavaScript, /JS, the catalog's /OpenAction) and no other forbidden
//     action; 6.5.2 and 6.4.1 no additional actions (/AA);
//   - 6.1.7.2 no LZW (or non-standard) stream filter, 6.1.10 none in inline
//     images; 6.1.7.1 no stream stored outside the file;
//   - 6.2.8 no image with /Interpolate true (inline images too), /Alternates
//     or /OPI;
//   - 6.3.1 no annotation of a forbidden type, 6.3.2 every annotation
//     printable and visible;
//   - 6.1.1 the file passes pdfcpu's strict validation of PDF itself.
//
// It is stricter than PDF/A-2u in two places: a font used only for
// invisible text (rendering mode 3) must be embedded too, and a Type 1 or
// Type 3 font without a ToUnicode map is reported even when its glyph names
// are all in the Adobe Glyph List, which PDF/A-2u accepts (the other
// exceptions, fonts with a standard encoding, Adobe's CJK collections and
// non-symbolic TrueType fonts, are honoured). It is less thorough than a
// full validator such as veraPDF: it does not interpret content streams
// beyond finding inline images, so it does not check, for one, glyph widths
// against the font programs, or colour operators against the output intent;
// nor does it compare the Info dictionary with the XMP metadata.
//
// Check reads the file through pdfcpu, which must not read a configuration
// directory: the program calls pdfcpu's api.DisableConfigDir first, as
// sohoa's main does. Check keeps no state and is safe for concurrent use.
package pdfcheck
