"""Field lengths: served in /settings/fields and enforced on writes as Zoho does; the refusals switch."""

from __future__ import annotations

import httpx

from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import create_event

START, END = "2026-12-01T10:00:00+00:00", "2026-12-01T11:00:00+00:00"


def _event(title: str, description: str = "") -> dict[str, object]:
    return {"Event_Title": title, "Start_DateTime": START, "End_DateTime": END, "Description": description}


def test_event_fields_serve_their_lengths(alice: httpx.Client) -> None:
    fields = {
        f["api_name"]: f for f in alice.get("/settings/fields", params={"module": "Events"}).json()["fields"]
    }
    assert fields["Event_Title"]["length"] == 255
    assert fields["Description"]["length"] == 32000


def test_a_title_longer_than_its_length_is_invalid_data_with_the_maximum(alice: httpx.Client) -> None:
    response = alice.post("/Events", json={"data": [_event("T" * 256)], "trigger": []})
    assert response.status_code == 400
    result = response.json()["data"][0]
    assert result["code"] == "INVALID_DATA"
    assert result["details"]["api_name"] == "Event_Title"
    assert result["details"]["maximum_length"] == 255


def test_a_title_of_exactly_its_length_is_stored(alice: httpx.Client) -> None:
    response = alice.post("/Events", json={"data": [_event("T" * 255, "D" * 32000)], "trigger": []})
    assert response.status_code == 201
    record_id = response.json()["data"][0]["details"]["id"]
    stored = alice.get(f"/Events/{record_id}").json()["data"][0]
    assert len(stored["Event_Title"]) == 255 and len(stored["Description"]) == 32000


def test_an_update_longer_than_the_length_is_refused_and_the_record_kept(alice: httpx.Client) -> None:
    record_id = create_event(alice, "Short", START, END)
    response = alice.put("/Events", json={"data": [{"id": record_id, "Description": "D" * 32001}]})
    assert response.json()["data"][0]["code"] == "INVALID_DATA"
    assert alice.get(f"/Events/{record_id}").json()["data"][0]["Description"] in (None, "")


def test_refusal_rule_refuses_matching_writes_until_cleared(
    recruit: RecruitEmulator, alice: httpx.Client
) -> None:
    recruit.control(
        "refusals", {"module": "Events", "rules": [{"api_name": "Event_Title", "contains": "NOPE"}]}
    )
    refused = alice.post("/Events", json={"data": [_event("Say NOPE"), _event("Fine")], "trigger": []})
    assert [r["code"] for r in refused.json()["data"]] == ["INVALID_DATA", "SUCCESS"]
    assert refused.json()["data"][0]["details"]["api_name"] == "Event_Title"
    recruit.control("refusals", {"module": "Events", "rules": []})
    accepted = alice.post("/Events", json={"data": [_event("Say NOPE")], "trigger": []})
    assert accepted.json()["data"][0]["code"] == "SUCCESS"


def test_refusal_rules_are_dropped_by_reset(recruit: RecruitEmulator, alice: httpx.Client) -> None:
    recruit.control(
        "refusals", {"module": "Events", "rules": [{"api_name": "Event_Title", "contains": "NOPE"}]}
    )
    recruit.reset()
    response = alice.post("/Events", json={"data": [_event("Say NOPE")], "trigger": []})
    assert response.json()["data"][0]["code"] == "SUCCESS"


def test_refusal_rule_for_an_unknown_field_is_a_400(recruit: RecruitEmulator) -> None:
    response = httpx.post(
        f"{recruit.base_url}/_emulator/refusals",
        json={"module": "Events", "rules": [{"api_name": "Nope", "contains": "x"}]},
    )
    assert response.status_code == 400
