"""The test control surface (/_amplifybackend/faults, /requests, /state/reset) seen by
clients we did not write: boto3's standard retries riding through injected 429s,
aioboto3's ClientError showing an injected 504, jobs made to fail, bad rules refused
whole, a journal without secrets, and admin-only access with --credentials.

Fault rules live in the memory of the instance that received them: these tests use
servers of their own, so no rule can reach another module's requests."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile

import aioboto3
import boto3
import botocore.config
import botocore.exceptions
import pytest

import support
from conftest import _serve


def control(endpoint: str, method: str, path: str, body=None, access_key: str = support.ACCESS_KEY,
            sign: bool = True) -> support.RawResponse:
    data = None if body is None else json.dumps(body).encode()
    return support.raw_request(endpoint, method, f"/_amplifybackend/{path}", data,
                               access_key=access_key, sign=sign)


@pytest.fixture(scope="module")
def control_server():
    yield from _serve("control")


@pytest.fixture(autouse=True)
def clean(request):
    """Every test starts from an empty server with no fault rules (the README's pattern)."""
    if "control_server" in request.fixturenames:
        endpoint = request.getfixturevalue("control_server").endpoint
        assert control(endpoint, "POST", "state/reset", {}).status == 200
        assert control(endpoint, "DELETE", "faults").status == 200
    yield


def test_reset_empties_the_state(control_server):
    client = support.make_client(control_server.endpoint)
    app_id = support.create_app(client)
    client.get_backend(AppId=app_id)
    response = control(control_server.endpoint, "POST", "state/reset")
    assert (response.status, response.json()) == (200, {"reset": True})
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_backend(AppId=app_id)


def test_boto3_standard_retries_ride_through_an_injected_429(control_server):
    endpoint = control_server.endpoint
    plain = support.make_client(endpoint)
    app_id = support.create_app(plain)
    rule = {"operation": "GetBackend", "times": 2,
            "error": {"statusCode": 429, "message": "Rate exceeded"}}
    assert control(endpoint, "POST", "faults", rule).status == 200
    # Without retries boto3 raises the modeled exception, limitType and all.
    with pytest.raises(plain.exceptions.TooManyRequestsException) as raised:
        plain.get_backend(AppId=app_id)
    error = raised.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert error["Error"]["Message"] == "Rate exceeded"
    assert (error.get("LimitType") or error["Error"].get("LimitType")) == "RequestRate"
    # One use left: standard retries (3 attempts) ride through it.
    retrying = boto3.session.Session().client(
        "amplifybackend", endpoint_url=endpoint, region_name=support.REGION,
        aws_access_key_id=support.ACCESS_KEY, aws_secret_access_key=support.SECRET_KEY,
        config=botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 3}))
    answer = retrying.get_backend(AppId=app_id)
    assert answer["ResponseMetadata"]["RetryAttempts"] == 1
    assert control(endpoint, "GET", "faults").json() == {"faults": []}
    journal = control(endpoint, "GET", "requests?limit=3").json()["requests"]
    assert [(r["operation"], r["status"], r["faultInjected"]) for r in journal] == [
        ("GetBackend", 200, False), ("GetBackend", 429, True), ("GetBackend", 429, True)]


def test_aioboto3_client_error_shows_an_injected_504(control_server):
    endpoint = control_server.endpoint
    rule = {"operation": "ListBackendJobs", "error": {"statusCode": 504, "message": "Upstream timed out"}}
    assert control(endpoint, "POST", "faults", [rule]).status == 200

    async def run():
        async with support.make_async_client(endpoint) as client:
            with pytest.raises(botocore.exceptions.ClientError) as raised:
                await client.list_backend_jobs(AppId="a1", BackendEnvironmentName="dev")
            return raised.value

    error = asyncio.run(run())
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 504
    assert error.response["Error"]["Code"] == "GatewayTimeoutException"
    assert error.response["Error"]["Message"] == "Upstream timed out"
    assert type(error).__name__ == "GatewayTimeoutException"


def test_an_injected_404_names_its_resource_type(control_server):
    endpoint = control_server.endpoint
    client = support.make_client(endpoint, access_key="123456789012")
    rule = {"operation": "GetBackend", "accountId": "123456789012",
            "error": {"code": "NotFoundException", "resourceType": "app"}}
    assert control(endpoint, "POST", "faults", rule).status == 200
    with pytest.raises(client.exceptions.NotFoundException) as raised:
        client.get_backend(AppId="anything")
    response = raised.value.response
    assert (response.get("ResourceType") or response["Error"].get("ResourceType")) == "app"
    # Another account is not affected: it gets the real answer.
    other = support.make_client(endpoint, access_key="210987654321")
    app_id = support.create_app(other)
    other.get_backend(AppId=app_id)


def test_a_rule_makes_the_jobs_of_an_operation_fail(control_server):
    endpoint = control_server.endpoint
    client = support.make_client(endpoint)
    app_id = support.create_app(client)
    rule = {"operation": "CreateBackendAuth", "jobStatus": "FAILED", "jobError": "Cognito is down."}
    assert control(endpoint, "POST", "faults", rule).status == 200
    started = client.create_backend_auth(
        AppId=app_id, BackendEnvironmentName="dev", ResourceName="auth1",
        ResourceConfig=support.auth_config())
    job = client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=started["JobId"])
    assert (job["Status"], job["Error"]) == ("FAILED", "Cognito is down.")
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="auth1")


@pytest.mark.parametrize("body, named", [
    ([{"latencyMs": 5}, {"probability": 1.5, "latencyMs": 5}], "[1].probability"),
    ({"operation": "GetBackend", "error": {"statusCode": 418}}, "error.statusCode"),
    ({"operation": "GetBackend", "error": {"code": "TooManyRequestsException", "statusCode": 400}},
     "error.statusCode"),
    ({"operation": "NoSuchThing", "service": "amplifybackend", "latencyMs": 5}, "operation"),
    ({"operation": "GetBackend"}, "effect"),
    ({"latencyMs": 5, "unknownField": 1}, "unknownField"),
])
def test_bad_rules_get_400_and_change_nothing(control_server, body, named):
    endpoint = control_server.endpoint
    kept = control(endpoint, "POST", "faults", {"operation": "GetBackend", "latencyMs": 1}).json()
    response = control(endpoint, "POST", "faults", body)
    assert response.status == 400
    assert response.headers["x-amzn-ErrorType"].startswith("BadRequestException")
    assert named in response.json()["message"]
    assert control(endpoint, "GET", "faults").json() == kept


def test_the_journal_never_holds_a_secret(control_server):
    endpoint = control_server.endpoint
    client = support.make_client(endpoint)
    app_id = support.create_app(client)
    token = client.create_token(AppId=app_id)
    client.get_token(AppId=app_id, SessionId=token["SessionId"])
    text = control(endpoint, "GET", "requests").body.decode()
    entries = json.loads(text)["requests"]
    assert [e["operation"] for e in entries[:2]] == ["GetToken", "CreateToken"]
    for secret in (token["ChallengeCode"], token["SessionId"], support.SECRET_KEY, "Authorization",
                   "Signature"):
        assert secret not in text


@pytest.fixture(scope="module")
def guarded_server():
    keys = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
    keys.write(
        '[[credentials]]\naccess_key_id = "AKIDADMIN"\nsecret_access_key = "secret"\n'
        'account_id = "111111111111"\nadmin = true\n\n'
        '[[credentials]]\naccess_key_id = "AKIDUSER"\nsecret_access_key = "secret"\n'
        'account_id = "222222222222"\n')
    keys.close()
    try:
        yield from _serve("guarded", extra_args=("--credentials", keys.name))
    finally:
        os.unlink(keys.name)


def test_only_admin_keys_may_use_control_with_credentials(guarded_server):
    endpoint = guarded_server.endpoint
    admin = control(endpoint, "POST", "faults", {"operation": "GetBackend", "latencyMs": 1},
                    access_key="AKIDADMIN")
    assert admin.status == 200
    user = control(endpoint, "GET", "faults", access_key="AKIDUSER")
    assert user.status == 403
    assert user.headers["x-amzn-ErrorType"].startswith("AccessDeniedException")
    unsigned = control(endpoint, "GET", "faults", sign=False)
    assert unsigned.status == 403
    assert unsigned.headers["x-amzn-ErrorType"].startswith("MissingAuthenticationToken")
    # The non-admin key still uses the API.
    support.make_client(endpoint, access_key="AKIDUSER").list_s3_buckets()
    assert control(endpoint, "DELETE", "faults", access_key="AKIDADMIN").status == 200
