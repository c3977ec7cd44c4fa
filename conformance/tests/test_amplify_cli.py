"""`amplifybackend amplify …` against the AWS CLI's `aws amplify …` on one server: the same
JSON and text for the same data, the same pagination, errors and exit statuses."""

from __future__ import annotations

import json

import pytest

import support
from test_cli import AWS, ENV, _bin, run


def _env(account: str) -> dict:
    return dict(ENV, AWS_ACCESS_KEY_ID=account)


def ours(endpoint: str, account: str, *args: str) -> "run":
    return run([_bin(), "amplify", *args, "--endpoint-url", endpoint], _env(account))


def theirs(endpoint: str, account: str, *args: str):
    if not AWS.exists():
        pytest.skip("the AWS CLI (awscli) is not installed in this environment")
    return run([str(AWS), "amplify", *args, "--endpoint-url", endpoint], _env(account))


def both(endpoint: str, account: str, *args: str):
    a = ours(endpoint, account, *args)
    b = theirs(endpoint, account, *args)
    assert a.returncode == 0, a.stderr
    assert b.returncode == 0, b.stderr
    return a.stdout, b.stdout


@pytest.fixture(scope="module")
def shared(endpoint):
    """A fresh account with five apps (tags, variables), one with two environments."""
    account = support.new_account()
    amplify = support.make_amplify_client(endpoint, access_key=account)
    ids = []
    for i in range(5):
        app = amplify.create_app(name=f"cli{i}", description=f"app {i}",
                                 environmentVariables={"N": str(i)}, tags={"i": str(i)})["app"]
        ids.append(app["appId"])
    amplify.create_backend_environment(appId=ids[0], environmentName="dev", stackName="stack-dev",
                                       deploymentArtifacts="bucket-dev")
    amplify.create_backend_environment(appId=ids[0], environmentName="prod")
    return {"account": account, "ids": ids, "client": amplify}


READ_ONLY = [
    ["list-apps"],
    ["list-apps", "--max-results", "2"],
    ["list-apps", "--page-size", "2"],
    ["list-apps", "--max-items", "3", "--page-size", "2"],
    ["list-apps", "--max-items", "2", "--page-size", "2"],
    ["get-app", "--app-id", "{app}"],
    ["get-backend-environment", "--app-id", "{app}", "--environment-name", "dev"],
    ["list-backend-environments", "--app-id", "{app}"],
    ["list-backend-environments", "--app-id", "{app}", "--environment-name", "prod"],
    ["list-tags-for-resource", "--resource-arn", "{arn}"],
]


def _fill(args: list[str], shared: dict) -> list[str]:
    app = shared["ids"][0]
    arn = f"arn:aws:amplify:{support.REGION}:{shared['account']}:apps/{app}"
    return [a.replace("{app}", app).replace("{arn}", arn) for a in args]


@pytest.mark.parametrize("args", READ_ONLY, ids=lambda a: " ".join(a))
def test_json_output_equals_the_aws_cli(endpoint, shared, args):
    mine, aws = both(endpoint, shared["account"], *_fill(args, shared))
    assert json.loads(mine) == json.loads(aws)
    assert mine == aws


@pytest.mark.parametrize("args", [["list-apps", "--page-size", "2", "--max-items", "3"],
                                  ["get-app", "--app-id", "{app}"],
                                  ["get-backend-environment", "--app-id", "{app}", "--environment-name", "dev"]],
                         ids=lambda a: a[0])
def test_text_output_equals_the_aws_cli(endpoint, shared, args):
    mine, aws = both(endpoint, shared["account"], *_fill(args, shared), "--output", "text")
    assert mine == aws


def test_query_and_table(endpoint, shared):
    args = ["list-apps", "--query", "apps[].name"]
    mine, aws = both(endpoint, shared["account"], *args)
    assert json.loads(mine) == json.loads(aws)
    assert sorted(json.loads(mine)) == [f"cli{i}" for i in range(5)]
    mine, aws = both(endpoint, shared["account"], "get-app", "--app-id", shared["ids"][1],
                     "--query", "app.{Name: name, Domain: defaultDomain}", "--output", "table")
    assert mine == aws


def test_resume_tokens_interoperate(endpoint, shared):
    account = shared["account"]
    base = ["list-apps", "--page-size", "2"]
    first = json.loads(ours(endpoint, account, *base, "--max-items", "3").stdout)
    token = first["NextToken"]
    rest_aws = json.loads(theirs(endpoint, account, *base, "--starting-token", token).stdout)
    rest_ours = json.loads(ours(endpoint, account, *base, "--starting-token", token).stdout)
    assert rest_aws == rest_ours
    assert len(first["apps"]) + len(rest_ours["apps"]) == 5


def test_create_app_through_each_cli(endpoint):
    """A write through each CLI: the same answer apart from the ids and times it makes."""
    account = support.new_account()
    results = []
    for cli in (ours, theirs):
        r = cli(endpoint, account, "create-app", "--name", "made-by-cli", "--description", "d",
                "--environment-variables", "A=1,B=2", "--tags", '{"k": "v"}',
                "--enable-branch-auto-build")
        assert r.returncode == 0, r.stderr
        app = json.loads(r.stdout)["app"]
        for key in ("appId", "appArn", "defaultDomain", "createTime", "updateTime"):
            assert app.pop(key)
        results.append(app)
    assert results[0] == results[1]
    assert results[0]["environmentVariables"] == {"A": "1", "B": "2"}
    assert results[0]["tags"] == {"k": "v"}
    assert results[0]["enableBranchAutoBuild"] is True
    listed = json.loads(ours(endpoint, account, "list-apps", "--query", "apps[].name").stdout)
    assert listed == ["made-by-cli", "made-by-cli"]


def test_every_served_command_through_ours(endpoint):
    account = support.new_account()

    def ok(*args):
        r = ours(endpoint, account, *args)
        assert r.returncode == 0, (args, r.stderr)
        return json.loads(r.stdout) if r.stdout.strip() else {}

    app = ok("create-app", "--name", "all")["app"]
    app_id, arn = app["appId"], app["appArn"]
    assert ok("update-app", "--app-id", app_id, "--description", "changed")["app"]["description"] == "changed"
    env = ok("create-backend-environment", "--app-id", app_id, "--environment-name", "dev",
             "--stack-name", "s", "--deployment-artifacts", "b")["backendEnvironment"]
    assert (env["stackName"], env["deploymentArtifacts"]) == ("s", "b")
    assert ok("list-backend-environments", "--app-id", app_id)["backendEnvironments"] == [env]
    ok("tag-resource", "--resource-arn", arn, "--tags", "a=1,b=2")
    ok("untag-resource", "--resource-arn", arn, "--tag-keys", "a")
    assert ok("list-tags-for-resource", "--resource-arn", arn) == {"tags": {"b": "2"}}
    assert ok("delete-backend-environment", "--app-id", app_id,
              "--environment-name", "dev")["backendEnvironment"]["environmentName"] == "dev"
    assert ok("delete-app", "--app-id", app_id)["app"]["appId"] == app_id
    assert ok("list-apps") == {"apps": []}


def test_errors_and_exit_statuses(endpoint, shared):
    account = shared["account"]
    a = ours(endpoint, account, "get-app", "--app-id", "d0000000000000")
    b = theirs(endpoint, account, "get-app", "--app-id", "d0000000000000")
    assert a.returncode == 254
    assert b.returncode == 255
    assert a.stderr == b.stderr
    assert a.stderr.startswith("\nAn error occurred (NotFoundException) when calling the GetApp operation: ")
    assert a.stdout == ""
    assert ours(endpoint, account, "get-app").returncode == 252
    assert ours(endpoint, account, "no-such-command").returncode == 252
    r = ours(endpoint, account, "list-apps", "--no-paginate", "--max-items", "2")
    assert r.returncode == 252
    assert "Cannot specify --no-paginate along with pagination arguments: --max-items" in r.stderr
    # An AmplifyBackend command is not an amplify command.
    assert ours(endpoint, account, "get-backend", "--app-id", "a").returncode == 252


# What botocore checks before sending, in the AWS CLI's words (exit statuses differ by
# design: AWS CLI v2's 252 where v1 uses 255).
PARAMETER_ERRORS = [
    ["get-app", "--cli-input-json", '{"appIdx": "a"}'],
    ["create-app", "--cli-input-json", '{"name": "x", "environmentVariables": {"A": "1"}, "enableBasicAuth": "yes"}'],
]


@pytest.mark.parametrize("args", PARAMETER_ERRORS, ids=lambda a: " ".join(a[:1] + a[-1:]))
def test_parameter_errors_equal_the_aws_cli(endpoint, args):
    account = support.new_account()
    a = ours(endpoint, account, *args)
    b = theirs(endpoint, account, *args)
    assert (a.returncode, b.returncode) == (252, 255), (a.stderr, b.stderr)
    assert a.stderr == b.stderr
    assert a.stderr.startswith("\nParameter validation failed:\n")


def test_a_map_given_as_a_list_is_refused_like_the_aws_cli(endpoint):
    account = support.new_account()
    args = ["create-app", "--name", "x", "--tags", '["a"]']
    a = ours(endpoint, account, *args)
    b = theirs(endpoint, account, *args)
    assert (a.returncode, b.returncode) == (252, 255), (a.stderr, b.stderr)
    assert a.stderr == b.stderr == "\nError parsing parameter '--tags': Invalid JSON:\n[\"a\"]\n"
    assert json.loads(ours(endpoint, account, "list-apps").stdout) == {"apps": []}
