"""Executing the planner's actions: Recruit writes in bulk (here), Graph writes in `$batch`
(`graph_writes.py`), links stored after each stage. A failed item is logged once and kept as failed
(`failed_items.py`: retried later, or not until it changes when it was refused for good); it never blocks
the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from sync_core.domain.actions import (
    Action,
    ConflictSettled,
    CreateInRecruit,
    DeleteInRecruit,
    DropLink,
    Stages,
    StoreLink,
    Unlink,
    UpdateGraph,
    UpdateRecruit,
)
from sync_core.domain.items import FieldValues, RecruitRef
from sync_core.engine.sync_pass.failed_items import FailureBook, record_refusal_is_permanent
from sync_core.engine.sync_pass.graph_writes import graph_writes
from sync_core.engine.sync_pass.scope import PassScope
from sync_core.engine.sync_pass.synclog import conflict_entry, title_of, unlink_entry
from sync_core.engine.sync_pass.write_outcome import ApplyOutcome, LinkWriter, with_groups
from sync_core.recruit.errors import RecordResult
from sync_core.store.synclog import LogEntry

_DELETED = frozenset({"INVALID_DATA", "RECORD_NOT_FOUND", "NOT_FOUND"})


# A test-only seam: called before each stage with the stage's name; raising simulates a crash there.
def _no_fault(stage: str) -> None:
    return None


fault_hook = _no_fault


async def apply(scope: PassScope, actions: Sequence[Action]) -> ApplyOutcome:
    """Run the actions in `Stages` order; links are stored after each stage, so a crash between stages
    resumes cleanly."""
    outcome = ApplyOutcome(book=FailureBook(scope.state.failed_items, scope.ctx.clock()))
    writer = LinkWriter(scope)
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
    await graph_writes(scope, stages.graph_writes, writer, outcome)
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
    scope: PassScope, actions: Sequence[CreateInRecruit], writer: LinkWriter, outcome: ApplyOutcome
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
    writer: LinkWriter,
    outcome: ApplyOutcome,
) -> None:
    for module, every in _by_module(actions, lambda a: a.ref.module).items():
        group = [a for a in every if not outcome.skip_refused(a.ref.key, None, a.fields)]
        if not group:
            continue
        prepared = []
        for a in group:
            snapshot = a.link_after.snapshot if a.link_after else agreed.get(a.ref.key)
            prepared.append(await _prepare(scope, module, with_groups(scope, a.fields, snapshot)))
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
    scope: PassScope, actions: Sequence[DeleteInRecruit], writer: LinkWriter, outcome: ApplyOutcome
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
