#!/usr/bin/env bash
# Two (or more) server binaries on one mix, alternating, each on a fresh database: how
# BENCHMARKS.md compares a change with the commit before it on a machine whose speed
# drifts (compare runs of the same round, never across sessions).
# Usage: bash crates/loadgen/ab.sh MIX CONCURRENCY DURATION BINARY...
#   PG=postgres://postgres@127.0.0.1:5432/test bash crates/loadgen/ab.sh ...  (on PostgreSQL)
#   ROUNDS=3 (default 2)
# Build each binary from its commit first (cargo build --release -p amplifybackend-cli, then
# copy target/release/amplifybackend aside); needs target/release/loadgen.
set -euo pipefail
cd "$(dirname "$0")/../.."
MIX=$1; C=$2; D=$3; shift 3
LG=target/release/loadgen
for round in $(seq "${ROUNDS:-2}"); do
  for bin in "$@"; do
    db=(); schema=ab_${RANDOM}${RANDOM}
    if [ -n "${PG:-}" ]; then db=(--database-url "$PG?schema=$schema"); fi
    printf '%s round %s: ' "$bin" "$round"
    # awk reads to the end: a reader that stops early would cut the tool's later output.
    $LG --spawn "$bin" "${db[@]}" --mix "$MIX" --concurrency "$C" --duration "$D" 2>&1 | awk '/ops\/s/ && !seen { print; seen = 1 }'
    if [ -n "${PG:-}" ]; then psql -q "$PG" -c "SET client_min_messages = warning; DROP SCHEMA $schema CASCADE"; fi
  done
done
