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
from datetime import datetime
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
from sync_core.engine.kind_base import ContainerCalls, KindBase, modified_at
from sync_core.engine.kinds import KindContext, KindName
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


def _unresolved(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"name"}


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
        known = {str(meta["api_name"]): recruit_field(meta) for meta in ctx.recruit_fields.get(CONTACTS, ())}
        result = list(known.values())
        for entry in ContactsKind.mapping(ctx):
            if entry["recruit"] not in known:
                result.append(RecruitField(entry["recruit"], entry["recruit"], "text"))
        return result

    def container_name(self, settings: Settings) -> str:
        return settings.contact_folder_name

    def initial_cap(self) -> int:
        return self.settings.initial_contacts_cap

    def policy(self, ctx: KindContext) -> SyncPolicy:
        return SyncPolicy(
            fields=tuple(FieldRule(entry["graph"]) for entry in self.mapping(ctx)), create_module=CONTACTS
        )

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
        by_name = {f.api_name: f for f in self.recruit_fields(ctx)}
        return {
            entry["graph"]: read_recruit(record, by_name[entry["recruit"]]) for entry in self.mapping(ctx)
        }

    def graph_values(self, item: Mapping[str, Any], ctx: KindContext) -> dict[str, JsonValue] | None:
        return {entry["graph"]: read_graph(item, entry["graph"]) for entry in self.mapping(ctx)}

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
        body = write_graph(fields)
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
