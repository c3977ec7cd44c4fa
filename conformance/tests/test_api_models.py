"""GenerateBackendAPIModels / GetBackendAPIModels with boto3 and aioboto3: LATEST after a
generation, STALE after a schema change, a FAILED job for a schema the generator rejects."""

import asyncio
import json

import support
from support import TODO_SCHEMA, api_config, new_app_id

API = "modelsapi"


def _setup(client):
    app_id = new_app_id()
    support.create_app(client, app_id=app_id)
    client.create_backend_api(AppId=app_id, BackendEnvironmentName="dev", ResourceName=API,
                              ResourceConfig=api_config())
    return app_id


def _models(client, app_id):
    return client.get_backend_api_models(AppId=app_id, BackendEnvironmentName="dev", ResourceName=API)


def _generate(client, app_id):
    return client.generate_backend_api_models(AppId=app_id, BackendEnvironmentName="dev",
                                              ResourceName=API)


def test_models_are_latest_then_stale(server):
    client = support.make_client(server.endpoint)
    app_id = _setup(client)
    assert _models(client, app_id)["Status"] == "STALE"

    job = _generate(client, app_id)
    assert job["Status"] == "COMPLETED", job
    assert job["Operation"] == "GenerateBackendAPIModels"
    done = client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=job["JobId"])
    assert done["Status"] == "COMPLETED"

    latest = _models(client, app_id)
    assert latest["Status"] == "LATEST"
    assert latest["Models"].startswith("export const schema = {")
    body = latest["Models"][latest["Models"].index("{"):].rstrip().rstrip(";")
    schema = json.loads(body)
    assert "Todo" in schema["models"]
    mis = json.loads(latest["ModelIntrospectionSchema"])
    assert mis["version"] == 1
    assert mis["models"]["Todo"]["primaryKeyInfo"]["primaryKeyFieldName"] == "id"

    client.update_backend_api(AppId=app_id, BackendEnvironmentName="dev", ResourceName=API,
                              ResourceConfig={"TransformSchema": TODO_SCHEMA + "type Note @model { id: ID! }\n"})
    stale = _models(client, app_id)
    assert stale["Status"] == "STALE"
    assert stale["Models"] == latest["Models"]

    assert _generate(client, app_id)["Status"] == "COMPLETED"
    regenerated = _models(client, app_id)
    assert regenerated["Status"] == "LATEST"
    assert "Note" in json.loads(regenerated["ModelIntrospectionSchema"])["models"]


def test_a_schema_the_generator_rejects_fails_the_job(server):
    client = support.make_client(server.endpoint)
    app_id = _setup(client)
    client.update_backend_api(AppId=app_id, BackendEnvironmentName="dev", ResourceName=API,
                              ResourceConfig={"TransformSchema": "type Todo @model {\n  id: ID!\n  x: Missing\n}\n"})
    job = _generate(client, app_id)
    assert job["Status"] == "FAILED"
    assert "line 3" in job["Error"], job["Error"]


def test_unknown_api_is_not_found(server):
    client = support.make_client(server.endpoint)
    app_id = _setup(client)
    try:
        client.get_backend_api_models(AppId=app_id, BackendEnvironmentName="dev", ResourceName="nope")
    except client.exceptions.NotFoundException:
        pass
    else:
        raise AssertionError("expected NotFoundException")


def test_deferred_generation_with_aioboto3(slow_server):
    async def run():
        async with support.make_async_client(slow_server.endpoint) as client:
            app_id = new_app_id()
            job = await client.create_backend(AppId=app_id, AppName="Models", BackendEnvironmentName="dev")
            await _wait(client, app_id, job["JobId"])
            job = await client.create_backend_api(AppId=app_id, BackendEnvironmentName="dev",
                                                  ResourceName=API, ResourceConfig=api_config())
            await _wait(client, app_id, job["JobId"])
            job = await client.generate_backend_api_models(AppId=app_id, BackendEnvironmentName="dev",
                                                           ResourceName=API)
            assert job["Status"] == "RUNNING"
            pending = await client.get_backend_api_models(AppId=app_id, BackendEnvironmentName="dev",
                                                          ResourceName=API)
            assert pending["Status"] == "STALE"
            await _wait(client, app_id, job["JobId"])
            latest = await client.get_backend_api_models(AppId=app_id, BackendEnvironmentName="dev",
                                                         ResourceName=API)
            assert latest["Status"] == "LATEST"

    asyncio.run(run())


async def _wait(client, app_id, job_id):
    for _ in range(100):
        job = await client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=job_id)
        if job["Status"] != "RUNNING":
            assert job["Status"] == "COMPLETED", job
            return
        await asyncio.sleep(0.05)
    raise AssertionError("job did not finish")
