"""The kind-specific knobs of the planner, as plain data: which fields sync, which way, for which module.

Calendar and contacts share one planner; only their SyncPolicy differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Direction = Literal["both", "to_graph", "to_recruit"]


@dataclass(frozen=True)
class FieldRule:
    """One synced canonical field.

    `to_graph`: written to Outlook, an Outlook edit of it is ignored (e.g. participants rendered into the
    body). `to_recruit`: the reverse. `modules`: the Recruit modules that have the field (None: all of them);
    items of other modules do not sync it at all.
    """

    name: str
    direction: Direction = "both"
    modules: frozenset[str] | None = None

    def applies_to(self, module: str) -> bool:
        return self.modules is None or module in self.modules


@dataclass(frozen=True)
class SyncPolicy:
    """`create_module`: the module new Outlook items become. `never_delete_modules`: deleted in Outlook means
    unlinked and logged, never deleted in Recruit (Interviews). `list_groups`: the slot fields of one list
    each (a contact's `emailAddresses[1]`, `[2]`), compared as lists without gaps (`list_slots.py`)."""

    fields: tuple[FieldRule, ...]
    create_module: str
    never_delete_modules: frozenset[str] = frozenset()
    list_groups: tuple[tuple[str, ...], ...] = ()
    # module -> canonical field -> Recruit's length for it: a Recruit value that is the agreed value cut to
    # that length is no edit (`length_limits.widen_cut_values`).
    recruit_lengths: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    def names(self, module: str) -> tuple[str, ...]:
        """Every field items of `module` sync: the extent of a link's snapshot."""
        return tuple(rule.name for rule in self.fields if rule.applies_to(module))

    def lengths_of(self, module: str) -> Mapping[str, int]:
        """Recruit's length per canonical field of `module` (fields without a limit are absent)."""
        return self.recruit_lengths.get(module, {})

    def recruit_editable(self, module: str) -> tuple[str, ...]:
        """Fields whose Recruit edits count (and that a Recruit echo is compared on)."""
        return tuple(r.name for r in self.fields if r.applies_to(module) and r.direction != "to_recruit")

    def graph_editable(self, module: str) -> tuple[str, ...]:
        """Fields whose Outlook edits count (and that an Outlook echo is compared on)."""
        return tuple(r.name for r in self.fields if r.applies_to(module) and r.direction != "to_graph")

    def recruit_writable(self, module: str) -> tuple[str, ...]:
        """Fields an update may write to Recruit: what Outlook may change."""
        return self.graph_editable(module)

    def graph_writable(self, module: str) -> tuple[str, ...]:
        """Fields an update may write to Outlook: what Recruit may change."""
        return self.recruit_editable(module)
