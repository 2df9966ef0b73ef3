"""The per-org daily Recruit credit count on Azurite: days and orgs apart, concurrent adds never lost."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from sync_core.store.clients import StorageContext
from sync_core.store.credits import CreditCounter

NOON = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


async def test_an_org_that_spent_nothing_has_used_none(storage: StorageContext) -> None:
    assert await CreditCounter(storage).used_today("org-1", NOON) == 0


async def test_adds_sum_per_org_and_utc_day(storage: StorageContext) -> None:
    credits = CreditCounter(storage)
    assert await credits.add("org/1#", 3, NOON) == 3
    assert await credits.add("org/1#", 2, NOON + timedelta(hours=11)) == 5
    await credits.add("org/1#", 7, NOON + timedelta(hours=12))  # the next UTC day
    await credits.add("org-2", 4, NOON)
    assert await credits.used_today("org/1#", NOON) == 5
    assert await credits.used_on("org/1#", date(2026, 12, 6)) == 7
    assert await credits.used_today("org-2", NOON) == 4


async def test_the_day_is_the_utc_day_whatever_the_offset(storage: StorageContext) -> None:
    credits = CreditCounter(storage)
    late_in_kolkata = datetime(2026, 12, 6, 2, 0, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    await credits.add("org-1", 1, late_in_kolkata)  # 20:30 UTC on the 5th
    assert await credits.used_on("org-1", date(2026, 12, 5)) == 1


async def test_concurrent_adds_are_all_counted(storage: StorageContext) -> None:
    credits = CreditCounter(storage)
    await asyncio.gather(*(credits.add("org-1", 1, NOON) for _ in range(12)))
    assert await credits.used_today("org-1", NOON) == 12


async def test_a_negative_add_is_refused(storage: StorageContext) -> None:
    with pytest.raises(ValueError):
        await CreditCounter(storage).add("org-1", -1, NOON)
