"""Watch channels through the client: open, list, renew, close, and the limits checked before calling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sync_core.recruit import RecruitClient, RecruitError
from tests.fixtures.recruit_emulator import RecruitEmulator

NOTIFY_URL = "http://127.0.0.1:9/api/webhooks/recruit"


def emulator_now(recruit: RecruitEmulator) -> datetime:
    return datetime.fromisoformat(recruit.control("clock", {"advance_seconds": 0})["now"])


async def test_a_channel_is_opened_listed_renewed_and_closed(
    recruit: RecruitEmulator, alice: RecruitClient
) -> None:
    now = emulator_now(recruit)
    opened = await alice.watch(
        4242, ["Events.all", "Interviews.all"], NOTIFY_URL, "tok-1", now + timedelta(hours=20)
    )
    assert opened.channel_id == 4242
    assert opened.channel_expiry is not None
    assert abs(opened.channel_expiry - (now + timedelta(hours=20))) < timedelta(seconds=2)

    (listed,) = await alice.list_watches()
    assert (listed.channel_id, listed.events, listed.notify_url, listed.token) == (
        4242,
        ["Events.all", "Interviews.all"],
        NOTIFY_URL,
        "tok-1",
    )

    renewed = await alice.update_watch(4242, expiry=now + timedelta(hours=23), token="tok-2")
    assert renewed.channel_expiry is not None and renewed.channel_expiry > opened.channel_expiry
    (listed,) = await alice.list_watches()
    assert listed.token == "tok-2" and listed.channel_expiry == renewed.channel_expiry

    (closed,) = await alice.unwatch([4242])
    assert closed.ok
    assert await alice.list_watches() == []


async def test_an_expiry_more_than_a_day_ahead_is_cut_to_one_hour_by_recruit(
    recruit: RecruitEmulator, alice: RecruitClient
) -> None:
    now = emulator_now(recruit)
    opened = await alice.watch(7, ["Contacts.all"], NOTIFY_URL, "t", now + timedelta(days=3))
    assert opened.channel_expiry is not None
    assert opened.channel_expiry - now < timedelta(hours=1, minutes=1)


async def test_a_duplicate_channel_id_is_refused_with_recruits_code(alice: RecruitClient) -> None:
    expiry = datetime.now(UTC) + timedelta(hours=2)
    await alice.watch(11, ["Contacts.all"], NOTIFY_URL, "t", expiry)
    with pytest.raises(RecruitError) as raised:
        await alice.watch(11, ["Contacts.all"], NOTIFY_URL, "t", expiry)
    assert raised.value.code == "DUPLICATE_DATA"


async def test_closing_an_unknown_channel_is_a_per_channel_failure(alice: RecruitClient) -> None:
    (result,) = await alice.unwatch([999])
    assert not result.ok and result.code == "INVALID_DATA"


async def test_channel_ids_and_tokens_beyond_recruits_limits_are_refused_before_any_call(
    alice: RecruitClient,
) -> None:
    expiry = datetime.now(UTC) + timedelta(hours=2)
    before = alice.requests_made
    with pytest.raises(ValueError):
        await alice.watch(2**48, ["Contacts.all"], NOTIFY_URL, "t", expiry)
    with pytest.raises(ValueError):
        await alice.watch(1, ["Contacts.all"], NOTIFY_URL, "x" * 51, expiry)
    assert alice.requests_made == before
