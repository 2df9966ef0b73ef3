"""Watch channels: callbacks to a real HTTP listener after create, edit, delete and mass update; none after an
import; expiry by the emulator clock; retries against a failing notify_url."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import ALICE, CallbackListener, create_event

CONTACT_EVENTS = ["Contacts.create", "Contacts.edit", "Contacts.delete"]


def _subscribe(
    client: httpx.Client, url: str, events: list[str], channel_id: int = 1001, **extra: Any
) -> httpx.Response:
    item = {"channel_id": channel_id, "events": events, "notify_url": url, "token": "secret-token", **extra}
    return client.post("/actions/watch", json={"watch": [item]})


def _create_contact(client: httpx.Client, last_name: str = "Watched") -> str:
    response = client.post("/Contacts", json={"data": [{"Last_Name": last_name}], "trigger": []})
    record_id: str = response.json()["data"][0]["details"]["id"]
    return record_id


def _deliveries(recruit: RecruitEmulator) -> list[dict[str, Any]]:
    log: list[dict[str, Any]] = httpx.get(f"{recruit.base_url}/_emulator/deliveries", trust_env=False).json()[
        "deliveries"
    ]
    return log


def _with_ids(ids: list[str]) -> Any:
    return lambda bodies: any(body["ids"] == ids for body in bodies)


def test_create_sends_an_insert_callback(
    recruit: RecruitEmulator, alice: httpx.Client, callbacks: CallbackListener
) -> None:
    assert _subscribe(alice, callbacks.url, CONTACT_EVENTS).json()["watch"][0]["code"] == "SUCCESS"
    record_id = _create_contact(alice)
    (body,) = callbacks.wait_for(_with_ids([record_id]))
    assert body["operation"] == "insert"
    assert body["module"] == "Contacts"
    assert body["channel_id"] == 1001 and body["token"] == "secret-token"
    assert body["resource_uri"] == f"{recruit.api_base}/Contacts"
    assert body["query_params"] == {} and isinstance(body["server_time"], int)


def test_edit_sends_an_update_callback_with_affected_fields(
    alice: httpx.Client, callbacks: CallbackListener
) -> None:
    record_id = _create_contact(alice)
    _subscribe(alice, callbacks.url, CONTACT_EVENTS)
    alice.put(f"/Contacts/{record_id}", json={"data": [{"Job_Title": "Lead"}], "trigger": []})
    (body,) = callbacks.wait_for(_with_ids([record_id]))
    assert body["operation"] == "update"
    assert body["affected_fields"] == ["Job_Title"]


def test_delete_sends_a_delete_callback(alice: httpx.Client, callbacks: CallbackListener) -> None:
    record_id = _create_contact(alice)
    _subscribe(alice, callbacks.url, CONTACT_EVENTS)
    alice.delete("/Contacts", params={"ids": record_id, "wf_trigger": "false"})
    (body,) = callbacks.wait_for(_with_ids([record_id]))
    assert body["operation"] == "delete"


def test_mass_update_sends_one_update_callback_for_all_ids(
    recruit: RecruitEmulator, alice: httpx.Client, callbacks: CallbackListener
) -> None:
    ids = [_create_contact(alice, f"Mass {n}") for n in range(3)]
    _subscribe(alice, callbacks.url, CONTACT_EVENTS)
    recruit.control(
        "mass-update", {"user": ALICE, "module": "Contacts", "ids": ids, "fields": {"Department": "Ops"}}
    )
    (body,) = callbacks.wait_for(_with_ids(ids))
    assert body["operation"] == "update"
    assert body["affected_fields"] == ["Department"]


def test_import_sends_no_callback(
    recruit: RecruitEmulator, alice: httpx.Client, callbacks: CallbackListener
) -> None:
    _subscribe(alice, callbacks.url, CONTACT_EVENTS)
    imported = recruit.control(
        "import", {"user": ALICE, "module": "Contacts", "records": [{"Last_Name": "Imp"}]}
    )
    marker = _create_contact(alice, "After import")
    bodies = callbacks.wait_for(_with_ids([marker]))
    assert all(imported["ids"][0] not in body["ids"] for body in bodies)
    assert [entry["ids"] for entry in _deliveries(recruit)] == [[marker]]


def test_channel_sees_other_users_changes_in_its_modules_only(
    alice: httpx.Client, carol: httpx.Client, callbacks: CallbackListener
) -> None:
    _subscribe(alice, callbacks.url, ["Events.all"])
    _create_contact(carol, "Not an event")
    event_id = create_event(carol, "Carol's", "2027-02-01T10:00:00+00:00", "2027-02-01T11:00:00+00:00")
    bodies = callbacks.wait_for(_with_ids([event_id]))
    assert [body["module"] for body in bodies] == ["Events"]


def test_expired_channel_stops_sending(
    recruit: RecruitEmulator, alice: httpx.Client, callbacks: CallbackListener
) -> None:
    now = datetime.fromisoformat(recruit.control("clock", {"advance_seconds": 0})["now"])
    expiry = (now + timedelta(minutes=10)).replace(microsecond=0).isoformat()
    _subscribe(alice, callbacks.url, CONTACT_EVENTS, channel_expiry=expiry)
    recruit.control("clock", {"advance_seconds": 11 * 60})
    _create_contact(alice)
    assert _deliveries(recruit) == []
    assert alice.get("/actions/watch").status_code == 204


@pytest.mark.parametrize("expiry_days", [None, 3])
def test_expiry_missing_or_beyond_a_day_lasts_one_hour(
    recruit: RecruitEmulator, alice: httpx.Client, callbacks: CallbackListener, expiry_days: int | None
) -> None:
    now = datetime.fromisoformat(recruit.control("clock", {"advance_seconds": 0})["now"])
    extra: dict[str, Any] = (
        {} if expiry_days is None else {"channel_expiry": (now + timedelta(days=expiry_days)).isoformat()}
    )
    details = _subscribe(alice, callbacks.url, CONTACT_EVENTS, **extra).json()["watch"][0]["details"]
    lifetime = datetime.fromisoformat(details["channel_expiry"]) - now
    assert timedelta(minutes=59) < lifetime < timedelta(hours=1, seconds=5)


def test_patch_extends_a_channel(
    recruit: RecruitEmulator, alice: httpx.Client, callbacks: CallbackListener
) -> None:
    _subscribe(alice, callbacks.url, CONTACT_EVENTS)
    now = datetime.fromisoformat(recruit.control("clock", {"advance_seconds": 0})["now"])
    later = (now + timedelta(hours=20)).replace(microsecond=0)
    patched = alice.patch(
        "/actions/watch", json={"watch": [{"channel_id": 1001, "channel_expiry": later.isoformat()}]}
    )
    assert datetime.fromisoformat(patched.json()["watch"][0]["details"]["channel_expiry"]) == later
    recruit.control("clock", {"advance_seconds": 2 * 3600})
    with recruit.client_for(ALICE) as later_alice:  # the first token expired with the hour
        assert later_alice.get("/actions/watch").json()["watch"][0]["channel_id"] == 1001


def test_disabled_channel_is_gone(
    recruit: RecruitEmulator, alice: httpx.Client, callbacks: CallbackListener
) -> None:
    _subscribe(alice, callbacks.url, CONTACT_EVENTS)
    assert (
        alice.delete("/actions/watch", params={"channel_ids": "1001"}).json()["watch"][0]["code"] == "SUCCESS"
    )
    _create_contact(alice)
    assert _deliveries(recruit) == []


def test_token_longer_than_50_characters_is_refused(alice: httpx.Client, callbacks: CallbackListener) -> None:
    response = _subscribe(alice, callbacks.url, CONTACT_EVENTS, token="t" * 51)
    assert response.status_code == 400
    assert response.json()["watch"][0]["details"]["api_name"] == "token"


def test_failing_notify_url_is_retried(
    recruit: RecruitEmulator, alice: httpx.Client, callbacks: CallbackListener
) -> None:
    callbacks.failures_left = 2
    _subscribe(alice, callbacks.url, CONTACT_EVENTS)
    record_id = _create_contact(alice)
    callbacks.wait_for(_with_ids([record_id]))
    (entry,) = _deliveries(recruit)
    assert entry["attempts"] == 3 and entry["delivered"] is True
