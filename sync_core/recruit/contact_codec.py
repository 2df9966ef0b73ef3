"""Recruit Contacts records and field metadata <-> canonical contact fields through the user's mapping:
lookups by name, truncation to a field's length, and the fallback for a required name."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sync_core.domain.contact_fields import MappingEntry, RecruitField
from sync_core.domain.items import FieldValues, JsonValue
from sync_core.recruit.field_limits import fit_text

# Written when Outlook holds no value for a field Recruit requires and the contact has no e-mail either.
NO_NAME = "(no name)"


def recruit_field(meta: Mapping[str, Any]) -> RecruitField:
    """One field from a raw `GET /settings/fields` entry or a dumped FieldMeta (either key spelling)."""
    lookup = meta.get("lookup")
    lookup_module = meta.get("lookup_module") or (lookup.get("module") if isinstance(lookup, dict) else None)
    if isinstance(lookup_module, dict):
        lookup_module = lookup_module.get("api_name") or lookup_module.get("module_name")
    length = meta.get("length")
    return RecruitField(
        api_name=str(meta["api_name"]),
        label=str(meta.get("field_label") or meta.get("label") or meta["api_name"]),
        type=str(meta.get("data_type") or ""),
        length=int(length)
        if isinstance(length, int | str) and str(length).isdigit() and int(length)
        else None,
        required=bool(meta.get("system_mandatory")),
        read_only=bool(meta.get("read_only")),
        custom=bool(meta.get("custom_field") or meta.get("custom")),
        lookup_module=str(lookup_module) if lookup_module else None,
    )


def recruit_catalog(metadata: Iterable[Mapping[str, Any]]) -> list[RecruitField]:
    """The visible fields a user may pick from, in Recruit's order (read-only ones listed, flagged)."""
    return [recruit_field(meta) for meta in metadata if meta.get("visible", True) is not False]


def read_recruit(record: Mapping[str, Any], field: RecruitField) -> JsonValue:
    """A Recruit value as the canonical form of its Graph counterpart (a lookup gives the record's name)."""
    value = record.get(field.api_name)
    if field.type == "lookup":
        name = value.get("name") if isinstance(value, Mapping) else value
        return str(name) if name not in (None, "") else None
    if value in (None, ""):
        return None
    if field.type == "date":
        return str(value)[:10]
    return value if isinstance(value, str | int | float | bool) else str(value)


def fallback_for_required(fields: FieldValues) -> str:
    """A required Recruit field left empty in Outlook gets the e-mail's local part, else NO_NAME."""
    email = str(fields.get("emailAddresses[1]") or "")
    local_part = email.split("@", 1)[0].strip()
    return local_part or NO_NAME


@dataclass(frozen=True)
class RecruitPayload:
    """Recruit field values for the paths given; `notes` says what had to change (for the sync log).
    Lookups hold `{"name": ...}` until the engine resolves them to `{"id": ...}`."""

    values: dict[str, Any]
    notes: tuple[str, ...]


def write_recruit(
    fields: FieldValues, mapping: Iterable[MappingEntry], recruit_fields: Sequence[RecruitField]
) -> RecruitPayload:
    """Map `fields` (Graph paths) to Recruit values: truncated to each field's length, a required field left
    empty by Outlook filled with the stated fallback."""
    by_name = {f.api_name: f for f in recruit_fields}
    values: dict[str, Any] = {}
    notes: list[str] = []
    for entry in mapping:
        path, field = entry["graph"], by_name.get(entry["recruit"])
        if path not in fields or field is None:
            continue
        value = fields[path]
        text = None if value in (None, "") else str(value)
        if text is None and field.required:
            text = fallback_for_required(fields)
            notes.append(f"{field.label} is required by Recruit and was empty in Outlook: wrote {text!r}")
        if field.type == "lookup":
            values[field.api_name] = {"name": text} if text else None
            continue
        if text is not None:
            text, note = fit_text(text, field.length, field.label)
            if note:
                notes.append(note)
        values[field.api_name] = text
    return RecruitPayload(values, tuple(notes))
