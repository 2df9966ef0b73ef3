"""Webhook, subscription and renewal tests: an EngineContext per test (own tables and queues) on the session's
Azurite and emulators, and a webhook host that serves the product's webhook handlers for any test's prefix.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import azure.functions as func
import httpx
import pytest
from azure.core.exceptions import ResourceNotFoundError
from azure.storage.queue import QueueClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from local.emulators.kit.serve import Listener, ServerThread, free_port
from local.stack import LocalSecrets, demo_sso_tenants
from sync_core.config import Settings
from sync_core.engine.context import EngineContext
from sync_core.engine.sync_kinds.calendar_kind import CalendarKind
from sync_core.engine.sync_kinds.contacts_kind import ContactsKind
from sync_core.engine.sync_kinds.kinds import SyncKind
from sync_core.functions.webhooks import answer_graph, answer_recruit
from sync_core.graph import containers
from sync_core.recruit import exchange_code
from sync_core.store.clients import StorageContext
from sync_core.store.connections import Connection, RecruitToken
from sync_core.store.syncstate import SyncState, SyncStatus
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.integration.recruit_client.conftest import REDIRECT_URI, consent_redirect

ALICE = "alice@contoso.example"
ORG_ID = "874920001"
SECRETS = LocalSecrets.generate()


# The real kinds: subscriptions use their resource and watch events, the timer their delta window (the
# window settings are the defaults these tests' settings keep).
CALENDAR: SyncKind = CalendarKind(Settings())
CONTACTS: SyncKind = ContactsKind(Settings())


def kind_for(name: str) -> SyncKind:
    return {"calendar": CALENDAR, "contacts": CONTACTS}[name]


def make_settings(
    prefix: str,
    public_base_url: str,
    storage_connection_string: str,
    graph: GraphEmulatorHandle,
    recruit: RecruitEmulator,
) -> Settings:
    return Settings(
        storage_connection_string=storage_connection_string,
        table_prefix=prefix,
        queue_sync_requests=f"{prefix}-sync",
        queue_lifecycle=f"{prefix}-lifecycle",
        token_encryption_keys=SECRETS.token_encryption_keys,
        public_base_url=public_base_url,
        graph_api_base_url=f"{graph.base_url}/v1.0",
        microsoft_authority_host=graph.tls_base_url.removeprefix("https://"),
        microsoft_ca_file=str(graph.ca_file),
        microsoft_client_id=graph.seed["app"]["client_id"],
        microsoft_client_secret=graph.seed["app"]["client_secret"],
        zoho_accounts_url=recruit.base_url,
        zoho_api_base_url=recruit.api_base,
        zoho_client_id=recruit.seed["client"]["client_id"],
        zoho_client_secret=recruit.seed["client"]["client_secret"],
        # The connections below are SSO connections: their org must be listed, as on the product's stack.
        sso_tenants=demo_sso_tenants(),
    )


@dataclass
class WebhookHost:
    """Serves `/{prefix}/api/webhooks/{graph|recruit}` through the product's handlers, with that prefix's
    tables and queues, so every test has its own routes and queues on one session-wide server."""

    base_url: str
    settings_for: Callable[[str, str], Settings]
    contexts: dict[str, EngineContext] = field(default_factory=dict)

    def public_base_url(self, prefix: str) -> str:
        return f"{self.base_url}/{prefix}"

    async def endpoint(self, request: Request) -> Response:
        prefix = request.path_params["prefix"]
        ctx = self.contexts.get(prefix)
        if ctx is None:
            settings = self.settings_for(prefix, self.public_base_url(prefix))
            ctx = self.contexts[prefix] = EngineContext(settings, StorageContext(settings))
        function_request = func.HttpRequest(
            method=request.method,
            url=str(request.url),
            headers=dict(request.headers),
            params=dict(request.query_params),
            body=await request.body(),
        )
        answer = answer_graph if request.path_params["source"] == "graph" else answer_recruit
        response = await answer(ctx, function_request)
        return Response(response.get_body(), response.status_code, media_type=response.mimetype)

    async def close(self) -> None:
        for ctx in self.contexts.values():
            await ctx.close()


@pytest.fixture(scope="session")
def webhook_host(
    storage_connection_string: str, graph_emulator: GraphEmulatorHandle, recruit_emulator: RecruitEmulator
) -> Iterator[WebhookHost]:
    port = free_port()

    def settings_for(prefix: str, public_base_url: str) -> Settings:
        return make_settings(
            prefix, public_base_url, storage_connection_string, graph_emulator, recruit_emulator
        )

    host = WebhookHost(f"http://127.0.0.1:{port}", settings_for)
    app = Starlette(routes=[Route("/{prefix}/api/webhooks/{source:str}", host.endpoint, methods=["POST"])])
    server = ServerThread(app, [Listener(port)]).start()
    yield host
    # The contexts' storage clients live on the server's loop: close them there before it stops.
    assert server.loop is not None
    asyncio.run_coroutine_threadsafe(host.close(), server.loop).result(timeout=30)
    server.stop()


class EmulatorClock:
    """The test's clock kept equal to both emulators' clocks (each is real time plus an offset)."""

    def __init__(self, graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> None:
        self.graph = graph
        self.recruit = recruit
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        seconds = delta.total_seconds()
        self.graph.control("clock", {"advance_seconds": seconds})
        self.recruit.control("clock", {"advance_seconds": seconds})
        self.offset += delta


@pytest.fixture
def clock(graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> EmulatorClock:
    return EmulatorClock(graph, recruit)


@pytest.fixture
def settings(
    table_prefix: str,
    webhook_host: WebhookHost,
    storage_connection_string: str,
    graph: GraphEmulatorHandle,
    recruit: RecruitEmulator,
) -> Settings:
    public = webhook_host.public_base_url(table_prefix)
    return make_settings(table_prefix, public, storage_connection_string, graph, recruit)


@pytest.fixture
async def ctx(settings: Settings, clock: EmulatorClock) -> AsyncIterator[EngineContext]:
    context = EngineContext(settings, StorageContext(settings), clock=clock)
    yield context
    await context.close()


async def recruit_token(settings: Settings, email: str) -> RecruitToken:
    """A real token pair from the Recruit emulator's sign-in, so refreshes work after the clock moves."""
    callback = await consent_redirect(settings, email)
    server, code = callback["accounts-server"], callback["code"]
    tokens = await exchange_code(server, code, REDIRECT_URI, settings=settings)
    assert tokens.refresh_token
    return RecruitToken(
        refresh_token=tokens.refresh_token, access_token=tokens.access_token, expires_at=tokens.expires_at
    )


async def connect(
    ctx: EngineContext, graph: GraphEmulatorHandle, recruit: RecruitEmulator, email: str = ALICE
) -> Connection:
    """An SSO connection row for a seeded user, as enable leaves it."""
    recruit_user = next(
        user for org in recruit.seed["orgs"] for user in org["users"] if user["email"] == email
    )
    microsoft = graph.user(email)
    connection = Connection(
        org_id=ORG_ID,
        user_id=recruit_user["id"],
        email=email,
        name=recruit_user["full_name"],
        time_zone=recruit_user["time_zone"],
        api_base=recruit.api_base,
        accounts_server=recruit.base_url,
        recruit_token=await recruit_token(ctx.settings, email),
        microsoft_tenant_id=microsoft["tenant_id"],
        microsoft_user_id=microsoft["id"],
        microsoft_email=email,
        auth_mode="sso",
    )
    return await ctx.connections.upsert(connection)


async def with_calendar(
    ctx: EngineContext, connection: Connection, status: SyncStatus = "active"
) -> SyncState:
    """Creates the dedicated calendar and stores it in the syncstate, as enable does before subscribing."""
    async with ctx.graph(connection) as client:
        calendar_id = await containers.find_or_create_calendar(
            client, connection.microsoft_user_id, ctx.settings.calendar_name
        )

    def store(state: SyncState) -> SyncState:
        return state.model_copy(update={"container_id": calendar_id, "status": status})

    return await ctx.syncstate.modify(connection.key, "calendar", store)


@pytest.fixture
async def alice(ctx: EngineContext, graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> Connection:
    connection = await connect(ctx, graph, recruit)
    await with_calendar(ctx, connection)
    return connection


def queued(settings: Settings, queue_name: str) -> list[dict[str, Any]]:
    """Every message waiting in a queue (peeked, not taken), decoded from base64 JSON."""
    with QueueClient.from_connection_string(settings.storage_connection_string, queue_name) as queue:
        try:
            messages = queue.peek_messages(max_messages=32)
        except ResourceNotFoundError:  # the queue is made by the first send
            return []
        return [json.loads(base64.b64decode(message.content)) for message in messages]


def sync_messages(settings: Settings) -> list[dict[str, Any]]:
    return queued(settings, settings.queue_sync_requests)


def lifecycle_messages(settings: Settings) -> list[dict[str, Any]]:
    return queued(settings, settings.queue_lifecycle)


async def post(
    url: str, body: bytes | dict[str, Any], params: dict[str, str] | None = None, token: str | None = None
) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
        return await client.post(url, content=content, params=params, headers=headers)
