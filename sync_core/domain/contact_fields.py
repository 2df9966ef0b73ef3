"""Contact field catalogs and the field mapping: Graph v1.0 contact paths, Recruit field metadata, the default
mapping, its validation, and the conversions of values between Graph paths and Recruit fields.

Pure: the Recruit metadata comes in as plain dicts (the shape of `GET /settings/fields`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sync_core.domain.items import FieldValues, JsonValue

GraphFieldType = Literal["text", "multiline", "email", "phone", "url", "date"]
MappingSide = Literal["graph", "recruit"]
MappingEntry = Mapping[str, str]

# Collections Graph v1.0 offers on a contact, and how many elements the mapping may address (API-NOTES.md).
LIST_LIMITS: dict[str, tuple[int, GraphFieldType, str]] = {
    "emailAddresses": (3, "email", "E-mail"),
    "businessPhones": (2, "phone", "Business phone"),
    "homePhones": (2, "phone", "Home phone"),
    "imAddresses": (3, "text", "IM address"),
}
ADDRESSES = {
    "businessAddress": "Business address",
    "homeAddress": "Home address",
    "otherAddress": "Other address",
}
ADDRESS_PARTS = {
    "street": "street",
    "city": "city",
    "state": "state",
    "postalCode": "postal code",
    "countryOrRegion": "country or region",
}
SCALARS: dict[str, tuple[GraphFieldType, str]] = {
    "givenName": ("text", "First name"),
    "surname": ("text", "Last name"),
    "middleName": ("text", "Middle name"),
    "nickName": ("text", "Nickname"),
    "title": ("text", "Title"),
    "generation": ("text", "Suffix"),
    "initials": ("text", "Initials"),
    "mobilePhone": ("phone", "Mobile phone"),
    "companyName": ("text", "Company"),
    "jobTitle": ("text", "Job title"),
    "department": ("text", "Department"),
    "officeLocation": ("text", "Office location"),
    "profession": ("text", "Profession"),
    "manager": ("text", "Manager"),
    "assistantName": ("text", "Assistant"),
    "businessHomePage": ("url", "Business home page"),
    "spouseName": ("text", "Spouse"),
    "birthday": ("date", "Birthday"),
    "personalNotes": ("multiline", "Notes"),
}
# Fields whose change rewrites displayName, which is derived from them (never mapped itself).
DISPLAY_SOURCES = ("givenName", "middleName", "surname", "emailAddresses[1]")


@dataclass(frozen=True)
class GraphField:
    path: str
    label: str
    type: GraphFieldType

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "label": self.label, "type": self.type}


def _catalog() -> tuple[GraphField, ...]:
    fields = [GraphField(name, label, kind) for name, (kind, label) in SCALARS.items()]
    for name, (limit, kind, label) in LIST_LIMITS.items():
        fields += [GraphField(f"{name}[{i}]", f"{label} {i}", kind) for i in range(1, limit + 1)]
    for name, label in ADDRESSES.items():
        fields += [
            GraphField(f"{name}.{part}", f"{label}: {words}", "text") for part, words in ADDRESS_PARTS.items()
        ]
    return tuple(fields)


GRAPH_FIELDS: tuple[GraphField, ...] = _catalog()
GRAPH_FIELDS_BY_PATH: dict[str, GraphField] = {f.path: f for f in GRAPH_FIELDS}

DEFAULT_MAPPING: tuple[dict[str, str], ...] = (
    {"graph": "givenName", "recruit": "First_Name"},
    {"graph": "surname", "recruit": "Last_Name"},
    {"graph": "emailAddresses[1]", "recruit": "Email"},
    {"graph": "emailAddresses[2]", "recruit": "Secondary_Email"},
    {"graph": "businessPhones[1]", "recruit": "Work_Phone"},
    {"graph": "mobilePhone", "recruit": "Mobile"},
    {"graph": "jobTitle", "recruit": "Job_Title"},
    {"graph": "department", "recruit": "Department"},
    {"graph": "companyName", "recruit": "Client_Name"},
    {"graph": "businessAddress.street", "recruit": "Mailing_Street"},
    {"graph": "businessAddress.city", "recruit": "Mailing_City"},
    {"graph": "businessAddress.state", "recruit": "Mailing_State"},
    {"graph": "businessAddress.postalCode", "recruit": "Mailing_Zip"},
    {"graph": "businessAddress.countryOrRegion", "recruit": "Mailing_Country"},
    {"graph": "otherAddress.street", "recruit": "Other_Street"},
    {"graph": "otherAddress.city", "recruit": "Other_City"},
    {"graph": "otherAddress.state", "recruit": "Other_State"},
    {"graph": "otherAddress.postalCode", "recruit": "Other_Zip"},
    {"graph": "otherAddress.countryOrRegion", "recruit": "Other_Country"},
    {"graph": "imAddresses[1]", "recruit": "Skype_ID"},
)

# The only lookup the mapping supports: a client, written out as its name and found back by exact name.
CLIENT_LOOKUP_MODULE = "Clients"
# Recruit data types each Graph type may map to (both directions must hold the value unchanged).
COMPATIBLE: dict[GraphFieldType, frozenset[str]] = {
    "text": frozenset({"text", "textarea", "lookup"}),
    "multiline": frozenset({"textarea", "text"}),
    "email": frozenset({"email", "text"}),
    "phone": frozenset({"phone", "text"}),
    "url": frozenset({"website", "text"}),
    "date": frozenset({"date"}),
}
# Written when Outlook holds no value for a field Recruit requires and the contact has no e-mail either.
NO_NAME = "(no name)"


@dataclass(frozen=True)
class RecruitField:
    """One Recruit field as the mapping sees it (from `GET /settings/fields?module=Contacts`)."""

    api_name: str
    label: str
    type: str
    length: int | None = None
    required: bool = False
    read_only: bool = False
    custom: bool = False
    lookup_module: str | None = None

    @classmethod
    def from_metadata(cls, meta: Mapping[str, Any]) -> RecruitField:
        """From a raw metadata entry or a dumped FieldMeta (either key spelling)."""
        lookup = meta.get("lookup")
        lookup_module = meta.get("lookup_module") or (
            lookup.get("module") if isinstance(lookup, dict) else None
        )
        if isinstance(lookup_module, dict):
            lookup_module = lookup_module.get("api_name") or lookup_module.get("module_name")
        length = meta.get("length")
        return cls(
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

    def to_json(self) -> dict[str, Any]:
        return {
            "api_name": self.api_name,
            "label": self.label,
            "type": self.type,
            "length": self.length,
            "required": self.required,
            "read_only": self.read_only,
            "custom": self.custom,
        }


def recruit_catalog(metadata: Iterable[Mapping[str, Any]]) -> list[RecruitField]:
    """The visible fields a user may pick from, in Recruit's order (read-only ones listed, flagged)."""
    return [RecruitField.from_metadata(meta) for meta in metadata if meta.get("visible", True) is not False]


@dataclass(frozen=True)
class MappingError:
    """`index` is the entry's position in the mapping (None: about the mapping as a whole)."""

    index: int | None
    field: MappingSide
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "field": self.field, "message": self.message}


def _type_error(graph: GraphField, recruit: RecruitField) -> str | None:
    if recruit.type not in COMPATIBLE[graph.type]:
        return f"{graph.label} ({graph.type}) cannot hold Recruit {recruit.label} ({recruit.type})"
    if recruit.type == "lookup" and recruit.lookup_module != CLIENT_LOOKUP_MODULE:
        return f"{recruit.label} is a lookup to {recruit.lookup_module}: only client lookups can be mapped"
    return None


def validate_mapping(entries: Sequence[Any], recruit_fields: Sequence[RecruitField]) -> list[MappingError]:
    """Every problem of a mapping, per entry and side; an empty list means it can be saved."""
    by_name = {f.api_name: f for f in recruit_fields}
    errors: list[MappingError] = []
    seen_graph: set[str] = set()
    seen_recruit: set[str] = set()
    for index, entry in enumerate(entries):
        graph_path = entry.get("graph") if isinstance(entry, Mapping) else None
        recruit_name = entry.get("recruit") if isinstance(entry, Mapping) else None
        graph = GRAPH_FIELDS_BY_PATH.get(graph_path) if isinstance(graph_path, str) else None
        recruit = by_name.get(recruit_name) if isinstance(recruit_name, str) else None
        if graph is None:
            errors.append(MappingError(index, "graph", f"unknown Outlook contact field {graph_path!r}"))
        elif graph.path in seen_graph:
            errors.append(MappingError(index, "graph", f"{graph.label} is mapped twice"))
        if recruit is None:
            errors.append(MappingError(index, "recruit", f"unknown Recruit field {recruit_name!r}"))
        elif recruit.api_name in seen_recruit:
            errors.append(MappingError(index, "recruit", f"{recruit.label} is mapped twice"))
        elif recruit.read_only:
            errors.append(MappingError(index, "recruit", f"{recruit.label} is read-only in Recruit"))
        if graph is not None and recruit is not None and not recruit.read_only:
            problem = _type_error(graph, recruit)
            if problem:
                errors.append(MappingError(index, "recruit", problem))
        if graph is not None:
            seen_graph.add(graph.path)
        if recruit is not None:
            seen_recruit.add(recruit.api_name)
    for field in recruit_fields:
        if field.required and not field.read_only and field.api_name not in seen_recruit:
            errors.append(
                MappingError(None, "recruit", f"{field.label} is required by Recruit and must be mapped")
            )
    return errors


def mapping_paths(mapping: Iterable[MappingEntry]) -> tuple[str, ...]:
    """The canonical field names of a mapping: its Graph paths, in mapping order."""
    return tuple(entry["graph"] for entry in mapping)


# --- Graph values by path ---

_INDEXED = re.compile(r"^(?P<base>\w+)\[(?P<index>\d+)\]$")


def group_of(path: str) -> str:
    """The Graph property a path writes: a PATCH of one element or part replaces the whole property."""
    match = _INDEXED.match(path)
    if match:
        return match["base"]
    return path.split(".", 1)[0]


def _list_text(element: Any) -> str | None:
    if isinstance(element, Mapping):  # emailAddresses hold {name, address}
        element = element.get("address")
    return str(element) if element not in (None, "") else None


def read_graph(contact: Mapping[str, Any], path: str) -> JsonValue:
    """The value at `path` of a Graph contact (None when absent); birthdays as `YYYY-MM-DD`."""
    match = _INDEXED.match(path)
    if match:
        values = [_list_text(item) for item in contact.get(match["base"]) or []]
        values = [value for value in values if value]
        position = int(match["index"]) - 1
        return values[position] if position < len(values) else None
    if "." in path:
        base, part = path.split(".", 1)
        address = contact.get(base)
        value = address.get(part) if isinstance(address, Mapping) else None
        return str(value) if value not in (None, "") else None
    value = contact.get(path)
    if path == "birthday" and isinstance(value, str):
        return value[:10]
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def write_graph(fields: FieldValues) -> dict[str, Any]:
    """The Graph body for the paths in `fields`. Lists are written compacted in index order (Graph lists
    have no holes) and addresses whole, so pass every path of a group that changes (`complete_groups`)."""
    body: dict[str, Any] = {}
    lists: dict[str, dict[int, str]] = {}
    for path, value in fields.items():
        text = None if value in (None, "") else str(value)
        match = _INDEXED.match(path)
        if match:
            elements = lists.setdefault(match["base"], {})
            if text:
                elements[int(match["index"])] = text
        elif "." in path:
            base, part = path.split(".", 1)
            body.setdefault(base, {})[part] = text
        elif path == "birthday":
            body[path] = f"{text[:10]}T00:00:00Z" if text else None
        else:
            body[path] = text
    for base, elements in lists.items():
        ordered = [elements[i] for i in sorted(elements)]
        body[base] = [{"name": v, "address": v} for v in ordered] if base == "emailAddresses" else ordered
    return body


def complete_groups(changed: FieldValues, full: FieldValues) -> dict[str, JsonValue]:
    """`changed` plus the unchanged paths of every list or address it touches (taken from `full`), and the
    name fields when one of them changed, so a PATCH neither drops list elements nor a name part."""
    groups = {group_of(path) for path in changed}
    touches_display = any(path in changed for path in DISPLAY_SOURCES)
    result: dict[str, JsonValue] = {}
    for path, value in full.items():
        if group_of(path) in groups or (touches_display and path in DISPLAY_SOURCES):
            result[path] = value
    result.update(changed)
    return result


def display_name(fields: FieldValues) -> str | None:
    """What Outlook shows for a contact: the names, else the first e-mail address."""
    names = [str(fields[p]).strip() for p in ("givenName", "middleName", "surname") if fields.get(p)]
    if any(names):
        return " ".join(name for name in names if name)
    email = fields.get("emailAddresses[1]")
    return str(email) if email else None


# --- Recruit values ---


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
        if text is not None and field.length and len(text) > field.length:
            notes.append(f"{field.label} was {len(text)} characters, Recruit keeps {field.length}: truncated")
            text = text[: field.length]
        values[field.api_name] = text
    return RecruitPayload(values, tuple(notes))
