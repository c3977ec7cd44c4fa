"""Storage (S3): Create/Get/Update/Import/DeleteBackendStorage and ListS3Buckets."""

import datetime
import re

import pytest

import support
from support import UUID4_RE, auth_config, meta, new_app_id, storage_config

RES = "s3res"


def _create(client, app_id, cfg, env="dev", name=RES):
    resp = client.create_backend_storage(AppId=app_id, BackendEnvironmentName=env,
                                         ResourceName=name, ResourceConfig=cfg)
    assert resp["AppId"] == app_id
    assert resp["BackendEnvironmentName"] == env
    assert resp["Status"] == "COMPLETED", resp
    assert UUID4_RE.match(resp["JobId"])
    job = client.get_backend_job(AppId=app_id, BackendEnvironmentName=env, JobId=resp["JobId"])
    assert job["Operation"] == "CreateBackendStorage"
    assert job["Status"] == "COMPLETED"
    return resp


def _get(client, app_id, env="dev", name=RES):
    return client.get_backend_storage(AppId=app_id, BackendEnvironmentName=env, ResourceName=name)


def _bucket_names(client):
    names = []
    kwargs = {}
    for _ in range(100):
        resp = client.list_s3_buckets(**kwargs)
        names.extend(b["Name"] for b in resp["Buckets"])
        if not resp.get("NextToken"):
            return names
        kwargs["NextToken"] = resp["NextToken"]
    raise AssertionError("ListS3Buckets did not end")


def _parse_iso8601(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_create_get_storage_and_list_buckets(client, app_id):
    cfg = storage_config(bucket="photos")
    _create(client, app_id, cfg)
    got = _get(client, app_id)
    assert got["AppId"] == app_id
    assert got["BackendEnvironmentName"] == "dev"
    assert got["ResourceName"] == RES
    rc = got["ResourceConfig"]
    assert re.fullmatch(r"photos\d{6}-dev", rc["BucketName"]), rc
    assert rc["Imported"] is False
    assert rc["ServiceName"] == "S3"
    assert rc["Permissions"] == {"Authenticated": ["READ", "CREATE_AND_UPDATE"]}

    resp = client.list_s3_buckets()
    by_name = {b["Name"]: b for b in resp["Buckets"]}
    if rc["BucketName"] not in by_name:
        assert rc["BucketName"] in _bucket_names(client)
    else:
        created = _parse_iso8601(by_name[rc["BucketName"]]["CreationDate"])
        now = datetime.datetime.now(datetime.timezone.utc)
        assert created.tzinfo is not None
        assert abs((now - created).total_seconds()) < 600

    entry = meta(client, app_id, "dev")["storage"][RES]
    assert entry["service"] == "S3"
    assert entry["providerPlugin"] == "awscloudformation"
    assert entry["output"]["BucketName"] == rc["BucketName"]
    assert entry["output"]["Region"] == "us-east-1"


def test_bucket_name_from_resource_name(client, app_id):
    _create(client, app_id, storage_config(bucket=None), name="MyFiles")
    rc = _get(client, app_id, name="MyFiles")["ResourceConfig"]
    assert re.fullmatch(r"myfiles\d{6}-dev", rc["BucketName"]), rc
    assert rc["BucketName"] in _bucket_names(client)


def test_update_storage(client, app_id):
    _create(client, app_id, storage_config())
    name_before = _get(client, app_id)["ResourceConfig"]["BucketName"]
    resp = client.update_backend_storage(
        AppId=app_id, BackendEnvironmentName="dev", ResourceName=RES,
        ResourceConfig={"ServiceName": "S3",
                        "Permissions": {"Authenticated": ["READ", "CREATE_AND_UPDATE", "DELETE"]}})
    assert resp["AppId"] == app_id
    assert resp["Status"] == "COMPLETED"
    job = client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=resp["JobId"])
    assert job["Operation"] == "UpdateBackendStorage"
    rc = _get(client, app_id)["ResourceConfig"]
    assert rc["Permissions"] == {"Authenticated": ["READ", "CREATE_AND_UPDATE", "DELETE"]}
    assert rc["BucketName"] == name_before


def test_guest_permissions_need_unauthenticated_identities(client, app_id):
    guest = storage_config(unauthenticated=["READ"])
    # no auth resource at all
    with pytest.raises(client.exceptions.BadRequestException) as e:
        client.create_backend_storage(AppId=app_id, BackendEnvironmentName="dev",
                                      ResourceName=RES, ResourceConfig=guest)
    support.assert_error(e.value, "BadRequestException", 400)
    # a user pool only: no unauthenticated identities
    client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
                               ResourceConfig=auth_config())
    with pytest.raises(client.exceptions.BadRequestException):
        client.create_backend_storage(AppId=app_id, BackendEnvironmentName="dev",
                                      ResourceName=RES, ResourceConfig=guest)
    with pytest.raises(client.exceptions.NotFoundException):
        _get(client, app_id)


def test_guest_permissions_with_unauthenticated_login(client, app_id):
    client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName="authres",
                               ResourceConfig=auth_config(identity_pool=True, unauthenticated=True))
    _create(client, app_id, storage_config(unauthenticated=["READ"]))
    perms = _get(client, app_id)["ResourceConfig"]["Permissions"]
    assert perms == {"Authenticated": ["READ", "CREATE_AND_UPDATE"], "UnAuthenticated": ["READ"]}


def test_delete_storage_keeps_bucket(client, app_id):
    _create(client, app_id, storage_config(bucket="keepme"))
    bucket = _get(client, app_id)["ResourceConfig"]["BucketName"]
    resp = client.delete_backend_storage(AppId=app_id, BackendEnvironmentName="dev",
                                         ResourceName=RES, ServiceName="S3")
    assert resp["AppId"] == app_id
    assert resp["Status"] == "COMPLETED"
    job = client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=resp["JobId"])
    assert job["Operation"] == "DeleteBackendStorage"
    with pytest.raises(client.exceptions.NotFoundException):
        _get(client, app_id)
    assert not meta(client, app_id, "dev").get("storage")
    assert bucket in _bucket_names(client), "Amplify's retain policy keeps the bucket"


def test_import_storage(client, app_id):
    bucket = "conformance-import-" + app_id[:12]
    resp = client.import_backend_storage(AppId=app_id, BackendEnvironmentName="dev",
                                         BucketName=bucket, ServiceName="S3")
    assert resp["AppId"] == app_id
    assert resp["BackendEnvironmentName"] == "dev"
    assert resp["Status"] == "COMPLETED"
    job = client.get_backend_job(AppId=app_id, BackendEnvironmentName="dev", JobId=resp["JobId"])
    assert job["Operation"] == "ImportBackendStorage"

    storage = meta(client, app_id, "dev")["storage"]
    assert len(storage) == 1, storage
    (name, entry), = storage.items()
    assert entry["service"] == "S3"
    assert entry["output"]["BucketName"] == bucket
    rc = _get(client, app_id, name=name)["ResourceConfig"]
    assert rc["Imported"] is True
    assert rc["BucketName"] == bucket
    assert rc["ServiceName"] == "S3"


@pytest.mark.parametrize("bucket", ["Bad_Bucket", "ab", "-leading-hyphen", "a" * 64, "192.168.1.1"])
def test_import_storage_invalid_bucket_name(client, app_id, bucket):
    with pytest.raises(client.exceptions.BadRequestException) as e:
        client.import_backend_storage(AppId=app_id, BackendEnvironmentName="dev",
                                      BucketName=bucket, ServiceName="S3")
    support.assert_error(e.value, "BadRequestException", 400)
    assert not meta(client, app_id, "dev").get("storage")


def test_storage_not_found(client, app_id):
    with pytest.raises(client.exceptions.NotFoundException) as e:
        _get(client, app_id)
    support.assert_error(e.value, "NotFoundException", 404)
    with pytest.raises(client.exceptions.NotFoundException):
        client.delete_backend_storage(AppId=app_id, BackendEnvironmentName="dev",
                                      ResourceName=RES, ServiceName="S3")
    with pytest.raises(client.exceptions.NotFoundException):
        client.create_backend_storage(AppId=new_app_id(), BackendEnvironmentName="dev",
                                      ResourceName=RES, ResourceConfig=storage_config())


def test_storage_unknown_service_name(raw_client, app_id):
    with pytest.raises(raw_client.exceptions.BadRequestException):
        raw_client.create_backend_storage(
            AppId=app_id, BackendEnvironmentName="dev", ResourceName=RES,
            ResourceConfig={"ServiceName": "DYNAMODB", "Permissions": {"Authenticated": ["READ"]}})
    with pytest.raises(raw_client.exceptions.BadRequestException):
        raw_client.create_backend_storage(
            AppId=app_id, BackendEnvironmentName="dev", ResourceName=RES,
            ResourceConfig={"ServiceName": "S3", "Permissions": {"Authenticated": ["WRITE"]}})
