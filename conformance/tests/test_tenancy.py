"""Tenancy: 12-digit access keys are accounts (local mode); the SigV4 scope's region
is the region. Nothing of one account or region is visible from another."""

import json
import re

import pytest

import support
from support import auth_config, create_app, new_app_id, storage_config

ACCOUNT_A = "111111111111"
ACCOUNT_B = "222222222222"


@pytest.fixture(scope="module")
def tenants(endpoint):
    return {
        "a_use1": support.make_client(endpoint, access_key=ACCOUNT_A, region="us-east-1"),
        "b_use1": support.make_client(endpoint, access_key=ACCOUNT_B, region="us-east-1"),
        "a_euw1": support.make_client(endpoint, access_key=ACCOUNT_A, region="eu-west-1"),
        "default": support.make_client(endpoint),  # AKIDEXAMPLE -> 000000000000
    }


def test_app_invisible_to_other_accounts_and_regions(tenants):
    owner = tenants["a_use1"]
    app_id = create_app(owner)
    job_id = owner.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")["Jobs"][0]["JobId"]
    for name in ("b_use1", "a_euw1", "default"):
        other = tenants[name]
        with pytest.raises(other.exceptions.NotFoundException):
            other.get_backend(AppId=app_id)
        with pytest.raises(other.exceptions.NotFoundException):
            other.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=job_id)
        with pytest.raises(other.exceptions.NotFoundException):
            other.delete_backend(AppId=app_id, BackendEnvironmentName="dev")
    assert owner.get_backend(AppId=app_id)["BackendEnvironmentList"] == ["dev"]


def test_same_app_id_in_two_accounts_is_two_apps(tenants):
    app_id = new_app_id()
    create_app(tenants["a_use1"], app_id=app_id, app_name="alpha")
    # a different appName would be a 400 for the same app; here it is another app
    create_app(tenants["b_use1"], app_id=app_id, app_name="beta", env="prod")
    create_app(tenants["a_euw1"], app_id=app_id, app_name="gamma", env="test")
    a = tenants["a_use1"].get_backend(AppId=app_id)
    b = tenants["b_use1"].get_backend(AppId=app_id)
    c = tenants["a_euw1"].get_backend(AppId=app_id)
    assert (a["AppName"], a["BackendEnvironmentList"]) == ("alpha", ["dev"])
    assert (b["AppName"], b["BackendEnvironmentList"]) == ("beta", ["prod"])
    assert (c["AppName"], c["BackendEnvironmentList"]) == ("gamma", ["test"])
    tenants["b_use1"].remove_all_backends(AppId=app_id, CleanAmplifyApp=True)
    assert tenants["a_use1"].get_backend(AppId=app_id)["AppName"] == "alpha"


def test_region_and_account_in_amplify_meta(tenants):
    client = tenants["a_euw1"]
    app_id = create_app(client)
    client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
                               ResourceConfig=auth_config(identity_pool=True))
    doc = json.loads(client.get_backend(AppId=app_id, BackendEnvironmentName="dev")["AmplifyMetaConfig"])
    cfn = doc["providers"]["awscloudformation"]
    assert cfn["Region"] == "eu-west-1"
    assert cfn["AuthRoleArn"].startswith(f"arn:aws:iam::{ACCOUNT_A}:role/"), cfn
    assert cfn["StackId"].startswith(f"arn:aws:cloudformation:eu-west-1:{ACCOUNT_A}:stack/"), cfn
    out = doc["auth"]["authres"]["output"]
    assert re.fullmatch(r"eu-west-1_[A-Za-z0-9]{9}", out["UserPoolId"]), out
    assert out["IdentityPoolId"].startswith("eu-west-1:"), out


def test_tokens_and_buckets_are_per_account(tenants):
    a, b = tenants["a_use1"], tenants["b_use1"]
    app_id = create_app(a)
    token = a.create_token(AppId=app_id)
    with pytest.raises(b.exceptions.NotFoundException):
        b.get_token(AppId=app_id, SessionId=token["SessionId"])
    a.create_backend_storage(AppId=app_id, BackendEnvironmentName="dev", ResourceName="files",
                             ResourceConfig=storage_config(bucket="tenantfiles"))
    bucket = a.get_backend_storage(AppId=app_id, BackendEnvironmentName="dev",
                                   ResourceName="files")["ResourceConfig"]["BucketName"]

    def names(client):
        out, kwargs = [], {}
        while True:
            page = client.list_s3_buckets(**kwargs)
            out.extend(x["Name"] for x in page["Buckets"])
            if not page.get("NextToken"):
                return out
            kwargs["NextToken"] = page["NextToken"]

    assert bucket in names(a)
    assert bucket not in names(b)
    assert bucket not in names(tenants["default"])
