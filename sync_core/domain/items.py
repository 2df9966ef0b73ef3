"""Canonical items and links: the kind-agnostic values the planner reads.

An item is a flat map of canonical field name to a JSON-able value (datetimes allowed); links are the status.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Literal, TypeAlias

JsonValue: TypeAlias = (
    bool | int | float | str | datetime | date | list["JsonValue"] | dict[str, "JsonValue"] | None
)
# Treated as read-only everywhere: the planner never mutates a mapping it was given.
FieldValues: TypeAlias = Mapping[str, JsonValue]

LinkState = Literal["linked", "intent", "tombstone"]
# The Recruit stamp of a tombstone whose record was deleted: no update is ever newer.
FOREVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class RecruitRef:
    """One Recruit record: its module ("Events", "Interviews", "Contacts") and id."""

    module: str
    id: str

    @property
    def key(self) -> str:
        return f"{self.module}:{self.id}"

    @classmethod
    def parse(cls, key: str) -> RecruitRef:
        module, _, record_id = key.partition(":")
        if not module or not record_id:
            raise ValueError(f"not a Recruit key: {key!r}")
        return cls(module, record_id)


@dataclass(frozen=True)
class RecruitChange:
    """The current state of one Recruit record as the engine read it.

    `fields` holds every synced field (None when deleted, and for another owner's record: never read).
    `in_scope` False means the record still exists but must not be in Outlook (another owner now, or not
    eligible): the Outlook copy goes, Recruit is untouched.
    """

    ref: RecruitRef
    fields: FieldValues | None
    modified: datetime
    deleted: bool = False
    in_scope: bool = True

    @property
    def gone(self) -> bool:
        return self.deleted or not self.in_scope or self.fields is None


@dataclass(frozen=True)
class GraphChange:
    """The current state of one Graph item (or its `@removed` marker) as delta delivered it.

    `tag` is the Recruit key our extended property holds: None for items created in Outlook.
    """

    graph_id: str
    fields: FieldValues | None
    modified: datetime
    deleted: bool = False
    tag: str | None = None

    @property
    def gone(self) -> bool:
        return self.deleted or self.fields is None


@dataclass(frozen=True)
class Link:
    """What both sides last agreed on for one pair (the vdirsyncer "status").

    `snapshot` holds every synced field of the pair; `fingerprint` is the fingerprint of that snapshot.
    State `intent`: a Recruit create was planned for `graph_id` and may or may not have happened; `recruit`
    is None until the create's result is known. State `tombstone`: the pair is gone. Its Graph id never
    comes back, so any later change of it is ignored; its Recruit key (if held) stays dormant: a Recruit
    update newer than `recruit_modified` revives the record (a new Outlook copy), older ones are replays.
    A deleted record's tombstone holds FOREVER. The store may purge tombstones after a retention period
    longer than any replay (e.g. 30 days).

    `recruit_seen` / `graph_seen` fingerprint what each side held at `recruit_modified` / `graph_modified`
    ("" when unknown): a change stamped at that very time is a replay only if it holds the same (Recruit's
    times, and Outlook contacts', are whole seconds, so a second edit can share the first one's time).
    """

    recruit: RecruitRef | None
    graph_id: str | None
    fingerprint: str
    snapshot: FieldValues
    recruit_modified: datetime | None = None
    graph_modified: datetime | None = None
    state: LinkState = "linked"
    recruit_seen: str = ""
    graph_seen: str = ""

    @property
    def recruit_key(self) -> str | None:
        return self.recruit.key if self.recruit else None

    @classmethod
    def tombstone(
        cls, recruit: RecruitRef | None, graph_id: str | None, recruit_modified: datetime | None = None
    ) -> Link:
        """A marker for a pair that is gone: covers the Recruit key and/or the Graph id given."""
        return cls(recruit, graph_id, "", {}, recruit_modified, None, "tombstone")

    def with_graph_id(self, graph_id: str) -> Link:
        return replace(self, graph_id=graph_id)

    def with_recruit(self, ref: RecruitRef) -> Link:
        return replace(self, recruit=ref, state="linked")


@dataclass(frozen=True)
class LinkIndex:
    """The links of one (connection, kind), reachable by Recruit key and by Graph id."""

    by_recruit: Mapping[str, Link] = field(default_factory=dict)
    by_graph: Mapping[str, Link] = field(default_factory=dict)

    @classmethod
    def of(cls, links: Iterable[Link]) -> LinkIndex:
        by_recruit: dict[str, Link] = {}
        by_graph: dict[str, Link] = {}
        for link in links:
            if link.recruit is not None:
                by_recruit[link.recruit.key] = link
            if link.graph_id is not None:
                by_graph[link.graph_id] = link
        return cls(by_recruit, by_graph)


class UnreadableItem(ValueError):
    """An item one side returned that cannot be read faithfully (e.g. a time zone nobody knows): the pass
    logs it and goes on, rather than guess a value and write the guess to the other side."""
