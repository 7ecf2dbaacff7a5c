#!/bin/sh
# Make sohoa's buckets and one MinIO user per role, each with only what its
# stage needs (README: Quyền tối thiểu). Run once, as MinIO's administrator:
#   mc alias set sohoa https://s3.example.org ADMIN_KEY ADMIN_SECRET
#   sh deploy/s3/setup-minio.sh sohoa
# It prints nothing secret: it reads each role's secret key from
# /etc/sohoa/secrets/s3-<role> (make them with: openssl rand -hex 24).
set -eu
alias=${1:?usage: setup-minio.sh MC_ALIAS}
here=$(dirname "$0")
secrets=${SOHOA_SECRETS:-/etc/sohoa/secrets}

# The archive bucket with versioning and Object Lock (only possible when the
# bucket is made): an object, once written, keeps every version, and no
# version can be deleted before its retention ends, even by a stolen key.
mc mb --ignore-existing --with-lock "$alias/sohoa-archive"
mc version enable "$alias/sohoa-archive"
# Default retention: choose the office's rule. COMPLIANCE cannot be lifted
# by anyone, the administrator included; GOVERNANCE can, by an administrator.
mc retention set --default GOVERNANCE 10y "$alias/sohoa-archive"
mc mb --ignore-existing "$alias/sohoa-work"

for role in ingest worker archive; do
	mc admin user add "$alias" "sohoa-$role" "$(cat "$secrets/s3-$role")"
	mc admin policy create "$alias" "sohoa-$role" "$here/minio/sohoa-$role.json"
	mc admin policy attach "$alias" "sohoa-$role" --user "sohoa-$role"
done
mc admin user list "$alias"
