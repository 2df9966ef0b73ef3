"""The engine's dependencies in one object: settings, repositories, the queue producer, and client factories.

One per worker process (`get_context`); use cases take it as their first argument, tests build their own.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from sync_core.config import Settings, get_settings
from sync_core.engine import telemetry
from sync_core.engine.stores import (
    ConnectionStore,
    CreditStore,
    LinkStore,
    SyncLogStore,
    SyncQueue,
    SyncStateStore,
)
from sync_core.graph.auth import DelegatedCredential, app_credential
from sync_core.graph.client import GraphClient
from sync_core.graph.errors import AuthRequired
from sync_core.recruit.client import RecruitClient
from sync_core.recruit.oauth import RecruitTokens
from sync_core.recruit.support import SupportRegistry
from sync_core.recruit.tokens import InMemoryTokenSource
from sync_core.store.clients import StorageContext
from sync_core.store.connections import Connection, ConnectionRepository, RecruitToken
from sync_core.store.credits import CreditCounter
from sync_core.store.crypto import SecretBox
from sync_core.store.links import LinkRepository
from sync_core.store.oauth import OAuthStateRepository
from sync_core.store.queues import QueueProducer
from sync_core.store.routes import RouteRepository
from sync_core.store.sessions import SessionRepository
from sync_core.store.synclog import SyncLogRepository
from sync_core.store.syncstate import SyncStateRepository

Clock = Callable[[], datetime]

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


class NotConnected(Exception):
    """The connection lacks what the call needs (no Recruit token, no Microsoft identity)."""


class EngineContext:
    # The engine asks only what the Protocols say: a test may put in-memory doubles in their place.
    connections: ConnectionStore
    syncstate: SyncStateStore
    links: LinkStore
    synclog: SyncLogStore
    queues: SyncQueue
    credits: CreditStore
    # What each org's Recruit server lacks among the unconfirmed features, learnt once for all its passes.
    recruit_support: SupportRegistry

    def __init__(self, settings: Settings, storage: StorageContext, clock: Clock = utc_now) -> None:
        self.settings = settings
        self.storage = storage
        self.clock = clock
        self.secrets = SecretBox.from_settings(settings)
        self.connections = ConnectionRepository(storage, self.secrets)
        self.syncstate = SyncStateRepository(storage, self.secrets)
        self.links = LinkRepository(storage)
        self.routes = RouteRepository(storage)
        self.oauth_states = OAuthStateRepository(storage, self.secrets)
        self.sessions = SessionRepository(storage)
        self.synclog = SyncLogRepository(storage)
        self.queues = QueueProducer(storage)
        self.credits = CreditCounter(storage)
        self.recruit_support = SupportRegistry()

    @classmethod
    def create(cls, settings: Settings | None = None, clock: Clock = utc_now) -> EngineContext:
        settings = settings or get_settings()
        return cls(settings, StorageContext(settings), clock)

    async def close(self) -> None:
        await self.storage.close()

    def _token_source(self, connection: Connection) -> InMemoryTokenSource:
        token = connection.recruit_token
        if token is None:
            raise NotConnected(f"{connection.key}: no Recruit token")
        tokens = RecruitTokens(
            access_token=token.access_token,
            refresh_token=token.refresh_token,
            expires_at=token.expires_at or datetime.fromtimestamp(0, UTC),
            accounts_server=connection.accounts_server or self.settings.zoho_accounts_url,
        )

        async def persist(refreshed: RecruitTokens) -> None:
            current = await self.connections.get(connection.key) or connection
            stored = RecruitToken(
                refresh_token=refreshed.refresh_token or token.refresh_token,
                access_token=refreshed.access_token,
                expires_at=refreshed.expires_at,
            )
            await self.connections.upsert(current.model_copy(update={"recruit_token": stored}))

        return InMemoryTokenSource(tokens, settings=self.settings, on_refresh=persist)

    @asynccontextmanager
    async def recruit(self, connection: Connection) -> AsyncIterator[RecruitClient]:
        """A Recruit client acting as the connection's user; refreshed tokens are stored."""
        api_base = connection.api_base or self.settings.zoho_api_base_url
        support = self.recruit_support.for_key(connection.org_id)
        async with RecruitClient(api_base, self._token_source(connection), support=support) as client:
            try:
                yield client
            finally:
                await self.record_spent(connection.org_id, client.requests_made)

    async def record_spent(self, org_id: str, credits: int) -> None:
        """Adds what a Recruit client spent (its transport counts one credit per request sent, as Zoho
        charges) to the org's count for today and to telemetry. A storage failure is logged, never raised:
        counting must not stop a sync."""
        if credits <= 0:
            return
        telemetry.record_recruit_credits(self.settings, org_id, credits)
        try:
            await self.credits.add(org_id, credits, self.clock())
        except Exception:
            log.exception("could not count %d Recruit credits of org %s", credits, org_id)

    @asynccontextmanager
    async def graph(self, connection: Connection) -> AsyncIterator[GraphClient]:
        """A Graph client for the connection's mailbox: app-only for SSO, else the user's delegated cache."""
        if not connection.microsoft_user_id:
            raise NotConnected(f"{connection.key}: no Microsoft mailbox")
        if connection.auth_mode == "sso":
            # Re-checked at every token: an org removed from SSO_TENANTS (or moved to another tenant) loses
            # app-only access to its users' mailboxes at once, not at their next sign-in.
            if self.settings.sso_tenant_of(connection.org_id) != connection.microsoft_tenant_id:
                raise AuthRequired(401, "sso_withdrawn", f"{connection.key}: the org is no longer an SSO org")
            credential = app_credential(connection.microsoft_tenant_id, self.settings)
            client = GraphClient(credential, self.settings)
            try:
                yield client
            finally:
                await client.close()
                await credential.close()
            return
        delegated = DelegatedCredential(
            self.settings, connection.msal_cache or "", tenant_id=connection.microsoft_tenant_id
        )
        client = GraphClient(delegated, self.settings)
        try:
            yield client
        finally:
            await client.close()
            if delegated.cache_changed:
                current = await self.connections.get(connection.key) or connection
                refreshed = current.model_copy(update={"msal_cache": delegated.serialized_cache()})
                await self.connections.upsert(refreshed)
            await delegated.close()


_context: EngineContext | None = None


def get_context() -> EngineContext:
    """The worker process's context, made on first use."""
    global _context
    if _context is None:
        _context = EngineContext.create()
    return _context
