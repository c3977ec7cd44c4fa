import pytest


@pytest.mark.asyncio
async def test_create_backend(amplifybackend_aio_client):
    client = amplifybackend_aio_client
    job = await client.create_backend(AppId="app1", AppName="shop", BackendEnvironmentName="dev")
    assert job["Status"] == "COMPLETED"
    backend = await client.get_backend(AppId="app1")
    assert backend["BackendEnvironmentList"] == ["dev"]
    with pytest.raises(client.exceptions.NotFoundException):
        await client.get_backend(AppId="nope")
