"""One SSL context for every outgoing HTTPS client (Graph, Recruit, Zoho accounts).

Building a context reads the whole CA bundle (20-40 ms of CPU), and the engine opens clients per pass: with
many users that was a few per cent of all CPU. The context is built as httpx builds its default one
(certifi, or SSL_CERT_FILE / SSL_CERT_DIR when set), so sharing it changes nothing but the cost.
"""

from __future__ import annotations

import ssl
from functools import lru_cache

import httpx


@lru_cache(maxsize=1)
def shared_ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()
