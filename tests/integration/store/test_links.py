"""Links on Azurite: both rows in one transaction, >100-operation saves split safely, odd ids, stale rows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sync_core.store.clients import StorageContext
from sync_core.store.connections import ConnectionKey
from sync_core.store.errors import RowTooLarge
from sync_core.store.links import Link, LinkRepository, partition_key

ODD_IDS = [
    "a/b",
    "back\\slash",
    "hash#tag",
    "what?",
    "ctrl\x01\x1f\x7f",
    "percent%41",
    "ünïcødé-日本",
    "r:g:|",
    "o'quote",
]


@pytest.fixture
def links(storage: StorageContext) -> LinkRepository:
    return LinkRepository(storage)


def make_link(key: ConnectionKey, n: int, **changes: object) -> Link:
    values: dict[str, object] = {
        "connection": key,
        "kind": "calendar",
        "recruit_module": "Events",
        "recruit_id": f"rec-{n}",
        "graph_id": f"AAMk-{n}=",
        "fingerprint": f"fp{n}",
        "snapshot": {"subject": f"Event {n}", "body": "b"},
        "recruit_modified": datetime(2026, 1, 1, tzinfo=UTC),
        "title": f"Event {n}",
    }
    values.update(changes)
    return Link.model_validate(values)


async def row_keys(storage: StorageContext, key: ConnectionKey) -> list[str]:
    table = await storage.table("links")
    query = table.query_entities("PartitionKey eq @pk", parameters={"pk": partition_key(key, "calendar")})
    return sorted([str(entity["RowKey"]) async for entity in query])


async def test_saved_link_is_found_from_both_sides(
    links: LinkRepository, connection_key: ConnectionKey
) -> None:
    link = make_link(connection_key, 1)
    await links.save(link)
    by_recruit = await links.by_recruit(connection_key, "calendar", "Events", "rec-1")
    by_graph = await links.by_graph(connection_key, "calendar", "AAMk-1=")
    assert by_recruit == by_graph == link


async def test_120_links_saved_in_one_call_are_all_found_both_ways(
    links: LinkRepository, connection_key: ConnectionKey
) -> None:
    batch = [make_link(connection_key, n) for n in range(120)]
    await links.save_many(batch)
    found = await links.get_many_by_recruit(
        connection_key, "calendar", "Events", [f"rec-{n}" for n in range(120)]
    )
    assert sorted(found) == sorted(f"rec-{n}" for n in range(120))
    for n in (0, 49, 50, 119):
        assert await links.by_graph(connection_key, "calendar", f"AAMk-{n}=") == batch[n]
    assert len([link async for link in links.list_all(connection_key, "calendar")]) == 120


@pytest.mark.parametrize("odd", ODD_IDS)
async def test_ids_with_odd_characters_round_trip(
    links: LinkRepository, odd: str, storage: StorageContext
) -> None:
    key = ConnectionKey(org_id=f"org{odd}", user_id=f"user{odd}")
    link = make_link(key, 1, recruit_id=f"rec{odd}", graph_id=f"graph{odd}")
    await links.save(link)
    assert await links.by_recruit(key, "calendar", "Events", f"rec{odd}") == link
    assert await links.by_graph(key, "calendar", f"graph{odd}") == link
    assert await links.get_many_by_recruit(key, "calendar", "Events", [f"rec{odd}", "other"]) == {
        f"rec{odd}": link
    }
    assert await links.get_many_by_graph(key, "calendar", [f"graph{odd}", "other"]) == {f"graph{odd}": link}


async def test_many_links_are_read_by_either_side_in_one_call_and_missing_ids_are_left_out(
    links: LinkRepository, connection_key: ConnectionKey
) -> None:
    saved = [make_link(connection_key, n) for n in range(0, 100, 2)]
    await links.save_many(saved)
    asked = range(100)  # every other id has no link; more ids than one query's filter can hold
    by_recruit = await links.get_many_by_recruit(
        connection_key, "calendar", "Events", [f"rec-{n}" for n in asked]
    )
    by_graph = await links.get_many_by_graph(connection_key, "calendar", [f"AAMk-{n}=" for n in asked])
    assert by_recruit == {link.recruit_id: link for link in saved}
    assert by_graph == {link.graph_id: link for link in saved}
    other_kind = await links.get_many_by_graph(connection_key, "contacts", [f"AAMk-{n}=" for n in asked])
    assert other_kind == {}


async def test_changed_graph_id_removes_the_stale_row(
    links: LinkRepository, connection_key: ConnectionKey, storage: StorageContext
) -> None:
    await links.save(make_link(connection_key, 1))
    link = await links.by_recruit(connection_key, "calendar", "Events", "rec-1")
    assert link is not None
    link.graph_id = "AAMk-recreated="
    await links.save(link)
    assert await links.by_graph(connection_key, "calendar", "AAMk-1=") is None
    assert await links.by_graph(connection_key, "calendar", "AAMk-recreated=") == link
    assert len(await row_keys(storage, connection_key)) == 2


async def test_intent_has_only_the_graph_row_until_the_recruit_id_is_known(
    links: LinkRepository, connection_key: ConnectionKey, storage: StorageContext
) -> None:
    intent = make_link(connection_key, 1, recruit_id="", state="intent")
    await links.save(intent)
    assert await row_keys(storage, connection_key) == ["g:AAMk-1="]
    assert [link async for link in links.list_all(connection_key, "calendar")] == [intent]
    intent.recruit_id, intent.state = "rec-1", "linked"
    await links.save(intent)
    assert await links.by_recruit(connection_key, "calendar", "Events", "rec-1") == intent
    assert len([link async for link in links.list_all(connection_key, "calendar")]) == 1


async def test_delete_many_removes_both_rows(
    links: LinkRepository, connection_key: ConnectionKey, storage: StorageContext
) -> None:
    batch = [make_link(connection_key, n) for n in range(60)]
    await links.save_many(batch)
    await links.delete_many(batch[:55])
    assert len(await row_keys(storage, connection_key)) == 10


async def test_delete_partition_removes_every_link_of_the_kind_only(
    links: LinkRepository, connection_key: ConnectionKey
) -> None:
    await links.save_many([make_link(connection_key, n) for n in range(70)])
    await links.save(make_link(connection_key, 1, kind="contacts", recruit_module="Contacts"))
    assert await links.delete_partition(connection_key, "calendar") == 140
    assert [link async for link in links.list_all(connection_key, "calendar")] == []
    assert await links.by_graph(connection_key, "contacts", "AAMk-1=") is not None


async def test_large_snapshot_is_split_over_properties_and_read_back(
    links: LinkRepository, connection_key: ConnectionKey
) -> None:
    link = make_link(connection_key, 1, snapshot={"body": "é" * 150_000})
    await links.save(link)
    assert await links.by_graph(connection_key, "calendar", "AAMk-1=") == link


async def test_snapshot_over_the_cap_is_refused_before_writing(
    links: LinkRepository, connection_key: ConnectionKey
) -> None:
    with pytest.raises(RowTooLarge, match="snapshot"):
        await links.save(make_link(connection_key, 1, snapshot={"body": "x" * 300_000}))


async def test_deleting_links_whose_rows_are_already_gone_succeeds(
    links: LinkRepository, connection_key: ConnectionKey, storage: StorageContext
) -> None:
    batch = [make_link(connection_key, n) for n in range(3)]
    await links.save_many(batch)
    await links.delete_partition(connection_key, "calendar")
    await links.delete_many(batch)
    assert await row_keys(storage, connection_key) == []


async def test_saving_a_changed_id_when_the_stale_row_is_already_gone_still_saves(
    links: LinkRepository, connection_key: ConnectionKey, storage: StorageContext
) -> None:
    await links.save(make_link(connection_key, 1))
    link = await links.by_recruit(connection_key, "calendar", "Events", "rec-1")
    assert link is not None
    table = await storage.table("links")
    await table.delete_entity(partition_key(connection_key, "calendar"), "g:AAMk-1=")
    link.graph_id = "AAMk-new="
    await links.save(link)
    assert await row_keys(storage, connection_key) == ["g:AAMk-new=", "r:Events:rec-1"]


async def test_a_link_built_fresh_equals_the_same_link_read_back(
    links: LinkRepository, connection_key: ConnectionKey
) -> None:
    # Every field, to the microsecond of an Outlook event's time (Graph gives 100 ns; Python keeps µs).
    fields = {
        "graph_modified": datetime(2026, 1, 1, 8, 0, 1, 507977, tzinfo=UTC),
        "recruit_seen": "recruit-version",
        "graph_seen": "graph-version",
    }
    await links.save(make_link(connection_key, 1, **fields))
    assert await links.by_recruit(connection_key, "calendar", "Events", "rec-1") == make_link(
        connection_key, 1, **fields
    )


async def test_linked_pairs_are_counted_once_per_state_version(
    links: LinkRepository, connection_key: ConnectionKey
) -> None:
    await links.save_many([make_link(connection_key, n) for n in range(3)])
    await links.save(make_link(connection_key, 9, recruit_id="", state="intent"))  # not in sync yet

    first = await links.count_linked(connection_key, "calendar", as_of="etag-1")
    await links.save(make_link(connection_key, 3))
    same_version = await links.count_linked(connection_key, "calendar", as_of="etag-1")
    next_version = await links.count_linked(connection_key, "calendar", as_of="etag-2")
    uncached = await links.count_linked(connection_key, "calendar")

    # A pass stores the state after its links: the version moves with every change the count can see.
    assert (first, same_version, next_version, uncached) == (3, 3, 4, 4)
