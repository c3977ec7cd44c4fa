"""API (AppSync GraphQL): Create/Update/Get/DeleteBackendAPI (boto3, inline jobs)."""

import re

import pytest

import support
from support import BLOG_SCHEMA, TODO_SCHEMA, UUID4_RE, api_config, meta, new_app_id

API = "conformanceapi"


def _create(client, app_id, cfg=None, env="dev", name=API):
    resp = client.create_backend_api(AppId=app_id, BackendEnvironmentName=env, ResourceName=name,
                                     ResourceConfig=cfg or api_config())
    assert resp["AppId"] == app_id
    assert resp["BackendEnvironmentName"] == env
    assert resp["Operation"] == "CreateBackendAPI"
    assert resp["Status"] == "COMPLETED", resp
    assert UUID4_RE.match(resp["JobId"])
    return resp


def _get(client, app_id, env="dev", name=API):
    return client.get_backend_api(AppId=app_id, BackendEnvironmentName=env, ResourceName=name)


def _as_returned(cfg):
    """expirationTime is a __double: botocore hands it back as a float."""
    import copy
    cfg = copy.deepcopy(cfg)
    for auth in [cfg.get("DefaultAuthType")] + list(cfg.get("AdditionalAuthTypes", [])):
        if auth and "Settings" in auth and "ExpirationTime" in auth["Settings"]:
            auth["Settings"]["ExpirationTime"] = float(auth["Settings"]["ExpirationTime"])
    return cfg


def _names_line(message: str, line: int) -> bool:
    return bool(re.search(rf"(?i)\bline\D{{0,3}}{line}\b", message)
                or re.search(rf"\b{line}:\d+\b", message))


def _names_column(message: str) -> bool:
    return bool(re.search(r"(?i)\bcol(umn)?\D{0,3}\d+", message)
                or re.search(r"\b\d+:\d+\b", message))


def test_create_and_get_api(client, app_id):
    cfg = api_config()
    _create(client, app_id, cfg)
    got = _get(client, app_id)
    assert got["AppId"] == app_id
    assert got["BackendEnvironmentName"] == "dev"
    assert got["ResourceName"] == API
    assert got["ResourceConfig"] == _as_returned(cfg)

    entry = meta(client, app_id, "dev")["api"][API]
    assert entry["service"] == "AppSync"
    assert entry["providerPlugin"] == "awscloudformation"
    out = entry["output"]
    api_id = out["GraphQLAPIIdOutput"]
    assert api_id and re.fullmatch(r"[A-Za-z0-9]+", api_id), out
    assert out["GraphQLAPIEndpointOutput"] == f"https://{api_id}.appsync-api.us-east-1.amazonaws.com/graphql"
    assert out["GraphQLAPIKeyOutput"], "API_KEY auth must have GraphQLAPIKeyOutput"
    assert "authConfig" in out, out


def test_api_with_relations_schema(client, app_id):
    cfg = api_config(BLOG_SCHEMA)
    cfg["DefaultAuthType"] = {"Mode": "AMAZON_COGNITO_USER_POOLS"}
    del cfg["AdditionalAuthTypes"]
    _create(client, app_id, cfg)
    got = _get(client, app_id)
    assert got["ResourceConfig"]["TransformSchema"] == BLOG_SCHEMA
    out = meta(client, app_id, "dev")["api"][API]["output"]
    assert "GraphQLAPIKeyOutput" not in out, "no API key without API_KEY auth"


def test_update_api_keeps_unsent_members(client, app_id):
    cfg = api_config()
    _create(client, app_id, cfg)
    before = meta(client, app_id, "dev")["api"][API]["output"]["GraphQLAPIIdOutput"]
    resp = client.update_backend_api(AppId=app_id, BackendEnvironmentName="dev", ResourceName=API,
                                     ResourceConfig={"TransformSchema": BLOG_SCHEMA})
    assert resp["Operation"] == "UpdateBackendAPI"
    assert resp["Status"] == "COMPLETED"
    got = _get(client, app_id)["ResourceConfig"]
    expected = _as_returned(cfg)
    expected["TransformSchema"] = BLOG_SCHEMA
    assert got == expected
    after = meta(client, app_id, "dev")["api"][API]["output"]["GraphQLAPIIdOutput"]
    assert before == after, "the AppSync API id must be stable across updates"


def test_create_api_invalid_schema(client, app_id):
    schema = "type Todo @model {\n  id: ID!\n  name String!\n}\n"  # line 3: missing ':'
    with pytest.raises(client.exceptions.BadRequestException) as e:
        client.create_backend_api(AppId=app_id, BackendEnvironmentName="dev", ResourceName=API,
                                  ResourceConfig=api_config(schema))
    support.assert_error(e.value, "BadRequestException", 400)
    message = e.value.response["Error"]["Message"]
    assert _names_line(message, 3), f"message does not name line 3: {message!r}"
    assert _names_column(message), f"message does not name a column: {message!r}"
    with pytest.raises(client.exceptions.NotFoundException):
        _get(client, app_id)
    jobs = client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")["Jobs"]
    assert [j["Operation"] for j in jobs] == ["CreateBackend"]


def test_update_api_invalid_schema(client, app_id):
    cfg = api_config()
    _create(client, app_id, cfg)
    schema = "type Todo @model {\n  id: ID!\n"  # unterminated at end of input
    with pytest.raises(client.exceptions.BadRequestException) as e:
        client.update_backend_api(AppId=app_id, BackendEnvironmentName="dev", ResourceName=API,
                                  ResourceConfig={"TransformSchema": schema})
    support.assert_error(e.value, "BadRequestException", 400)
    message = e.value.response["Error"]["Message"]
    assert _names_column(message), f"message does not name line and column: {message!r}"
    assert _get(client, app_id)["ResourceConfig"]["TransformSchema"] == TODO_SCHEMA


def test_delete_api(client, app_id):
    _create(client, app_id)
    resp = client.delete_backend_api(AppId=app_id, BackendEnvironmentName="dev", ResourceName=API)
    assert resp["AppId"] == app_id
    assert resp["Operation"] == "DeleteBackendAPI"
    assert resp["Status"] == "COMPLETED"
    with pytest.raises(client.exceptions.NotFoundException):
        _get(client, app_id)
    assert not meta(client, app_id, "dev").get("api")


def test_api_not_found(client, app_id):
    with pytest.raises(client.exceptions.NotFoundException) as e:
        _get(client, app_id)
    support.assert_error(e.value, "NotFoundException", 404)
    with pytest.raises(client.exceptions.NotFoundException):
        client.update_backend_api(AppId=app_id, BackendEnvironmentName="dev", ResourceName=API,
                                  ResourceConfig={"TransformSchema": TODO_SCHEMA})
    with pytest.raises(client.exceptions.NotFoundException):
        client.delete_backend_api(AppId=app_id, BackendEnvironmentName="dev", ResourceName=API)
    with pytest.raises(client.exceptions.NotFoundException):
        client.create_backend_api(AppId=new_app_id(), BackendEnvironmentName="dev", ResourceName=API,
                                  ResourceConfig=api_config())


def test_only_one_api_per_environment(client, app_id):
    _create(client, app_id)
    with pytest.raises(client.exceptions.BadRequestException):
        client.create_backend_api(AppId=app_id, BackendEnvironmentName="dev", ResourceName="otherapi",
                                  ResourceConfig=api_config())
    assert list(meta(client, app_id, "dev")["api"]) == [API]
