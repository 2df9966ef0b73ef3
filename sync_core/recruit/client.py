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
from .datetimes import format_recruit_datetime, parse_optional
from .errors import NotFound, RecordResult, RecruitError, record_results
from .models import DeletedRecord, FieldMeta, RecruitOrg, RecruitUser, WatchChannel
from .tokens import TokenSource
from .transport import ApiResponse, RecruitTransport

MAX_PER_PAGE = 200
MAX_BULK = 100
MAX_CHANNEL_ID = 2**48
MAX_WATCH_TOKEN = 50
# Zoho answers INVALID_DATA for an id that does not exist in the module.
_MISSING_RECORD_CODES = frozenset({"INVALID_DATA", "RECORD_NOT_FOUND"})

Record = dict[str, Any]


def _chunks(items: Sequence[Any], size: int) -> list[tuple[int, Sequence[Any]]]:
    return [(offset, items[offset : offset + size]) for offset in range(0, len(items), size)]


def _data(response: ApiResponse, key: str = "data") -> list[Any]:
    if isinstance(response.body, dict):
        items = response.body.get(key)
        if isinstance(items, list):
            return items
        if isinstance(items, dict):
            return [items]
    return []


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
    ) -> None:
        self.transport = RecruitTransport(
            api_base,
            token_source,
            http=http,
            max_rate_wait=max_rate_wait,
            server_retries=server_retries,
            backoff_seconds=backoff_seconds,
            sleep=sleep,
        )
        self._concurrency = asyncio.Semaphore(concurrency)

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
        users = _data(await self._call("GET", "/users", params={"type": "CurrentUser"}), "users")
        if not users:
            raise RecruitError("NO_CURRENT_USER", "Recruit returned no current user")
        return RecruitUser.model_validate(users[0])

    async def org(self) -> RecruitOrg:
        orgs = _data(await self._call("GET", "/org"), "org")
        if not orgs:
            raise RecruitError("NO_ORG", "Recruit returned no organisation")
        return RecruitOrg.model_validate(orgs[0])

    async def fields(self, module: str) -> list[FieldMeta]:
        response = await self._call("GET", "/settings/fields", params={"module": module})
        return [FieldMeta.model_validate(item) for item in _data(response, "fields")]

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
            for item in _data(response):
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
                if _older_than(record, modified_since):
                    header_ignored = True
                    break
                yielded.add(str(record.get("id")))
                yield record
        if not header_ignored:
            return
        newest_first = {**params, "sort_by": "Modified_Time", "sort_order": "desc"}
        async with aclosing(self._pages(path, newest_first)) as records:
            async for record in records:
                if _older_than(record, modified_since):
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
        items = _data(response)
        return items[0] if items and isinstance(items[0], dict) else None

    async def get_records(self, module: str, ids: Sequence[str]) -> dict[str, Record]:
        """The records that exist among `ids`, by id, fetched concurrently (bounded by `concurrency`)."""
        unique = list(dict.fromkeys(ids))
        found = await asyncio.gather(*(self.get_record(module, record_id) for record_id in unique))
        return {
            record_id: record for record_id, record in zip(unique, found, strict=True) if record is not None
        }

    async def search(self, module: str, criteria: Sequence[Criterion]) -> list[Record]:
        """Records matching every (field, operator, value) condition; operators `equals`, `starts_with`."""
        params: dict[str, str | int] = {"criteria": criteria_string(criteria), "per_page": MAX_PER_PAGE}
        return [record async for record in self._pages(f"/{module}/search", params)]

    async def deleted_since(self, module: str, since: datetime) -> list[DeletedRecord]:
        """Records deleted at or after `since` (filtered here too, in case the server ignores the header)."""
        header = {"If-Modified-Since": format_recruit_datetime(since)}
        params: dict[str, str | int] = {"type": "All", "per_page": MAX_PER_PAGE}
        deleted: list[DeletedRecord] = []
        async for item in self._pages(f"/{module}/deleted", params, header):
            entry = DeletedRecord.model_validate(item)
            if entry.deleted_time is None or entry.deleted_time >= since:
                deleted.append(entry)
        return deleted

    # --- writing records ---

    async def _bulk(
        self, method: str, module: str, records: Sequence[Mapping[str, Any]]
    ) -> list[RecordResult]:
        results: list[RecordResult] = []
        for offset, chunk in _chunks(records, MAX_BULK):
            # An empty trigger list keeps workflows, approvals and blueprints from firing on our writes.
            response = await self._call(method, f"/{module}", json={"data": list(chunk), "trigger": []})
            results.extend(_checked(record_results(_data(response), offset), len(chunk)))
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
        for offset, chunk in _chunks(ids, MAX_BULK):
            params = {"ids": ",".join(chunk), "wf_trigger": "false"}
            response = await self._call("DELETE", f"/{module}", params=params)
            results.extend(_checked(record_results(_data(response), offset), len(chunk)))
        return results

    # --- watch channels ---

    async def watch(
        self, channel_id: int, events: Sequence[str], notify_url: str, token: str, expiry: datetime
    ) -> WatchChannel:
        """Open a channel; the answer carries the expiry the server granted."""
        item = _watch_item(channel_id, events, notify_url, token, expiry)
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
        item = _watch_item(channel_id, events, notify_url, token, expiry)
        return await self._watch_call("PATCH", item)

    async def list_watches(self) -> list[WatchChannel]:
        response = await self._call("GET", "/actions/watch")
        return [WatchChannel.model_validate(item) for item in _data(response, "watch")]

    async def unwatch(self, channel_ids: Sequence[int]) -> list[RecordResult]:
        """Stop channels; one result per channel id."""
        if not channel_ids:
            return []
        params = {"channel_ids": ",".join(str(channel_id) for channel_id in channel_ids)}
        response = await self._call("DELETE", "/actions/watch", params=params)
        return record_results(_data(response, "watch"))

    async def _watch_call(self, method: str, item: dict[str, Any]) -> WatchChannel:
        response = await self._call(method, "/actions/watch", json={"watch": [item]})
        results = record_results(_data(response, "watch"))
        if not results or not results[0].ok:
            first = results[0] if results else None
            raise RecruitError(
                first.code if first else "WATCH_FAILED",
                first.message if first else "no answer for the channel",
                first.details if first else None,
                response.status,
            )
        granted = _granted_expiry(results[0].details)
        return WatchChannel.model_validate({**item, **({"channel_expiry": granted} if granted else {})})


def _older_than(record: Mapping[str, Any], moment: datetime) -> bool:
    modified = parse_optional(record.get("Modified_Time"))
    return modified is not None and modified < moment


def _checked(results: list[RecordResult], expected: int) -> list[RecordResult]:
    if len(results) != expected:
        raise RecruitError("UNEXPECTED_RESPONSE", f"{len(results)} results for {expected} records")
    return results


def _watch_item(
    channel_id: int,
    events: Sequence[str] | None,
    notify_url: str | None,
    token: str | None,
    expiry: datetime | None,
) -> dict[str, Any]:
    if not 0 < channel_id < MAX_CHANNEL_ID:
        raise ValueError("channel_id must be a positive integer below 2**48")
    if token is not None and len(token) > MAX_WATCH_TOKEN:
        raise ValueError(f"a watch token holds at most {MAX_WATCH_TOKEN} characters")
    item: dict[str, Any] = {"channel_id": channel_id}
    if events is not None:
        item["events"] = list(events)
    if notify_url is not None:
        item["notify_url"] = notify_url
    if token is not None:
        item["token"] = token
    if expiry is not None:
        item["channel_expiry"] = format_recruit_datetime(expiry)
    return item


def _granted_expiry(details: Mapping[str, Any]) -> str | None:
    events = details.get("events")
    if isinstance(events, list):
        for event in events:
            if isinstance(event, dict) and isinstance(event.get("channel_expiry"), str):
                return str(event["channel_expiry"])
    expiry = details.get("channel_expiry")
    return expiry if isinstance(expiry, str) else None
