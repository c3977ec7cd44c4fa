"""Helpers shared by the conformance tests: clients, ids, configs, job polling.

Everything here talks to the server only through real clients (boto3, aioboto3)
or, for the raw-HTTP tests, through urllib with a botocore SigV4 signature.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
import uuid

import aioboto3
import boto3
import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "secret"
REGION = "us-east-1"
DEFAULT_ACCOUNT = "000000000000"

UUID4_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
DECIMAL_RE = re.compile(r"^[0-9]+$")


def _config(validate: bool = True) -> botocore.config.Config:
    # One attempt only: a 5xx or 429 must surface, not be retried away.
    return botocore.config.Config(
        parameter_validation=validate,
        retries={"total_max_attempts": 1, "mode": "standard"},
        connect_timeout=5,
        read_timeout=15,
    )


def make_client(endpoint: str, access_key: str = ACCESS_KEY, region: str = REGION,
                validate: bool = True):
    """A boto3 amplifybackend client with explicit credentials and region."""
    session = boto3.session.Session(
        aws_access_key_id=access_key,
        aws_secret_access_key=SECRET_KEY,
        region_name=region,
    )
    return session.client(
        "amplifybackend",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=SECRET_KEY,
        config=_config(validate),
    )


def make_async_client(endpoint: str, access_key: str = ACCESS_KEY, region: str = REGION,
                      validate: bool = True):
    """An aioboto3 client context manager (use with `async with`)."""
    session = aioboto3.Session()
    return session.client(
        "amplifybackend",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=SECRET_KEY,
        config=_config(validate),
    )


def make_amplify_client(endpoint: str, access_key: str = ACCESS_KEY, region: str = REGION,
                        validate: bool = True):
    """A boto3 client of the `amplify` service (apps, backend environments, tags), served
    on the same endpoint as AmplifyBackend."""
    return boto3.session.Session().client(
        "amplify",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=SECRET_KEY,
        config=_config(validate),
    )


def new_account() -> str:
    """A fresh 12-digit access key, hence a fresh account with nothing in it."""
    return "9" + uuid.uuid4().int.__str__()[-11:].rjust(11, "0")


def new_app_id() -> str:
    return uuid.uuid4().hex


def new_app_name() -> str:
    return "app" + uuid.uuid4().hex[:8]


def create_app(client, env: str = "dev", app_id: str | None = None,
               app_name: str | None = None) -> str:
    """CreateBackend on a fresh app; asserts the inline job completed."""
    app_id = app_id or new_app_id()
    resp = client.create_backend(
        AppId=app_id,
        AppName=app_name or "conformance",
        BackendEnvironmentName=env,
    )
    assert resp["AppId"] == app_id
    assert resp["BackendEnvironmentName"] == env
    assert resp["Operation"] == "CreateBackend"
    assert resp["Status"] == "COMPLETED", resp
    return app_id


def meta(client, app_id: str, env: str) -> dict:
    """The environment's amplify-meta.json, parsed."""
    resp = client.get_backend(AppId=app_id, BackendEnvironmentName=env)
    assert isinstance(resp["AmplifyMetaConfig"], str)
    return json.loads(resp["AmplifyMetaConfig"])


def error_code(exc) -> str:
    return exc.response["Error"]["Code"]


def assert_error(exc, code: str, status: int) -> None:
    """Common checks on a botocore ClientError."""
    r = exc.response
    assert r["Error"]["Code"] == code, r
    assert r["ResponseMetadata"]["HTTPStatusCode"] == status, r
    assert r["ResponseMetadata"].get("RequestId"), f"no x-amzn-RequestId: {r}"
    assert r["Error"].get("Message"), f"empty message: {r}"


# ----------------------------------------------------------------------------
# jobs

def wait_job(client, app_id: str, env: str, job_id: str, timeout: float = 8.0,
             until=("COMPLETED", "FAILED")) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = client.get_backend_job(AppId=app_id, BackendEnvironmentName=env, JobId=job_id)
        if job["Status"] in until:
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job['Status']} after {timeout}s: {job}")
        time.sleep(0.05)


def all_jobs(client, app_id: str, env: str, **filters) -> list[dict]:
    """Every job of the env, following NextToken by hand."""
    jobs: list[dict] = []
    kwargs = dict(AppId=app_id, BackendEnvironmentName=env, **filters)
    seen_tokens = set()
    for _ in range(1000):
        resp = client.list_backend_jobs(**kwargs)
        jobs.extend(resp.get("Jobs", []))
        token = resp.get("NextToken")
        if not token:
            return jobs
        assert token not in seen_tokens, "server returned the same NextToken twice"
        seen_tokens.add(token)
        kwargs["NextToken"] = token
    raise AssertionError("more than 1000 pages")


# ----------------------------------------------------------------------------
# resource configs (boto3 member names; botocore maps them to wire names)

def auth_config(identity_pool: bool = False, oauth: bool = False,
                unauthenticated: bool = False, **user_pool_overrides) -> dict:
    user_pool = {
        "UserPoolName": "conformancepool",
        "SignInMethod": "EMAIL",
        "RequiredSignUpAttributes": ["EMAIL", "NAME"],
        "PasswordPolicy": {"MinimumLength": 8, "AdditionalConstraints": ["REQUIRE_DIGIT"]},
        "Mfa": {"MFAMode": "OPTIONAL", "Settings": {"MfaTypes": ["TOTP"], "SmsMessage": "code {####}"}},
        "ForgotPassword": {
            "DeliveryMethod": "EMAIL",
            "EmailSettings": {"EmailMessage": "Your code is {####}", "EmailSubject": "Reset"},
        },
        "VerificationMessage": {
            "DeliveryMethod": "EMAIL",
            "EmailSettings": {"EmailMessage": "Verify with {####}", "EmailSubject": "Verify"},
        },
    }
    if oauth:
        user_pool["OAuth"] = oauth_config()
    user_pool.update(user_pool_overrides)
    cfg = {
        "AuthResources": "IDENTITY_POOL_AND_USER_POOL" if identity_pool else "USER_POOL_ONLY",
        "Service": "COGNITO",
        "UserPoolConfigs": user_pool,
    }
    if identity_pool:
        cfg["IdentityPoolConfigs"] = {
            "IdentityPoolName": "conformanceidp",
            "UnauthenticatedLogin": unauthenticated,
        }
    return cfg


def oauth_config(**overrides) -> dict:
    cfg = {
        "DomainPrefix": "conformance-app1",
        "OAuthGrantType": "CODE",
        "OAuthScopes": ["EMAIL", "OPENID", "PROFILE"],
        "RedirectSignInURIs": ["https://example.com/signin"],
        "RedirectSignOutURIs": ["https://example.com/signout"],
        "SocialProviderSettings": {
            "Google": {"ClientId": "google-id", "ClientSecret": "google-secret"},
            "SignInWithApple": {
                "ClientId": "apple-id", "KeyId": "KEY123", "PrivateKey": "pk", "TeamId": "TEAM1",
            },
        },
    }
    cfg.update(overrides)
    return cfg


TODO_SCHEMA = """type Todo @model @auth(rules: [{allow: public}]) {
  id: ID!
  name: String!
  description: String
}
"""

BLOG_SCHEMA = """type Blog @model @auth(rules: [{allow: public}]) {
  id: ID!
  name: String!
  posts: [Post] @hasMany
}

type Post @model @auth(rules: [{allow: public}]) {
  id: ID!
  title: String!
  blog: Blog @belongsTo
}
"""


def api_config(schema: str = TODO_SCHEMA) -> dict:
    return {
        "ApiName": "conformanceapi",
        "Service": "AppSync",
        "TransformSchema": schema,
        "DefaultAuthType": {
            "Mode": "API_KEY",
            "Settings": {"ExpirationTime": 7, "Description": "conformance key"},
        },
        "AdditionalAuthTypes": [{"Mode": "AWS_IAM"}],
        "ConflictResolution": {"ResolutionStrategy": "AUTOMERGE"},
    }


def storage_config(bucket: str | None = "photos", authenticated=("READ", "CREATE_AND_UPDATE"),
                   unauthenticated=None) -> dict:
    perms = {"Authenticated": list(authenticated)}
    if unauthenticated is not None:
        perms["UnAuthenticated"] = list(unauthenticated)
    cfg = {"ServiceName": "S3", "Permissions": perms}
    if bucket is not None:
        cfg["BucketName"] = bucket
    return cfg


# ----------------------------------------------------------------------------
# raw HTTP (signed with botocore's SigV4 signer, sent with urllib)

class RawResponse:
    def __init__(self, status: int, headers, body: bytes):
        self.status = status
        self.headers = headers  # case-insensitive (http.client.HTTPMessage)
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def raw_request(endpoint: str, method: str, path: str, body: bytes | None = None,
                access_key: str = ACCESS_KEY, region: str = REGION,
                content_type: str | None = "application/json", sign: bool = True,
                service: str = "amplifybackend") -> RawResponse:
    url = endpoint + path
    headers = {}
    if content_type is not None and body is not None:
        headers["Content-Type"] = content_type
    req = botocore.awsrequest.AWSRequest(method=method, url=url, data=body or b"", headers=headers)
    if sign:
        creds = botocore.credentials.Credentials(access_key, SECRET_KEY)
        botocore.auth.SigV4Auth(creds, service, region).add_auth(req)
    prepared = req.prepare()
    ureq = urllib.request.Request(
        prepared.url,
        data=body if body is not None else None,
        method=method,
        headers=dict(prepared.headers.items()),
    )
    try:
        with urllib.request.urlopen(ureq, timeout=10) as resp:
            return RawResponse(resp.status, resp.headers, resp.read())
    except urllib.error.HTTPError as e:
        return RawResponse(e.code, e.headers, e.read())
