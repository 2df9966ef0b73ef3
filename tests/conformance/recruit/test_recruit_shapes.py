"""The Recruit emulator replayed against Zoho's documented answers (zoho/crm-oas examples, where a Recruit
source confirms Recruit shares them: see zoho_facts.py): status, property names and JSON types of the record
list and its owner references, a bulk insert's per-record answer, the error envelope of a scope mismatch, and
the watch API's create and list answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.fixtures.recruit_emulator import RecruitEmulator

from .shapes import mismatches
from .zoho_facts import (
    INSERT_SUCCESS,
    OWNER_REFERENCE,
    RECORD_LIST,
    SCOPE_MISMATCH,
    WATCH_CREATED,
    WATCH_LISTED,
    Fact,
)

ALICE = "alice@contoso.example"


@pytest.fixture
def alice(recruit: RecruitEmulator) -> Iterator[httpx.Client]:
    with recruit.client_for(ALICE) as client:
        yield client


def conforms(fact: Fact, response: httpx.Response, skip: frozenset[str] = frozenset()) -> None:
    assert response.status_code == fact.status, (fact.source, response.text)
    assert mismatches(fact.body, response.json(), skip=skip) == [], fact.source


def test_a_record_list_has_zoho_s_envelope(alice: httpx.Client) -> None:
    conforms(RECORD_LIST, alice.get("/Contacts", params={"per_page": 2}))


def test_owner_and_user_references_are_name_and_id(alice: httpx.Client) -> None:
    listed = alice.get("/Contacts").json()["data"]
    for record in listed:
        assert mismatches(OWNER_REFERENCE.body, record["Contact_Owner"]) == [], OWNER_REFERENCE.source
        assert mismatches(OWNER_REFERENCE.body, record["Created_By"]) == [], OWNER_REFERENCE.source


def test_a_bulk_insert_answers_each_record_as_zoho_does(alice: httpx.Client) -> None:
    conforms(INSERT_SUCCESS, alice.post("/Contacts", json={"data": [{"Last_Name": "Conformant"}]}))


def test_a_call_outside_the_scopes_answers_zoho_s_error_envelope(recruit: RecruitEmulator) -> None:
    token = recruit.control("token", {"user": ALICE, "scopes": "ZohoRecruit.modules.ALL"})["access_token"]
    response = httpx.get(
        f"{recruit.api_base}/Contacts/search",
        params={"criteria": "(Last_Name:equals:Ng)"},
        headers={"Authorization": f"Zoho-oauthtoken {token}"},
        trust_env=False,
    )
    conforms(SCOPE_MISMATCH, response)
    assert response.json()["code"] == SCOPE_MISMATCH.body["code"]


def test_the_watch_api_answers_create_and_list_in_zoho_s_shapes(alice: httpx.Client) -> None:
    expiry = (datetime.now(UTC) + timedelta(hours=6)).replace(microsecond=0).isoformat()
    item = {
        "channel_id": 1000000068001,
        "events": ["Contacts.create", "Contacts.edit"],
        "channel_expiry": expiry,
        "token": "xyz",
        "notify_url": "https://webhook.example/notify",
    }
    conforms(WATCH_CREATED, alice.post("/actions/watch", json={"watch": [item]}))
    conforms(WATCH_LISTED, alice.get("/actions/watch"))


def test_the_comparison_catches_a_missing_property_and_a_wrong_type() -> None:
    documented = {"data": [{"id": "1", "n": 1}], "info": {"more_records": True}}
    answered = {"data": [{"id": 1}], "info": {"more_records": "no"}}
    assert mismatches(documented, answered) == [
        "$.data[].id: the example has a string, ours is number",
        "$.data[].n: missing",
        "$.info.more_records: the example has a boolean, ours is string",
    ]
