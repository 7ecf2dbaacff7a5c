// Package objstore is sohoa's one door to S3-compatible object storage. Every
// stage talks to storage through a Bucket, which speaks the S3 protocol with
// minio-go, exactly as it would to MinIO, Ceph RGW, Garage, versitygw or AWS;
// the embedded endpoint that `sohoa serve` runs (package s3d) is reached the
// same way.
//
// Two buckets are used: the archive bucket, the source of truth that holds
// each document's PDF and JSON sidecar, and the work bucket, which holds the
// claim-checks of documents still in the pipeline (page images, OCR results)
// and is emptied of a document once it is retired.
//
// The archive bucket is never overwritten: everything in it is written with
// Create or CreateFrom, S3 conditional puts (If-None-Match: *) that the
// service refuses when an object is at the key, and that take the same bytes
// already there as written (a retry whose answer was lost). CheckCreateOnly
// proves at start that the service honours them; Protection reports what it
// adds (versioning, Object Lock). Put, which replaces, is for the work bucket.
//
// minio-go errors are translated where they enter: callers test
// errors.Is(err, ErrNotExist) or errors.Is(err, ErrExists), never an S3 code.
package objstore
