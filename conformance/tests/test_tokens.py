"""Tokens (Studio login challenges): CreateToken, GetToken, DeleteToken, expiry."""

import time

import pytest

import support
from support import DECIMAL_RE, UUID4_RE, create_app


def test_create_get_delete_token(client, app_id):
    before = time.time()
    created = client.create_token(AppId=app_id)
    assert created["AppId"] == app_id
    assert UUID4_RE.match(created["ChallengeCode"]), created
    assert UUID4_RE.match(created["SessionId"]), created
    assert created["ChallengeCode"] != created["SessionId"]
    assert DECIMAL_RE.match(created["Ttl"]), f"ttl must be epoch seconds: {created['Ttl']!r}"
    # the inline server runs with --token-ttl-secs 600
    assert before + 600 - 5 <= int(created["Ttl"]) <= time.time() + 600 + 5, created["Ttl"]

    got = client.get_token(AppId=app_id, SessionId=created["SessionId"])
    for key in ("AppId", "ChallengeCode", "SessionId", "Ttl"):
        assert got[key] == created[key], key

    other = client.create_token(AppId=app_id)
    assert other["SessionId"] != created["SessionId"]
    assert other["ChallengeCode"] != created["ChallengeCode"]

    deleted = client.delete_token(AppId=app_id, SessionId=created["SessionId"])
    assert deleted["IsSuccess"] is True
    with pytest.raises(client.exceptions.NotFoundException) as e:
        client.get_token(AppId=app_id, SessionId=created["SessionId"])
    support.assert_error(e.value, "NotFoundException", 404)
    with pytest.raises(client.exceptions.NotFoundException):
        client.delete_token(AppId=app_id, SessionId=created["SessionId"])
    # the other session is untouched
    assert client.get_token(AppId=app_id, SessionId=other["SessionId"])["ChallengeCode"] == other["ChallengeCode"]


def test_unknown_session(client, app_id):
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_token(AppId=app_id, SessionId="3f1d9c52-8a7b-4c3e-9d2f-1a2b3c4d5e6f")
    with pytest.raises(client.exceptions.NotFoundException):
        client.delete_token(AppId=app_id, SessionId="3f1d9c52-8a7b-4c3e-9d2f-1a2b3c4d5e6f")


def test_token_of_other_app_not_visible(client, app_id):
    other_app = create_app(client)
    created = client.create_token(AppId=app_id)
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_token(AppId=other_app, SessionId=created["SessionId"])


def test_token_expires(ttl_client):
    app_id = create_app(ttl_client)
    created = ttl_client.create_token(AppId=app_id)
    ttl = int(created["Ttl"])
    assert time.time() - 2 <= ttl <= time.time() + 2, "--token-ttl-secs 1"
    # still there right away (unless the second already turned over)
    try:
        ttl_client.get_token(AppId=app_id, SessionId=created["SessionId"])
    except ttl_client.exceptions.NotFoundException:
        assert time.time() >= ttl - 1
    time.sleep(max(0.0, ttl + 1.2 - time.time()))
    with pytest.raises(ttl_client.exceptions.NotFoundException) as e:
        ttl_client.get_token(AppId=app_id, SessionId=created["SessionId"])
    support.assert_error(e.value, "NotFoundException", 404)
