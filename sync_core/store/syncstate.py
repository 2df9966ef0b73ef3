"""The syncstate table: one row per (connection, kind) with sync progress, cursors and the pass lease.

Every write is ETag-matched; the lease serialises passes and its `pending` flag makes the holder run again.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from azure.core import MatchConditions
from azure.core.exceptions import ResourceExistsError, ResourceModifiedError, ResourceNotFoundError
from azure.data.tables import UpdateMode
from pydantic import AwareDatetime, BaseModel

from . import keys
from .clients import StorageContext
from .connections import ConnectionKey
from .crypto import SecretBox
from .entities import StoredRow, etag_of, from_entity, to_entity
from .errors import ConcurrencyError, LeaseLost

Kind = Literal["calendar", "contacts"]
SyncStatus = Literal["disabled", "connecting", "initial_sync", "active", "error", "disabling"]

# Conflicting lease writes are rare (a handful of concurrent requests); this bounds a pathological loop.
MAX_ATTEMPTS = 20


class FailedItem(BaseModel):
    """An item a pass could not write: what the log and the Manage page say about it (`title`, `reason`),
    the fingerprint of the content that was refused, and whether it is retried (`permanent` False) or waits
    until the item changes. `since`: when it first failed so, ISO 8601."""

    title: str = ""
    reason: str = ""
    content: str = ""
    permanent: bool = False
    since: str = ""


class _SyncStateFields(BaseModel):
    """The fields a syncstate row and the engine's view share; secrets differ (plain vs `_enc`) and are added
    by each."""

    status: SyncStatus = "disabled"
    container_id: str = ""
    subscription_id: str = ""
    subscription_expires: AwareDatetime | None = None
    delta_link: str = ""
    delta_window_start: AwareDatetime | None = None
    delta_window_end: AwareDatetime | None = None
    recruit_watermark: AwareDatetime | None = None
    channel_id: str = ""
    channel_expires: AwareDatetime | None = None
    mapping: list[dict[str, str]] | None = None
    initial_done: int = 0
    initial_total: int = 0
    initial_cursor: dict[str, Any] | None = None
    # Records the initial sync's cap left out that the watermark's slack re-reads: key -> Modified_Time.
    initial_left_out: dict[str, str] | None = None
    # Ids Recruit callbacks named while the lease was held, by module: the holder's rerun reads them.
    pending_recruit_ids: dict[str, list[str]] | None = None
    counters: dict[str, int] = {}
    last_sync: AwareDatetime | None = None
    last_error_code: str = ""
    last_error_message: str = ""
    # Items that could not be written, by item key (`engine/sync_pass/failed_items.py`); `/api/me` counts
    # them.
    failed_items: dict[str, FailedItem] = {}
    lease_owner: str = ""
    lease_expires: AwareDatetime | None = None
    pending: bool = False
    # Enable pressed while the kind was still `disabling`: the teardown starts the enable when it is done.
    enable_after_teardown: bool = False
    # When the current teardown began: a teardown left unfinished by a crash is resumed by the timer.
    disabling_since: AwareDatetime | None = None
    # When the user last asked for "Repair now" (engine/sync_lifecycle/repair.py): stored, so every instance
    # limits alike.
    repair_requested_at: AwareDatetime | None = None


class SyncState(_SyncStateFields):
    """What the engine keeps for one (connection, kind); secrets plaintext here, encrypted in the row."""

    connection: ConnectionKey
    kind: Kind
    subscription_client_state: str | None = None
    channel_token: str | None = None
    etag: str | None = None

    def lease_held(self, now: datetime) -> bool:
        return bool(self.lease_owner) and self.lease_expires is not None and self.lease_expires > now


class _SyncStateRow(StoredRow, _SyncStateFields):
    json_fields = frozenset(
        {"mapping", "initial_cursor", "initial_left_out", "counters", "failed_items", "pending_recruit_ids"}
    )
    subscription_client_state_enc: str | None = None
    channel_token_enc: str | None = None


@dataclass(frozen=True)
class Lease:
    """Proof that `owner` may run a pass for (connection, kind) until `expires`."""

    connection: ConnectionKey
    kind: Kind
    owner: str
    expires: datetime


@dataclass(frozen=True)
class LeaseBusy:
    """Another owner holds the lease until `expires`; `marked` when this request is the one that set `pending`
    (later ones find it set already)."""

    expires: datetime
    marked: bool


_SECRETS = ("subscription_client_state", "channel_token")


class SyncStateRules(ABC):
    """Read-modify-write and the pass lease over any store of rows with ETags: a store implements `get`,
    `create_if_missing` and `update` (ETag-matched, ConcurrencyError when the row changed), and inherits the
    rest, so an in-memory double keeps exactly the rules of the table."""

    @abstractmethod
    async def get(self, key: ConnectionKey, kind: Kind) -> SyncState | None: ...

    @abstractmethod
    async def create_if_missing(self, key: ConnectionKey, kind: Kind) -> SyncState:
        """The stored state, created as `disabled` when there is none."""

    @abstractmethod
    async def update(self, state: SyncState) -> SyncState:
        """Replaces the row if it is unchanged since `state` was read; else raises `ConcurrencyError`."""

    async def modify(
        self, key: ConnectionKey, kind: Kind, change: Callable[[SyncState], SyncState | None]
    ) -> SyncState:
        """Read, apply `change` (None: leave as is), write ETag-matched; retried when another writer won.

        The lease holder should write this way: a request setting `pending` changes the ETag under it.
        A missing row is created first (as `disabled`).
        """
        state = await self._modify(key, kind, change, create=True)
        assert state is not None  # created when missing
        return state

    async def _modify(
        self, key: ConnectionKey, kind: Kind, change: Callable[[SyncState], SyncState | None], create: bool
    ) -> SyncState | None:
        for _ in range(MAX_ATTEMPTS):
            state = await (self.create_if_missing(key, kind) if create else self.get(key, kind))
            if state is None:
                return None
            changed = change(state)
            if changed is None:
                return state
            try:
                return await self.update(changed)
            except ConcurrencyError:
                continue
        raise ConcurrencyError(f"syncstate {key} {kind}: too many concurrent writers")

    async def try_acquire(
        self, key: ConnectionKey, kind: Kind, owner: str, now: datetime, seconds: int
    ) -> Lease | None:
        """The lease, or None after recording `pending` because another owner holds an unexpired one."""
        lease = await self.acquire(key, kind, owner, now, seconds)
        return lease if isinstance(lease, Lease) else None

    async def acquire(
        self, key: ConnectionKey, kind: Kind, owner: str, now: datetime, seconds: int
    ) -> Lease | LeaseBusy:
        """The lease, or after recording `pending` the holder's expiry, when another owner holds it.

        Acquiring clears `pending`: the pass about to start covers every request recorded before it.
        """
        expires = now + timedelta(seconds=seconds)
        for _ in range(MAX_ATTEMPTS):
            state = await self.create_if_missing(key, kind)
            busy: LeaseBusy | None = None
            if state.lease_held(now) and state.lease_owner != owner and state.lease_expires is not None:
                if state.pending:
                    return LeaseBusy(state.lease_expires, marked=False)
                busy = LeaseBusy(state.lease_expires, marked=True)
                changed = state.model_copy(update={"pending": True})
            else:
                changed = state.model_copy(
                    update={"lease_owner": owner, "lease_expires": expires, "pending": False}
                )
            try:
                await self.update(changed)
            except ConcurrencyError:
                continue
            return busy or Lease(connection=key, kind=kind, owner=owner, expires=expires)
        raise ConcurrencyError(f"syncstate {key} {kind}: lease contention did not settle")

    async def renew(self, lease: Lease, now: datetime, seconds: int) -> Lease:
        """The lease extended to `now + seconds`; raises `LeaseLost` if someone else holds it now."""
        expires = now + timedelta(seconds=seconds)

        def extend(state: SyncState) -> SyncState:
            if state.lease_owner != lease.owner:
                raise LeaseLost(f"lease on {lease.connection} {lease.kind} now held by {state.lease_owner!r}")
            return state.model_copy(update={"lease_expires": expires})

        if await self._modify(lease.connection, lease.kind, extend, create=False) is None:
            raise LeaseLost(f"syncstate {lease.connection} {lease.kind} was deleted while leased")
        return Lease(connection=lease.connection, kind=lease.kind, owner=lease.owner, expires=expires)

    async def release(self, lease: Lease, failed: bool = False) -> bool:
        """Frees the lease; True when a request arrived meanwhile, so the caller must `try_acquire` again.

        Clearing the lease and reading `pending` happen in one ETag-matched write, so a request either lands
        before it (and is reported here) or after it (and finds the lease free, taking it): none is lost.
        After a pass that `failed`, `pending` stays set: its work is still owed, and the queue's retry of its
        message (a pending check among them, which runs only while `pending` is set) must find it so.
        """
        was_pending = False

        def free(state: SyncState) -> SyncState | None:
            nonlocal was_pending
            was_pending = False
            if state.lease_owner != lease.owner:
                return None  # taken over after expiry; the new holder's pass covers any pending request
            was_pending = state.pending
            return state.model_copy(update={"lease_owner": "", "lease_expires": None, "pending": failed})

        # A row deleted meanwhile (teardown) is not recreated just to clear its lease.
        await self._modify(lease.connection, lease.kind, free, create=False)
        return was_pending


class SyncStateRepository(SyncStateRules):
    def __init__(self, storage: StorageContext, secrets: SecretBox) -> None:
        self._storage = storage
        self._secrets = secrets

    @staticmethod
    def _keys(key: ConnectionKey, kind: Kind) -> tuple[str, str]:
        return keys.escape(str(key)), kind

    def _aad(self, key: ConnectionKey, kind: Kind, field: str) -> str:
        return f"syncstate|{key}|{kind}|{field}"

    def _to_entity(self, state: SyncState) -> dict[str, Any]:
        values = state.model_dump(exclude={"connection", "kind", "etag", *_SECRETS})
        for field in _SECRETS:
            secret = getattr(state, field)
            aad = self._aad(state.connection, state.kind, field)
            values[f"{field}_enc"] = self._secrets.encrypt(secret, aad) if secret is not None else None
        return to_entity(_SyncStateRow(**values), *self._keys(state.connection, state.kind))

    def _from_entity(self, key: ConnectionKey, kind: Kind, entity: dict[str, Any]) -> SyncState:
        row = from_entity(_SyncStateRow, entity)
        values = row.model_dump(exclude={f"{field}_enc" for field in _SECRETS})
        for field in _SECRETS:
            sealed = getattr(row, f"{field}_enc")
            aad = self._aad(key, kind, field)
            values[field] = self._secrets.decrypt_text(sealed, aad) if sealed else None
        return SyncState(**values, connection=key, kind=kind, etag=etag_of(entity))

    async def get(self, key: ConnectionKey, kind: Kind) -> SyncState | None:
        table = await self._storage.table("syncstate")
        try:
            entity = await table.get_entity(*self._keys(key, kind))
        except ResourceNotFoundError:
            return None
        return self._from_entity(key, kind, entity)

    async def create_if_missing(self, key: ConnectionKey, kind: Kind) -> SyncState:
        """The stored state, created as `disabled` when there is none."""
        existing = await self.get(key, kind)
        if existing is not None:
            return existing
        table = await self._storage.table("syncstate")
        fresh = SyncState(connection=key, kind=kind)
        try:
            metadata = await table.create_entity(self._to_entity(fresh))
        except ResourceExistsError:
            state = await self.get(key, kind)
            if state is None:
                raise ConcurrencyError(f"syncstate {key} {kind} created and deleted concurrently") from None
            return state
        return fresh.model_copy(update={"etag": etag_of(metadata)})

    async def update(self, state: SyncState) -> SyncState:
        """Replaces the row if it is unchanged since `state` was read; else raises `ConcurrencyError`."""
        if state.etag is None:
            raise ConcurrencyError("update needs a state read from the table (no ETag)")
        table = await self._storage.table("syncstate")
        try:
            metadata = await table.update_entity(
                self._to_entity(state),
                mode=UpdateMode.REPLACE,
                etag=state.etag,
                match_condition=MatchConditions.IfNotModified,
            )
        except (ResourceModifiedError, ResourceNotFoundError) as error:
            raise ConcurrencyError(f"syncstate {state.connection} {state.kind} changed since read") from error
        return state.model_copy(update={"etag": etag_of(metadata)})

    async def delete(self, key: ConnectionKey, kind: Kind) -> None:
        table = await self._storage.table("syncstate")
        await table.delete_entity(*self._keys(key, kind))
