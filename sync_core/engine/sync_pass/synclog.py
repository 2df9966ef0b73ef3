"""Sync log entries the engine writes (what the Manage page shows): pass summaries, failures, unlinks.

Entries name an item by its title and a reason, never by other personal data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sync_core.domain.items import FieldValues
from sync_core.engine.sync_pass.scope import PassScope
from sync_core.store.synclog import LogEntry, LogLevel, LogType

PASS_COUNTS = (
    "graph_created",
    "graph_updated",
    "graph_deleted",
    "recruit_created",
    "recruit_updated",
    "recruit_deleted",
    "unlinked",
    "conflicts",
    "failed",
)


def title_of(scope: PassScope, fields: FieldValues | None) -> str:
    """The kind's name for an item; empty for an item we know nothing about (a tombstone)."""
    if not fields:
        return ""
    try:
        return scope.kind.title(fields)[:200]
    except (KeyError, TypeError, ValueError):
        return ""


def _entry(
    scope: PassScope, entry_type: LogType, title: str, message: str, level: LogLevel = "info"
) -> LogEntry:
    return LogEntry(
        kind=scope.kind.name, level=level, type=entry_type, title=title, message=message, at=scope.ctx.clock()
    )


def failure_entry(scope: PassScope, title: str, reason: str, permanent: bool = False) -> LogEntry:
    """An item not written: retried later, or (`permanent`) not until it is changed (`failed_items.py`)."""
    then = "not retried until the item is changed" if permanent else "will retry"
    return _entry(scope, "failure", title, f"{reason}; {then}", level="warning")


def unreadable_entry(scope: PassScope, title: str, reason: str) -> LogEntry:
    """An Outlook item the pass could not read (e.g. a time zone nobody knows): left as it is, not synced."""
    return _entry(
        scope, "failure", title, f"{reason}; not synced until it is edited in Outlook", level="warning"
    )


def note_entry(scope: PassScope, title: str, notes: Sequence[str]) -> LogEntry:
    """The item was written, with something the user should know (a truncation, a client not found)."""
    return _entry(scope, "info", title, "; ".join(notes))


def conflict_entry(scope: PassScope, subject: str, reason: str) -> LogEntry:
    return _entry(scope, "conflict", subject, reason)


def unlink_entry(scope: PassScope, title: str, message: str) -> LogEntry:
    return _entry(scope, "unlink", title, message)


def pass_entry(scope: PassScope, counts: Mapping[str, int]) -> LogEntry | None:
    """The pass's summary; None when it wrote nothing and nothing failed (entries that say nothing would
    bury the ones that matter on the Manage page)."""
    kept = {name: int(counts.get(name, 0)) for name in PASS_COUNTS}
    if not any(kept.values()):
        return None
    changed = sum(value for name, value in kept.items() if name != "failed")
    message = f"{changed} change(s) applied" + (f", {kept['failed']} failed" if kept["failed"] else "")
    return LogEntry(
        kind=scope.kind.name,
        level="warning" if kept["failed"] else "info",
        type="pass",
        message=message,
        counts=kept,
        at=scope.ctx.clock(),
    )


def repair_entry(scope: PassScope, checked: int, counts: Mapping[str, int]) -> LogEntry:
    """What "Repair now" found: how many items it compared and how many it had to fix, and how."""
    kept = {name: int(counts.get(name, 0)) for name in PASS_COUNTS}
    fixed = sum(value for name, value in kept.items() if name not in ("failed", "conflicts"))
    message = f"repair: {checked} checked, {fixed} fixed"
    if kept["failed"]:
        message += f", {kept['failed']} failed"
    return LogEntry(
        kind=scope.kind.name,
        level="warning" if kept["failed"] else "info",
        type="repair",
        message=message,
        counts={name: value for name, value in kept.items() if value},
        at=scope.ctx.clock(),
    )


async def log_pass(scope: PassScope, entries: Sequence[LogEntry], counts: Mapping[str, int]) -> None:
    """The pass's item entries, then its summary when it has one."""
    summary = pass_entry(scope, counts)
    for entry in [*entries, *([summary] if summary else [])]:
        await scope.ctx.synclog.append(scope.key, entry)
