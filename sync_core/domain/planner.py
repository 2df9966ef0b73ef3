"""The sync planner: links + changes from both sides -> actions. Pure; every sync decision lives here.

Echo suppression, 3-way merge, delete rules, crash-safe adoption (DESIGN.md "Echo suppression", "Conflicts").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TypeVar

from sync_core.domain.actions import (
    Action,
    ConflictSettled,
    CreateInGraph,
    CreateInRecruit,
    DeleteInGraph,
    DeleteInRecruit,
    DropLink,
    Skip,
    StoreLink,
    Unlink,
    UpdateGraph,
    UpdateRecruit,
    transaction_id,
)
from sync_core.domain.canonical import project, same_fields
from sync_core.domain.fingerprint import fingerprint
from sync_core.domain.items import (
    FOREVER,
    GraphChange,
    JsonValue,
    Link,
    LinkIndex,
    RecruitChange,
    RecruitRef,
)
from sync_core.domain.length_limits import widen_cut_values
from sync_core.domain.list_slots import aligned
from sync_core.domain.merge import merge3
from sync_core.domain.pair_values import (
    agreed,
    current,
    differing,
    echo,
    fresh,
    later,
    latest,
    overlay,
    read_against,
    stale,
    stamped,
    version,
)
from sync_core.domain.policy import SyncPolicy

_EPOCH = datetime.min.replace(tzinfo=UTC)
_C = TypeVar("_C", RecruitChange, GraphChange)


def plan(
    links: LinkIndex,
    recruit_changes: Sequence[RecruitChange],
    graph_changes: Sequence[GraphChange],
    policy: SyncPolicy,
) -> list[Action]:
    """Plan one pass for one (connection, kind).

    Inputs are current states (full synced fields), in any order, possibly duplicated or replayed: per id
    the newest wins and a deletion beats any update (ids never come back). An update no newer than the
    link's stamp for its side was already taken in and is ignored, so replays change nothing. Outputs are
    ordered so that applying them one by one, storing each `link_after`, is crash-safe.
    """
    recruit_latest = latest(recruit_changes, lambda change: change.ref.key)
    graph_latest = latest(graph_changes, lambda change: change.graph_id)
    return _Planner(links, policy, recruit_latest, graph_latest).run()


@dataclass
class _Planner:
    links: LinkIndex
    policy: SyncPolicy
    recruit: dict[str, RecruitChange]
    graph: dict[str, GraphChange]
    actions: list[Action] = field(default_factory=list)
    used_recruit: set[str] = field(default_factory=set)
    claimed_graph: set[str] = field(default_factory=set)

    def run(self) -> list[Action]:
        self._plan_linked_pairs()
        self._plan_intents()
        self._plan_tagged_graph_items()
        self._plan_new_graph_items()
        self._plan_new_recruit_records()
        return self.actions

    # --- pairs that have a link ------------------------------------------------------------------------

    def _plan_linked_pairs(self) -> None:
        pairs: dict[str, Link] = {}
        for key in self.recruit:
            link = self.links.by_recruit.get(key)
            if link is not None and link.state == "linked":
                pairs[key] = link
        for graph_id in self.graph:
            link = self.links.by_graph.get(graph_id)
            if link is not None and link.state == "linked" and link.recruit is not None:
                pairs[link.recruit.key] = link
        for key in sorted(pairs):
            link = pairs[key]
            assert link.recruit is not None  # found by its Recruit key, or kept only with one
            self.used_recruit.add(key)
            names = self.policy.names(link.recruit.module)
            graph = self.graph.get(link.graph_id) if link.graph_id else None
            self._reconcile(
                link,
                fresh(self.recruit.get(key), link.recruit_modified, link.recruit_seen, names),
                fresh(graph, link.graph_modified, link.graph_seen, names),
                must_store=False,
            )

    def _reconcile(
        self, link: Link, recruit: RecruitChange | None, graph: GraphChange | None, must_store: bool
    ) -> None:
        assert link.recruit is not None and link.graph_id is not None
        ref, module = link.recruit, link.recruit.module
        names = self.policy.names(module)
        recruit_names, graph_names = self.policy.recruit_editable(module), self.policy.graph_editable(module)
        snapshot = project(link.snapshot, names)
        groups = self.policy.list_groups
        as_read = (recruit, graph)  # what the link stamps: the versions as the sides will read them again
        recruit = read_against(recruit, snapshot, groups, self.policy.lengths_of(module))
        graph = read_against(graph, snapshot, groups)
        if recruit is not None and recruit.gone:
            # A Recruit deletion (or loss of scope) always removes the Outlook copy, edited or not.
            # Out of scope is not deleted: the record may come back in scope with a newer edit.
            dormant_until = recruit.modified if not recruit.in_scope and not recruit.deleted else FOREVER
            tombstone = Link.tombstone(ref, link.graph_id, dormant_until)
            if graph is not None and graph.gone:
                self.actions.append(DropLink(link, tombstone, "deleted on both sides"))
            else:
                reason = "deleted in Recruit" if recruit.deleted else "out of scope in Recruit"
                self.actions.append(DeleteInGraph(link.graph_id, link, tombstone, reason))
            return
        recruit_edited = recruit is not None and not echo(recruit.fields, snapshot, recruit_names)
        if graph is not None and graph.gone:
            if recruit is not None and recruit_edited:
                self._recreate_in_graph(link, recruit)
            elif module in self.policy.never_delete_modules:
                last_seen = later(link.recruit_modified, recruit.modified if recruit else None)
                tombstone = Link.tombstone(ref, link.graph_id, last_seen)
                reason = f"{module} record deleted in Outlook: kept in Recruit"
                self.actions.append(Unlink(link, tombstone, reason))
            else:
                tombstone = Link.tombstone(ref, link.graph_id, FOREVER)
                self.actions.append(DeleteInRecruit(ref, link, tombstone))
            return
        graph_edited = graph is not None and not echo(graph.fields, snapshot, graph_names)
        if not recruit_edited and not graph_edited:
            if must_store:
                self.actions.append(StoreLink(stamped(link, *as_read, names), "adopted"))
            return
        recruit_view = overlay(snapshot, recruit.fields if recruit else None, recruit_names)
        graph_view = overlay(snapshot, graph.fields if graph else None, graph_names)
        merged, conflicts = merge3(
            snapshot,
            recruit_view,
            graph_view,
            recruit.modified if recruit else _EPOCH,
            graph.modified if graph else _EPOCH,
            names,
        )
        if conflicts:
            self.actions.append(ConflictSettled(ref.key, tuple(conflicts)))
        recruit_now = current(snapshot, recruit.fields if recruit else None, names)
        graph_now = current(snapshot, graph.fields if graph else None, names)
        new_link = stamped(agreed(link, merged, names), *as_read, names)
        recruit_patch = differing(merged, recruit_now, self.policy.recruit_writable(module))
        graph_patch = differing(merged, graph_now, self.policy.graph_writable(module))
        self._emit_writes(
            ref, link.graph_id, recruit_patch, graph_patch, new_link, must_store or merged != snapshot
        )

    def _emit_writes(
        self,
        ref: RecruitRef,
        graph_id: str,
        recruit_patch: dict[str, JsonValue],
        graph_patch: dict[str, JsonValue],
        new_link: Link,
        link_changed: bool,
    ) -> None:
        # Only the last write stores the new link: if apply crashes in between, the replanned pass still sees
        # the old snapshot and merges the half-written state into the same result.
        if recruit_patch:
            self.actions.append(UpdateRecruit(ref, recruit_patch, None if graph_patch else new_link))
        if graph_patch:
            self.actions.append(UpdateGraph(graph_id, graph_patch, new_link))
        if not recruit_patch and not graph_patch and link_changed:
            self.actions.append(StoreLink(new_link, "both sides already agree"))

    def _recreate_in_graph(self, link: Link, recruit: RecruitChange) -> None:
        # Edit beats delete: the Outlook copy was deleted but Recruit changed since, so it comes back.
        assert link.recruit is not None and recruit.fields is not None
        tombstone = Link.tombstone(None, link.graph_id)
        recreated = self._unlinked_copies(link.recruit.key)
        if recreated:
            # A previous attempt made the new copy and crashed before storing its link: adopt it.
            self.claimed_graph.add(recreated[0].graph_id)
            self.actions.append(StoreLink(tombstone, "Outlook copy deleted, replaced by a new one"))
            self._adopt_tagged(recreated[0], recruit)
            return
        agreed, new_link = self._first_copy(recruit)
        transaction = transaction_id(link.recruit.key, link.graph_id)
        self.actions.append(CreateInGraph(link.recruit, agreed, new_link, transaction, tombstone))

    # --- crash-safe adoption of Recruit creates ---------------------------------------------------------

    def _plan_intents(self) -> None:
        module = self.policy.create_module
        names = self.policy.names(module)
        candidates = sorted(
            key
            for key, change in self.recruit.items()
            if key not in self.links.by_recruit and not change.gone and change.ref.module == module
        )
        intents = sorted(
            (link for link in self.links.by_graph.values() if link.state == "intent" and link.graph_id),
            key=lambda link: link.graph_id or "",
        )
        for intent in intents:
            assert intent.graph_id is not None
            graph = self.graph.get(intent.graph_id)
            match = next(
                (
                    key
                    for key in candidates
                    if key not in self.used_recruit
                    and same_fields(
                        widen_cut_values(
                            self.recruit[key].fields or {}, intent.snapshot, self.policy.lengths_of(module)
                        ),
                        intent.snapshot,
                        names,
                    )
                ),
                None,
            )
            if match is not None:
                # Our crashed create did happen: link to that record instead of creating a second one.
                self.used_recruit.add(match)
                adopted = intent.with_recruit(self.recruit[match].ref)
                self._reconcile(adopted, self.recruit[match], graph, must_store=True)
            elif graph is not None and graph.gone:
                tombstone = Link.tombstone(None, intent.graph_id)
                reason = "Outlook item deleted before its Recruit create"
                self.actions.append(DropLink(intent, tombstone, reason))
            elif graph is not None:
                self._create_in_recruit(graph)

    # --- Graph items without a link ---------------------------------------------------------------------

    def _unlinked_copies(self, recruit_key: str) -> list[GraphChange]:
        """Live Outlook items tagged with `recruit_key` that no link names, in id order."""
        return [
            self.graph[graph_id]
            for graph_id in sorted(self.graph)
            if self.graph[graph_id].tag == recruit_key
            and not self.graph[graph_id].gone
            and graph_id not in self.links.by_graph
            and graph_id not in self.claimed_graph
        ]

    def _plan_tagged_graph_items(self) -> None:
        adopted: set[str] = set()
        for graph_id in sorted(self.graph):
            graph = self.graph[graph_id]
            if graph_id in self.links.by_graph or graph.gone or graph.tag is None:
                continue
            if graph_id in self.claimed_graph:
                continue
            tag = graph.tag
            owner = self.links.by_recruit.get(tag)
            tombstone = Link.tombstone(None, graph_id)
            if (owner is not None and owner.state == "linked") or tag in adopted:
                reason = f"second Outlook copy of {tag}"
                self.actions.append(DeleteInGraph(graph_id, None, tombstone, reason))
                continue
            recruit = self._unlinked_recruit(tag)
            if owner is not None and (recruit is None or recruit.gone):
                self.used_recruit.add(tag)
                reason = f"copy of removed or dormant Recruit record {tag}"
                self.actions.append(DeleteInGraph(graph_id, None, tombstone, reason))
            elif recruit is None:
                self.actions.append(Skip(graph_id, f"tagged {tag} but its Recruit record was not supplied"))
            elif recruit.gone:
                self.used_recruit.add(tag)
                reason = f"copy of removed Recruit record {tag}"
                self.actions.append(DeleteInGraph(graph_id, None, tombstone, reason))
            else:
                self.used_recruit.add(tag)
                adopted.add(tag)
                self._adopt_tagged(graph, recruit)

    def _adopt_tagged(self, graph: GraphChange, recruit: RecruitChange) -> None:
        # We created this copy and crashed before storing the link. Recruit is the source of that copy, so it
        # wins on every field; anything Outlook differs on is overwritten.
        assert graph.fields is not None
        agreed, first = self._first_copy(recruit)
        names = self.policy.names(recruit.ref.module)
        link = replace(
            first, graph_id=graph.graph_id, graph_modified=graph.modified, graph_seen=version(graph, names)
        )
        patch = differing(agreed, aligned(graph.fields, agreed, self.policy.list_groups), names)
        if patch:
            self.actions.append(UpdateGraph(graph.graph_id, patch, link))
        else:
            self.actions.append(StoreLink(link, "adopted Outlook copy by its tag"))

    def _plan_new_graph_items(self) -> None:
        for graph_id in sorted(self.graph):
            graph = self.graph[graph_id]
            if graph_id not in self.links.by_graph and graph.tag is None and not graph.gone:
                self._create_in_recruit(graph)

    def _create_in_recruit(self, graph: GraphChange) -> None:
        assert graph.fields is not None
        module = self.policy.create_module
        names = self.policy.names(module)
        fields = project(graph.fields, names)
        intent = Link(
            None,
            graph.graph_id,
            fingerprint(fields, names),
            fields,
            None,
            graph.modified,
            "intent",
            graph_seen=version(graph, names),
        )
        self.actions.append(CreateInRecruit(graph.graph_id, module, fields, intent, intent))

    # --- Recruit records without a link -----------------------------------------------------------------

    def _unlinked_recruit(self, key: str) -> RecruitChange | None:
        """The change of a record without a live link: none, or one a tombstone has already seen."""
        recruit = self.recruit.get(key)
        owner = self.links.by_recruit.get(key)
        if recruit is None or owner is None:
            return recruit
        if owner.state == "tombstone" and not stale(recruit, owner.recruit_modified):
            return recruit
        return None

    def _plan_new_recruit_records(self) -> None:
        for key in sorted(self.recruit):
            recruit = self._unlinked_recruit(key)
            if recruit is None or key in self.used_recruit or recruit.gone:
                continue
            fields, link = self._first_copy(recruit)
            self.actions.append(CreateInGraph(recruit.ref, fields, link, transaction_id(key)))

    def _first_copy(self, recruit: RecruitChange) -> tuple[dict[str, JsonValue], Link]:
        """What a new Outlook copy of the record carries (every field Recruit holds, as any first copy does,
        one-way fields included) and its link before the copy exists."""
        assert recruit.fields is not None
        names = self.policy.names(recruit.ref.module)
        fields = project(recruit.fields, names)
        link = Link(
            recruit.ref,
            None,
            fingerprint(fields, names),
            fields,
            recruit.modified,
            None,
            recruit_seen=version(recruit, names),
        )
        return fields, link
