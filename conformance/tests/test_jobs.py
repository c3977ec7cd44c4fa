"""Jobs: GetBackendJob, ListBackendJobs (filters, paging, validation), UpdateBackendJob.

The first half runs on the inline server; the second half on the server started
with --job-duration-ms 300, where jobs answer RUNNING and a worker completes them.
"""

import time

import pytest
from botocore.exceptions import ClientError

import support
from support import UUID4_RE, all_jobs, auth_config, create_app, meta, new_app_id, wait_job

# ---------------------------------------------------------------------------
# inline server


def pending_job_message(app_id, env):
    """What the service answers a job-creating request while another job of the environment runs."""
    return ("An error occurred while processing your request: There is already a pending job for the "
            f"requested appId: {app_id} and backendEnvironmentName: {env}, wait for it to complete "
            "before creating a new job.")


def assert_pending_job(exc, app_id, env):
    """A 400 ValidationException, which the model does not define: a plain ClientError."""
    assert type(exc) is ClientError, type(exc)
    support.assert_error(exc, "ValidationException", 400)
    assert exc.response["Error"]["Message"] == pending_job_message(app_id, env), exc.response


def _make_jobs(client, app_id):
    """Returns the jobIds of the env `dev`, in creation order."""
    ids = [client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")["Jobs"][0]["JobId"]]
    ids.append(client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
                                          ResourceConfig=auth_config())["JobId"])
    ids.append(client.update_backend_auth(
        AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
        ResourceConfig={"AuthResources": "USER_POOL_ONLY", "Service": "COGNITO",
                        "UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 10}}})["JobId"])
    ids.append(client.create_backend_api(AppId=app_id, BackendEnvironmentName="dev", ResourceName="myapi",
                                         ResourceConfig=support.api_config())["JobId"])
    ids.append(client.delete_backend_auth(AppId=app_id, BackendEnvironmentName="dev",
                                          ResourceName="authres")["JobId"])
    return ids


def test_list_jobs_newest_first(client, app_id):
    ids = _make_jobs(client, app_id)
    resp = client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")
    jobs = resp["Jobs"]
    assert "NextToken" not in resp
    assert [j["JobId"] for j in jobs] == ids[::-1]
    assert [j["Operation"] for j in jobs] == [
        "DeleteBackendAuth", "CreateBackendAPI", "UpdateBackendAuth", "CreateBackendAuth", "CreateBackend"]
    for j in jobs:
        assert j["AppId"] == app_id
        assert j["BackendEnvironmentName"] == "dev"
        assert j["Status"] == "COMPLETED"
        assert UUID4_RE.match(j["JobId"])
        assert j["CreateTime"].isdigit() and j["UpdateTime"].isdigit()
    create_times = [int(j["CreateTime"]) for j in jobs]
    assert create_times == sorted(create_times, reverse=True)
    # each job as GetBackendJob sees it equals its list entry
    for j in jobs:
        got = client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=j["JobId"])
        assert {k: got.get(k) for k in j} == j


def test_list_jobs_filters(client, app_id):
    ids = _make_jobs(client, app_id)

    def ops(**filters):
        return [j["Operation"] for j in
                client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev", **filters)["Jobs"]]

    assert ops(Operation="CreateBackendAuth") == ["CreateBackendAuth"]
    assert ops(Status="COMPLETED") == ops()
    assert ops(Status="RUNNING") == []
    assert ops(Status="FAILED") == []
    assert ops(JobId=ids[2]) == ["UpdateBackendAuth"]
    # filters combine with AND
    assert ops(JobId=ids[2], Operation="UpdateBackendAuth", Status="COMPLETED") == ["UpdateBackendAuth"]
    assert ops(JobId=ids[2], Operation="CreateBackendAuth") == []
    assert ops(Operation="NoSuchOperation") == []
    # jobs of another env are not listed
    create_app(client, env="prod", app_id=app_id)
    prod = client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="prod")["Jobs"]
    assert [j["Operation"] for j in prod] == ["CreateBackend"]
    assert prod[0]["JobId"] not in ids


def test_list_jobs_max_results_and_next_token(client, app_id):
    ids = _make_jobs(client, app_id)
    page1 = client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev", MaxResults=2)
    assert [j["JobId"] for j in page1["Jobs"]] == ids[::-1][:2]
    assert page1["NextToken"]
    page2 = client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev", MaxResults=2,
                                     NextToken=page1["NextToken"])
    assert [j["JobId"] for j in page2["Jobs"]] == ids[::-1][2:4]
    page3 = client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev", MaxResults=2,
                                     NextToken=page2["NextToken"])
    assert [j["JobId"] for j in page3["Jobs"]] == ids[::-1][4:]
    assert "NextToken" not in page3, "NextToken must be absent on the last page"
    # MaxResults=1 and 25 are the bounds, both fine
    assert len(client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev", MaxResults=1)["Jobs"]) == 1
    assert len(client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev", MaxResults=25)["Jobs"]) == 5
    # the same token can be used again and gives the same page
    again = client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev", MaxResults=2,
                                     NextToken=page1["NextToken"])
    assert again["Jobs"] == page2["Jobs"]


@pytest.mark.parametrize("max_results", [0, 26, -1, 1000])
def test_list_jobs_max_results_out_of_range(raw_client, app_id, max_results):
    with pytest.raises(raw_client.exceptions.BadRequestException) as e:
        raw_client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev", MaxResults=max_results)
    support.assert_error(e.value, "BadRequestException", 400)


def test_list_jobs_foreign_next_token(client, app_id):
    _make_jobs(client, app_id)
    token = client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev", MaxResults=2)["NextToken"]
    other = create_app(client)
    with pytest.raises(client.exceptions.BadRequestException) as e:
        client.list_backend_jobs(AppId=other, BackendEnvironmentName="dev", MaxResults=2, NextToken=token)
    support.assert_error(e.value, "BadRequestException", 400)


def test_get_and_update_unknown_job(client, app_id):
    unknown = "0b0e7c8e-2b1a-4d4e-9f00-123456789abc"
    with pytest.raises(client.exceptions.NotFoundException) as e:
        client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=unknown)
    support.assert_error(e.value, "NotFoundException", 404)
    with pytest.raises(client.exceptions.NotFoundException):
        client.update_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=unknown, Status="FAILED")
    job_id = client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")["Jobs"][0]["JobId"]
    # a real job id under the wrong environment or app is not found either
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_backend_job(AppId=app_id, BackendEnvironmentName="prod", JobId=job_id)
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_backend_job(AppId=new_app_id(), BackendEnvironmentName="dev", JobId=job_id)


def test_completed_job_cannot_go_back_to_running(client, app_id):
    job_id = client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")["Jobs"][0]["JobId"]
    with pytest.raises(client.exceptions.BadRequestException) as e:
        client.update_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=job_id, Status="RUNNING")
    support.assert_error(e.value, "BadRequestException", 400)
    job = client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=job_id)
    assert job["Status"] == "COMPLETED"


# ---------------------------------------------------------------------------
# server with --job-duration-ms 300


def _slow_app(slow_client, env="dev", app_id=None):
    app_id = app_id or new_app_id()
    resp = slow_client.create_backend(AppId=app_id, AppName="slowapp", BackendEnvironmentName=env)
    assert resp["Status"] == "RUNNING", resp
    assert resp["Operation"] == "CreateBackend"
    job = wait_job(slow_client, app_id, env, resp["JobId"])
    assert job["Status"] == "COMPLETED", job
    return app_id


def test_job_runs_then_completes(slow_client):
    app_id = new_app_id()
    resp = slow_client.create_backend(AppId=app_id, AppName="slowapp", BackendEnvironmentName="dev")
    assert resp["Status"] == "RUNNING"
    running = slow_client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=resp["JobId"])
    assert running["Status"] == "RUNNING"
    listed = slow_client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev", Status="RUNNING")["Jobs"]
    assert [j["JobId"] for j in listed] == [resp["JobId"]]
    # the effect (the environment) is not visible before the job completes
    with pytest.raises(slow_client.exceptions.NotFoundException):
        slow_client.get_backend(AppId=app_id, BackendEnvironmentName="dev")
    done = wait_job(slow_client, app_id, "dev", resp["JobId"])
    assert done["Status"] == "COMPLETED"
    assert int(done["UpdateTime"]) >= int(done["CreateTime"]) + 250, done
    assert slow_client.get_backend(AppId=app_id, BackendEnvironmentName="dev")["BackendEnvironmentName"] == "dev"


def test_pending_job_conflict(slow_client):
    app_id = _slow_app(slow_client)
    resp = slow_client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
                                           ResourceConfig=auth_config())
    assert resp["Status"] == "RUNNING"
    assert resp["Operation"] == "CreateBackendAuth"
    with pytest.raises(slow_client.exceptions.NotFoundException):
        slow_client.get_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres")
    assert not meta(slow_client, app_id, "dev").get("auth")

    with pytest.raises(ClientError) as e:
        slow_client.create_backend_api(AppId=app_id, BackendEnvironmentName="dev", ResourceName="myapi",
                                       ResourceConfig=support.api_config())
    assert_pending_job(e.value, app_id, "dev")
    # the refused request created no job
    assert len(slow_client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")["Jobs"]) == 2

    wait_job(slow_client, app_id, "dev", resp["JobId"])
    got = slow_client.get_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres")
    assert got["ResourceName"] == "authres"
    assert "authres" in meta(slow_client, app_id, "dev")["auth"]
    # no longer pending: the next job is accepted
    resp2 = slow_client.create_backend_api(AppId=app_id, BackendEnvironmentName="dev", ResourceName="myapi",
                                           ResourceConfig=support.api_config())
    assert resp2["Status"] == "RUNNING"
    wait_job(slow_client, app_id, "dev", resp2["JobId"])


def test_pending_job_is_per_environment(slow_client):
    app_id = _slow_app(slow_client, env="dev")
    _slow_app(slow_client, env="prod", app_id=app_id)
    a = slow_client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
                                        ResourceConfig=auth_config())
    b = slow_client.create_backend_auth(AppId=app_id, BackendEnvironmentName="prod", ResourceName="authres",
                                        ResourceConfig=auth_config())
    assert a["Status"] == b["Status"] == "RUNNING"
    assert wait_job(slow_client, app_id, "dev", a["JobId"])["Status"] == "COMPLETED"
    assert wait_job(slow_client, app_id, "prod", b["JobId"])["Status"] == "COMPLETED"


def test_cancel_running_job(slow_client):
    app_id = _slow_app(slow_client)
    resp = slow_client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
                                           ResourceConfig=auth_config())
    assert resp["Status"] == "RUNNING"
    cancelled = slow_client.update_backend_job(AppId=app_id, BackendEnvironmentName="dev",
                                               JobId=resp["JobId"], Status="FAILED")
    # UpdateBackendJob returns the whole job
    assert cancelled["AppId"] == app_id
    assert cancelled["BackendEnvironmentName"] == "dev"
    assert cancelled["JobId"] == resp["JobId"]
    assert cancelled["Operation"] == "CreateBackendAuth"
    assert cancelled["Status"] == "FAILED"
    assert cancelled["CreateTime"].isdigit() and cancelled["UpdateTime"].isdigit()

    time.sleep(0.8)  # well past the job's 300 ms
    job = slow_client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=resp["JobId"])
    assert job["Status"] == "FAILED", job
    with pytest.raises(slow_client.exceptions.NotFoundException):
        slow_client.get_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres")
    assert not meta(slow_client, app_id, "dev").get("auth")
    assert slow_client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev",
                                         Status="FAILED")["Jobs"][0]["JobId"] == resp["JobId"]

    # nothing pending any more: a new job is accepted and completes
    again = slow_client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
                                            ResourceConfig=auth_config())
    assert again["Status"] == "RUNNING"
    assert wait_job(slow_client, app_id, "dev", again["JobId"])["Status"] == "COMPLETED"
    assert slow_client.get_backend_auth(AppId=app_id, BackendEnvironmentName="dev",
                                        ResourceName="authres")["ResourceName"] == "authres"
    # a completed job cannot go back to RUNNING
    with pytest.raises(slow_client.exceptions.BadRequestException):
        slow_client.update_backend_job(AppId=app_id, BackendEnvironmentName="dev",
                                       JobId=again["JobId"], Status="RUNNING")


def test_cancel_delete_backend_keeps_environment(slow_client):
    app_id = _slow_app(slow_client)
    resp = slow_client.delete_backend(AppId=app_id, BackendEnvironmentName="dev")
    assert resp["Status"] == "RUNNING"
    slow_client.update_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=resp["JobId"],
                                   Status="FAILED")
    time.sleep(0.8)
    assert slow_client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev",
                                       JobId=resp["JobId"])["Status"] == "FAILED"
    assert slow_client.get_backend(AppId=app_id)["BackendEnvironmentList"] == ["dev"]
    assert slow_client.get_backend(AppId=app_id, BackendEnvironmentName="dev")["BackendEnvironmentName"] == "dev"


def test_pending_job_race(slow_client):
    """Concurrent job-creating requests on one env: exactly one wins, the rest are 400 pending."""
    from concurrent.futures import ThreadPoolExecutor

    app_id = _slow_app(slow_client)

    def attempt(i):
        try:
            r = slow_client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev",
                                                ResourceName=f"auth{i}", ResourceConfig=auth_config())
            return ("ok", r)
        except ClientError as e:
            if e.response["Error"]["Code"] != "ValidationException":
                raise
            return ("pending", e)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(attempt, range(8)))
    winners = [r for kind, r in results if kind == "ok"]
    losers = [m for kind, m in results if kind == "pending"]
    assert len(winners) == 1, results
    assert len(losers) == 7, results
    for e in losers:
        assert_pending_job(e, app_id, "dev")
    wait_job(slow_client, app_id, "dev", winners[0]["JobId"])
    assert len(meta(slow_client, app_id, "dev")["auth"]) == 1
    assert len(slow_client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")["Jobs"]) == 2
