#!/usr/bin/env bash
# Regenerates every golden file with Amplify's own generator (the oracle in
# /work/shared/oracles/modelgen, or $ORACLE_DIR): installs it into a temporary
# directory (npm registry needed, ~180 MB), then writes
#   schemas/NAME.introspection.json + schemas/NAME.schema.js  for tests/schemas/*.graphql
#   errors/NAME.error.txt                                       for tests/errors/*.graphql
# A schema under schemas/ that the oracle rejects (or one under errors/ it accepts)
# is reported and makes the script fail.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
oracle="${ORACLE_DIR:-/work/shared/oracles/modelgen}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp -r "$oracle" "$tmp/oracle"
cp "$here/oracle-batch.js" "$tmp/oracle/"
(cd "$tmp/oracle" && npm install --silent --no-audit --no-fund >/dev/null)

rm -f "$here"/schemas/*.introspection.json "$here"/schemas/*.schema.js "$here"/schemas/*.error.txt "$here"/errors/*.error.txt
status=0
(cd "$tmp/oracle" && node oracle-batch.js "$here/schemas" "$here"/schemas/*.graphql) | grep -v '^ok ' || true
(cd "$tmp/oracle" && node oracle-batch.js "$here/errors" "$here"/errors/*.graphql) | grep -v '^error ' || true
for f in "$here"/schemas/*.error.txt; do
  [ -e "$f" ] || continue
  echo "rejected by the oracle, move it to errors/: $f" >&2; status=1
done
for f in "$here"/errors/*.introspection.json; do
  [ -e "$f" ] || continue
  echo "accepted by the oracle, move it to schemas/: $f" >&2; status=1
done
exit $status
