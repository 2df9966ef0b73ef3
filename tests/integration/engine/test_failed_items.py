"""Items Recruit keeps refusing and texts longer than Recruit's fields, on Azurite and both emulators: a
refusal is logged once, counted as failed on /api/me and not sent again until the item changes; a long text
reaches Recruit shortened with a note, and nothing loops afterwards."""

from __future__ import annotations

import pytest

from sync_core.engine.accounts.account_views import kind_view
from sync_core.store.queues import SyncPurpose
from tests.integration.engine.conftest import Synced, graph_event, recruit_stats, writes
from tests.integration.engine.test_failure_retries import QueuedSyncs

REFUSED = "REFUSED"


def refuse_titles_containing(synced: Synced, text: str) -> None:
    rules = [{"api_name": "Event_Title", "contains": text}] if text else []
    synced.recruit.control("refusals", {"module": "Events", "rules": rules})


async def failures_logged(synced: Synced) -> list[str]:
    log = await synced.ctx.synclog.recent(synced.connection.key, kind="calendar")
    return [entry.message for entry in log.entries if entry.type == "failure"]


async def test_an_outlook_edit_recruit_refuses_is_logged_once_counted_failed_and_sent_again_only_when_changed(
    synced: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued = QueuedSyncs(synced.ctx, monkeypatch)
    event = await synced.outlook_event("Alice: client call")
    refuse_titles_containing(synced, REFUSED)
    synced.tick()
    synced.outlook_update(event["id"], {"subject": f"Client call {REFUSED}"})
    await synced.sync(reason="graph_notification")

    view = kind_view(await synced.state())
    assert view["failed"] == 1
    assert view["last_error"]["code"] == "items_failed"
    assert f"Client call {REFUSED}" in view["last_error"]["message"]
    [message] = await failures_logged(synced)
    assert "INVALID_DATA" in message and message.endswith("not retried until the item is changed")
    assert [r for r, _ in queued.take() if r.purpose == SyncPurpose.FAILURE_RETRY] == []

    # Later passes (a sweep, a resync reading the held-back changes again) send nothing and log nothing more.
    before = recruit_stats(synced.recruit)
    synced.tick()
    await synced.sync()
    await synced.sync(reason="resync")
    assert writes(before, recruit_stats(synced.recruit), "PUT", "/recruit/v2/{module}") == 0
    assert len(await failures_logged(synced)) == 1
    assert kind_view(await synced.state())["failed"] == 1

    # The user changes the item: it is written and no longer failed.
    synced.tick()
    synced.outlook_update(event["id"], {"subject": "Client call, fixed"})
    await synced.sync(reason="graph_notification")
    assert "Client call, fixed" in synced.owned_titles("Events")
    view = kind_view(await synced.state())
    assert (view["failed"], view["last_error"]) == (0, None)


async def test_an_outlook_event_created_with_a_refused_title_is_failed_until_renamed(synced: Synced) -> None:
    refuse_titles_containing(synced, REFUSED)
    synced.tick()
    event_id = await synced.outlook_create(graph_event(f"Made in Outlook {REFUSED}", days_ahead=6))
    await synced.sync(reason="graph_notification")
    assert kind_view(await synced.state())["failed"] == 1
    refuse_titles_containing(synced, "")
    synced.tick()
    synced.outlook_update(event_id, {"subject": "Made in Outlook"})
    await synced.sync(reason="graph_notification")
    assert "Made in Outlook" in synced.owned_titles("Events")
    assert kind_view(await synced.state())["failed"] == 0


async def test_a_300_character_outlook_title_reaches_recruit_shortened_with_a_note_and_nothing_loops(
    synced: Synced,
) -> None:
    event = await synced.outlook_event("Alice: client call")
    long_title = "Quarterly review " + "x" * 283
    synced.tick()
    synced.outlook_update(event["id"], {"subject": long_title})
    await synced.sync(reason="graph_notification")

    assert long_title[:255] in synced.owned_titles("Events")
    log = await synced.ctx.synclog.recent(synced.connection.key, kind="calendar")
    notes = [entry.message for entry in log.entries if entry.type == "info" and entry.title]
    assert "Title shortened to 255 characters to fit Recruit" in notes
    assert kind_view(await synced.state())["failed"] == 0

    graph_before = synced.graph.control_get("stats")["requests"]
    recruit_before = recruit_stats(synced.recruit)
    for _ in range(2):
        synced.tick()
        await synced.sync(reason="recruit_notification")
    assert writes(recruit_before, recruit_stats(synced.recruit), "PUT", "/recruit/v2/{module}") == 0
    graph_after = synced.graph.control_get("stats")["requests"]
    assert writes(graph_before, graph_after, "PATCH", "/events") == 0
    assert (await synced.outlook_event(long_title))["subject"] == long_title
