"""The Graph stage of a pass: creates, updates and deletes in `$batch`, each answer stored as a link or kept
as a failed item. A kind that merges into what Outlook holds (`update_reads`) has its items read first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sync_core.domain.actions import CreateInGraph, GraphWrite, UpdateGraph
from sync_core.domain.items import FieldValues
from sync_core.engine.sync_pass.failed_items import graph_refusal_is_permanent
from sync_core.engine.sync_pass.scope import PassScope
from sync_core.engine.sync_pass.synclog import title_of
from sync_core.engine.sync_pass.write_outcome import ApplyOutcome, LinkWriter, with_groups
from sync_core.graph import items as graph_items
from sync_core.graph.batch import BatchRequest, BatchResponse, run_batch
from sync_core.graph.errors import ContainerGone
from sync_core.graph.paths import collection_path, item_path


async def graph_writes(
    scope: PassScope, actions: Sequence[GraphWrite], writer: LinkWriter, outcome: ApplyOutcome
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
            fields = with_groups(scope, action.fields, snapshot)
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
    scope: PassScope, action: GraphWrite, answer: BatchResponse, writer: LinkWriter, outcome: ApplyOutcome
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
