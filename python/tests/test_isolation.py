"""The `amplifybackend` fixture gives each test the server as it started: the first test
leaves an app, a fault rule and manual jobs behind; the second finds none of them."""

import pytest

APP = "isolated"


def create_app(client):
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_backend(AppId=APP)
    return client.create_backend(AppId=APP, AppName="mine", BackendEnvironmentName="dev")


def test_leaves_state_faults_and_manual_jobs_behind(amplifybackend, amplifybackend_client):
    assert create_app(amplifybackend_client)["Status"] == "COMPLETED"
    amplifybackend.faults.add("ListS3Buckets", status_code=400, message="left behind")
    amplifybackend.jobs.manual()
    job = amplifybackend_client.delete_backend(AppId=APP, BackendEnvironmentName="dev")
    assert job["Status"] == "RUNNING"


def test_finds_none_of_it(amplifybackend, amplifybackend_client):
    assert create_app(amplifybackend_client)["Status"] == "COMPLETED"
    assert amplifybackend.faults.rules() == []
    assert amplifybackend_client.list_s3_buckets()["Buckets"] == []
    jobs = amplifybackend_client.list_backend_jobs(AppId=APP, BackendEnvironmentName="dev")
    assert [job["Operation"] for job in jobs["Jobs"]] == ["CreateBackend"]
