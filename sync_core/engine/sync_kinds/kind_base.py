"""What both kinds do alike: write groups, the Recruit change of a record, the `@removed` Graph change, the
container calls by item kind, and no delta window. A kind subclasses `KindBase` and fills in the rest."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from sync_core.config import Settings
from sync_core.domain.items import GraphChange, JsonValue, RecruitChange, RecruitRef
from sync_core.engine.sync_kinds.kinds import KindContext, KindName, Window
from sync_core.graph.client import GraphClient
from sync_core.graph.containers import Removal
from sync_core.graph.paths import ItemKind
from sync_core.recruit.event_codec import owner_id

EPOCH = datetime.min.replace(tzinfo=UTC)


def modified_at(value: Any) -> datetime:
    """A record's or item's modification time (`Modified_Time`, `lastModifiedDateTime`); EPOCH when absent."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not value:
        return EPOCH
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ContainerCalls:
    """graph/containers.py's calls for one kind's container (arguments: graph, mailbox, name or id)."""

    find_or_create: Callable[[GraphClient, str, str], Awaitable[str]]
    exists: Callable[[GraphClient, str, str], Awaitable[bool]]
    delete: Callable[[GraphClient, str, str], Awaitable[Removal]]


class KindBase:
    """The shared half of a `SyncKind`. Subclasses set the class attributes and implement
    `recruit_values`, `graph_values` and `owner_field`, plus the conversions the interface names."""

    name: KindName
    graph_item_kind: ItemKind
    recruit_modules: tuple[str, ...]
    watch_events: tuple[str, ...]
    container_deleted_message: str
    container_noun: str
    write_groups: ClassVar[tuple[frozenset[str], ...]] = ()
    container_calls: ClassVar[ContainerCalls]
    # Properties of a Graph item an update must read first, to merge into it (`to_graph_update`); empty: the
    # update body stands alone.
    update_reads: ClassVar[tuple[str, ...]] = ()

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    # --- hooks for subclasses ---

    def recruit_values(
        self, module: str, record: Mapping[str, Any], ctx: KindContext
    ) -> dict[str, JsonValue]:
        raise NotImplementedError

    def graph_values(self, item: Mapping[str, Any], ctx: KindContext) -> dict[str, JsonValue] | None:
        """The canonical fields of a Graph item; None for an item that never syncs on its own."""
        raise NotImplementedError

    def owner_field(self, module: str) -> str:
        """The owner lookup's api_name when the metadata does not name one."""
        raise NotImplementedError

    def to_graph(self, fields: Mapping[str, JsonValue], ctx: KindContext) -> dict[str, Any]:
        raise NotImplementedError

    # --- shared behaviour ---

    def to_graph_update(
        self, fields: Mapping[str, JsonValue], ctx: KindContext, current: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        """The PATCH body for `fields`, given the item as it is now (its `update_reads`; None: not read)."""
        return self.to_graph(fields, ctx)

    def write_fields(self, changed: Iterable[str]) -> set[str]:
        """`changed` completed with the rest of every write group it touches."""
        names = set(changed)
        for group in self.write_groups:
            if names & group:
                names |= group
        return names

    def recruit_change(self, module: str, record: Mapping[str, Any], ctx: KindContext) -> RecruitChange:
        owner_field = ctx.owner_fields.get(module) or self.owner_field(module)
        in_scope = owner_id(record, owner_field) == ctx.recruit_user_id
        # Another owner's record only ever takes its Outlook copy away, so its fields are not converted: a
        # listing holds the whole org's records, most of them other users'.
        return RecruitChange(
            ref=RecruitRef(module, str(record["id"])),
            fields=self.recruit_values(module, record, ctx) if in_scope else None,
            modified=modified_at(record.get("Modified_Time")),
            in_scope=in_scope,
        )

    def graph_change(self, item: Mapping[str, Any], tag: str | None, ctx: KindContext) -> GraphChange | None:
        graph_id = str(item["id"])
        if "@removed" in item:
            # A removal carries no modification time; it is news as of now.
            return GraphChange(graph_id, None, datetime.now(UTC), deleted=True, tag=tag)
        fields = self.graph_values(item, ctx)
        if fields is None:
            return None
        return GraphChange(graph_id, fields, modified_at(item.get("lastModifiedDateTime")), tag=tag)

    async def find_or_create_container(self, graph: GraphClient, mailbox: str, name: str) -> str:
        return await self.container_calls.find_or_create(graph, mailbox, name)

    async def container_exists(self, graph: GraphClient, mailbox: str, container_id: str) -> bool:
        return await self.container_calls.exists(graph, mailbox, container_id)

    async def delete_container(self, graph: GraphClient, mailbox: str, container_id: str) -> Removal:
        return await self.container_calls.delete(graph, mailbox, container_id)

    def left_out_reason(self, module: str, record: Mapping[str, Any], now: datetime) -> str:
        return "over_cap"

    def delta_window(self, now: datetime) -> Window | None:
        return None

    def listed_ids(self, item: Mapping[str, Any]) -> tuple[str, ...]:
        return (str(item["id"]),)

    def expected_in_round(self, snapshot: Mapping[str, Any], window: Window | None) -> bool:
        return True

    def syncs_through(self, item: Mapping[str, Any]) -> str | None:
        return None

    def listed_through_members(self, snapshot: Mapping[str, Any]) -> bool:
        return False
