"""Modeled errors as boto3 sees them: codes, statuses, ResourceType, request ids,
and server-side validation (client-side validation off where botocore would stop us)."""

import pytest

import support
from support import auth_config, new_app_id

UNKNOWN_JOB = "0b0e7c8e-2b1a-4d4e-9f00-123456789abc"


def _check_not_found(exc):
    support.assert_error(exc, "NotFoundException", 404)
    r = exc.response
    # botocore merges the modeled members of NotFoundException (message, resourceType)
    # into the parsed response.
    assert isinstance(r.get("ResourceType"), str) and r["ResourceType"], r
    assert r.get("Message"), r
    headers = r["ResponseMetadata"]["HTTPHeaders"]
    assert headers.get("x-amzn-errortype", "").split(":")[0] == "NotFoundException", headers
    assert headers.get("content-type", "").startswith("application/json"), headers


def test_not_found_unknown_app(client):
    with pytest.raises(client.exceptions.NotFoundException) as e:
        client.get_backend(AppId=new_app_id())
    _check_not_found(e.value)


def test_not_found_unknown_environment(client, app_id):
    with pytest.raises(client.exceptions.NotFoundException) as e:
        client.get_backend_auth(AppId=app_id, BackendEnvironmentName="nope", ResourceName="authres")
    _check_not_found(e.value)
    with pytest.raises(client.exceptions.NotFoundException) as e:
        client.get_backend_storage(AppId=app_id, BackendEnvironmentName="nope", ResourceName="files")
    _check_not_found(e.value)
    with pytest.raises(client.exceptions.NotFoundException) as e:
        client.clone_backend(AppId=app_id, BackendEnvironmentName="nope", TargetEnvironmentName="other")
    _check_not_found(e.value)


def test_not_found_unknown_job(client, app_id):
    with pytest.raises(client.exceptions.NotFoundException) as e:
        client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=UNKNOWN_JOB)
    _check_not_found(e.value)


def test_not_found_request_ids_differ(client):
    ids = set()
    for _ in range(3):
        with pytest.raises(client.exceptions.NotFoundException) as e:
            client.get_backend(AppId=new_app_id())
        ids.add(e.value.response["ResponseMetadata"]["RequestId"])
    assert len(ids) == 3


def test_modeled_exception_classes(client):
    for name in ("BadRequestException", "NotFoundException", "TooManyRequestsException",
                 "GatewayTimeoutException"):
        assert hasattr(client.exceptions, name)


@pytest.mark.parametrize("case", ["auth_resources", "mfa_mode", "storage_service", "api_mode",
                                  "oauth_scope", "required_attribute"])
def test_unknown_enum_value(raw_client, app_id, case):
    def call():
        if case == "auth_resources":
            cfg = dict(auth_config(), AuthResources="EVERYTHING")
        elif case == "mfa_mode":
            cfg = auth_config(Mfa={"MFAMode": "SOMETIMES"})
        elif case == "oauth_scope":
            cfg = auth_config(OAuth=support.oauth_config(OAuthScopes=["EMAIL", "TELEPATHY"]))
        elif case == "required_attribute":
            cfg = auth_config(RequiredSignUpAttributes=["EMAIL", "SHOE_SIZE"])
        else:
            cfg = None
        if cfg is not None:
            return raw_client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev",
                                                  ResourceName="authres", ResourceConfig=cfg)
        if case == "storage_service":
            return raw_client.create_backend_storage(
                AppId=app_id, BackendEnvironmentName="dev", ResourceName="files",
                ResourceConfig={"ServiceName": "GCS", "Permissions": {"Authenticated": ["READ"]}})
        api = support.api_config()
        api["DefaultAuthType"] = {"Mode": "BASIC_AUTH"}
        return raw_client.create_backend_api(AppId=app_id, BackendEnvironmentName="dev",
                                             ResourceName="myapi", ResourceConfig=api)

    with pytest.raises(raw_client.exceptions.BadRequestException) as e:
        call()
    support.assert_error(e.value, "BadRequestException", 400)
    jobs = raw_client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")["Jobs"]
    assert [j["Operation"] for j in jobs] == ["CreateBackend"]


def test_max_results_26(raw_client, app_id):
    with pytest.raises(raw_client.exceptions.BadRequestException) as e:
        raw_client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev", MaxResults=26)
    support.assert_error(e.value, "BadRequestException", 400)


def test_missing_required_members(raw_client, app_id):
    with pytest.raises(raw_client.exceptions.BadRequestException):
        raw_client.create_backend(AppId=new_app_id(), BackendEnvironmentName="dev")
    with pytest.raises(raw_client.exceptions.BadRequestException):
        raw_client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres")
    cfg = auth_config()
    del cfg["UserPoolConfigs"]["SignInMethod"]
    with pytest.raises(raw_client.exceptions.BadRequestException):
        raw_client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
                                       ResourceConfig=cfg)
    with pytest.raises(raw_client.exceptions.BadRequestException):
        raw_client.clone_backend(AppId=app_id, BackendEnvironmentName="dev")
    with pytest.raises(raw_client.exceptions.BadRequestException):
        raw_client.create_backend_storage(AppId=app_id, BackendEnvironmentName="dev", ResourceName="files",
                                          ResourceConfig={"ServiceName": "S3"})


def test_wrong_member_types(raw_client, app_id):
    with pytest.raises(raw_client.exceptions.BadRequestException):
        raw_client.remove_all_backends(AppId=app_id, CleanAmplifyApp="yes")
    with pytest.raises(raw_client.exceptions.BadRequestException):
        raw_client.create_backend(AppId=new_app_id(), AppName=["not", "a", "string"],
                                  BackendEnvironmentName="dev")
    with pytest.raises(raw_client.exceptions.BadRequestException):
        raw_client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev", MaxResults="ten")
    # nothing happened
    assert raw_client.get_backend(AppId=app_id)["BackendEnvironmentList"] == ["dev"]
