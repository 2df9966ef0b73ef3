"""Delta rounds: calendarView/delta over a fixed window and contacts/delta, page by page to the delta link.

Calendar delta carries no extended properties, so `fetch_tags` reads the items again through `$batch`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sync_core.graph.batch import BatchRequest, run_batch
from sync_core.graph.client import GraphClient
from sync_core.graph.errors import GraphError
from sync_core.graph.items import tag_of
from sync_core.graph.paths import ItemKind, container_path, item_path, tag_expand, utc_text

DEFAULT_PAGE_SIZE = 100


@dataclass(frozen=True)
class DeltaPage:
    """One page: its items (changed items, or `{"id", "@removed": {...}}`) and the link to go on with."""

    items: list[dict[str, Any]]
    next_link: str | None
    delta_link: str | None


@dataclass(frozen=True)
class DeltaRound:
    """Every change up to now and the delta link to store once the changes are applied."""

    changes: list[dict[str, Any]]
    delta_link: str

    @property
    def removed_ids(self) -> list[str]:
        return [str(item["id"]) for item in self.changes if is_removed(item)]

    @property
    def changed(self) -> list[dict[str, Any]]:
        return [item for item in self.changes if not is_removed(item)]


@dataclass(frozen=True)
class TagLookup:
    """What `fetch_tags` found: tag per id (None when untagged), the full items, and ids already gone."""

    tags: dict[str, str | None] = field(default_factory=dict)
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)


def is_removed(item: dict[str, Any]) -> bool:
    return "@removed" in item


async def iter_delta_pages(
    graph: GraphClient, mailbox: str, first_url: str, page_size: int = DEFAULT_PAGE_SIZE
) -> AsyncIterator[DeltaPage]:
    """Follow next links from `first_url` (a fresh delta URL or a stored delta link) to the delta link.

    Raises DeltaExpired on 410, ContainerGone on 404 (the container was deleted).
    """
    # Prefer headers are not kept in the links, so they go with every page.
    prefer = [f"odata.maxpagesize={page_size}"]
    url: str | None = first_url
    while url:
        response = await graph.request("GET", url, mailbox=mailbox, prefer=prefer, container=True)
        body = response.body or {}
        next_link = body.get("@odata.nextLink")
        delta_link = body.get("@odata.deltaLink")
        if not next_link and not delta_link:
            raise GraphError(
                response.status, "noDeltaLink", "delta page carried neither nextLink nor deltaLink"
            )
        yield DeltaPage(list(body.get("value") or []), next_link, delta_link)
        url = next_link


async def _full_round(graph: GraphClient, mailbox: str, first_url: str, page_size: int) -> DeltaRound:
    changes: list[dict[str, Any]] = []
    delta_link = ""
    async for page in iter_delta_pages(graph, mailbox, first_url, page_size):
        changes.extend(page.items)
        delta_link = page.delta_link or delta_link
    return DeltaRound(changes, delta_link)


def calendar_delta_url(mailbox: str, calendar_id: str, window_start: datetime, window_end: datetime) -> str:
    window = f"startDateTime={utc_text(window_start)}&endDateTime={utc_text(window_end)}"
    return f"{container_path(mailbox, 'event', calendar_id)}/calendarView/delta?{window}"


async def calendar_delta(
    graph: GraphClient,
    mailbox: str,
    calendar_id: str,
    window_start: datetime,
    window_end: datetime,
    delta_link: str | None,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> DeltaRound:
    """Changes in the calendar since `delta_link` (everything in the window when None)."""
    first_url = delta_link or calendar_delta_url(mailbox, calendar_id, window_start, window_end)
    return await _full_round(graph, mailbox, first_url, page_size)


async def contacts_delta(
    graph: GraphClient,
    mailbox: str,
    folder_id: str,
    delta_link: str | None,
    select: Sequence[str] = (),
    page_size: int = DEFAULT_PAGE_SIZE,
) -> DeltaRound:
    """Changes in the folder since `delta_link` (all contacts when None); `select` applies to fresh rounds."""
    first_url = delta_link or f"{container_path(mailbox, 'contact', folder_id)}/contacts/delta"
    if not delta_link and select:
        first_url += "?$select=" + ",".join(select)
    return await _full_round(graph, mailbox, first_url, page_size)


async def fetch_tags(graph: GraphClient, mailbox: str, kind: ItemKind, ids: Sequence[str]) -> TagLookup:
    """Read the items by id (tag expanded) in `$batch`es: what the calendar delta could not give."""
    expand = tag_expand(graph.settings.microsoft_extended_property_id)
    unique_ids = list(dict.fromkeys(ids))
    requests = [
        BatchRequest("GET", f"{item_path(mailbox, kind, item_id)}?$expand={expand}") for item_id in unique_ids
    ]
    lookup = TagLookup()
    for item_id, answer in zip(unique_ids, await run_batch(graph, mailbox, requests), strict=True):
        if answer.status == 404:
            lookup.missing.add(item_id)
        elif not answer.ok:
            raise answer.error()
        else:
            item = dict(answer.body or {})
            lookup.items[item_id] = item
            lookup.tags[item_id] = tag_of(item, graph.settings.microsoft_extended_property_id)
    return lookup
