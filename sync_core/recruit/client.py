"""The Zoho Recruit v2 client: users and org, field metadata, records (list, get, write, delete, search,
deletions) and watch channels. Transport policies (auth, retries, rate limits) live in transport.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import aclosing
from datetime import datetime
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

from .criteria import Criterion, criteria_string
from .datetimes import format_recruit_datetime
from .errors import NotFound, RecordResult, RecruitError, record_results
from .models import DeletedRecord, FieldMeta, RecruitOrg, RecruitUser, WatchChannel
from .payloads import MAX_BULK, checked, chunks, granted_expiry, items_of, older_than, watch_item
from .support import UNSUPPORTED_STATUSES, ServerSupport
from .tokens import TokenSource
from .transport import OWN_RATE_WAITS, ApiResponse, RecruitTransport

MAX_PER_PAGE = 200
# Zoho answers INVALID_DATA for an id that does not exist in the module.
_MISSING_RECORD_CODES = frozenset({"INVALID_DATA", "RECORD_NOT_FOUND"})

Record = dict[str, Any]


class RecruitClient:
    """One user's view of Recruit. Use as `async with RecruitClient(api_base, token_source) as client`."""

    def __init__(
        self,
        api_base: str,
        token_source: TokenSource,
        *,
        http: httpx.AsyncClient | None = None,
        max_rate_wait: float = 60.0,
        server_retries: int = 3,
        backoff_seconds: float = 0.25,
        concurrency: int = 4,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        own_rate_waits: tuple[float, ...] = OWN_RATE_WAITS,
        support: ServerSupport | None = None,
    ) -> None:
        self.transport = RecruitTransport(
            api_base,
            token_source,
            http=http,
            max_rate_wait=max_rate_wait,
            server_retries=server_retries,
            backoff_seconds=backoff_seconds,
            sleep=sleep,
            own_rate_waits=own_rate_waits,
        )
        self._concurrency = asyncio.Semaphore(concurrency)
        # What the server lacks among the unconfirmed features; shared per org when the caller passes one.
        self.support = support or ServerSupport()

    @property
    def requests_made(self) -> int:
        """How many HTTP requests this client sent (retries included)."""
        return self.transport.requests_made

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def __aenter__(self) -> RecruitClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def _call(self, method: str, path: str, **kwargs: Any) -> ApiResponse:
        async with self._concurrency:
            return await self.transport.request(method, path, **kwargs)

    # --- users, org, metadata ---

    async def current_user(self) -> RecruitUser:
        users = items_of(await self._call("GET", "/users", params={"type": "CurrentUser"}), "users")
        if not users:
            raise RecruitError("NO_CURRENT_USER", "Recruit returned no current user")
        return RecruitUser.model_validate(users[0])

    async def org(self) -> RecruitOrg:
        orgs = items_of(await self._call("GET", "/org"), "org")
        if not orgs:
            raise RecruitError("NO_ORG", "Recruit returned no organisation")
        return RecruitOrg.model_validate(orgs[0])

    async def fields(self, module: str) -> list[FieldMeta]:
        response = await self._call("GET", "/settings/fields", params={"module": module})
        return [FieldMeta.model_validate(item) for item in items_of(response, "fields")]

    async def owner_field(self, module: str) -> FieldMeta:
        """The module's owner field, found by its data type (its name differs between modules)."""
        for meta in await self.fields(module):
            if meta.data_type == "ownerlookup":
                return meta
        raise RecruitError("NO_OWNER_FIELD", f"module {module} has no ownerlookup field")

    # --- reading records ---

    async def _pages(
        self, path: str, params: Mapping[str, str | int], headers: Mapping[str, str] | None = None
    ) -> AsyncGenerator[Record, None]:
        page = 1
        while True:
            response = await self._call("GET", path, params={**params, "page": page}, headers=headers)
            if response.status in (204, 304):
                return
            for item in items_of(response):
                if isinstance(item, dict):
                    yield item
            info = response.body.get("info") if isinstance(response.body, dict) else None
            if not isinstance(info, dict) or not info.get("more_records"):
                return
            page += 1

    async def list_records(
        self,
        module: str,
        *,
        modified_since: datetime | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
        fields: Sequence[str] | None = None,
        per_page: int = MAX_PER_PAGE,
    ) -> AsyncIterator[Record]:
        """Every record of the module (all pages), or those modified at or after `modified_since`.

        With `modified_since` the `If-Modified-Since` header asks the server to filter. A server that
        ignores it shows itself by returning older records; the listing then continues newest-first by
        Modified_Time and stops at the watermark, never yielding a record twice.
        """
        params: dict[str, str | int] = {"per_page": min(per_page, MAX_PER_PAGE)}
        if sort_by:
            params["sort_by"] = sort_by
        if sort_order:
            params["sort_order"] = sort_order
        if fields:
            wanted = list(fields)
            if modified_since is not None:
                # The fallback needs these to detect an ignored header and to stop at the watermark.
                wanted += [name for name in ("id", "Modified_Time") if name not in wanted]
            params["fields"] = ",".join(wanted)
        path = f"/{module}"
        if modified_since is None:
            async with aclosing(self._pages(path, params)) as records:
                async for record in records:
                    yield record
            return

        header = {"If-Modified-Since": format_recruit_datetime(modified_since)}
        yielded: set[str] = set()
        header_ignored = False
        async with aclosing(self._pages(path, params, header)) as records:
            async for record in records:
                if older_than(record, modified_since):
                    header_ignored = True
                    break
                yielded.add(str(record.get("id")))
                yield record
        if not header_ignored:
            return
        newest_first = {**params, "sort_by": "Modified_Time", "sort_order": "desc"}
        async with aclosing(self._pages(path, newest_first)) as records:
            async for record in records:
                if older_than(record, modified_since):
                    return
                if str(record.get("id")) not in yielded:
                    yield record

    async def get_record(self, module: str, record_id: str) -> Record | None:
        """The record, or None when it does not exist (deleted, or never did)."""
        try:
            # Ids come from callbacks and Outlook tags: quoted, so no id can name another path.
            response = await self._call("GET", f"/{quote(module, safe='')}/{quote(record_id, safe='')}")
        except NotFound:
            return None
        except RecruitError as exc:
            if exc.code in _MISSING_RECORD_CODES:
                return None
            raise
        items = items_of(response)
        return items[0] if items and isinstance(items[0], dict) else None

    async def get_records(self, module: str, ids: Sequence[str]) -> dict[str, Record]:
        """The records that exist among `ids`, by id: `GET /{Module}?ids=` (≤100 a call) where the server
        supports it, else one GET per id, concurrently (bounded by `concurrency`)."""
        unique = list(dict.fromkeys(ids))
        found: dict[str, Record] = {}
        if len(unique) > 1 and self.support.ids_param:
            for _, chunk in chunks(unique, MAX_BULK):
                listed = await self._listed_by_ids(module, chunk)
                if listed is None:
                    break
                found.update(listed)
            else:
                return found
        rest = [record_id for record_id in unique if record_id not in found]
        fetched = await asyncio.gather(*(self.get_record(module, record_id) for record_id in rest))
        found.update({rid: record for rid, record in zip(rest, fetched, strict=True) if record is not None})
        return found

    async def _listed_by_ids(self, module: str, ids: Sequence[str]) -> dict[str, Record] | None:
        """The records `GET /{Module}?ids=` lists, or None when the server refuses or ignores `ids`."""
        params: dict[str, str | int] = {"ids": ",".join(ids), "per_page": MAX_PER_PAGE}
        try:
            response = await self._call("GET", f"/{module}", params=params)
        except RecruitError as error:
            if error.http_status in UNSUPPORTED_STATUSES and error.code != "INVALID_MODULE":
                self.support.lacks("ids_param", error.code)
                return None
            raise
        listed = {str(item.get("id")): item for item in items_of(response) if isinstance(item, dict)}
        info = response.body.get("info") if isinstance(response.body, dict) else None
        more = isinstance(info, dict) and bool(info.get("more_records"))
        if more or not set(listed) <= set(ids):
            self.support.lacks("ids_param", "the ids parameter was ignored")
            return None
        return listed

    async def search(self, module: str, criteria: Sequence[Criterion]) -> list[Record]:
        """Records matching every (field, operator, value) condition; operators `equals`, `starts_with`."""
        params: dict[str, str | int] = {"criteria": criteria_string(criteria), "per_page": MAX_PER_PAGE}
        return [record async for record in self._pages(f"/{module}/search", params)]

    async def deleted_since(self, module: str, since: datetime) -> list[DeletedRecord]:
        """Records deleted at or after `since` (filtered here too, in case the server ignores the header).

        Where `/deleted` is refused this is empty: deletions then come from the watch channel's delete
        callbacks, whose ids the caller reads with `get_records` (a missing record is a deleted one).
        """
        if not self.support.deleted_endpoint:
            return []
        header = {"If-Modified-Since": format_recruit_datetime(since)}
        params: dict[str, str | int] = {"type": "All", "per_page": MAX_PER_PAGE}
        deleted: list[DeletedRecord] = []
        try:
            async for item in self._pages(f"/{module}/deleted", params, header):
                entry = DeletedRecord.model_validate(item)
                if entry.deleted_time is None or entry.deleted_time >= since:
                    deleted.append(entry)
        except RecruitError as error:
            if error.http_status not in UNSUPPORTED_STATUSES or error.code == "INVALID_MODULE":
                raise
            self.support.lacks("deleted_endpoint", error.code)
            return []
        return deleted

    # --- writing records ---

    async def _bulk(
        self, method: str, module: str, records: Sequence[Mapping[str, Any]]
    ) -> list[RecordResult]:
        results: list[RecordResult] = []
        for offset, chunk in chunks(records, MAX_BULK):
            # An empty trigger list keeps workflows, approvals and blueprints from firing on our writes.
            response = await self._call(method, f"/{module}", json={"data": list(chunk), "trigger": []})
            results.extend(checked(record_results(items_of(response), offset), len(chunk)))
        return results

    async def insert(self, module: str, records: Sequence[Mapping[str, Any]]) -> list[RecordResult]:
        """Create records (in calls of ≤100); one result per record, in order; partial success is normal."""
        return await self._bulk("POST", module, records)

    async def update(self, module: str, records: Sequence[Mapping[str, Any]]) -> list[RecordResult]:
        """Update records, each carrying its `id`; one result per record, in order."""
        return await self._bulk("PUT", module, records)

    async def delete(self, module: str, ids: Sequence[str]) -> list[RecordResult]:
        """Delete records by id without firing workflows; one result per id, in order."""
        results: list[RecordResult] = []
        for offset, chunk in chunks(ids, MAX_BULK):
            params = {"ids": ",".join(chunk), "wf_trigger": "false"}
            response = await self._call("DELETE", f"/{module}", params=params)
            results.extend(checked(record_results(items_of(response), offset), len(chunk)))
        return results

    # --- watch channels ---

    async def watch(
        self, channel_id: int, events: Sequence[str], notify_url: str, token: str, expiry: datetime
    ) -> WatchChannel:
        """Open a channel; the answer carries the expiry the server granted."""
        item = watch_item(channel_id, events, notify_url, token, expiry)
        return await self._watch_call("POST", item)

    async def update_watch(
        self,
        channel_id: int,
        *,
        events: Sequence[str] | None = None,
        notify_url: str | None = None,
        token: str | None = None,
        expiry: datetime | None = None,
    ) -> WatchChannel:
        """Change a channel (renew its expiry, events, URL or token)."""
        item = watch_item(channel_id, events, notify_url, token, expiry)
        return await self._watch_call("PATCH", item)

    async def list_watches(self) -> list[WatchChannel]:
        response = await self._call("GET", "/actions/watch")
        return [WatchChannel.model_validate(item) for item in items_of(response, "watch")]

    async def unwatch(self, channel_ids: Sequence[int]) -> list[RecordResult]:
        """Stop channels; one result per channel id."""
        if not channel_ids:
            return []
        params = {"channel_ids": ",".join(str(channel_id) for channel_id in channel_ids)}
        response = await self._call("DELETE", "/actions/watch", params=params)
        return record_results(items_of(response, "watch"))

    async def _watch_call(self, method: str, item: dict[str, Any]) -> WatchChannel:
        response = await self._call(method, "/actions/watch", json={"watch": [item]})
        results = record_results(items_of(response, "watch"))
        if not results or not results[0].ok:
            first = results[0] if results else None
            raise RecruitError(
                first.code if first else "WATCH_FAILED",
                first.message if first else "no answer for the channel",
                first.details if first else None,
                response.status,
            )
        granted = granted_expiry(results[0].details)
        return WatchChannel.model_validate({**item, **({"channel_expiry": granted} if granted else {})})
