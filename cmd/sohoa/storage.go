package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"

	"github.com/sohoa/sohoa/objstore"
)

// guardArchive is the start-up check of a process that writes the archive
// bucket: the S3 service must refuse a second create of a key (the archive
// is never overwritten only because it does), or the process does not
// start. It then reports the bucket's versioning and Object Lock, and
// warns when versioning is off where the service has it: the bucket's
// configuration is the S3 administrator's (deploy/s3/setup-minio.sh turns
// both on), not something a role's put-only account may change. The
// embedded endpoint of serve keeps no versions (back up DATA/s3): no
// warning there.
func guardArchive(ctx context.Context, b *objstore.Bucket, embedded bool, log *slog.Logger) error {
	if err := b.CheckCreateOnly(ctx); err != nil {
		if errors.Is(err, objstore.ErrNoConditionalWrites) {
			return fmt.Errorf("dịch vụ S3 không tôn trọng ghi có điều kiện (If-None-Match: *): "+
				"bản lưu trữ có thể bị ghi đè, nên sohoa không khởi động. Hãy dùng MinIO, Ceph RGW, versitygw hoặc AWS S3 đủ mới.\n"+
				"the S3 service does not honour conditional writes (If-None-Match: *): archive objects could be overwritten, "+
				"so sohoa refuses to start; use a service that does (MinIO, Ceph RGW, versitygw, AWS S3): %w", err)
		}
		return fmt.Errorf("kiểm tra ghi có điều kiện trên kho %s thất bại / checking conditional writes on bucket %s failed: %w", b.Name(), b.Name(), err)
	}
	p, err := b.Protection(ctx)
	if err != nil {
		log.Warn("the archive bucket's versioning and Object Lock could not be read", "bucket", b.Name(), "err", err)
		return nil
	}
	if (p.Versioning == "Off" || p.Versioning == "Suspended") && !embedded {
		// The bucket's configuration is the S3 administrator's (deploy/s3
		// sets it up); a role's account may not change it, and should not.
		log.Warn("the archive bucket keeps no versions: turn versioning on where the S3 service has it, e.g. mc version enable ALIAS/"+b.Name()+
			" (README: Không bao giờ ghi đè)", "bucket", b.Name(), "versioning", p.Versioning)
	}
	log.Info("archive bucket protection", "bucket", b.Name(), "create_only", true, "versioning", p.Versioning,
		"object_lock", p.ObjectLock, "lock_mode", p.Mode, "lock_retention", p.Retention)
	return nil
}

// secretEnv reads a secret from the environment: $NAME, or the contents of
// the file named by $NAME_FILE (systemd LoadCredential=, Docker secrets),
// without its trailing newline. Secrets never come from flags, which other
// users of the machine can read in ps, and are never logged.
func secretEnv(names ...string) (string, error) {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v, nil
		}
		if f := os.Getenv(n + "_FILE"); f != "" {
			data, err := os.ReadFile(f)
			if err != nil {
				return "", fmt.Errorf("%s_FILE: %w", n, err)
			}
			return strings.TrimRight(string(data), "\r\n"), nil
		}
	}
	return "", nil
}

// loopbackDefault puts an address without a host (":9101") on loopback:
// what is served unauthenticated is reachable from other machines only
// when the operator names an address for it ("0.0.0.0:9101", "10.0.0.5:9101").
func loopbackDefault(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host != "" {
		return addr
	}
	return net.JoinHostPort("127.0.0.1", port)
}
