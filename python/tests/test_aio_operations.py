"""Every AmplifyBackend operation through aiobotocore's AmplifyBackendClient from the
`amplifybackend_aio_client` fixture, called as aiobotocore's documentation shows:
awaited methods, `can_paginate` and `get_paginator(...).paginate(PaginationConfig=...)`
iterated with `async for`, `generate_presigned_url`, and the modeled exceptions from
`client.exceptions`. The last test checks that every operation was called."""

from __future__ import annotations

import json
import urllib.request

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.asyncio

CALLED: set[str] = set()

APP = "aioapp"

SCHEMA = """type Todo @model @auth(rules: [{allow: public}]) {
  id: ID!
  name: String!
}
"""

AUTH = {
    "AuthResources": "USER_POOL_ONLY",
    "Service": "COGNITO",
    "UserPoolConfigs": {
        "UserPoolName": "aiopool",
        "SignInMethod": "EMAIL",
        "RequiredSignUpAttributes": ["EMAIL"],
    },
}

API = {
    "ApiName": "aioapi",
    "Service": "AppSync",
    "TransformSchema": SCHEMA,
    "DefaultAuthType": {"Mode": "API_KEY", "Settings": {"ExpirationTime": 7}},
}

STORAGE = {
    "BucketName": "aiofiles",
    "ServiceName": "S3",
    "Permissions": {"Authenticated": ["READ"]},
}


@pytest.fixture
def amplifybackend_client_config():
    """One attempt per call: an injected 429 or 504 surfaces instead of being retried."""
    return {"retries": {"mode": "standard", "total_max_attempts": 1}}


@pytest.fixture
def client(amplifybackend_aio_client):
    """The fixture's client, with every operation it sends recorded."""

    def record(model, **_kwargs):
        CALLED.add(model.name)

    amplifybackend_aio_client.meta.events.register("before-call.amplifybackend", record)
    return amplifybackend_aio_client


async def create_app(client, env="dev"):
    job = await client.create_backend(AppId=APP, AppName="aio", BackendEnvironmentName=env)
    assert job["Status"] == "COMPLETED", job
    return job


async def test_backends(client):
    created = await create_app(client)
    assert created["Operation"] == "CreateBackend"
    backend = await client.get_backend(AppId=APP, BackendEnvironmentName="dev")
    assert backend["AppName"] == "aio"
    assert json.loads(backend["AmplifyMetaConfig"])

    cloned = await client.clone_backend(
        AppId=APP, BackendEnvironmentName="dev", TargetEnvironmentName="test"
    )
    assert cloned["Status"] == "COMPLETED"
    assert (await client.get_backend(AppId=APP))["BackendEnvironmentList"] == ["dev", "test"]

    deleted = await client.delete_backend(AppId=APP, BackendEnvironmentName="test")
    assert deleted["Operation"] == "DeleteBackend"
    assert (await client.get_backend(AppId=APP))["BackendEnvironmentList"] == ["dev"]

    removed = await client.remove_all_backends(AppId=APP, CleanAmplifyApp=True)
    assert removed["Status"] == "COMPLETED"
    with pytest.raises(client.exceptions.NotFoundException) as caught:
        await client.get_backend(AppId=APP)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


async def test_auth(client):
    await create_app(client)
    created = await client.create_backend_auth(
        AppId=APP, BackendEnvironmentName="dev", ResourceName="users", ResourceConfig=AUTH
    )
    assert created["Status"] == "COMPLETED"
    got = await client.get_backend_auth(
        AppId=APP, BackendEnvironmentName="dev", ResourceName="users"
    )
    assert got["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"] == "aiopool"

    updated = await client.update_backend_auth(
        AppId=APP,
        BackendEnvironmentName="dev",
        ResourceName="users",
        ResourceConfig={
            "AuthResources": "USER_POOL_ONLY",
            "Service": "COGNITO",
            "UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 12}},
        },
    )
    assert updated["Operation"] == "UpdateBackendAuth"
    got = await client.get_backend_auth(
        AppId=APP, BackendEnvironmentName="dev", ResourceName="users"
    )
    assert got["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] == 12

    deleted = await client.delete_backend_auth(
        AppId=APP, BackendEnvironmentName="dev", ResourceName="users"
    )
    assert deleted["Status"] == "COMPLETED"
    with pytest.raises(client.exceptions.NotFoundException):
        await client.get_backend_auth(AppId=APP, BackendEnvironmentName="dev", ResourceName="users")

    imported = await client.import_backend_auth(
        AppId=APP,
        BackendEnvironmentName="dev",
        UserPoolId="us-east-1_AbCdEf123",
        NativeClientId="native",
        WebClientId="web",
    )
    assert imported["Operation"] == "ImportBackendAuth"
    assert imported["Status"] == "COMPLETED"


async def test_api_and_models(client):
    await create_app(client)
    created = await client.create_backend_api(
        AppId=APP, BackendEnvironmentName="dev", ResourceName="api", ResourceConfig=API
    )
    assert created["Status"] == "COMPLETED"
    got = await client.get_backend_api(AppId=APP, BackendEnvironmentName="dev", ResourceName="api")
    assert got["ResourceConfig"]["ApiName"] == "aioapi"

    updated = await client.update_backend_api(
        AppId=APP,
        BackendEnvironmentName="dev",
        ResourceName="api",
        ResourceConfig={"TransformSchema": SCHEMA + "type Note @model { id: ID! }\n"},
    )
    assert updated["Operation"] == "UpdateBackendAPI"

    generated = await client.generate_backend_api_models(
        AppId=APP, BackendEnvironmentName="dev", ResourceName="api"
    )
    assert generated["Status"] == "COMPLETED"
    models = await client.get_backend_api_models(
        AppId=APP, BackendEnvironmentName="dev", ResourceName="api"
    )
    assert models["Status"] == "LATEST"
    assert "Note" in models["Models"]

    deleted = await client.delete_backend_api(
        AppId=APP, BackendEnvironmentName="dev", ResourceName="api"
    )
    assert deleted["Status"] == "COMPLETED"
    with pytest.raises(client.exceptions.NotFoundException):
        await client.get_backend_api(AppId=APP, BackendEnvironmentName="dev", ResourceName="api")


async def test_storage_and_buckets(client):
    await create_app(client)
    created = await client.create_backend_storage(
        AppId=APP, BackendEnvironmentName="dev", ResourceName="files", ResourceConfig=STORAGE
    )
    assert created["Status"] == "COMPLETED"
    got = await client.get_backend_storage(
        AppId=APP, BackendEnvironmentName="dev", ResourceName="files"
    )
    assert got["ResourceConfig"]["Permissions"]["Authenticated"] == ["READ"]

    updated = await client.update_backend_storage(
        AppId=APP,
        BackendEnvironmentName="dev",
        ResourceName="files",
        ResourceConfig={"ServiceName": "S3", "Permissions": {"Authenticated": ["READ", "DELETE"]}},
    )
    assert updated["Status"] == "COMPLETED"

    buckets = await client.list_s3_buckets()
    names = [bucket["Name"] for bucket in buckets["Buckets"]]
    assert any(name.startswith("aiofiles") for name in names), names

    deleted = await client.delete_backend_storage(
        AppId=APP, BackendEnvironmentName="dev", ResourceName="files", ServiceName="S3"
    )
    assert deleted["Status"] == "COMPLETED"

    imported = await client.import_backend_storage(
        AppId=APP, BackendEnvironmentName="dev", BucketName=names[0], ServiceName="S3"
    )
    assert imported["Status"] == "COMPLETED"
    job = await client.get_backend_job(
        AppId=APP, BackendEnvironmentName="dev", JobId=imported["JobId"]
    )
    assert job["Operation"] == "ImportBackendStorage"


async def test_studio_config(client):
    await create_app(client)
    created = await client.create_backend_config(AppId=APP, BackendManagerAppId="manager")
    assert created["Status"] == "COMPLETED"
    login = {"AwsCognitoRegion": "us-east-1", "AwsUserPoolsId": "us-east-1_AbCdEf123"}
    updated = await client.update_backend_config(AppId=APP, LoginAuthConfig=login)
    assert updated["LoginAuthConfig"] == login
    await client.remove_backend_config(AppId=APP)
    with pytest.raises(client.exceptions.NotFoundException):
        await client.update_backend_config(AppId="nosuchapp", LoginAuthConfig=login)


async def test_tokens(client):
    await create_app(client)
    token = await client.create_token(AppId=APP)
    same = await client.get_token(AppId=APP, SessionId=token["SessionId"])
    assert same["ChallengeCode"] == token["ChallengeCode"]
    deleted = await client.delete_token(AppId=APP, SessionId=token["SessionId"])
    assert deleted["IsSuccess"] is True
    with pytest.raises(client.exceptions.NotFoundException):
        await client.get_token(AppId=APP, SessionId=token["SessionId"])


async def test_jobs_and_paginators(client):
    await create_app(client)
    for target in ("aa", "bb", "cc", "dd"):
        await client.clone_backend(
            AppId=APP, BackendEnvironmentName="dev", TargetEnvironmentName=target
        )
    listed = await client.list_backend_jobs(AppId=APP, BackendEnvironmentName="dev")
    job_ids = [job["JobId"] for job in listed["Jobs"]]
    assert len(job_ids) == 5

    assert client.can_paginate("list_backend_jobs")
    assert not client.can_paginate("get_backend")
    paginator = client.get_paginator("list_backend_jobs")
    pages = []
    async for page in paginator.paginate(
        AppId=APP, BackendEnvironmentName="dev", PaginationConfig={"PageSize": 2}
    ):
        pages.append([job["JobId"] for job in page["Jobs"]])
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [job_id for page in pages for job_id in page] == job_ids

    first = await paginator.paginate(
        AppId=APP,
        BackendEnvironmentName="dev",
        PaginationConfig={"MaxItems": 3, "PageSize": 2},
    ).build_full_result()
    assert [job["JobId"] for job in first["Jobs"]] == job_ids[:3]
    rest = await paginator.paginate(
        AppId=APP,
        BackendEnvironmentName="dev",
        PaginationConfig={"StartingToken": first["NextToken"], "PageSize": 2},
    ).build_full_result()
    assert [job["JobId"] for job in rest["Jobs"]] == job_ids[3:]

    job = await client.get_backend_job(AppId=APP, BackendEnvironmentName="dev", JobId=job_ids[0])
    assert job["Status"] == "COMPLETED"
    with pytest.raises(client.exceptions.BadRequestException):
        await client.update_backend_job(
            AppId=APP, BackendEnvironmentName="dev", JobId=job_ids[0], Status="FAILED"
        )
    with pytest.raises(client.exceptions.NotFoundException):
        await client.get_backend_job(AppId=APP, BackendEnvironmentName="dev", JobId="nope")


async def test_presigned_url(client, amplifybackend):
    created = await create_app(client)
    url = await client.generate_presigned_url(
        "get_backend_job",
        Params={"AppId": APP, "BackendEnvironmentName": "dev", "JobId": created["JobId"]},
        ExpiresIn=300,
    )
    assert url.startswith(amplifybackend.endpoint_url)
    assert "X-Amz-Signature=" in url
    with urllib.request.urlopen(url, timeout=10) as answer:
        job = json.loads(answer.read())
    assert job["jobId"] == created["JobId"]
    assert job["status"] == "COMPLETED"


async def test_injected_errors_are_the_modeled_exceptions(client, amplifybackend):
    amplifybackend.faults.add("GetBackend", status_code=429, times=1)
    with pytest.raises(client.exceptions.TooManyRequestsException) as caught:
        await client.get_backend(AppId="anything")
    assert caught.value.response["Error"]["Code"] == "TooManyRequestsException"
    amplifybackend.faults.add("GetBackend", status_code=504, times=10)
    with pytest.raises(client.exceptions.GatewayTimeoutException):
        await client.get_backend(AppId="anything")
    amplifybackend.faults.clear()
    with pytest.raises(client.exceptions.NotFoundException):
        await client.get_backend(AppId="anything")


async def test_pending_job_in_manual_mode(client, amplifybackend):
    await create_app(client)
    amplifybackend.jobs.manual()
    job = await client.create_backend_auth(
        AppId=APP, BackendEnvironmentName="dev", ResourceName="users", ResourceConfig=AUTH
    )
    assert job["Status"] == "RUNNING"
    # One pending job per environment: the real service's unmodeled ValidationException.
    with pytest.raises(ClientError) as caught:
        await client.create_backend_api(
            AppId=APP, BackendEnvironmentName="dev", ResourceName="api", ResourceConfig=API
        )
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    amplifybackend.jobs.advance(APP, "dev", job["JobId"])
    done = await client.get_backend_job(AppId=APP, BackendEnvironmentName="dev", JobId=job["JobId"])
    assert done["Status"] == "COMPLETED"


async def test_every_operation_was_called(client):
    everything = set(client.meta.service_model.operation_names)
    assert len(everything) == 31
    assert sorted(everything - CALLED) == []
