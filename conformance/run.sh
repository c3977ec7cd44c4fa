#!/usr/bin/env bash
# Conformance suite: drives the built `amplifybackend` binary with clients we did
# not write (boto3, aioboto3). Usage: bash conformance/run.sh [extra pytest args]
#
#   AMPLIFYBACKEND_BIN  the server binary (default: <repo>/target/release/amplifybackend,
#                       built with `cargo build --release -p amplifybackend-cli` if missing)
#   PYTHON              the interpreter used to create the venv (default: python3)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENV="$HERE/.venv"
REQS="$HERE/requirements.txt"
PYTHON="${PYTHON:-python3}"

# --- Python environment -------------------------------------------------------
stamp_of() { { cat "$REQS"; "$1" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1; }

venv_ok() {
    [ -x "$VENV/bin/python" ] || return 1
    [ -f "$VENV/.requirements.sha256" ] || return 1
    [ "$(cat "$VENV/.requirements.sha256")" = "$(stamp_of "$VENV/bin/python")" ] || return 1
    "$VENV/bin/python" -c 'import boto3, aioboto3, awscli, pytest, pytest_asyncio' 2>/dev/null
}

if ! venv_ok; then
    echo "conformance: setting up $VENV" >&2
    if [ ! -x "$VENV/bin/python" ]; then
        rm -rf "$VENV"
        "$PYTHON" -m venv "$VENV" || {
            echo "conformance: '$PYTHON -m venv' failed (on Debian: apt-get install python3-venv)" >&2
            exit 1
        }
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2 || true
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQS" >&2
    stamp_of "$VENV/bin/python" > "$VENV/.requirements.sha256"
fi

# --- the server binary ----------------------------------------------------------
if [ -n "${AMPLIFYBACKEND_BIN:-}" ]; then
    BIN="$AMPLIFYBACKEND_BIN"
else
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/amplifybackend"
    case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
    if [ ! -x "$BIN" ]; then
        echo "conformance: $BIN missing, building it" >&2
        (cd "$ROOT" && cargo build --release -p amplifybackend-cli) >&2
    fi
fi
if [ ! -x "$BIN" ]; then
    echo "conformance: server binary not found at $BIN" >&2
    exit 1
fi
export AMPLIFYBACKEND_BIN="$BIN"

# --- run ------------------------------------------------------------------------
export PYTHONDONTWRITEBYTECODE=1
cd "$HERE"
exec "$VENV/bin/python" -m pytest tests -q "$@"
