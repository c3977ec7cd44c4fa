"""The pytest plugin (entry point `pytest11`: installing the package loads it).

Fixtures:
  amplifybackend_server      one server for the whole session
  amplifybackend             that server, its state reset before the test (and its fault
                             rules and job progression back to the start)
  amplifybackend_client      a boto3 AmplifyBackend client bound to it
  amplifybackend_aio_client  aiobotocore's AmplifyBackendClient bound to it (async;
                             needs aiobotocore and pytest-asyncio, auto or strict mode)
  amplifybackend_server_options  the `Server` arguments of the session's server, and
  amplifybackend_client_config   the botocore `Config` arguments of both clients (retries,
                             timeouts): override them in a conftest.py or a test module

Options: --amplifybackend-bin PATH (else $AMPLIFYBACKEND_BIN, else the installed
executable) and --amplifybackend-keep-db (keep the database and log; their folder is
printed at the end). A failing test that used the server shows the path and the last
lines of its log, and the log is kept.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from ._errors import ServerError
from ._server import Server

if TYPE_CHECKING:
    from mypy_boto3_amplifybackend import AmplifyBackendClient
    from types_aiobotocore_amplifybackend import (
        AmplifyBackendClient as AioAmplifyBackendClient,
    )

try:
    import pytest_asyncio
except ImportError:  # the aio fixture then says what is missing
    pytest_asyncio = None  # type: ignore[assignment]

_SERVER = pytest.StashKey[Server]()
_FAILED = pytest.StashKey[bool]()
_KEPT = pytest.StashKey[list[str]]()

_LOG_LINES_IN_REPORT = 30


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("amplifybackend", "amplifybackend server")
    group.addoption(
        "--amplifybackend-bin",
        metavar="PATH",
        default=None,
        help="the amplifybackend executable to run (default: $AMPLIFYBACKEND_BIN, "
        "else the one this package installed)",
    )
    group.addoption(
        "--amplifybackend-keep-db",
        action="store_true",
        default=False,
        help="keep the server's database and log after the session and print where",
    )


@pytest.fixture(scope="session")
def amplifybackend_server_options() -> dict[str, Any]:
    """Keyword arguments for the session's `Server` (`job_duration_ms`, `credentials`,
    `rate_limit`, ...). Override this fixture in a conftest.py to change them."""
    return {}


@pytest.fixture(scope="session")
def amplifybackend_server(
    request: pytest.FixtureRequest, amplifybackend_server_options: dict[str, Any]
) -> Iterator[Server]:
    """One server for the whole test session, stopped at its end (a server that does
    not exit cleanly fails the session's last test)."""
    config = request.config
    options: dict[str, Any] = {
        "binary": config.getoption("amplifybackend_bin"),
        "keep_db": bool(config.getoption("amplifybackend_keep_db")),
        **amplifybackend_server_options,
    }
    server = Server(**options)
    try:
        server.start()
    except ServerError as error:
        pytest.fail(f"amplifybackend: the server did not start: {error}", pytrace=False)
    config.stash[_SERVER] = server
    try:
        yield server
    finally:
        failed = config.stash.get(_FAILED, False)
        try:
            server.stop(keep_log=failed)
        finally:
            kept = config.stash.setdefault(_KEPT, [])
            if server.keep_db and server.log_path is not None:
                kept.append(f"database kept at {server.database_url}, log at {server.log_path}")
            elif failed and server.log_path is not None and server.log_path.exists():
                kept.append(f"server log kept at {server.log_path}")


@pytest.fixture
def amplifybackend_client_config() -> dict[str, Any]:
    """Keyword arguments of botocore's `Config` (aiobotocore's `AioConfig`) for the
    clients of the fixtures, such as `{"retries": {"mode": "standard", "total_max_attempts": 1}}`
    so that an injected 429 or 504 surfaces at once. Empty: the clients' defaults."""
    return {}


@pytest.fixture
def amplifybackend(amplifybackend_server: Server) -> Server:
    """The session's server with an empty state, no fault rule and its starting job
    progression: what one test did is invisible to the next."""
    try:
        amplifybackend_server.check_running()
    except ServerError as error:
        pytest.fail(f"amplifybackend: {error}", pytrace=False)
    amplifybackend_server.restore_defaults()
    return amplifybackend_server


@pytest.fixture
def amplifybackend_client(
    amplifybackend: Server, amplifybackend_client_config: dict[str, Any]
) -> AmplifyBackendClient:
    """A boto3 AmplifyBackend client bound to the reset server (needs boto3)."""
    try:
        from botocore.config import Config
    except ImportError as error:
        pytest.fail(f"amplifybackend_client needs boto3 ({error})", pytrace=False)
    options = amplifybackend_client_config
    return amplifybackend.boto3_client(config=Config(**options) if options else None)


async def _aio_client(
    server: Server, config: dict[str, Any]
) -> AsyncIterator[AioAmplifyBackendClient]:
    try:
        from aiobotocore.config import AioConfig
        from aiobotocore.session import get_session
    except ImportError as error:
        pytest.fail(f"amplifybackend_aio_client needs aiobotocore ({error})", pytrace=False)
    session = get_session()
    async with session.create_client(
        "amplifybackend",
        config=AioConfig(**config) if config else None,
        **server.client_kwargs(),
    ) as client:
        yield client


if pytest_asyncio is not None:

    @pytest_asyncio.fixture(name="amplifybackend_aio_client")
    async def _amplifybackend_aio_client(
        amplifybackend: Server, amplifybackend_client_config: dict[str, Any]
    ) -> AsyncIterator[AioAmplifyBackendClient]:
        """aiobotocore's AmplifyBackendClient bound to the reset server, opened and
        closed with `async with session.create_client(...)`."""
        async for client in _aio_client(amplifybackend, amplifybackend_client_config):
            yield client

else:

    @pytest.fixture(name="amplifybackend_aio_client")
    def _amplifybackend_aio_client_unavailable() -> None:
        pytest.fail("amplifybackend_aio_client needs pytest-asyncio", pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed test that used the server shows where its log is and how it ends."""
    report = yield
    if report.failed:
        item.config.stash[_FAILED] = True
        server: Server | None = item.config.stash.get(_SERVER, None)
        if server is not None and "amplifybackend_server" in getattr(item, "fixturenames", ()):
            report.sections.append(
                (
                    f"amplifybackend server log ({server.log_path})",
                    server.log_tail(_LOG_LINES_IN_REPORT),
                )
            )
    return report


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    for line in config.stash.get(_KEPT, []):
        terminalreporter.write_line(f"amplifybackend: {line}")


__all__ = [
    "amplifybackend",
    "amplifybackend_client",
    "amplifybackend_client_config",
    "amplifybackend_server",
    "amplifybackend_server_options",
    "pytest_addoption",
]
