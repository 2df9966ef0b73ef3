"""MSAL and azure-identity against the emulator's https listener: client credentials, auth code + PKCE,
refresh tokens, admin consent, and the tokens they get working on /v1.0.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import msal
import pytest
import requests
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import ClientSecretCredential

from tests.fixtures.graph_emulator import GraphEmulatorHandle

from .conftest import ALICE, BOB

CLIENT_ID, SECRET = "local-graph-client", "local-graph-secret"
SCOPES = ["Calendars.ReadWrite", "Contacts.ReadWrite", "User.Read"]
REDIRECT = "http://127.0.0.1:9/callback"


def _msal_app(graph: GraphEmulatorHandle, tenant: str) -> msal.ConfidentialClientApplication:
    session = requests.Session()
    session.verify = str(graph.ca_file)
    session.trust_env = False
    return msal.ConfidentialClientApplication(
        CLIENT_ID,
        client_credential=SECRET,
        authority=f"{graph.tls_base_url}/{tenant}",
        instance_discovery=False,
        http_client=session,
    )


def _sign_in(graph: GraphEmulatorHandle, app: msal.ConfidentialClientApplication, email: str,
             scopes: list[str]) -> dict[str, Any]:  # fmt: skip
    """Drive the authorize page as a browser would (login_hint approves at once) and redeem the code."""
    flow = app.initiate_auth_code_flow(scopes, redirect_uri=REDIRECT, login_hint=email)
    assert flow["auth_uri"].startswith(graph.base_url)  # the browser never meets the local certificate
    answer = httpx.get(flow["auth_uri"], follow_redirects=False, trust_env=False)
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith(REDIRECT)
    query = {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}
    result: dict[str, Any] = app.acquire_token_by_auth_code_flow(flow, query)
    return result


async def _events_status(graph: GraphEmulatorHandle, token: str, user: str) -> int:
    path = "/me/events" if user == "me" else f"/users/{user}/events"
    async with httpx.AsyncClient(trust_env=False) as client:
        answer = await client.get(
            f"{graph.base_url}/v1.0{path}", headers={"Authorization": f"Bearer {token}"}
        )
    return answer.status_code


async def test_msal_client_credentials_reach_every_mailbox_of_a_consented_tenant(
    graph: GraphEmulatorHandle,
) -> None:
    tenant = graph.user(ALICE)["tenant_id"]
    result = _msal_app(graph, tenant).acquire_token_for_client(["https://graph.microsoft.com/.default"])
    assert "access_token" in result, result
    assert await _events_status(graph, result["access_token"], "carol@contoso.example") == 200
    assert await _events_status(graph, result["access_token"], BOB) == 401


def test_client_credentials_without_admin_consent_fail(graph: GraphEmulatorHandle) -> None:
    result = _msal_app(graph, graph.user(BOB)["tenant_id"]).acquire_token_for_client(
        ["https://graph.microsoft.com/.default"]
    )
    assert result.get("error") == "invalid_grant"


async def test_msal_auth_code_flow_with_pkce_gives_a_user_token_and_refreshes(
    graph: GraphEmulatorHandle,
) -> None:
    app = _msal_app(graph, "organizations")
    result = _sign_in(graph, app, BOB, SCOPES)
    assert "access_token" in result, result
    assert result["id_token_claims"]["preferred_username"] == BOB
    assert await _events_status(graph, result["access_token"], "me") == 200
    account = app.get_accounts(username=BOB)[0]
    refreshed = app.acquire_token_silent(SCOPES, account=account, force_refresh=True)
    assert refreshed is not None and refreshed["access_token"] != result["access_token"]
    assert await _events_status(graph, refreshed["access_token"], BOB) == 200


async def test_delegated_token_without_calendar_scope_is_403(graph: GraphEmulatorHandle) -> None:
    result = _sign_in(graph, _msal_app(graph, graph.user(ALICE)["tenant_id"]), ALICE, ["User.Read"])
    assert await _events_status(graph, result["access_token"], "me") == 403


def test_authorize_without_pkce_is_refused(graph: GraphEmulatorHandle) -> None:
    answer = httpx.get(
        f"{graph.base_url}/common/oauth2/v2.0/authorize",
        params={
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "login_hint": ALICE,
        },
        trust_env=False,
    )
    assert answer.status_code == 400


def test_authorize_without_login_hint_shows_the_users_to_pick(graph: GraphEmulatorHandle) -> None:
    answer = httpx.get(
        f"{graph.base_url}/{graph.user(ALICE)['tenant_id']}/oauth2/v2.0/authorize",
        params={"client_id": CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code",
                "code_challenge": "x" * 43, "code_challenge_method": "S256"},
        trust_env=False,
    )  # fmt: skip
    assert answer.status_code == 200
    assert ALICE in answer.text and "carol@contoso.example" in answer.text and BOB not in answer.text


async def test_azure_identity_client_secret_credential(graph: GraphEmulatorHandle) -> None:
    credential = ClientSecretCredential(
        graph.user(ALICE)["tenant_id"], CLIENT_ID, SECRET,
        authority=graph.tls_base_url.removeprefix("https://"),
        disable_instance_discovery=True, connection_verify=str(graph.ca_file),
    )  # fmt: skip
    with credential:
        token = credential.get_token("https://graph.microsoft.com/.default")
    assert await _events_status(graph, token.token, ALICE) == 200


def test_azure_identity_wrong_secret_fails(graph: GraphEmulatorHandle) -> None:
    credential = ClientSecretCredential(
        graph.user(ALICE)["tenant_id"], CLIENT_ID, "wrong",
        authority=graph.tls_base_url.removeprefix("https://"),
        disable_instance_discovery=True, connection_verify=str(graph.ca_file),
    )  # fmt: skip
    with credential, pytest.raises(ClientAuthenticationError):
        credential.get_token("https://graph.microsoft.com/.default")
