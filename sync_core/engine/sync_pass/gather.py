"""Reading one pass's inputs: Recruit changes (callback ids, modified-since sweep, deletions), Graph delta
changes (tags fetched for unknown items, removals confirmed), and the links they touch.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sync_core.domain.items import GraphChange, LinkIndex, RecruitChange, RecruitRef, UnreadableItem
from sync_core.domain.pair_values import later
from sync_core.engine.sync_kinds.kinds import SyncKind
from sync_core.engine.sync_pass.linkstore import decode_snapshot, to_domain
from sync_core.engine.sync_pass.scope import PassScope
from sync_core.graph.delta import DeltaRound, fetch_tags, is_removed
from sync_core.recruit.datetimes import parse_optional
from sync_core.recruit.eligibility import bulk_originated
from sync_core.store.links import Link as StoredLink
from sync_core.store.queues import SyncRequest
from sync_core.store.syncstate import SyncState


def eligible_changes(
    scope: PassScope, module: str, records: Sequence[Mapping[str, Any]]
) -> list[RecruitChange]:
    """Records as changes; imported or migrated ones (judged over the whole list) are out of scope."""
    settings = scope.ctx.settings
    bulk = bulk_originated(records, settings.import_batch_min, settings.import_sources.split(","))
    changes = []
    for record in records:
        change = scope.kind.recruit_change(module, record, scope.kind_ctx)
        if str(record.get("id")) in bulk:
            # Never synced: nothing happens. Linked (it was eligible once): the Outlook copy goes.
            change = replace(change, in_scope=False)
        changes.append(change)
    return changes


@dataclass
class RecruitSide:
    changes: list[RecruitChange] = field(default_factory=list)
    newest: datetime | None = None  # newest Modified_Time (or deletion time) a sweep read: the next watermark
    swept: bool = False  # the modified-since and deleted lists were read (else only the request's ids)
    # The ids callbacks left in the sync state (lease held) that this pass read, by module.
    pending_read: dict[str, list[str]] = field(default_factory=dict)


async def gather_recruit(
    scope: PassScope,
    request: SyncRequest | None,
    now: datetime,
    also: Collection[str] = (),
    sweep: bool = True,
) -> RecruitSide:
    """Those the request names, and with `sweep` records modified since the watermark, those keyed in `also`
    whenever they were modified (e.g. every linked record, to re-apply a changed mapping) and deletions since.

    Without `sweep` the watermark stays where it is (`newest` is None): the next sweep reads everything
    modified since the last one, so a change whose callback was lost is still found."""
    side = RecruitSide(swept=sweep, pending_read=dict(scope.state.pending_recruit_ids or {}))
    watermark = scope.state.recruit_watermark
    asked_ids = _asked_ids(scope, request)
    for module, ids in side.pending_read.items():
        if module in scope.kind.recruit_modules:
            asked_ids[module] = list(dict.fromkeys([*asked_ids.get(module, []), *ids]))
    for module in scope.kind.recruit_modules:
        records = await _list_records(scope, module, watermark, also) if sweep else []
        seen = {str(record.get("id")) for record in records}
        # A record of `also` the listing did not return was deleted (or hidden): read by id, a missing one is
        # a deletion even where Recruit's `/deleted` does not answer (unconfirmed for Recruit).
        linked_ids = [ref.id for ref in map(RecruitRef.parse, also) if ref.module == module]
        asked = [*asked_ids.get(module, []), *linked_ids]
        wanted = list(dict.fromkeys(record_id for record_id in asked if record_id not in seen))
        fetched = await scope.recruit.get_records(module, wanted) if wanted else {}
        records += list(fetched.values())
        named = set(asked_ids.get(module, []))
        for change in eligible_changes(scope, module, records):
            if sweep:
                side.newest = later(side.newest, change.modified)
            if not _left_out_by_cap(scope.state, change, named):
                side.changes.append(change)
        gone = [record_id for record_id in wanted if record_id not in fetched]
        side.changes += [RecruitChange(RecruitRef(module, rid), None, now, deleted=True) for rid in gone]
        if sweep and watermark is not None:
            for entry in await scope.recruit.deleted_since(module, watermark):
                side.changes.append(RecruitChange(RecruitRef(module, entry.id), None, now, deleted=True))
                side.newest = later(side.newest, entry.deleted_time)
    return side


def _left_out_by_cap(state: SyncState, change: RecruitChange, asked: Collection[str]) -> bool:
    """A record the initial sync's cap left out, unchanged since and not named by a callback: the sweep
    reads it again only because of the watermark's slack, and it is no change."""
    stamp = (state.initial_left_out or {}).get(change.ref.key)
    return (
        stamp is not None and change.ref.id not in asked and datetime.fromisoformat(stamp) == change.modified
    )


async def _list_records(
    scope: PassScope, module: str, watermark: datetime | None, also: Collection[str]
) -> list[Mapping[str, Any]]:
    if not also:
        return [record async for record in scope.recruit.list_records(module, modified_since=watermark)]
    # One listing of the module costs a page per 200 records, where reading `also` by id costs one each.
    return [
        record
        async for record in scope.recruit.list_records(module)
        if RecruitRef(module, str(record.get("id"))).key in also
        or watermark is None
        or _modified_time(record) >= watermark
    ]


def _modified_time(record: Mapping[str, Any]) -> datetime:
    return parse_optional(record.get("Modified_Time")) or datetime.max.replace(tzinfo=UTC)


def _asked_ids(scope: PassScope, request: SyncRequest | None) -> dict[str, list[str]]:
    if request is None or not request.recruit_module or not request.recruit_ids:
        return {}
    if request.recruit_module not in scope.kind.recruit_modules:
        return {}
    return {request.recruit_module: [str(record_id) for record_id in request.recruit_ids]}


async def fetch_recruit(scope: PassScope, keys: Iterable[str]) -> list[RecruitChange]:
    """Current changes of specific records (e.g. the Recruit side of tagged Outlook items we hold no link
    for), eligibility judged record by record."""
    by_module: dict[str, list[str]] = {}
    for key in keys:
        ref = RecruitRef.parse(key)
        if ref.module in scope.kind.recruit_modules:
            by_module.setdefault(ref.module, []).append(ref.id)
    changes: list[RecruitChange] = []
    for module, ids in by_module.items():
        found = await scope.recruit.get_records(module, ids)
        changes += eligible_changes(scope, module, list(found.values()))
    return changes


@dataclass
class GraphSide:
    changes: list[GraphChange] = field(default_factory=list)
    delta_link: str = ""
    fresh: bool = False
    links: dict[str, StoredLink] = field(default_factory=dict)  # by Graph id, for every id delta named
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (title, why) of items left unread


async def gather_graph(
    scope: PassScope, delta_link: str | None, now: datetime, every_link: Sequence[StoredLink] | None = None
) -> GraphSide:
    """Changes since `delta_link` (None: a fresh round, whose deletions are inferred; `every_link`: the
    kind's links when the caller has read them already). Raises DeltaExpired and ContainerGone."""
    kind = scope.kind
    delta = await kind.delta(scope.graph, scope.mailbox, scope.container_id, delta_link, now)
    own, masters = _own_and_masters(kind, delta.changes)
    listed = [*(str(item["id"]) for item in own), *masters]
    if delta_link is None:
        # A fresh round lists the whole container and its deletions are inferred from every link: read them
        # all once (a few pages) rather than each listed id's link and then every link again.
        if every_link is None:
            every_link = [link async for link in scope.ctx.links.list_all(scope.key, kind.name)]
        wanted = set(listed)
        links_by_graph = {link.graph_id: link for link in every_link if link.graph_id in wanted}
    else:
        links_by_graph = await links_by_graph_ids(scope, listed)
    side = GraphSide(delta_link=delta.delta_link, fresh=delta_link is None, links=links_by_graph)
    known_items: dict[str, dict[str, Any]] = {}
    unknown: list[str] = []
    for item in own:
        if is_removed(item):
            continue
        graph_id = str(item["id"])
        if graph_id in links_by_graph:
            known_items[graph_id] = item
        else:
            unknown.append(graph_id)
    # `@removed` can name events outside the window: only a GET that finds nothing proves a deletion.
    removed = [str(item["id"]) for item in own if is_removed(item)]
    removed_linked = [gid for gid in removed if gid in links_by_graph and gid not in known_items]
    if not side.fresh and any(gid not in links_by_graph for gid in removed):
        removed_linked += await _unattributed_removals(scope, side, every_link, masters)
    to_read = list(dict.fromkeys(unknown + masters + removed_linked))
    lookup = await fetch_tags(scope.graph, scope.mailbox, kind.graph_item_kind, to_read) if to_read else None
    for item in known_items.values():
        _read(scope, side, item, None)
    if lookup is not None:
        for graph_id in to_read:
            if graph_id in lookup.items:
                tag = lookup.tags.get(graph_id)
                _read(scope, side, lookup.items[graph_id], tag)
            elif graph_id in links_by_graph:
                side.changes.append(GraphChange(graph_id, None, now, deleted=True))
    if side.fresh:
        await _infer_deletions(scope, side, delta, now, every_link)
    return side


def _own_and_masters(
    kind: SyncKind, changes: Sequence[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Delta's items that sync as themselves, and the ids of those that sync in the others' stead: each series
    master once, however many of its occurrences the round lists (never a GET per occurrence)."""
    own: list[dict[str, Any]] = []
    masters: dict[str, None] = {}
    for item in changes:
        master = None if is_removed(item) else kind.syncs_through(item)
        if master:
            masters[master] = None
        else:
            own.append(item)
    return own, list(masters)


async def _unattributed_removals(
    scope: PassScope, side: GraphSide, every_link: Sequence[StoredLink] | None, read_anyway: Collection[str]
) -> list[str]:
    """Linked items delta lists only through members (series) that a removal no link names may have taken
    (a removed occurrence names no master): each is read once, and only a 404 makes it a deletion."""
    links = (
        every_link
        if every_link is not None
        else [link async for link in scope.ctx.links.list_all(scope.key, scope.kind.name)]
    )
    found = [
        link
        for link in links
        if link.state == "linked"
        and link.graph_id
        and link.graph_id not in side.links
        and link.graph_id not in read_anyway
        and scope.kind.listed_through_members(decode_snapshot(link.snapshot))
    ]
    side.links.update({link.graph_id: link for link in found})
    return [link.graph_id for link in found]


async def _infer_deletions(
    scope: PassScope,
    side: GraphSide,
    delta: DeltaRound,
    now: datetime,
    every_link: Sequence[StoredLink] | None,
) -> None:
    """A fresh round lists what exists and never says what was deleted: linked items it should have listed
    but did not are read by id, and those Graph no longer has are deleted-in-Outlook changes."""
    kind = scope.kind
    seen = {graph_id for item in delta.changes for graph_id in kind.listed_ids(item)}
    window = kind.delta_window(now)
    links = (
        every_link
        if every_link is not None
        else [link async for link in scope.ctx.links.list_all(scope.key, kind.name)]
    )
    unseen = {
        link.graph_id: link
        for link in links
        if link.state == "linked"
        and link.graph_id
        and link.graph_id not in seen
        and kind.expected_in_round(decode_snapshot(link.snapshot), window)
    }
    if not unseen:
        return
    lookup = await fetch_tags(scope.graph, scope.mailbox, kind.graph_item_kind, list(unseen))
    for graph_id in sorted(lookup.missing):
        side.links[graph_id] = unseen[graph_id]
        side.changes.append(GraphChange(graph_id, None, now, deleted=True))


def _add(side: GraphSide, change: GraphChange | None) -> None:
    if change is not None:
        side.changes.append(change)


def _read(scope: PassScope, side: GraphSide, item: Mapping[str, Any], tag: str | None) -> None:
    """The item's change, or (when the kind cannot read it faithfully) a note for the sync log."""
    try:
        _add(side, scope.kind.graph_change(item, tag, scope.kind_ctx))
    except UnreadableItem as error:
        side.unreadable.append((str(item.get("subject") or item.get("displayName") or ""), str(error)))


async def links_by_graph_ids(scope: PassScope, graph_ids: Iterable[str]) -> dict[str, StoredLink]:
    return await scope.ctx.links.get_many_by_graph(scope.key, scope.kind.name, dict.fromkeys(graph_ids))


async def links_by_recruit_keys(scope: PassScope, keys: Iterable[str]) -> dict[str, StoredLink]:
    by_module: dict[str, list[str]] = {}
    for key in dict.fromkeys(keys):
        ref = RecruitRef.parse(key)
        by_module.setdefault(ref.module, []).append(ref.id)
    found: dict[str, StoredLink] = {}
    for module, ids in by_module.items():
        links = await scope.ctx.links.get_many_by_recruit(scope.key, scope.kind.name, module, ids)
        found.update({RecruitRef(module, rid).key: link for rid, link in links.items()})
    return found


def link_index(stored: Iterable[StoredLink], reread: bool = False) -> LinkIndex:
    """The planner's links. `reread`: both sides were read in full, current as of now, so no change of a
    linked pair is a replay; without its stamps the planner compares every pair with its snapshot again."""
    links = (to_domain(link) for link in stored)
    if reread:
        links = (
            replace(link, recruit_modified=None, graph_modified=None) if link.state == "linked" else link
            for link in links
        )
    return LinkIndex.of(links)
