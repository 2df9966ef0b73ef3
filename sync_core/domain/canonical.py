"""Canonical form of field values: the one notion of "equal" shared by fingerprints, merge and the planner.

None, "" and missing are the same; text ignores trailing whitespace and line-ending style; times are UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import TypeAlias

from sync_core.domain.items import FieldValues, JsonValue

Canonical: TypeAlias = bool | int | float | str | list["Canonical"] | dict[str, "Canonical"] | None


def canonical_value(value: JsonValue) -> Canonical:
    """The value in canonical form; empty values (None, "", [], {}) become None."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.replace("\r\n", "\n").replace("\r", "\n")
        # Outlook and Recruit both pad lines differently; trailing spaces are never meaningful to a user.
        text = "\n".join(line.rstrip() for line in text.split("\n")).rstrip()
        return text or None
    if isinstance(value, datetime):
        # Naive datetimes are taken as UTC: the mappers hand over aware values, this is only a fallback.
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, int):
        return value
    if isinstance(value, list):
        items = [canonical_value(item) for item in value]
        return items or None
    entries = {key: canonical_value(item) for key, item in value.items()}
    kept: dict[str, Canonical] = {key: item for key, item in entries.items() if item is not None}
    return kept or None


def canonical_fields(fields: FieldValues, names: Iterable[str]) -> dict[str, Canonical]:
    """The canonical form of `names` in `fields`, empty values left out."""
    result: dict[str, Canonical] = {}
    for name in names:
        value = canonical_value(fields.get(name))
        if value is not None:
            result[name] = value
    return result


def same_value(left: JsonValue, right: JsonValue) -> bool:
    return canonical_value(left) == canonical_value(right)


def same_fields(left: FieldValues, right: FieldValues, names: Iterable[str]) -> bool:
    return all(same_value(left.get(name), right.get(name)) for name in names)


def project(fields: Mapping[str, JsonValue], names: Iterable[str]) -> dict[str, JsonValue]:
    """Just `names` of `fields` (missing ones as None), values untouched."""
    return {name: fields.get(name) for name in names}
