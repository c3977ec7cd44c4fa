"""What a user's code does, with boto3 only: create the app with `amplify`, add a backend,
auth and an API with `amplifybackend`, list the environments with `amplify`, delete the
app, and find nothing of it left in either service."""

from __future__ import annotations

import json

import pytest

import support


@pytest.fixture
def clients(endpoint):
    account = support.new_account()
    return (support.make_amplify_client(endpoint, access_key=account),
            support.make_client(endpoint, access_key=account))


def _cloudformation(backend, app_id: str, env: str) -> dict:
    meta = json.loads(backend.get_backend(AppId=app_id, BackendEnvironmentName=env)["AmplifyMetaConfig"])
    return meta["providers"]["awscloudformation"]


def test_one_app_seen_by_both_services(clients):
    amplify, backend = clients
    app = amplify.create_app(name="Scenario", description="created with amplify")["app"]
    app_id = app["appId"]

    job = backend.create_backend(AppId=app_id, AppName="Scenario", BackendEnvironmentName="staging")
    assert job["Status"] == "COMPLETED", job
    auth = backend.create_backend_auth(AppId=app_id, BackendEnvironmentName="staging", ResourceName="auth",
                                       ResourceConfig=support.auth_config(identity_pool=True))
    support.wait_job(backend, app_id, "staging", auth["JobId"])
    api = backend.create_backend_api(AppId=app_id, BackendEnvironmentName="staging", ResourceName="api",
                                     ResourceConfig=support.api_config())
    support.wait_job(backend, app_id, "staging", api["JobId"])
    token = backend.create_token(AppId=app_id)

    # The environment AmplifyBackend made is one of the app's backend environments, with the
    # stack and deployment bucket of its amplify-meta.
    listed = amplify.list_backend_environments(appId=app_id)["backendEnvironments"]
    assert [e["environmentName"] for e in listed] == ["staging"]
    cfn = _cloudformation(backend, app_id, "staging")
    assert listed[0]["stackName"] == cfn["StackName"]
    assert listed[0]["deploymentArtifacts"] == cfn["DeploymentBucketName"]
    got = amplify.get_backend_environment(appId=app_id, environmentName="staging")["backendEnvironment"]
    assert got == listed[0]

    # And one made with `amplify` is one of the backend's environments.
    amplify.create_backend_environment(appId=app_id, environmentName="prod")
    assert sorted(backend.get_backend(AppId=app_id)["BackendEnvironmentList"]) == ["prod", "staging"]
    assert backend.get_backend(AppId=app_id)["AppName"] == "Scenario"
    assert app_id in [a["appId"] for a in amplify.list_apps()["apps"]]

    deleted = amplify.delete_app(appId=app_id)["app"]
    assert deleted["appId"] == app_id

    # Nothing of it is left, in either service.
    assert amplify.list_apps()["apps"] == []
    for call in (lambda: amplify.get_app(appId=app_id),
                 lambda: amplify.get_backend_environment(appId=app_id, environmentName="staging"),
                 lambda: amplify.get_backend_environment(appId=app_id, environmentName="prod"),
                 lambda: backend.get_backend(AppId=app_id),
                 lambda: backend.get_backend(AppId=app_id, BackendEnvironmentName="staging"),
                 lambda: backend.get_backend_auth(AppId=app_id, BackendEnvironmentName="staging",
                                                  ResourceName="auth"),
                 lambda: backend.get_backend_api(AppId=app_id, BackendEnvironmentName="staging",
                                                 ResourceName="api"),
                 lambda: backend.get_backend_job(AppId=app_id, BackendEnvironmentName="staging",
                                                 JobId=api["JobId"]),
                 lambda: backend.get_token(AppId=app_id, SessionId=token["SessionId"])):
        with pytest.raises(backend.exceptions.ClientError) as e:
            call()
        support.assert_error(e.value, "NotFoundException", 404)
    listed = _list_environments_or_not_found(amplify, app_id)
    assert listed == []
    # An app without jobs lists none (BEHAVIOUR.md): its jobs went with it.
    assert backend.list_backend_jobs(AppId=app_id, BackendEnvironmentName="staging")["Jobs"] == []

    # The app id is free again: a new backend on it starts from nothing.
    backend.create_backend(AppId=app_id, AppName="Reborn", BackendEnvironmentName="dev")
    assert backend.get_backend(AppId=app_id)["BackendEnvironmentList"] == ["dev"]
    reborn = amplify.get_app(appId=app_id)["app"]
    assert reborn["name"] == "Reborn"
    assert reborn["description"] == ""
    assert [e["environmentName"] for e in
            amplify.list_backend_environments(appId=app_id)["backendEnvironments"]] == ["dev"]


def _list_environments_or_not_found(amplify, app_id: str) -> list:
    """ListBackendEnvironments of a deleted app: AWS answers an empty list or 404."""
    try:
        return amplify.list_backend_environments(appId=app_id)["backendEnvironments"]
    except amplify.exceptions.NotFoundException:
        return []


def test_create_backend_on_an_unknown_app_creates_the_app(clients):
    amplify, backend = clients
    app_id = "implicit" + support.new_app_id()[:12]  # an Amplify appId has at most 20 characters
    backend.create_backend(AppId=app_id, AppName="Implicit", BackendEnvironmentName="dev")
    app = amplify.get_app(appId=app_id)["app"]
    assert app["name"] == "Implicit"
    assert app["platform"] == "WEB"
    assert app_id in [a["appId"] for a in amplify.list_apps()["apps"]]
    env = amplify.get_backend_environment(appId=app_id, environmentName="dev")["backendEnvironment"]
    assert env["stackName"] == _cloudformation(backend, app_id, "dev")["StackName"]


def test_app_name_must_match(clients):
    amplify, backend = clients
    app_id = amplify.create_app(name="Named")["app"]["appId"]
    with pytest.raises(backend.exceptions.BadRequestException):
        backend.create_backend(AppId=app_id, AppName="Other", BackendEnvironmentName="dev")
    assert amplify.list_backend_environments(appId=app_id)["backendEnvironments"] == []


def test_delete_backend_environment_is_delete_backend(clients):
    amplify, backend = clients
    app_id = amplify.create_app(name="Both")["app"]["appId"]
    backend.create_backend(AppId=app_id, AppName="Both", BackendEnvironmentName="dev")
    backend.clone_backend(AppId=app_id, BackendEnvironmentName="dev", TargetEnvironmentName="test")
    envs = amplify.list_backend_environments(appId=app_id)["backendEnvironments"]
    assert sorted(e["environmentName"] for e in envs) == ["dev", "test"]
    amplify.delete_backend_environment(appId=app_id, environmentName="test")
    assert backend.get_backend(AppId=app_id)["BackendEnvironmentList"] == ["dev"]
    backend.delete_backend(AppId=app_id, BackendEnvironmentName="dev")
    with pytest.raises(amplify.exceptions.NotFoundException):
        amplify.get_backend_environment(appId=app_id, environmentName="dev")
    assert amplify.get_app(appId=app_id)["app"]["name"] == "Both"


def test_pending_job_blocks_delete_backend_environment(slow_server):
    account = support.new_account()
    amplify = support.make_amplify_client(slow_server.endpoint, access_key=account)
    backend = support.make_client(slow_server.endpoint, access_key=account)
    app_id = amplify.create_app(name="Busy")["app"]["appId"]
    job = backend.create_backend(AppId=app_id, AppName="Busy", BackendEnvironmentName="dev")
    if job["Status"] in ("COMPLETED", "FAILED"):
        pytest.fail(f"a 300 ms job is already done: {job}")
    with pytest.raises(amplify.exceptions.BadRequestException) as e:
        amplify.delete_backend_environment(appId=app_id, environmentName="dev")
    support.assert_error(e.value, "BadRequestException", 400)
    assert "pending" in e.value.response["Error"]["Message"].lower()
    support.wait_job(backend, app_id, "dev", job["JobId"])
    amplify.delete_backend_environment(appId=app_id, environmentName="dev")
    with pytest.raises(backend.exceptions.NotFoundException):
        backend.get_backend(AppId=app_id, BackendEnvironmentName="dev")
