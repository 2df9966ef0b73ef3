"""The httpx client the Recruit package opens when the caller gives none, on the shared SSL context."""

from __future__ import annotations

import httpx

from sync_core.tls import shared_ssl_context


def new_http_client(timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=timeout, verify=shared_ssl_context())
