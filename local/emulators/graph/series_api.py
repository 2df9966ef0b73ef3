"""The `/v1.0` routes that see recurring series as Graph serves them: calendarView, its delta, a master's
instances, and GET/PATCH/DELETE on an occurrence id (other event ids go on to `mailbox_api.py`).

Sources (microsoftgraph/microsoft-graph-docs-contrib, api-reference/v1.0/api/):
`calendar-list-calendarview.md` and `user-list-calendarview.md` (routes; startDateTime/endDateTime in ISO
8601, "interpreted as UTC" without an offset; `$top` 1..1000), `event-list-instances.md`, `event-delta.md`
(no `$select`, `$expand`, `$filter`; `Prefer: odata.maxpagesize`), `event-update.md` and `event-delete.md`
(an occurrence is an event like any other).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .access import AccessControl
from .delta import DEFAULT_PAGE_SIZE, DeltaBook, DeltaEntry
from .errors import GraphError, bad_request, not_found
from .items import check_event, clean_event
from .mailbox_api import _MAX_PAGE, MailboxApi, _check_if_match, _json
from .odata import Query, apply_select
from .recurrence import RecurrenceError, check
from .series import (
    Instance,
    Window,
    calendar_instances,
    cancellations,
    find_instance,
    is_master,
    parse_occurrence_id,
    render_event,
    series_instances,
)
from .store import CALENDAR, Container, Item, Mailbox, Store, new_change_key
from .timezones import to_utc

# The window cap the issue tracker reports for real Graph; the v1.0 pages do not state it, nor its error, so
# the emulator answers Graph's usual 400 ErrorInvalidParameter.
MAX_WINDOW = timedelta(days=1825)

Endpoint = Callable[[Request], Awaitable[Response]]


def parse_window(request: Request) -> Window:
    """startDateTime/endDateTime (names case-insensitive, as Graph's query options are)."""
    params = {key.lower(): value for key, value in request.query_params.items()}
    if "startdatetime" not in params or "enddatetime" not in params:
        # The message is the one Graph sends; the pages document the parameters, not the error.
        raise bad_request(
            "This request requires a time window specified by the query string parameters StartDateTime and"
            " EndDateTime.",
            "ErrorInvalidParameter",
        )
    try:
        window = (to_utc(params["startdatetime"], "UTC"), to_utc(params["enddatetime"], "UTC"))
    except ValueError as exc:
        raise bad_request(
            "startDateTime and endDateTime must be ISO 8601 date-times.", "ErrorInvalidParameter"
        ) from exc
    if window[1] < window[0]:
        raise bad_request("endDateTime must not be before startDateTime.", "ErrorInvalidParameter")
    if window[1] - window[0] > MAX_WINDOW:
        raise bad_request("The time window may span at most 1825 days.", "ErrorInvalidParameter")
    return window


class SeriesApi:
    def __init__(self, store: Store, access: AccessControl, deltas: DeltaBook, events: MailboxApi) -> None:
        self.store = store
        self.access = access
        self.deltas = deltas
        self.events = events
        # Graph's pages do not say what happens to exceptions and cancelled occurrences when the series'
        # recurrence or times change; Outlook warns that they are lost, which is the default. Switchable.
        self.drop_exceptions_on_series_change = True

    def _calendar(self, request: Request, mailbox: Mailbox) -> Container:
        return mailbox.container(CALENDAR, request.path_params.get("calendar_id"))

    # --- lists ---

    def _page(self, request: Request, mailbox: Mailbox, instances: list[Instance]) -> Response:
        """A page of instances in `$top`/`$skip` pages with an `@odata.nextLink`, as calendarView pages."""
        query = Query(request.query_params)
        views = [render_event(request, mailbox, i, query.expand_ids) for i in instances]
        views = [apply_select(v, query.select) for v in views if query.matches_field(v)]
        answer: dict[str, Any] = {"value": views[query.skip : query.skip + query.top]}
        if query.skip + query.top < len(views):
            params = dict(request.query_params) | {
                "$skip": str(query.skip + query.top),
                "$top": str(query.top),
            }
            answer["@odata.nextLink"] = f"{request.url.replace(query='')}?{urlencode(params)}"
        return JSONResponse(answer)

    async def calendar_view(self, request: Request) -> Response:
        mailbox = self.access.check(request, CALENDAR, write=False)
        calendar = self._calendar(request, mailbox)
        return self._page(request, mailbox, calendar_instances(calendar, parse_window(request)))

    async def instances(self, request: Request) -> Response:
        mailbox = self.access.check(request, CALENDAR, write=False)
        _, item = self._stored(request, mailbox)
        window = parse_window(request)
        # For an event that is not a series master the page is silent; the emulator lists nothing.
        found = series_instances(item, window) if is_master(item) else []
        return self._page(request, mailbox, found)

    async def delta(self, request: Request) -> Response:
        mailbox = self.access.check(request, CALENDAR, write=False)
        calendar = self._calendar(request, mailbox)
        params = request.query_params
        if any(p in params for p in ("$select", "$expand", "$filter", "$orderby", "$search")):
            raise bad_request(
                "calendarView delta does not support $select, $expand or $filter.", "BadRequest"
            )
        prefer = _MAX_PAGE.search(request.headers.get("prefer", ""))
        page_size = max(1, int(prefer.group(1))) if prefer else DEFAULT_PAGE_SIZE

        def entries(window: Window | None) -> list[DeltaEntry]:
            assert window is not None
            return [
                DeltaEntry(i.id, i.seq, functools.partial(render_event, request, mailbox, i, []))
                for i in calendar_instances(calendar, window)
            ]

        if "$skiptoken" in params:
            cursor = self.deltas.resume(params["$skiptoken"], mailbox, calendar)
        elif "$deltatoken" in params:
            previous = self.deltas.resume(params["$deltatoken"], mailbox, calendar)
            tombstones = [*calendar.tombstones, *cancellations(calendar)]
            cursor = self.deltas.follow_entries(
                previous, entries(previous.window), tombstones, self.store.seq
            )
        else:
            window = parse_window(request)
            cursor = self.deltas.start_entries(
                mailbox, calendar, window, None, self.store.seq, entries(window)
            )
        link_base = str(request.url.replace(query=""))
        headers = {"Preference-Applied": f"odata.maxpagesize={page_size}"} if prefer else None
        return JSONResponse(self.deltas.page(cursor, page_size, link_base), headers=headers)

    # --- one event by id ---

    def _stored(self, request: Request, mailbox: Mailbox) -> tuple[Container, Item]:
        item_id = request.path_params["item_id"]
        if "calendar_id" in request.path_params:
            calendar = self._calendar(request, mailbox)
            if item_id not in calendar.items:
                raise not_found()
            return calendar, calendar.items[item_id]
        return mailbox.find_item(CALENDAR, item_id)

    def _occurrence(self, request: Request, mailbox: Mailbox) -> tuple[Container, Instance]:
        calendar = self._calendar(request, mailbox) if "calendar_id" in request.path_params else None
        found = find_instance(mailbox, calendar, request.path_params["item_id"])
        if found is None:
            raise not_found()
        return found

    async def get_occurrence(self, request: Request) -> Response:
        mailbox = self.access.check(request, CALENDAR, write=False)
        _, instance = self._occurrence(request, mailbox)
        query = Query(request.query_params)
        return JSONResponse(
            apply_select(render_event(request, mailbox, instance, query.expand_ids), query.select)
        )

    async def update_occurrence(self, request: Request) -> Response:
        """PATCH on an occurrence makes it an exception (event-update.md); the series keeps the rest."""
        mailbox = self.access.check(request, CALENDAR, write=True)
        calendar, instance = self._occurrence(request, mailbox)
        _check_if_match(request, instance)  # type: ignore[arg-type]
        changes = clean_event(await _json(request))
        if changes.get("recurrence") is not None:
            raise bad_request("An occurrence or exception of a series cannot have a recurrence.")
        changes.pop("recurrence", None)
        changes.pop("transactionId", None)
        extended = {
            p["id"]: str(p.get("value", "")) for p in changes.pop("singleValueExtendedProperties", [])
        }
        check_event(instance.fields() | changes)
        master, now = instance.item, self.store.now()
        exception = master.exceptions.get(instance.id) or Item(instance.id, {}, now, now, "", 0)
        exception.fields.update(changes)
        exception.extended.update(extended)
        exception.modified, exception.change_key, exception.seq = now, new_change_key(), self.store.next_seq()
        master.exceptions[instance.id] = exception
        # Notified like any event change of the calendar (concepts/webhooks.md); that the id is the
        # occurrence's and the type `updated` is the emulator's choice: the pages do not say.
        self.store.notify(mailbox, calendar, instance.id, "updated", exception.etag)
        _, updated = self._occurrence(request, mailbox)
        return JSONResponse(render_event(request, mailbox, updated, []))

    async def delete_occurrence(self, request: Request) -> Response:
        """DELETE on an occurrence cancels it: calendarView no longer shows it, delta reports it removed."""
        mailbox = self.access.check(request, CALENDAR, write=True)
        calendar, instance = self._occurrence(request, mailbox)
        _check_if_match(request, instance)  # type: ignore[arg-type]
        master = instance.item
        master.exceptions.pop(instance.id, None)
        master.cancelled[instance.id] = self.store.next_seq()
        self.store.notify(mailbox, calendar, instance.id, "deleted", instance.etag)
        return Response(status_code=204)

    async def update_event(self, request: Request) -> Response:
        """PATCH on a stored event (mailbox_api.py), then the series rule: a changed recurrence or series
        time regenerates the occurrences; exceptions and cancellations go (pages silent: see __init__)."""
        mailbox = self.access.check(request, CALENDAR, write=True)
        try:
            _, item = self._stored(request, mailbox)
        except GraphError:
            return await self.events.update_item(request, CALENDAR)
        await self._check_recurrence(request)
        before = [item.fields.get(key) for key in ("recurrence", "start", "end")]
        response = await self.events.update_item(request, CALENDAR)
        after = [item.fields.get(key) for key in ("recurrence", "start", "end")]
        if before != after and self.drop_exceptions_on_series_change:
            item.exceptions.clear()
            item.cancelled.clear()
        return response

    async def create_event(self, request: Request) -> Response:
        """POST of an event (mailbox_api.py), after the recurrence check."""
        await self._check_recurrence(request)
        return await self.events.create_item(request, CALENDAR)

    @staticmethod
    async def _check_recurrence(request: Request) -> None:
        """A recurrence with a missing or unsupported value answers 400 before anything is stored:
        "Any property that you include that does not have a supported value would result in an error"
        (resources/recurrencepattern.md)."""
        body = await _json(request)  # Starlette keeps the body, so the handler after this reads it again
        if isinstance(body, dict) and body.get("recurrence") is not None:
            try:
                check(body["recurrence"])
            except RecurrenceError as exc:
                raise bad_request(str(exc), "ErrorInvalidRequest") from exc

    # --- routing ---

    def _by_id(self, occurrence: Endpoint, stored: Endpoint) -> Endpoint:
        """Occurrence ids to `occurrence`, every other id to `stored`."""

        async def endpoint(request: Request) -> Response:
            if parse_occurrence_id(request.path_params["item_id"]) is not None:
                mailbox = self.access.check(request, CALENDAR, write=request.method != "GET")
                if self._is_series_id(request, mailbox):
                    return await occurrence(request)
            return await stored(request)

        return endpoint

    @staticmethod
    def _is_series_id(request: Request, mailbox: Mailbox) -> bool:
        parsed = parse_occurrence_id(request.path_params["item_id"])
        return parsed is not None and any(parsed[0] in c.items for c in mailbox.containers.values())

    def routes(self) -> list[BaseRoute]:
        views = ["/calendars/{calendar_id}/calendarView", "/calendar/calendarView", "/calendarView"]
        members = [
            "/calendars/{calendar_id}/events/{item_id}",
            "/calendar/events/{item_id}",
            "/events/{item_id}",
        ]
        collections = ["/calendars/{calendar_id}/events", "/calendar/events", "/events"]

        def stored(method: Callable[[Request, str], Awaitable[Response]]) -> Endpoint:
            async def endpoint(request: Request) -> Response:
                return await method(request, CALENDAR)

            return endpoint

        table: list[tuple[str, str, Endpoint]] = []
        for path in views:
            table += [(path, "GET", self.calendar_view), (f"{path}/delta", "GET", self.delta)]
            table.append((f"{path}/delta()", "GET", self.delta))
        for path in members:
            table.append((f"{path}/instances", "GET", self.instances))
            table.append((path, "GET", self._by_id(self.get_occurrence, stored(self.events.get_item))))
            table.append((path, "PATCH", self._by_id(self.update_occurrence, self.update_event)))
            table.append(
                (path, "DELETE", self._by_id(self.delete_occurrence, stored(self.events.delete_item)))
            )
        for path in collections:
            table.append((path, "POST", self.create_event))
        routes: list[BaseRoute] = []
        for suffix, method, handler in table:
            routes.append(Route(f"/v1.0/me{suffix}", handler, methods=[method]))
            routes.append(Route(f"/v1.0/users/{{user}}{suffix}", handler, methods=[method]))
        return routes
