"""`POST /_emulator/features`: the unconfirmed behaviours (ids=, If-Modified-Since, /deleted, rate-limit
headers) switched off answer as Zoho answers an unknown parameter, header or route."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.fixtures.recruit_emulator import RecruitEmulator


def _ids(response: httpx.Response) -> list[str]:
    return [record["id"] for record in response.json()["data"]]


def test_features_answer_their_state_and_refuse_unknown_names(recruit: RecruitEmulator) -> None:
    assert recruit.control("features", {}) == {
        "ids_param": True,
        "if_modified_since": True,
        "deleted_endpoint": True,
        "ratelimit_headers": False,
    }
    refused = httpx.post(f"{recruit.base_url}/_emulator/features", json={"bogus": True}, trust_env=False)
    assert refused.status_code == 400
    refused = httpx.post(f"{recruit.base_url}/_emulator/features", json={"ids_param": "no"}, trust_env=False)
    assert refused.status_code == 400


def test_ids_param_off_lists_every_record(recruit: RecruitEmulator, alice: httpx.Client) -> None:
    every = _ids(alice.get("/Contacts"))
    assert _ids(alice.get("/Contacts", params={"ids": every[0]})) == [every[0]]
    recruit.control("features", {"ids_param": False})
    assert _ids(alice.get("/Contacts", params={"ids": every[0]})) == every


def test_if_modified_since_off_lists_everything_and_never_answers_304(
    recruit: RecruitEmulator, alice: httpx.Client
) -> None:
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat(timespec="seconds")
    assert alice.get("/Contacts", headers={"If-Modified-Since": future}).status_code == 304
    recruit.control("features", {"if_modified_since": False})
    answered = alice.get("/Contacts", headers={"If-Modified-Since": future})
    assert answered.status_code == 200
    assert _ids(answered) == _ids(alice.get("/Contacts"))


def test_deleted_endpoint_off_is_an_unknown_url(recruit: RecruitEmulator, alice: httpx.Client) -> None:
    assert alice.get("/Contacts/deleted", params={"type": "All"}).status_code in (200, 204)
    recruit.control("features", {"deleted_endpoint": False})
    response = alice.get("/Contacts/deleted", params={"type": "All"})
    assert response.status_code == 404
    assert response.json()["code"] == "INVALID_URL_PATTERN" and response.json()["status"] == "error"


def test_a_record_id_that_is_not_a_number_is_an_unknown_url(alice: httpx.Client) -> None:
    response = alice.get("/Contacts/not-a-number")
    assert response.status_code == 404 and response.json()["code"] == "INVALID_URL_PATTERN"


def test_reset_turns_every_feature_back_to_its_default(recruit: RecruitEmulator) -> None:
    recruit.control("features", {"ids_param": False, "ratelimit_headers": True})
    recruit.reset()
    assert recruit.control("features", {})["ids_param"] is True
    assert recruit.control("features", {})["ratelimit_headers"] is False
