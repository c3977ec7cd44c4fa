"""`amplifybackend.Server` on its own: start and stop, flags, credentials, errors that say
what went wrong, and the control methods."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from aiobotocore.session import get_session
from botocore.config import Config
from botocore.exceptions import ClientError

from amplifybackend import (
    BinaryNotFound,
    ControlError,
    Credential,
    Server,
    ServerStartError,
)

ONE_ATTEMPT = Config(retries={"mode": "standard", "total_max_attempts": 1})


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for its parent does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_with_block_starts_and_stops_everything():
    with Server(job_duration_ms=300) as server:
        assert server.running
        assert server.endpoint_url.startswith("http://127.0.0.1:")
        assert not server.endpoint_url.endswith(":0")
        client = server.boto3_client()
        job = client.create_backend(AppId="timed", AppName="t", BackendEnvironmentName="dev")
        assert job["Status"] == "RUNNING"
        deadline = time.monotonic() + 10
        while (
            client.get_backend_job(AppId="timed", BackendEnvironmentName="dev", JobId=job["JobId"])[
                "Status"
            ]
            == "RUNNING"
        ):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        pid, log, database = server.pid, server.log_path, server.database_url
        assert "amplifybackend is serving" in log.read_text()
        assert database.startswith("sqlite:///")
        folder = Path(database[len("sqlite://") :]).parent
        assert folder.is_dir()
    assert server.returncode == 0
    assert not alive(pid)
    assert not folder.exists()
    assert not log.exists()


def test_async_with_and_aiobotocore():
    async def scenario():
        async with Server() as server:
            session = get_session()
            async with session.create_client("amplifybackend", **server.client_kwargs()) as client:
                job = await client.create_backend(
                    AppId="async", AppName="a", BackendEnvironmentName="dev"
                )
                assert job["Status"] == "COMPLETED"
            return server

    server = asyncio.run(scenario())
    assert server.returncode == 0
    assert not server.running


def test_keep_db_keeps_the_database(tmp_path):
    server = Server(keep_db=True)
    with server:
        server.boto3_client().create_backend(
            AppId="kept", AppName="k", BackendEnvironmentName="dev"
        )
    path = Path(server.database_url[len("sqlite://") :])
    try:
        with sqlite3.connect(path) as db:
            tables = [row[0] for row in db.execute("select name from sqlite_master")]
        assert tables
        assert server.log_path.exists()
    finally:
        server.log_path.unlink()
        for file in path.parent.iterdir():
            file.unlink()
        path.parent.rmdir()


def test_a_missing_binary_is_named():
    with pytest.raises(BinaryNotFound, match="/no/such/amplifybackend"):
        Server(binary="/no/such/amplifybackend").start()


def test_a_server_that_exits_says_why_with_its_log(tmp_path):
    server = Server(credentials=tmp_path / "missing.toml")
    with pytest.raises(ServerStartError) as caught:
        server.start()
    message = str(caught.value)
    assert "exited with status 2" in message
    assert "configuration is unusable" in message
    assert f"cannot read {tmp_path / 'missing.toml'}" in message
    assert not server.running


def test_a_bad_flag_is_a_command_line_error():
    with pytest.raises(ServerStartError, match="command line is invalid") as caught:
        Server(extra_args=["--rate-limit=-3"]).start()
    assert "not a positive number of requests per second" in str(caught.value)


def test_rate_limit():
    with Server(rate_limit=1, burst=1) as server:
        client = server.boto3_client(config=ONE_ATTEMPT)
        client.list_s3_buckets()
        with pytest.raises(client.exceptions.TooManyRequestsException):
            client.list_s3_buckets()


ADMIN = Credential("AKIDADMIN0000001", "admin-secret", "111111111111", admin=True)
USER = Credential("AKIDUSER00000002", "user-secret", "222222222222")


def test_credentials_sign_clients_and_control():
    with Server(credentials=[ADMIN, USER]) as server:
        assert "admin-secret" not in repr(ADMIN)
        admin = server.boto3_client()
        admin.create_backend(AppId="signed", AppName="s", BackendEnvironmentName="dev")
        user = server.boto3_client(credential=USER)
        with pytest.raises(user.exceptions.NotFoundException):
            user.get_backend(AppId="signed")  # another account's app

        stranger = boto3.session.Session().client(
            "amplifybackend",
            endpoint_url=server.endpoint_url,
            region_name=server.region,
            aws_access_key_id="AKIDSTRANGER0000",
            aws_secret_access_key="nope",
            config=ONE_ATTEMPT,
        )
        with pytest.raises(ClientError) as caught:
            stranger.get_backend(AppId="signed")
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403

        url = admin.generate_presigned_url(
            "get_backend_job",
            Params={"AppId": "signed", "BackendEnvironmentName": "dev", "JobId": "nope"},
        )
        with pytest.raises(urllib.error.HTTPError) as unknown_job:
            urllib.request.urlopen(url, timeout=10)
        assert unknown_job.value.code == 404  # signature accepted, job unknown

        # Control requests are signed with the admin key.
        server.reset()
        with pytest.raises(admin.exceptions.NotFoundException):
            admin.get_backend(AppId="signed")


def test_control_needs_an_admin_key():
    with Server(credentials=[USER]) as server:
        with pytest.raises(ControlError) as caught:
            server.control("GET", "/faults")
        assert caught.value.status == 403
        assert "AccessDenied" in caught.value.body or "admin" in caught.value.body


def test_a_credentials_file(tmp_path):
    path = tmp_path / "credentials.toml"
    path.write_text(
        '[[credentials]]\naccess_key_id = "AKIDFILE00000001"\n'
        'secret_access_key = "file-secret"\naccount_id = "333333333333"\n'
    )
    with Server(credentials=path) as server:
        key = Credential("AKIDFILE00000001", "file-secret", "333333333333")
        client = server.boto3_client(credential=key)
        assert client.list_s3_buckets()["Buckets"] == []


def test_jobs_and_faults_methods():
    with Server() as server:
        client = server.boto3_client(config=ONE_ATTEMPT)
        client.create_backend(AppId="ctl", AppName="c", BackendEnvironmentName="dev")

        progression = server.jobs.manual(operation="DeleteBackend")
        assert progression["mode"] == "immediate"
        assert progression["operations"]["DeleteBackend"]["mode"] == "manual"
        job = client.delete_backend(AppId="ctl", BackendEnvironmentName="dev")
        assert job["Status"] == "RUNNING"
        failed = server.jobs.advance("ctl", "dev", job["JobId"], "FAILED", error="no")
        assert failed["status"] == "FAILED"
        assert client.get_backend(AppId="ctl")["BackendEnvironmentList"] == ["dev"]
        server.jobs.set_progression("time", duration_ms=50)
        assert server.jobs.progression() == {"mode": "time", "durationMs": 50, "operations": {}}

        rules = server.faults.add("GetBackend", status_code=429, times=1)
        assert rules[0]["times"] == 1
        with pytest.raises(client.exceptions.TooManyRequestsException):
            client.get_backend(AppId="ctl")
        assert server.faults.rules() == []
        client.get_backend(AppId="ctl")
        server.faults.set([{"operation": "ListS3Buckets", "error": {"statusCode": 504}}])
        with pytest.raises(client.exceptions.GatewayTimeoutException):
            client.list_s3_buckets()
        server.faults.clear()
        client.list_s3_buckets()

        journal = server.requests(limit=3)
        assert [entry["operation"] for entry in journal] == [
            "ListS3Buckets",
            "ListS3Buckets",
            "GetBackend",
        ]
        assert journal[1]["faultInjected"] is True

        with pytest.raises(ControlError) as caught:
            server.faults.add_rule({"operation": "GetBackend", "error": {"statusCode": 418}})
        assert caught.value.status == 400
        assert server.faults.rules() == []


def test_state_export_and_import():
    with Server() as server:
        client = server.boto3_client()
        client.create_backend(AppId="snap", AppName="s", BackendEnvironmentName="dev")
        before = client.get_backend(AppId="snap", BackendEnvironmentName="dev")
        document = server.export_state()
        assert document["format"] == "amplifybackend-state"
        server.reset()
        with pytest.raises(client.exceptions.NotFoundException):
            client.get_backend(AppId="snap")
        server.import_state(json.loads(json.dumps(document)))
        after = client.get_backend(AppId="snap", BackendEnvironmentName="dev")
        assert after["AmplifyMetaConfig"] == before["AmplifyMetaConfig"]


def test_the_environment_does_not_leak_into_the_server(monkeypatch):
    monkeypatch.setenv("AMPLIFYBACKEND_RATE_LIMIT", "0.001")
    monkeypatch.setenv("AMPLIFYBACKEND_BURST", "1")
    with Server() as server:
        client = server.boto3_client(config=ONE_ATTEMPT)
        for _ in range(3):
            client.list_s3_buckets()
    assert os.environ["AMPLIFYBACKEND_RATE_LIMIT"] == "0.001"


def test_seed_loads_an_exported_state(tmp_path):
    with Server() as first:
        first.boto3_client().create_backend(
            AppId="seeded", AppName="s", BackendEnvironmentName="dev"
        )
        document = first.export_state()
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(document))
    with Server(seed=seed) as second:
        backend = second.boto3_client().get_backend(AppId="seeded")
        assert backend["BackendEnvironmentList"] == ["dev"]
