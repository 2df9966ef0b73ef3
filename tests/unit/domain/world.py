"""A simulated pair of stores (Recruit records, Outlook items) plus the links table, for planner tests.

Users edit either side; `sync()` plans from the change feeds and applies the actions, as the engine would.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sync_core.domain.actions import (
    WRITES,
    Action,
    ConflictSettled,
    CreateInGraph,
    CreateInRecruit,
    DeleteInGraph,
    DeleteInRecruit,
    DropLink,
    GraphWrite,
    Skip,
    Stages,
    StoreLink,
    Unlink,
    UpdateGraph,
    UpdateRecruit,
)
from sync_core.domain.canonical import canonical_fields
from sync_core.domain.items import (
    FieldValues,
    GraphChange,
    JsonValue,
    Link,
    LinkIndex,
    RecruitChange,
    RecruitRef,
)
from sync_core.domain.planner import plan
from sync_core.domain.policy import FieldRule, SyncPolicy

T = TypeVar("T")
START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

CALENDAR_POLICY = SyncPolicy(
    fields=(
        FieldRule("subject"),
        FieldRule("start"),
        FieldRule("location"),
        FieldRule("reminder", modules=frozenset({"Events"})),
        FieldRule("participants", direction="to_graph"),
        FieldRule("online_link", direction="to_recruit"),
    ),
    create_module="Events",
    never_delete_modules=frozenset({"Interviews"}),
)


@dataclass
class RecruitRecord:
    module: str
    fields: dict[str, JsonValue]
    modified: datetime
    in_scope: bool = True


@dataclass
class OutlookItem:
    fields: dict[str, JsonValue]
    modified: datetime
    tag: str | None = None
    transaction_id: str | None = None


class Crash(Exception):
    """Raised by apply when the simulated process dies at a chosen step."""


@dataclass
class World:
    policy: SyncPolicy = CALENDAR_POLICY
    recruit: dict[str, RecruitRecord] = field(default_factory=dict)
    outlook: dict[str, OutlookItem] = field(default_factory=dict)
    recruit_rows: dict[str, Link] = field(default_factory=dict)
    graph_rows: dict[str, Link] = field(default_factory=dict)
    recruit_feed: list[RecruitChange] = field(default_factory=list)
    graph_feed: list[GraphChange] = field(default_factory=list)
    unlinked: set[str] = field(default_factory=set)
    ticks: int = 0
    serial: int = 0
    steps_left: int | None = None

    # --- clock and ids -------------------------------------------------------------------------------------

    def now(self) -> datetime:
        self.ticks += 1
        return START + timedelta(seconds=self.ticks)

    def new_id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial}"

    # --- what users do ------------------------------------------------------------------------------------

    def recruit_user_creates(self, module: str, fields: FieldValues) -> str:
        ref = RecruitRef(module, self.new_id("r"))
        self.recruit[ref.key] = RecruitRecord(module, self._recruit_view(module, fields), self.now())
        self._recruit_changed(ref.key)
        return ref.key

    def recruit_user_edits(self, key: str, fields: FieldValues, same_time: bool = False) -> None:
        """`same_time`: stamped as the record's last change was (Recruit's times are whole seconds)."""
        record = self.recruit[key]
        record.fields.update(self._recruit_view(record.module, fields))
        record.modified = record.modified if same_time else self.now()
        self._recruit_changed(key)

    def recruit_user_deletes(self, key: str) -> None:
        del self.recruit[key]
        self._recruit_changed(key)

    def recruit_record_leaves_scope(self, key: str) -> None:
        record = self.recruit[key]
        record.in_scope = False
        record.modified = self.now()
        self._recruit_changed(key)

    def recruit_record_returns_to_scope(self, key: str) -> None:
        record = self.recruit[key]
        record.in_scope = True
        record.modified = self.now()
        self._recruit_changed(key)

    def outlook_user_creates(self, fields: FieldValues) -> str:
        graph_id = self.new_id("g")
        self.outlook[graph_id] = OutlookItem(dict(fields), self.now())
        self._graph_changed(graph_id)
        return graph_id

    def outlook_user_edits(self, graph_id: str, fields: FieldValues, same_time: bool = False) -> None:
        """`same_time`: stamped as the item's last change was (contact times are whole seconds)."""
        item = self.outlook[graph_id]
        item.fields.update(fields)
        item.modified = item.modified if same_time else self.now()
        self._graph_changed(graph_id)

    def outlook_user_deletes(self, graph_id: str) -> None:
        del self.outlook[graph_id]
        self._graph_changed(graph_id)

    def _recruit_view(self, module: str, fields: FieldValues) -> dict[str, JsonValue]:
        # A module stores only the fields it has (Interviews have no reminder).
        names = set(self.policy.names(module))
        return {name: value for name, value in fields.items() if name in names}

    def _recruit_changed(self, key: str) -> None:
        record = self.recruit.get(key)
        ref = RecruitRef.parse(key)
        if record is None:
            self.recruit_feed.append(RecruitChange(ref, None, self.now(), deleted=True))
        else:
            change = RecruitChange(ref, dict(record.fields), record.modified, in_scope=record.in_scope)
            self.recruit_feed.append(change)

    def _graph_changed(self, graph_id: str) -> None:
        item = self.outlook.get(graph_id)
        if item is None:
            self.graph_feed.append(GraphChange(graph_id, None, self.now(), deleted=True))
        else:
            self.graph_feed.append(GraphChange(graph_id, dict(item.fields), item.modified, tag=item.tag))

    # --- the sync pass --------------------------------------------------------------------------------------

    def links(self) -> LinkIndex:
        return LinkIndex(dict(self.recruit_rows), dict(self.graph_rows))

    def plan(self) -> list[Action]:
        return plan(self.links(), self.recruit_feed, self.graph_feed, self.policy)

    def sync(self, crash_after_steps: int | None = None) -> list[Action]:
        """One pass: plan from the feeds, apply. After a crash the feeds are kept (cursors did not advance)
        plus the echoes of whatever was written, as delta and the Recruit sweep would deliver them."""
        recruit_inputs, graph_inputs = list(self.recruit_feed), list(self.graph_feed)
        actions = self.plan()
        self.recruit_feed, self.graph_feed = [], []
        self.steps_left = crash_after_steps
        try:
            self.apply(actions)
        except Crash:
            self.recruit_feed = recruit_inputs + self.recruit_feed
            self.graph_feed = graph_inputs + self.graph_feed
        finally:
            self.steps_left = None
        return actions

    def sync_until_quiet(self, max_passes: int = 4) -> list[list[Action]]:
        passes = []
        while self.recruit_feed or self.graph_feed:
            passes.append(self.sync())
            assert len(passes) <= max_passes, f"sync does not settle: {passes}"
        return passes

    def _step(self) -> None:
        if self.steps_left is not None:
            if self.steps_left == 0:
                raise Crash
            self.steps_left -= 1

    # --- apply in production's stage order, one step at a time so a crash can land between any two ---------

    def apply(self, actions: Sequence[Action]) -> None:
        """The plan run as `engine/sync_pass/apply.py` runs it (`Stages`): intents, Recruit writes, their
        links, Graph writes, their links, then link-only actions. Each write and each link stored is one
        step."""
        stages = Stages.of(actions)
        for create in stages.recruit_creates:
            self._step()
            self._store(create.intent_link)
        links: list[Callable[[], None]] = []
        for create in stages.recruit_creates:
            links.append(self._recruit_create(create))
        for update in stages.recruit_updates:
            links.append(self._recruit_update(update))
        for delete in stages.recruit_deletes:
            links.append(self._recruit_delete(delete))
        self._store_all(links)
        self._store_all([self._graph_write(write) for write in stages.graph_writes])
        self._store_all([self._link_only(action) for action in stages.link_only])

    def _store_all(self, links: list[Callable[[], None]]) -> None:
        for store in links:
            self._step()
            store()

    def _recruit_create(self, action: CreateInRecruit) -> Callable[[], None]:
        self._step()
        ref = RecruitRef(action.module, self.new_id("r"))
        fields = self._recruit_view(action.module, action.fields)
        self.recruit[ref.key] = RecruitRecord(action.module, fields, self.now())
        self._recruit_changed(ref.key)
        return lambda: self._store(action.link_after.with_recruit(ref))

    def _recruit_update(self, action: UpdateRecruit) -> Callable[[], None]:
        self._step()
        record = self.recruit[action.ref.key]
        record.fields.update(self._recruit_view(record.module, action.fields))
        record.modified = self.now()
        self._recruit_changed(action.ref.key)
        return lambda: self._store_optional(action.link_after)

    def _recruit_delete(self, action: DeleteInRecruit) -> Callable[[], None]:
        self._step()
        if self.recruit.pop(action.ref.key, None) is not None:
            self._recruit_changed(action.ref.key)
        return lambda: self._drop(action.drop_link, action.tombstone)

    def _graph_write(self, action: GraphWrite) -> Callable[[], None]:
        self._step()
        match action:
            case CreateInGraph():
                graph_id = self._graph_create(action)
                link = action.link_after.with_graph_id(graph_id)
                return lambda: self._store_all_of(link, action.tombstone)
            case UpdateGraph():
                item = self.outlook[action.graph_id]
                item.fields.update(action.fields)
                item.modified = self.now()
                self._graph_changed(action.graph_id)
                return lambda: self._store_optional(action.link_after)
            case DeleteInGraph():
                if self.outlook.pop(action.graph_id, None) is not None:
                    self._graph_changed(action.graph_id)
                return lambda: self._drop(action.drop_link, action.tombstone)

    def _link_only(
        self, action: StoreLink | DropLink | Unlink | Skip | ConflictSettled
    ) -> Callable[[], None]:
        match action:
            case StoreLink():
                return lambda: self._store(action.link)
            case DropLink():
                return lambda: self._drop(action.link, action.tombstone)
            case Unlink():
                return lambda: self._unlink(action)
            case Skip() | ConflictSettled():
                return lambda: None

    def _store_all_of(self, *links: Link | None) -> None:
        """Links stored in one transaction (as apply stores a create's link with its tombstone)."""
        for link in links:
            self._store_optional(link)

    def _unlink(self, action: Unlink) -> None:
        self._drop(action.link, action.tombstone)
        if action.link.recruit_key:
            self.unlinked.add(action.link.recruit_key)

    def _graph_create(self, action: CreateInGraph) -> str:
        # Graph answers a repeated transactionId with the event it already made.
        for graph_id, item in self.outlook.items():
            if item.transaction_id == action.transaction_id:
                return graph_id
        graph_id = self.new_id("g")
        self.outlook[graph_id] = OutlookItem(
            dict(action.fields), self.now(), action.ref.key, action.transaction_id
        )
        self._graph_changed(graph_id)
        return graph_id

    def _store_optional(self, link: Link | None) -> None:
        if link is not None:
            self._store(link)

    def _store(self, link: Link) -> None:
        if link.recruit is not None:
            self.recruit_rows[link.recruit.key] = link
            if link.state == "linked":
                self.unlinked.discard(link.recruit.key)
        if link.graph_id is not None:
            self.graph_rows[link.graph_id] = link

    def _drop(self, link: Link | None, tombstone: Link) -> None:
        if link is not None:
            if link.recruit is not None and self.recruit_rows.get(link.recruit.key) == link:
                del self.recruit_rows[link.recruit.key]
            if link.graph_id is not None and self.graph_rows.get(link.graph_id) == link:
                del self.graph_rows[link.graph_id]
        self._store(tombstone)

    # --- what the properties check --------------------------------------------------------------------------

    def disagreements(self) -> list[str]:
        """Every way the world differs from "in sync"; empty when it is."""
        problems: list[str] = []
        live_links = {key: link for key, link in self.recruit_rows.items() if link.state == "linked"}
        for key, link in live_links.items():
            record, item = self.recruit.get(key), self.outlook.get(link.graph_id or "")
            if record is None or item is None or not record.in_scope:
                problems.append(f"link {key} -> {link.graph_id} points at a missing item")
                continue
            if self.graph_rows.get(link.graph_id or "") != link:
                problems.append(f"link rows of {key} disagree")
            names = self.policy.names(record.module)
            if canonical_fields(record.fields, names) != canonical_fields(item.fields, names):
                problems.append(f"{key} and {link.graph_id} differ: {record.fields} vs {item.fields}")
        for key, record in self.recruit.items():
            if record.in_scope and key not in live_links and key not in self.unlinked:
                problems.append(f"Recruit {key} has no Outlook copy")
        linked_graph_ids = {link.graph_id for link in live_links.values()}
        for graph_id in self.outlook:
            if graph_id not in linked_graph_ids:
                problems.append(f"Outlook {graph_id} is not linked")
        tags = [item.tag for item in self.outlook.values() if item.tag is not None]
        if len(tags) != len(set(tags)):
            problems.append(f"two Outlook copies of one Recruit record: {sorted(tags)}")
        return problems


def writes(actions: list[Action]) -> list[Action]:
    return [action for action in actions if isinstance(action, WRITES)]


def shuffled_twice(items: list[T], seed: int) -> list[T]:
    doubled = items + items
    random.Random(seed).shuffle(doubled)
    return doubled
