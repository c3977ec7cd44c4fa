"""Robustness: raw HTTP requests (urllib, signed with botocore's SigV4 signer)."""

import json

import pytest

from support import create_app, raw_request


def _check_error(resp, status, error_type):
    assert resp.status == status, (resp.status, resp.body)
    assert resp.headers.get("X-Amzn-ErrorType", "").split(":")[0] == error_type, dict(resp.headers)
    assert resp.headers.get("x-amzn-RequestId"), dict(resp.headers)
    assert resp.headers.get("Content-Type", "").startswith("application/json"), dict(resp.headers)
    body = resp.json()
    assert isinstance(body, dict)
    assert isinstance(body.get("message"), str) and body["message"], body
    return body


def test_malformed_json_body(endpoint, client, app_id):
    resp = raw_request(endpoint, "POST", f"/backend/{app_id}/details", b'{"backendEnvironmentName": "dev"')
    _check_error(resp, 400, "BadRequestException")
    resp = raw_request(endpoint, "POST", "/backend", b"\xff\xfe not json at all")
    _check_error(resp, 400, "BadRequestException")
    resp = raw_request(endpoint, "POST", "/backend", b'["appId", "appName"]')
    _check_error(resp, 400, "BadRequestException")


def test_wrong_member_type(endpoint, client):
    body = json.dumps({"appId": 12345, "appName": "x", "backendEnvironmentName": "dev"}).encode()
    _check_error(raw_request(endpoint, "POST", "/backend", body), 400, "BadRequestException")
    body = json.dumps({"appId": "abc", "appName": ["x"], "backendEnvironmentName": "dev"}).encode()
    _check_error(raw_request(endpoint, "POST", "/backend", body), 400, "BadRequestException")
    # a __double sent as a string
    app_id = create_app(client)
    body = json.dumps({
        "backendEnvironmentName": "dev", "resourceName": "authres",
        "resourceConfig": {"authResources": "USER_POOL_ONLY", "service": "COGNITO", "userPoolConfigs": {
            "userPoolName": "p", "signInMethod": "EMAIL", "requiredSignUpAttributes": ["EMAIL"],
            "passwordPolicy": {"minimumLength": "eight"}}}}).encode()
    _check_error(raw_request(endpoint, "POST", f"/backend/{app_id}/auth", body), 400, "BadRequestException")
    # a boolean sent as a string
    body = json.dumps({"cleanAmplifyApp": "true"}).encode()
    _check_error(raw_request(endpoint, "POST", f"/backend/{app_id}/remove", body), 400, "BadRequestException")
    assert client.get_backend(AppId=app_id)["BackendEnvironmentList"] == ["dev"]


def test_missing_required_member(endpoint):
    body = json.dumps({"appId": "abcdef", "backendEnvironmentName": "dev"}).encode()
    _check_error(raw_request(endpoint, "POST", "/backend", body), 400, "BadRequestException")


def test_unknown_route(endpoint):
    body = _check_error(raw_request(endpoint, "GET", "/no/such/route"), 404, "NotFoundException")
    assert body.get("resourceType") == "route", body
    # a known path with the wrong method has no route either
    _check_error(raw_request(endpoint, "GET", "/backend"), 404, "NotFoundException")
    _check_error(raw_request(endpoint, "POST", "/backend/abc/job/dev/x/y/z", b"{}"), 404, "NotFoundException")


def test_not_found_app_raw(endpoint):
    body = _check_error(raw_request(endpoint, "POST", "/backend/doesnotexist0/details", b"{}"),
                        404, "NotFoundException")
    assert isinstance(body.get("resourceType"), str) and body["resourceType"], body


def test_empty_body_is_empty_object(endpoint, client, app_id):
    # CreateToken and GetBackendJob are sent with no body by several SDKs.
    resp = raw_request(endpoint, "POST", f"/backend/{app_id}/challenge", None)
    assert resp.status == 200, resp.body
    assert resp.headers.get("x-amzn-RequestId")
    token = resp.json()
    assert token["appId"] == app_id and token["sessionId"] and token["challengeCode"]
    assert isinstance(token["ttl"], str)
    resp = raw_request(endpoint, "GET", f"/backend/{app_id}/challenge/{token['sessionId']}", None)
    assert resp.status == 200, resp.body
    assert resp.json()["challengeCode"] == token["challengeCode"]
    job_id = client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")["Jobs"][0]["JobId"]
    resp = raw_request(endpoint, "GET", f"/backend/{app_id}/job/dev/{job_id}", None)
    assert resp.status == 200, resp.body
    job = resp.json()
    assert job["jobId"] == job_id and job["operation"] == "CreateBackend"
    assert isinstance(job["createTime"], str)
    # a POST with an empty body where every member is optional
    resp = raw_request(endpoint, "POST", f"/backend/{app_id}/details", b"")
    assert resp.status == 200, resp.body
    assert resp.json()["appId"] == app_id


def test_null_and_unknown_members(endpoint, client, app_id):
    body = json.dumps({"backendEnvironmentName": None, "somethingNew": {"x": 1}}).encode()
    resp = raw_request(endpoint, "POST", f"/backend/{app_id}/details", body)
    assert resp.status == 200, resp.body
    assert resp.headers.get("Content-Type", "").startswith("application/json")
    doc = resp.json()
    assert doc["appId"] == app_id
    assert doc["backendEnvironmentList"] == ["dev"]
    assert "amplifyMetaConfig" not in doc
    # absent optional members are omitted from responses, not sent as null
    assert all(v is not None for v in doc.values()), doc


def test_wire_names(endpoint, client, app_id):
    """Exact JSON member names, traps included (docs/BEHAVIOUR.md, "JSON member names")."""
    body = {
        "backendEnvironmentName": "dev",
        "resourceName": "authres",
        "resourceConfig": {
            "authResources": "USER_POOL_ONLY",
            "service": "COGNITO",
            "userPoolConfigs": {
                "userPoolName": "rawpool",
                "signInMethod": "USERNAME",
                "requiredSignUpAttributes": ["EMAIL"],
                "mfa": {"MFAMode": "ON", "settings": {"mfaTypes": ["SMS"], "smsMessage": "{####}"}},
                "passwordPolicy": {"minimumLength": 9.0},
                "oAuth": {
                    "domainPrefix": "rawprefix",
                    "oAuthGrantType": "IMPLICIT",
                    "oAuthScopes": ["OPENID"],
                    "redirectSignInURIs": ["https://in.example/"],
                    "redirectSignOutURIs": ["https://out.example/"],
                    "socialProviderSettings": {
                        "Facebook": {"client_id": "fb", "client_secret": "fbs"},
                        "SignInWithApple": {"client_id": "ap", "key_id": "k", "private_key": "p",
                                            "team_id": "t"},
                    },
                },
            },
        },
    }
    resp = raw_request(endpoint, "POST", f"/backend/{app_id}/auth", json.dumps(body).encode())
    assert resp.status == 200, resp.body
    created = resp.json()
    assert created["status"] == "COMPLETED" and created["operation"] == "CreateBackendAuth"

    got = client.get_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres")
    up = got["ResourceConfig"]["UserPoolConfigs"]
    assert up["Mfa"] == {"MFAMode": "ON", "Settings": {"MfaTypes": ["SMS"], "SmsMessage": "{####}"}}
    assert up["PasswordPolicy"]["MinimumLength"] == 9.0
    social = up["OAuth"]["SocialProviderSettings"]
    assert social["Facebook"] == {"ClientId": "fb", "ClientSecret": "fbs"}
    assert social["SignInWithApple"] == {"ClientId": "ap", "KeyId": "k", "PrivateKey": "p", "TeamId": "t"}

    raw = raw_request(endpoint, "POST", f"/backend/{app_id}/auth/dev/details",
                      json.dumps({"resourceName": "authres"}).encode()).json()
    mfa = raw["resourceConfig"]["userPoolConfigs"]["mfa"]
    assert "MFAMode" in mfa and "mfaMode" not in mfa, mfa
    apple = raw["resourceConfig"]["userPoolConfigs"]["oAuth"]["socialProviderSettings"]["SignInWithApple"]
    assert set(apple) == {"client_id", "key_id", "private_key", "team_id"}, apple
    assert isinstance(raw["resourceConfig"]["userPoolConfigs"]["passwordPolicy"]["minimumLength"], (int, float))


def test_unsigned_request_in_local_mode(endpoint):
    """Local-development mode does not verify signatures; an unsigned request is served."""
    resp = raw_request(endpoint, "POST", "/s3Buckets", b"{}", sign=False)
    assert resp.status == 200, resp.body
    assert isinstance(resp.json().get("buckets"), list)
