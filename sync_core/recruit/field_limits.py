"""Recruit's field lengths, read from `GET /settings/fields` (`length`), and payload values cut to them on a
character boundary (`domain.text_limits.truncate`), with the note the sync log shows for each cut.

Zoho refuses a longer value with `INVALID_DATA` (its insert page: "thrown if the field value length is more
than the maximum length defined for that field"), so a write always fits first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sync_core.domain.text_limits import truncate, utf16_length

# Types whose `length` bounds a text value; other types report a length too (an ownerlookup's 120, a double's
# digits: zoho/crm-oas v8.0/fields getFields example) that says nothing about what we write.
TEXT_TYPES = frozenset({"text", "textarea", "email", "phone", "website"})


def field_lengths(metadata: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """api_name -> length of every text field in a module's metadata that states a positive one."""
    lengths: dict[str, int] = {}
    for meta in metadata:
        length = meta.get("length")
        if str(meta.get("data_type") or "") not in TEXT_TYPES or isinstance(length, bool):
            continue
        if isinstance(length, int | str) and str(length).isdigit() and int(length) > 0:
            lengths[str(meta["api_name"])] = int(length)
    return lengths


def shortened_note(label: str, limit: int) -> str:
    return f"{label} shortened to {limit} characters to fit Recruit"


def fit_text(text: str, limit: int | None, label: str) -> tuple[str, str | None]:
    """`text` cut to `limit` (None: no limit) and the note saying so, or `text` and None when it fits."""
    if not limit or utf16_length(text) <= limit:
        return text, None
    return truncate(text, limit), shortened_note(label, limit)


def fit_payload(
    payload: Mapping[str, Any], lengths: Mapping[str, int], labels: Mapping[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """The payload with every text value within its field's length, and a note per value cut. `labels` names
    a field in the note (api_name when absent)."""
    fitted = dict(payload)
    notes: list[str] = []
    for api_name, value in payload.items():
        if not isinstance(value, str):
            continue
        fitted[api_name], note = fit_text(value, lengths.get(api_name), labels.get(api_name, api_name))
        if note:
            notes.append(note)
    return fitted, notes
