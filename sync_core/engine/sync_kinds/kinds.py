"""The small interface behind which each kind of sync (calendar, contacts) keeps what is specific to it.

The engine (enable, initial sync, reconcile, renewals, teardown) is written once against `SyncKind`; a kind
supplies its modules, container calls, delta and its window, conversions between API payloads and canonical
fields, its SyncPolicy, its initial-sync cap and what the user is told when its container is deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar, Literal, Protocol

from sync_core.config import Settings
from sync_core.domain.items import FieldValues, GraphChange, RecruitChange
from sync_core.domain.policy import SyncPolicy
from sync_core.graph.client import GraphClient
from sync_core.graph.containers import Removal
from sync_core.graph.delta import DeltaRound
from sync_core.graph.paths import ItemKind
from sync_core.recruit.client import RecruitClient

KindName = Literal["calendar", "contacts"]
# A delta window is fixed per round; a fresh round starts once the wanted window has slid this far.
WINDOW_SLIDE = timedelta(days=30)
Window = tuple[datetime, datetime]


@dataclass(frozen=True)
class KindContext:
    """What conversions need to know about the connection they convert for."""

    settings: Settings
    recruit_user_id: str
    recruit_user_name: str
    time_zone: str  # the Recruit user's IANA zone: Recruit date-times are written in it
    owner_fields: Mapping[str, str] = field(default_factory=dict)  # module -> api_name of its ownerlookup
    mapping: Sequence[Mapping[str, str]] | None = None  # contacts: the user's field mapping
    # module -> its field metadata (api_name, data_type, length, ...)
    recruit_fields: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)


class SyncKind(Protocol):
    name: KindName
    graph_item_kind: ItemKind
    recruit_modules: tuple[str, ...]  # every module that syncs, e.g. ("Events", "Interviews")
    watch_events: tuple[str, ...]  # Recruit watch channel events, e.g. ("Events.all", "Interviews.all")
    container_deleted_message: str  # what the Manage page says when the user deleted the container
    container_noun: str  # what the user calls the container in a sentence, e.g. "contact folder"
    update_reads: ClassVar[
        tuple[str, ...]
    ]  # item properties an update reads first to merge into (empty: none)

    def container_name(self, settings: Settings) -> str: ...

    def initial_cap(self) -> int:
        """At most this many items are copied by an initial sync."""
        ...

    def policy(self, ctx: KindContext) -> SyncPolicy: ...

    async def find_or_create_container(self, graph: GraphClient, mailbox: str, name: str) -> str: ...

    async def container_exists(self, graph: GraphClient, mailbox: str, container_id: str) -> bool: ...

    async def delete_container(self, graph: GraphClient, mailbox: str, container_id: str) -> Removal: ...

    def subscription_resource(self, mailbox: str, container_id: str) -> str: ...

    def delta_window(self, now: datetime) -> Window | None:
        """The span a fresh delta round lists as of `now`; None when a round lists the whole container."""
        ...

    async def delta(
        self, graph: GraphClient, mailbox: str, container_id: str, delta_link: str | None, now: datetime
    ) -> DeltaRound:
        """Every change since `delta_link` (None: a fresh round of everything, e.g. after a 410)."""
        ...

    def listed_ids(self, item: Mapping[str, Any]) -> tuple[str, ...]:
        """The Graph ids a delta item shows to exist (a calendar occurrence also shows its series)."""
        ...

    def syncs_through(self, item: Mapping[str, Any]) -> str | None:
        """The Graph id of the item that syncs in this delta item's stead (a calendar occurrence or exception:
        its series master, read once per pass however many members a round lists); None: it syncs itself."""
        ...

    def listed_through_members(self, snapshot: Mapping[str, Any]) -> bool:
        """Whether delta lists the linked item whose agreed values are `snapshot` only through members (a
        calendar series): a removal no link names may then be its deletion, which a GET decides."""
        ...

    def expected_in_round(self, snapshot: Mapping[str, Any], window: Window | None) -> bool:
        """Whether a fresh round over `window` must list the linked item whose agreed values are `snapshot`
        (when it did not, a GET decides whether it was deleted)."""
        ...

    def recruit_change(self, module: str, record: Mapping[str, Any], ctx: KindContext) -> RecruitChange:
        """A Recruit record as the planner sees it; `in_scope` False when the user does not own it."""
        ...

    def graph_change(self, item: Mapping[str, Any], tag: str | None, ctx: KindContext) -> GraphChange | None:
        """A Graph item (full, or `@removed`) as the planner sees it; None for items that never sync
        (e.g. occurrences of a series, which follow their master)."""
        ...

    def to_recruit(self, module: str, fields: FieldValues, ctx: KindContext) -> dict[str, Any]:
        """The Recruit record payload holding `fields` (only those given: updates send changed fields), as far
        as it needs no lookup in Recruit."""
        ...

    async def prepare_recruit(
        self, module: str, fields: FieldValues, ctx: KindContext, recruit: RecruitClient
    ) -> tuple[dict[str, Any], list[str]]:
        """What apply sends: the `to_recruit` payload with lookups resolved through `recruit` (e.g. a company
        name to its client's id), and notes for the sync log on what was changed or left out."""
        ...

    def write_fields(self, changed: Iterable[str]) -> set[str]:
        """`changed` completed with every field written together with one of them (e.g. start and end):
        a patch touching a group carries the whole group, the rest from the agreed snapshot."""
        ...

    def to_graph(self, fields: FieldValues, ctx: KindContext) -> dict[str, Any]:
        """The Graph item body holding `fields` (only those given); never attendees."""
        ...

    def to_graph_update(
        self, fields: FieldValues, ctx: KindContext, current: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        """The PATCH body for `fields`, merged into the item as it is now (`update_reads`; None: not read)."""
        ...

    def initial_selection(
        self, records: Sequence[tuple[str, Mapping[str, Any]]], now: datetime, cap: int
    ) -> list[tuple[str, Mapping[str, Any]]]:
        """The (module, record) pairs an initial sync copies, in the order it copies them, at most `cap`."""
        ...

    def left_out_reason(self, module: str, record: Mapping[str, Any], now: datetime) -> str:
        """Why `initial_selection` left an eligible record out, as a preview counts it (e.g. `over_cap`)."""
        ...

    def title(self, fields: FieldValues) -> str:
        """What the sync log calls an item."""
        ...


def window_slid(kind: SyncKind, window_start: datetime | None, now: datetime) -> bool:
    """Whether the kind's delta window, fixed at `window_start` by the last fresh round, has slid far enough
    (WINDOW_SLIDE) that a fresh round should move it; never for a kind without a window."""
    wanted = kind.delta_window(now)
    if wanted is None or window_start is None:
        return False
    return window_start <= wanted[0] - WINDOW_SLIDE
