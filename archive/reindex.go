package archive

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"github.com/sohoa/sohoa/archive/index"
)

// Reindex fills ix from the records in the archive bucket alone: the index
// is derived data. Of each document only its latest version is indexed,
// and none of a document merged into another.
// It returns how many documents were indexed. ix should be empty (the
// caller removes the old index first); records it cannot read are logged
// and skipped.
func Reindex(ctx context.Context, st Bucket, ix *index.Index, log *slog.Logger) (int, error) {
	latest := map[string]*Record{}
	for o, err := range st.List(ctx, "") {
		if err != nil {
			return 0, err
		}
		if !strings.HasSuffix(o.Key, ".json") || strings.HasPrefix(o.Key, DossierPrefix) {
			continue // hồ sơ are read from the bucket as they are
		}
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		data, err := st.Get(ctx, o.Key)
		if err != nil {
			return 0, err
		}
		var r Record
		if err := json.Unmarshal(data, &r); err != nil || r.Schema != SchemaVersion || r.ID == "" {
			log.Warn("not a document record; skipped", "key", o.Key, "err", err)
			continue
		}
		if cur, ok := latest[r.ID]; !ok || r.Version > cur.Version {
			latest[r.ID] = &r
		}
	}
	n := 0
	for _, r := range latest {
		if r.MergedInto != "" {
			continue // merged into another: its pages are that one's
		}
		n++
		if err := ix.Put(r.IndexDoc()); err != nil {
			return 0, fmt.Errorf("archive: reindex %s: %w", r.ID, err)
		}
	}
	return n, nil
}
