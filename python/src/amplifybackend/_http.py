"""JSON over HTTP to one server's control endpoints, signed with SigV4 when the server
checks signatures (botocore's signer, imported only then)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from ._errors import ControlError

#: The service name signatures are scoped to, for the API and the control endpoints alike.
SIGNING_SERVICE = "amplifybackend"


@dataclass(frozen=True)
class Credential:
    """One access key of a server started with credentials (a `[[credentials]]` entry of
    its credentials file). `admin` keys may use the control endpoints."""

    access_key_id: str
    secret_access_key: str
    account_id: str
    session_token: str | None = None
    admin: bool = False

    def __repr__(self) -> str:
        # The secret never shows up in a test report.
        return (
            f"Credential(access_key_id={self.access_key_id!r}, account_id={self.account_id!r}, "
            f"admin={self.admin!r})"
        )


def _signed_headers(
    method: str,
    url: str,
    body: bytes,
    headers: dict[str, str],
    credential: Credential,
    region: str,
) -> dict[str, str]:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method=method, url=url, data=body, headers=headers)
    keys = Credentials(
        credential.access_key_id, credential.secret_access_key, credential.session_token
    )
    SigV4Auth(keys, SIGNING_SERVICE, region).add_auth(request)
    return {name: str(value) for name, value in request.headers.items()}


def call(
    endpoint_url: str,
    method: str,
    path: str,
    *,
    body: Any = None,
    query: dict[str, str] | None = None,
    credential: Credential | None = None,
    region: str = "us-east-1",
    timeout: float = 30.0,
) -> Any:
    """Sends one control request and answers its decoded JSON; an error answer raises
    `ControlError` with the server's message."""
    url = endpoint_url + path
    if query:
        url += "?" + urllib.parse.urlencode(query)
    data = b"" if body is None else json.dumps(body).encode("utf-8")
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if credential is not None:
        headers = _signed_headers(method, url, data, headers, credential, region)
    request = urllib.request.Request(
        url, data=data if body is not None else None, method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        raise ControlError(
            method, path, error.code, error.read().decode("utf-8", "replace")
        ) from None
    return json.loads(text) if text else None
