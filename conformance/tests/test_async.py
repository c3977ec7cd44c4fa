"""aioboto3 / aiobotocore: the documented usage pattern against our server."""

import asyncio
import json

import aioboto3
import pytest

import support
from support import ACCESS_KEY, REGION, SECRET_KEY, auth_config, new_app_id


async def test_documented_usage_pattern(endpoint):
    app_id = new_app_id()
    session = aioboto3.Session()
    async with session.client("amplifybackend", endpoint_url=endpoint, region_name=REGION,
                              aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY) as client:
        created = await client.create_backend(AppId=app_id, AppName="asyncapp", BackendEnvironmentName="dev")
        assert created["Status"] == "COMPLETED"
        assert created["Operation"] == "CreateBackend"

        backend = await client.get_backend(AppId=app_id, BackendEnvironmentName="dev")
        assert backend["AppName"] == "asyncapp"
        assert backend["BackendEnvironmentList"] == ["dev"]
        cfn = json.loads(backend["AmplifyMetaConfig"])["providers"]["awscloudformation"]
        assert cfn["AmplifyAppId"] == app_id
        assert "features" in json.loads(backend["AmplifyFeatureFlags"])

        auth = await client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev",
                                                ResourceName="authres", ResourceConfig=auth_config())
        assert auth["Status"] == "COMPLETED"
        got = await client.get_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres")
        assert got["ResourceConfig"]["UserPoolConfigs"]["SignInMethod"] == "EMAIL"
        assert got["ResourceConfig"]["UserPoolConfigs"]["Mfa"]["MFAMode"] == "OPTIONAL"

        job = await client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=auth["JobId"])
        assert job["Operation"] == "CreateBackendAuth"
        jobs = await client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")
        assert [j["Operation"] for j in jobs["Jobs"]] == ["CreateBackendAuth", "CreateBackend"]

        token = await client.create_token(AppId=app_id)
        same = await client.get_token(AppId=app_id, SessionId=token["SessionId"])
        assert same["ChallengeCode"] == token["ChallengeCode"]
        deleted = await client.delete_token(AppId=app_id, SessionId=token["SessionId"])
        assert deleted["IsSuccess"] is True

        storage = await client.create_backend_storage(
            AppId=app_id, BackendEnvironmentName="dev", ResourceName="files",
            ResourceConfig=support.storage_config(bucket="asyncfiles"))
        assert storage["Status"] == "COMPLETED"
        names, kwargs = [], {}
        while True:
            page = await client.list_s3_buckets(**kwargs)
            names.extend(b["Name"] for b in page["Buckets"])
            if not page.get("NextToken"):
                break
            kwargs["NextToken"] = page["NextToken"]
        assert any(n.startswith("asyncfiles") and n.endswith("-dev") for n in names), names

        cloned = await client.clone_backend(AppId=app_id, BackendEnvironmentName="dev", TargetEnvironmentName="test")
        assert cloned["Status"] == "COMPLETED"
        removed = await client.remove_all_backends(AppId=app_id, CleanAmplifyApp=True)
        assert removed["Status"] == "COMPLETED"
        with pytest.raises(client.exceptions.NotFoundException):
            await client.get_backend(AppId=app_id)


async def test_async_not_found_exception(endpoint):
    async with support.make_async_client(endpoint) as client:
        with pytest.raises(client.exceptions.NotFoundException) as e:
            await client.get_backend(AppId=new_app_id())
        r = e.value.response
        assert r["Error"]["Code"] == "NotFoundException"
        assert r["ResponseMetadata"]["HTTPStatusCode"] == 404
        assert r["ResponseMetadata"]["RequestId"]
        assert r["Error"]["Message"]

        with pytest.raises(client.exceptions.NotFoundException):
            await client.get_backend_job(AppId=new_app_id(), BackendEnvironmentName="dev",
                                         JobId="0b0e7c8e-2b1a-4d4e-9f00-123456789abc")


async def test_async_bad_request_exception(endpoint):
    async with support.make_async_client(endpoint, validate=False) as client:
        app_id = new_app_id()
        await client.create_backend(AppId=app_id, AppName="x", BackendEnvironmentName="dev")
        with pytest.raises(client.exceptions.BadRequestException) as e:
            await client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev", MaxResults=26)
        assert e.value.response["Error"]["Code"] == "BadRequestException"
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


async def test_async_concurrent_requests(endpoint):
    async with support.make_async_client(endpoint) as client:
        app_ids = [new_app_id() for _ in range(10)]
        created = await asyncio.gather(*[
            client.create_backend(AppId=a, AppName="concurrent", BackendEnvironmentName="dev") for a in app_ids])
        assert [c["AppId"] for c in created] == app_ids
        assert all(c["Status"] == "COMPLETED" for c in created)
        got = await asyncio.gather(*[client.get_backend(AppId=a) for a in app_ids])
        assert [g["AppId"] for g in got] == app_ids
        request_ids = [g["ResponseMetadata"]["RequestId"] for g in got]
        assert len(set(request_ids)) == len(request_ids)


async def test_async_job_states(slow_server):
    async with support.make_async_client(slow_server.endpoint) as client:
        app_id = new_app_id()
        resp = await client.create_backend(AppId=app_id, AppName="asyncslow", BackendEnvironmentName="dev")
        assert resp["Status"] == "RUNNING"
        for _ in range(200):
            job = await client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=resp["JobId"])
            if job["Status"] != "RUNNING":
                break
            await asyncio.sleep(0.05)
        assert job["Status"] == "COMPLETED"
