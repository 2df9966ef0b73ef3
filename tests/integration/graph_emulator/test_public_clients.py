"""Public clients against the identity emulator, with MSAL's PublicClientApplication: the device-code flow its
discovery document advertises, and auth code + PKCE without a client secret.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import msal
import pytest
import requests

from tests.fixtures.graph_emulator import GraphEmulatorHandle

from .conftest import ALICE, BOB

CLIENT_ID = "local-graph-client"
SCOPES = ["Calendars.ReadWrite", "User.Read"]
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


@pytest.fixture
def public_app(graph: GraphEmulatorHandle) -> Iterator[msal.PublicClientApplication]:
    session = requests.Session()
    session.verify = str(graph.ca_file)
    session.trust_env = False
    yield msal.PublicClientApplication(
        CLIENT_ID,
        authority=f"{graph.tls_base_url}/organizations",
        instance_discovery=False,
        http_client=session,
    )
    session.close()


def _token_request(graph: GraphEmulatorHandle, form: dict[str, str]) -> httpx.Response:
    return httpx.post(f"{graph.base_url}/organizations/oauth2/v2.0/token", data=form, trust_env=False)


def _me_status(graph: GraphEmulatorHandle, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.get(f"{graph.base_url}/v1.0/me/events", headers=headers, trust_env=False).status_code


def test_device_code_flow_is_pending_until_the_user_approves(
    graph: GraphEmulatorHandle, public_app: msal.PublicClientApplication
) -> None:
    discovery = httpx.get(f"{graph.tls_base_url}/organizations/v2.0/.well-known/openid-configuration",
                          verify=str(graph.ca_file), trust_env=False).json()  # fmt: skip
    assert discovery["device_authorization_endpoint"].endswith("/organizations/oauth2/v2.0/devicecode")
    flow = public_app.initiate_device_flow(scopes=SCOPES)
    assert {"user_code", "device_code", "verification_uri", "expires_in", "interval", "message"} <= set(flow)
    assert flow["expires_in"] == 900 and flow["user_code"] in flow["message"]
    poll = {"grant_type": DEVICE_GRANT, "client_id": CLIENT_ID, "device_code": flow["device_code"]}
    pending = _token_request(graph, poll)
    assert pending.status_code == 400 and pending.json()["error"] == "authorization_pending"

    picker = httpx.get(flow["verification_uri"], params={"user_code": flow["user_code"]}, trust_env=False)
    assert picker.status_code == 200 and ALICE in picker.text
    approved = httpx.get(
        flow["verification_uri"],
        params={"user_code": flow["user_code"], "login_hint": ALICE},
        trust_env=False,
    )
    assert approved.status_code == 200

    result: dict[str, Any] = public_app.acquire_token_by_device_flow(flow)
    assert "access_token" in result, result
    assert result["id_token_claims"]["preferred_username"] == ALICE
    assert _me_status(graph, result["access_token"]) == 200
    reused = _token_request(graph, poll)
    assert reused.json()["error"] == "bad_verification_code"


def test_a_declined_or_expired_device_code_stops_the_flow(
    graph: GraphEmulatorHandle, public_app: msal.PublicClientApplication
) -> None:
    declined = public_app.initiate_device_flow(scopes=SCOPES)
    httpx.get(declined["verification_uri"], params={"user_code": declined["user_code"], "decline": "1"},
              trust_env=False)  # fmt: skip
    answer = _token_request(graph, {"grant_type": DEVICE_GRANT, "client_id": CLIENT_ID,
                                    "device_code": declined["device_code"]})  # fmt: skip
    assert answer.json()["error"] == "authorization_declined"

    expiring = public_app.initiate_device_flow(scopes=SCOPES)
    graph.control("clock", {"advance_seconds": 901})
    answer = _token_request(graph, {"grant_type": DEVICE_GRANT, "client_id": CLIENT_ID,
                                    "device_code": expiring["device_code"]})  # fmt: skip
    assert answer.json()["error"] == "expired_token"


def test_a_public_client_redeems_an_auth_code_with_pkce_and_no_secret(
    graph: GraphEmulatorHandle, public_app: msal.PublicClientApplication
) -> None:
    redirect = "http://localhost:9/callback"
    flow = public_app.initiate_auth_code_flow(SCOPES, redirect_uri=redirect, login_hint=BOB)
    location = httpx.get(flow["auth_uri"], follow_redirects=False, trust_env=False).headers["location"]
    query = {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}
    result: dict[str, Any] = public_app.acquire_token_by_auth_code_flow(flow, query)
    assert "access_token" in result, result
    assert _me_status(graph, result["access_token"]) == 200
    account = public_app.get_accounts(username=BOB)[0]
    refreshed = public_app.acquire_token_silent(SCOPES, account=account, force_refresh=True)
    assert refreshed is not None and "access_token" in refreshed


def test_without_public_client_flows_a_secret_is_required(graph: GraphEmulatorHandle) -> None:
    graph.app.store.app["public_client"] = False  # Entra's "Allow public client flows: No"
    public = _token_request(graph, {"grant_type": DEVICE_GRANT, "client_id": CLIENT_ID, "device_code": "x"})
    assert public.status_code == 401 and public.json()["error"] == "invalid_client"
    assert public.json()["error_codes"] == [7000218]
    app_only = _token_request(graph, {"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                      "scope": "https://graph.microsoft.com/.default"})  # fmt: skip
    assert app_only.status_code == 401
