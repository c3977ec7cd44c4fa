"""Backend config (Studio enablement): Create/Update/RemoveBackendConfig."""

import pytest

import support
from support import UUID4_RE, create_app, new_app_id

LOGIN = {
    "AwsCognitoIdentityPoolId": "us-east-1:4f5e2b9a-1c3d-4e5f-8a9b-0c1d2e3f4a5b",
    "AwsCognitoRegion": "us-east-1",
    "AwsUserPoolsId": "us-east-1_AbCdEf123",
    "AwsUserPoolsWebClientId": "webclient123",
}


def test_create_backend_config_unknown_app_uses_staging(client):
    app_id = new_app_id()
    resp = client.create_backend_config(AppId=app_id, BackendManagerAppId="manager1")
    assert resp["AppId"] == app_id
    assert resp["BackendEnvironmentName"] == "staging"
    assert resp["Status"] == "COMPLETED"
    assert UUID4_RE.match(resp["JobId"])
    job = client.get_backend_job(AppId=app_id, BackendEnvironmentName="staging", JobId=resp["JobId"])
    assert job["Operation"] == "CreateBackendConfig"
    assert job["Status"] == "COMPLETED"
    # the app record now exists
    assert client.get_backend(AppId=app_id)["AppId"] == app_id


def test_create_update_remove_backend_config(client):
    app_id = create_app(client, env="prod")
    resp = client.create_backend_config(AppId=app_id, BackendManagerAppId="manager2")
    assert resp["AppId"] == app_id
    assert resp["BackendEnvironmentName"] == "prod"
    assert resp["Status"] == "COMPLETED"
    job = client.get_backend_job(AppId=app_id, BackendEnvironmentName="prod", JobId=resp["JobId"])
    assert job["Operation"] == "CreateBackendConfig"

    upd = client.update_backend_config(AppId=app_id, LoginAuthConfig=LOGIN)
    assert upd["AppId"] == app_id
    assert upd["BackendManagerAppId"] == "manager2"
    assert upd["LoginAuthConfig"] == LOGIN
    assert "Error" not in upd

    upd2 = client.update_backend_config(
        AppId=app_id, LoginAuthConfig=dict(LOGIN, AwsUserPoolsWebClientId="webclient456"))
    assert upd2["LoginAuthConfig"]["AwsUserPoolsWebClientId"] == "webclient456"

    removed = client.remove_backend_config(AppId=app_id)
    assert removed["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert "Error" not in removed
    # the app and its environments are untouched
    assert client.get_backend(AppId=app_id)["BackendEnvironmentList"] == ["prod"]


def test_backend_config_unknown_app(client):
    with pytest.raises(client.exceptions.NotFoundException) as e:
        client.update_backend_config(AppId=new_app_id(), LoginAuthConfig=LOGIN)
    support.assert_error(e.value, "NotFoundException", 404)
    with pytest.raises(client.exceptions.NotFoundException):
        client.remove_backend_config(AppId=new_app_id())
