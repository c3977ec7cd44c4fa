"""Fixtures: start the built `amplifybackend` binary on free ports and stop it.

Servers are session-scoped and started lazily (only when a test asks for one):
  server       inline jobs (--job-duration-ms 0), tokens live 600 s
  slow_server  jobs run 300 ms (--job-duration-ms 300)
  ttl_server   tokens live 1 s (--token-ttl-secs 1)
Each uses `sqlite::memory:`; tests use fresh uuid appIds so they are independent.
At the end every server gets SIGTERM and must exit with status 0.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

# Never read the user's ~/.aws, never pick up an endpoint or profile from the
# environment: every client gets explicit credentials, region and endpoint.
for _var in list(os.environ):
    if _var.startswith("AWS_"):
        del os.environ[_var]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import support  # noqa: E402  (after the environment is cleaned)

STARTUP_TIMEOUT = 10.0
SHUTDOWN_TIMEOUT = 10.0


def _binary() -> str:
    path = os.environ.get("AMPLIFYBACKEND_BIN") or str(REPO_ROOT / "target" / "release" / "amplifybackend")
    if not os.path.isfile(path) or not os.access(path, os.X_OK):
        pytest.exit(f"amplifybackend binary not found at {path} "
                    "(set AMPLIFYBACKEND_BIN or run `cargo build --release -p amplifybackend-cli`)",
                    returncode=2)
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, name: str, job_duration_ms: int = 0, token_ttl_secs: int = 600,
                 extra_args: tuple[str, ...] = ()):
        self.name = name
        self.extra_args = extra_args
        self.job_duration_ms = job_duration_ms
        self.token_ttl_secs = token_ttl_secs
        self.proc: subprocess.Popen | None = None
        self.endpoint = ""
        self.log_path = ""

    def log_tail(self, n: int = 60) -> str:
        try:
            with open(self.log_path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
            return "\n".join(lines[-n:])
        except OSError:
            return "<no log>"

    def start(self) -> "Server":
        last_error = ""
        for _attempt in range(3):  # the free port may be taken between probe and bind
            port = _free_port()
            self.endpoint = f"http://127.0.0.1:{port}"
            log = tempfile.NamedTemporaryFile(
                prefix=f"amplifybackend-{self.name}-", suffix=".log", delete=False)
            self.log_path = log.name
            args = [
                _binary(), "serve",
                "--listen", f"127.0.0.1:{port}",
                "--database-url", "sqlite::memory:",
                "--job-duration-ms", str(self.job_duration_ms),
                "--token-ttl-secs", str(self.token_ttl_secs),
                *self.extra_args,
            ]
            env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
            env.setdefault("RUST_BACKTRACE", "1")
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, env=env, cwd=tempfile.gettempdir())
            log.close()
            started = time.monotonic()
            health = f"{self.endpoint}/_amplifybackend/health"
            while time.monotonic() - started < STARTUP_TIMEOUT:
                if self.proc.poll() is not None:
                    last_error = (f"server {self.name} exited with {self.proc.returncode} "
                                  f"before becoming healthy:\n{self.log_tail()}")
                    break
                try:
                    with urllib.request.urlopen(health, timeout=1) as resp:
                        if resp.status == 200:
                            return self
                except (urllib.error.URLError, ConnectionError, OSError):
                    pass
                time.sleep(0.02)
            else:
                self.proc.kill()
                self.proc.wait()
                pytest.fail(f"server {self.name} not healthy within {STARTUP_TIMEOUT}s:\n{self.log_tail()}")
        pytest.fail(last_error)

    def stop(self) -> int:
        assert self.proc is not None
        if self.proc.poll() is not None:
            return self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=SHUTDOWN_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(
                f"server {self.name} did not exit within {SHUTDOWN_TIMEOUT}s of SIGTERM:\n{self.log_tail()}")


def _serve(name: str, **kwargs):
    server = Server(name, **kwargs).start()
    try:
        yield server
    finally:
        code = server.stop()
        assert code == 0, (f"server {server.name} exited with {code} after SIGTERM "
                           f"(graceful shutdown must exit 0):\n{server.log_tail()}")
        try:
            os.unlink(server.log_path)
        except OSError:
            pass


@pytest.fixture(scope="session")
def server():
    yield from _serve("inline", job_duration_ms=0, token_ttl_secs=600)


@pytest.fixture(scope="session")
def slow_server():
    yield from _serve("slowjobs", job_duration_ms=300, token_ttl_secs=600)


@pytest.fixture(scope="session")
def ttl_server():
    yield from _serve("shortttl", job_duration_ms=0, token_ttl_secs=1)


@pytest.fixture(scope="session")
def endpoint(server) -> str:
    return server.endpoint


@pytest.fixture(scope="session")
def client(endpoint):
    """boto3 client, account 000000000000 (non-numeric key), us-east-1."""
    return support.make_client(endpoint)


@pytest.fixture(scope="session")
def raw_client(endpoint):
    """boto3 client with client-side parameter validation off, for server-side checks."""
    return support.make_client(endpoint, validate=False)


@pytest.fixture(scope="session")
def slow_client(slow_server):
    return support.make_client(slow_server.endpoint)


@pytest.fixture(scope="session")
def ttl_client(ttl_server):
    return support.make_client(ttl_server.endpoint)


@pytest.fixture
def app_id(client) -> str:
    """A fresh app with one environment `dev` on the inline server."""
    return support.create_app(client, env="dev")


@pytest.fixture(scope="session")
def limited_server():
    """20 requests per second per account, bursts of 2: most back-to-back calls are throttled."""
    yield from _serve("ratelimited", extra_args=("--rate-limit", "20", "--burst", "2"))
