"""The HTTP side: an ASGI app that routes `/{prefix}/{route}` to HTTP-trigger functions.

Requests become real `func.HttpRequest`s; `func.HttpResponse`s go back with every header and cookie.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import azure.functions as func
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from local.devhost.invoke import Invoker, QueueSender, log
from local.devhost.routes import RouteTemplate, compile_route


@dataclass(frozen=True)
class HttpRoute:
    invoker: Invoker
    template: RouteTemplate
    methods: frozenset[str]  # empty: every method


def http_route(function: Any, directory: str, send: QueueSender | None = None) -> HttpRoute:
    trigger = function.get_trigger()
    # The host uses the function name when the decorator gives no route.
    route = trigger.route if trigger.route is not None else function.get_function_name()
    methods = frozenset(str(getattr(m, "value", m)).upper() for m in (trigger.methods or ()))
    return HttpRoute(Invoker(function, directory, send), compile_route(route), methods)


class HttpHost:
    """ASGI app over the HTTP functions; routes with more literal segments win, as in ASP.NET routing."""

    def __init__(self, routes: list[HttpRoute], route_prefix: str) -> None:
        self.routes = sorted(routes, key=lambda route: route.template.precedence)
        self.prefix = f"/{route_prefix}" if route_prefix else ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        status, headers, body = await self._respond(request)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if request.method == "HEAD" else body})

    async def _respond(self, request: Request) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        path: str = request.scope["path"]
        if self.prefix and not (path == self.prefix or path.startswith(self.prefix + "/")):
            return _plain(404, "Not Found")
        relative = path[len(self.prefix) :]
        matches = [
            (route, values) for route in self.routes if (values := route.template.match(relative)) is not None
        ]
        if not matches:
            return _plain(404, "Not Found")
        allowed = [(r, v) for r, v in matches if not r.methods or request.method in r.methods]
        if not allowed:
            status, headers, body = _plain(405, "Method Not Allowed")
            methods = sorted(set().union(*(r.methods for r, _ in matches)))
            return status, [*headers, (b"allow", ", ".join(methods).encode())], body
        route, route_params = allowed[0]
        function_request = func.HttpRequest(
            method=request.method,
            url=str(request.url),
            headers={name: ", ".join(request.headers.getlist(name)) for name in request.headers},
            # The host joins repeated query keys with commas, as ASP.NET's StringValues does.
            params={key: ",".join(request.query_params.getlist(key)) for key in request.query_params},
            route_params=route_params,
            body=await request.body(),
        )
        try:
            result = await route.invoker.run(function_request, describe=_describe)
        except Exception:
            # Logged with its traceback by the invoker; the client learns nothing of it.
            return 500, [(b"content-length", b"0")], b""
        try:
            return _encode(result)
        except TypeError:
            log.exception("%s returned something that is not an HTTP response", route.invoker.name)
            return 500, [(b"content-length", b"0")], b""


def _describe(result: Any) -> str:
    return f"ok {getattr(result, 'status_code', 200 if result is not None else 204)}"


def _encode(result: Any) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    if isinstance(result, str):
        result = func.HttpResponse(result)
    if result is None:
        return 204, [], b""
    if not isinstance(result, func.HttpResponse):
        raise TypeError(f"an HTTP function must return func.HttpResponse or str, not {type(result).__name__}")
    body = result.get_body()
    headers: list[tuple[bytes, bytes]] = []
    for name, value in result.headers.items():  # werkzeug Headers: repeated names (Set-Cookie) all appear
        if name.lower() != "content-length":
            headers.append((name.lower().encode("latin-1"), str(value).encode("latin-1")))
    if "content-type" not in result.headers:
        mimetype = result.mimetype
        content_type = f"{mimetype}; charset={result.charset}" if mimetype.startswith("text/") else mimetype
        headers.append((b"content-type", content_type.encode("latin-1")))
    headers.append((b"content-length", str(len(body)).encode()))
    return int(result.status_code), headers, body


def _plain(status: int, text: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    body = text.encode()
    return (
        status,
        [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        body,
    )
