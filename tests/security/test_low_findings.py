"""The low findings: HSTS, SESSION_SECRET length, non-ASCII CSRF header, ids escaped in URLs, tokens out of
reprs, `requests` declared."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from sync_core.config import Settings
from sync_core.engine.context import EngineContext
from sync_core.recruit.oauth import RecruitTokens
from sync_core.store.connections import Connection, RecruitToken
from tests.integration.product_api.conftest import sign_in

ROOT = Path(__file__).parents[2]


async def test_every_answer_carries_hsts(browser: httpx.AsyncClient) -> None:
    for path in ("/api/ui", "/api/me", "/api/health"):
        answer = await browser.get(path)
        assert answer.headers["strict-transport-security"].startswith("max-age=31536000"), path


def test_a_session_secret_shorter_than_32_characters_is_refused_at_startup() -> None:
    with pytest.raises(ValidationError):
        Settings(session_secret="too-short")
    assert Settings(session_secret="s" * 32).session_secret == "s" * 32


async def test_a_non_ascii_csrf_header_is_a_403_not_a_500(
    browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await sign_in(browser, "bob@fabrikam.example")

    answer = await browser.post("/api/sync/calendar/disable", headers={"X-CSRF-Token": "é☃".encode()})

    assert answer.status_code == 403


def test_tokens_do_not_appear_in_reprs() -> None:
    token = RecruitToken(refresh_token="REFRESH-SECRET", access_token="ACCESS-SECRET")
    connection = Connection(org_id="o", user_id="u", recruit_token=token, msal_cache="MSAL-SECRET")
    tokens = RecruitTokens(
        access_token="ACCESS-SECRET",
        refresh_token="REFRESH-SECRET",
        expires_at=datetime.now(UTC),
        accounts_server="https://accounts.zoho.com",
    )
    for shown in (repr(token), repr(connection), str(connection), repr(tokens)):
        assert "SECRET" not in shown, shown


def test_requests_is_a_declared_runtime_dependency() -> None:
    imported = "import requests" in (ROOT / "sync_core/graph/auth.py").read_text()
    declared = [
        line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("requests==")
    ]
    assert imported and declared


async def test_a_record_id_cannot_name_another_path(recruit: object, product: EngineContext) -> None:
    from sync_core.graph.paths import item_path

    assert item_path("me", "event", "../../users/x") == "/users/me/events/..%2F..%2Fusers%2Fx"
