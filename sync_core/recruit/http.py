"""The httpx client the Recruit package opens when the caller gives none.

Building an SSL context reads the whole CA bundle (a few hundred ms), so one context is shared.
"""

from __future__ import annotations

import ssl
from functools import lru_cache

import httpx


@lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()


def new_http_client(timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=timeout, verify=_ssl_context())
