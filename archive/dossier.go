package archive

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sohoa/sohoa/objstore"
	"github.com/sohoa/sohoa/viet"
)

// Hồ sơ (dossiers).
//
// Archivists keep documents in hồ sơ: a file of the documents about one
// matter, inside the phông (fonds) of one agency. A hồ sơ's fields are
// those of Thông tư 02/2019/TT-BNV, Phụ lục II (the file-level fields of a
// digitised record), which TT 05/2025/TT-BNV keeps for the Law on Archives
// 2024: mã hồ sơ (the fonds' code, the catalogue — mục lục số, or the year
// the file was formed — and the file's number within it), tiêu đề, thời
// gian bắt đầu and kết thúc, thời hạn bảo quản, chế độ sử dụng (mức độ tiếp
// cận), ngôn ngữ, số lượng tờ and trang, từ khóa, ghi chú. Documents keep
// their own ids and keys; a hồ sơ names them in order.
//
// A hồ sơ is stored in the archive bucket as JSON, one object per version
// (DossierKey), created and never overwritten, as documents' records are:
// each change is a new version naming the one before. The bucket is the
// only place a hồ sơ is kept: every read lists its versions there, so
// every archive process answers the same and nothing needs rebuilding.

// DossierSchema names the layout of a hồ sơ's JSON.
const DossierSchema = "sohoa.dossier/1"

// Access levels of a hồ sơ (chế độ sử dụng).
const (
	AccessPublic     = "public"     // công khai: anyone with an account reads it
	AccessRestricted = "restricted" // hạn chế: archivists and administrators only
)

// Dossier is one version of a hồ sơ.
type Dossier struct {
	Schema   string `json:"schema"`
	ID       string `json:"id"`
	Version  int    `json:"version"`
	Previous string `json:"previous,omitempty"` // the key of the version it replaces

	// Code is the mã hồ sơ, Fonds.Catalog.Number (the parts given).
	Code    string `json:"code"`
	Fonds   string `json:"fonds,omitempty"`   // mã phông
	Catalog string `json:"catalog,omitempty"` // mục lục số, or the year the file was formed
	Number  string `json:"number,omitempty"`  // số và ký hiệu hồ sơ
	Title   string `json:"title"`             // tiêu đề hồ sơ
	Start   string `json:"start,omitempty"`   // thời gian bắt đầu, YYYY-MM-DD
	End     string `json:"end,omitempty"`     // thời gian kết thúc, YYYY-MM-DD
	// Retention is the thời hạn bảo quản: "vĩnh viễn" (permanent) or a
	// number of years ("10 năm"); RetentionYears is 0 for permanent.
	Retention      string `json:"retention"`
	RetentionYears int    `json:"retention_years"`
	// Due is the day its retention runs out (YYYY-MM-DD): RetentionYears
	// after End; "" for a permanent hồ sơ or one with no end yet.
	Due      string `json:"due,omitempty"`
	Access   string `json:"access"` // AccessPublic or AccessRestricted
	Language string `json:"language,omitempty"`
	Sheets   int    `json:"sheets,omitempty"` // số lượng tờ
	Pages    int    `json:"pages,omitempty"`  // số lượng trang
	Keywords string `json:"keywords,omitempty"`
	Note     string `json:"note,omitempty"`
	// Documents are the ids of the hồ sơ's documents, in order.
	Documents []string `json:"documents"`

	Created   time.Time `json:"created"`
	CreatedBy string    `json:"created_by"`
	Updated   time.Time `json:"updated"` // when this version was made
	UpdatedBy string    `json:"updated_by"`
	Changes   []Change  `json:"changes,omitempty"` // oldest first
}

// DossierFields are what an archivist gives or changes of a hồ sơ: nil
// fields are left as they are.
type DossierFields struct {
	Fonds, Catalog, Number, Title, Start, End, Retention, Access, Language, Keywords, Note *string
	Sheets, Pages                                                                          *int
}

// Errors of the hồ sơ functions that callers test for (besides
// ErrInvalid and ErrConflict).
var (
	// ErrNoDossier: no hồ sơ has that id.
	ErrNoDossier = errors.New("archive: no such dossier")
)

// DossierPrefix is where hồ sơ are kept in the archive bucket.
const DossierPrefix = "ho-so/"

// DossierKey is the key of version v of hồ sơ id.
func DossierKey(id string, v int) string {
	return fmt.Sprintf("%s%s/v%06d.json", DossierPrefix, id, v)
}

// CreateDossier makes a new hồ sơ from f, by whom; a title and a
// retention are required.
func (a *Archive) CreateDossier(ctx context.Context, f DossierFields, by string) (*Dossier, error) {
	if strings.TrimSpace(by) == "" {
		return nil, fmt.Errorf("%w: who creates the dossier must be given", ErrInvalid)
	}
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	now := time.Now().UTC()
	d := &Dossier{Schema: DossierSchema, ID: hex.EncodeToString(id[:]), Version: 1, Access: AccessPublic,
		Documents: []string{}, Created: now, CreatedBy: by, Updated: now, UpdatedBy: by}
	if err := d.apply(f, by, now, false); err != nil {
		return nil, err
	}
	if d.Title == "" || d.Retention == "" {
		return nil, fmt.Errorf("%w: a dossier needs a title and a retention (thời hạn bảo quản: \"vĩnh viễn\" or \"10 năm\")", ErrInvalid)
	}
	if err := a.storeDossier(ctx, d); err != nil {
		return nil, err
	}
	a.log.Info("dossier created", "dossier", d.ID, "code", d.Code, "by", by)
	return d, nil
}

// Dossier returns the latest version of hồ sơ id; ErrNoDossier when there
// is none.
func (a *Archive) Dossier(ctx context.Context, id string) (*Dossier, error) {
	return DossierIn(ctx, a.store, id)
}

// DossierIn is the latest version of hồ sơ id in the archive bucket st.
func DossierIn(ctx context.Context, st Bucket, id string) (*Dossier, error) {
	if !isHexID(id) {
		return nil, ErrNoDossier
	}
	last := ""
	for o, err := range st.List(ctx, DossierPrefix+id+"/") {
		if err != nil {
			return nil, err
		}
		if strings.HasSuffix(o.Key, ".json") && o.Key > last {
			last = o.Key // zero-padded versions sort as numbers
		}
	}
	if last == "" {
		return nil, ErrNoDossier
	}
	return readDossier(ctx, st, last)
}

// Dossiers returns the latest version of every hồ sơ, by code.
func (a *Archive) Dossiers(ctx context.Context) ([]*Dossier, error) {
	latest := map[string]string{}
	for o, err := range a.store.List(ctx, DossierPrefix) {
		if err != nil {
			return nil, err
		}
		rest := strings.TrimPrefix(o.Key, DossierPrefix)
		id, _, ok := strings.Cut(rest, "/")
		if ok && strings.HasSuffix(o.Key, ".json") && o.Key > latest[id] {
			latest[id] = o.Key
		}
	}
	out := make([]*Dossier, 0, len(latest))
	for _, key := range latest {
		d, err := readDossier(ctx, a.store, key)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	slices.SortFunc(out, func(x, y *Dossier) int { return strings.Compare(x.Code+"\x00"+x.ID, y.Code+"\x00"+y.ID) })
	return out, nil
}

// DueDossiers are the hồ sơ whose retention has run out by the day now,
// for appraisal (thẩm định): an archivist and a council decide what is
// destroyed; nothing is destroyed here, nor automatically.
func (a *Archive) DueDossiers(ctx context.Context, now time.Time) ([]*Dossier, error) {
	all, err := a.Dossiers(ctx)
	if err != nil {
		return nil, err
	}
	today := now.Format(time.DateOnly)
	return slices.DeleteFunc(all, func(d *Dossier) bool { return d.Due == "" || d.Due > today }), nil
}

// UpdateDossier changes hồ sơ id's fields as f gives them, in a new
// version; nothing changed, the hồ sơ is returned as it was.
func (a *Archive) UpdateDossier(ctx context.Context, id string, f DossierFields, by string) (*Dossier, error) {
	return a.changeDossier(ctx, id, by, func(d *Dossier, now time.Time) error { return d.apply(f, by, now, true) })
}

// AddToDossier adds document doc (an archived document's id) to the end
// of hồ sơ id, in a new version; a document already in it stays where it is.
func (a *Archive) AddToDossier(ctx context.Context, id, doc, by string) (*Dossier, error) {
	if _, err := a.Record(ctx, doc); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("%w: no archived document has the id %q", ErrInvalid, doc)
		}
		return nil, err
	}
	return a.changeDossier(ctx, id, by, func(d *Dossier, now time.Time) error {
		if slices.Contains(d.Documents, doc) {
			return nil
		}
		d.Documents = append(d.Documents, doc)
		d.Changes = append(d.Changes, Change{Version: d.Version, Field: "documents", To: doc, By: by, At: now})
		return nil
	})
}

// changeDossier makes the next version of hồ sơ id with change applied;
// ErrConflict when another change made that version first.
func (a *Archive) changeDossier(ctx context.Context, id, by string, change func(*Dossier, time.Time) error) (*Dossier, error) {
	if strings.TrimSpace(by) == "" {
		return nil, fmt.Errorf("%w: who changes the dossier must be given", ErrInvalid)
	}
	old, err := a.Dossier(ctx, id)
	if err != nil {
		return nil, err
	}
	d := *old
	d.Documents = slices.Clone(old.Documents)
	d.Changes = slices.Clone(old.Changes)
	d.Version, d.Previous = old.Version+1, DossierKey(old.ID, old.Version)
	now := time.Now().UTC()
	if err := change(&d, now); err != nil {
		return nil, err
	}
	if len(d.Changes) == len(old.Changes) {
		return old, nil
	}
	d.Updated, d.UpdatedBy = now, by
	if err := a.storeDossier(ctx, &d); err != nil {
		if errors.Is(err, objstore.ErrExists) {
			return nil, ErrConflict
		}
		return nil, err
	}
	a.log.Info("dossier changed", "dossier", d.ID, "version", d.Version, "by", by)
	return &d, nil
}

func (a *Archive) storeDossier(ctx context.Context, d *Dossier) error {
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	return a.store.Create(ctx, DossierKey(d.ID, d.Version), data, "application/json; charset=utf-8")
}

func readDossier(ctx context.Context, st Bucket, key string) (*Dossier, error) {
	data, err := st.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	var d Dossier
	if err := json.Unmarshal(data, &d); err != nil || d.Schema != DossierSchema {
		return nil, fmt.Errorf("archive: dossier %s: not a dossier (%v)", key, err)
	}
	return &d, nil
}

// apply sets d's fields from f, recording each change (record: not for a
// new hồ sơ), and checks them.
func (d *Dossier) apply(f DossierFields, by string, now time.Time, record bool) error {
	set := func(field string, dst *string, to *string, norm func(string) (string, error)) error {
		if to == nil {
			return nil
		}
		v := viet.Normalize(strings.Join(strings.Fields(*to), " "))
		if norm != nil && v != "" {
			var err error
			if v, err = norm(v); err != nil {
				return err
			}
		}
		if v == *dst {
			return nil
		}
		if record {
			d.Changes = append(d.Changes, Change{Version: d.Version, Field: field, From: *dst, To: v, By: by, At: now})
		}
		*dst = v
		return nil
	}
	setInt := func(field string, dst *int, to *int) error {
		if to == nil || *to == *dst {
			return nil
		}
		if *to < 0 {
			return fmt.Errorf("%w: %s cannot be negative", ErrInvalid, field)
		}
		if record {
			d.Changes = append(d.Changes, Change{Version: d.Version, Field: field, From: strconv.Itoa(*dst), To: strconv.Itoa(*to), By: by, At: now})
		}
		*dst = *to
		return nil
	}
	date := func(s string) (string, error) {
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return "", fmt.Errorf("%w: %q is not a date YYYY-MM-DD", ErrInvalid, s)
		}
		return s, nil
	}
	access := func(s string) (string, error) {
		switch viet.Fold(strings.ToLower(s)) {
		case AccessPublic, "cong khai":
			return AccessPublic, nil
		case AccessRestricted, "han che":
			return AccessRestricted, nil
		}
		return "", fmt.Errorf("%w: access %q: want %q (công khai) or %q (hạn chế)", ErrInvalid, s, AccessPublic, AccessRestricted)
	}
	steps := []error{
		set("fonds", &d.Fonds, f.Fonds, nil),
		set("catalog", &d.Catalog, f.Catalog, nil),
		set("number", &d.Number, f.Number, nil),
		set("title", &d.Title, f.Title, nil),
		set("start", &d.Start, f.Start, date),
		set("end", &d.End, f.End, date),
		set("retention", &d.Retention, f.Retention, func(s string) (string, error) {
			r, _, err := ParseRetention(s)
			return r, err
		}),
		set("access", &d.Access, f.Access, access),
		set("language", &d.Language, f.Language, nil),
		set("keywords", &d.Keywords, f.Keywords, nil),
		set("note", &d.Note, f.Note, nil),
		setInt("sheets", &d.Sheets, f.Sheets),
		setInt("pages", &d.Pages, f.Pages),
	}
	if err := errors.Join(steps...); err != nil {
		return err
	}
	if d.Start != "" && d.End != "" && d.End < d.Start {
		return fmt.Errorf("%w: the dossier ends (%s) before it starts (%s)", ErrInvalid, d.End, d.Start)
	}
	if f.Title != nil && d.Title == "" {
		return fmt.Errorf("%w: a dossier's title cannot be empty", ErrInvalid)
	}
	if f.Retention != nil && d.Retention == "" {
		return fmt.Errorf("%w: a dossier's retention cannot be empty", ErrInvalid)
	}
	_, d.RetentionYears, _ = ParseRetention(d.Retention)
	d.Due = ""
	if end, err := time.Parse(time.DateOnly, d.End); err == nil && d.RetentionYears > 0 {
		d.Due = end.AddDate(d.RetentionYears, 0, 0).Format(time.DateOnly)
	}
	if d.Access == "" {
		d.Access = AccessPublic
	}
	var parts []string
	for _, p := range []string{d.Fonds, d.Catalog, d.Number} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	d.Code = strings.Join(parts, ".")
	return nil
}

// ParseRetention reads a thời hạn bảo quản as archivists write it:
// "vĩnh viễn" (or "vinh vien", "permanent"), or a number of years ("10",
// "10 năm", "10 years"). It returns it written the one way ("vĩnh viễn",
// "10 năm") and the years, 0 for permanent.
func ParseRetention(s string) (string, int, error) {
	f := strings.ToLower(viet.Fold(strings.TrimSpace(s)))
	switch f {
	case "vinh vien", "permanent":
		return "vĩnh viễn", 0, nil
	}
	num := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(f, "nam"), "years"), "year"))
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > 100 {
		return "", 0, fmt.Errorf("%w: retention %q: want \"vĩnh viễn\" or a number of years such as \"10 năm\"", ErrInvalid, s)
	}
	return fmt.Sprintf("%d năm", n), n, nil
}

// isHexID tells whether s looks like an id sohoa makes (32 hex digits).
func isHexID(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
