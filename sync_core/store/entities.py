"""Conversion between pydantic row models and Table entities, in one place for every repository.

JSON fields are stored as strings; long strings are split over numbered properties (64 KiB limit each).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, model_validator

from .errors import RowTooLarge

# A string property holds at most 64 KiB of UTF-16, i.e. 32,768 code units; stay under that.
CHUNK_CHARS = 30_000
# An entity holds at most 1 MiB; keep headroom for keys and metadata.
MAX_ENTITY_BYTES = 900 * 1024
_PART = "__part"
_SYSTEM = frozenset({"PartitionKey", "RowKey", "Timestamp", "etag"})

RowT = TypeVar("RowT", bound="StoredRow")


class StoredRow(BaseModel):
    """A row's properties; `json_fields` name the fields stored as JSON text."""

    model_config = ConfigDict(extra="ignore")
    json_fields: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _load_json(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            data = dict(data)
            for name in cls.json_fields:
                if isinstance(data.get(name), str):
                    data[name] = json.loads(data[name])
        return data


def utf16_size(value: str) -> int:
    return len(value.encode("utf-16-le"))


def to_entity(row: StoredRow, partition_key: str, row_key: str) -> dict[str, Any]:
    """The entity for a row; None fields are omitted (writes use replace mode, so they are cleared)."""
    entity: dict[str, Any] = {"PartitionKey": partition_key, "RowKey": row_key}
    for name, value in row.model_dump(mode="python", exclude_none=True).items():
        if name in row.json_fields:
            value = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        if isinstance(value, str) and len(value) > CHUNK_CHARS:
            for index in range(0, len(value), CHUNK_CHARS):
                suffix = "" if index == 0 else f"{_PART}{index // CHUNK_CHARS}"
                entity[name + suffix] = value[index : index + CHUNK_CHARS]
        else:
            entity[name] = value
    size = entity_size(entity)
    if size > MAX_ENTITY_BYTES:
        raise RowTooLarge(f"row {row_key[:60]!r} would be {size} bytes; the limit kept is {MAX_ENTITY_BYTES}")
    return entity


def entity_size(entity: Mapping[str, Any]) -> int:
    """A close upper estimate of the stored size, used for the entity and batch limits."""
    size = 0
    for name, value in entity.items():
        size += utf16_size(name) + 8
        size += utf16_size(value) if isinstance(value, str) else 16
    return size


def from_entity(model: type[RowT], entity: Mapping[str, Any]) -> RowT:
    """The row model of a stored entity, long strings joined again."""
    joined: dict[str, Any] = {}
    parts: dict[str, dict[int, str]] = {}
    for name, value in entity.items():
        if name in _SYSTEM:
            continue
        base, sep, number = name.partition(_PART)
        if sep and number.isdigit():
            parts.setdefault(base, {})[int(number)] = value
        else:
            joined[name] = value
    for base, chunks in parts.items():
        joined[base] = joined.get(base, "") + "".join(chunks[i] for i in sorted(chunks))
    return model.model_validate(joined)


def etag_of(entity_or_metadata: Any) -> str | None:
    """The ETag from a read entity (its `.metadata`) or from a write's returned metadata."""
    metadata = getattr(entity_or_metadata, "metadata", entity_or_metadata)
    if isinstance(metadata, Mapping):
        etag = metadata.get("etag")
        return str(etag) if etag is not None else None
    return None
