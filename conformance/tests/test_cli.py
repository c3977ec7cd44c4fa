"""Our `amplifybackend` CLI against the AWS CLI (`aws amplifybackend`, awscli v1 from PyPI)
on one server, and our ListBackendJobs paginator against boto3's on the same data.

Both CLIs run as subprocesses with the same environment (credentials and region from
variables, no shared files); outputs are compared as parsed JSON (and, for text output,
byte for byte) on read-only calls over shared data, so JobIds and times agree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import support

AWS = Path(sys.executable).with_name("aws")

ENV = {
    k: v for k, v in os.environ.items() if not k.startswith("AWS_")
}
ENV.update({
    "AWS_ACCESS_KEY_ID": support.ACCESS_KEY,
    "AWS_SECRET_ACCESS_KEY": support.SECRET_KEY,
    "AWS_DEFAULT_REGION": support.REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_MAX_ATTEMPTS": "1",
    "AWS_PAGER": "",
})


def _bin() -> str:
    return os.environ["AMPLIFYBACKEND_BIN"]


def run(cmd: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, env=env or ENV, timeout=60,
                          stdin=subprocess.DEVNULL)


def ours(endpoint: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return run([_bin(), *args, "--endpoint-url", endpoint], env)


def theirs(endpoint: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    if not AWS.exists():
        pytest.skip("the AWS CLI (awscli) is not installed in this environment")
    return run([str(AWS), "amplifybackend", *args, "--endpoint-url", endpoint], env)


def both_json(endpoint: str, *args: str):
    a = ours(endpoint, *args)
    b = theirs(endpoint, *args)
    assert a.returncode == 0, a.stderr
    assert b.returncode == 0, b.stderr
    return json.loads(a.stdout), json.loads(b.stdout), a.stdout, b.stdout


@pytest.fixture(scope="module")
def shared(client):
    """An app with auth, an API, storage and 8 jobs in `dev`, created through boto3."""
    app_id = support.create_app(client, env="dev", app_name="CLI Compare")
    client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
                               ResourceConfig=support.auth_config(identity_pool=True, oauth=True))
    client.create_backend_api(AppId=app_id, BackendEnvironmentName="dev", ResourceName="api",
                              ResourceConfig=support.api_config())
    client.create_backend_storage(AppId=app_id, BackendEnvironmentName="dev", ResourceName="store",
                                  ResourceConfig=support.storage_config())
    for target in ["ta", "tb", "tc", "td"]:
        client.clone_backend(AppId=app_id, BackendEnvironmentName="dev", TargetEnvironmentName=target)
    jobs = support.all_jobs(client, app_id, "dev")
    assert len(jobs) == 8
    return {"app_id": app_id, "jobs": jobs}


READ_ONLY = [
    ["get-backend", "--app-id", "{app}"],
    ["get-backend", "--app-id", "{app}", "--backend-environment-name", "dev"],
    ["get-backend-auth", "--app-id", "{app}", "--backend-environment-name", "dev", "--resource-name", "authres"],
    ["get-backend-api", "--app-id", "{app}", "--backend-environment-name", "dev", "--resource-name", "api"],
    ["get-backend-storage", "--app-id", "{app}", "--backend-environment-name", "dev", "--resource-name", "store"],
    ["list-backend-jobs", "--app-id", "{app}", "--backend-environment-name", "dev"],
    ["list-backend-jobs", "--app-id", "{app}", "--backend-environment-name", "dev", "--operation", "CloneBackend"],
    ["list-backend-jobs", "--app-id", "{app}", "--backend-environment-name", "dev", "--page-size", "3"],
    ["list-backend-jobs", "--app-id", "{app}", "--backend-environment-name", "dev", "--max-items", "5", "--page-size", "2"],
    ["list-backend-jobs", "--app-id", "{app}", "--backend-environment-name", "dev", "--max-items", "4", "--page-size", "2"],
    ["list-backend-jobs", "--app-id", "{app}", "--backend-environment-name", "dev", "--max-results", "3"],
    ["list-backend-jobs", "--app-id", "{app}", "--backend-environment-name", "dev", "--no-paginate", "--max-results", "2"],
]


@pytest.mark.parametrize("args", READ_ONLY, ids=lambda a: " ".join(a[:1] + a[3:]))
def test_json_output_equals_the_aws_cli(endpoint, shared, args):
    args = [a.replace("{app}", shared["app_id"]) for a in args]
    mine, aws, mine_text, aws_text = both_json(endpoint, *args)
    assert mine == aws
    # Same member names, order and 4-space indentation: the same bytes.
    assert mine_text == aws_text


def test_get_backend_job_and_list_s3_buckets(endpoint, shared):
    job_id = shared["jobs"][-1]["JobId"]
    mine, aws, _, _ = both_json(endpoint, "get-backend-job", "--app-id", shared["app_id"],
                                "--backend-environment-name", "dev", "--job-id", job_id)
    assert mine == aws
    assert mine["JobId"] == job_id
    mine, aws, _, _ = both_json(endpoint, "list-s3-buckets")
    assert mine == aws


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_other_outputs_equal_the_aws_cli(endpoint, shared, fmt):
    for args in (["get-backend", "--app-id", shared["app_id"]],
                 ["list-backend-jobs", "--app-id", shared["app_id"], "--backend-environment-name", "dev",
                  "--max-items", "3", "--page-size", "2"]):
        a = ours(endpoint, *args, "--output", fmt)
        b = theirs(endpoint, *args, "--output", fmt)
        assert a.returncode == b.returncode == 0, (a.stderr, b.stderr)
        assert a.stdout == b.stdout


def test_global_flags_before_the_command(endpoint, shared):
    a = run([_bin(), "--endpoint-url", endpoint, "--output", "json", "--region", support.REGION,
             "get-backend", "--app-id", shared["app_id"]])
    assert a.returncode == 0, a.stderr
    assert json.loads(a.stdout)["AppId"] == shared["app_id"]


def test_resume_tokens_interoperate(endpoint, shared):
    app = shared["app_id"]
    base = ["list-backend-jobs", "--app-id", app, "--backend-environment-name", "dev", "--page-size", "3"]
    first = json.loads(ours(endpoint, *base, "--max-items", "4").stdout)
    token = first["NextToken"]
    # The AWS CLI resumes from our token, and we from its.
    rest_aws = json.loads(theirs(endpoint, *base, "--starting-token", token).stdout)
    rest_ours = json.loads(ours(endpoint, *base, "--starting-token", token).stdout)
    assert rest_aws == rest_ours
    ids = [j["JobId"] for j in shared["jobs"]]
    assert [j["JobId"] for j in first["Jobs"] + rest_ours["Jobs"]] == ids
    aws_first = json.loads(theirs(endpoint, *base, "--max-items", "4").stdout)
    assert aws_first["NextToken"] == token


@pytest.mark.parametrize("page_size", [None, 1, 2, 3, 8, 25])
@pytest.mark.parametrize("max_items", [None, 1, 2, 3, 5, 6, 8, 9])
def test_paginator_equals_boto3(endpoint, client, shared, page_size, max_items):
    """Our paginator (through the CLI) and boto3's give the same items and resume token,
    and resuming from that token gives the same rest, for every page size / max items."""
    app = shared["app_id"]
    config = {}
    args = ["list-backend-jobs", "--app-id", app, "--backend-environment-name", "dev"]
    if page_size:
        config["PageSize"] = page_size
        args += ["--page-size", str(page_size)]
    if max_items:
        config["MaxItems"] = max_items
        args += ["--max-items", str(max_items)]
    paginator = client.get_paginator("list_backend_jobs")
    expected = paginator.paginate(AppId=app, BackendEnvironmentName="dev",
                                  PaginationConfig=config).build_full_result()
    got = ours(endpoint, *args)
    assert got.returncode == 0, got.stderr
    mine = json.loads(got.stdout)
    assert mine == expected
    if "NextToken" in expected:
        resumed = paginator.paginate(
            AppId=app, BackendEnvironmentName="dev",
            PaginationConfig=dict(config, StartingToken=expected["NextToken"])).build_full_result()
        mine_resumed = json.loads(ours(endpoint, *args, "--starting-token", mine["NextToken"]).stdout)
        assert mine_resumed == resumed


def test_service_errors_and_exit_codes(endpoint):
    a = ours(endpoint, "get-backend", "--app-id", support.new_app_id())
    b = theirs(endpoint, "get-backend", "--app-id", "x" + support.new_app_id())
    assert a.returncode == 254
    assert b.returncode != 0
    assert a.stderr.strip().startswith("An error occurred (NotFoundException) when calling the GetBackend operation: ")
    assert b.stderr.strip().startswith("An error occurred (NotFoundException) when calling the GetBackend operation: ")
    assert a.stdout == ""


def test_usage_errors_exit_252(endpoint):
    assert ours(endpoint, "get-backend").returncode == 252
    assert ours(endpoint, "get-backend", "--app-id", "a", "--nope", "x").returncode == 252
    assert ours(endpoint, "no-such-command").returncode == 252
    r = ours(endpoint, "list-backend-jobs", "--app-id", "a", "--backend-environment-name", "dev",
             "--no-paginate", "--max-items", "2")
    assert r.returncode == 252
    assert "Cannot specify --no-paginate along with pagination arguments: --max-items" in r.stderr
    r = ours(endpoint, "create-backend-auth", "--app-id", "a", "--backend-environment-name", "dev",
             "--resource-name", "r", "--resource-config", '{"Nope": 1}')
    assert r.returncode == 252
    assert 'Unknown parameter in ResourceConfig: "Nope"' in r.stderr
    assert run([_bin(), "--help"]).returncode == 0


# What botocore checks before sending, named with the CLI's member names: the same words
# as the AWS CLI's. (Exit statuses differ by design: AWS CLI v2's 252, where v1 uses 255.)
PARAMETER_ERRORS = [
    ["get-backend", "--cli-input-json", '{"AppIdx": "a"}'],
    ["get-backend", "--cli-input-json", '{"AppId": "a", "Extra": 1, "BackendEnvironmentName": null}'],
    ["create-backend-auth", "--app-id", "a", "--backend-environment-name", "dev", "--resource-name", "r",
     "--resource-config", '{"AuthResources": "USER_POOL_ONLY", "Service": "COGNITO",'
     ' "UserPoolConfigs": {"SignInMethod": "EMAIL", "UserPoolName": "p", "Bogus": {"a": [1]}}}'],
    ["list-backend-jobs", "--app-id", "a", "--backend-environment-name", "dev", "--max-results", "0"],
]


@pytest.mark.parametrize("args", PARAMETER_ERRORS, ids=lambda a: " ".join(a[:1] + a[-1:]))
def test_parameter_errors_equal_the_aws_cli(endpoint, args):
    a = ours(endpoint, *args)
    b = theirs(endpoint, *args)
    assert (a.returncode, b.returncode) == (252, 255), (a.stderr, b.stderr)
    assert a.stderr == b.stderr
    assert a.stderr.startswith("\nParameter validation failed:\n")


# Enumerations and maximums are the service's to check, as with the AWS CLI: the value is
# sent as given and the service's answer is printed.
SERVICE_CHECKS = [
    ["delete-backend-storage", "--app-id", "{app}", "--backend-environment-name", "dev",
     "--resource-name", "r", "--service-name", "GCS"],
    ["create-backend-auth", "--app-id", "{app}", "--backend-environment-name", "dev", "--resource-name", "r",
     "--resource-config", '{"AuthResources": "NOT_A_VALUE", "Service": "COGNITO", "UserPoolConfigs":'
     ' {"SignInMethod": "EMAIL", "UserPoolName": "p", "RequiredSignUpAttributes": ["EMAIL"]}}'],
    ["list-backend-jobs", "--app-id", "{app}", "--backend-environment-name", "dev", "--max-results", "99"],
]


@pytest.mark.parametrize("args", SERVICE_CHECKS, ids=lambda a: a[0])
def test_enumerations_and_maximums_go_to_the_service(endpoint, shared, args):
    args = [a.replace("{app}", shared["app_id"]) for a in args]
    a = ours(endpoint, *args)
    b = theirs(endpoint, *args)
    assert (a.returncode, b.returncode) == (254, 255), (a.stderr, b.stderr)
    assert a.stderr == b.stderr
    assert "An error occurred (BadRequestException)" in a.stderr


def test_missing_credentials_exit_253(endpoint):
    env = {k: v for k, v in ENV.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    r = ours(endpoint, "get-backend", "--app-id", "a", env=env)
    assert r.returncode == 253, r.stderr
    assert "Unable to locate credentials" in r.stderr
    r = ours(endpoint, "get-backend", "--app-id", "a", "--profile", "nope")
    assert r.returncode == 253
    assert "The config profile (nope) could not be found" in r.stderr


def test_unreachable_endpoint_exits_255():
    args = ["get-backend", "--app-id", "a"]
    a = ours("http://127.0.0.1:9", *args)
    b = theirs("http://127.0.0.1:9", *args)
    assert a.returncode == b.returncode == 255
    assert a.stderr == b.stderr == '\nCould not connect to the endpoint URL: "http://127.0.0.1:9/backend/a/details"\n'


def test_writes_with_cli_input_json_and_file_params(endpoint, tmp_path, client):
    """A write through each CLI: the same answer apart from the ids it creates."""
    config = support.auth_config(identity_pool=True)
    path = tmp_path / "auth.json"
    path.write_text(json.dumps(config))
    results = []
    for cli in (ours, theirs):
        app = support.create_app(client, env="dev")
        r = cli(endpoint, "create-backend-auth", "--cli-input-json",
                json.dumps({"AppId": app, "BackendEnvironmentName": "dev", "ResourceName": "authres"}),
                "--resource-config", f"file://{path}")
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        assert out.pop("AppId") == app
        out.pop("JobId")
        got = cli(endpoint, "get-backend-auth", "--app-id", app, "--backend-environment-name", "dev",
                  "--resource-name", "authres")
        detail = json.loads(got.stdout)
        detail.pop("AppId")
        results.append((out, detail))
    assert results[0] == results[1]
    assert results[0][1]["ResourceConfig"]["UserPoolConfigs"]["Mfa"]["MFAMode"] == "OPTIONAL"


def test_boolean_flags(endpoint, client):
    app = support.create_app(client, env="dev")
    r = ours(endpoint, "remove-all-backends", "--app-id", app, "--clean-amplify-app")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["Operation"] == "RemoveAllBackends"
    r = ours(endpoint, "get-backend", "--app-id", app)
    assert r.returncode == 254


def test_wait_job(slow_server, slow_client):
    app = support.new_app_id()
    resp = slow_client.create_backend(AppId=app, AppName="wait", BackendEnvironmentName="dev")
    assert resp["Status"] == "RUNNING"
    r = ours(slow_server.endpoint, "wait", "job", "--app-id", app, "--backend-environment-name", "dev",
             "--job-id", resp["JobId"], "--delay", "0.1", "--timeout", "20")
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    assert slow_client.get_backend_job(AppId=app, BackendEnvironmentName="dev",
                                       JobId=resp["JobId"])["Status"] == "COMPLETED"
    # A cancelled job makes the waiter fail.
    job = slow_client.delete_backend(AppId=app, BackendEnvironmentName="dev")
    slow_client.update_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job["JobId"],
                                   Status="FAILED")
    r = ours(slow_server.endpoint, "wait", "job", "--app-id", app, "--backend-environment-name", "dev",
             "--job-id", job["JobId"], "--delay", "0.1")
    assert r.returncode == 255
    assert "Waiter JobCompleted failed" in r.stderr


# --query: byte for byte the AWS CLI's output in every format, on plain and paginated
# calls (JSON and table merge the pages first; text runs the query on each page and on the
# resume token).
QUERIES = [
    (["get-backend", "--app-id", "{app}"], "AppId"),                                  # a scalar
    (["get-backend", "--app-id", "{app}"], "BackendEnvironmentList"),                 # scalars
    (["get-backend", "--app-id", "{app}"], "{Name: AppName, Id: AppId, Envs: BackendEnvironmentList}"),
    (["get-backend", "--app-id", "{app}"], "Nope"),                                   # null
    (["get-backend", "--app-id", "{app}"], "BackendEnvironmentList[?@ == `none`]"),   # empty
    (["get-backend-auth", "--app-id", "{app}", "--backend-environment-name", "dev",
      "--resource-name", "authres"], "ResourceConfig"),                               # nested
    (["get-backend-auth", "--app-id", "{app}", "--backend-environment-name", "dev",
      "--resource-name", "authres"], "ResourceConfig.UserPoolConfigs.[SignInMethod, RequiredSignUpAttributes]"),
    (["list-backend-jobs", "--app-id", "{app}", "--backend-environment-name", "dev"], "Jobs[].JobId"),
    (["list-backend-jobs", "--app-id", "{app}", "--backend-environment-name", "dev", "--page-size", "3"],
     "Jobs[].{Op: Operation, Id: JobId, S: Status}"),                                 # objects
    (["list-backend-jobs", "--app-id", "{app}", "--backend-environment-name", "dev", "--page-size", "3",
      "--max-items", "5"], "Jobs[?Operation == 'CloneBackend'].[JobId, Status]"),
    (["list-backend-jobs", "--app-id", "{app}", "--backend-environment-name", "dev", "--page-size", "2"],
     "length(Jobs)"),
    (["list-backend-jobs", "--app-id", "{app}", "--backend-environment-name", "dev", "--page-size", "2",
      "--max-items", "3"], "NextToken"),
    (["list-backend-jobs", "--app-id", "{app}", "--backend-environment-name", "dev", "--no-paginate",
      "--max-results", "2"], "Jobs[0]"),
]


@pytest.mark.parametrize("fmt", ["json", "text", "table"])
@pytest.mark.parametrize("args,query", QUERIES, ids=lambda x: x if isinstance(x, str) else x[0])
def test_query_output_equals_the_aws_cli(endpoint, shared, args, query, fmt):
    args = [a.replace("{app}", shared["app_id"]) for a in args]
    a = ours(endpoint, *args, "--query", query, "--output", fmt)
    b = theirs(endpoint, *args, "--query", query, "--output", fmt)
    # Both may fail alike: a list of a scalar and a list has no table in the AWS CLI either.
    assert a.returncode == b.returncode, (a.stderr, b.stderr)
    assert a.stdout == b.stdout
    assert a.stderr == b.stderr


@pytest.mark.parametrize("args", READ_ONLY[:6], ids=lambda a: " ".join(a[:1] + a[3:]))
def test_table_output_equals_the_aws_cli(endpoint, shared, args):
    args = [a.replace("{app}", shared["app_id"]) for a in args]
    a = ours(endpoint, *args, "--output", "table")
    b = theirs(endpoint, *args, "--output", "table")
    assert a.returncode == b.returncode == 0, (a.stderr, b.stderr)
    assert a.stdout == b.stdout


@pytest.mark.parametrize("query", ["AppId[", "a]", "`x", "nofunc(@)"])
def test_a_bad_query_fails_as_in_the_aws_cli(endpoint, shared, query):
    args = ["get-backend", "--app-id", shared["app_id"], "--query", query]
    a = ours(endpoint, *args)
    b = theirs(endpoint, *args)
    assert a.returncode == b.returncode == 255
    assert a.stdout == b.stdout == ""
    # Same words where Python's jmespath and ours find the same fault; always the same start.
    assert a.stderr.startswith(f"\nBad value for --query {query}: ") == b.stderr.startswith(
        f"\nBad value for --query {query}: ")
    if query in ("AppId[", "`x", "nofunc(@)"):
        assert a.stderr == b.stderr
