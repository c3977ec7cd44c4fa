import pytest


def test_create_backend(amplifybackend_client):
    client = amplifybackend_client
    job = client.create_backend(AppId="app1", AppName="shop", BackendEnvironmentName="dev")
    assert job["Status"] == "COMPLETED"
    backend = client.get_backend(AppId="app1")
    assert backend["BackendEnvironmentList"] == ["dev"]
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_backend(AppId="nope")
