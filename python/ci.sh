#!/usr/bin/env bash
# The Python package's checks: build its wheel, install it into a fresh virtualenv with the
# clients people use (boto3, aiobotocore) and the tools, then ruff, mypy --strict and the
# pytest suite against the installed wheel (its own `amplifybackend` executable, not a
# cargo build). Usage: bash python/ci.sh [extra pytest args]
#
#   PYTHON          the interpreter of the virtualenv (default: python3)
#   WHEEL_PROFILE   cargo profile of the wheel's binary (default: dev, which reuses the
#                   debug build that `cargo build`/`cargo test` leave in target/; `release`
#                   is the published wheel, ~10 minutes of two cores)
#   PYTHON_OLDEST   an interpreter of the oldest Python the package supports (3.9), for a
#                   second virtualenv that runs the README's examples; found under pyenv
#                   when not given, skipped (and said so) when there is none
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"
WHEEL_PROFILE="${WHEEL_PROFILE:-dev}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/amplifybackend-python-ci.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

say() { echo "python/ci.sh: $*" >&2; }
pip_install() { "$1/bin/python" -m pip install --quiet --disable-pip-version-check "${@:2}"; }

# The tests must exercise the wheel's executable: a binary named by the caller's
# environment would hide a wheel without one.
unset AMPLIFYBACKEND_BIN
export PYTHONDONTWRITEBYTECODE=1

say "virtualenv with $("$PYTHON" --version 2>&1)"
"$PYTHON" -m venv "$WORK/venv"
pip_install "$WORK/venv" --upgrade pip
# The tools, the clients and the stubs mypy --strict needs for them.
pip_install "$WORK/venv" maturin aiobotocore boto3 pytest pytest-asyncio mypy ruff \
    types-aiobotocore types-aiobotocore-amplifybackend boto3-stubs mypy-boto3-amplifybackend \
    botocore-stubs

say "building the wheel (cargo profile $WHEEL_PROFILE)"
# maturin reads pyproject.toml from the working directory (its -m takes a Cargo.toml).
(cd "$HERE" && "$WORK/venv/bin/maturin" build --quiet --profile "$WHEEL_PROFILE" \
    -o "$WORK/dist") >&2
WHEEL="$(ls "$WORK"/dist/amplifybackend-*.whl)"
case "$(basename "$WHEEL")" in
    *-py3-none-manylinux_*.whl) ;;
    *) say "unexpected wheel tags: $(basename "$WHEEL")"; exit 1 ;;
esac
pip_install "$WORK/venv" "$WHEEL"

say "ruff"
(cd "$HERE" && "$WORK/venv/bin/ruff" check . && "$WORK/venv/bin/ruff" format --check .)
say "mypy --strict"
(cd "$HERE" && "$WORK/venv/bin/mypy" --strict)
# A user's typed code against the installed wheel (its py.typed), from outside the tree.
(cd "$WORK" && "$WORK/venv/bin/mypy" --strict "$HERE/tests/typing_usage.py")

say "pytest (the installed wheel)"
(cd "$HERE" && "$WORK/venv/bin/python" -m pytest tests -q -p no:cacheprovider "$@")

# The oldest supported Python runs the README's examples from the same wheel, with only
# what the README says to install.
OLDEST="${PYTHON_OLDEST:-}"
if [ -z "$OLDEST" ]; then
    if command -v python3.9 >/dev/null 2>&1 && python3.9 --version >/dev/null 2>&1; then
        OLDEST=python3.9
    elif command -v pyenv >/dev/null 2>&1; then
        OLDEST="$(ls -d "$(pyenv root)"/versions/3.9*/bin/python3.9 2>/dev/null | tail -1 || true)"
    fi
fi
if [ -n "$OLDEST" ]; then
    say "README examples on $("$OLDEST" --version 2>&1)"
    "$OLDEST" -m venv "$WORK/oldest"
    pip_install "$WORK/oldest" "$WHEEL" aiobotocore boto3 pytest pytest-asyncio
    (cd "$HERE/tests" && "$WORK/oldest/bin/python" -m pytest -q -p no:cacheprovider \
        -c /dev/null --rootdir . test_readme_aio.py test_readme_boto3.py)
else
    say "no Python 3.9 interpreter (set PYTHON_OLDEST): the README examples ran on $("$PYTHON" --version 2>&1) only"
fi
