"""How the client behaves under Recruit's rate limit and server errors: without rate-limit headers (Recruit's
way) it waits a little on its own and then raises RateLimited with no reset time; with headers it waits when
the reset is near and raises RateLimited when it is far; server errors are retried with backoff.
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from sync_core.recruit import RateLimited, RecruitError
from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import ClientFor


def throttled_count(recruit: RecruitEmulator) -> int:
    return int(httpx.get(f"{recruit.base_url}/_emulator/stats", trust_env=False).json()["throttled"])


def start_of_a_fresh_minute(recruit: RecruitEmulator) -> None:
    """Moves the emulator clock just past a minute boundary, so a few calls share one rate-limit window."""
    now = datetime.fromisoformat(recruit.control("clock", {"advance_seconds": 0})["now"])
    recruit.control("clock", {"advance_seconds": 60 - now.second - now.microsecond / 1e6 + 0.5})


class EmulatorSleep:
    """Stands in for asyncio.sleep: moves the emulator clock instead of waiting, and records each wait."""

    def __init__(self, recruit: RecruitEmulator) -> None:
        self.recruit = recruit
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        async with httpx.AsyncClient(trust_env=False) as http:
            await http.post(f"{self.recruit.base_url}/_emulator/clock", json={"advance_seconds": seconds})


async def test_a_rate_limited_call_waits_for_the_reset_and_then_succeeds(
    recruit: RecruitEmulator, client_for: ClientFor
) -> None:
    sleep = EmulatorSleep(recruit)
    client = await client_for(sleep=sleep, max_rate_wait=180)
    recruit.control("features", {"ratelimit_headers": True})
    start_of_a_fresh_minute(recruit)
    recruit.control("ratelimit", {"per_minute": 2})
    names = [(await client.org()).company_name for _ in range(3)]
    assert names == ["Acme Recruiting"] * 3
    assert throttled_count(recruit) == 1
    assert len(sleep.waits) == 1 and 0 < sleep.waits[0] <= 180
    assert client.requests_made == 4


async def test_a_rate_limit_resetting_later_than_the_client_will_wait_raises_rate_limited(
    recruit: RecruitEmulator, client_for: ClientFor
) -> None:
    sleep = EmulatorSleep(recruit)
    client = await client_for(sleep=sleep, max_rate_wait=0)
    recruit.control("features", {"ratelimit_headers": True})
    start_of_a_fresh_minute(recruit)
    recruit.control("ratelimit", {"per_minute": 1})
    await client.current_user()
    with pytest.raises(RateLimited) as raised:
        await client.current_user()
    assert raised.value.code == "TOO_MANY_REQUESTS" and raised.value.http_status == 429
    assert raised.value.reset_at is not None and raised.value.reset_at > datetime.now(UTC)
    assert sleep.waits == []
    assert client.requests_made == 2


async def test_a_429_without_headers_gets_our_own_short_waits_then_rate_limited_without_a_reset(
    recruit: RecruitEmulator, client_for: ClientFor
) -> None:
    sleep = EmulatorSleep(recruit)
    client = await client_for(sleep=sleep, own_rate_waits=(1.0, 3.0))
    start_of_a_fresh_minute(recruit)
    recruit.control("ratelimit", {"per_minute": 1})
    await client.current_user()
    with pytest.raises(RateLimited) as raised:
        await client.current_user()
    assert raised.value.http_status == 429 and raised.value.reset_at is None
    assert sleep.waits == [1.0, 3.0]
    assert client.requests_made == 4  # the first call, then the refused one three times


async def test_a_429_without_headers_that_clears_within_our_own_wait_succeeds(
    recruit: RecruitEmulator, client_for: ClientFor
) -> None:
    sleep = EmulatorSleep(recruit)
    client = await client_for(sleep=sleep, own_rate_waits=(61.0,))
    start_of_a_fresh_minute(recruit)
    recruit.control("ratelimit", {"per_minute": 1})
    await client.org()
    assert (await client.org()).company_name == "Acme Recruiting"
    assert sleep.waits == [61.0]


async def test_server_errors_are_retried_a_few_times_then_raised(
    recruit: RecruitEmulator, client_for: ClientFor
) -> None:
    client = await client_for(server_retries=3)
    recruit.control("faults", {"rules": [{"prefix": "/recruit/v2/org", "rate": 1.0, "statuses": [503]}]})
    with pytest.raises(RecruitError) as raised:
        await client.org()
    assert raised.value.http_status == 503 and raised.value.code == "INTERNAL_ERROR"
    assert client.requests_made == 4


async def test_an_insert_answered_with_500_is_not_sent_twice(
    recruit: RecruitEmulator, client_for: ClientFor
) -> None:
    client = await client_for()
    recruit.control("faults", {"rules": [{"prefix": "/recruit/v2/Contacts", "rate": 1.0, "statuses": [500]}]})
    with pytest.raises(RecruitError) as raised:
        await client.insert("Contacts", [{"Last_Name": "Once"}])
    assert raised.value.http_status == 500
    assert client.requests_made == 1
