"""The accounts server: authorization code and refresh grants, token checks on the API, revocation."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import ALICE, CAROL

REDIRECT = "http://127.0.0.1:7071/api/auth/zoho/callback"


def _authorize(recruit: RecruitEmulator, **extra: str) -> httpx.Response:
    params = {
        "scope": "ZohoRecruit.modules.ALL,ZohoRecruit.users.READ",
        "client_id": recruit.seed["client"]["client_id"],
        "response_type": "code",
        "access_type": "offline",
        "prompt": "consent",
        "redirect_uri": REDIRECT,
        "state": "nonce-123",
        **extra,
    }
    return httpx.get(f"{recruit.base_url}/oauth/v2/auth", params=params, trust_env=False)


def _code_for(recruit: RecruitEmulator, email: str) -> dict[str, list[str]]:
    response = _authorize(recruit, login_hint=email)
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return parse_qs(urlsplit(location).query)


def _token(recruit: RecruitEmulator, **form: str) -> dict[str, Any]:
    client = recruit.seed["client"]
    data = {"client_id": client["client_id"], "client_secret": client["client_secret"], **form}
    response = httpx.post(f"{recruit.base_url}/oauth/v2/token", data=data, trust_env=False)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _me(recruit: RecruitEmulator, api_domain: str, access_token: str) -> httpx.Response:
    return httpx.get(
        f"{api_domain}/recruit/v2/users",
        params={"type": "CurrentUser"},
        headers={"Authorization": f"Zoho-oauthtoken {access_token}"},
        trust_env=False,
    )


def test_authorize_page_lists_seeded_users_to_pick(recruit: RecruitEmulator) -> None:
    response = _authorize(recruit)
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert ALICE in response.text and CAROL in response.text


def test_code_grant_then_refresh_acts_as_the_chosen_user(recruit: RecruitEmulator) -> None:
    query = _code_for(recruit, CAROL)
    assert query["state"] == ["nonce-123"]
    assert query["location"] == ["us"]
    assert query["accounts-server"] == [recruit.base_url]

    tokens = _token(recruit, grant_type="authorization_code", code=query["code"][0], redirect_uri=REDIRECT)
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 3600
    assert tokens["api_domain"] == recruit.base_url
    assert _me(recruit, tokens["api_domain"], tokens["access_token"]).json()["users"][0]["email"] == CAROL

    refreshed = _token(recruit, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert "refresh_token" not in refreshed
    me = _me(recruit, refreshed["api_domain"], refreshed["access_token"])
    assert me.json()["users"][0]["time_zone"] == "Europe/London"


def test_code_without_offline_access_gives_no_refresh_token(recruit: RecruitEmulator) -> None:
    response = _authorize(recruit, login_hint=ALICE, access_type="online")
    code = parse_qs(urlsplit(response.headers["location"]).query)["code"][0]
    tokens = _token(recruit, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert "access_token" in tokens and "refresh_token" not in tokens


def test_code_is_single_use(recruit: RecruitEmulator) -> None:
    code = _code_for(recruit, ALICE)["code"][0]
    assert "access_token" in _token(
        recruit, grant_type="authorization_code", code=code, redirect_uri=REDIRECT
    )
    again = _token(recruit, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert again == {"error": "invalid_code"}


def test_code_expires_after_a_minute_of_emulator_time(recruit: RecruitEmulator) -> None:
    code = _code_for(recruit, ALICE)["code"][0]
    recruit.control("clock", {"advance_seconds": 61})
    assert _token(recruit, grant_type="authorization_code", code=code, redirect_uri=REDIRECT) == {
        "error": "invalid_code"
    }


def test_wrong_client_secret_is_refused(recruit: RecruitEmulator) -> None:
    code = _code_for(recruit, ALICE)["code"][0]
    answer = _token(
        recruit, grant_type="authorization_code", code=code, redirect_uri=REDIRECT, client_secret="x"
    )
    assert answer == {"error": "invalid_client"}


def test_api_refuses_an_unknown_token_with_invalid_token(recruit: RecruitEmulator) -> None:
    response = _me(recruit, recruit.base_url, "1000.not-a-token")
    assert response.status_code == 401
    assert response.json() == {
        "code": "INVALID_TOKEN",
        "details": {},
        "message": "invalid oauth token",
        "status": "error",
    }


def test_access_token_expires_after_an_hour_of_emulator_time(recruit: RecruitEmulator) -> None:
    token = recruit.token_for(ALICE)
    assert _me(recruit, recruit.base_url, token).status_code == 200
    recruit.control("clock", {"advance_seconds": 3601})
    assert _me(recruit, recruit.base_url, token).json()["code"] == "INVALID_TOKEN"


def test_revoked_refresh_token_no_longer_refreshes(recruit: RecruitEmulator) -> None:
    code = _code_for(recruit, ALICE)["code"][0]
    tokens = _token(recruit, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    revoked = httpx.post(
        f"{recruit.base_url}/oauth/v2/token/revoke",
        params={"token": tokens["refresh_token"]},
        trust_env=False,
    )
    assert revoked.json() == {"status": "success"}
    assert _me(recruit, recruit.base_url, tokens["access_token"]).status_code == 401
    assert _token(recruit, grant_type="refresh_token", refresh_token=tokens["refresh_token"]) == {
        "error": "invalid_code"
    }
