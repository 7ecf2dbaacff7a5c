package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/sohoa/sohoa/objstore"
)

// ErrNoCrop: the document has no crop of that name (its header had no such
// blank, or it was archived before crops were kept).
var ErrNoCrop = errors.New("archive: no such crop")

// storeCrops copies the crops of rec's blanks from the work bucket beside
// its PDF, create-only, and records their fixity. A crop the worker left no image for is
// dropped from the record rather than failing the document.
func (a *Archive) storeCrops(ctx context.Context, rec *Record, side string) error {
	for name, src := range rec.cropSrc {
		data, err := a.work.Get(ctx, src)
		if errors.Is(err, objstore.ErrNotExist) {
			delete(rec.Crops, name)
			continue
		}
		if err != nil {
			return err
		}
		o := rec.Crops[name]
		sum := sha256.Sum256(data)
		o.SHA256, o.Size = hex.EncodeToString(sum[:]), int64(len(data))
		if err := a.createUnnamed(ctx, o.Key, side, func() error {
			return a.store.Create(ctx, o.Key, data, "image/png")
		}); err != nil {
			return fmt.Errorf("archive: store crop %s of %s: %w", name, rec.ID, err)
		}
		rec.Crops[name] = o
	}
	if len(rec.Crops) == 0 {
		rec.Crops = nil
	}
	return nil
}

// Crop returns the PNG of the crop called name (docmeta.CropNumber,
// docmeta.CropDate) of document id's current version. Errors: ErrNotFound,
// ErrNoCrop.
func (a *Archive) Crop(ctx context.Context, id, name string) ([]byte, error) {
	rec, err := a.Record(ctx, id)
	if err != nil {
		return nil, err
	}
	o, ok := rec.Crops[name]
	if !ok {
		return nil, ErrNoCrop
	}
	data, err := a.store.Get(ctx, o.Key)
	if errors.Is(err, objstore.ErrNotExist) {
		return nil, ErrNoCrop
	}
	return data, err
}
