"""The contacts kind: Recruit Contacts <-> contacts of the dedicated Outlook folder, through the mapping.

Canonical field names are the mapping's Graph paths (`givenName`, `emailAddresses[2]`, `otherAddress.city`).

Contract for the engine, beyond `SyncKind`:
- `write_groups`: a PATCH of one list element or address part replaces the whole Graph property, and
  displayName is derived from the name fields, so a write touching a group carries all of it (values from
  the agreed snapshot), as for the calendar.
- `to_recruit` leaves client lookups out: Recruit needs the client's id. Call
  `await kind.prepare_recruit(module, fields, ctx, recruit)` instead where a Recruit client is at hand: the
  full payload with each company name resolved to the client of exactly that name (no such client: the field
  is left out, so Recruit keeps its value; a client is never created) and notes for the sync log
  (truncations, the Last_Name fallback, names not found).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any, ClassVar

from sync_core.config import Settings
from sync_core.domain.contact_fields import (
    CLIENT_LOOKUP_MODULE,
    DEFAULT_MAPPING,
    DISPLAY_SOURCES,
    GRAPH_FIELDS,
    MappingEntry,
    RecruitField,
)
from sync_core.domain.items import FieldValues, JsonValue
from sync_core.domain.policy import FieldRule, SyncPolicy
from sync_core.domain.timezones import UnknownTimeZone, zone
from sync_core.engine.sync_kinds.kind_base import ContainerCalls, KindBase, modified_at
from sync_core.engine.sync_kinds.kinds import KindContext, KindName
from sync_core.graph import containers
from sync_core.graph.client import GraphClient
from sync_core.graph.contact_codec import display_name, group_of, read_graph, write_graph
from sync_core.graph.delta import DeltaRound, contacts_delta
from sync_core.graph.paths import ItemKind
from sync_core.graph.subscriptions import contacts_resource
from sync_core.recruit.client import RecruitClient
from sync_core.recruit.contact_codec import (
    NO_NAME,
    RecruitPayload,
    read_recruit,
    recruit_field,
    write_recruit,
)

CONTACTS = "Contacts"
DEFAULT_OWNER_FIELD = "Contact_Owner"
# Every catalog property is selected, not only the mapped ones: a delta link keeps its $select, and a later
# mapping change must find its new fields in the next round.
DELTA_SELECT: tuple[str, ...] = tuple(
    dict.fromkeys(["displayName", "lastModifiedDateTime", *(group_of(f.path) for f in GRAPH_FIELDS)])
)
_GROUPS: dict[str, set[str]] = {}
for _field in GRAPH_FIELDS:
    _GROUPS.setdefault(group_of(_field.path), set()).add(_field.path)
WRITE_GROUPS: tuple[frozenset[str], ...] = (
    *(frozenset(paths) for paths in _GROUPS.values() if len(paths) > 1),
    frozenset(DISPLAY_SOURCES),
)

logger = logging.getLogger(__name__)


def _user_zone(ctx: KindContext) -> tzinfo:
    """The zone Outlook shows the user's dates in (birthdays): the user's, UTC if it is not known."""
    try:
        return zone(ctx.time_zone) if ctx.time_zone else UTC
    except UnknownTimeZone:
        return UTC


def _list_groups(paths: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """The mapped slots of each Graph list (`emailAddresses[1]`, `[2]`), in slot order."""
    slots: dict[str, list[str]] = {}
    for path in paths:
        if "[" in path:
            slots.setdefault(group_of(path), []).append(path)
    return tuple(
        tuple(sorted(group, key=lambda p: int(p.split("[")[1].rstrip("]")))) for group in slots.values()
    )


def _unresolved(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"name"}


# The last context's mapped fields: a pass converts thousands of records with one (frozen) context, and
# parsing every field's metadata again for each record was a tenth of a contacts sync's CPU (bench/README.md).
_last_fields: tuple[KindContext | None, dict[str, RecruitField]] = (None, {})


def _fields_by_name(ctx: KindContext) -> dict[str, RecruitField]:
    """`ContactsKind.recruit_fields` by api_name, parsed once per context (do not modify the answer)."""
    global _last_fields
    cached_ctx, cached = _last_fields
    if cached_ctx is ctx:
        return cached
    known = {str(meta["api_name"]): recruit_field(meta) for meta in ctx.recruit_fields.get(CONTACTS, ())}
    for entry in ContactsKind.mapping(ctx):
        if entry["recruit"] not in known:
            known[entry["recruit"]] = RecruitField(entry["recruit"], entry["recruit"], "text")
    _last_fields = (ctx, known)
    return known


class ContactsKind(KindBase):
    """`SyncKind` for contacts. Build with `ContactsKind(settings)`."""

    name: KindName = "contacts"
    graph_item_kind: ItemKind = "contact"
    recruit_modules: tuple[str, ...] = (CONTACTS,)
    watch_events: tuple[str, ...] = ("Contacts.create", "Contacts.edit", "Contacts.delete")
    container_deleted_message: str = (
        "The 'Zoho Recruit Contacts' folder was deleted in Outlook, so sync was turned off. "
        "Enable to start again."
    )
    container_noun: str = "contact folder"
    write_groups: ClassVar[tuple[frozenset[str], ...]] = WRITE_GROUPS
    # A write merges into the contact as it is now: unmapped e-mail entries, phones, display names and
    # address parts survive (issue 14).
    update_reads: ClassVar[tuple[str, ...]] = DELTA_SELECT
    container_calls = ContainerCalls(
        containers.find_or_create_contact_folder,
        containers.contact_folder_exists,
        containers.delete_contact_folder,
    )

    # --- mapping and policy ---

    @staticmethod
    def mapping(ctx: KindContext) -> Sequence[MappingEntry]:
        return ctx.mapping if ctx.mapping else DEFAULT_MAPPING

    @staticmethod
    def recruit_fields(ctx: KindContext) -> list[RecruitField]:
        """Metadata of the mapped fields; one missing from a stale metadata cache is taken as plain text."""
        return list(_fields_by_name(ctx).values())

    def container_name(self, settings: Settings) -> str:
        return settings.contact_folder_name

    def initial_cap(self) -> int:
        return self.settings.initial_contacts_cap

    def policy(self, ctx: KindContext) -> SyncPolicy:
        paths = [entry["graph"] for entry in self.mapping(ctx)]
        return SyncPolicy(
            fields=tuple(FieldRule(path) for path in paths),
            create_module=CONTACTS,
            list_groups=_list_groups(paths),
            recruit_lengths={CONTACTS: self._lengths(ctx)},
        )

    def _lengths(self, ctx: KindContext) -> dict[str, int]:
        """Graph path -> the length of the text field it is mapped to (what `write_recruit` cuts to)."""
        by_name = {f.api_name: f for f in self.recruit_fields(ctx)}
        lengths: dict[str, int] = {}
        for entry in self.mapping(ctx):
            field = by_name.get(entry["recruit"])
            if field is not None and field.length and field.type != "lookup":
                lengths[entry["graph"]] = field.length
        return lengths

    def title(self, fields: FieldValues) -> str:
        return display_name(fields) or NO_NAME

    # --- subscription, delta ---

    def subscription_resource(self, mailbox: str, container_id: str) -> str:
        return contacts_resource(mailbox, container_id)

    async def delta(
        self, graph: GraphClient, mailbox: str, container_id: str, delta_link: str | None, now: datetime
    ) -> DeltaRound:
        return await contacts_delta(graph, mailbox, container_id, delta_link, select=DELTA_SELECT)

    # --- conversions ---

    def owner_field(self, module: str) -> str:
        return DEFAULT_OWNER_FIELD

    def recruit_values(
        self, module: str, record: Mapping[str, Any], ctx: KindContext
    ) -> dict[str, JsonValue]:
        by_name = _fields_by_name(ctx)
        return {
            entry["graph"]: read_recruit(record, by_name[entry["recruit"]]) for entry in self.mapping(ctx)
        }

    def graph_values(self, item: Mapping[str, Any], ctx: KindContext) -> dict[str, JsonValue] | None:
        user_zone = _user_zone(ctx)
        return {entry["graph"]: read_graph(item, entry["graph"], user_zone) for entry in self.mapping(ctx)}

    def _payload(self, fields: FieldValues, ctx: KindContext) -> RecruitPayload:
        return write_recruit(fields, self.mapping(ctx), self.recruit_fields(ctx))

    def to_recruit(self, module: str, fields: FieldValues, ctx: KindContext) -> dict[str, Any]:
        """The payload without unresolved client lookups (`prepare_recruit` resolves them)."""
        return {k: v for k, v in self._payload(fields, ctx).values.items() if not _unresolved(v)}

    def recruit_notes(self, module: str, fields: FieldValues, ctx: KindContext) -> tuple[str, ...]:
        """What `to_recruit` changed in `fields` (truncations, required-field fallbacks), for the log."""
        return self._payload(fields, ctx).notes

    async def prepare_recruit(
        self, module: str, fields: FieldValues, ctx: KindContext, recruit: RecruitClient
    ) -> tuple[dict[str, Any], list[str]]:
        """The Recruit payload for `fields` with client lookups resolved, and notes for the sync log."""
        payload = self._payload(fields, ctx)
        values = dict(payload.values)
        notes = list(payload.notes)
        for api_name, value in payload.values.items():
            if not _unresolved(value):
                continue
            name = str(value["name"])
            matches = await recruit.search(CLIENT_LOOKUP_MODULE, [("Client_Name", "equals", name)])
            exact = [m for m in matches if str(m.get("Client_Name", "")) == name]
            if len(exact) == 1:
                values[api_name] = {"id": str(exact[0]["id"])}
                continue
            del values[api_name]
            reason = "no client" if not exact else f"{len(exact)} clients"
            notes.append(f"{api_name}: {reason} named {name!r} in Recruit; left unchanged")
        return values, notes

    def to_graph(self, fields: FieldValues, ctx: KindContext) -> dict[str, Any]:
        return self.to_graph_update(fields, ctx, None)

    def to_graph_update(
        self, fields: FieldValues, ctx: KindContext, current: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        body = write_graph(fields, current, _user_zone(ctx))
        if any(path in fields for path in DISPLAY_SOURCES):
            # Outlook shows displayName, and a contact without one appears blank in the folder.
            body["displayName"] = display_name(fields) or ""
        return body

    # --- initial sync ---

    def initial_selection(
        self, records: Sequence[tuple[str, Mapping[str, Any]]], now: datetime, cap: int
    ) -> list[tuple[str, Mapping[str, Any]]]:
        """Most recently modified first, at most `cap`."""
        ordered = sorted(records, key=lambda pair: modified_at(pair[1].get("Modified_Time")), reverse=True)
        return ordered[: max(0, cap)]
