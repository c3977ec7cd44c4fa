"""Apps and environments: CreateBackend, GetBackend, CloneBackend, DeleteBackend,
RemoveAllBackends (boto3, inline jobs)."""

import json
import re
import time

import pytest

import support
from support import UUID4_RE, DECIMAL_RE, create_app, meta, new_app_id


def test_create_backend_completes_inline(client):
    app_id = new_app_id()
    before_ms = int(time.time() * 1000)
    resp = client.create_backend(AppId=app_id, AppName="myapp", BackendEnvironmentName="dev")
    after_ms = int(time.time() * 1000)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert resp["AppId"] == app_id
    assert resp["BackendEnvironmentName"] == "dev"
    assert resp["Operation"] == "CreateBackend"
    assert resp["Status"] == "COMPLETED"
    assert UUID4_RE.match(resp["JobId"]), resp["JobId"]
    assert "Error" not in resp

    job = client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=resp["JobId"])
    assert job["JobId"] == resp["JobId"]
    assert job["AppId"] == app_id
    assert job["BackendEnvironmentName"] == "dev"
    assert job["Operation"] == "CreateBackend"
    assert job["Status"] == "COMPLETED"
    for key in ("CreateTime", "UpdateTime"):
        assert DECIMAL_RE.match(job[key]), f"{key} is not epoch milliseconds: {job[key]!r}"
        assert before_ms - 5000 <= int(job[key]) <= after_ms + 5000, (key, job[key], before_ms)
    assert int(job["CreateTime"]) <= int(job["UpdateTime"])


def test_request_ids_are_unique(client, app_id):
    a = client.get_backend(AppId=app_id)["ResponseMetadata"]["RequestId"]
    b = client.get_backend(AppId=app_id)["ResponseMetadata"]["RequestId"]
    assert a and b and a != b


def test_get_backend_without_environment(client):
    app_id = create_app(client, env="prod", app_name="sortedapp")
    create_app(client, env="dev", app_id=app_id, app_name="sortedapp")
    create_app(client, env="test", app_id=app_id, app_name="sortedapp")
    resp = client.get_backend(AppId=app_id)
    assert resp["AppId"] == app_id
    assert resp["AppName"] == "sortedapp"
    assert resp["BackendEnvironmentList"] == ["dev", "prod", "test"]
    # Without backendEnvironmentName, only the app-level fields [chosen].
    assert "AmplifyMetaConfig" not in resp
    assert "AmplifyFeatureFlags" not in resp
    assert "BackendEnvironmentName" not in resp


def test_get_backend_with_environment(client, app_id):
    resp = client.get_backend(AppId=app_id, BackendEnvironmentName="dev")
    assert resp["AppId"] == app_id
    assert resp["AppName"] == "conformance"
    assert resp["BackendEnvironmentName"] == "dev"
    assert resp["BackendEnvironmentList"] == ["dev"]

    doc = json.loads(resp["AmplifyMetaConfig"])
    cfn = doc["providers"]["awscloudformation"]
    for key in ("AuthRoleName", "AuthRoleArn", "UnauthRoleName", "UnauthRoleArn", "Region",
                "DeploymentBucketName", "StackName", "StackId", "AmplifyAppId"):
        assert isinstance(cfn.get(key), str) and cfn[key], f"providers.awscloudformation.{key}: {cfn}"
    assert cfn["Region"] == "us-east-1"
    assert cfn["AmplifyAppId"] == app_id
    assert re.fullmatch(r"arn:aws:iam::\d{12}:role/" + re.escape(cfn["AuthRoleName"]), cfn["AuthRoleArn"]), cfn
    assert re.fullmatch(r"arn:aws:iam::\d{12}:role/" + re.escape(cfn["UnauthRoleName"]), cfn["UnauthRoleArn"]), cfn
    assert cfn["StackId"].startswith("arn:aws:cloudformation:us-east-1:"), cfn["StackId"]
    assert cfn["StackName"] in cfn["StackId"], cfn
    # No resources yet: no auth/api/storage entries (or empty ones).
    for category in ("auth", "api", "storage"):
        assert not doc.get(category), doc

    flags = json.loads(resp["AmplifyFeatureFlags"])
    assert isinstance(flags.get("features"), dict) and flags["features"], flags

    def check_lower(d, path):
        for k, v in d.items():
            assert k == k.lower(), f"feature key not lowercase: {path}{k}"
            if isinstance(v, dict):
                check_lower(v, f"{path}{k}.")

    check_lower(flags["features"], "features.")


def test_amplify_meta_is_stable(client, app_id):
    first = meta(client, app_id, "dev")
    second = meta(client, app_id, "dev")
    assert first == second


def test_get_backend_unknown_environment(client, app_id):
    with pytest.raises(client.exceptions.NotFoundException) as e:
        client.get_backend(AppId=app_id, BackendEnvironmentName="nope")
    support.assert_error(e.value, "NotFoundException", 404)


def test_create_backend_on_known_app_adds_environment(client, app_id):
    resp = client.create_backend(AppId=app_id, AppName="conformance", BackendEnvironmentName="prod")
    assert resp["Status"] == "COMPLETED"
    assert client.get_backend(AppId=app_id)["BackendEnvironmentList"] == ["dev", "prod"]


def test_create_backend_app_name_mismatch(client, app_id):
    with pytest.raises(client.exceptions.BadRequestException) as e:
        client.create_backend(AppId=app_id, AppName="othername", BackendEnvironmentName="prod")
    support.assert_error(e.value, "BadRequestException", 400)
    assert client.get_backend(AppId=app_id)["BackendEnvironmentList"] == ["dev"]


@pytest.mark.parametrize("env", ["Dev", "d", "dev1", "dev-env", "abcdefghijk", ""])
def test_create_backend_invalid_environment_name(raw_client, env):
    app_id = new_app_id()
    with pytest.raises(raw_client.exceptions.BadRequestException) as e:
        raw_client.create_backend(AppId=app_id, AppName="x", BackendEnvironmentName=env)
    support.assert_error(e.value, "BadRequestException", 400)
    with pytest.raises(raw_client.exceptions.NotFoundException):
        raw_client.get_backend(AppId=app_id)


def test_clone_backend(client, app_id):
    client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
                               ResourceConfig=support.auth_config())
    resp = client.clone_backend(AppId=app_id, BackendEnvironmentName="dev", TargetEnvironmentName="test")
    assert resp["AppId"] == app_id
    assert resp["Operation"] == "CloneBackend"
    assert resp["Status"] == "COMPLETED"
    assert UUID4_RE.match(resp["JobId"])
    # The clone job belongs to the source environment.
    job = client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=resp["JobId"])
    assert job["Operation"] == "CloneBackend"
    assert job["Status"] == "COMPLETED"

    assert client.get_backend(AppId=app_id)["BackendEnvironmentList"] == ["dev", "test"]
    src = client.get_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres")
    dst = client.get_backend_auth(AppId=app_id, BackendEnvironmentName="test", ResourceName="authres")
    assert dst["BackendEnvironmentName"] == "test"
    assert dst["ResourceConfig"] == src["ResourceConfig"]
    assert "authres" in meta(client, app_id, "test")["auth"]


def test_clone_backend_target_exists(client, app_id):
    create_app(client, env="prod", app_id=app_id)
    with pytest.raises(client.exceptions.BadRequestException) as e:
        client.clone_backend(AppId=app_id, BackendEnvironmentName="dev", TargetEnvironmentName="prod")
    support.assert_error(e.value, "BadRequestException", 400)


def test_clone_backend_unknown_source(client, app_id):
    with pytest.raises(client.exceptions.NotFoundException) as e:
        client.clone_backend(AppId=app_id, BackendEnvironmentName="nope", TargetEnvironmentName="test")
    support.assert_error(e.value, "NotFoundException", 404)
    assert client.get_backend(AppId=app_id)["BackendEnvironmentList"] == ["dev"]


def test_delete_backend(client, app_id):
    create_app(client, env="prod", app_id=app_id)
    resp = client.delete_backend(AppId=app_id, BackendEnvironmentName="dev")
    assert resp["AppId"] == app_id
    assert resp["BackendEnvironmentName"] == "dev"
    assert resp["Operation"] == "DeleteBackend"
    assert resp["Status"] == "COMPLETED"
    assert client.get_backend(AppId=app_id)["BackendEnvironmentList"] == ["prod"]
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_backend(AppId=app_id, BackendEnvironmentName="dev")


def test_delete_backend_unknown(client, app_id):
    with pytest.raises(client.exceptions.NotFoundException):
        client.delete_backend(AppId=app_id, BackendEnvironmentName="nope")
    with pytest.raises(client.exceptions.NotFoundException):
        client.delete_backend(AppId=new_app_id(), BackendEnvironmentName="dev")


def test_remove_all_backends_keeps_app(client, app_id):
    create_app(client, env="prod", app_id=app_id)
    resp = client.remove_all_backends(AppId=app_id, CleanAmplifyApp=False)
    assert resp["AppId"] == app_id
    assert resp["Operation"] == "RemoveAllBackends"
    assert resp["Status"] == "COMPLETED"
    got = client.get_backend(AppId=app_id)
    assert got["AppId"] == app_id
    assert got.get("BackendEnvironmentList", []) == []
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_backend(AppId=app_id, BackendEnvironmentName="dev")


def test_remove_all_backends_clean_amplify_app(client, app_id):
    create_app(client, env="prod", app_id=app_id)
    resp = client.remove_all_backends(AppId=app_id, CleanAmplifyApp=True)
    assert resp["AppId"] == app_id
    assert resp["Operation"] == "RemoveAllBackends"
    assert resp["Status"] == "COMPLETED"
    with pytest.raises(client.exceptions.NotFoundException) as e:
        client.get_backend(AppId=app_id)
    support.assert_error(e.value, "NotFoundException", 404)
    # The app is gone: the same appId can be created again with another name.
    create_app(client, env="dev", app_id=app_id, app_name="reborn")
    assert client.get_backend(AppId=app_id)["AppName"] == "reborn"


def test_remove_all_backends_unknown_app(client):
    with pytest.raises(client.exceptions.NotFoundException):
        client.remove_all_backends(AppId=new_app_id(), CleanAmplifyApp=True)
