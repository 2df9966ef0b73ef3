"""Fingerprints: a short digest of an item's synced fields in canonical form.

Two items equal in canonical form have the same fingerprint, whatever their whitespace, None/"" or time zone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sync_core.domain.canonical import canonical_fields
from sync_core.domain.items import FieldValues


def fingerprint(fields: FieldValues, field_names: Iterable[str]) -> str:
    """SHA-256 (hex) over the sorted canonical JSON of just `field_names` of `fields`."""
    canonical = canonical_fields(fields, sorted(set(field_names)))
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
