"""The import rule: which Recruit records came in by import or migration and therefore never sync.

Pure: a function over records as Recruit returns them (API-NOTES "Imports and migrations").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from .datetimes import parse_optional

Record = Mapping[str, Any]


def _creator_id(record: Record) -> str | None:
    creator = record.get("Created_By")
    if isinstance(creator, Mapping):
        value = creator.get("id")
        return str(value) if value is not None else None
    return str(creator) if creator else None


def _created_second(record: Record) -> datetime | None:
    created = parse_optional(record.get("Created_Time"))
    return created.astimezone(UTC).replace(microsecond=0) if created else None


def _never_modified(record: Record) -> bool:
    created = parse_optional(record.get("Created_Time"))
    modified = parse_optional(record.get("Modified_Time"))
    return created is not None and modified is not None and created == modified


def bulk_originated(records: Iterable[Record], min_batch: int, sources: Iterable[str]) -> set[str]:
    """Ids of records that came in by import or migration.

    A record is bulk-originated when its `Source` is one of `sources`, or when it was never modified since
    creation and at least `min_batch` other records (of those given) were created in the same second by the
    same creator. Siblings count whether or not they were modified since, so a mass update of some of an
    import releases exactly those records. Pass every record of the sweep, not only the ones to decide.
    """
    marked_sources = {source.strip().casefold() for source in sources if source.strip()}
    listed = [record for record in records if record.get("id") is not None]
    batch_keys: list[tuple[str, datetime] | None] = []
    for record in listed:
        creator, second = _creator_id(record), _created_second(record)
        batch_keys.append((creator, second) if creator is not None and second is not None else None)
    batch_sizes = Counter(key for key in batch_keys if key is not None)

    bulk: set[str] = set()
    for record, key in zip(listed, batch_keys, strict=True):
        source = record.get("Source")
        imported_source = isinstance(source, str) and source.strip().casefold() in marked_sources
        in_batch = key is not None and batch_sizes[key] - 1 >= min_batch and _never_modified(record)
        if imported_source or in_batch:
            bulk.add(str(record["id"]))
    return bulk
