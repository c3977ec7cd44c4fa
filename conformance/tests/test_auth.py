"""Auth (Cognito): Create/Update/Get/Delete/ImportBackendAuth (boto3, inline jobs)."""

import copy
import re

import pytest

import support
from support import UUID4_RE, auth_config, meta, new_app_id, oauth_config

USER_POOL_ID_RE = re.compile(r"^us-east-1_[A-Za-z0-9]{9}$")
IDENTITY_POOL_ID_RE = re.compile(
    r"^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _create(client, app_id, cfg, env="dev", name="authres"):
    resp = client.create_backend_auth(AppId=app_id, BackendEnvironmentName=env,
                                      ResourceName=name, ResourceConfig=cfg)
    assert resp["AppId"] == app_id
    assert resp["BackendEnvironmentName"] == env
    assert resp["Operation"] == "CreateBackendAuth"
    assert resp["Status"] == "COMPLETED", resp
    assert UUID4_RE.match(resp["JobId"])
    return resp


def _get(client, app_id, env="dev", name="authres"):
    return client.get_backend_auth(AppId=app_id, BackendEnvironmentName=env, ResourceName=name)


def _numbers_as_float(cfg):
    """minimumLength is a __double: botocore hands it back as a float."""
    cfg = copy.deepcopy(cfg)
    pp = cfg["UserPoolConfigs"].get("PasswordPolicy")
    if pp and "MinimumLength" in pp:
        pp["MinimumLength"] = float(pp["MinimumLength"])
    return cfg


def test_create_and_get_auth_user_pool_only(client, app_id):
    cfg = auth_config()
    resp = _create(client, app_id, cfg)
    job = client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=resp["JobId"])
    assert job["Operation"] == "CreateBackendAuth" and job["Status"] == "COMPLETED"

    got = _get(client, app_id)
    assert got["AppId"] == app_id
    assert got["BackendEnvironmentName"] == "dev"
    assert got["ResourceName"] == "authres"
    assert got["ResourceConfig"] == _numbers_as_float(cfg)
    assert isinstance(got["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"], float)

    doc = meta(client, app_id, "dev")
    entry = doc["auth"]["authres"]
    assert entry["service"] == "Cognito"
    assert entry["providerPlugin"] == "awscloudformation"
    out = entry["output"]
    assert USER_POOL_ID_RE.match(out["UserPoolId"]), out
    assert out["AppClientIDWeb"] and out["AppClientID"], out
    assert out["AppClientIDWeb"] != out["AppClientID"]
    assert out["UserPoolName"], out
    assert "IdentityPoolId" not in out, "USER_POOL_ONLY must not have an identity pool"
    assert entry.get("serviceType") != "imported"


def test_create_auth_with_identity_pool_and_oauth(client, app_id):
    cfg = auth_config(identity_pool=True, oauth=True, unauthenticated=True)
    _create(client, app_id, cfg)
    got = _get(client, app_id)
    assert got["ResourceConfig"] == _numbers_as_float(cfg)
    # snake_case provider keys round-trip through botocore's ClientId / KeyId / ...
    social = got["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]
    assert social["SignInWithApple"]["TeamId"] == "TEAM1"
    assert social["Google"]["ClientSecret"] == "google-secret"

    out = meta(client, app_id, "dev")["auth"]["authres"]["output"]
    assert USER_POOL_ID_RE.match(out["UserPoolId"]), out
    assert IDENTITY_POOL_ID_RE.match(out["IdentityPoolId"]), out


def test_auth_identifiers_are_stable(client, app_id):
    _create(client, app_id, auth_config(identity_pool=True))
    first = meta(client, app_id, "dev")["auth"]["authres"]["output"]
    upd = auth_config(identity_pool=True)
    client.update_backend_auth(
        AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
        ResourceConfig={"AuthResources": upd["AuthResources"], "Service": "COGNITO",
                        "UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 12}}})
    second = meta(client, app_id, "dev")["auth"]["authres"]["output"]
    for key in ("UserPoolId", "AppClientIDWeb", "AppClientID", "IdentityPoolId"):
        assert first[key] == second[key], key


def test_update_auth_merges(client, app_id):
    cfg = auth_config(oauth=True)
    _create(client, app_id, cfg)
    resp = client.update_backend_auth(
        AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
        ResourceConfig={
            "AuthResources": "USER_POOL_ONLY",
            "Service": "COGNITO",
            "UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 10}},
        })
    assert resp["Operation"] == "UpdateBackendAuth"
    assert resp["Status"] == "COMPLETED"
    got = _get(client, app_id)["ResourceConfig"]["UserPoolConfigs"]
    # the member sent replaces that member whole
    assert got["PasswordPolicy"] == {"MinimumLength": 10.0}
    # members not sent stay
    assert got["Mfa"] == cfg["UserPoolConfigs"]["Mfa"]
    assert got["ForgotPassword"] == cfg["UserPoolConfigs"]["ForgotPassword"]
    assert got["VerificationMessage"] == cfg["UserPoolConfigs"]["VerificationMessage"]
    assert got["OAuth"] == cfg["UserPoolConfigs"]["OAuth"]
    # immutable members
    assert got["SignInMethod"] == "EMAIL"
    assert got["UserPoolName"] == "conformancepool"
    assert got["RequiredSignUpAttributes"] == ["EMAIL", "NAME"]

    # oAuth: {} removes OAuth
    client.update_backend_auth(
        AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
        ResourceConfig={"AuthResources": "USER_POOL_ONLY", "Service": "COGNITO",
                        "UserPoolConfigs": {"OAuth": {}}})
    got = _get(client, app_id)["ResourceConfig"]["UserPoolConfigs"]
    assert "OAuth" not in got
    assert got["PasswordPolicy"] == {"MinimumLength": 10.0}

    # MFA replaced whole
    client.update_backend_auth(
        AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
        ResourceConfig={"AuthResources": "USER_POOL_ONLY", "Service": "COGNITO",
                        "UserPoolConfigs": {"Mfa": {"MFAMode": "OFF"}}})
    got = _get(client, app_id)["ResourceConfig"]["UserPoolConfigs"]
    assert got["Mfa"] == {"MFAMode": "OFF"}


def _bad_configs():
    cases = {}
    cases["min_length_5"] = auth_config(PasswordPolicy={"MinimumLength": 5})
    cases["min_length_100"] = auth_config(PasswordPolicy={"MinimumLength": 100})
    cases["domain_prefix_uppercase_underscore"] = auth_config(
        OAuth=oauth_config(DomainPrefix="Bad_Prefix"))
    cases["domain_prefix_contains_aws"] = auth_config(OAuth=oauth_config(DomainPrefix="my-aws-app"))
    cases["domain_prefix_contains_cognito"] = auth_config(OAuth=oauth_config(DomainPrefix="mycognito"))
    cases["domain_prefix_leading_hyphen"] = auth_config(OAuth=oauth_config(DomainPrefix="-myapp"))
    cases["domain_prefix_trailing_hyphen"] = auth_config(OAuth=oauth_config(DomainPrefix="myapp-"))
    cases["domain_prefix_too_long"] = auth_config(OAuth=oauth_config(DomainPrefix="a" * 64))
    cases["mfa_on_without_settings"] = auth_config(Mfa={"MFAMode": "ON"})
    cases["mfa_optional_without_mfa_types"] = auth_config(
        Mfa={"MFAMode": "OPTIONAL", "Settings": {"SmsMessage": "code {####}"}})
    no_idp = auth_config(identity_pool=True)
    del no_idp["IdentityPoolConfigs"]
    cases["identity_pool_without_identity_pool_configs"] = no_idp
    oauth_no_signout = oauth_config()
    del oauth_no_signout["RedirectSignOutURIs"]
    cases["oauth_without_redirect_sign_out"] = auth_config(OAuth=oauth_no_signout)
    oauth_no_signin = oauth_config()
    del oauth_no_signin["RedirectSignInURIs"]
    cases["oauth_without_redirect_sign_in"] = auth_config(OAuth=oauth_no_signin)
    oauth_no_scopes = oauth_config()
    del oauth_no_scopes["OAuthScopes"]
    cases["oauth_without_scopes"] = auth_config(OAuth=oauth_no_scopes)
    cases["unknown_auth_resources_enum"] = dict(auth_config(), AuthResources="BOTH_POOLS")
    cases["unknown_sign_in_method_enum"] = auth_config(SignInMethod="CARRIER_PIGEON")
    return cases


BAD = _bad_configs()


@pytest.mark.parametrize("case", sorted(BAD))
def test_create_auth_validation(raw_client, case):
    # Client-side validation is off so that the server's own checks are exercised
    # (the oAuth cases omit members that botocore itself would reject).
    app_id = support.create_app(raw_client)
    with pytest.raises(raw_client.exceptions.BadRequestException) as e:
        raw_client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev",
                                       ResourceName="authres", ResourceConfig=BAD[case])
    support.assert_error(e.value, "BadRequestException", 400)
    # Bad input is a 400 on the request, not a job: only CreateBackend's job exists.
    jobs = raw_client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")["Jobs"]
    assert [j["Operation"] for j in jobs] == ["CreateBackend"]
    with pytest.raises(raw_client.exceptions.NotFoundException):
        _get(raw_client, app_id)


@pytest.mark.parametrize("user_pool", [
    {"PasswordPolicy": {"MinimumLength": 100}},
    {"PasswordPolicy": {"MinimumLength": 5.0}},
    {"Mfa": {"MFAMode": "ON"}},
    {"OAuth": {"DomainPrefix": "amazonlogin", "OAuthGrantType": "CODE", "OAuthScopes": ["EMAIL"],
               "RedirectSignInURIs": ["https://a.example/"], "RedirectSignOutURIs": ["https://a.example/"]}},
], ids=["min_length_100", "min_length_5", "mfa_on_without_settings", "domain_prefix_amazon"])
def test_update_auth_validation(raw_client, user_pool):
    app_id = support.create_app(raw_client)
    cfg = auth_config()
    _create(raw_client, app_id, cfg)
    with pytest.raises(raw_client.exceptions.BadRequestException) as e:
        raw_client.update_backend_auth(
            AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
            ResourceConfig={"AuthResources": "USER_POOL_ONLY", "Service": "COGNITO",
                            "UserPoolConfigs": user_pool})
    support.assert_error(e.value, "BadRequestException", 400)
    assert _get(raw_client, app_id)["ResourceConfig"] == _numbers_as_float(cfg)


def test_only_one_auth_per_environment(client, app_id):
    _create(client, app_id, auth_config())
    with pytest.raises(client.exceptions.BadRequestException) as e:
        client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev",
                                   ResourceName="otherauth", ResourceConfig=auth_config())
    support.assert_error(e.value, "BadRequestException", 400)
    assert list(meta(client, app_id, "dev")["auth"]) == ["authres"]


def test_auth_unknown_app_env_resource(client, app_id):
    with pytest.raises(client.exceptions.NotFoundException):
        client.create_backend_auth(AppId=new_app_id(), BackendEnvironmentName="dev",
                                   ResourceName="authres", ResourceConfig=auth_config())
    with pytest.raises(client.exceptions.NotFoundException):
        client.create_backend_auth(AppId=app_id, BackendEnvironmentName="nope",
                                   ResourceName="authres", ResourceConfig=auth_config())
    with pytest.raises(client.exceptions.NotFoundException) as e:
        _get(client, app_id)
    support.assert_error(e.value, "NotFoundException", 404)
    with pytest.raises(client.exceptions.NotFoundException):
        client.update_backend_auth(
            AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
            ResourceConfig={"AuthResources": "USER_POOL_ONLY", "Service": "COGNITO",
                            "UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 10}}})
    with pytest.raises(client.exceptions.NotFoundException):
        client.delete_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres")


def test_delete_auth(client, app_id):
    _create(client, app_id, auth_config())
    resp = client.delete_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres")
    assert resp["AppId"] == app_id
    assert resp["Operation"] == "DeleteBackendAuth"
    assert resp["Status"] == "COMPLETED"
    with pytest.raises(client.exceptions.NotFoundException):
        _get(client, app_id)
    assert not meta(client, app_id, "dev").get("auth")
    # The slot is free again.
    _create(client, app_id, auth_config(), name="authtwo")
    assert _get(client, app_id, name="authtwo")["ResourceName"] == "authtwo"


def test_import_auth(client, app_id):
    identity_pool_id = "us-east-1:4f5e2b9a-1c3d-4e5f-8a9b-0c1d2e3f4a5b"
    resp = client.import_backend_auth(
        AppId=app_id, BackendEnvironmentName="dev",
        UserPoolId="us-east-1_AbCdEf123", NativeClientId="nativeclient1",
        WebClientId="webclient1", IdentityPoolId=identity_pool_id)
    assert resp["AppId"] == app_id
    assert resp["BackendEnvironmentName"] == "dev"
    assert resp["Operation"] == "ImportBackendAuth"
    assert resp["Status"] == "COMPLETED"

    auth = meta(client, app_id, "dev")["auth"]
    assert len(auth) == 1, auth
    (name, entry), = auth.items()
    assert entry["service"] == "Cognito"
    assert entry["serviceType"] == "imported"
    assert entry["providerPlugin"] == "awscloudformation"
    out = entry["output"]
    assert out["UserPoolId"] == "us-east-1_AbCdEf123"
    assert out["AppClientIDWeb"] == "webclient1"
    assert out["AppClientID"] == "nativeclient1"
    assert out["IdentityPoolId"] == identity_pool_id

    got = _get(client, app_id, name=name)
    assert got["AppId"] == app_id
    assert got["BackendEnvironmentName"] == "dev"
    assert got["ResourceName"] == name

    client.delete_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName=name)
    assert not meta(client, app_id, "dev").get("auth")


def test_import_auth_unknown_env(client, app_id):
    with pytest.raises(client.exceptions.NotFoundException):
        client.import_backend_auth(AppId=app_id, BackendEnvironmentName="nope",
                                   UserPoolId="us-east-1_AbCdEf123", NativeClientId="n",
                                   WebClientId="w")
