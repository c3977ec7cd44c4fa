"""Whole pytest sessions in a subprocess, as a user runs them with the plugin installed:
no server outlives its session (ended, failed, interrupted or killed), failures show the
server's log, the options work, and the aio fixture works in both pytest-asyncio modes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

SESSION_TIMEOUT = 120


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for its parent does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def wait_gone(pid: int, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while alive(pid):
        assert time.monotonic() < deadline, f"the server (pid {pid}) outlived its session"
        time.sleep(0.05)


def write_session(folder: Path, source: str) -> None:
    (folder / "pytest.ini").write_text("[pytest]\n")
    (folder / "test_inner.py").write_text(textwrap.dedent(source))


def pytest_command(folder: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(folder),
        str(folder),
        *args,
    ]


def run_session(folder: Path, source: str, *args: str) -> subprocess.CompletedProcess[str]:
    write_session(folder, source)
    return subprocess.run(
        pytest_command(folder, *args),
        capture_output=True,
        text=True,
        timeout=SESSION_TIMEOUT,
        cwd=folder,
    )


RECORD_PID = """
    import pathlib, time

    def test_records_its_server(amplifybackend_client, amplifybackend_server):
        amplifybackend_client.create_backend(
            AppId="inner", AppName="i", BackendEnvironmentName="dev")
        pathlib.Path("server.db").write_text(amplifybackend_server.database_url)
        pathlib.Path("server.log").write_text(str(amplifybackend_server.log_path))
        pathlib.Path("server.pid").write_text(str(amplifybackend_server.pid))  # last
        time.sleep(float("{sleep}"))
"""


def test_no_server_is_left_after_a_session(tmp_path):
    done = run_session(tmp_path, RECORD_PID.format(sleep=0))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    pid = int((tmp_path / "server.pid").read_text())
    assert not alive(pid)
    database = (tmp_path / "server.db").read_text()
    assert not Path(database[len("sqlite://") :]).parent.exists()


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_no_server_is_left_when_the_session_is_stopped(tmp_path, how):
    write_session(tmp_path, RECORD_PID.format(sleep=60))
    session = subprocess.Popen(
        pytest_command(tmp_path),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        pid_file = tmp_path / "server.pid"
        deadline = time.monotonic() + SESSION_TIMEOUT
        while not pid_file.exists() or not pid_file.read_text():
            assert session.poll() is None, session.stdout.read() if session.stdout else ""
            assert time.monotonic() < deadline, "the inner test never started"
            time.sleep(0.05)
        pid = int(pid_file.read_text())
        assert alive(pid)
        session.send_signal(how)
        session.wait(timeout=30)
    finally:
        if session.poll() is None:
            session.kill()
            session.wait()
        if session.stdout is not None:
            session.stdout.close()
    wait_gone(pid)
    # A killed session cannot remove its server's files: this test does.
    folder = Path((tmp_path / "server.db").read_text()[len("sqlite://") :]).parent
    shutil.rmtree(folder, ignore_errors=True)
    Path((tmp_path / "server.log").read_text()).unlink(missing_ok=True)


def test_a_failing_test_shows_and_keeps_the_log(tmp_path):
    done = run_session(
        tmp_path,
        """
        def test_fails(amplifybackend_client):
            amplifybackend_client.list_s3_buckets()
            assert False, "on purpose"
        """,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "amplifybackend server log (" in done.stdout
    assert "amplifybackend is serving" in done.stdout
    kept = [line for line in done.stdout.splitlines() if "server log kept at" in line]
    assert kept, done.stdout
    log = Path(kept[0].rsplit(" ", 1)[1])
    try:
        assert "amplifybackend is serving" in log.read_text()
    finally:
        log.unlink()


def test_a_server_that_dies_is_reported_with_its_log(tmp_path):
    done = run_session(
        tmp_path,
        """
        import os, signal, time

        def test_kills_the_server(amplifybackend):
            os.kill(amplifybackend.pid, signal.SIGKILL)
            while amplifybackend.running:
                time.sleep(0.01)

        def test_needs_it(amplifybackend_client):
            pass
        """,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 passed, 2 errors" in done.stdout
    assert "the server exited with status -9 while in use" in done.stdout
    assert "had exited with status -9 before it was stopped" in done.stdout
    assert "amplifybackend is serving" in done.stdout
    kept = [line for line in done.stdout.splitlines() if "server log kept at" in line]
    Path(kept[0].rsplit(" ", 1)[1]).unlink()


def test_a_missing_binary_fails_the_fixture_by_name(tmp_path):
    done = run_session(
        tmp_path,
        """
        def test_needs_a_server(amplifybackend):
            pass
        """,
        "--amplifybackend-bin",
        "/no/such/amplifybackend",
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "the server did not start" in done.stdout
    assert "/no/such/amplifybackend" in done.stdout
    assert "is not an executable file" in done.stdout


def test_bin_option_runs_that_binary(tmp_path, amplifybackend_server):
    copy = tmp_path / "amplifybackend-copy"
    shutil.copy2(f"/proc/{amplifybackend_server.pid}/exe", copy)
    done = run_session(
        tmp_path,
        """
        import pathlib

        def test_which_binary(amplifybackend_server):
            exe = pathlib.Path(f"/proc/{amplifybackend_server.pid}/exe").resolve()
            pathlib.Path("binary").write_text(str(exe))
        """,
        "--amplifybackend-bin",
        str(copy),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "binary").read_text() == str(copy.resolve())


def test_keep_db_option(tmp_path):
    done = run_session(tmp_path, RECORD_PID.format(sleep=0), "--amplifybackend-keep-db")
    assert done.returncode == 0, done.stdout + done.stderr
    database = Path((tmp_path / "server.db").read_text()[len("sqlite://") :])
    kept = [line for line in done.stdout.splitlines() if "database kept at" in line]
    assert kept, done.stdout
    try:
        assert database.exists()
        assert str(database) in kept[0]
    finally:
        log = Path(kept[0].rsplit(" ", 1)[1])
        log.unlink()
        for file in database.parent.iterdir():
            file.unlink()
        database.parent.rmdir()


AIO_WITHOUT_MARKER = """
    async def test_aio(amplifybackend_aio_client):
        job = await amplifybackend_aio_client.create_backend(
            AppId="auto", AppName="a", BackendEnvironmentName="dev")
        assert job["Status"] == "COMPLETED"
"""


@pytest.mark.parametrize("mode", ["auto", "strict"])
def test_aio_fixture_in_both_asyncio_modes(tmp_path, mode):
    source = AIO_WITHOUT_MARKER
    if mode == "strict":
        source = "\n    import pytest\n\n    @pytest.mark.asyncio" + source
    done = run_session(tmp_path, source, "-o", f"asyncio_mode={mode}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_server_options_fixture_can_be_overridden(tmp_path):
    done = run_session(
        tmp_path,
        """
        import pytest

        @pytest.fixture(scope="session")
        def amplifybackend_server_options():
            return {"job_duration_ms": 60000}

        def test_jobs_take_a_minute(amplifybackend_client):
            job = amplifybackend_client.create_backend(
                AppId="slow", AppName="s", BackendEnvironmentName="dev")
            assert job["Status"] == "RUNNING"
        """,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_plugin_is_registered_by_the_wheel():
    from importlib.metadata import entry_points

    plugins = [ep for ep in entry_points(group="pytest11") if ep.name == "amplifybackend"]
    assert [ep.value for ep in plugins] == ["amplifybackend.pytest_plugin"]
    import amplifybackend

    assert (Path(amplifybackend.__file__).parent / "py.typed").exists()
    assert os.environ.get("AMPLIFYBACKEND_BIN") or amplifybackend.find_binary().endswith(
        "/amplifybackend"
    )
