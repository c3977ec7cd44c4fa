"""The `amplify` service (apps, backend environments, tags) as boto3's `client("amplify")`
sees it, on the same endpoint as AmplifyBackend: every served operation, the `list_apps`
paginator, the modeled errors, and a JSON error for the operations not served."""

from __future__ import annotations

import datetime
import json
import re

import pytest

import support

APP_ID_RE = re.compile(r"^d[a-z0-9]{13}$")


@pytest.fixture(scope="module")
def amplify(endpoint):
    return support.make_amplify_client(endpoint)


@pytest.fixture(scope="module")
def raw_amplify(endpoint):
    """Client-side validation off, for the server's own checks."""
    return support.make_amplify_client(endpoint, validate=False)


def _app_arn(app_id: str, account: str = support.DEFAULT_ACCOUNT, region: str = support.REGION) -> str:
    return f"arn:aws:amplify:{region}:{account}:apps/{app_id}"


def _check_app(app: dict, name: str, account: str = support.DEFAULT_ACCOUNT) -> None:
    """Every member `App` requires, with what AWS puts there when nothing was given."""
    assert APP_ID_RE.match(app["appId"]), app
    assert app["appArn"] == _app_arn(app["appId"], account), app
    assert app["name"] == name
    assert app["defaultDomain"] == f"{app['appId']}.amplifyapp.com"
    assert isinstance(app["createTime"], datetime.datetime)
    assert isinstance(app["updateTime"], datetime.datetime)
    assert app["updateTime"] >= app["createTime"]
    for member in ("description", "repository", "platform", "environmentVariables",
                   "enableBranchAutoBuild", "enableBasicAuth"):
        assert member in app, (member, app)


def test_create_app_fills_every_required_member(amplify):
    app = amplify.create_app(name="minimal")["app"]
    _check_app(app, "minimal")
    assert app["platform"] == "WEB"
    assert app["description"] == ""
    assert app["repository"] == ""
    assert app["environmentVariables"] == {}
    assert app["enableBranchAutoBuild"] is False
    assert app["enableBasicAuth"] is False
    now = datetime.datetime.now(datetime.timezone.utc)
    assert abs((now - app["createTime"]).total_seconds()) < 60


def test_create_app_keeps_what_was_given(amplify):
    app = amplify.create_app(
        name="full", description="the full app", repository="https://github.com/o/r",
        platform="WEB_COMPUTE", environmentVariables={"STAGE": "dev", "A": "1"},
        enableBranchAutoBuild=True, enableBasicAuth=False,
        tags={"team": "blue"},
    )["app"]
    _check_app(app, "full")
    assert app["description"] == "the full app"
    assert app["repository"] == "https://github.com/o/r"
    assert app["platform"] == "WEB_COMPUTE"
    assert app["environmentVariables"] == {"STAGE": "dev", "A": "1"}
    assert app["enableBranchAutoBuild"] is True
    assert app["tags"] == {"team": "blue"}
    assert amplify.get_app(appId=app["appId"])["app"] == app


def test_timestamps_are_epoch_seconds_on_the_wire(endpoint, amplify):
    app_id = amplify.create_app(name="wire")["app"]["appId"]
    resp = support.raw_request(endpoint, "GET", f"/apps/{app_id}", service="amplify")
    assert resp.status == 200, resp.body
    app = resp.json()["app"]
    assert isinstance(app["createTime"], (int, float)) and not isinstance(app["createTime"], bool), app
    assert isinstance(app["updateTime"], (int, float)), app
    assert app["appId"] == app_id


def test_get_update_delete_app(amplify):
    created = amplify.create_app(name="lifecycle", description="before")["app"]
    app_id = created["appId"]
    assert amplify.get_app(appId=app_id)["app"] == created
    updated = amplify.update_app(appId=app_id, name="renamed", description="after",
                                 environmentVariables={"K": "V"})["app"]
    assert updated["appId"] == app_id
    assert updated["name"] == "renamed"
    assert updated["description"] == "after"
    assert updated["environmentVariables"] == {"K": "V"}
    assert updated["createTime"] == created["createTime"]
    assert updated["updateTime"] >= created["updateTime"]
    assert amplify.get_app(appId=app_id)["app"] == updated
    deleted = amplify.delete_app(appId=app_id)["app"]
    assert deleted["appId"] == app_id
    with pytest.raises(amplify.exceptions.NotFoundException):
        amplify.get_app(appId=app_id)
    with pytest.raises(amplify.exceptions.NotFoundException):
        amplify.delete_app(appId=app_id)


def test_list_apps_and_its_paginator(endpoint):
    account = support.new_account()
    amplify = support.make_amplify_client(endpoint, access_key=account)
    assert amplify.list_apps()["apps"] == []
    ids = [amplify.create_app(name=f"app{i}")["app"]["appId"] for i in range(7)]
    listed = amplify.list_apps()["apps"]
    assert sorted(a["appId"] for a in listed) == sorted(ids)
    for app in listed:
        _check_app(app, app["name"], account)

    first = amplify.list_apps(maxResults=3)
    assert len(first["apps"]) == 3
    assert first["nextToken"]
    second = amplify.list_apps(maxResults=3, nextToken=first["nextToken"])
    assert len(second["apps"]) == 3
    assert not {a["appId"] for a in first["apps"]} & {a["appId"] for a in second["apps"]}

    paginator = amplify.get_paginator("list_apps")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["apps"]) for p in pages] == [2, 2, 2, 1]
    assert "nextToken" not in pages[-1]
    paged = [a["appId"] for p in pages for a in p["apps"]]
    assert paged == [a["appId"] for a in listed]

    cut = paginator.paginate(PaginationConfig={"PageSize": 2, "MaxItems": 3}).build_full_result()
    assert [a["appId"] for a in cut["apps"]] == paged[:3]
    rest = paginator.paginate(
        PaginationConfig={"PageSize": 2, "StartingToken": cut["NextToken"]}).build_full_result()
    assert [a["appId"] for a in rest["apps"]] == paged[3:]


def test_apps_are_per_account_and_region(endpoint):
    account = support.new_account()
    owner = support.make_amplify_client(endpoint, access_key=account)
    app_id = owner.create_app(name="mine")["app"]["appId"]
    others = [
        support.make_amplify_client(endpoint, access_key=support.new_account()),
        support.make_amplify_client(endpoint, access_key=account, region="eu-west-1"),
    ]
    for other in others:
        assert app_id not in [a["appId"] for a in other.list_apps()["apps"]]
        with pytest.raises(other.exceptions.NotFoundException):
            other.get_app(appId=app_id)
        with pytest.raises(other.exceptions.NotFoundException):
            other.delete_app(appId=app_id)
    assert owner.get_app(appId=app_id)["app"]["name"] == "mine"


def test_backend_environments(amplify):
    app_id = amplify.create_app(name="envs")["app"]["appId"]
    assert amplify.list_backend_environments(appId=app_id)["backendEnvironments"] == []
    created = amplify.create_backend_environment(
        appId=app_id, environmentName="staging", stackName="amplify-envs-staging-12345",
        deploymentArtifacts="amplify-envs-staging-12345-deployment",
    )["backendEnvironment"]
    assert created["environmentName"] == "staging"
    assert created["stackName"] == "amplify-envs-staging-12345"
    assert created["deploymentArtifacts"] == "amplify-envs-staging-12345-deployment"
    assert created["backendEnvironmentArn"].startswith(_app_arn(app_id) + "/"), created
    assert "staging" in created["backendEnvironmentArn"]
    assert isinstance(created["createTime"], datetime.datetime)
    assert isinstance(created["updateTime"], datetime.datetime)

    got = amplify.get_backend_environment(appId=app_id, environmentName="staging")["backendEnvironment"]
    assert got == created
    amplify.create_backend_environment(appId=app_id, environmentName="prod")
    listed = amplify.list_backend_environments(appId=app_id)["backendEnvironments"]
    assert sorted(e["environmentName"] for e in listed) == ["prod", "staging"]
    only = amplify.list_backend_environments(appId=app_id, environmentName="prod")["backendEnvironments"]
    assert [e["environmentName"] for e in only] == ["prod"]

    deleted = amplify.delete_backend_environment(appId=app_id, environmentName="staging")["backendEnvironment"]
    assert deleted["environmentName"] == "staging"
    with pytest.raises(amplify.exceptions.NotFoundException):
        amplify.get_backend_environment(appId=app_id, environmentName="staging")
    listed = amplify.list_backend_environments(appId=app_id)["backendEnvironments"]
    assert [e["environmentName"] for e in listed] == ["prod"]


def test_environment_of_an_unknown_app_is_not_found(amplify):
    with pytest.raises(amplify.exceptions.NotFoundException) as e:
        amplify.create_backend_environment(appId="d0000000000000", environmentName="dev")
    support.assert_error(e.value, "NotFoundException", 404)
    with pytest.raises(amplify.exceptions.NotFoundException):
        amplify.get_backend_environment(appId="d0000000000000", environmentName="dev")


def test_duplicate_environment_is_a_bad_request(amplify):
    app_id = amplify.create_app(name="dup")["app"]["appId"]
    amplify.create_backend_environment(appId=app_id, environmentName="dev")
    with pytest.raises(amplify.exceptions.BadRequestException) as e:
        amplify.create_backend_environment(appId=app_id, environmentName="dev")
    support.assert_error(e.value, "BadRequestException", 400)
    assert len(amplify.list_backend_environments(appId=app_id)["backendEnvironments"]) == 1


def test_tags(amplify):
    app = amplify.create_app(name="tagged", tags={"a": "1"})["app"]
    arn = app["appArn"]
    assert amplify.list_tags_for_resource(resourceArn=arn)["tags"] == {"a": "1"}
    amplify.tag_resource(resourceArn=arn, tags={"b": "2", "a": "one"})
    assert amplify.list_tags_for_resource(resourceArn=arn)["tags"] == {"a": "one", "b": "2"}
    amplify.untag_resource(resourceArn=arn, tagKeys=["a", "missing"])
    assert amplify.list_tags_for_resource(resourceArn=arn)["tags"] == {"b": "2"}
    assert amplify.get_app(appId=app["appId"])["app"]["tags"] == {"b": "2"}


def test_tags_of_an_unknown_app(amplify):
    arn = _app_arn("d0000000000000")
    for call in (lambda: amplify.list_tags_for_resource(resourceArn=arn),
                 lambda: amplify.tag_resource(resourceArn=arn, tags={"a": "b"}),
                 lambda: amplify.untag_resource(resourceArn=arn, tagKeys=["a"])):
        with pytest.raises(amplify.exceptions.ClientError) as e:
            call()
        r = e.value.response
        assert r["ResponseMetadata"]["HTTPStatusCode"] in (400, 404), r
        assert r["Error"]["Code"] in ("ResourceNotFoundException", "NotFoundException",
                                      "BadRequestException"), r
        assert r["Error"]["Message"], r


def test_modeled_errors(amplify, raw_amplify):
    with pytest.raises(amplify.exceptions.NotFoundException) as e:
        amplify.get_app(appId="d0000000000000")
    support.assert_error(e.value, "NotFoundException", 404)
    headers = e.value.response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amzn-errortype"].split(":")[0] == "NotFoundException"
    with pytest.raises(amplify.exceptions.NotFoundException):
        amplify.update_app(appId="d0000000000000", name="x")
    # What botocore would refuse before sending, refused by the server too.
    with pytest.raises(raw_amplify.exceptions.BadRequestException) as e:
        raw_amplify.create_app(name="")
    support.assert_error(e.value, "BadRequestException", 400)
    with pytest.raises(raw_amplify.exceptions.BadRequestException) as e:
        raw_amplify.list_apps(maxResults=500)
    support.assert_error(e.value, "BadRequestException", 400)
    with pytest.raises(raw_amplify.exceptions.BadRequestException) as e:
        raw_amplify.create_app(name="ok", platform="NOT_A_PLATFORM")
    support.assert_error(e.value, "BadRequestException", 400)


def test_bad_input_changes_nothing(endpoint):
    account = support.new_account()
    raw = support.make_amplify_client(endpoint, access_key=account, validate=False)
    with pytest.raises(raw.exceptions.BadRequestException):
        raw.create_app(name="x" * 300)
    assert raw.list_apps()["apps"] == []
    app = raw.create_app(name="kept")["app"]
    with pytest.raises(raw.exceptions.BadRequestException):
        raw.update_app(appId=app["appId"], platform="NOT_A_PLATFORM", name="changed")
    assert raw.get_app(appId=app["appId"])["app"] == app


def test_unserved_operations_get_a_json_error(endpoint, amplify):
    app_id = amplify.create_app(name="branches")["app"]["appId"]
    for call, name in (
        (lambda: amplify.create_branch(appId=app_id, branchName="main"), "CreateBranch"),
        (lambda: amplify.list_branches(appId=app_id), "ListBranches"),
        (lambda: amplify.list_domain_associations(appId=app_id), "ListDomainAssociations"),
        (lambda: amplify.list_webhooks(appId=app_id), "ListWebhooks"),
    ):
        with pytest.raises(amplify.exceptions.ClientError) as e:
            call()
        r = e.value.response
        status = r["ResponseMetadata"]["HTTPStatusCode"]
        assert 400 <= status < 500, r
        assert r["Error"]["Code"], r
        assert name in r["Error"]["Message"], r
        assert "not served" in r["Error"]["Message"], r
    raw = support.raw_request(endpoint, "POST", f"/apps/{app_id}/branches",
                              json.dumps({"branchName": "main"}).encode(), service="amplify")
    assert 400 <= raw.status < 500
    assert raw.headers["content-type"].startswith("application/json")
    assert "CreateBranch" in raw.json()["message"]
