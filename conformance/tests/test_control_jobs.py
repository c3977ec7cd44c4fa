"""Test control with boto3: a job in manual mode is RUNNING for get_backend_job until a
test advances it (COMPLETED applies its effect, FAILED never does), the state is reset
between tests, and a snapshot exported, reset and imported answers boto3 as before.

The control calls are plain HTTP (urllib): they are the emulator's own, no SDK has them.
These tests run on a server of their own, so that switching its jobs to manual mode and
resetting its state never touch the other tests' servers.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

import conftest
import support
from support import auth_config, create_app, storage_config


@pytest.fixture(scope="module")
def control_server():
    yield from conftest._serve("control", job_duration_ms=0, token_ttl_secs=600)


@pytest.fixture(scope="module")
def boto(control_server):
    return support.make_client(control_server.endpoint)


def control(server, method: str, path: str, body=None):
    """A control call: (status, JSON answer)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        server.endpoint + "/_amplifybackend/" + path, data=data, method=method,
        headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


@pytest.fixture(autouse=True)
def fresh_state(control_server):
    """Every test starts from an empty state with jobs completing at once."""
    assert control(control_server, "POST", "state/reset") == (200, {"reset": True})
    status, _ = control(control_server, "PUT", "jobs/progression", {"mode": "immediate"})
    assert status == 200
    yield


def advance(server, app_id, job_id, status, error=None):
    body = {"appId": app_id, "backendEnvironmentName": "dev", "jobId": job_id, "status": status}
    if error is not None:
        body["error"] = error
    return control(server, "POST", "jobs/advance", body)


def test_a_manual_job_is_running_until_advanced_and_completing_applies_it(control_server, boto):
    app_id = create_app(boto)
    status, progression = control(control_server, "PUT", "jobs/progression",
                                  {"mode": "manual", "operation": "CreateBackendAuth"})
    assert status == 200
    assert progression["operations"] == {"CreateBackendAuth": {"mode": "manual"}}

    started = boto.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev",
                                       ResourceName="authres", ResourceConfig=auth_config())
    assert started["Status"] == "RUNNING", started
    job_id = started["JobId"]
    for _ in range(3):
        job = boto.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=job_id)
        assert job["Status"] == "RUNNING", job
        time.sleep(0.2)
    with pytest.raises(boto.exceptions.NotFoundException):
        boto.get_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres")

    status, done = advance(control_server, app_id, job_id, "COMPLETED")
    assert status == 200, done
    assert done["status"] == "COMPLETED"
    job = boto.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=job_id)
    assert job["Status"] == "COMPLETED", job
    assert "Error" not in job
    auth = boto.get_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres")
    assert auth["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"]

    # A finished job cannot be advanced again.
    status, answer = advance(control_server, app_id, job_id, "FAILED")
    assert status == 400, answer


def test_a_manual_job_failed_by_the_test_applies_nothing(control_server, boto):
    app_id = create_app(boto)
    assert control(control_server, "PUT", "jobs/progression", {"mode": "manual"})[0] == 200
    started = boto.create_backend_storage(AppId=app_id, BackendEnvironmentName="dev",
                                          ResourceName="photos", ResourceConfig=storage_config())
    assert started["Status"] == "RUNNING", started
    status, answer = advance(control_server, app_id, started["JobId"], "FAILED", "Bucket quota exceeded.")
    assert status == 200, answer
    job = boto.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=started["JobId"])
    assert (job["Status"], job["Error"]) == ("FAILED", "Bucket quota exceeded."), job
    with pytest.raises(boto.exceptions.NotFoundException):
        boto.get_backend_storage(AppId=app_id, BackendEnvironmentName="dev", ResourceName="photos")


def test_the_state_is_reset_between_tests(control_server, boto):
    status, state = control(control_server, "GET", "state")
    assert status == 200
    assert state["apps"] == [] and state["jobs"] == [], state
    app_id = create_app(boto)
    assert control(control_server, "POST", "state/reset", {"accountId": support.DEFAULT_ACCOUNT}) == \
        (200, {"reset": True})
    with pytest.raises(boto.exceptions.NotFoundException):
        boto.get_backend(AppId=app_id)


def _answer(response: dict) -> dict:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def test_a_snapshot_answers_boto3_as_before(control_server, boto):
    app_id = create_app(boto)
    boto.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
                             ResourceConfig=auth_config())
    token = boto.create_token(AppId=app_id)
    before = [
        _answer(boto.get_backend(AppId=app_id, BackendEnvironmentName="dev")),
        _answer(boto.get_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres")),
        _answer(boto.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")),
    ]
    status, document = control(control_server, "GET", "state")
    assert status == 200 and document["format"] == "amplifybackend-state"
    assert control(control_server, "POST", "state/reset")[0] == 200
    with pytest.raises(boto.exceptions.NotFoundException):
        boto.get_backend(AppId=app_id)

    status, imported = control(control_server, "POST", "state", document)
    assert status == 200 and imported["imported"] is True, imported
    after = [
        _answer(boto.get_backend(AppId=app_id, BackendEnvironmentName="dev")),
        _answer(boto.get_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres")),
        _answer(boto.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")),
    ]
    assert after == before
    got = boto.get_token(AppId=app_id, SessionId=token["SessionId"])
    assert got["ChallengeCode"] == token["ChallengeCode"]


def test_a_bad_document_is_refused_and_changes_nothing(control_server, boto):
    app_id = create_app(boto)
    status, document = control(control_server, "GET", "state")
    broken = dict(document, jobs=document["jobs"] * 2)
    status, answer = control(control_server, "POST", "state", broken)
    assert status == 400, answer
    assert "$.jobs[1].jobId" in answer["message"], answer
    assert control(control_server, "GET", "state") == (200, document)
    assert boto.get_backend(AppId=app_id)["AppId"] == app_id
