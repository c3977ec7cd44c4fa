"""Where the `amplifybackend` executable is: the one this package's wheel installed, or
the one a test run names."""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from pathlib import Path

from ._errors import BinaryNotFound

#: The variable that names another binary (a cargo build, say) instead of the bundled one.
BIN_ENV = "AMPLIFYBACKEND_BIN"

_EXE = "amplifybackend.exe" if os.name == "nt" else "amplifybackend"


def _installed_candidates() -> list[Path]:
    """The scripts folders pip may have put the wheel's executable in: the environment's,
    the user scheme's (`pip install --user`), and the interpreter's own folder."""
    folders: list[str] = []
    for scheme in (None, f"{os.name}_user"):
        try:
            path = (
                sysconfig.get_path("scripts")
                if scheme is None
                else sysconfig.get_path("scripts", scheme)
            )
        except KeyError:
            continue
        if path:
            folders.append(path)
    folders.append(str(Path(sys.executable).parent))
    return [Path(folder) / _EXE for folder in folders]


def _usable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find_binary(explicit: str | None = None) -> str:
    """The executable to start: `explicit`, else `$AMPLIFYBACKEND_BIN`, else the one the
    wheel installed, else one on `PATH`. A path that was named but is not an executable
    is an error, never a silent fallback to another binary."""
    named = explicit or os.environ.get(BIN_ENV)
    if named:
        path = Path(named).expanduser()
        if _usable(path):
            return str(path.resolve())
        source = "the binary given" if explicit else f"${BIN_ENV}"
        raise BinaryNotFound(f"{source} ({named}) is not an executable file")
    tried = _installed_candidates()
    for candidate in tried:
        if _usable(candidate):
            return str(candidate)
    on_path = shutil.which(_EXE)
    if on_path:
        return on_path
    looked = ", ".join(str(p) for p in tried)
    raise BinaryNotFound(
        f"no amplifybackend executable: not in {looked} nor on PATH; install this package "
        f"from its wheel (`pip install ./python`) or set {BIN_ENV}"
    )
