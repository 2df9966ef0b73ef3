"""Several organisations in one emulator: each sees only its own users and records."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from local.emulators.recruit import create_app
from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import ALICE

OTHER = "dana@globex.example"


@pytest.fixture
async def two_orgs(recruit_emulator: RecruitEmulator) -> AsyncIterator[httpx.AsyncClient]:
    seed: dict[str, Any] = copy.deepcopy(recruit_emulator.seed)
    user = {
        "key": "dana", "id": "461233000000291001", "zuid": "70021001", "email": OTHER,
        "full_name": "Dana Diaz", "time_zone": "Europe/Berlin",
    }  # fmt: skip
    contact = {"module": "Contacts", "owner": "dana", "fields": {"Last_Name": "Globex contact"}}
    seed["orgs"].append({
        "id": "874920002", "company_name": "Globex Staffing", "time_zone": "Europe/Berlin",
        "primary_email": OTHER, "users": [user], "records": [contact],
    })  # fmt: skip
    transport = httpx.ASGITransport(app=create_app(seed))
    async with httpx.AsyncClient(transport=transport, base_url="http://recruit.test") as client:
        yield client


async def _as(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    token = (await client.post("/_emulator/token", json={"user": email})).json()["access_token"]
    return {"Authorization": f"Zoho-oauthtoken {token}"}


async def test_each_org_lists_only_its_own_records(two_orgs: httpx.AsyncClient) -> None:
    dana = await _as(two_orgs, OTHER)
    contacts = (await two_orgs.get("/recruit/v2/Contacts", headers=dana)).json()["data"]
    assert [c["Last_Name"] for c in contacts] == ["Globex contact"]
    org = (await two_orgs.get("/recruit/v2/org", headers=dana)).json()["org"][0]
    assert org["company_name"] == "Globex Staffing"


async def test_records_of_another_org_are_invisible_and_unlinkable(two_orgs: httpx.AsyncClient) -> None:
    alice, dana = await _as(two_orgs, ALICE), await _as(two_orgs, OTHER)
    acme_client = (await two_orgs.get("/recruit/v2/Clients", headers=alice)).json()["data"][0]["id"]
    assert (await two_orgs.get(f"/recruit/v2/Clients/{acme_client}", headers=dana)).status_code == 204
    body = {"data": [{"Last_Name": "Cross", "Client_Name": {"id": acme_client}}]}
    result = (await two_orgs.post("/recruit/v2/Contacts", headers=dana, json=body)).json()["data"][0]
    assert result["code"] == "INVALID_DATA" and result["details"]["api_name"] == "Client_Name"
