"""Serving an ASGI app on one or more listeners: in the foreground, or in a thread for tests."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp


@dataclass(frozen=True)
class Listener:
    port: int
    host: str = "127.0.0.1"
    cert_file: Path | None = None
    key_file: Path | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _servers(app: ASGIApp, listeners: list[Listener]) -> list[uvicorn.Server]:
    servers = []
    for listener in listeners:
        config = uvicorn.Config(
            app,
            host=listener.host,
            port=listener.port,
            log_level="warning",
            access_log=False,
            lifespan="off",
            # A client that keeps an idle TLS connection open must not hold up stopping the server.
            timeout_graceful_shutdown=2,
            ssl_certfile=str(listener.cert_file) if listener.cert_file else None,
            ssl_keyfile=str(listener.key_file) if listener.key_file else None,
        )
        servers.append(uvicorn.Server(config))
    return servers


def serve_forever(app: ASGIApp, listeners: list[Listener]) -> None:
    """Run until interrupted (python -m local.emulators.X)."""
    servers = _servers(app, listeners)

    async def main() -> None:
        await asyncio.gather(*(server.serve() for server in servers))

    asyncio.run(main())


class ServerThread:
    """Runs the app on its listeners in a background thread with its own event loop."""

    def __init__(self, app: ASGIApp, listeners: list[Listener]) -> None:
        self.servers = _servers(app, listeners)
        self.thread = threading.Thread(target=self._run, name="emulator", daemon=True)
        self.loop: asyncio.AbstractEventLoop | None = None

    def _run(self) -> None:
        async def main() -> None:
            self.loop = asyncio.get_running_loop()
            await asyncio.gather(*(server.serve() for server in self.servers))

        asyncio.run(main())

    def start(self, timeout: float = 15.0) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not all(server.started for server in self.servers):
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("emulator server did not start")
            time.sleep(0.02)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        for server in self.servers:
            server.should_exit = True
        self.thread.join(timeout)
