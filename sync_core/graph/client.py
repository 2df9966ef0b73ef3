"""The one door to Microsoft Graph: raw JSON requests through msgraph-sdk's request adapter.

Every request sends `Prefer: IdType="ImmutableId"`, and no body-content-type preference: event bodies come
as the HTML Exchange keeps (api/event-get.md), which `domain/html_text` reads with links' URLs kept (the text
Exchange would make instead is not documented). Each request waits for a per-mailbox concurrency slot,
retries throttling and server errors itself (outside the slot) with bounded attempts, and a refused token
once.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from azure.core.credentials_async import AsyncTokenCredential
from azure.core.exceptions import ClientAuthenticationError
from kiota_abstractions.response_handler import ResponseHandler

from sync_core.config import Settings, get_settings
from sync_core.graph.auth import FreshTokenCredential
from sync_core.graph.errors import AuthRequired, GraphError, error_from_response, parse_retry_after
from sync_core.tls import shared_ssl_context

GRAPH_SCOPES = ["https://graph.microsoft.com/.default"]
IMMUTABLE_ID = 'IdType="ImmutableId"'
# Every request's preferences; delta links do not keep them, so each page sends them again (API-NOTES.md).
ALWAYS_PREFER = (IMMUTABLE_ID,)
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class GraphResponse:
    """A Graph answer: status, lower-cased headers, parsed JSON body (None when empty)."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class _MailboxGate:
    """Caps requests in flight for one mailbox (Outlook allows 4 per app per mailbox) and holds every request
    for it while the mailbox is throttled.

    A 429's `Retry-After` speaks for the mailbox, not for the one request: Graph counts the budget per app and
    mailbox (concepts/throttling-limits.md, "Outlook service limits"), so until the wait is over any request
    for it would be refused too. `pause` makes every caller wait it out instead of hammering."""

    def __init__(self, permits: int) -> None:
        self.permits = permits
        self.slots = asyncio.Semaphore(permits)
        # Taking several slots one by one could deadlock two such takers; one at a time cannot.
        self.multi_taker = asyncio.Lock()
        self.resume_at = 0.0  # event-loop time before which no request for the mailbox is sent

    def pause(self, seconds: float) -> None:
        """No request for this mailbox leaves for `seconds` (a throttled answer's Retry-After)."""
        self.resume_at = max(self.resume_at, asyncio.get_running_loop().time() + seconds)

    async def _paused(self) -> None:
        loop = asyncio.get_running_loop()
        # A deadline, not an event: another 429 may move it later while we sleep.
        while (wait := self.resume_at - loop.time()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)

    @asynccontextmanager
    async def hold(self, wanted: int) -> AsyncIterator[None]:
        wanted = max(1, min(wanted, self.permits))
        if wanted == 1:
            async with self.slots:
                await self._paused()
                yield
            return
        taken = 0
        try:
            async with self.multi_taker:
                for _ in range(wanted):
                    await self.slots.acquire()
                    taken += 1
            await self._paused()
            yield
        finally:
            for _ in range(taken):
                self.slots.release()


# asyncio primitives belong to one event loop, so the registry is per loop, then per mailbox.
_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, _MailboxGate]] = (
    weakref.WeakKeyDictionary()
)


def mailbox_gate(mailbox: str, permits: int) -> _MailboxGate:
    """The gate shared by every call for `mailbox` in this event loop."""
    per_loop = _gates.setdefault(asyncio.get_running_loop(), {})
    key = mailbox.casefold()
    gate = per_loop.get(key)
    if gate is None:
        gate = per_loop[key] = _MailboxGate(permits)
    return gate


class _RawResponseHandler(ResponseHandler):
    """Kiota response handler that hands back status, headers and JSON instead of a parsed model."""

    async def handle_response_async(self, response: Any, error_map: Any) -> GraphResponse:
        assert isinstance(response, httpx.Response)
        content = await response.aread()
        body: Any = None
        if content:
            try:
                body = json.loads(content)
            except ValueError:
                body = content.decode("utf-8", errors="replace")
        headers = {key.lower(): value for key, value in response.headers.items()}
        return GraphResponse(response.status_code, headers, body)


class GraphClient:
    """Sends raw Graph requests for one credential (an app-only tenant or one delegated user).

    `mailbox` names the mailbox a request counts against; pass one form for a user (the Graph user id), or the
    same mailbox would get two separate concurrency gates.
    """

    def __init__(
        self,
        credential: AsyncTokenCredential,
        settings: Settings | None = None,
        *,
        max_attempts: int = 5,
        max_retry_after: float = 120.0,
        backoff_seconds: float = 0.5,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        """`http_client`: instead of msgraph's default (e.g. one on an in-process transport in tests)."""
        # msgraph is large: import it only when a client is built.
        from kiota_authentication_azure.azure_identity_authentication_provider import (
            AzureIdentityAuthenticationProvider,
        )
        from kiota_http.kiota_client_factory import DEFAULT_CONNECTION_TIMEOUT, DEFAULT_REQUEST_TIMEOUT
        from msgraph.graph_request_adapter import GraphRequestAdapter
        from msgraph.graph_request_adapter import options as msgraph_middleware_options
        from msgraph_core import GraphClientFactory

        self.settings = settings or get_settings()
        self.credential = credential
        self.max_attempts = max_attempts
        self.max_retry_after = max_retry_after
        self.backoff_seconds = backoff_seconds
        if http_client is None:
            # msgraph's own default client (the same timeouts, HTTP/2 and middleware), on the shared SSL
            # context instead of a new one per client.
            http_client = GraphClientFactory.create_with_default_middleware(
                client=httpx.AsyncClient(
                    timeout=httpx.Timeout(DEFAULT_REQUEST_TIMEOUT, connect=DEFAULT_CONNECTION_TIMEOUT),
                    http2=True,
                    verify=shared_ssl_context(),
                ),
                options=msgraph_middleware_options,
            )
        self.adapter = GraphRequestAdapter(
            AzureIdentityAuthenticationProvider(credential, scopes=GRAPH_SCOPES), client=http_client
        )
        self.adapter.base_url = self.settings.graph_api_base_url.rstrip("/")

    @property
    def base_url(self) -> str:
        return str(self.adapter.base_url)

    def url(self, path_or_url: str) -> str:
        """Absolute URL for a path under the API root; next/delta links pass through unchanged."""
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return self.base_url + "/" + path_or_url.lstrip("/")

    def gate(self, mailbox: str) -> _MailboxGate:
        return mailbox_gate(mailbox, self.settings.graph_max_concurrency)

    async def send(
        self,
        method: str,
        path_or_url: str,
        *,
        mailbox: str | None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        prefer: Iterable[str] = (),
        slots: int = 1,
    ) -> GraphResponse:
        """One request with retries for 429/5xx, and once more with a fresh token after a 401 (Graph can
        refuse a token before the time it was issued for: revoked, or judged on a clock ahead of ours);
        returns whatever status came last (never raises for it)."""
        attempt = 0
        token_refused = False
        while True:
            attempt += 1
            try:
                if mailbox is None:
                    response = await self._send_once(method, path_or_url, body, headers, prefer)
                else:
                    async with self.gate(mailbox).hold(slots):
                        response = await self._send_once(method, path_or_url, body, headers, prefer)
            except ClientAuthenticationError as exc:  # app-only: consent revoked or secret wrong
                raise AuthRequired(401, "invalid_client", str(exc)) from exc
            except httpx.TransportError:
                if attempt >= self.max_attempts:
                    raise
                await asyncio.sleep(self.backoff_seconds * 2 ** (attempt - 1))
                continue
            if (
                response.status == 401
                and not token_refused
                and isinstance(self.credential, FreshTokenCredential)
            ):
                token_refused = True
                await self.credential.drop_cached_token()
                continue
            if response.status not in RETRYABLE_STATUSES or attempt >= self.max_attempts:
                return response
            wait = self._wait_before_retry(response, attempt)
            if wait is None:
                return response
            if response.status == 429 and mailbox is not None:
                self.gate(mailbox).pause(wait)
            await asyncio.sleep(wait)  # outside the mailbox slot; other callers wait for the gate

    async def request(
        self,
        method: str,
        path_or_url: str,
        *,
        mailbox: str | None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        prefer: Iterable[str] = (),
        container: bool = False,
    ) -> GraphResponse:
        """Like `send`, but a non-2xx answer raises the matching `GraphError`."""
        response = await self.send(
            method, path_or_url, mailbox=mailbox, body=body, headers=headers, prefer=prefer
        )
        if not response.ok:
            raise error_from_response(response.status, response.body, response.headers, container=container)
        return response

    async def get_all(self, path_or_url: str, *, mailbox: str | None, container: bool = False) -> list[Any]:
        """Every element of a collection, following `@odata.nextLink`."""
        values: list[Any] = []
        url: str | None = path_or_url
        while url:
            page = (await self.request("GET", url, mailbox=mailbox, container=container)).body or {}
            values.extend(page.get("value") or [])
            url = page.get("@odata.nextLink")
        return values

    def _wait_before_retry(self, response: GraphResponse, attempt: int) -> float | None:
        if "retry-after" in response.headers:
            wait = parse_retry_after(response.headers["retry-after"])
            return wait if wait <= self.max_retry_after else None
        if response.status == 429:
            return 1.0
        return float(self.backoff_seconds * 2 ** (attempt - 1))

    async def _send_once(
        self,
        method: str,
        path_or_url: str,
        body: Any,
        headers: Mapping[str, str] | None,
        prefer: Iterable[str],
    ) -> GraphResponse:
        from kiota_abstractions.method import Method
        from kiota_abstractions.request_information import RequestInformation
        from kiota_http.middleware.options import ResponseHandlerOption, RetryHandlerOption

        info = RequestInformation()
        info.http_method = Method(method.upper())
        info.url = self.url(path_or_url)
        info.headers.try_add("Accept", "application/json")
        for value in ALWAYS_PREFER:
            info.headers.add("Prefer", value)
        for value in prefer:
            info.headers.add("Prefer", value)
        for name, value in (headers or {}).items():
            info.headers.add(name, value)
        if body is not None:
            info.headers.try_add("Content-Type", "application/json")
            info.content = json.dumps(body).encode("utf-8")
        # Our own loop retries (and sleeps outside the mailbox slot), so the SDK's retry handler stays off.
        info.add_request_options(
            [ResponseHandlerOption(_RawResponseHandler()), RetryHandlerOption(should_retry=False)]
        )
        result = await self.adapter.send_primitive_async(info, "bytes", None)
        if not isinstance(result, GraphResponse):  # pragma: no cover - the handler always answers
            raise GraphError(0, "noResponse", "the request adapter returned no response")
        return result

    async def close(self) -> None:
        # The adapter owns its httpx client but offers no close; without this its connections leak.
        http_client = getattr(self.adapter, "_http_client", None)
        if isinstance(http_client, httpx.AsyncClient):
            await http_client.aclose()
        await self.credential.close()

    async def __aenter__(self) -> GraphClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
