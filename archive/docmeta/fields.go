package docmeta

// Names of a document's fields, as the record, the API, the correction
// history, Meta.Confidence and the web form name them: one set for every
// place that speaks of a field.
const (
	FieldDocNumber = "doc_number"
	FieldDate      = "date"
	FieldType      = "type"
	FieldAgency    = "agency"
	FieldSubject   = "subject"
)

// Names of the crops of a header's blanks (Meta.Crops, Record.Crops and
// GET /api/documents/{id}/crops/{name}): the number's blank, and the date
// line's day (with the month when it was handwritten too).
const (
	CropNumber = "number"
	CropDate   = "date"
)
