"""Records API: paging, limits, If-Modified-Since, empty answers, partial success, search, deletions,
time zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import ALICE, create_event


def _all_ids(client: httpx.Client, module: str) -> list[str]:
    ids: list[str] = []
    page = 1
    while True:
        response = client.get(f"/{module}", params={"page": page, "per_page": 200})
        if response.status_code == 204:
            return ids
        body = response.json()
        ids += [r["id"] for r in body["data"]]
        if not body["info"]["more_records"]:
            return ids
        page += 1


def _import_contacts(recruit: RecruitEmulator, count: int) -> list[str]:
    records = [{"Last_Name": f"Bulk {n}"} for n in range(count)]
    ids: list[str] = recruit.control("import", {"user": ALICE, "module": "Contacts", "records": records})[
        "ids"
    ]
    return ids


def test_list_pages_past_200_records(recruit: RecruitEmulator, alice: httpx.Client) -> None:
    before = _all_ids(alice, "Contacts")
    _import_contacts(recruit, 200)
    first = alice.get("/Contacts", params={"page": 1, "per_page": 200}).json()
    assert first["info"] == {"per_page": 200, "count": 200, "page": 1, "more_records": True}
    second = alice.get("/Contacts", params={"page": 2, "per_page": 200}).json()
    assert second["info"]["count"] == len(before) and second["info"]["more_records"] is False
    assert len(set(_all_ids(alice, "Contacts"))) == len(before) + 200


def test_per_page_above_200_is_refused(alice: httpx.Client) -> None:
    response = alice.get("/Contacts", params={"per_page": 201})
    assert response.status_code == 400
    assert response.json()["status"] == "error"


def test_page_beyond_the_end_answers_204_without_body(alice: httpx.Client) -> None:
    response = alice.get("/Events", params={"page": 50})
    assert response.status_code == 204
    assert response.content == b""


def test_insert_of_more_than_100_records_is_refused_whole(alice: httpx.Client) -> None:
    response = alice.post(
        "/Contacts", json={"data": [{"Last_Name": f"N{n}"} for n in range(101)], "trigger": []}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "LIMIT_EXCEEDED"


def test_delete_of_more_than_100_ids_is_refused(alice: httpx.Client) -> None:
    ids = ",".join(str(461233000000900000 + n) for n in range(101))
    response = alice.delete("/Contacts", params={"ids": ids, "wf_trigger": "false"})
    assert response.status_code == 400
    assert response.json()["code"] == "LIMIT_EXCEEDED"


def test_partial_success_reports_each_record(alice: httpx.Client) -> None:
    client_id = alice.get("/Clients").json()["data"][0]["id"]
    data = [
        {"Last_Name": "Valid", "Client_Name": {"id": client_id}},
        {"First_Name": "No last name"},
        {"Last_Name": "L" * 81},
        {"Last_Name": "Bad lookup", "Client_Name": {"id": "461233000000999999"}},
        {"Last_Name": "Bad email", "Email": "not-an-email"},
    ]
    response = alice.post("/Contacts", json={"data": data, "trigger": []})
    assert response.status_code == 201
    results = response.json()["data"]
    assert [r["code"] for r in results] == [
        "SUCCESS",
        "MANDATORY_NOT_FOUND",
        "INVALID_DATA",
        "INVALID_DATA",
        "INVALID_DATA",
    ]
    assert results[0]["message"] == "record added"
    assert set(results[0]["details"]) == {"id", "Created_Time", "Modified_Time", "Created_By", "Modified_By"}
    assert [r["details"]["api_name"] for r in results[1:]] == [
        "Last_Name",
        "Last_Name",
        "Client_Name",
        "Email",
    ]


def test_all_records_failing_answers_400(alice: httpx.Client) -> None:
    response = alice.post("/Contacts", json={"data": [{"First_Name": "x"}], "trigger": []})
    assert response.status_code == 400
    assert response.json()["data"][0]["code"] == "MANDATORY_NOT_FOUND"


def test_duplicate_unique_value_is_duplicate_data(alice: httpx.Client) -> None:
    response = alice.post("/Clients", json={"data": [{"Client_Name": "contoso ltd"}]})
    result = response.json()["data"][0]
    assert result["code"] == "DUPLICATE_DATA"
    assert result["details"]["api_name"] == "Client_Name"


def test_created_record_is_owned_by_caller_and_visible_to_the_org(
    alice: httpx.Client, carol: httpx.Client
) -> None:
    created = alice.post("/Contacts", json={"data": [{"Last_Name": "Owned"}], "trigger": []}).json()
    record_id = created["data"][0]["details"]["id"]
    seen_by_carol = carol.get(f"/Contacts/{record_id}").json()["data"][0]
    assert seen_by_carol["Contact_Owner"]["email"] == ALICE
    assert seen_by_carol["Created_Time"] == seen_by_carol["Modified_Time"]


def test_update_changes_modified_time_and_fields(recruit: RecruitEmulator, alice: httpx.Client) -> None:
    record = alice.get("/Contacts", params={"per_page": 1}).json()["data"][0]
    recruit.control("clock", {"advance_seconds": 5})
    response = alice.put(
        "/Contacts", json={"data": [{"id": record["id"], "Job_Title": "Chief"}], "trigger": []}
    )
    assert response.json()["data"][0]["message"] == "record updated"
    updated = alice.get(f"/Contacts/{record['id']}").json()["data"][0]
    assert updated["Job_Title"] == "Chief"
    assert updated["Modified_Time"] > record["Modified_Time"]


def test_update_of_unknown_id_is_invalid_data(alice: httpx.Client) -> None:
    response = alice.put("/Contacts", json={"data": [{"id": "461233000000999999", "Last_Name": "x"}]})
    assert response.status_code == 400
    assert response.json()["data"][0]["code"] == "INVALID_DATA"


def test_unknown_record_answers_204(alice: httpx.Client) -> None:
    assert alice.get("/Events/461233000000999999").status_code == 204


def test_if_modified_since_returns_only_later_changes(recruit: RecruitEmulator, alice: httpx.Client) -> None:
    since = recruit.control("clock", {"advance_seconds": 10})["now"]
    recruit.control("clock", {"advance_seconds": 10})
    created = create_event(alice, "Fresh", "2027-01-05T10:00:00+05:30", "2027-01-05T11:00:00+05:30")
    response = alice.get("/Events", headers={"If-Modified-Since": since})
    assert [r["id"] for r in response.json()["data"]] == [created]


def test_if_modified_since_with_nothing_newer_answers_304(
    recruit: RecruitEmulator, alice: httpx.Client
) -> None:
    now = recruit.control("clock", {"advance_seconds": 1})["now"]
    assert alice.get("/Events", headers={"If-Modified-Since": now}).status_code == 304


def test_datetimes_come_in_the_callers_time_zone(alice: httpx.Client, bob: httpx.Client) -> None:
    record_id = create_event(alice, "Zones", "2027-03-01T09:00:00Z", "2027-03-01T10:00:00+00:00")
    for_alice = alice.get(f"/Events/{record_id}").json()["data"][0]
    for_bob = bob.get(f"/Events/{record_id}").json()["data"][0]
    assert for_alice["Start_DateTime"] == "2027-03-01T14:30:00+05:30"
    assert for_bob["Start_DateTime"] == "2027-03-01T04:00:00-05:00"
    assert for_bob["End_DateTime"] == "2027-03-01T05:00:00-05:00"


def test_all_day_event_keeps_its_date_for_every_reader(alice: httpx.Client, bob: httpx.Client) -> None:
    day = "2027-04-02T00:00:00+05:30"
    record_id = create_event(alice, "Holiday", day, day, All_day=True)
    assert (
        alice.get(f"/Events/{record_id}").json()["data"][0]["Start_DateTime"] == "2027-04-02T00:00:00+05:30"
    )
    assert bob.get(f"/Events/{record_id}").json()["data"][0]["Start_DateTime"] == "2027-04-02T00:00:00-04:00"


def test_search_combines_equals_and_starts_with(alice: httpx.Client) -> None:
    response = alice.get(
        "/Contacts/search", params={"criteria": "((Last_Name:equals:kumar)or(Email:starts_with:meera))"}
    )
    names = sorted(r["Last_Name"] for r in response.json()["data"])
    assert names == ["Iyer", "Kumar"]
    anded = alice.get(
        "/Contacts/search", params={"criteria": "((Last_Name:equals:Kumar)and(First_Name:equals:Meera))"}
    )
    assert anded.status_code == 204


def test_search_matches_lookups_by_id(alice: httpx.Client) -> None:
    client = alice.get("/Clients/search", params={"criteria": "(Client_Name:equals:Contoso Ltd)"}).json()[
        "data"
    ][0]
    contacts = alice.get(
        "/Contacts/search", params={"criteria": f"(Client_Name:equals:{client['id']})"}
    ).json()
    assert {c["Client_Name"]["id"] for c in contacts["data"]} == {client["id"]}


def test_search_with_more_than_10_criteria_is_refused(alice: httpx.Client) -> None:
    criteria = "(" + "and".join(f"(Last_Name:equals:x{n})" for n in range(11)) + ")"
    response = alice.get("/Contacts/search", params={"criteria": criteria})
    assert response.status_code == 400


def test_deleted_records_are_listed_with_who_and_when(recruit: RecruitEmulator, alice: httpx.Client) -> None:
    since = (datetime.now(UTC) - timedelta(seconds=5)).replace(microsecond=0).isoformat()
    assert (
        alice.get(
            "/Contacts/deleted", params={"type": "All"}, headers={"If-Modified-Since": since}
        ).status_code
        == 304
    )
    ids = [r["id"] for r in alice.get("/Contacts", params={"per_page": 2}).json()["data"]]
    response = alice.delete(
        "/Contacts", params={"ids": ",".join([*ids, "461233000000999999"]), "wf_trigger": "false"}
    )
    assert [r["code"] for r in response.json()["data"]] == ["SUCCESS", "SUCCESS", "INVALID_DATA"]
    deleted = alice.get(
        "/Contacts/deleted", params={"type": "All"}, headers={"If-Modified-Since": since}
    ).json()
    assert sorted(d["id"] for d in deleted["data"]) == sorted(ids)
    assert deleted["data"][0]["deleted_by"]["name"] == "Alice Anand"
    assert alice.get(f"/Contacts/{ids[0]}").status_code == 204


def test_imported_records_share_one_created_time_and_creator(
    recruit: RecruitEmulator, alice: httpx.Client
) -> None:
    ids = _import_contacts(recruit, 5)
    records = [alice.get(f"/Contacts/{record_id}").json()["data"][0] for record_id in ids]
    assert len({r["Created_Time"] for r in records}) == 1
    assert all(r["Created_Time"] == r["Modified_Time"] for r in records)
    assert {r["Created_By"]["email"] for r in records} == {ALICE}


def test_sort_by_modified_time_desc_puts_the_latest_edit_first(
    recruit: RecruitEmulator, alice: httpx.Client
) -> None:
    oldest = alice.get("/Contacts", params={"sort_by": "Modified_Time", "sort_order": "asc"}).json()["data"][
        0
    ]
    recruit.control("clock", {"advance_seconds": 2})
    alice.put(f"/Contacts/{oldest['id']}", json={"data": [{"Department": "Moved"}], "trigger": []})
    latest = alice.get("/Contacts", params={"sort_by": "Modified_Time", "sort_order": "desc", "per_page": 1})
    assert latest.json()["data"][0]["id"] == oldest["id"]


def test_fields_parameter_limits_the_returned_keys(alice: httpx.Client) -> None:
    record = alice.get("/Contacts", params={"fields": "Last_Name,Email", "per_page": 1}).json()["data"][0]
    assert set(record) == {"id", "Last_Name", "Email"}


def test_blanking_a_mandatory_field_on_update_is_refused(alice: httpx.Client) -> None:
    record_id = alice.get("/Contacts", params={"per_page": 1}).json()["data"][0]["id"]
    response = alice.put(f"/Contacts/{record_id}", json={"data": [{"Last_Name": ""}], "trigger": []})
    assert response.status_code == 400
    assert response.json()["data"][0]["code"] == "MANDATORY_NOT_FOUND"


def test_event_ending_before_it_starts_is_invalid(alice: httpx.Client) -> None:
    record = {
        "Event_Title": "Backwards",
        "Start_DateTime": "2027-01-01T10:00:00Z",
        "End_DateTime": "2027-01-01T09:00:00Z",
    }
    result = alice.post("/Events", json={"data": [record]}).json()["data"][0]
    assert result["code"] == "INVALID_DATA" and result["details"]["api_name"] == "End_DateTime"


def test_list_by_ids_fetches_just_those_records(alice: httpx.Client) -> None:
    ids = [r["id"] for r in alice.get("/Contacts", params={"per_page": 3}).json()["data"]]
    listed = alice.get("/Contacts", params={"ids": f"{ids[0]},{ids[2]},461233000000999999"}).json()["data"]
    assert [r["id"] for r in listed] == [ids[0], ids[2]]
