"""What a pass's writes leave behind, shared by the Recruit and the Graph stage (`apply.py`,
`graph_writes.py`): the outcome (counts, failed items, log entries), the link writer that stores links in as
few transactions as rows allow, and the patch completed to whole write groups.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sync_core.domain.items import FieldValues, Link
from sync_core.engine.sync_pass.failed_items import FailureBook
from sync_core.engine.sync_pass.linkstore import to_store
from sync_core.engine.sync_pass.scope import PassScope
from sync_core.engine.sync_pass.synclog import failure_entry, note_entry, title_of
from sync_core.store.links import Link as StoredLink
from sync_core.store.synclog import LogEntry


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


class LinkWriter:
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


def with_groups(scope: PassScope, fields: FieldValues, agreed: FieldValues | None) -> dict[str, Any]:
    """The patch completed to whole write groups (fields a kind writes together, e.g. start and end) from
    the agreed values: the kind's `write_fields` contract."""
    patch = dict(fields)
    if agreed is not None:
        for name in scope.kind.write_fields(patch) - patch.keys():
            if name in agreed:
                patch[name] = agreed[name]
    return patch
