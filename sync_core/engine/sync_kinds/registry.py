"""Which `SyncKind` serves a kind name.

Kinds are imported lazily: a worker handling one kind does not load the other's field catalogs.
"""

from __future__ import annotations

from collections.abc import Callable

from sync_core.config import Settings, get_settings
from sync_core.engine.sync_kinds.kinds import KindName, SyncKind

KindFactory = Callable[[Settings], SyncKind]


def _calendar(settings: Settings) -> SyncKind:
    from sync_core.engine.sync_kinds.calendar_kind import CalendarKind

    return CalendarKind(settings)


def _contacts(settings: Settings) -> SyncKind:
    from sync_core.engine.sync_kinds.contacts_kind import ContactsKind

    return ContactsKind(settings)


FACTORIES: dict[KindName, KindFactory] = {"calendar": _calendar, "contacts": _contacts}
# Every kind, in the order the Manage page and the timer go through them: the one list of kinds.
KIND_NAMES: tuple[KindName, ...] = tuple(FACTORIES)


class UnknownKind(ValueError):
    """A name that is not one of KIND_NAMES, e.g. from a stored row or a queued message."""

    def __init__(self, name: object) -> None:
        super().__init__(f"unknown sync kind {name!r}; expected one of {', '.join(KIND_NAMES)}")
        self.name = name


def parse_kind(name: object) -> KindName:
    """`name` as a kind name; UnknownKind for anything else (never a default kind)."""
    for known in KIND_NAMES:
        if name == known:
            return known
    raise UnknownKind(name)


def kind_for(name: str, settings: Settings | None = None) -> SyncKind:
    """The kind called `name` (one of KIND_NAMES); UnknownKind, a ValueError, for anything else."""
    return FACTORIES[parse_kind(name)](settings or get_settings())
