"""Graceful shutdown: SIGTERM with a job in flight still exits 0, promptly.

(Every session server is also stopped with SIGTERM and must exit 0; see conftest.)"""

import os
import time

from conftest import Server

import support


def test_sigterm_with_running_job_exits_zero():
    server = Server("shutdown", job_duration_ms=300).start()
    try:
        client = support.make_client(server.endpoint)
        app_id = support.new_app_id()
        resp = client.create_backend(AppId=app_id, AppName="bye", BackendEnvironmentName="dev")
        assert resp["Status"] == "RUNNING"
    finally:
        started = time.monotonic()
        code = server.stop()
    assert code == 0, f"exit status {code} after SIGTERM:\n{server.log_tail()}"
    assert time.monotonic() - started < 5, "shutdown took too long"
    os.unlink(server.log_path)
