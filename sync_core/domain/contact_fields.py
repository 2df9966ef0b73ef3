"""Contact field catalogs and the field mapping: Graph v1.0 contact paths, Recruit fields as the mapping sees
them, the default mapping and its validation. The wire formats live in `graph/contact_codec.py` and
`recruit/contact_codec.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

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


@dataclass(frozen=True)
class RecruitField:
    """One Recruit field as the mapping sees it (read from `GET /settings/fields` by `recruit_field`)."""

    api_name: str
    label: str
    type: str
    length: int | None = None
    required: bool = False
    read_only: bool = False
    custom: bool = False
    lookup_module: str | None = None

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
