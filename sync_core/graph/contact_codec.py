"""Graph contact JSON <-> canonical contact fields, addressed by the catalog's paths (`emailAddresses[2]`,
`otherAddress.city`): lists without holes, addresses written whole, and the derived display name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sync_core.domain.contact_fields import DISPLAY_SOURCES
from sync_core.domain.items import FieldValues, JsonValue

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
