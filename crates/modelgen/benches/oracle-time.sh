#!/usr/bin/env bash
# Times the oracle on the schemas `cargo bench -p amplifybackend-modelgen` wrote to
# target/modelgen-bench/ (run the bench first). Installs the oracle into a temp dir.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="$here/../../../target/modelgen-bench"
oracle="${ORACLE_DIR:-/work/shared/oracles/modelgen}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp -r "$oracle" "$tmp/oracle"
cp "$here/oracle-time.js" "$tmp/oracle/"
(cd "$tmp/oracle" && npm install --silent --no-audit --no-fund >/dev/null)
cd "$tmp/oracle" && node oracle-time.js "$dir/small.graphql" "$dir/medium.graphql" "$dir/large.graphql"
