"""The client against an emulator with each unconfirmed behaviour switched off (`POST /_emulator/features`):
`ids=` ignored → one GET per id; `/deleted` refused → deletions come only from callbacks, and nothing raises;
`If-Modified-Since` ignored → newest-first paging, each newer record once. Same answers as with them on."""

from __future__ import annotations

from sync_core.recruit import RecruitClient
from tests.fixtures.recruit_emulator import RecruitEmulator

from .test_records import advance, all_ids, import_contacts


async def _three_ids_one_deleted(alice: RecruitClient) -> tuple[list[str], str]:
    created = await alice.insert("Contacts", [{"Last_Name": f"Asked {n}"} for n in range(3)])
    ids = [result.id or "" for result in created]
    await alice.delete("Contacts", [ids[1]])
    return ids, ids[1]


async def test_records_by_ids_come_in_one_listing_where_ids_is_supported(alice: RecruitClient) -> None:
    ids, gone = await _three_ids_one_deleted(alice)
    before = alice.requests_made
    found = await alice.get_records("Contacts", ids)
    assert set(found) == set(ids) - {gone}
    assert found[ids[0]]["Last_Name"] == "Asked 0"
    assert alice.requests_made - before == 1


async def test_records_by_ids_fall_back_to_one_get_each_where_ids_is_ignored(
    recruit: RecruitEmulator, alice: RecruitClient
) -> None:
    ids, gone = await _three_ids_one_deleted(alice)
    recruit.control("features", {"ids_param": False})
    before = alice.requests_made
    found = await alice.get_records("Contacts", ids)
    assert set(found) == set(ids) - {gone}
    assert found[ids[2]]["Last_Name"] == "Asked 2"
    assert alice.requests_made - before == 1 + len(ids)  # the ignored listing, then one GET per id
    before = alice.requests_made
    assert set(await alice.get_records("Contacts", ids)) == set(ids) - {gone}
    assert alice.requests_made - before == len(ids)  # learnt: no second try of ids=


async def test_deleted_since_is_empty_not_an_error_where_deleted_is_refused(
    recruit: RecruitEmulator, alice: RecruitClient
) -> None:
    watermark = advance(recruit, 2)
    advance(recruit, 1)
    ids, gone = await _three_ids_one_deleted(alice)
    assert [entry.id for entry in await alice.deleted_since("Contacts", watermark)] == [gone]
    recruit.control("features", {"deleted_endpoint": False})
    assert await alice.deleted_since("Contacts", watermark) == []
    # The fallback: a delete callback names the id, and reading it by id shows it gone.
    assert gone not in await alice.get_records("Contacts", ids)


async def test_modified_since_pages_newest_first_where_the_header_is_ignored(
    recruit: RecruitEmulator, alice: RecruitClient
) -> None:
    imported = import_contacts(recruit, 300)
    watermark = advance(recruit, 5)
    advance(recruit, 1)
    changed = imported[100:104]
    await alice.update("Contacts", [{"id": record_id, "Job_Title": "Changed"} for record_id in changed])
    with_header = await all_ids(alice, "Contacts", modified_since=watermark)
    recruit.control("features", {"if_modified_since": False})
    without_header = await all_ids(alice, "Contacts", modified_since=watermark)
    assert sorted(with_header) == sorted(without_header) == sorted(changed)
    assert len(set(without_header)) == len(without_header)
