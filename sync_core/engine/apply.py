"""Executing the planner's actions: Recruit writes in bulk, Graph writes in `$batch`, links stored after each
stage. A failed item is logged once and kept as failed (`failed_items.py`: retried later, or not until it
changes when it was refused for good); it never blocks the rest.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sync_core.domain.actions import (
    Action,
    ConflictSettled,
    CreateInGraph,
    CreateInRecruit,
    DeleteInRecruit,
    DropLink,
    GraphWrite,
    Stages,
    StoreLink,
    Unlink,
    UpdateGraph,
    UpdateRecruit,
)
from sync_core.domain.items import FieldValues, Link, RecruitRef
from sync_core.engine.failed_items import FailureBook, graph_refusal_is_permanent, record_refusal_is_permanent
from sync_core.engine.linkstore import to_store
from sync_core.engine.scope import PassScope
from sync_core.engine.synclog import conflict_entry, failure_entry, note_entry, title_of, unlink_entry
from sync_core.graph import items as graph_items
from sync_core.graph.batch import BatchRequest, BatchResponse, run_batch
from sync_core.graph.errors import ContainerGone
from sync_core.graph.paths import collection_path, item_path
from sync_core.recruit.errors import RecordResult
from sync_core.store.links import Link as StoredLink
from sync_core.store.synclog import LogEntry

log = logging.getLogger(__name__)

_DELETED = frozenset({"INVALID_DATA", "RECORD_NOT_FOUND", "NOT_FOUND"})


@dataclass
class ApplyOutcome:
    """What a pass did; `failed_*` name pairs left for a later pass (cursors must not pass them);
    `refused_recruit_keys` pairs refused for good (not retried, but their other half must not be written
    either); `book` the failed items to store."""

    counts: Counter[str] = field(default_factory=Counter)
    failed_recruit_keys: set[str] = field(default_factory=set)
    failed_graph_ids: set[str] = field(default_factory=set)
    refused_recruit_keys: set[str] = field(default_factory=set)
    entries: list[LogEntry] = field(default_factory=list)
    book: FailureBook = field(default_factory=lambda: FailureBook({}, datetime.now(UTC)))

    def fail(
        self,
        scope: PassScope,
        recruit_key: str | None,
        graph_id: str | None,
        title: str,
        why: str,
        fields: FieldValues | None = None,
        permanent: bool = False,
    ) -> None:
        """An item not written: retried later unless `permanent`; logged when it is news (`FailureBook`)."""
        self.counts["failed"] += 1
        if permanent:
            if recruit_key:
                self.refused_recruit_keys.add(recruit_key)
        else:
            if recruit_key:
                self.failed_recruit_keys.add(recruit_key)
            if graph_id:
                self.failed_graph_ids.add(graph_id)
        if self.book.fail(recruit_key, graph_id, title, why, fields, permanent):
            self.entries.append(failure_entry(scope, title, why, permanent))

    def skip_refused(self, recruit_key: str | None, graph_id: str | None, fields: FieldValues | None) -> bool:
        """True (and nothing is sent) when an earlier pass had this very content refused for good."""
        if not self.book.refused_before(recruit_key, graph_id, fields):
            return False
        if recruit_key:
            self.refused_recruit_keys.add(recruit_key)
        return True

    def wrote(self, recruit_key: str | None, graph_id: str | None) -> None:
        self.book.wrote(recruit_key, graph_id)

    @property
    def wants_retry(self) -> bool:
        """Whether something failed that a later pass may write (not only refusals for good)."""
        return bool(self.failed_recruit_keys or self.failed_graph_ids)

    def note(self, scope: PassScope, title: str, notes: Sequence[str]) -> None:
        """What a kind changed or left out while writing an item (e.g. a company with no client)."""
        if notes:
            self.entries.append(note_entry(scope, title, notes))


# A test-only seam: called before each stage with the stage's name; raising simulates a crash there.
def _no_fault(stage: str) -> None:
    return None


fault_hook = _no_fault


async def apply(scope: PassScope, actions: Sequence[Action]) -> ApplyOutcome:
    """Run the actions in `Stages` order; links are stored after each stage, so a crash between stages
    resumes cleanly."""
    outcome = ApplyOutcome(book=FailureBook(scope.state.failed_items, scope.ctx.clock()))
    writer = _LinkWriter(scope)
    stages = Stages.of(actions)
    if stages.recruit_creates:
        # Intent rows let a crash after the Recruit insert adopt the new record instead of inserting twice.
        for intent in stages.recruit_creates:
            writer.add(intent.intent_link, intent.fields)
        await writer.flush()
    fault_hook("recruit")
    await _recruit_creates(scope, stages.recruit_creates, writer, outcome)
    # An update of both sides stores its link with the Graph half; the Recruit half completes write groups
    # from that same agreed snapshot.
    agreed = {
        a.link_after.recruit_key: a.link_after.snapshot
        for a in stages.graph_writes
        if isinstance(a, UpdateGraph) and a.link_after is not None and a.link_after.recruit_key
    }
    await _recruit_updates(scope, stages.recruit_updates, agreed, writer, outcome)
    await _recruit_deletes(scope, stages.recruit_deletes, writer, outcome)
    await writer.flush()
    fault_hook("graph")
    await _graph_writes(scope, stages.graph_writes, writer, outcome)
    await writer.flush()
    fault_hook("links")
    for action in stages.link_only:
        if isinstance(action, StoreLink):
            writer.add(action.link, action.link.snapshot)
        elif isinstance(action, DropLink):
            writer.add(action.tombstone, action.link.snapshot)
        elif isinstance(action, Unlink):
            writer.add(action.tombstone, action.link.snapshot)
            outcome.counts["unlinked"] += 1
            outcome.entries.append(_unlink_entry(scope, action))
        elif isinstance(action, ConflictSettled):
            outcome.counts["conflicts"] += 1
            outcome.entries.append(conflict_entry(scope, action.subject, action.reason))
    await writer.flush()
    return outcome


def _unlink_entry(scope: PassScope, action: Unlink) -> LogEntry:
    module = action.link.recruit.module if action.link.recruit else "Record"
    singular = module[:-1] if module.endswith("s") else module
    return unlink_entry(
        scope,
        title_of(scope, action.link.snapshot),
        f"{singular} deleted in Outlook: unlinked, kept in Recruit",
    )


class _LinkWriter:
    """Collects link writes and stores them in as few transactions as rows allow (a row once per batch)."""

    def __init__(self, scope: PassScope) -> None:
        self.scope = scope
        self.pending: list[StoredLink] = []

    def add(self, link: Link, fields: FieldValues | None = None) -> None:
        title = title_of(self.scope, fields)
        self.pending.append(to_store(link, self.scope.key, self.scope.kind.name, title))

    async def flush(self) -> None:
        if not self.pending:
            return
        # After a teardown no link may be written: it would outlive the sync it belongs to.
        await self.scope.keep_lease()
        groups: list[list[StoredLink]] = []
        rows: set[str] = set()
        for link in self.pending:
            keys = set(link.row_keys())
            if not groups or rows & keys:
                groups.append([])
                rows = set()
            groups[-1].append(link)
            rows |= keys
        self.pending = []
        for group in groups:
            await self.scope.ctx.links.save_many(group)


_A = TypeVar("_A", CreateInRecruit, UpdateRecruit, DeleteInRecruit)


def _by_module(actions: Sequence[_A], module_of: Callable[[_A], str]) -> dict[str, list[_A]]:
    grouped: dict[str, list[_A]] = {}
    for action in actions:
        grouped.setdefault(module_of(action), []).append(action)
    return grouped


def _why(result: RecordResult) -> str:
    field_name = result.details.get("api_name")
    where = f" ({field_name})" if isinstance(field_name, str) and field_name else ""
    return f"Recruit refused it: {result.code} {result.message}{where}".strip()


async def _recruit_creates(
    scope: PassScope, actions: Sequence[CreateInRecruit], writer: _LinkWriter, outcome: ApplyOutcome
) -> None:
    for module, every in _by_module(actions, lambda a: a.module).items():
        group = [a for a in every if not outcome.skip_refused(None, a.graph_id, a.fields)]
        if not group:
            continue
        prepared = [await _prepare(scope, module, a.fields) for a in group]
        results = await scope.recruit.insert(module, [payload for payload, _ in prepared])
        for action, result, (_, notes) in zip(group, results, prepared, strict=True):
            title = title_of(scope, action.fields)
            if result.ok and result.id:
                writer.add(action.link_after.with_recruit(RecruitRef(module, result.id)), action.fields)
                outcome.counts["recruit_created"] += 1
                outcome.note(scope, title, notes)
                outcome.wrote(None, action.graph_id)
            else:
                permanent = record_refusal_is_permanent(result.code)
                outcome.fail(scope, None, action.graph_id, title, _why(result), action.fields, permanent)


async def _prepare(scope: PassScope, module: str, fields: FieldValues) -> tuple[dict[str, Any], list[str]]:
    return await scope.kind.prepare_recruit(module, fields, scope.kind_ctx, scope.recruit)


async def _recruit_updates(
    scope: PassScope,
    actions: Sequence[UpdateRecruit],
    agreed: Mapping[str, FieldValues],
    writer: _LinkWriter,
    outcome: ApplyOutcome,
) -> None:
    for module, every in _by_module(actions, lambda a: a.ref.module).items():
        group = [a for a in every if not outcome.skip_refused(a.ref.key, None, a.fields)]
        if not group:
            continue
        prepared = []
        for a in group:
            snapshot = a.link_after.snapshot if a.link_after else agreed.get(a.ref.key)
            prepared.append(await _prepare(scope, module, _with_groups(scope, a.fields, snapshot)))
        payloads = [{**payload, "id": a.ref.id} for a, (payload, _) in zip(group, prepared, strict=True)]
        results = await scope.recruit.update(module, payloads)
        for action, result, (_, notes) in zip(group, results, prepared, strict=True):
            link = action.link_after
            title = title_of(scope, link.snapshot if link else agreed.get(action.ref.key, action.fields))
            graph_id = link.graph_id if link else None
            if result.ok:
                outcome.counts["recruit_updated"] += 1
                outcome.note(scope, title, notes)
                outcome.wrote(action.ref.key, graph_id)
                if link is not None:
                    writer.add(link, link.snapshot)
            else:
                permanent = record_refusal_is_permanent(result.code)
                outcome.fail(scope, action.ref.key, graph_id, title, _why(result), action.fields, permanent)


async def _recruit_deletes(
    scope: PassScope, actions: Sequence[DeleteInRecruit], writer: _LinkWriter, outcome: ApplyOutcome
) -> None:
    for module, every in _by_module(actions, lambda a: a.ref.module).items():
        group = [a for a in every if not outcome.skip_refused(a.ref.key, None, None)]
        if not group:
            continue
        results = await scope.recruit.delete(module, [a.ref.id for a in group])
        for action, result in zip(group, results, strict=True):
            graph_id = action.drop_link.graph_id
            if result.ok or result.code.upper() in _DELETED:  # already gone counts as done
                outcome.counts["recruit_deleted"] += 1
                outcome.wrote(action.ref.key, graph_id)
                writer.add(action.tombstone, action.drop_link.snapshot)
            else:
                title = title_of(scope, action.drop_link.snapshot)
                permanent = record_refusal_is_permanent(result.code)
                outcome.fail(scope, action.ref.key, graph_id, title, _why(result), None, permanent)


def _with_groups(scope: PassScope, fields: FieldValues, agreed: FieldValues | None) -> dict[str, Any]:
    """The patch completed to whole write groups (fields a kind writes together, e.g. start and end) from
    the agreed values: the kind's `write_fields` contract."""
    patch = dict(fields)
    if agreed is not None:
        for name in scope.kind.write_fields(patch) - patch.keys():
            if name in agreed:
                patch[name] = agreed[name]
    return patch


async def _graph_writes(
    scope: PassScope, actions: Sequence[GraphWrite], writer: _LinkWriter, outcome: ApplyOutcome
) -> None:
    kind, ctx, mailbox = scope.kind, scope.kind_ctx, scope.mailbox
    current = await _current_items(scope, [a for a in actions if isinstance(a, UpdateGraph)], outcome)
    planned: list[tuple[GraphWrite, BatchRequest]] = []
    for action in actions:
        if outcome.skip_refused(*_graph_subject(action)):
            continue
        if isinstance(action, CreateInGraph):
            body = graph_items.create_body(
                scope.graph,
                kind.graph_item_kind,
                kind.to_graph(action.fields, ctx),
                action.ref.key,
                action.transaction_id,
            )
            url = collection_path(mailbox, kind.graph_item_kind, scope.container_id)
            planned.append((action, BatchRequest("POST", url, body)))
        elif isinstance(action, UpdateGraph):
            pair = action.link_after.recruit_key if action.link_after else None
            if pair is not None and (
                pair in outcome.failed_recruit_keys or pair in outcome.refused_recruit_keys
            ):
                continue  # its Recruit half failed: storing the merged link now would lose that edit
            if kind.update_reads and action.graph_id not in current:
                continue  # could not be read: a write without it would drop what only Outlook holds
            snapshot = action.link_after.snapshot if action.link_after else None
            fields = _with_groups(scope, action.fields, snapshot)
            body = kind.to_graph_update(fields, ctx, current.get(action.graph_id))
            url = item_path(mailbox, kind.graph_item_kind, action.graph_id)
            planned.append((action, BatchRequest("PATCH", url, body)))
        else:
            url = item_path(mailbox, kind.graph_item_kind, action.graph_id)
            planned.append((action, BatchRequest("DELETE", url)))
    if not planned:
        return
    answers = await run_batch(scope.graph, mailbox, [request for _, request in planned])
    for (action, _), answer in zip(planned, answers, strict=True):
        await _graph_result(scope, action, answer, writer, outcome)


async def _current_items(
    scope: PassScope, updates: Sequence[UpdateGraph], outcome: ApplyOutcome
) -> dict[str, Mapping[str, Any] | None]:
    """The items to update as they are now, for a kind that merges into them (`update_reads`); None for one
    already gone (its PATCH then fails as for any deleted item). One that cannot be read fails for now."""
    select = scope.kind.update_reads
    if not select or not updates:
        return {}
    query = "?$select=" + ",".join(select)
    requests = [
        BatchRequest("GET", item_path(scope.mailbox, scope.kind.graph_item_kind, a.graph_id) + query)
        for a in updates
    ]
    answers = await run_batch(scope.graph, scope.mailbox, requests)
    current: dict[str, Mapping[str, Any] | None] = {}
    for action, answer in zip(updates, answers, strict=True):
        if answer.ok and isinstance(answer.body, dict):
            current[action.graph_id] = answer.body
        elif answer.status == 404:
            current[action.graph_id] = None
        else:
            link = action.link_after
            title = title_of(scope, link.snapshot if link else action.fields)
            why = f"could not read it from Outlook before writing: {_graph_why(answer)}"
            outcome.fail(scope, link.recruit_key if link else None, action.graph_id, title, why)
    return current


def _graph_subject(action: GraphWrite) -> tuple[str | None, str | None, FieldValues | None]:
    """The item a Graph write is about (Recruit key, Outlook id) and the content it carries."""
    if isinstance(action, CreateInGraph):
        return action.ref.key, None, action.fields
    if isinstance(action, UpdateGraph):
        return (action.link_after.recruit_key if action.link_after else None), action.graph_id, action.fields
    return action.tombstone.recruit_key, action.graph_id, None


async def _graph_result(
    scope: PassScope, action: GraphWrite, answer: BatchResponse, writer: _LinkWriter, outcome: ApplyOutcome
) -> None:
    recruit_key, graph_id, fields = _graph_subject(action)
    if isinstance(action, CreateInGraph):
        if answer.ok and isinstance(answer.body, dict) and answer.body.get("id"):
            writer.add(action.link_after.with_graph_id(str(answer.body["id"])), action.fields)
            if action.tombstone is not None:
                writer.add(action.tombstone)
            outcome.counts["graph_created"] += 1
            outcome.wrote(recruit_key, None)
            return
        if answer.status == 404 and not await scope.kind.container_exists(
            scope.graph, scope.mailbox, scope.container_id
        ):
            raise ContainerGone(404, "ErrorItemNotFound", "the dedicated container is gone")
        title = title_of(scope, action.fields)
    elif isinstance(action, UpdateGraph):
        link = action.link_after
        if answer.ok:
            outcome.counts["graph_updated"] += 1
            outcome.wrote(recruit_key, graph_id)
            if link is not None:
                writer.add(link, link.snapshot)
            return
        title = title_of(scope, link.snapshot if link else action.fields)
    else:
        snapshot = action.drop_link.snapshot if action.drop_link else {}
        if answer.ok or answer.status == 404:  # already gone counts as done
            outcome.counts["graph_deleted"] += 1
            outcome.wrote(recruit_key, graph_id)
            writer.add(action.tombstone, snapshot)
            return
        title = title_of(scope, snapshot)
    permanent = graph_refusal_is_permanent(answer.status)
    outcome.fail(scope, recruit_key, graph_id, title, _graph_why(answer), fields, permanent)


def _graph_why(answer: BatchResponse) -> str:
    error = answer.error()
    return f"Outlook refused it: {error.status} {error.code}".strip()
