"""Scopes enforced per route: a token outside its granted scopes gets 401 OAUTH_SCOPE_MISMATCH in Zoho's error
envelope; an unknown Recruit scope name refuses the consent."""

from __future__ import annotations

import httpx
import pytest

from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import ALICE

MISMATCH = {"code": "OAUTH_SCOPE_MISMATCH", "details": {}, "message": "Unauthorized", "status": "error"}


def _client(recruit: RecruitEmulator, scopes: str) -> httpx.Client:
    token = recruit.control("token", {"user": ALICE, "scopes": scopes})["access_token"]
    return httpx.Client(
        base_url=recruit.api_base, headers={"Authorization": f"Zoho-oauthtoken {token}"}, trust_env=False
    )


@pytest.mark.parametrize(
    ("scopes", "method", "path", "params"),
    [
        ("ZohoRecruit.modules.ALL", "GET", "/Contacts/search", {"criteria": "(Last_Name:equals:Ng)"}),
        ("ZohoRecruit.modules.ALL,ZohoRecruit.users.READ", "GET", "/org", {}),
        ("ZohoRecruit.modules.ALL", "GET", "/settings/fields", {"module": "Contacts"}),
        ("ZohoRecruit.modules.ALL", "GET", "/settings/modules", {}),
        ("ZohoRecruit.modules.ALL", "GET", "/users", {"type": "CurrentUser"}),
        ("ZohoRecruit.modules.contact.READ", "GET", "/Events", {}),
        ("ZohoRecruit.modules.contact.READ", "DELETE", "/Contacts", {"ids": "1"}),
        ("ZohoRecruit.notifications.READ", "DELETE", "/actions/watch", {"channel_ids": "1"}),
        ("ZohoRecruit.search.READ", "GET", "/Contacts", {}),
    ],
)
def test_a_call_outside_the_granted_scopes_is_refused(
    recruit: RecruitEmulator, scopes: str, method: str, path: str, params: dict[str, str]
) -> None:
    with _client(recruit, scopes) as client:
        response = client.request(method, path, params=params)
    assert response.status_code == 401
    assert response.json() == MISMATCH


@pytest.mark.parametrize(
    ("scopes", "path", "params"),
    [
        ("ZohoRecruit.search.READ", "/Contacts/search", {"criteria": "(Last_Name:starts_with:A)"}),
        ("ZohoRecruit.org.READ", "/org", {}),
        ("ZohoRecruit.settings.READ", "/settings/fields", {"module": "Contacts"}),
        ("ZohoRecruit.settings.fields.READ", "/settings/fields", {"module": "Contacts"}),
        ("ZohoRecruit.settings.READ", "/settings/modules", {}),
        ("ZohoRecruit.users.READ", "/users", {"type": "CurrentUser"}),
        ("ZohoRecruit.modules.contact.READ", "/Contacts", {}),
        ("ZohoRecruit.modules.Contacts.READ", "/Contacts", {}),
        ("ZohoRecruit.modules.all", "/Events", {}),
        ("ZohoRecruit.notifications.ALL", "/actions/watch", {}),
        ("ZohoRecruit.notifications.READ", "/actions/watch", {}),
    ],
)
def test_the_route_s_scope_lets_the_call_through(
    recruit: RecruitEmulator, scopes: str, path: str, params: dict[str, str]
) -> None:
    with _client(recruit, scopes) as client:
        response = client.get(path, params=params)
    assert response.status_code in (200, 204), response.text


def test_a_module_read_scope_does_not_allow_writes(recruit: RecruitEmulator) -> None:
    with _client(recruit, "ZohoRecruit.modules.contact.READ") as client:
        response = client.post("/Contacts", json={"data": [{"Last_Name": "Nope"}]})
    assert response.status_code == 401 and response.json()["code"] == "OAUTH_SCOPE_MISMATCH"
    with _client(recruit, "ZohoRecruit.modules.contact.CREATE") as client:
        assert client.post("/Contacts", json={"data": [{"Last_Name": "Yes"}]}).status_code == 201


def test_a_refreshed_token_keeps_the_consented_scopes(recruit: RecruitEmulator) -> None:
    client = recruit.seed["client"]
    redirect = "http://127.0.0.1:7071/api/auth/zoho/callback"
    consent = httpx.get(
        f"{recruit.base_url}/oauth/v2/auth",
        params={
            "scope": "ZohoRecruit.org.READ",
            "client_id": client["client_id"],
            "response_type": "code",
            "access_type": "offline",
            "redirect_uri": redirect,
            "login_hint": ALICE,
        },
        trust_env=False,
    )
    code = httpx.URL(consent.headers["location"]).params["code"]
    form = {"client_id": client["client_id"], "client_secret": client["client_secret"]}
    tokens = httpx.post(
        f"{recruit.base_url}/oauth/v2/token",
        data={**form, "grant_type": "authorization_code", "code": code, "redirect_uri": redirect},
        trust_env=False,
    ).json()
    refreshed = httpx.post(
        f"{recruit.base_url}/oauth/v2/token",
        data={**form, "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        trust_env=False,
    ).json()
    headers = {"Authorization": f"Zoho-oauthtoken {refreshed['access_token']}"}
    assert httpx.get(f"{recruit.api_base}/org", headers=headers, trust_env=False).status_code == 200
    users = httpx.get(f"{recruit.api_base}/users", headers=headers, trust_env=False)
    assert users.status_code == 401 and users.json()["code"] == "OAUTH_SCOPE_MISMATCH"


def test_an_unknown_recruit_scope_refuses_the_consent(recruit: RecruitEmulator) -> None:
    client = recruit.seed["client"]
    response = httpx.get(
        f"{recruit.base_url}/oauth/v2/auth",
        params={
            "scope": "ZohoRecruit.modules.ALL,ZohoRecruit.calendar.READ",
            "client_id": client["client_id"],
            "response_type": "code",
            "redirect_uri": "http://127.0.0.1:7071/cb",
            "login_hint": ALICE,
        },
        trust_env=False,
    )
    assert response.status_code == 400
    assert "zohorecruit.calendar.read" in response.text
