"""The planner's output: frozen actions, each carrying what apply needs and the link to store after it.

Apply runs them in order, storing `link_after` once an action succeeds (vdirsyncer style): crashes resume.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sync_core.domain.items import FieldValues, Link, RecruitRef

# The apply contract, for the engine:
# - Run actions in list order. After an action's side effect succeeds, store its link: `link_after`
#   (None: store nothing yet, a later action of the same pair does), or for drops remove the old link's
#   rows and write the `tombstone`'s rows. A link is stored as the rows (`r:{key}`, `g:{graph id}`) of
#   whichever ids it holds.
# - Creates: fill in the new id with `link_after.with_graph_id(..)` / `.with_recruit(..)`. CreateInRecruit
#   stores `intent_link` before the create. CreateInGraph sends `transaction_id` and the tag `ref.key`.
# - A delete of something already gone counts as success. Skip is only a log line.
# - Advance the delta link and the Recruit watermark only after every action of the pass is applied.


def transaction_id(recruit_key: str, replaced_graph_id: str | None = None) -> str:
    """Deterministic Graph `transactionId` for creating the copy of `recruit_key`.

    A retried create sends the same id (Graph returns the first event); recreating after an Outlook delete
    mixes in the deleted id so it is not mistaken for the old, deleted event.
    """
    seed = f"{recruit_key}|{replaced_graph_id or ''}"
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class CreateInGraph:
    """Create the Outlook copy of `ref` with `fields` and the tag `ref.key`, then store
    `link_after.with_graph_id(new id)`. `tombstone`: when recreating after an Outlook delete, the marker that
    replaces the deleted item's Graph row."""

    ref: RecruitRef
    fields: FieldValues
    link_after: Link
    transaction_id: str
    tombstone: Link | None = None


@dataclass(frozen=True)
class UpdateGraph:
    """Patch just `fields` (the ones that differ) on `graph_id`; then store `link_after` unless it is None
    (None: a later action of the same pair stores the link, so a crash in between replans correctly)."""

    graph_id: str
    fields: FieldValues
    link_after: Link | None


@dataclass(frozen=True)
class DeleteInGraph:
    """Delete `graph_id` (a 404 counts as done), then drop `drop_link`'s rows (if any) and store `tombstone`.

    Dropping a link here and below always means: remove its rows, then write the tombstone's rows."""

    graph_id: str
    drop_link: Link | None
    tombstone: Link
    reason: str = ""


@dataclass(frozen=True)
class CreateInRecruit:
    """Store `intent_link`, create a `module` record with `fields`, then store
    `link_after.with_recruit(new ref)` (which replaces the intent)."""

    graph_id: str
    module: str
    fields: FieldValues
    intent_link: Link
    link_after: Link


@dataclass(frozen=True)
class UpdateRecruit:
    """Update just `fields` (the ones that differ) on `ref`; then store `link_after` unless it is None."""

    ref: RecruitRef
    fields: FieldValues
    link_after: Link | None


@dataclass(frozen=True)
class DeleteInRecruit:
    """Delete `ref` (already gone counts as done), then drop `drop_link` and store `tombstone`."""

    ref: RecruitRef
    drop_link: Link
    tombstone: Link


@dataclass(frozen=True)
class StoreLink:
    """Store `link` (both rows) without writing either side: adoption, or agreement reached by both users."""

    link: Link
    reason: str = ""


@dataclass(frozen=True)
class DropLink:
    """Forget a pair both sides deleted, or an intent whose Outlook item is gone; store `tombstone`."""

    link: Link
    tombstone: Link
    reason: str = ""


@dataclass(frozen=True)
class Unlink:
    """Drop the link, store `tombstone` (the Graph id only) and log `reason`; neither side is touched (an
    Interview deleted in Outlook: a later Recruit edit of it makes a new Outlook copy)."""

    link: Link
    tombstone: Link
    reason: str


@dataclass(frozen=True)
class Skip:
    """No write, but worth a log line: a tagged item whose record is missing.
    `subject`: the Recruit key or Graph id concerned."""

    subject: str
    reason: str


@dataclass(frozen=True)
class ConflictSettled:
    """Both sides edited `fields` of the pair `subject` (its Recruit key) since they last agreed: the newer
    edit was kept (the writes that carry it are separate actions). Counted and logged as a conflict."""

    subject: str
    fields: tuple[str, ...]

    @property
    def reason(self) -> str:
        return f"edited on both sides, newer edit kept: {', '.join(self.fields)}"


Action = (
    CreateInGraph
    | UpdateGraph
    | DeleteInGraph
    | CreateInRecruit
    | UpdateRecruit
    | DeleteInRecruit
    | StoreLink
    | DropLink
    | Unlink
    | Skip
    | ConflictSettled
)
WRITES = (CreateInGraph, UpdateGraph, DeleteInGraph, CreateInRecruit, UpdateRecruit, DeleteInRecruit)

GraphWrite = CreateInGraph | UpdateGraph | DeleteInGraph
LinkOnly = StoreLink | DropLink | Unlink | Skip | ConflictSettled
_GRAPH_WRITES = (CreateInGraph, UpdateGraph, DeleteInGraph)
_LINK_ONLY = (StoreLink, DropLink, Unlink, Skip, ConflictSettled)


@dataclass(frozen=True)
class Stages:
    """A plan in the order apply runs it (engine/sync_pass/apply.py), links stored after each stage so that a
    crash between any two writes resumes cleanly: the intents of Recruit creates; Recruit creates, updates and
    deletes; Graph writes; then the actions that only store links. The planner's property tests apply plans in
    this same order."""

    recruit_creates: tuple[CreateInRecruit, ...]
    recruit_updates: tuple[UpdateRecruit, ...]
    recruit_deletes: tuple[DeleteInRecruit, ...]
    graph_writes: tuple[GraphWrite, ...]
    link_only: tuple[LinkOnly, ...]

    @classmethod
    def of(cls, actions: Sequence[Action]) -> Stages:
        return cls(
            recruit_creates=tuple(a for a in actions if isinstance(a, CreateInRecruit)),
            recruit_updates=tuple(a for a in actions if isinstance(a, UpdateRecruit)),
            recruit_deletes=tuple(a for a in actions if isinstance(a, DeleteInRecruit)),
            graph_writes=tuple(
                a for a in actions if isinstance(a, CreateInGraph | UpdateGraph | DeleteInGraph)
            ),
            link_only=tuple(
                a for a in actions if isinstance(a, StoreLink | DropLink | Unlink | Skip | ConflictSettled)
            ),
        )
