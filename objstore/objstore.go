package objstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Errors callers can test for with errors.Is.
var (
	// ErrNotExist: the object (or bucket) does not exist.
	ErrNotExist = errors.New("object does not exist")
	// ErrExists: a create-only put found an object already at the key.
	ErrExists = errors.New("object already exists")
	// ErrDenied: the credentials were refused. Retrying will not help.
	ErrDenied = errors.New("access denied")
)

// Config says where a bucket is and how to reach it.
type Config struct {
	// Endpoint is the service URL, e.g. "http://127.0.0.1:7070" or
	// "https://s3.example.org". The scheme decides TLS.
	Endpoint  string
	AccessKey string
	SecretKey string
	Region    string // default "us-east-1"
	Bucket    string
}

func (c *Config) ensureDefaults() {
	if c.Region == "" {
		c.Region = "us-east-1"
	}
}

func (c *Config) validate() error {
	if c.Endpoint == "" {
		return errors.New("objstore: no endpoint")
	}
	if c.Bucket == "" {
		return errors.New("objstore: no bucket name")
	}
	return nil
}

// Bucket is one bucket of an S3 service. It is safe for concurrent use.
type Bucket struct {
	client *minio.Client
	name   string
}

// Open connects to the bucket named in cfg, creating it if it does not exist.
func Open(ctx context.Context, cfg Config) (*Bucket, error) {
	cfg.ensureDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("objstore: endpoint %q is not an http:// or https:// URL", cfg.Endpoint)
	}
	client, err := minio.New(u.Host, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       u.Scheme == "https",
		Region:       cfg.Region,
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		return nil, fmt.Errorf("objstore: %w", err)
	}
	b := &Bucket{client: client, name: cfg.Bucket}
	if err := b.ensure(ctx, cfg.Region); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *Bucket) ensure(ctx context.Context, region string) error {
	ok, err := b.client.BucketExists(ctx, b.name)
	if err != nil {
		return fmt.Errorf("objstore: bucket %s: %w", b.name, translate(err))
	}
	if ok {
		return nil
	}
	err = b.client.MakeBucket(ctx, b.name, minio.MakeBucketOptions{Region: region})
	if err != nil {
		code := minio.ToErrorResponse(err).Code
		if code == "BucketAlreadyOwnedByYou" || code == "BucketAlreadyExists" {
			return nil
		}
		return fmt.Errorf("objstore: create bucket %s: %w", b.name, translate(err))
	}
	return nil
}

// Name is the bucket's name.
func (b *Bucket) Name() string { return b.name }

// Put stores data at key, replacing what was there.
func (b *Bucket) Put(ctx context.Context, key string, data []byte, contentType string) error {
	return b.put(ctx, key, data, contentType)
}

// Create stores data at key only if no object is there yet (S3's
// conditional write, If-None-Match: *). An object already there with
// exactly these bytes is taken as written: it is what an earlier try of
// this very create left when its answer was lost (minio-go retries a put
// whose response did not come, and the retry then meets the object), so a
// repeated Create is safe. An object with other bytes is left alone and
// Create returns an error that matches ErrExists.
func (b *Bucket) Create(ctx context.Context, key string, data []byte, contentType string) error {
	sum := sha256.Sum256(data)
	return b.CreateFrom(ctx, key, bytes.NewReader(data), int64(len(data)), sum, contentType)
}

// CreateFrom is Create with the bytes read from r (size bytes, whose
// SHA-256 is sum), for objects too large to hold in memory, such as an
// original scan streamed from the work bucket. r is read once; an object
// found at key is compared with sum by reading it back.
func (b *Bucket) CreateFrom(ctx context.Context, key string, r io.Reader, size int64, sum [sha256.Size]byte, contentType string) error {
	opts := minio.PutObjectOptions{ContentType: contentType, DisableMultipart: true}
	opts.SetMatchETagExcept("*")
	_, err := b.client.PutObject(ctx, b.name, key, r, size, opts)
	if err == nil {
		return nil
	}
	err = fmt.Errorf("objstore: create %s: %w", key, translate(err))
	if !errors.Is(err, ErrExists) {
		return err
	}
	there, herr := b.hash(ctx, key)
	if herr != nil {
		return fmt.Errorf("%w (and reading it back to compare: %v)", err, herr)
	}
	if there == sum {
		return nil
	}
	return err
}

// hash is the SHA-256 of the object at key, read through.
func (b *Bucket) hash(ctx context.Context, key string) ([sha256.Size]byte, error) {
	rc, _, err := b.Open(ctx, key)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return [sha256.Size]byte{}, fmt.Errorf("objstore: get %s: %w", key, translate(err))
	}
	return [sha256.Size]byte(h.Sum(nil)), nil
}

func (b *Bucket) put(ctx context.Context, key string, data []byte, contentType string) error {
	opts := minio.PutObjectOptions{ContentType: contentType, DisableMultipart: true}
	_, err := b.client.PutObject(ctx, b.name, key, bytes.NewReader(data), int64(len(data)), opts)
	if err != nil {
		return fmt.Errorf("objstore: put %s: %w", key, translate(err))
	}
	return nil
}

// CopyFrom copies the object at srcKey in bucket src to key in b, on the
// server (both buckets must be on the same service). It replaces what was
// at key.
func (b *Bucket) CopyFrom(ctx context.Context, src *Bucket, srcKey, key string) error {
	_, err := b.client.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: b.name, Object: key},
		minio.CopySrcOptions{Bucket: src.name, Object: srcKey})
	if err != nil {
		return fmt.Errorf("objstore: copy %s/%s to %s: %w", src.name, srcKey, key, translate(err))
	}
	return nil
}

// Get reads the whole object at key.
func (b *Bucket) Get(ctx context.Context, key string) ([]byte, error) {
	rc, _, err := b.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("objstore: get %s: %w", key, translate(err))
	}
	return data, nil
}

// Open returns a reader of the object at key and its size. The caller closes it.
func (b *Bucket) Open(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	obj, err := b.client.GetObject(ctx, b.name, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, Info{}, fmt.Errorf("objstore: get %s: %w", key, translate(err))
	}
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		return nil, Info{}, fmt.Errorf("objstore: get %s: %w", key, translate(err))
	}
	return obj, infoOf(st), nil
}

// Info describes a stored object.
type Info struct {
	Key         string
	Size        int64
	ContentType string
	Modified    time.Time
}

func infoOf(o minio.ObjectInfo) Info {
	return Info{Key: o.Key, Size: o.Size, ContentType: o.ContentType, Modified: o.LastModified}
}

// Stat describes the object at key.
func (b *Bucket) Stat(ctx context.Context, key string) (Info, error) {
	st, err := b.client.StatObject(ctx, b.name, key, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, fmt.Errorf("objstore: stat %s: %w", key, translate(err))
	}
	return infoOf(st), nil
}

// Exists reports whether an object is at key.
func (b *Bucket) Exists(ctx context.Context, key string) (bool, error) {
	_, err := b.Stat(ctx, key)
	if errors.Is(err, ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Delete removes the object at key. Removing a missing object is not an error.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	err := b.client.RemoveObject(ctx, b.name, key, minio.RemoveObjectOptions{})
	if err != nil && !errors.Is(translate(err), ErrNotExist) {
		return fmt.Errorf("objstore: delete %s: %w", key, translate(err))
	}
	return nil
}

// List yields the objects whose keys start with prefix, in key order.
func (b *Bucket) List(ctx context.Context, prefix string) iter.Seq2[Info, error] {
	return func(yield func(Info, error) bool) {
		for o := range b.client.ListObjectsIter(ctx, b.name, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
			if o.Err != nil {
				yield(Info{}, fmt.Errorf("objstore: list %s: %w", prefix, translate(o.Err)))
				return
			}
			if !yield(infoOf(o), nil) {
				return
			}
		}
	}
}

// DeletePrefix removes every object whose key starts with prefix.
func (b *Bucket) DeletePrefix(ctx context.Context, prefix string) error {
	if prefix == "" || !strings.HasSuffix(prefix, "/") {
		return fmt.Errorf("objstore: refusing to delete by prefix %q: it must name a folder", prefix)
	}
	for o, err := range b.List(ctx, prefix) {
		if err != nil {
			return err
		}
		if err := b.Delete(ctx, o.Key); err != nil {
			return err
		}
	}
	return nil
}

// translate maps minio-go errors onto this package's sentinels, keeping the
// original text for the message.
func translate(err error) error {
	resp := minio.ToErrorResponse(err)
	switch {
	case resp.Code == minio.NoSuchKey || resp.Code == minio.NoSuchBucket || resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("%w: %s", ErrNotExist, describe(resp, err))
	case resp.StatusCode == http.StatusPreconditionFailed || resp.Code == "PreconditionFailed":
		return fmt.Errorf("%w: %s", ErrExists, describe(resp, err))
	case resp.StatusCode == http.StatusForbidden || resp.Code == "AccessDenied" ||
		resp.Code == "InvalidAccessKeyId" || resp.Code == "SignatureDoesNotMatch":
		return fmt.Errorf("%w: %s", ErrDenied, describe(resp, err))
	}
	return err
}

func describe(resp minio.ErrorResponse, err error) string {
	if resp.Message != "" {
		return resp.Message
	}
	return err.Error()
}

// ErrNoConditionalWrites: the service stored a create-only put over an
// object already there. sohoa's archive is never overwritten only because
// the service refuses such puts, so a service that does not must not be
// used for it (see CheckCreateOnly).
var ErrNoConditionalWrites = errors.New("the S3 service does not honour conditional writes (If-None-Match: *)")

// probePrefix holds the objects CheckCreateOnly writes.
const probePrefix = "_sohoa/probe/"

// CheckCreateOnly proves that the service refuses to overwrite: it creates
// a probe object under _sohoa/probe/, then creates the same key again with
// other bytes, which must fail with 412 Precondition Failed (or 409
// Conflict). It returns an error matching ErrNoConditionalWrites when the
// second create was stored, or whatever else stopped the check. The probe
// is deleted afterwards where the credentials may delete; where they may
// not (an archive role that may only put), one small object per start is
// left under _sohoa/probe/.
func (b *Bucket) CheckCreateOnly(ctx context.Context) error {
	key := fmt.Sprintf("%s%s-%d", probePrefix, time.Now().UTC().Format("20060102T150405.000000000Z"), os.Getpid())
	if err := b.Create(ctx, key, []byte("first"), "text/plain"); err != nil {
		return fmt.Errorf("objstore: check of conditional writes on bucket %s: %w", b.name, err)
	}
	defer func() { _ = b.Delete(context.WithoutCancel(ctx), key) }()
	opts := minio.PutObjectOptions{ContentType: "text/plain", DisableMultipart: true}
	opts.SetMatchETagExcept("*")
	second := []byte("second")
	_, err := b.client.PutObject(ctx, b.name, key, bytes.NewReader(second), int64(len(second)), opts)
	resp := minio.ToErrorResponse(err)
	switch {
	case err == nil:
		return fmt.Errorf("objstore: bucket %s: %w: a second create of %s was stored", b.name, ErrNoConditionalWrites, key)
	case resp.StatusCode == http.StatusPreconditionFailed || resp.StatusCode == http.StatusConflict ||
		resp.Code == "PreconditionFailed" || resp.Code == "ConditionalRequestConflict":
		got, gerr := b.Get(ctx, key)
		if gerr != nil {
			return fmt.Errorf("objstore: check of conditional writes on bucket %s: %w", b.name, gerr)
		}
		if string(got) != "first" {
			return fmt.Errorf("objstore: bucket %s: %w: the refused create replaced %s all the same", b.name, ErrNoConditionalWrites, key)
		}
		return nil
	}
	return fmt.Errorf("objstore: check of conditional writes on bucket %s: %w", b.name, translate(err))
}

// Protection is what the service itself does to keep the bucket's objects:
// versioning (a delete or overwrite keeps the old version) and Object Lock
// (no version can be deleted before its retention ends).
type Protection struct {
	// Versioning is "Enabled", "Suspended", "Off" (never enabled), or
	// "unsupported" (the service does not implement it, as versitygw
	// without --versioning-dir).
	Versioning string
	// ObjectLock tells whether the bucket was created with Object Lock;
	// Mode ("GOVERNANCE" or "COMPLIANCE") and Retention ("3650 DAYS") are
	// its default retention, empty when none is set.
	ObjectLock      bool
	Mode, Retention string
}

// Protection reads the bucket's versioning and Object Lock configuration.
func (b *Bucket) Protection(ctx context.Context) (Protection, error) {
	var p Protection
	v, err := b.client.GetBucketVersioning(ctx, b.name)
	switch {
	case err == nil && v.Status == "":
		p.Versioning = "Off"
	case err == nil:
		p.Versioning = v.Status
	case unsupported(err):
		p.Versioning = "unsupported"
	default:
		return p, fmt.Errorf("objstore: versioning of bucket %s: %w", b.name, translate(err))
	}
	lock, mode, validity, unit, err := b.client.GetObjectLockConfig(ctx, b.name)
	switch {
	case err == nil:
		p.ObjectLock = lock == "Enabled"
		if mode != nil {
			p.Mode = string(*mode)
		}
		if validity != nil && unit != nil {
			p.Retention = fmt.Sprintf("%d %s", *validity, *unit)
		}
	case unsupported(err) || minio.ToErrorResponse(err).Code == "ObjectLockConfigurationNotFoundError":
	default:
		return p, fmt.Errorf("objstore: object lock of bucket %s: %w", b.name, translate(err))
	}
	return p, nil
}

// unsupported tells an error that says the service does not implement a
// request (versitygw answers NotImplemented for what its backend lacks).
func unsupported(err error) bool {
	resp := minio.ToErrorResponse(err)
	return resp.StatusCode == http.StatusNotImplemented || resp.Code == "NotImplemented" ||
		resp.Code == "VersioningNotConfigured"
}

// Unchecked returns the bucket named in cfg without asking the service
// whether it exists: for tests of what credentials that may not see a
// bucket can do to it.
func Unchecked(cfg Config) *Bucket {
	cfg.ensureDefaults()
	u, _ := url.Parse(cfg.Endpoint)
	client, _ := minio.New(u.Host, &minio.Options{
		Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""), Secure: u.Scheme == "https",
		Region: cfg.Region, BucketLookup: minio.BucketLookupPath,
	})
	return &Bucket{client: client, name: cfg.Bucket}
}

// SetPolicy gives the bucket a bucket policy (JSON, as deploy/s3 ships).
func (b *Bucket) SetPolicy(ctx context.Context, policy string) error {
	if err := b.client.SetBucketPolicy(ctx, b.name, policy); err != nil {
		return fmt.Errorf("objstore: policy of bucket %s: %w", b.name, translate(err))
	}
	return nil
}
