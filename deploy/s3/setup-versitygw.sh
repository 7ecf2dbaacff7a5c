#!/bin/sh
# Make sohoa's buckets and one versitygw account per role (README: Quyền tối
# thiểu). versitygw must run with its accounts, e.g.
#   versitygw --access ROOT_KEY --secret ROOT_SECRET --admin-port 127.0.0.1:7071 \
#             --iam-dir /var/lib/versitygw/iam posix --sidecar /srv/s3meta /srv/s3
# Accounts of role "user" reach a bucket they do not own only as its bucket
# policy allows; the buckets stay the root account's. Run once with the root
# keys in ROOT_KEY and ROOT_SECRET, the S3 URL in S3 and the admin URL in
# ADMIN; each role's secret key is read from /etc/sohoa/secrets/s3-<role>.
# Needs the aws command (Debian: apt install awscli).
# objstore/policy_test.go applies the same policy files and checks them.
set -eu
here=$(dirname "$0")
secrets=${SOHOA_SECRETS:-/etc/sohoa/secrets}
: "${ROOT_KEY:?}" "${ROOT_SECRET:?}" "${S3:?}" "${ADMIN:?}"
export AWS_ACCESS_KEY_ID="$ROOT_KEY" AWS_SECRET_ACCESS_KEY="$ROOT_SECRET" AWS_DEFAULT_REGION=us-east-1

for role in ingest worker archive; do
	versitygw admin --access "$ROOT_KEY" --secret "$ROOT_SECRET" --endpoint-url "$ADMIN" \
		create-user --access "sohoa-$role" --secret "$(cat "$secrets/s3-$role")" --role user
done
for bucket in sohoa-work sohoa-archive; do
	aws --endpoint-url "$S3" s3api create-bucket --bucket "$bucket" 2>/dev/null || true
	aws --endpoint-url "$S3" s3api put-bucket-policy --bucket "$bucket" --policy "file://$here/versitygw/$bucket.policy.json"
done
