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
// minio-go errors are translated where they enter: callers test
// errors.Is(err, ErrNotExist) or errors.Is(err, ErrExists), never an S3 code.
package objstore
