"""Type-checked by ci.sh (`mypy --strict` against the installed wheel, not collected by
pytest): what a user's typed code gets from the package and its fixtures."""

from __future__ import annotations

from mypy_boto3_amplifybackend import AmplifyBackendClient
from types_aiobotocore_amplifybackend import AmplifyBackendClient as AioAmplifyBackendClient

from amplifybackend import Credential, Server


def boto3_client(server: Server) -> AmplifyBackendClient:
    return server.boto3_client()


async def aio_call(client: AioAmplifyBackendClient) -> str:
    job = await client.create_backend(AppId="a", AppName="n", BackendEnvironmentName="dev")
    return job["Status"]


def controls(server: Server) -> list[str]:
    server.reset(account_id="111111111111")
    server.jobs.manual(operation="CreateBackendAuth")
    server.jobs.advance("a", "dev", "job", "FAILED", error="broken")
    rules = server.faults.add("GetBackend", status_code=429, times=2)
    key = Credential("AKID", "secret", "111111111111", admin=True)
    return [str(rule) for rule in rules] + [server.client_kwargs(key)["endpoint_url"]]
