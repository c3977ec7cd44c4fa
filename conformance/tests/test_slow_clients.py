"""Connection timeouts and SigV4 clients: the whole suite runs on the default timeouts;
here the idle and header timeouts are far shorter than any client's own keep-alive, and
boto3 and aioboto3 still reuse and replace their pooled connections without an error
(every client is configured with a single attempt: nothing is retried away)."""

import asyncio
import os
import time

import pytest

from conftest import Server

import support

SHORT = ("--idle-timeout-ms", "300", "--header-timeout-ms", "300")


@pytest.fixture(scope="module")
def short_server():
    server = Server("short-timeouts", extra_args=SHORT).start()
    try:
        yield server
    finally:
        code = server.stop()
        assert code == 0, f"exit status {code} after SIGTERM:\n{server.log_tail()}"
        os.unlink(server.log_path)


def test_boto3_rides_through_idle_connections_being_closed(short_server):
    client = support.make_client(short_server.endpoint)
    app_id = support.create_app(client)
    for _ in range(3):
        # Longer than the idle timeout: the pooled connection is gone when it is reused.
        time.sleep(0.6)
        backend = client.get_backend(AppId=app_id, BackendEnvironmentName="dev")
        assert backend["AppId"] == app_id


async def test_aioboto3_rides_through_idle_connections_being_closed(short_server):
    async with support.make_async_client(short_server.endpoint) as client:
        app_id = support.new_app_id()
        await client.create_backend(AppId=app_id, AppName="idle", BackendEnvironmentName="dev")
        for _ in range(3):
            await asyncio.sleep(0.6)
            backend = await client.get_backend(AppId=app_id, BackendEnvironmentName="dev")
            assert backend["AppId"] == app_id
