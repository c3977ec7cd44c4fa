#!/usr/bin/env bash
# Reproduces the "Server" section of BENCHMARKS.md. Run it on an otherwise idle machine:
#   bash crates/loadgen/bench.sh [postgres://postgres@127.0.0.1:5432/test] > server-bench.txt
# Every run starts its own server (and ceiling) on a fresh database and stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
PG=${1:-postgres://postgres@127.0.0.1:5432/test}
DURATION=${DURATION:-10s}
cargo build -q --release -p amplifybackend-cli -p loadgen
BIN=target/release/amplifybackend
LG=target/release/loadgen

echo "## machine"
echo "nproc: $(nproc); $(grep -m1 'model name' /proc/cpuinfo)"
echo "date: $(date -u); load: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "## 1. throughput against the ceilings (SQLite and PostgreSQL; c=16 and c=64; 3 rounds of ${ROUND:-2s} a side), three runs in a row"
echo "### local-development mode (no signature checked, as in the ceiling)"
for run in 1 2 3; do
  echo "#### run $run"
  $LG compare --server $BIN --postgres "$PG" --concurrency 16,64 --duration "${ROUND:-2s}" --rounds 3 --heavy --verify false
done
echo "### with --credentials (every signature verified)"
$LG compare --server $BIN --postgres "$PG" --concurrency 16,64 --duration "${ROUND:-2s}" --rounds 3 --verify true

echo "## 1b. request threads: 1 vs 2 on GetBackend, reads, writes and the mix (SQLite; c=16)"
$LG threads --server $BIN --worker-threads 1,2 --mix get-backend,read,write,mixed --concurrency 16 --duration "${ROUND:-2s}" --rounds 3 --verify false

echo "## 2. the named mixes at c=16 (SQLite)"
for mix in read write mixed; do
  $LG --spawn $BIN --mix $mix --concurrency 16 --duration "$DURATION"
done

echo "## 3. memory: idle, then after a 1-minute mixed load at c=16 (SQLite)"
$LG --spawn $BIN --mix mixed --concurrency 16 --duration 60s

echo "## 4. start to healthy"
$LG startup --server $BIN --repeat 5
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
$LG seed --database-url "sqlite://$TMP/apps.db" --apps 100000
$LG startup --server $BIN --database-url "sqlite://$TMP/apps.db" --repeat 5
$LG startup --server $BIN --database-url "$PG?schema=loadgen_startup" --repeat 5

echo "## 5. scale: GetBackend and ListBackendJobs with N jobs in one environment (SQLite, c=16)"
for n in 10 10000 1000000; do
  db="sqlite://$TMP/jobs-$n.db"
  $LG seed --database-url "$db" --jobs $n --app-id scale
  for mix in get-backend list-jobs; do
    $LG --spawn $BIN --database-url "$db" --app-id scale --mix $mix --concurrency 16 --duration 5s
  done
done
