"""The credits table: Recruit API credits the product spent per org per UTC day, PK the org, RK the day.

Workers of any process add to the same row, so every add is an ETag-matched read-modify-write that retries on
a conflict; a lost race costs a retry, never a lost count.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from azure.core import MatchConditions
from azure.core.exceptions import ResourceExistsError, ResourceModifiedError, ResourceNotFoundError
from azure.data.tables import UpdateMode

from . import keys
from .clients import StorageContext
from .entities import StoredRow, etag_of, from_entity, to_entity
from .errors import ConcurrencyError

# Concurrent adds to one org's row are a handful (one per finished pass); this bounds a pathological loop.
MAX_ATTEMPTS = 20


class _CreditsRow(StoredRow):
    used: int = 0


def day_of(now: datetime) -> date:
    """The UTC day a moment counts towards."""
    return now.astimezone(UTC).date()


class CreditCounter:
    """`add(org_id, credits, now)` after spending; `used_today(org_id)` / `used_on(org_id, day)` to read."""

    def __init__(self, storage: StorageContext) -> None:
        self._storage = storage

    @staticmethod
    def _keys(org_id: str, day: date) -> tuple[str, str]:
        return keys.escape(org_id), day.isoformat()

    async def used_on(self, org_id: str, day: date) -> int:
        table = await self._storage.table("credits")
        try:
            entity = await table.get_entity(*self._keys(org_id, day))
        except ResourceNotFoundError:
            return 0
        return from_entity(_CreditsRow, entity).used

    async def used_today(self, org_id: str, now: datetime | None = None) -> int:
        """Credits the org spent on the UTC day of `now` (default: the current moment)."""
        return await self.used_on(org_id, day_of(now or datetime.now(UTC)))

    async def add(self, org_id: str, credits: int, now: datetime) -> int:
        """Adds `credits` to the org's count for the day of `now`; returns the day's new total."""
        if credits < 0:
            raise ValueError("credits spent cannot be negative")
        partition, row = self._keys(org_id, day_of(now))
        table = await self._storage.table("credits")
        if credits == 0:
            return await self.used_on(org_id, day_of(now))
        for _ in range(MAX_ATTEMPTS):
            try:
                entity = await table.get_entity(partition, row)
            except ResourceNotFoundError:
                try:
                    await table.create_entity(to_entity(_CreditsRow(used=credits), partition, row))
                except ResourceExistsError:
                    continue  # another worker created the day's row first: add to theirs
                return credits
            total = from_entity(_CreditsRow, entity).used + credits
            try:
                await table.update_entity(
                    to_entity(_CreditsRow(used=total), partition, row),
                    mode=UpdateMode.REPLACE,
                    etag=etag_of(entity),
                    match_condition=MatchConditions.IfNotModified,
                )
            except (ResourceModifiedError, ResourceNotFoundError):
                continue
            return total
        raise ConcurrencyError(f"credits of org {org_id[:40]!r}: {MAX_ATTEMPTS} conflicting writes in a row")
