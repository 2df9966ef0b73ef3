"""Reading and writing Recruit records through the client: paging, modified-since, bulk writes, deletions,
search.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from sync_core.recruit import RecruitClient
from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import ALICE, ClientFor


def contacts(count: int, prefix: str = "Imported") -> list[dict[str, Any]]:
    return [{"First_Name": prefix, "Last_Name": f"{prefix} {index:04d}"} for index in range(count)]


def import_contacts(recruit: RecruitEmulator, count: int) -> list[str]:
    answer = recruit.control("import", {"user": ALICE, "module": "Contacts", "records": contacts(count)})
    return [str(record_id) for record_id in answer["ids"]]


def advance(recruit: RecruitEmulator, seconds: float) -> datetime:
    """Moves the emulator clock and returns its new time."""
    return datetime.fromisoformat(recruit.control("clock", {"advance_seconds": seconds})["now"])


def post_count(recruit: RecruitEmulator, key: str) -> int:
    stats = httpx.get(f"{recruit.base_url}/_emulator/stats", trust_env=False).json()
    return int(stats["requests"].get(key, 0))


async def all_ids(client: RecruitClient, module: str, **options: Any) -> list[str]:
    return [str(record["id"]) async for record in client.list_records(module, **options)]


class IgnoresIfModifiedSince(httpx.AsyncBaseTransport):
    """A server front that drops If-Modified-Since, as a Recruit that does not support it would."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.headers.pop("If-Modified-Since", None)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_listing_follows_pages_past_200_records(recruit: RecruitEmulator, alice: RecruitClient) -> None:
    seeded = await all_ids(alice, "Contacts")
    imported = import_contacts(recruit, 450)
    before = alice.requests_made
    listed = await all_ids(alice, "Contacts")
    assert sorted(listed) == sorted(seeded + imported)
    assert len(set(listed)) == len(listed)
    assert alice.requests_made - before == 3  # 200 + 200 + the rest


async def test_a_module_without_records_lists_nothing(alice: RecruitClient) -> None:
    seeded = await all_ids(alice, "Contacts")
    assert seeded
    assert all(result.ok for result in await alice.delete("Contacts", seeded))
    assert await all_ids(alice, "Contacts") == []


async def test_modified_since_returns_only_records_changed_after_the_watermark(
    recruit: RecruitEmulator, alice: RecruitClient
) -> None:
    imported = import_contacts(recruit, 250)
    watermark = advance(recruit, 5)
    advance(recruit, 1)
    changed = imported[10:13]
    results = await alice.update(
        "Contacts", [{"id": record_id, "Job_Title": "Lead"} for record_id in changed]
    )
    assert all(result.ok for result in results)
    assert sorted(await all_ids(alice, "Contacts", modified_since=watermark)) == sorted(changed)


async def test_nothing_modified_since_the_watermark_answers_304_and_lists_nothing(
    recruit: RecruitEmulator, alice: RecruitClient
) -> None:
    import_contacts(recruit, 5)
    watermark = advance(recruit, 5)
    before = alice.requests_made
    assert await all_ids(alice, "Contacts", modified_since=watermark) == []
    assert alice.requests_made - before == 1


async def test_a_server_ignoring_if_modified_since_still_yields_only_newer_records_once(
    recruit: RecruitEmulator, client_for: ClientFor
) -> None:
    imported = import_contacts(recruit, 450)
    watermark = advance(recruit, 5)
    advance(recruit, 1)
    changed = imported[300:305]
    async with httpx.AsyncClient(transport=IgnoresIfModifiedSince()) as http:
        client = await client_for(ALICE, http=http)
        await client.update("Contacts", [{"id": record_id, "Mobile": "+1 555 0100"} for record_id in changed])
        before = client.requests_made
        listed = await all_ids(client, "Contacts", modified_since=watermark)
    assert sorted(listed) == sorted(changed)
    # The first page shows the header was ignored; the newest-first listing then stops on its first page.
    assert client.requests_made - before == 2


async def test_insert_of_150_goes_in_two_calls_and_reports_each_record(
    recruit: RecruitEmulator, alice: RecruitClient
) -> None:
    records = contacts(150, prefix="New")
    for bad in (7, 120):
        del records[bad]["Last_Name"]
    posts_before = post_count(recruit, "POST /recruit/v2/{module}")
    results = await alice.insert("Contacts", records)
    assert post_count(recruit, "POST /recruit/v2/{module}") - posts_before == 2
    assert [result.index for result in results] == list(range(150))
    failed = {result.index: result.code for result in results if not result.ok}
    assert failed == {7: "MANDATORY_NOT_FOUND", 120: "MANDATORY_NOT_FOUND"}
    stored = {str(record["id"]): record async for record in alice.list_records("Contacts")}
    created = [result.id for result in results if result.ok]
    assert len(created) == 148 and all(record_id in stored for record_id in created)
    assert stored[results[121].id or ""]["Last_Name"] == "New 0121"


async def test_update_changes_the_record_and_reports_an_unknown_id_per_record(alice: RecruitClient) -> None:
    (created,) = await alice.insert("Contacts", [{"Last_Name": "Ito", "Email": "ito@example.test"}])
    assert created.id
    ok, missing = await alice.update(
        "Contacts", [{"id": created.id, "Job_Title": "CTO"}, {"id": "1", "Mobile": "1"}]
    )
    assert ok.ok and not missing.ok and missing.code == "INVALID_DATA"
    record = await alice.get_record("Contacts", created.id)
    assert record is not None and record["Job_Title"] == "CTO" and record["Email"] == "ito@example.test"


async def test_deleted_records_disappear_and_are_listed_as_deleted_since(
    recruit: RecruitEmulator, alice: RecruitClient
) -> None:
    results = await alice.insert("Contacts", contacts(3, prefix="Gone"))
    ids = [result.id for result in results if result.id]
    before_delete = advance(recruit, 2)
    advance(recruit, 1)
    deleted = await alice.delete("Contacts", ids[:2])
    assert [result.ok for result in deleted] == [True, True]
    assert await alice.get_record("Contacts", ids[0]) is None
    assert set(await alice.get_records("Contacts", ids)) == {ids[2]}
    since = await alice.deleted_since("Contacts", before_delete)
    assert {entry.id for entry in since} == set(ids[:2])
    assert all(entry.deleted_time and entry.deleted_time > before_delete for entry in since)
    assert await alice.deleted_since("Contacts", advance(recruit, 5)) == []


async def test_delete_of_an_unknown_id_is_a_per_record_failure(alice: RecruitClient) -> None:
    (result,) = await alice.delete("Contacts", ["123"])
    assert not result.ok and result.code == "INVALID_DATA"


async def test_search_matches_values_holding_characters_zoho_needs_escaped(alice: RecruitClient) -> None:
    title = "Lead (R,D): QA"
    await alice.insert(
        "Contacts",
        [
            {"Last_Name": "Ng", "Job_Title": title},
            {"Last_Name": "Ng", "Job_Title": "Lead (R"},
            {"Last_Name": "Okafor", "Job_Title": title},
        ],
    )
    found = await alice.search("Contacts", [("Last_Name", "equals", "Ng"), ("Job_Title", "equals", title)])
    assert [(record["Last_Name"], record["Job_Title"]) for record in found] == [("Ng", title)]
    assert {
        record["Last_Name"]
        for record in await alice.search("Contacts", [("Job_Title", "starts_with", "Lead (")])
    } == {
        "Ng",
        "Okafor",
    }


async def test_search_without_matches_is_empty(alice: RecruitClient) -> None:
    assert await alice.search("Contacts", [("Email", "equals", "nobody@nowhere.test")]) == []


async def test_list_records_can_ask_for_some_fields_sorted_newest_first(
    recruit: RecruitEmulator, alice: RecruitClient
) -> None:
    first = await alice.insert("Contacts", [{"Last_Name": "Older"}])
    advance(recruit, 2)
    second = await alice.insert("Contacts", [{"Last_Name": "Newer"}])
    listed = [
        record
        async for record in alice.list_records(
            "Contacts", sort_by="Created_Time", sort_order="desc", fields=["Last_Name"], per_page=1
        )
    ]
    assert [record["id"] for record in listed[:2]] == [second[0].id, first[0].id]
    assert set(listed[0]) == {"id", "Last_Name"}
