"""The emulator's data: tenants, users, and per mailbox its calendars and contact folders with their items.

Every write bumps a global sequence number (delta reads changes by it) and tells the change listeners.
"""

from __future__ import annotations

import base64
import copy
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .bodies import stored_body
from .errors import GraphError, not_found

CALENDAR = "calendar"
CONTACTS = "contacts"


def new_id(prefix: str = "AAMkA") -> str:
    """An opaque, URL-safe, immutable id shaped like Graph's."""
    return prefix + secrets.token_urlsafe(33)


def new_change_key() -> str:
    return base64.b64encode(secrets.token_bytes(12)).decode()


@dataclass
class Item:
    id: str
    fields: dict[str, Any]
    created: datetime
    modified: datetime
    change_key: str
    seq: int
    extended: dict[str, str] = field(default_factory=dict)
    # A series master's exceptions (by occurrence id; fields changed on the occurrence) and cancelled
    # occurrences (occurrence id -> seq of the cancellation), kept by series_api.py.
    exceptions: dict[str, Item] = field(default_factory=dict)
    cancelled: dict[str, int] = field(default_factory=dict)
    # A contact's photo: (bytes, media type), or None.
    photo: tuple[bytes, str] | None = None

    @property
    def etag(self) -> str:
        return f'W/"{self.change_key}"'


@dataclass
class Container:
    id: str
    kind: str
    name: str
    is_default: bool
    change_key: str
    items: dict[str, Item] = field(default_factory=dict)
    # Writable properties other than the name (a calendar's color), as last written.
    props: dict[str, Any] = field(default_factory=dict)
    # Single-value extended properties set when the container was created (id -> value): Graph supports them
    # on calendar and contactFolder (api-reference/v1.0/api/singlevaluelegacyextendedproperty-post-
    # singlevalueextendedproperties.md, "Create ... in a new calendar / contactFolder").
    extended: dict[str, str] = field(default_factory=dict)
    # (seq, item id) of deleted items, for delta.
    tombstones: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Mailbox:
    user: dict[str, Any]
    tenant_id: str
    containers: dict[str, Container] = field(default_factory=dict)
    transactions: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.user["id"])

    def default(self, kind: str) -> Container:
        return next(c for c in self.containers.values() if c.kind == kind and c.is_default)

    def container(self, kind: str, container_id: str | None) -> Container:
        if container_id is None:
            return self.default(kind)
        found = self.containers.get(container_id)
        if found is None or found.kind != kind:
            raise not_found()
        return found

    def find_item(self, kind: str, item_id: str) -> tuple[Container, Item]:
        for container in self.containers.values():
            if container.kind == kind and item_id in container.items:
                return container, container.items[item_id]
        raise not_found()


@dataclass(frozen=True)
class Change:
    mailbox: Mailbox
    container: Container
    item_id: str
    change_type: str  # created | updated | deleted
    etag: str


ChangeListener = Callable[[Change], None]
ContainerListener = Callable[[Mailbox, Container], None]


class Store:
    def __init__(self, seed: dict[str, Any], now: Callable[[], datetime]) -> None:
        self.seed = seed
        self.now = now
        self.change_listeners: list[ChangeListener] = []
        self.container_deleted_listeners: list[ContainerListener] = []
        self.load()

    def load(self) -> None:
        """(Re)build everything from the seed."""
        self.seq = 0
        self.app: dict[str, Any] = dict(self.seed["app"])
        self.tenants: dict[str, dict[str, Any]] = {}
        self.mailboxes: dict[str, Mailbox] = {}
        for tenant in self.seed["tenants"]:
            self.tenants[tenant["id"]] = tenant
            for user in tenant["users"]:
                profile = {k: v for k, v in user.items() if k not in ("events", "contacts")}
                mailbox = Mailbox(profile, tenant["id"])
                self.mailboxes[mailbox.id] = mailbox
                calendar = self.add_container(mailbox, CALENDAR, "Calendar", is_default=True)
                folder = self.add_container(mailbox, CONTACTS, "Contacts", is_default=True)
                for event in user.get("events", []):
                    fields = copy.deepcopy(event)
                    if "body" in fields:
                        fields["body"] = stored_body(fields["body"])  # Exchange keeps HTML (bodies.py)
                    self.add_item(mailbox, calendar, fields, notify=False)
                for contact in user.get("contacts", []):
                    self.add_item(mailbox, folder, copy.deepcopy(contact), notify=False)

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    # --- lookups ---

    def tenant(self, ref: str) -> dict[str, Any] | None:
        lowered = ref.lower()
        for tenant in self.tenants.values():
            if tenant["id"].lower() == lowered or str(tenant.get("domain", "")).lower() == lowered:
                return tenant
        return None

    def mailbox(self, ref: str) -> Mailbox | None:
        """A mailbox by user id or e-mail address (case-insensitive), as Graph accepts both."""
        lowered = ref.lower()
        for mailbox in self.mailboxes.values():
            if mailbox.id.lower() == lowered or str(mailbox.user.get("mail", "")).lower() == lowered:
                return mailbox
        return None

    # --- containers ---

    @staticmethod
    def _check_name_free(mailbox: Mailbox, kind: str, name: str, keep: Container | None = None) -> None:
        for existing in mailbox.containers.values():
            if existing is not keep and existing.kind == kind and existing.name.lower() == name.lower():
                raise GraphError(409, "ErrorFolderExists", "A folder with the specified name already exists.")

    def add_container(
        self,
        mailbox: Mailbox,
        kind: str,
        name: str,
        is_default: bool = False,
        extended: dict[str, str] | None = None,
    ) -> Container:
        self._check_name_free(mailbox, kind, name)
        container = Container(new_id("AAMkAGI"), kind, name, is_default, new_change_key())
        container.extended = dict(extended or {})
        mailbox.containers[container.id] = container
        return container

    def update_container(
        self, mailbox: Mailbox, container: Container, name: str | None, props: dict[str, Any]
    ) -> Container:
        """Rename and/or set properties; every update gives the container a new change key."""
        if name is not None:
            self._check_name_free(mailbox, container.kind, name, keep=container)
            container.name = name
        if props.pop("isDefaultCalendar", None) is True:
            # Making one calendar the default makes it the only one (calendar-update.md).
            for other in mailbox.containers.values():
                if other.kind == container.kind:
                    other.is_default = other is container
        container.props.update(props)
        container.change_key = new_change_key()
        return container

    def delete_container(self, mailbox: Mailbox, container: Container) -> None:
        if container.is_default:
            raise GraphError(
                400, "ErrorDeleteDistinguishedFolder", "Distinguished folders cannot be deleted."
            )
        del mailbox.containers[container.id]
        for tx, item_id in list(mailbox.transactions.items()):
            if item_id in container.items:
                del mailbox.transactions[tx]
        for listener in self.container_deleted_listeners:
            listener(mailbox, container)

    # --- items ---

    def add_item(
        self, mailbox: Mailbox, container: Container, fields: dict[str, Any], notify: bool = True
    ) -> Item:
        extended = {p["id"]: str(p.get("value", "")) for p in fields.pop("singleValueExtendedProperties", [])}
        now = self.now()
        item = Item(new_id(), fields, now, now, new_change_key(), self.next_seq(), extended)
        container.items[item.id] = item
        if container.kind == CALENDAR and fields.get("transactionId"):
            mailbox.transactions[str(fields["transactionId"])] = item.id
        if notify:
            self._changed(mailbox, container, item.id, "created", item.etag)
        return item

    def update_item(
        self, mailbox: Mailbox, container: Container, item: Item, changes: dict[str, Any]
    ) -> Item:
        for prop in changes.pop("singleValueExtendedProperties", None) or []:
            item.extended[prop["id"]] = str(prop.get("value", ""))
        changes.pop("transactionId", None)  # write-once
        item.fields.update(changes)
        item.modified = self.now()
        item.change_key = new_change_key()
        item.seq = self.next_seq()
        self._changed(mailbox, container, item.id, "updated", item.etag)
        return item

    def set_photo(
        self, mailbox: Mailbox, container: Container, item: Item, content: bytes, media_type: str
    ) -> None:
        """A new photo is a change of the contact (new change key, reported by delta)."""
        item.photo = (content, media_type)
        self.update_item(mailbox, container, item, {})

    def delete_item(self, mailbox: Mailbox, container: Container, item: Item) -> None:
        del container.items[item.id]
        container.tombstones.append((self.next_seq(), item.id))
        tx = item.fields.get("transactionId")
        if tx and mailbox.transactions.get(str(tx)) == item.id:
            del mailbox.transactions[str(tx)]
        self._changed(mailbox, container, item.id, "deleted", item.etag)

    def notify(
        self, mailbox: Mailbox, container: Container, item_id: str, change_type: str, etag: str
    ) -> None:
        """Tell the listeners about a change made outside these methods (an occurrence of a series)."""
        self._changed(mailbox, container, item_id, change_type, etag)

    def _changed(
        self, mailbox: Mailbox, container: Container, item_id: str, change_type: str, etag: str
    ) -> None:
        change = Change(mailbox, container, item_id, change_type, etag)
        for listener in self.change_listeners:
            listener(change)
