package archive

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/sohoa/sohoa/archive/index"
)

// ErrBadBag: a hand-over package is not a bag ExportDossier writes, or
// fails its checksums (the error says which file).
var ErrBadBag = errors.New("archive: not a valid hand-over package")

// maxBagFile bounds one file read from a bag (a PDF/A or original): a
// package is checked before anything of it is stored, in memory.
const maxBagFile = 2 << 30

// ImportDossier takes a hand-over package (ExportDossier's zip, read from
// r of size bytes) into the archive bucket st and its index ix. Every
// payload file's SHA-256 is checked against the manifest, the manifest's
// against the tag manifest, and Payload-Oxum against the payload, before
// anything is stored; a package that fails any check is refused whole
// (ErrBadBag). Each document is stored under the keys its record names,
// create-only — the same bytes already there are the same document
// imported before, so importing again is safe; other bytes are refused
// (objstore.ErrExists) — its record last, then indexed; then the hồ sơ.
// The crops of the documents' blanks are not in a package. It returns the hồ sơ and how
// many documents it holds.
func ImportDossier(ctx context.Context, st Bucket, ix *index.Index, r io.ReaderAt, size int64) (*Dossier, int, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %v", ErrBadBag, err)
	}
	files := map[string]*zip.File{}
	root := ""
	for _, f := range zr.File {
		dir, name, ok := strings.Cut(f.Name, "/")
		if !ok || name == "" || strings.HasSuffix(name, "/") {
			continue
		}
		if root == "" {
			root = dir
		}
		if dir != root || path.Clean(name) != name || strings.HasPrefix(name, "../") {
			return nil, 0, fmt.Errorf("%w: %q is outside the bag's folder %q", ErrBadBag, f.Name, root)
		}
		files[name] = f
	}
	read := func(name string) ([]byte, error) {
		f, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("%w: no %s", ErrBadBag, name)
		}
		if f.UncompressedSize64 > maxBagFile {
			return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrBadBag, name, int64(maxBagFile))
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrBadBag, name, err)
		}
		defer rc.Close()
		data, err := io.ReadAll(io.LimitReader(rc, maxBagFile+1))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrBadBag, name, err)
		}
		return data, nil
	}
	if b, err := read("bagit.txt"); err != nil || !bytes.HasPrefix(b, []byte("BagIt-Version: 1.")) {
		return nil, 0, fmt.Errorf("%w: bagit.txt does not say BagIt-Version 1.x (%v)", ErrBadBag, err)
	}
	// The tag manifest, then the manifest, then every payload file.
	tags, err := read("tagmanifest-sha256.txt")
	if err != nil {
		return nil, 0, err
	}
	tagSums, err := parseManifest(tags)
	if err != nil {
		return nil, 0, err
	}
	for name, sum := range tagSums {
		data, err := read(name)
		if err != nil {
			return nil, 0, err
		}
		if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != sum {
			return nil, 0, fmt.Errorf("%w: %s does not match its checksum in tagmanifest-sha256.txt", ErrBadBag, name)
		}
	}
	if _, ok := tagSums["manifest-sha256.txt"]; !ok {
		return nil, 0, fmt.Errorf("%w: the tag manifest does not cover manifest-sha256.txt", ErrBadBag)
	}
	man, err := read("manifest-sha256.txt")
	if err != nil {
		return nil, 0, err
	}
	sums, err := parseManifest(man)
	if err != nil {
		return nil, 0, err
	}
	payload := map[string][]byte{}
	var octets int64
	for name, sum := range sums {
		data, err := read(name)
		if err != nil {
			return nil, 0, err
		}
		if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != sum {
			return nil, 0, fmt.Errorf("%w: %s does not match its checksum in the manifest", ErrBadBag, name)
		}
		payload[name] = data
		octets += int64(len(data))
	}
	for name := range files {
		if strings.HasPrefix(name, "data/") && sums[name] == "" {
			return nil, 0, fmt.Errorf("%w: %s is not in the manifest", ErrBadBag, name)
		}
	}
	if info, err := read("bag-info.txt"); err == nil {
		if oxum := bagInfo(info, "Payload-Oxum"); oxum != "" && oxum != fmt.Sprintf("%d.%d", octets, len(payload)) {
			return nil, 0, fmt.Errorf("%w: Payload-Oxum %s, the payload is %d bytes in %d files", ErrBadBag, oxum, octets, len(payload))
		}
	}

	var d Dossier
	if err := json.Unmarshal(payload["data/ho-so.json"], &d); err != nil || d.Schema != DossierSchema || !isHexID(d.ID) {
		return nil, 0, fmt.Errorf("%w: data/ho-so.json is not a hồ sơ (%v)", ErrBadBag, err)
	}
	// The documents: each directory's record names the keys of its PDF
	// and original, which the bag holds as <id>.pdf and <id>.original.*.
	recs := map[string]*Record{}
	raw := map[string][]byte{}
	for name, data := range payload {
		if !strings.HasPrefix(name, "data/van-ban/") || !strings.HasSuffix(name, ".json") {
			continue
		}
		var rec Record
		if err := json.Unmarshal(data, &rec); err != nil || rec.Schema != SchemaVersion || rec.ID == "" || path.Base(name) != rec.ID+".json" {
			return nil, 0, fmt.Errorf("%w: %s is not a document's record (%v)", ErrBadBag, name, err)
		}
		recs[path.Dir(name)], raw[path.Dir(name)] = &rec, data
	}
	n := 0
	for dir, rec := range recs {
		pdf, ok := payload[dir+"/"+rec.ID+".pdf"]
		if !ok {
			return nil, 0, fmt.Errorf("%w: no PDF of %s in %s", ErrBadBag, rec.ID, dir)
		}
		if got := sha256.Sum256(pdf); hex.EncodeToString(got[:]) != rec.PDF.SHA256 {
			return nil, 0, fmt.Errorf("%w: the PDF in %s is not the one its record names", ErrBadBag, dir)
		}
		if err := st.Create(ctx, rec.PDF.Key, pdf, "application/pdf"); err != nil {
			return nil, 0, fmt.Errorf("archive: import %s: %w", rec.PDF.Key, err)
		}
		if orig, ok := payload[dir+"/"+rec.ID+".original."+sourceExt(rec.Source.Format)]; ok && rec.Source.Key != "" {
			if err := st.Create(ctx, rec.Source.Key, orig, contentTypeOf(rec.Source.Format)); err != nil {
				return nil, 0, fmt.Errorf("archive: import %s: %w", rec.Source.Key, err)
			}
		}
		// The record as the bag holds it, last: the commit point, as when
		// the document was archived.
		if err := st.Create(ctx, SidecarKey(rec.PDF.Key), raw[dir], "application/json; charset=utf-8"); err != nil {
			return nil, 0, fmt.Errorf("archive: import the record of %s: %w", rec.ID, err)
		}
		if err := ix.Put(rec.IndexDoc()); err != nil {
			return nil, 0, err
		}
		n++
	}
	if err := st.Create(ctx, DossierKey(d.ID, d.Version), payload["data/ho-so.json"], "application/json; charset=utf-8"); err != nil {
		return nil, 0, fmt.Errorf("archive: import the hồ sơ %s: %w", d.Code, err)
	}
	return &d, n, nil
}

// parseManifest reads a BagIt manifest: "checksum  path" per line.
func parseManifest(data []byte) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			continue
		}
		sum, name, ok := strings.Cut(line, " ")
		name = strings.TrimLeft(name, " *")
		if _, err := hex.DecodeString(sum); !ok || err != nil || len(sum) != 64 || name == "" || path.Clean(name) != name || strings.HasPrefix(name, "../") {
			return nil, fmt.Errorf("%w: manifest line %q", ErrBadBag, line)
		}
		out[name] = strings.ToLower(sum)
	}
	return out, sc.Err()
}

// bagInfo is the value of key in bag-info.txt.
func bagInfo(info []byte, key string) string {
	for _, l := range strings.Split(string(info), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(strings.TrimSpace(k), key) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
