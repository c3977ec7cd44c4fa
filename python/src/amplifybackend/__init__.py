"""The AmplifyBackend emulator for Python tests: `Server` runs the `amplifybackend`
executable this package installs, and the pytest plugin (loaded by installing the
package) gives each test a server, a boto3 client or an aiobotocore client."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ._binary import BIN_ENV, find_binary
from ._control import Faults, JobMode, JobOutcome, Jobs
from ._errors import BinaryNotFound, ControlError, ServerError, ServerStartError
from ._http import Credential
from ._server import DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, Server

try:
    __version__ = version("amplifybackend")
except PackageNotFoundError:  # run from a source tree
    __version__ = "0+unknown"

__all__ = [
    "BIN_ENV",
    "DEFAULT_ACCESS_KEY_ID",
    "DEFAULT_SECRET_ACCESS_KEY",
    "BinaryNotFound",
    "ControlError",
    "Credential",
    "Faults",
    "JobMode",
    "JobOutcome",
    "Jobs",
    "Server",
    "ServerError",
    "ServerStartError",
    "__version__",
    "find_binary",
]
