"""The links table: the agreed state of each Recruit record ⇄ Graph item pair, findable from either side.

A link is two rows in one partition (`r:{module}:{id}` and `g:{graph id}`), written in one batch transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any, Literal

from azure.core.exceptions import ResourceNotFoundError
from azure.data.tables import TableTransactionError
from azure.data.tables.aio import TableClient
from pydantic import AwareDatetime, BaseModel, PrivateAttr

from . import keys
from .clients import StorageContext
from .connections import ConnectionKey
from .entities import StoredRow, entity_size, from_entity, to_entity
from .errors import RowTooLarge
from .syncstate import Kind

# "tombstone": a deleted or unlinked pair, kept so a late replay cannot bring it back (domain.items.Link).
LinkState = Literal["linked", "intent", "tombstone"]

MAX_BATCH_OPERATIONS = 100
# A transaction carries at most 4 MiB; stay well under it.
MAX_BATCH_BYTES = 3 * 1024 * 1024
# Both rows carry the snapshot, so it is capped well inside a 1 MiB entity; the domain should trim bodies.
MAX_SNAPSHOT_CHARS = 200_000
_READ_CONCURRENCY = 16
# Row keys read in one query: a $filter holds at most 15 discrete comparisons (Table service REST API,
# "Querying tables and entities"), the partition key's and 14 row keys'. One query instead of 14 point reads
# is most of an initial sync's storage traffic gone (bench/README.md, profile).
_KEYS_PER_QUERY = 14

Operation = tuple[str, dict[str, Any]]


class Link(BaseModel):
    """One pair; no `recruit_id` means an intent (Recruit create pending), no `graph_id`: not yet in Graph."""

    connection: ConnectionKey
    kind: Kind
    recruit_module: str = ""
    recruit_id: str = ""
    graph_id: str = ""
    fingerprint: str = ""
    snapshot: dict[str, Any] = {}
    recruit_modified: AwareDatetime | None = None
    graph_modified: AwareDatetime | None = None
    state: LinkState = "linked"
    title: str = ""
    # Fingerprints of what each side held at those times ("" in rows stored before they were kept).
    recruit_seen: str = ""
    graph_seen: str = ""
    # Row keys as last read or written, so a save can delete the row of an id that changed.
    _stored_row_keys: frozenset[str] = PrivateAttr(default_factory=frozenset)

    def __eq__(self, other: object) -> bool:
        # Equal when the stored values are; which rows happen to exist is bookkeeping, not identity.
        if not isinstance(other, Link):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    def row_keys(self) -> frozenset[str]:
        found = set()
        if self.recruit_id:
            found.add(recruit_row_key(self.recruit_module, self.recruit_id))
        if self.graph_id:
            found.add(graph_row_key(self.graph_id))
        return frozenset(found)


class _LinkRow(StoredRow):
    json_fields = frozenset({"snapshot"})
    recruit_module: str = ""
    recruit_id: str = ""
    graph_id: str = ""
    fingerprint: str = ""
    snapshot: dict[str, Any] = {}
    recruit_modified: AwareDatetime | None = None
    graph_modified: AwareDatetime | None = None
    state: LinkState = "linked"
    title: str = ""
    recruit_seen: str = ""
    graph_seen: str = ""


def partition_key(connection: ConnectionKey, kind: Kind) -> str:
    return keys.escape(keys.compose(str(connection), kind, sep="|"))


def recruit_row_key(module: str, recruit_id: str) -> str:
    return keys.escape(f"r:{keys.compose(module, recruit_id)}")


def graph_row_key(graph_id: str) -> str:
    return keys.escape(f"g:{graph_id}")


def _link_entities(link: Link) -> list[dict[str, Any]]:
    row = _LinkRow(**link.model_dump(exclude={"connection", "kind"}))
    snapshot_chars = len(row.model_dump_json(include={"snapshot"}))
    if snapshot_chars > MAX_SNAPSHOT_CHARS:
        raise RowTooLarge(
            f"link {link.title[:40]!r}: snapshot is {snapshot_chars} chars, max {MAX_SNAPSHOT_CHARS}"
        )
    pk = partition_key(link.connection, link.kind)
    return [to_entity(row, pk, row_key) for row_key in sorted(link.row_keys())]


def _link_operations(link: Link) -> list[Operation]:
    pk = partition_key(link.connection, link.kind)
    ops: list[Operation] = [("upsert", entity) for entity in _link_entities(link)]
    for stale in sorted(link._stored_row_keys - link.row_keys()):
        ops.append(("delete", {"PartitionKey": pk, "RowKey": stale}))
    return ops


def _delete_operations(link: Link) -> list[Operation]:
    pk = partition_key(link.connection, link.kind)
    return [
        ("delete", {"PartitionKey": pk, "RowKey": rk})
        for rk in sorted(link._stored_row_keys | link.row_keys())
    ]


def _batches(groups: Iterable[list[Operation]]) -> list[list[Operation]]:
    """Operation groups packed into transactions, never splitting a group (a link's rows move together)."""
    batches: list[list[Operation]] = []
    current: list[Operation] = []
    current_bytes = 0
    for group in groups:
        group_bytes = sum(entity_size(entity) for _, entity in group)
        if current and (
            len(current) + len(group) > MAX_BATCH_OPERATIONS or current_bytes + group_bytes > MAX_BATCH_BYTES
        ):
            batches.append(current)
            current, current_bytes = [], 0
        current += group
        current_bytes += group_bytes
    if current:
        batches.append(current)
    return batches


def _from_entity(connection: ConnectionKey, kind: Kind, entity: dict[str, Any]) -> Link:
    row = from_entity(_LinkRow, entity)
    link = Link(**row.model_dump(), connection=connection, kind=kind)
    link._stored_row_keys = link.row_keys()
    return link


# Linked-pair counts kept per repository (one entry per connection and kind): a few hundred bytes each.
LINKED_COUNTS_KEPT = 10_000


class LinkRepository:
    def __init__(self, storage: StorageContext) -> None:
        self._storage = storage
        # (connection, kind) -> (the state ETag it was counted at, linked pairs), oldest first.
        self._linked_counts: dict[tuple[str, str], tuple[str, int]] = {}

    async def _submit(self, table: TableClient, batch: list[Operation]) -> None:
        try:
            await table.submit_transaction(batch)
        except TableTransactionError as error:
            if getattr(error, "error_code", None) != "ResourceNotFound" or not any(
                op == "delete" for op, _ in batch
            ):
                raise
            # A stale row was already gone: write the rest as one transaction, then delete one by one.
            upserts = [(op, entity) for op, entity in batch if op != "delete"]
            if upserts:
                await table.submit_transaction(upserts)
            for _, entity in (item for item in batch if item[0] == "delete"):
                await table.delete_entity(entity["PartitionKey"], entity["RowKey"])

    async def _run(self, groups: Sequence[tuple[str, list[Operation]]]) -> None:
        table = await self._storage.table("links")
        by_partition: dict[str, list[list[Operation]]] = {}
        for pk, ops in groups:
            if ops:
                by_partition.setdefault(pk, []).append(ops)
        for partition_groups in by_partition.values():
            for batch in _batches(partition_groups):
                await self._submit(table, batch)

    async def save_many(self, links: Sequence[Link]) -> None:
        """Stores every link (both rows, stale rows removed), in transactions of ≤100 operations."""
        await self._run(
            [(partition_key(link.connection, link.kind), _link_operations(link)) for link in links]
        )
        for link in links:
            link._stored_row_keys = link.row_keys()

    async def save(self, link: Link) -> None:
        await self.save_many([link])

    async def delete_many(self, links: Sequence[Link]) -> None:
        await self._run(
            [(partition_key(link.connection, link.kind), _delete_operations(link)) for link in links]
        )
        for link in links:
            link._stored_row_keys = frozenset()

    async def _get(self, connection: ConnectionKey, kind: Kind, row_key: str) -> Link | None:
        table = await self._storage.table("links")
        try:
            entity = await table.get_entity(partition_key(connection, kind), row_key)
        except ResourceNotFoundError:
            return None
        return _from_entity(connection, kind, entity)

    async def by_recruit(
        self, connection: ConnectionKey, kind: Kind, module: str, recruit_id: str
    ) -> Link | None:
        return await self._get(connection, kind, recruit_row_key(module, recruit_id))

    async def by_graph(self, connection: ConnectionKey, kind: Kind, graph_id: str) -> Link | None:
        return await self._get(connection, kind, graph_row_key(graph_id))

    async def get_many_by_recruit(
        self, connection: ConnectionKey, kind: Kind, module: str, recruit_ids: Iterable[str]
    ) -> dict[str, Link]:
        """The links of those Recruit ids that have one, by id."""
        row_keys = {recruit_row_key(module, rid): rid for rid in recruit_ids}
        found = await self._get_many(connection, kind, list(row_keys))
        return {row_keys[row_key]: link for row_key, link in found.items()}

    async def get_many_by_graph(
        self, connection: ConnectionKey, kind: Kind, graph_ids: Iterable[str]
    ) -> dict[str, Link]:
        """The links of those Graph ids that have one, by id."""
        row_keys = {graph_row_key(graph_id): graph_id for graph_id in graph_ids}
        found = await self._get_many(connection, kind, list(row_keys))
        return {row_keys[row_key]: link for row_key, link in found.items()}

    async def _get_many(self, connection: ConnectionKey, kind: Kind, row_keys: list[str]) -> dict[str, Link]:
        """The rows of `row_keys` that exist, by row key: queries of up to 14 keys each, a few in flight."""
        table = await self._storage.table("links")
        pk = partition_key(connection, kind)
        limit = asyncio.Semaphore(_READ_CONCURRENCY)

        async def query(group: list[str]) -> list[tuple[str, Link]]:
            # The SDK finds `@name` parameters between spaces, so the parentheses stand apart.
            wanted = " or ".join(f"RowKey eq @rk{n}" for n in range(len(group)))
            parameters = {"pk": pk} | {f"rk{n}": row_key for n, row_key in enumerate(group)}
            async with limit:
                entities = table.query_entities(
                    f"PartitionKey eq @pk and ( {wanted} )", parameters=parameters
                )
                return [(str(e["RowKey"]), _from_entity(connection, kind, e)) async for e in entities]

        groups = [row_keys[i : i + _KEYS_PER_QUERY] for i in range(0, len(row_keys), _KEYS_PER_QUERY)]
        return {
            row_key: link for found in await asyncio.gather(*map(query, groups)) for row_key, link in found
        }

    async def list_all(self, connection: ConnectionKey, kind: Kind) -> AsyncIterator[Link]:
        """Every link of the partition once (from its `r:` row, or its `g:` row when it has no Recruit id)."""
        table = await self._storage.table("links")
        entities = table.query_entities(
            "PartitionKey eq @pk", parameters={"pk": partition_key(connection, kind)}
        )
        async for entity in entities:
            link = _from_entity(connection, kind, entity)
            if str(entity["RowKey"]).startswith("r:") or not link.recruit_id:
                yield link

    async def count_linked(self, connection: ConnectionKey, kind: Kind, as_of: str | None = None) -> int:
        """How many pairs are linked (in sync), counted on their `r:` rows with only the key read.

        `as_of`, the sync state's ETag: a count taken at that version of the state is reused. Every pass and
        initial-sync step stores the state after its links, so such a count is at most one pass behind, and
        a page that polls `/api/me` does not read a large account's links again and again."""
        cache_key = (str(connection), kind)
        cached = self._linked_counts.get(cache_key)
        if as_of is not None and cached is not None and cached[0] == as_of:
            return cached[1]
        count = await self._count_linked(connection, kind)
        if as_of is not None:
            self._linked_counts.pop(cache_key, None)
            self._linked_counts[cache_key] = (as_of, count)
            while len(self._linked_counts) > LINKED_COUNTS_KEPT:
                del self._linked_counts[next(iter(self._linked_counts))]
        return count

    async def _count_linked(self, connection: ConnectionKey, kind: Kind) -> int:
        table = await self._storage.table("links")
        entities = table.query_entities(
            "PartitionKey eq @pk and RowKey ge 'r:' and RowKey lt 'r;' and state eq 'linked'",
            parameters={"pk": partition_key(connection, kind)},
            select=["RowKey"],
        )
        return sum([1 async for _ in entities])

    async def delete_partition(self, connection: ConnectionKey, kind: Kind) -> int:
        """Removes every link of (connection, kind); returns how many rows went."""
        table = await self._storage.table("links")
        pk = partition_key(connection, kind)
        row_keys = [
            str(entity["RowKey"])
            async for entity in table.query_entities(
                "PartitionKey eq @pk", parameters={"pk": pk}, select=["RowKey"]
            )
        ]
        groups: list[list[Operation]] = [[("delete", {"PartitionKey": pk, "RowKey": rk})] for rk in row_keys]
        for batch in _batches(groups):
            await self._submit(table, batch)
        return len(row_keys)
