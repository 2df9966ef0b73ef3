"""The failed-items book: a failure is news once, a permanent refusal of the same content is not sent again,
a write clears the item, and last_error follows the items."""

from __future__ import annotations

from datetime import UTC, datetime

from sync_core.engine.sync_pass.failed_items import (
    ITEMS_FAILED,
    FailureBook,
    graph_refusal_is_permanent,
    record_refusal_is_permanent,
)
from sync_core.store.connections import ConnectionKey
from sync_core.store.syncstate import SyncState

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
KEY = ConnectionKey(org_id="org", user_id="user")


def state_after(book: FailureBook, state: SyncState) -> SyncState:
    return state.model_copy(update=book.changes(state))


def test_recruit_refusals_are_permanent_and_its_limits_are_not() -> None:
    assert record_refusal_is_permanent("INVALID_DATA") and record_refusal_is_permanent("MANDATORY_NOT_FOUND")
    assert not record_refusal_is_permanent("LIMIT_EXCEEDED")
    assert graph_refusal_is_permanent(400) and not graph_refusal_is_permanent(429)
    assert not graph_refusal_is_permanent(503) and not graph_refusal_is_permanent(412)


def test_a_refused_item_is_news_once_then_not_sent_again_until_its_content_changes() -> None:
    state = SyncState(connection=KEY, kind="calendar")
    first = FailureBook(state.failed_items, NOW)
    assert first.fail(None, "g1", "Call", "Recruit refused it", {"title": "Call"}, permanent=True)
    state = state_after(first, state)
    assert (state.last_error_code, len(state.failed_items)) == (ITEMS_FAILED, 1)

    later = FailureBook(state.failed_items, NOW)
    assert later.refused_before(None, "g1", {"title": "Call"})
    assert not later.refused_before(None, "g1", {"title": "Call, fixed"})
    assert not later.fail(None, "g1", "Call", "Recruit refused it", {"title": "Call"}, permanent=True)


def test_a_transient_failure_is_never_skipped() -> None:
    book = FailureBook({}, NOW)
    book.fail("Events:1", None, "Call", "Outlook refused it: 503", {"title": "Call"}, permanent=False)
    state = state_after(book, SyncState(connection=KEY, kind="calendar"))
    assert not FailureBook(state.failed_items, NOW).refused_before("Events:1", None, {"title": "Call"})


def test_a_write_of_the_item_clears_it_and_our_last_error() -> None:
    state = SyncState(connection=KEY, kind="calendar")
    first = FailureBook(state.failed_items, NOW)
    first.fail(None, "g1", "Call", "Recruit refused it", {"title": "Call"}, permanent=True)
    state = state_after(first, state)
    second = FailureBook(state.failed_items, NOW)
    second.wrote("Events:1", "g1")
    state = state_after(second, state)
    assert (state.failed_items, state.last_error_code, state.last_error_message) == ({}, "", "")


def test_another_components_last_error_is_left_alone() -> None:
    state = SyncState(connection=KEY, kind="calendar", last_error_code="container_deleted")
    book = FailureBook({}, NOW)
    book.fail(None, "g1", "Call", "Recruit refused it", {"title": "Call"}, permanent=True)
    assert state_after(book, state).last_error_code == "container_deleted"
