"""`Server`: one `amplifybackend serve` process on a free port, with a throwaway SQLite
database, for the length of a `with` block or a test session."""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Literal, overload

from ._binary import BIN_ENV, find_binary
from ._control import Faults, Jobs
from ._errors import ServerError, ServerStartError
from ._http import Credential, call

if TYPE_CHECKING:
    from mypy_boto3_amplifybackend import AmplifyBackendClient

#: Local-development keys for clients of a server without credentials: any key works
#: there, and one that is not 12 digits means account 000000000000.
DEFAULT_ACCESS_KEY_ID = "testing"
DEFAULT_SECRET_ACCESS_KEY = "testing"

#: What `serve` prints once it listens, with the address it bound (port 0 becomes a
#: free port chosen by the system, so no other process can take it in between).
_LISTENING = re.compile(r"amplifybackend is serving.*?\blisten=(\S+)")

#: What `serve`'s exit codes mean, for the error a failed start raises.
_EXIT_MEANINGS = {
    2: "its configuration is unusable (a flag, the credentials or the seed file)",
    3: "it cannot listen on the address",
    4: "the database cannot be opened or migrated",
    252: "its command line is invalid",
}

#: Servers still running, stopped when the interpreter exits normally.
_RUNNING: set[Server] = set()


@atexit.register
def _stop_leftovers() -> None:
    for server in list(_RUNNING):
        server.stop(check=False)


def _write_credentials(folder: Path, credentials: Sequence[Credential]) -> Path:
    """The credentials as the TOML file `serve --credentials` reads (JSON strings are
    valid TOML basic strings)."""
    lines: list[str] = []
    for key in credentials:
        lines.append("[[credentials]]")
        lines.append(f"access_key_id = {json.dumps(key.access_key_id)}")
        lines.append(f"secret_access_key = {json.dumps(key.secret_access_key)}")
        lines.append(f"account_id = {json.dumps(key.account_id)}")
        if key.session_token is not None:
            lines.append(f"session_token = {json.dumps(key.session_token)}")
        if key.admin:
            lines.append("admin = true")
        lines.append("")
    path = folder / "credentials.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    path.chmod(0o600)
    return path


class Server:
    """An `amplifybackend serve` process.

    `with Server() as server:` (or `async with`) starts it on a free port of 127.0.0.1
    with a SQLite database in a new temporary folder, waits until
    `/_amplifybackend/health` answers, and at the end stops it (SIGTERM, then SIGKILL
    after `shutdown_timeout`) and removes the folder. The process also stops by itself
    when this Python process ends in any way, even killed: it watches the pipe on its
    standard input.

    The arguments are `serve`'s flags: `job_duration_ms` (0: jobs finish inside their
    request), `credentials` (a credentials file, or `Credential`s written to one: then
    every request must be signed, and the control endpoints need an `admin` key),
    `database_url` (instead of the throwaway SQLite file), `seed` (a state document
    loaded into an empty database), `rate_limit` and `burst`, `token_ttl_secs`, and
    `extra_args` for any other. `binary` (else `$AMPLIFYBACKEND_BIN`, else the executable
    this package installed) is the program to run.
    """

    def __init__(
        self,
        *,
        binary: str | None = None,
        job_duration_ms: int = 0,
        credentials: str | os.PathLike[str] | Sequence[Credential] | None = None,
        database_url: str | None = None,
        seed: str | os.PathLike[str] | None = None,
        rate_limit: float | None = None,
        burst: int | None = None,
        token_ttl_secs: int | None = None,
        region: str = "us-east-1",
        extra_args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        keep_db: bool = False,
        startup_timeout: float = 30.0,
        shutdown_timeout: float = 10.0,
    ) -> None:
        self._binary = binary
        self.job_duration_ms = job_duration_ms
        self._credentials = credentials
        self._database_url = database_url
        self._seed = seed
        self._rate_limit = rate_limit
        self._burst = burst
        self._token_ttl_secs = token_ttl_secs
        self.region = region
        self._extra_args = tuple(extra_args)
        self._env = dict(env or {})
        self.keep_db = keep_db
        self.startup_timeout = startup_timeout
        self.shutdown_timeout = shutdown_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._folder: Path | None = None
        self._endpoint_url: str | None = None
        self._lock = threading.Lock()
        #: The server's log (stdout and stderr); kept after `stop` when asked to.
        self.log_path: Path | None = None
        #: The database the server uses (set by `start`).
        self.database_url: str | None = None
        #: The exit status after `stop`.
        self.returncode: int | None = None
        self.faults = Faults(self)
        self.jobs = Jobs(self)

    # ----------------------------------------------------------------- addresses and keys

    @property
    def endpoint_url(self) -> str:
        """`http://127.0.0.1:PORT`, for `endpoint_url=` of boto3 and aiobotocore."""
        if self._endpoint_url is None:
            raise ServerError("the server is not running: call start() or use `with Server()`")
        return self._endpoint_url

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def credential(self) -> Credential | None:
        """The key clients sign with: the first given to the server, if any."""
        keys = self._credential_list()
        return keys[0] if keys else None

    @property
    def admin_credential(self) -> Credential | None:
        """The key control requests sign with: the first `admin` one, if any."""
        return next((key for key in self._credential_list() if key.admin), None)

    def _credential_list(self) -> list[Credential]:
        if self._credentials is None or isinstance(self._credentials, (str, os.PathLike)):
            return []
        return list(self._credentials)

    def client_kwargs(self, credential: Credential | None = None) -> dict[str, Any]:
        """Keyword arguments for `boto3.client(...)` and aiobotocore's `create_client(...)`:
        endpoint, region and keys (`credential`, else the server's first, else
        local-development keys)."""
        key = credential or self.credential
        kwargs: dict[str, Any] = {
            "endpoint_url": self.endpoint_url,
            "region_name": self.region,
            "aws_access_key_id": key.access_key_id if key else DEFAULT_ACCESS_KEY_ID,
            "aws_secret_access_key": key.secret_access_key if key else DEFAULT_SECRET_ACCESS_KEY,
        }
        if key is not None and key.session_token is not None:
            kwargs["aws_session_token"] = key.session_token
        return kwargs

    @overload
    def boto3_client(
        self,
        service: Literal["amplifybackend"] = ...,
        *,
        credential: Credential | None = None,
        **kwargs: Any,
    ) -> AmplifyBackendClient: ...

    @overload
    def boto3_client(
        self, service: str, *, credential: Credential | None = None, **kwargs: Any
    ) -> Any: ...

    def boto3_client(
        self,
        service: str = "amplifybackend",
        *,
        credential: Credential | None = None,
        **kwargs: Any,
    ) -> Any:
        """A boto3 client of `service` bound to this server, from a session of its own
        (never the user's profile or environment keys); `kwargs` (a `config=`, say)
        override."""
        import boto3

        options = {**self.client_kwargs(credential), **kwargs}
        return boto3.session.Session().client(service, **options)  # type: ignore[call-overload]

    # ------------------------------------------------------------------------ control

    def control(self, method: str, path: str, body: Any = None, **query: str) -> Any:
        """One request to `/_amplifybackend{path}`, signed with the admin key when the
        server checks signatures (else its first key, which the server then refuses
        with a 403 that says why). Raises `ControlError` on an error answer."""
        return call(
            self.endpoint_url,
            method,
            "/_amplifybackend" + path,
            body=body,
            query=query or None,
            credential=self.admin_credential or self.credential,
            region=self.region,
        )

    def reset(self, account_id: str | None = None, region: str | None = None) -> None:
        """Empties the state: everything, or one account and/or region's."""
        body = {
            key: value
            for key, value in (("accountId", account_id), ("region", region))
            if value is not None
        }
        self.control("POST", "/state/reset", body)

    def export_state(
        self, account_id: str | None = None, region: str | None = None
    ) -> dict[str, Any]:
        """The state (or one account and/or region's) as a versioned JSON document."""
        document: dict[str, Any] = self.control("GET", "/state", **_scope(account_id, region))
        return document

    def import_state(
        self,
        document: Mapping[str, Any],
        account_id: str | None = None,
        region: str | None = None,
    ) -> dict[str, Any]:
        """Replaces the state (or that part) with an exported document, in one go."""
        counts: dict[str, Any] = self.control(
            "POST", "/state", dict(document), **_scope(account_id, region)
        )
        return counts

    def requests(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The last API requests the server answered, newest first."""
        query = {} if limit is None else {"limit": str(limit)}
        answer: list[dict[str, Any]] = self.control("GET", "/requests", **query)["requests"]
        return answer

    def restore_defaults(self) -> None:
        """Back to how the server started: empty state, no fault rule, the job
        progression of `job_duration_ms`."""
        self.reset()
        self.faults.clear()
        if self.job_duration_ms > 0:
            self.jobs.set_progression("time", duration_ms=self.job_duration_ms)
        else:
            self.jobs.set_progression("immediate")

    def check_running(self) -> None:
        """Raises `ServerError`, with the exit status and the log's last lines, when the
        process has ended (crashed or was killed) since it started."""
        if self._process is None:
            raise ServerError("the server was never started")
        code = self._process.poll()
        if code is not None:
            raise ServerError(
                f"the server exited with status {code} while in use. "
                f"Log {self.log_path}:\n{self.log_tail()}"
            )

    # ------------------------------------------------------------------------ the log

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the server's log."""
        if self.log_path is None:
            return "<no log>"
        try:
            text = self.log_path.read_bytes().decode("utf-8", "replace")
        except OSError as error:
            return f"<log {self.log_path} unreadable: {error}>"
        return "\n".join(text.splitlines()[-lines:])

    # ------------------------------------------------------------------- start and stop

    def _command(self, binary: str, folder: Path) -> list[str]:
        args = [
            binary,
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            self.database_url or "",
            "--job-duration-ms",
            str(self.job_duration_ms),
            "--stop-on-stdin-eof",
        ]
        if self._credentials is not None:
            if isinstance(self._credentials, (str, os.PathLike)):
                path = Path(self._credentials)
            else:
                path = _write_credentials(folder, self._credentials)
            args += ["--credentials", str(path)]
        if self._seed is not None:
            args += ["--seed", str(self._seed)]
        if self._rate_limit is not None:
            args += ["--rate-limit", str(self._rate_limit)]
        if self._burst is not None:
            args += ["--burst", str(self._burst)]
        if self._token_ttl_secs is not None:
            args += ["--token-ttl-secs", str(self._token_ttl_secs)]
        return args + list(self._extra_args)

    def _environment(self) -> dict[str, str]:
        # The flags above say how this server runs: an AMPLIFYBACKEND_* setting of the
        # caller's shell (a credentials file, a rate limit) must not change it behind the
        # test's back. The log filter and the binary's own location are kept.
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("AMPLIFYBACKEND_") or key in ("AMPLIFYBACKEND_LOG", BIN_ENV)
        }
        env.setdefault("RUST_BACKTRACE", "1")
        env.update(self._env)
        return env

    def start(self) -> Server:
        """Starts the process and waits until it is healthy; raises `BinaryNotFound` or
        `ServerStartError` (with the exit code's meaning and the last log lines)."""
        with self._lock:
            if self._process is not None:
                raise ServerError("this Server was already started")
            binary = find_binary(self._binary)
            folder = Path(tempfile.mkdtemp(prefix="amplifybackend-"))
            self._folder = folder
            self.database_url = self._database_url or f"sqlite://{folder / 'amplifybackend.db'}"
            # Beside the folder, not in it: a log kept after a failure outlives the folder.
            handle, log_name = tempfile.mkstemp(prefix="amplifybackend-", suffix=".log")
            os.close(handle)
            self.log_path = Path(log_name)
            with open(self.log_path, "wb") as log:
                self._process = self._spawn(binary, folder, log)
            _RUNNING.add(self)
        try:
            self._endpoint_url = self._wait_until_healthy(binary)
        except BaseException:
            self.stop(check=False)
            raise
        return self

    def _spawn(self, binary: str, folder: Path, log: IO[bytes]) -> subprocess.Popen[bytes]:
        try:
            return subprocess.Popen(
                self._command(binary, folder),
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self._environment(),
                cwd=folder,
                # Its own process group: a Ctrl-C in the terminal reaches the test
                # process, whose teardown then stops the server in order.
                start_new_session=True,
            )
        except OSError as error:
            self._remove_files(keep_log=False)
            raise ServerStartError(f"cannot run {binary}: {error}") from error

    def _wait_until_healthy(self, binary: str) -> str:
        process = self._process
        assert process is not None
        deadline = time.monotonic() + self.startup_timeout
        endpoint: str | None = None
        last_problem = "it never said which address it listens on"
        while time.monotonic() < deadline:
            code = process.poll()
            if code is not None:
                meaning = _EXIT_MEANINGS.get(code, "it failed")
                raise ServerStartError(
                    f"{binary} serve exited with status {code} before it was healthy: "
                    f"{meaning}. Log {self.log_path}:\n{self.log_tail()}"
                )
            if endpoint is None:
                match = _LISTENING.search(self.log_tail(200))
                if match:
                    endpoint = f"http://{match.group(1)}"
            if endpoint is not None:
                try:
                    with urllib.request.urlopen(
                        f"{endpoint}/_amplifybackend/health", timeout=2
                    ) as response:
                        if response.status == 200:
                            return endpoint
                        last_problem = f"its health check answered {response.status}"
                except (urllib.error.URLError, OSError) as error:
                    last_problem = f"its health check failed: {error}"
            time.sleep(0.02)
        raise ServerStartError(
            f"{binary} serve was not healthy within {self.startup_timeout:g} s "
            f"({last_problem}). Log {self.log_path}:\n{self.log_tail()}"
        )

    def stop(self, *, check: bool = True, keep_log: bool = False) -> int | None:
        """Stops the process (SIGTERM, then SIGKILL after `shutdown_timeout`), then
        removes its temporary folder unless `keep_db`, and its log unless `keep_db` or
        `keep_log`. With `check`, a
        server that did not exit with status 0 is an error. Answers the exit status."""
        with self._lock:
            process = self._process
            if process is None or self.returncode is not None:
                return self.returncode
            killed = False
            exited_before = process.poll() is not None
            if not exited_before:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=self.shutdown_timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                    killed = True
            if process.stdin is not None:
                process.stdin.close()
            self.returncode = process.returncode
            self._endpoint_url = None
            _RUNNING.discard(self)
            tail = self.log_tail()
            self._remove_files(keep_log=keep_log or (check and self.returncode != 0))
        if check and self.returncode != 0:
            if killed:
                why = f"did not exit within {self.shutdown_timeout:g} s of SIGTERM and was killed"
            elif exited_before:
                why = f"had exited with status {self.returncode} before it was stopped"
            else:
                why = f"exited with status {self.returncode} after SIGTERM"
            raise ServerError(f"the server {why}. Log {self.log_path}:\n{tail}")
        return self.returncode

    def _remove_files(self, *, keep_log: bool) -> None:
        if self.keep_db:
            return
        if not keep_log and self.log_path is not None:
            self.log_path.unlink(missing_ok=True)
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)

    # ------------------------------------------------------------------ context managers

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # An error of the block comes first; a bad exit then only keeps the log.
        self.stop(check=exc_type is None, keep_log=exc_type is not None)

    async def __aenter__(self) -> Server:
        return await asyncio.get_running_loop().run_in_executor(None, self.start)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await asyncio.get_running_loop().run_in_executor(
            None, lambda: self.__exit__(exc_type, exc, traceback)
        )

    def __repr__(self) -> str:
        where = self._endpoint_url or "not running"
        return f"<amplifybackend.Server {where} pid={self.pid}>"


def _scope(account_id: str | None, region: str | None) -> dict[str, str]:
    return {
        key: value
        for key, value in (("accountId", account_id), ("region", region))
        if value is not None
    }
