"""python-o365 (`O365` on PyPI), an independent Graph client, pointed at the Graph emulator.

O365 signs in through MSAL by itself; here it gets a user's token from the emulator's control API instead, set
with its own `Connection.update_session_auth_header`, and its protocol's service URL names the emulator.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from O365 import Account, MSGraphProtocol

from tests.fixtures.graph_emulator import GraphEmulatorHandle

ALICE = "alice@contoso.example"


@pytest.fixture
def o365_account(graph: GraphEmulatorHandle) -> Callable[[str], Account]:
    def sign_in(email: str) -> Account:
        protocol = MSGraphProtocol(api_version="v1.0", timezone="UTC")
        protocol.protocol_url = f"{graph.base_url}/"
        protocol.service_url = f"{graph.base_url}/v1.0/"
        client = graph.seed["app"]
        account = Account((client["client_id"], client["client_secret"]), protocol=protocol, requests_delay=0)
        session = account.con.get_session()
        session.trust_env = False  # no proxy or CA bundle from the environment for 127.0.0.1
        account.con.session = session
        account.con.update_session_auth_header(access_token=graph.token_for(email))
        return account

    return sign_in


@pytest.fixture
def alice(o365_account: Callable[[str], Account]) -> Account:
    return o365_account(ALICE)
