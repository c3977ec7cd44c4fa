#!/usr/bin/env bash
# The Studio console's CI: lint, typecheck, unit tests, the committed build checked
# against a fresh one, then the end-to-end run in Chromium against the real binary.
#
#   AMPLIFYBACKEND_BIN  the server binary (default: <repo>/target/debug/amplifybackend,
#                       built first with `cargo build -p amplifybackend-cli`)
#   CHROMIUM            the browser (default: /usr/bin/chromium, installed with apt when missing)
#   PYTHON              the interpreter that creates console/.venv, boto3 for the end-to-end
#                       tests (default: python3); reused while e2e/requirements.txt is unchanged
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$HERE"

step() { printf '\n== console: %s\n' "$*" >&2; }

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
    step "installing chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
export CHROMIUM

step "npm ci"
npm ci --no-audit --no-fund --loglevel=error

step "lint (ESLint)"
npx eslint .

step "typecheck (tsc, strict)"
npx tsc --noEmit

step "build, compared with the committed console/dist"
npx vite build --logLevel warn
if [ -n "$(git -C "$ROOT" status --porcelain -- console/dist)" ]; then
    echo "console/dist differs from a fresh build of console/src: run 'npm run build' in console/ and commit console/dist" >&2
    git -C "$ROOT" status --porcelain -- console/dist >&2
    exit 1
fi

step "unit tests (Vitest)"
npx vitest run

if [ -z "${AMPLIFYBACKEND_BIN:-}" ]; then
    # Built (or found up to date) here, so it embeds the console just checked.
    step "cargo build -p amplifybackend-cli"
    (cd "$ROOT" && cargo build -p amplifybackend-cli)
    AMPLIFYBACKEND_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/amplifybackend"
fi
export AMPLIFYBACKEND_BIN

# boto3 plays a client we did not write in the end-to-end tests (e2e/boto3_client.py).
VENV="$HERE/.venv"
REQS="$HERE/e2e/requirements.txt"
PYTHON="${PYTHON:-python3}"
stamp_of() { { cat "$REQS"; "$1" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1; }
venv_ok() {
    [ -x "$VENV/bin/python" ] && [ -f "$VENV/.requirements.sha256" ] || return 1
    [ "$(cat "$VENV/.requirements.sha256")" = "$(stamp_of "$VENV/bin/python")" ] || return 1
    "$VENV/bin/python" -c 'import boto3' 2>/dev/null
}
if ! venv_ok; then
    step "boto3 in $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV" || {
        echo "console: '$PYTHON -m venv' failed (on Debian: apt-get install python3-venv)" >&2
        exit 1
    }
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQS"
    stamp_of "$VENV/bin/python" > "$VENV/.requirements.sha256"
fi

step "end to end (Playwright in Chromium, against $AMPLIFYBACKEND_BIN)"
npx vitest run --config e2e/vitest.config.ts
