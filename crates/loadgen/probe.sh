#!/usr/bin/env bash
# Where a CreateBackend's cost goes, per request, read from /proc around one load run
# (BENCHMARKS.md, "CreateBackend on SQLite" and the PostgreSQL targets):
#   sqlite:   the writer thread's CPU (user, system), its write calls and bytes written,
#             and the whole server's CPU;
#   postgres: the CPU of every postgres process, and the server's.
# Usage: bash crates/loadgen/probe.sh sqlite|postgres [concurrency] [duration] [binary]
# Needs release builds (cargo build --release -p amplifybackend-cli -p loadgen); PostgreSQL
# as in CI (postgres://postgres@127.0.0.1:5432/test); the schema `probe` is recreated.
set -euo pipefail
cd "$(dirname "$0")/../.."
ENGINE=${1:-sqlite}; C=${2:-16}; D=${3:-5s}; BIN=${4:-target/release/amplifybackend}
LG=target/release/loadgen
PG=postgres://postgres@127.0.0.1:5432/test
ADDR=127.0.0.1:4798
TMP=$(mktemp -d)
case $ENGINE in
  sqlite) DB="sqlite://$TMP/db.sqlite" ;;
  postgres) psql -q "$PG" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS probe CASCADE"; DB="$PG?schema=probe" ;;
  *) echo "engine: sqlite or postgres" >&2; exit 2 ;;
esac
"$BIN" serve --listen $ADDR --database-url "$DB" >"$TMP/log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$TMP"' EXIT
sleep 0.5
# Thread names are cut to 15 characters: "amplifybackend-sqlite-writer" reads "amplifybackend-".
WRITER=$(for t in /proc/$SERVER/task/*; do [ "$(cat "$t/comm")" = "amplifybackend-" ] && basename "$t"; done || true)
ticks() { awk '{print $14 + $15}' "$1"; }
postgres_ticks() { for p in $(pgrep -x postgres); do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done | awk '{s += $1} END {print s + 0}'; }
snapshot() {
  echo "$(ticks /proc/$SERVER/stat) $(postgres_ticks)"
  if [ -n "$WRITER" ]; then
    awk '{print $14, $15}' "/proc/$SERVER/task/$WRITER/stat"
    awk '/^(wchar|syscw):/ {print $2}' "/proc/$SERVER/task/$WRITER/io" | paste -sd' '
  fi
}
# A short unmeasured run first, as loadgen's own warm-up does.
$LG --target "http://$ADDR" --mix create-backend --concurrency "$C" --duration 1s --warmup 0s >/dev/null
BEFORE=$(snapshot | paste -sd' ')
OUT=$($LG --target "http://$ADDR" --mix create-backend --concurrency "$C" --duration "$D" --warmup 0s 2>&1)
AFTER=$(snapshot | paste -sd' ')
echo "$OUT" | grep 'ops/s'
N=$(echo "$OUT" | grep -o '([0-9]* ok' | grep -o '[0-9]*')
HZ=$(getconf CLK_TCK)
python3 - "$N" "$HZ" "$ENGINE" $BEFORE -- $AFTER <<'PY'
import sys
n, hz, engine = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rest = sys.argv[4:]
cut = rest.index('--')
d = [int(b) - int(a) for a, b in zip(rest[:cut], rest[cut + 1:])]
us = lambda ticks: ticks / hz * 1e6 / n
print(f"server CPU {us(d[0]):.1f} µs per request")
if engine == "postgres":
    print(f"postgres CPU {us(d[1]):.1f} µs per request")
if len(d) >= 6:
    print(f"writer thread CPU {us(d[2] + d[3]):.1f} µs per request (user {us(d[2]):.1f}, system {us(d[3]):.1f}); "
          f"{d[5] / n:.1f} write calls and {d[4] / n / 1024:.1f} KiB written per request")
PY
