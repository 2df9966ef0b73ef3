"""Graph contact JSON <-> canonical contact fields, addressed by the catalog's paths (`emailAddresses[2]`,
`otherAddress.city`): lists without holes merged into the contact as it is, addresses written whole,
birthdays as the calendar date Outlook shows, and the derived display name."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, tzinfo
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


def read_graph(contact: Mapping[str, Any], path: str, zone: tzinfo = UTC) -> JsonValue:
    """The value at `path` of a Graph contact (None when absent); birthdays as `YYYY-MM-DD`, the date in
    `zone` (the user's) of the stored instant (`read_birthday`)."""
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
        return read_birthday(value, zone)
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


# Outlook stores a birthday as 0:00 of that date in the client's time zone, converted to UTC ([MS-OXOCNTC]
# PidLidBirthdayLocal / PidTagBirthday: "the birthday of the contact, at 0:00 in the client's local time
# zone"), which Graph returns as `birthday` in UTC (api-reference/v1.0/resources/contact.md: DateTimeOffset,
# "always in UTC"), e.g. 1980-05-03T22:00:00Z for 4 May in UTC+2. Exchange ActiveSync says the time part
# "might be 11:59 and SHOULD be ignored" ([MS-ASCNTC] 2.2.2.6): such a value is its UTC date. Only 11:59
# exactly: 12:00Z is local midnight in UTC+12 (New Zealand), which the zone rule reads right.
_ACTIVESYNC_TIME = time(11, 59)


def read_birthday(value: str, zone: tzinfo = UTC) -> str | None:
    """The calendar date Outlook shows for a stored birthday: the instant's date in the user's `zone`; a value
    stored at 11:59 UTC (ActiveSync's zone-independent convention) is its UTC date."""
    text = value.strip()
    if not text:
        return None
    if len(text) == 10:
        return text
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    in_utc = moment.astimezone(UTC)
    if in_utc.time().replace(second=0, microsecond=0) == _ACTIVESYNC_TIME:
        return in_utc.date().isoformat()
    return moment.astimezone(zone).date().isoformat()


def write_birthday(day: str, zone: tzinfo = UTC) -> str:
    """`YYYY-MM-DD` as Outlook itself stores it: 0:00 of that date in the user's `zone`, in UTC."""
    local_midnight = datetime.combine(date.fromisoformat(day[:10]), time(0, 0), tzinfo=zone)
    return local_midnight.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_graph(
    fields: FieldValues, current: Mapping[str, Any] | None = None, zone: tzinfo = UTC
) -> dict[str, Any]:
    """The Graph body for the paths in `fields`; pass every path of a group that changes (`complete_groups`).

    Without `current` (a new contact) lists are written compacted in index order (Graph lists have no holes)
    and addresses whole. With `current` (the contact as it is now) the mapped slots and parts are merged into
    its lists and addresses (`merged_list`), so entries, display names and parts nobody mapped survive."""
    body: dict[str, Any] = {}
    lists: dict[str, dict[int, str | None]] = {}
    for path, value in fields.items():
        text = None if value in (None, "") else str(value)
        match = _INDEXED.match(path)
        if match:
            lists.setdefault(match["base"], {})[int(match["index"])] = text
        elif "." in path:
            base, part = path.split(".", 1)
            if base not in body:
                existing = current.get(base) if current is not None else None
                body[base] = dict(existing) if isinstance(existing, Mapping) else {}
            body[base][part] = text
        elif path == "birthday":
            body[path] = write_birthday(text, zone) if text else None
        else:
            body[path] = text
    for base, slots in lists.items():
        existing_list = (current.get(base) if current is not None else None) or []
        body[base] = merged_list(base, slots, existing_list)
    return body


def _same_entry(base: str, left: str, right: str) -> bool:
    # Exchange compares SMTP addresses case-insensitively; phone numbers and IM addresses as typed.
    return left.casefold() == right.casefold() if base == "emailAddresses" else left == right


def _new_entry(base: str, text: str, old: Any = None) -> Any:
    """An element holding `text`; an e-mail entry keeps `old`'s display name unless that was the address."""
    if base != "emailAddresses":
        return text
    name = old.get("name") if isinstance(old, Mapping) else None
    if not name or name == _list_text(old):
        name = text
    return {**(dict(old) if isinstance(old, Mapping) else {}), "name": name, "address": text}


def merged_list(base: str, slots: Mapping[int, str | None], current: Sequence[Any]) -> list[Any]:
    """The Graph list `base` after writing `slots` (1-based index -> value, None: cleared) into `current`.

    An entry that already holds a slot's value is kept as it is (display name included); a changed slot
    takes over the entry at its position; entries at unmapped positions stay where they are. A cleared slot
    takes the first Outlook-only entry after the mapped ones, if any (Graph has no holes: without that the
    extra would slide into another mapped slot); otherwise it closes up."""
    entries = [entry for entry in current if _list_text(entry)]
    last_slot = max(slots, default=0)
    placed: list[Any] = [None] * max(last_slot, len(entries))
    claimed: set[int] = set()
    for index, text in sorted(slots.items()):
        if text is None:
            continue
        same = next(
            (
                i
                for i, e in enumerate(entries)
                if i not in claimed and _same_entry(base, str(_list_text(e)), text)
            ),
            None,
        )
        if same is not None:
            claimed.add(same)
            placed[index - 1] = entries[same]
    for index, text in sorted(slots.items()):
        if text is None or placed[index - 1] is not None:
            continue
        position = index - 1
        own = position < len(entries) and position not in claimed
        if own:
            claimed.add(position)
        placed[index - 1] = _new_entry(base, text, entries[position] if own else None)
    for position, entry in enumerate(entries):
        if position not in claimed and position + 1 not in slots:
            placed[position] = entry
    extras = [p for p in range(last_slot, len(placed)) if placed[p] is not None]
    for index in sorted(slots):
        if placed[index - 1] is None and slots[index] is None and extras:
            placed[index - 1] = placed[extras[0]]
            placed[extras.pop(0)] = None
    return [entry for entry in placed if entry is not None]


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
