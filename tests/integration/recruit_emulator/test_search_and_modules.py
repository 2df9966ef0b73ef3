"""Routes real clients use besides ours: `GET /settings/modules`, and search by `email=`, `phone=`, `word=`
(Recruit guide apiv2/search-records.html; module metadata as schmorrison/Zoho recruit/metadata.go reads
it)."""

from __future__ import annotations

import httpx


def _contact(client: httpx.Client, **fields: str) -> str:
    response = client.post("/Contacts", json={"data": [fields], "trigger": []})
    assert response.status_code == 201, response.text
    record_id: str = response.json()["data"][0]["details"]["id"]
    return record_id


def test_settings_modules_lists_every_module_with_its_api_name(alice: httpx.Client) -> None:
    modules = alice.get("/settings/modules").json()["modules"]
    names = {module["api_name"] for module in modules}
    assert {"Events", "Interviews", "Contacts", "Candidates", "Clients", "Job_Openings"} <= names
    contacts = next(m for m in modules if m["api_name"] == "Contacts")
    assert contacts["singular_label"] == "Contact" and contacts["api_supported"] is True
    assert isinstance(contacts["id"], str)
    one = alice.get("/settings/modules/Contacts").json()["modules"]
    assert [m["api_name"] for m in one] == ["Contacts"]
    assert alice.get("/settings/modules/Nope").status_code == 400


def test_search_by_email_looks_in_every_email_field(alice: httpx.Client) -> None:
    first = _contact(alice, Last_Name="Mail", Email="one@search.example")
    second = _contact(
        alice, Last_Name="Other", Email="x@search.example", Secondary_Email="ONE@search.example"
    )
    found = alice.get("/Contacts/search", params={"email": "one@search.example"}).json()["data"]
    assert sorted(record["id"] for record in found) == sorted([first, second])
    assert alice.get("/Contacts/search", params={"email": "none@search.example"}).status_code == 204


def test_search_by_word_matches_any_text(alice: httpx.Client) -> None:
    record_id = _contact(alice, Last_Name="Quixotic", Job_Title="Head of Zebras")
    found = alice.get("/Contacts/search", params={"word": "zebras"}).json()["data"]
    assert [record["id"] for record in found] == [record_id]


def test_search_by_phone_compares_digits(alice: httpx.Client) -> None:
    record_id = _contact(alice, Last_Name="Phoned", Mobile="+1 (555) 010-7788")
    found = alice.get("/Contacts/search", params={"phone": "15550107788"}).json()["data"]
    assert [record["id"] for record in found] == [record_id]


def test_search_needs_a_criteria_or_a_shortcut(alice: httpx.Client) -> None:
    response = alice.get("/Contacts/search")
    assert response.status_code == 400 and response.json()["code"] == "INVALID_QUERY"
