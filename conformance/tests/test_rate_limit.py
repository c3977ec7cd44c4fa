"""Per-account rate limits: 429 TooManyRequestsException with limitType, and boto3's and
aioboto3's standard retry mode riding through it."""

import asyncio

import aioboto3
import boto3
import botocore.config
import pytest

import support


def _retrying_config() -> botocore.config.Config:
    return botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 8})


def test_throttled_requests_are_modeled_429s(limited_server):
    client = support.make_client(limited_server.endpoint, access_key="333333333333")
    throttled = []
    for _ in range(10):
        try:
            client.create_token(AppId=support.new_app_id())
        except client.exceptions.TooManyRequestsException as e:
            throttled.append(e)
    assert throttled, "no request was throttled"
    e = throttled[0]
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert e.response["Error"]["Code"] == "TooManyRequestsException"
    assert e.response.get("LimitType") or e.response["Error"].get("LimitType")


def test_other_accounts_are_not_throttled_by_a_busy_one(limited_server):
    busy = support.make_client(limited_server.endpoint, access_key="444444444444")
    for _ in range(6):
        try:
            busy.create_token(AppId="a")
        except busy.exceptions.TooManyRequestsException:
            pass
    calm = support.make_client(limited_server.endpoint, access_key="555555555555")
    calm.create_token(AppId="a")


def test_boto3_standard_retries_ride_through(limited_server):
    client = boto3.session.Session().client(
        "amplifybackend", endpoint_url=limited_server.endpoint, region_name=support.REGION,
        aws_access_key_id="666666666666", aws_secret_access_key=support.SECRET_KEY,
        config=_retrying_config())
    for _ in range(12):
        client.create_token(AppId="steady")


def test_aioboto3_standard_retries_ride_through(limited_server):
    async def run():
        async with aioboto3.Session().client(
                "amplifybackend", endpoint_url=limited_server.endpoint, region_name=support.REGION,
                aws_access_key_id="777777777777", aws_secret_access_key=support.SECRET_KEY,
                config=_retrying_config()) as client:
            for _ in range(12):
                await client.create_token(AppId="steady")

    asyncio.run(run())
