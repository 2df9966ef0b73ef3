"""Which `SyncKind` serves a kind name.

Kinds are imported lazily: a worker handling one kind does not load the other's field catalogs.
"""

from __future__ import annotations

from collections.abc import Callable

from sync_core.config import Settings, get_settings
from sync_core.engine.kinds import SyncKind

KindFactory = Callable[[Settings], SyncKind]


def _calendar(settings: Settings) -> SyncKind:
    from sync_core.engine.calendar_kind import CalendarKind

    return CalendarKind(settings)


def _contacts(settings: Settings) -> SyncKind:
    from sync_core.engine.contacts_kind import ContactsKind

    return ContactsKind(settings)


FACTORIES: dict[str, KindFactory] = {"calendar": _calendar, "contacts": _contacts}


def kind_for(name: str, settings: Settings | None = None) -> SyncKind:
    """The kind called `name` ("calendar" or "contacts"); ValueError for anything else."""
    factory = FACTORIES.get(name)
    if factory is None:
        raise ValueError(f"unknown sync kind {name!r}")
    return factory(settings or get_settings())
