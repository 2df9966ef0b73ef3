"""Data centres: a Canadian organisation signs in through the Canadian accounts server and is served by the
Canadian API only; the US (home) listener does not know its codes or tokens, as Zoho's data centres do not."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from local.emulators.kit.serve import Listener, ServerThread, free_port
from local.emulators.recruit import create_app
from local.emulators.recruit.seed import load_seed

from .conftest import ALICE

MAYA = "maya@mapletalent.example"
REDIRECT = "http://127.0.0.1:7071/api/auth/zoho/callback"


@dataclass
class TwoCentres:
    home: str
    canada: str
    client_id: str
    client_secret: str


@pytest.fixture(scope="module")
def centres() -> Iterator[TwoCentres]:
    seed = load_seed()
    home_port, ca_port = free_port(), free_port()
    home, canada = f"http://127.0.0.1:{home_port}", f"http://127.0.0.1:{ca_port}"
    server = ServerThread(create_app(seed, {"ca": canada}), [Listener(home_port), Listener(ca_port)]).start()
    yield TwoCentres(home, canada, seed["client"]["client_id"], seed["client"]["client_secret"])
    server.stop()


def _consent(accounts: str, centres: TwoCentres, email: str) -> dict[str, str]:
    params = {
        "scope": "ZohoRecruit.users.READ,ZohoRecruit.org.READ", "client_id": centres.client_id,
        "response_type": "code", "access_type": "offline", "redirect_uri": REDIRECT, "login_hint": email,
    }  # fmt: skip
    response = httpx.get(f"{accounts}/oauth/v2/auth", params=params, trust_env=False)
    assert response.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


def _redeem(accounts: str, centres: TwoCentres, code: str) -> dict[str, str]:
    form = {
        "client_id": centres.client_id, "client_secret": centres.client_secret,
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
    }  # fmt: skip
    body: dict[str, str] = httpx.post(f"{accounts}/oauth/v2/token", data=form, trust_env=False).json()
    return body


def _org(api_host: str, token: str) -> httpx.Response:
    headers = {"Authorization": f"Zoho-oauthtoken {token}"}
    return httpx.get(f"{api_host}/recruit/v2/org", headers=headers, trust_env=False)


def test_the_grant_names_the_canadian_data_centre(centres: TwoCentres) -> None:
    callback = _consent(centres.home, centres, MAYA)
    assert callback["location"] == "ca"
    assert callback["accounts-server"] == centres.canada


def test_a_canadian_code_is_redeemed_only_in_canada(centres: TwoCentres) -> None:
    code = _consent(centres.home, centres, MAYA)["code"]
    assert _redeem(centres.home, centres, code) == {"error": "invalid_code"}
    code = _consent(centres.home, centres, MAYA)["code"]
    tokens = _redeem(centres.canada, centres, code)
    assert "access_token" in tokens and tokens["api_domain"] == centres.canada


def test_a_canadian_token_works_only_at_the_canadian_api(centres: TwoCentres) -> None:
    tokens = _redeem(centres.canada, centres, _consent(centres.home, centres, MAYA)["code"])
    answered = _org(centres.canada, tokens["access_token"])
    assert answered.status_code == 200 and answered.json()["org"][0]["company_name"] == "Maple Talent"
    refused = _org(centres.home, tokens["access_token"])
    assert refused.status_code == 401 and refused.json()["code"] == "INVALID_TOKEN"


def test_a_us_user_is_not_served_by_the_canadian_api(centres: TwoCentres) -> None:
    callback = _consent(centres.home, centres, ALICE)
    assert callback["location"] == "us" and callback["accounts-server"] == centres.home
    tokens = _redeem(centres.home, centres, callback["code"])
    assert _org(centres.home, tokens["access_token"]).status_code == 200
    assert _org(centres.canada, tokens["access_token"]).status_code == 401
