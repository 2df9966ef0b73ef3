"""HTTP helpers: security headers on every kind of answer, and the session and CSRF gate of API routes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import azure.functions as func
import pytest

from sync_core.config import get_settings
from sync_core.functions import http
from sync_core.functions import session as sessions
from sync_core.store.connections import ConnectionKey

SECRET = "unit-test-secret-at-least-32-characters-long"


class LiveSessions:
    """The session store at the repository edge: which (user, nonce) sessions are live."""

    def __init__(self) -> None:
        self.live: set[tuple[str, str]] = set()

    async def is_live(self, key: ConnectionKey, nonce: str, now: datetime) -> bool:
        return (str(key), nonce) in self.live


@pytest.fixture(autouse=True)
def live_sessions(monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveSessions]:
    monkeypatch.setenv("SESSION_SECRET", SECRET)
    get_settings.cache_clear()
    store = LiveSessions()
    monkeypatch.setattr(http, "session_store", lambda: store)
    yield store
    get_settings.cache_clear()


def _request(method: str, cookies: dict[str, str] | None = None, csrf: str | None = None) -> func.HttpRequest:
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if csrf is not None:
        headers[sessions.CSRF_HEADER] = csrf
    return func.HttpRequest(method=method, url="http://127.0.0.1/api/me", headers=headers, body=b"")


def _signed_in_cookies(store: LiveSessions) -> dict[str, str]:
    value, session = sessions.issue(SECRET, "org1", "user1", datetime.now(UTC))
    store.live.add((str(ConnectionKey(org_id="org1", user_id="user1")), session.nonce))
    return {sessions.SESSION_COOKIE: value, sessions.CSRF_COOKIE: sessions.csrf_token(SECRET, session)}


@http.with_session
async def whoami(req: func.HttpRequest, session: sessions.Session) -> func.HttpResponse:
    return http.json_response({"user": session.user_id})


@pytest.mark.parametrize(
    "response",
    [
        http.json_response({"ok": True}),
        http.error_response(400, "bad", "Bad."),
        http.empty_response(),
        http.redirect("/api/ui"),
        http.html_page("Title", "Message"),
    ],
)
def test_every_response_carries_the_security_headers(response: func.HttpResponse) -> None:
    for name, value in http.SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert response.headers["Cache-Control"] == "no-store"


def test_every_cookie_becomes_its_own_set_cookie_header() -> None:
    response = http.redirect("/api/ui", ["a=1; Path=/api", "b=2; Path=/api"])
    assert response.headers.get_all("Set-Cookie") == ["a=1; Path=/api", "b=2; Path=/api"]


def test_html_page_escapes_its_texts() -> None:
    body = http.html_page("<t>", "<script>x</script>").get_body().decode()
    assert "<script>x" not in body and "&lt;script&gt;" in body


async def test_a_read_with_a_valid_session_reaches_the_handler(live_sessions: LiveSessions) -> None:
    response = await whoami(_request("GET", _signed_in_cookies(live_sessions)))
    assert response.status_code == 200
    assert response.get_body() == b'{"user": "user1"}'


async def test_no_session_is_401() -> None:
    assert (await whoami(_request("GET"))).status_code == 401


async def test_a_signed_cookie_whose_session_ended_server_side_is_401(live_sessions: LiveSessions) -> None:
    cookies = _signed_in_cookies(live_sessions)
    live_sessions.live.clear()
    assert (await whoami(_request("GET", cookies))).status_code == 401


async def test_a_non_ascii_csrf_header_is_403_not_500(live_sessions: LiveSessions) -> None:
    cookies = _signed_in_cookies(live_sessions)
    request = func.HttpRequest(
        method="POST",
        url="http://127.0.0.1/api/me",
        headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), sessions.CSRF_HEADER: "é☃"},
        body=b"",
    )
    assert (await whoami(request)).status_code == 403


async def test_a_change_needs_the_csrf_header_matching_the_cookie(live_sessions: LiveSessions) -> None:
    cookies = _signed_in_cookies(live_sessions)
    assert (await whoami(_request("POST", cookies))).status_code == 403
    assert (await whoami(_request("POST", cookies, csrf="wrong"))).status_code == 403
    assert (await whoami(_request("POST", cookies, csrf=cookies[sessions.CSRF_COOKIE]))).status_code == 200


async def test_an_unexpected_error_is_a_500_with_security_headers() -> None:
    @http.guarded
    async def broken(req: func.HttpRequest) -> func.HttpResponse:
        raise RuntimeError("boom")

    response = await broken(_request("GET"))
    assert response.status_code == 500
    assert b"boom" not in response.get_body()
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_wrapped_handlers_keep_a_single_req_parameter_for_the_functions_worker() -> None:
    import inspect

    assert list(inspect.signature(whoami).parameters) == ["req"]
    assert whoami.__name__ == "whoami"
