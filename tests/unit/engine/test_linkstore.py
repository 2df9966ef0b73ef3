"""Links survive the trip through the store's row model unchanged, tombstones included."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sync_core.domain.items import FOREVER, Link, RecruitRef
from sync_core.engine.sync_pass.linkstore import to_domain, to_store
from sync_core.store.connections import ConnectionKey
from sync_core.store.links import Link as StoredLink

KEY = ConnectionKey(org_id="1", user_id="2")
REF = RecruitRef("Events", "10")


def through_the_store(link: Link) -> Link:
    stored = to_store(link, KEY, "calendar", "title")
    # What a read gives back: the row model validated from its JSON form.
    return to_domain(StoredLink.model_validate_json(stored.model_dump_json()))


def test_a_linked_pair_keeps_datetimes_dates_and_nested_values() -> None:
    snapshot = {
        "title": "Call",
        "start": datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        "day": date(2026, 12, 1),
        "participants": [{"type": "email", "participant": "a@example.com"}],
        "all_day": False,
        "venue": None,
    }
    link = Link(
        REF,
        "g1",
        "fp",
        snapshot,
        datetime(2026, 11, 1, tzinfo=UTC),
        datetime(2026, 11, 2, 8, 0, 1, 507977, tzinfo=UTC),
        recruit_seen="recruit-version",
        graph_seen="graph-version",
    )
    assert through_the_store(link) == link


def test_an_intent_stays_an_intent() -> None:
    intent = Link(None, "g2", "fp", {"title": "x"}, None, datetime(2026, 11, 2, tzinfo=UTC), "intent")
    assert through_the_store(intent) == intent


def test_a_deleted_records_tombstone_stays_dormant_forever() -> None:
    tombstone = Link.tombstone(REF, "g3", FOREVER)
    assert through_the_store(tombstone) == tombstone


def test_an_out_of_scope_tombstone_keeps_its_stamp() -> None:
    tombstone = Link.tombstone(REF, None, datetime(2026, 11, 3, tzinfo=UTC))
    assert through_the_store(tombstone) == tombstone


def test_tombstones_are_stored_in_the_tombstone_state() -> None:
    for tombstone in (Link.tombstone(REF, "g4", FOREVER), Link.tombstone(None, "g5")):
        assert to_store(tombstone, KEY, "calendar").state == "tombstone"


def test_a_tombstone_of_an_outlook_item_alone_keeps_only_its_id() -> None:
    tombstone = Link.tombstone(None, "g6")
    assert through_the_store(tombstone) == tombstone
