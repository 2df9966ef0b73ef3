"""The initial sync: copy the user's eligible records to Outlook in capped order, one chunk per queue message.

Plan: the ordered `module:id` keys live in `syncstate.initial_cursor` (10,000 short keys are ~300 KB, inside
one row; the store splits long strings). Each step copies `initial_sync_chunk` of them and queues the next.
The records the plan listed are kept in this process (bounded) for the steps that follow, so a chunk costs
no Recruit credit; a step in another process reads its chunk by `ids=` (a credit per 100). Data from the
plan's listing is current as of the plan: the first reconcile sweeps from the plan's watermark and so
brings anything modified since.
"""

from __future__ import annotations

import logging
import uuid
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sync_core.domain.items import RecruitRef
from sync_core.domain.planner import plan
from sync_core.engine import telemetry
from sync_core.engine.sync_pass.apply import apply
from sync_core.engine.sync_pass.cursors import WATERMARK_SLACK
from sync_core.engine.sync_pass.gather import eligible_changes, link_index, links_by_recruit_keys
from sync_core.engine.sync_pass.scope import PassScope
from sync_core.engine.sync_pass.synclog import log_pass
from sync_core.store.queues import SyncRequest
from sync_core.store.syncstate import SyncState

log = logging.getLogger(__name__)

# Listed records kept per process for later chunks (by plan id, oldest plan dropped first): ~2-3 KB each, so
# at most ~50 MB however many users enable at once; beyond it chunks read their records by `ids=`.
LISTED_RECORDS_KEPT = 20_000
_listed: OrderedDict[str, dict[str, Mapping[str, Any]]] = OrderedDict()


def _keep_listed(plan_id: str, records: dict[str, Mapping[str, Any]]) -> None:
    _listed[plan_id] = records
    while sum(len(kept) for kept in _listed.values()) > LISTED_RECORDS_KEPT and _listed:
        _listed.popitem(last=False)


def _take_listed(plan_id: str | None, keys: list[str]) -> dict[str, Mapping[str, Any]]:
    """The kept records of these keys, removed from the cache (each chunk is copied once)."""
    kept = _listed.get(plan_id or "")
    if kept is None:
        return {}
    taken = {key: kept.pop(key) for key in keys if key in kept}
    if not kept:
        del _listed[plan_id or ""]
    return taken


async def step(scope: PassScope) -> bool:
    """One step (the plan, then a chunk); True when every planned record is copied and sync is active.

    The caller then runs a reconcile pass with a fresh delta round: its Graph items are our own creates
    (echoes), anything the user made meanwhile is picked up, and the stored delta link is the baseline.
    """
    ctx = scope.ctx
    cursor = scope.state.initial_cursor
    if cursor is None:
        cursor = await _make_plan(scope)
        await scope.keep_lease()  # listing every record of a large account takes a while
    keys: list[str] = list(cursor.get("keys") or [])
    start = int(cursor.get("next") or 0)
    chunk = keys[start : start + ctx.settings.initial_sync_chunk]
    hold = await _copy(scope, chunk, _take_listed(cursor.get("plan_id"), chunk)) if chunk else None
    done = start + len(chunk)
    held = _earliest(cursor.get("hold"), hold)

    def progress(state: SyncState) -> SyncState | None:
        if state.status != "initial_sync":
            return None
        if done < len(keys):
            new_cursor = {**cursor, "next": done, "hold": held}
            update = {"initial_cursor": new_cursor, "initial_done": done, "last_sync": ctx.clock()}
            return state.model_copy(update=update)
        return state.model_copy(
            update={
                "last_sync": ctx.clock(),
                "status": "active",
                "initial_cursor": None,
                "initial_done": done,
                "recruit_watermark": _watermark(cursor.get("watermark"), held),
                "initial_left_out": cursor.get("left_out") or None,
                "delta_link": "",
            }
        )

    scope.state = await ctx.syncstate.modify(scope.key, scope.kind.name, progress)
    if scope.state.status != "active":
        if scope.state.status == "initial_sync":
            request = SyncRequest(connection=str(scope.key), kind=scope.kind.name, reason="initial")
            await ctx.queues.send_sync(request)
        return False
    return True


async def _make_plan(scope: PassScope) -> dict[str, Any]:
    """List every record of the kind's modules, keep the user's eligible ones, order and cap them."""
    ctx, kind = scope.ctx, scope.kind
    selectable: list[tuple[str, Mapping[str, Any]]] = []
    modified: dict[str, datetime] = {}
    newest: datetime | None = None
    for module in kind.recruit_modules:
        records = [record async for record in scope.recruit.list_records(module)]
        for record, change in zip(records, eligible_changes(scope, module, records), strict=True):
            newest = change.modified if newest is None else max(newest, change.modified)
            if not change.gone:
                selectable.append((module, record))
                modified[change.ref.key] = change.modified
    now = ctx.clock()
    chosen = kind.initial_selection(selectable, now, kind.initial_cap())
    keys = [RecruitRef(module, str(record["id"])).key for module, record in chosen]
    # The first sweeps re-read the last second before the watermark: records the cap left out there are
    # no change, and must not be copied past the cap (a mass update just before enabling makes thousands).
    boundary = newest - WATERMARK_SLACK if newest else None
    chosen_keys = set(keys)
    left_out = {
        key: stamp.isoformat()
        for key, stamp in modified.items()
        if boundary is not None and stamp > boundary and key not in chosen_keys
    }
    plan_id = uuid.uuid4().hex
    _keep_listed(plan_id, {RecruitRef(module, str(record["id"])).key: record for module, record in chosen})
    cursor: dict[str, Any] = {
        "plan_id": plan_id,
        "keys": keys,
        "next": 0,
        "watermark": newest.isoformat() if newest else None,
        "hold": None,
        "left_out": left_out,
    }

    def planned(state: SyncState) -> SyncState:
        return state.model_copy(
            update={"initial_cursor": cursor, "initial_total": len(keys), "initial_done": 0}
        )

    scope.state = await ctx.syncstate.modify(scope.key, kind.name, planned)
    log.info("%s %s: initial sync of %d of %d records", scope.key, kind.name, len(keys), len(selectable))
    return cursor


async def _copy(scope: PassScope, keys: list[str], listed: Mapping[str, Mapping[str, Any]]) -> str | None:
    """Copy these records (a retried chunk adopts what it already made), from the plan's listing where this
    process kept it, else read by id; returns the earliest Modified_Time of a record that failed, as ISO
    text, so the first sweep reads it again."""
    by_module: dict[str, list[str]] = {}
    for key in keys:
        if key not in listed:
            ref = RecruitRef.parse(key)
            by_module.setdefault(ref.module, []).append(ref.id)
    records_by_module: dict[str, list[Mapping[str, Any]]] = {}
    for key in keys:
        if key in listed:
            records_by_module.setdefault(RecruitRef.parse(key).module, []).append(listed[key])
    for module, ids in by_module.items():
        found = await scope.recruit.get_records(module, ids)
        records_by_module.setdefault(module, []).extend(found[rid] for rid in ids if rid in found)
    changes = []
    for module, records in records_by_module.items():
        changes += eligible_changes(scope, module, records)
    links = link_index((await links_by_recruit_keys(scope, keys)).values())
    actions = plan(links, changes, [], scope.kind.policy(scope.kind_ctx))
    outcome = await apply(scope, actions)
    telemetry.record_outcome(outcome.counts)
    await log_pass(scope, outcome.entries, outcome.counts)
    if outcome.book.changes_anything(scope.state):
        book = outcome.book

        def failures(state: SyncState) -> SyncState:
            return state.model_copy(update=book.changes(state))

        scope.state = await scope.ctx.syncstate.modify(scope.key, scope.kind.name, failures)
    failed = [c.modified for c in changes if c.ref.key in outcome.failed_recruit_keys]
    return min(failed).isoformat() if failed else None


def _earliest(first: str | None, second: str | None) -> str | None:
    values = [datetime.fromisoformat(v) for v in (first, second) if v]
    return min(values).isoformat() if values else None


def _watermark(newest: str | None, hold: str | None) -> datetime | None:
    values = [datetime.fromisoformat(v) - WATERMARK_SLACK for v in (newest, hold) if v]
    return min(values) if values else None
