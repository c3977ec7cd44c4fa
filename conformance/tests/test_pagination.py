"""ListBackendJobs pagination with botocore's and aiobotocore's paginators."""

import pytest

import support
from support import all_jobs, auth_config, create_app

PAIRS = 15  # 1 CreateBackend + 15 x (CreateBackendAuth, DeleteBackendAuth) = 31 jobs


@pytest.fixture(scope="module")
def many_jobs(client):
    """An app whose env `dev` has 31 jobs; returns (appId, jobIds newest first)."""
    app_id = create_app(client)
    ids = [client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")["Jobs"][0]["JobId"]]
    for i in range(PAIRS):
        r = client.create_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName=f"auth{i}",
                                       ResourceConfig=auth_config())
        assert r["Status"] == "COMPLETED"
        ids.append(r["JobId"])
        r = client.delete_backend_auth(AppId=app_id, BackendEnvironmentName="dev", ResourceName=f"auth{i}")
        assert r["Status"] == "COMPLETED"
        ids.append(r["JobId"])
    assert len(ids) == 2 * PAIRS + 1 > 25
    return app_id, ids[::-1]


def test_unpaginated_call_returns_first_25(client, many_jobs):
    app_id, expected = many_jobs
    resp = client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")
    assert [j["JobId"] for j in resp["Jobs"]] == expected[:25]
    assert resp["NextToken"]
    manual = all_jobs(client, app_id, "dev")
    assert [j["JobId"] for j in manual] == expected
    assert manual[:25] == resp["Jobs"]


def test_sync_paginator_page_size_2(client, many_jobs):
    app_id, expected = many_jobs
    paginator = client.get_paginator("list_backend_jobs")
    pages = list(paginator.paginate(AppId=app_id, BackendEnvironmentName="dev",
                                    PaginationConfig={"PageSize": 2}))
    assert all(len(p["Jobs"]) <= 2 for p in pages)
    assert len(pages) == (len(expected) + 1) // 2
    assert "NextToken" not in pages[-1]
    got = [j for p in pages for j in p["Jobs"]]
    assert [j["JobId"] for j in got] == expected
    # same jobs, field for field, as the manual NextToken walk
    assert got == all_jobs(client, app_id, "dev")
    # newest first
    times = [int(j["CreateTime"]) for j in got]
    assert times == sorted(times, reverse=True)


def test_sync_paginator_max_items_and_resume(client, many_jobs):
    app_id, expected = many_jobs
    paginator = client.get_paginator("list_backend_jobs")
    first = paginator.paginate(AppId=app_id, BackendEnvironmentName="dev",
                               PaginationConfig={"MaxItems": 5, "PageSize": 2}).build_full_result()
    assert [j["JobId"] for j in first["Jobs"]] == expected[:5]
    assert first["NextToken"]
    rest = paginator.paginate(AppId=app_id, BackendEnvironmentName="dev",
                              PaginationConfig={"StartingToken": first["NextToken"], "PageSize": 2}
                              ).build_full_result()
    assert [j["JobId"] for j in rest["Jobs"]] == expected[5:]


def test_sync_paginator_with_filter(client, many_jobs):
    app_id, expected = many_jobs
    paginator = client.get_paginator("list_backend_jobs")
    got = paginator.paginate(AppId=app_id, BackendEnvironmentName="dev", Operation="DeleteBackendAuth",
                             PaginationConfig={"PageSize": 4}).build_full_result()["Jobs"]
    assert len(got) == PAIRS
    assert all(j["Operation"] == "DeleteBackendAuth" for j in got)
    assert [j["JobId"] for j in got] == expected[0:2 * PAIRS:2]


def _tampered(token: str):
    mid = len(token) // 2
    flipped = token[:mid] + ("A" if token[mid] != "A" else "B") + token[mid + 1:]
    return {
        "truncated": token[:-3],
        "reversed": token[::-1],
        "one_char_changed": flipped,
        "appended": token + "AAAA",
        "garbage": "not-a-real-token",
    }


@pytest.mark.parametrize("kind", ["truncated", "reversed", "one_char_changed", "appended", "garbage"])
def test_tampered_next_token(client, many_jobs, kind):
    app_id, _ = many_jobs
    token = client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev", MaxResults=2)["NextToken"]
    bad = _tampered(token)[kind]
    assert bad != token
    with pytest.raises(client.exceptions.BadRequestException) as e:
        client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev", MaxResults=2, NextToken=bad)
    support.assert_error(e.value, "BadRequestException", 400)


async def test_async_paginator_page_size_2(endpoint, many_jobs):
    app_id, expected = many_jobs
    async with support.make_async_client(endpoint) as client:
        paginator = client.get_paginator("list_backend_jobs")
        ids = []
        pages = 0
        async for page in paginator.paginate(AppId=app_id, BackendEnvironmentName="dev",
                                             PaginationConfig={"PageSize": 2}):
            assert len(page["Jobs"]) <= 2
            ids.extend(j["JobId"] for j in page["Jobs"])
            pages += 1
        assert ids == expected
        assert pages == (len(expected) + 1) // 2

        first = await client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="dev")
        assert [j["JobId"] for j in first["Jobs"]] == expected[:25]

        full = await paginator.paginate(AppId=app_id, BackendEnvironmentName="dev",
                                        PaginationConfig={"PageSize": 7}).build_full_result()
        assert [j["JobId"] for j in full["Jobs"]] == expected
