"""A pass Recruit throttles (429 without any rate-limit header, as Recruit answers) is queued again a minute
later as a new message: the queue message does not fail, the failure retries are not spent, and the requeued
pass syncs once Recruit lets it. A token without a scope the pass needs stops sync with its own message and
never refreshes the token."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sync_core.engine.sync_pass.reconcile import RATE_LIMIT_RETRY_SECONDS, run_pass
from sync_core.store.connections import RecruitToken
from tests.integration.engine.conftest import ALICE as ALICE_EMAIL
from tests.integration.engine.conftest import Synced
from tests.integration.engine.test_failure_retries import QueuedSyncs


def throttle_recruit(synced: Synced) -> None:
    rule = {"prefix": "/recruit/v2/", "rate": 1.0, "statuses": [429], "retry_after": 30}
    synced.recruit.control("faults", {"rules": [rule]})


async def test_a_throttled_pass_is_queued_again_later_without_failing_or_spending_retries(
    synced: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued = QueuedSyncs(synced.ctx, monkeypatch)
    subjects = await synced.outlook_subjects()
    record = next(r for r in synced.recruit_records("Events") if r["Event_Title"] in subjects)
    synced.tick()
    synced.recruit_update("Events", str(record["id"]), {"Event_Title": "Renamed under throttling"})
    throttle_recruit(synced)
    await synced.sync(reason="recruit_notification", recruit_module="Events", recruit_ids=[str(record["id"])])
    [(again, delay)] = queued.take()
    assert delay == RATE_LIMIT_RETRY_SECONDS
    assert again.reason == "recruit_notification" and again.recruit_ids == [str(record["id"])]
    state = await synced.state()
    assert state.status == "active" and state.counters.get("failing_passes", 0) == 0
    assert "Renamed under throttling" not in await synced.outlook_subjects()

    synced.recruit.control("faults", {"rules": []})
    await run_pass(synced.ctx, again)
    assert "Renamed under throttling" in await synced.outlook_subjects()
    assert queued.take() == []


async def test_a_token_without_a_needed_scope_stops_sync_with_its_own_message_and_no_refresh(
    synced: Synced,
) -> None:
    narrow = synced.recruit.control("token", {"user": ALICE_EMAIL, "scopes": "ZohoRecruit.modules.event.ALL"})
    connection = await synced.ctx.connections.get(synced.connection.key)
    assert connection is not None and connection.recruit_token is not None
    stored = RecruitToken(
        refresh_token=connection.recruit_token.refresh_token,
        access_token=narrow["access_token"],
        expires_at=synced.ctx.clock() + timedelta(minutes=50),
    )
    await synced.ctx.connections.upsert(connection.model_copy(update={"recruit_token": stored}))
    await synced.sync(reason="sweep")
    state = await synced.state()
    assert state.status == "error" and state.last_error_code == "recruit_scopes"
    after = await synced.ctx.connections.get(synced.connection.key)
    assert after is not None and after.recruit_token is not None
    assert after.recruit_token.access_token == narrow["access_token"]  # not refreshed
