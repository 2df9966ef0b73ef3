"""A calendar as Graph's calendarView sees it: single instances, and each series master expanded into its
occurrences and exceptions (never the master itself), with occurrence ids and the one event renderer.

Sources (microsoftgraph/microsoft-graph-docs-contrib, api-reference/v1.0/):
`api/calendar-list-calendarview.md` ("the occurrences, exceptions and single instances of events"),
`api/event-list-instances.md` (occurrences and exceptions of a `seriesMaster`, each with `seriesMasterId`,
`type`, `recurrence: null`), `resources/event.md` (`type`, `seriesMasterId`, `originalStart` in UTC;
`iCalUId` "is different for each occurrence in a recurring series").

Where the pages are silent, the emulator chooses, and says so here:
- An occurrence's id is stable and derived from the master's id and its original start, and an exception
  keeps the id of the occurrence it replaces, as Exchange item ids of occurrences do.
- Occurrences carry the master's properties, `changeKey` and extended properties (the instances example shows
  one etag for every instance); an exception stores only what was changed on it, shown over the master's
  current properties.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request

from .items import event_view
from .recurrence import expand
from .store import Container, Item, Mailbox
from .timezones import format_graph, preferred_zone, resolve_zone, to_utc

_OCCURRENCE_PREFIX = "AAMkAOcc"
_START_KEY = "%Y%m%dT%H%M%SZ"

_TICK = timedelta(microseconds=1)

Window = tuple[datetime, datetime]


def occurrence_id(master_id: str, original_start: datetime) -> str:
    """The stable id of the occurrence of `master_id` first scheduled at `original_start` (UTC)."""
    raw = f"{master_id}|{original_start.astimezone(UTC).strftime(_START_KEY)}".encode()
    return _OCCURRENCE_PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parse_occurrence_id(item_id: str) -> tuple[str, datetime] | None:
    """(master id, original start) of an occurrence id, or None when `item_id` is not one."""
    if not item_id.startswith(_OCCURRENCE_PREFIX):
        return None
    encoded = item_id[len(_OCCURRENCE_PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
        master_id, _, start = raw.rpartition("|")
        return master_id, datetime.strptime(start, _START_KEY).replace(tzinfo=UTC)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def item_span(fields: dict[str, Any]) -> tuple[datetime, datetime]:
    return (
        to_utc(fields["start"]["dateTime"], fields["start"]["timeZone"]),
        to_utc(fields["end"]["dateTime"], fields["end"]["timeZone"]),
    )


def overlaps(start: datetime, end: datetime, window: Window | None) -> bool:
    if window is None:
        return True
    # An instant (end == start) inside the window counts too.
    return start < window[1] and (end > window[0] or start >= window[0])


@dataclass(frozen=True)
class Instance:
    """One entry of a calendarView: a single instance, an occurrence or an exception."""

    id: str
    type: str  # singleInstance | occurrence | exception
    item: Item  # the event itself, or the series master
    start: datetime  # UTC
    end: datetime
    original_start: datetime | None = None
    exception: Item | None = None

    @property
    def seq(self) -> int:
        """Delta's change stamp: an occurrence changes with its master; an exception with either."""
        return max(self.item.seq, self.exception.seq if self.exception else 0)

    @property
    def change_key(self) -> str:
        return (self.exception or self.item).change_key

    @property
    def etag(self) -> str:
        return f'W/"{self.change_key}"'

    def fields(self) -> dict[str, Any]:
        """The event's properties: the master's, the occurrence's own times, then an exception's changes."""
        if self.type == "singleInstance":
            return self.item.fields
        master = self.item.fields
        merged = dict(master) | {
            "start": _in_zone(self.start, master["start"]["timeZone"]),
            "end": _in_zone(self.end, master["end"]["timeZone"]),
            "recurrence": None,
            "transactionId": None,
        }
        return merged | (self.exception.fields if self.exception else {})


def _in_zone(moment: datetime, zone_name: str) -> dict[str, str]:
    zone = resolve_zone(zone_name) or UTC
    return {"dateTime": format_graph(moment.astimezone(zone).replace(tzinfo=None)), "timeZone": zone_name}


def series_instances(master: Item, window: Window) -> list[Instance]:
    """A master's occurrences and exceptions that overlap the window, cancelled ones left out, by start."""
    fields = master.fields
    found: list[Instance] = []
    # An exception moved into the window from an original start outside it must still be found.
    originals = [parsed[1] for e in master.exceptions.values() if (parsed := parse_occurrence_id(e.id))]
    wide = (min([window[0], *originals]), max([window[1], *(o + _TICK for o in originals)]))
    for occurrence in expand(fields["recurrence"], fields["start"], fields["end"], *wide):
        inst_id = occurrence_id(master.id, occurrence.start)
        if inst_id in master.cancelled:
            continue
        exception = master.exceptions.get(inst_id)
        if exception is None:
            instance = Instance(
                inst_id, "occurrence", master, occurrence.start, occurrence.end, occurrence.start
            )
        else:
            start, end = _exception_span(master, exception, occurrence.start, occurrence.end)
            instance = Instance(inst_id, "exception", master, start, end, occurrence.start, exception)
        if overlaps(instance.start, instance.end, window):
            found.append(instance)
    return sorted(found, key=lambda i: (i.start, i.id))


def _exception_span(
    master: Item, exception: Item, start: datetime | None = None, end: datetime | None = None
) -> tuple[datetime, datetime]:
    """An exception's start and end: its own when it was moved, else its occurrence's."""
    parsed = parse_occurrence_id(exception.id)
    original = parsed[1] if parsed else master.created
    if start is None or end is None:
        length = item_span(master.fields)[1] - item_span(master.fields)[0]
        start, end = original, original + length
    own = exception.fields
    return (
        to_utc(own["start"]["dateTime"], own["start"]["timeZone"]) if "start" in own else start,
        to_utc(own["end"]["dateTime"], own["end"]["timeZone"]) if "end" in own else end,
    )


def is_master(item: Item) -> bool:
    return bool(item.fields.get("recurrence"))


def calendar_instances(container: Container, window: Window) -> list[Instance]:
    """Everything a calendarView of `container` shows in the window, sorted by start (never a master)."""
    found: list[Instance] = []
    for item in container.items.values():
        if is_master(item):
            found.extend(series_instances(item, window))
        else:
            start, end = item_span(item.fields)
            if overlaps(start, end, window):
                found.append(Instance(item.id, "singleInstance", item, start, end))
    return sorted(found, key=lambda i: (i.start, i.id))


def cancellations(container: Container) -> Iterator[tuple[int, str]]:
    """(seq, occurrence id) of every cancelled occurrence in the calendar, for delta's `@removed`."""
    for item in container.items.values():
        for inst_id, seq in item.cancelled.items():
            yield seq, inst_id


def find_instance(
    mailbox: Mailbox, calendar: Container | None, inst_id: str
) -> tuple[Container, Instance] | None:
    """The occurrence or exception with this id (not cancelled, still in its series), or None."""
    parsed = parse_occurrence_id(inst_id)
    if parsed is None:
        return None
    master_id, original_start = parsed
    containers = [calendar] if calendar is not None else list(mailbox.containers.values())
    for container in containers:
        master = container.items.get(master_id)
        if master is None or not is_master(master) or inst_id in master.cancelled:
            continue
        probe = (original_start, original_start + _TICK)
        for occurrence in expand(
            master.fields["recurrence"], master.fields["start"], master.fields["end"], *probe
        ):
            if occurrence.start == original_start:
                exception = master.exceptions.get(inst_id)
                if exception is None:
                    return container, Instance(
                        inst_id, "occurrence", master, occurrence.start, occurrence.end, occurrence.start
                    )
                start, end = _exception_span(master, exception, occurrence.start, occurrence.end)
                return container, Instance(
                    inst_id, "exception", master, start, end, occurrence.start, exception
                )
    return None


def render_event(
    request: Request, mailbox: Mailbox, instance: Instance, expand_ids: list[str]
) -> dict[str, Any]:
    """THE rendering of every event the calendarView, instances, delta and occurrence routes return.

    The `Prefer` handling (time zone today) lives here so that one place decides how events look.
    """
    zone = preferred_zone(request.headers.get("prefer", ""))
    if instance.type == "singleInstance":
        return event_view(instance.item, mailbox.user, zone, expand_ids)
    master, exception = instance.item, instance.exception
    extended = dict(master.extended) | (exception.extended if exception else {})
    shown = exception or master
    stand_in = Item(
        instance.id,
        instance.fields(),
        shown.created,
        shown.modified,
        shown.change_key,
        instance.seq,
        extended,
    )
    view = event_view(stand_in, mailbox.user, zone, expand_ids)
    assert instance.original_start is not None
    return view | {
        "type": instance.type,
        "seriesMasterId": master.id,
        "originalStart": instance.original_start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "recurrence": None,
    }
