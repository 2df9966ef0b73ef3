"""Behaviours the Graph v1.0 reference states, one test each, each naming the page it follows (in
microsoftgraph/microsoft-graph-docs-contrib unless it says otherwise).
"""

from __future__ import annotations

from typing import Any

import httpx

SERIES_START = "2027-03-01T09:00:00"  # a Monday


def _create(client: httpx.Client, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _event(client: httpx.Client, start: str = "2027-01-15T17:00:00", **extra: Any) -> dict[str, Any]:
    body = {
        "subject": "Interview",
        "start": {"dateTime": start, "timeZone": "UTC"},
        "end": {"dateTime": start[:11] + f"{int(start[11:13]) + 1:02d}" + start[13:], "timeZone": "UTC"},
        **extra,
    }
    return _create(client, "/me/events", body)


def _weekly_series(client: httpx.Client, weeks: int) -> dict[str, Any]:
    recurrence = {
        "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]},
        "range": {"type": "numbered", "startDate": SERIES_START[:10], "numberOfOccurrences": weeks},
    }
    return _event(client, SERIES_START, subject="Weekly sync", recurrence=recurrence)


def _view(client: httpx.Client, start: str, end: str, **params: str) -> httpx.Response:
    return client.get("/me/calendarView", params={"startDateTime": start, "endDateTime": end, **params})


def _error(response: httpx.Response) -> dict[str, Any]:
    error: dict[str, Any] = response.json()["error"]
    return error


# --- bodies: api-reference/v1.0/api/event-get.md ("If the header is not specified, the body property is
# returned in HTML format"; `Prefer: outlook.body-content-type` "A Preference-Applied header is returned") ---


def test_a_text_body_is_stored_and_returned_as_html(alice_api: httpx.Client) -> None:
    created = _event(alice_api, body={"contentType": "text", "content": "Line one\nLine two"})

    body = alice_api.get(f"/me/events/{created['id']}").json()["body"]

    assert body["contentType"] == "html"
    assert "<" in body["content"]
    assert "Line one" in body["content"]
    assert "Line two" in body["content"]


def test_asking_for_text_bodies_returns_text_and_says_so(alice_api: httpx.Client) -> None:
    created = _event(alice_api, body={"contentType": "html", "content": "<p>Line one</p><p>Line two</p>"})

    response = alice_api.get(
        f"/me/events/{created['id']}", headers={"Prefer": 'outlook.body-content-type="text"'}
    )

    assert response.json()["body"]["contentType"] == "text"
    assert "<" not in response.json()["body"]["content"]
    assert "Line one" in response.json()["body"]["content"]
    assert 'outlook.body-content-type="text"' in response.headers["Preference-Applied"]


# --- time zones: api-reference/v1.0/api/event-get.md (Request 1 / Response 1) ---


def test_the_preferred_time_zone_converts_start_and_end_and_says_so(alice_api: httpx.Client) -> None:
    created = _event(alice_api, "2027-01-15T17:00:00")

    response = alice_api.get(
        f"/me/events/{created['id']}", headers={"Prefer": 'outlook.timezone="Pacific Standard Time"'}
    )

    assert response.json()["start"]["timeZone"] == "Pacific Standard Time"
    assert response.json()["start"]["dateTime"].startswith("2027-01-15T09:00:00")
    assert response.json()["end"]["dateTime"].startswith("2027-01-15T10:00:00")
    assert 'outlook.timezone="Pacific Standard Time"' in response.headers["Preference-Applied"]


def test_a_time_zone_graph_does_not_support_is_refused(alice_api: httpx.Client) -> None:
    # api-reference/v1.0/resources/datetimetimezone.md: timeZone takes the Windows names and the IANA names
    # it lists; Graph refuses others with 400.
    response = alice_api.post(
        "/me/events",
        json={
            "subject": "On Mars",
            "start": {"dateTime": "2027-01-15T17:00:00", "timeZone": "Mars/Olympus_Mons"},
            "end": {"dateTime": "2027-01-15T18:00:00", "timeZone": "Mars/Olympus_Mons"},
        },
    )

    assert response.status_code == 400
    assert _error(response)["code"]


# --- expansion: api-reference/v1.0/api/calendar-list-calendarview.md ("Get the occurrences, exceptions and
# single instances of events in a calendar view defined by a time range") ---


def test_the_calendar_view_expands_a_series_into_its_occurrences(alice_api: httpx.Client) -> None:
    master = _weekly_series(alice_api, weeks=3)

    items = _view(alice_api, "2027-02-28T00:00:00Z", "2027-03-31T00:00:00Z").json()["value"]

    assert [i["start"]["dateTime"][:16] for i in items] == [
        "2027-03-01T09:00",
        "2027-03-08T09:00",
        "2027-03-15T09:00",
    ]
    assert {i["type"] for i in items} == {"occurrence"}
    assert {i["seriesMasterId"] for i in items} == {master["id"]}


def test_the_calendar_view_delta_returns_occurrences_and_exceptions_never_the_master(
    alice_api: httpx.Client,
) -> None:
    # api-reference/v1.0/api/event-delta.md: a delta call on a calendarView returns what GET /calendarView
    # returns, i.e. occurrences, exceptions and single instances.
    master = _weekly_series(alice_api, weeks=3)
    _event(alice_api, "2027-03-02T12:00:00", subject="Single")
    window = {"startDateTime": "2027-02-28T00:00:00Z", "endDateTime": "2027-03-31T00:00:00Z"}

    first_round, delta_link = _delta_round(alice_api, "/me/calendarView/delta", window)
    occurrence = next(i for i in first_round if i.get("type") == "occurrence")
    moved = alice_api.patch(f"/me/events/{occurrence['id']}", json={"subject": "Weekly sync (moved room)"})
    assert moved.status_code == 200, moved.text
    second_round, _ = _delta_round(alice_api, delta_link, None)

    assert sorted(i["type"] for i in first_round) == ["occurrence"] * 3 + ["singleInstance"]
    assert {i["seriesMasterId"] for i in first_round if i["type"] == "occurrence"} == {master["id"]}
    changed = [i for i in second_round if "@removed" not in i]
    assert [(i["type"], i["seriesMasterId"], i["subject"]) for i in changed] == [
        ("exception", master["id"], "Weekly sync (moved room)")
    ]


def _delta_round(
    client: httpx.Client, url: str, params: dict[str, str] | None
) -> tuple[list[dict[str, Any]], str]:
    items: list[dict[str, Any]] = []
    response = client.get(url, params=params)
    while True:
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["value"]
        if "@odata.deltaLink" in page:
            return items, page["@odata.deltaLink"]
        response = client.get(page["@odata.nextLink"])


def test_a_calendar_view_window_over_1825_days_is_refused(alice_api: httpx.Client) -> None:
    # Graph's answer quoted in microsoftgraph/microsoft-graph-docs-contrib issue 6321: 400
    # ErrorInvalidRequest, "The range between the start and end dates is greater than the allowed range.
    # Maximum number of days: 1825".
    longest = _view(alice_api, "2027-01-01T00:00:00Z", "2031-12-31T00:00:00Z")  # 1,825 days
    too_long = _view(alice_api, "2027-01-01T00:00:00Z", "2032-01-01T00:00:00Z")  # 1,826 days

    assert longest.status_code == 200, longest.text
    assert too_long.status_code == 400
    assert _error(too_long)["code"] == "ErrorInvalidRequest"
    assert "1825" in _error(too_long)["message"]


# --- paging: calendar-list-calendarview.md ("CalendarView with $top has a minimum value of 1 and maximum of
# 1000") and concepts/paging.md (@odata.nextLink until the last page) ---


def test_the_calendar_view_top_is_at_most_1000(alice_api: httpx.Client) -> None:
    assert (
        _view(alice_api, "2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z", **{"$top": "1000"}).status_code
        == 200
    )
    too_many = _view(alice_api, "2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z", **{"$top": "1001"})

    assert too_many.status_code == 400
    assert _error(too_many)["code"]


def test_the_calendar_view_pages_with_next_links(alice_api: httpx.Client) -> None:
    made = {_event(alice_api, f"2027-01-{day}T10:00:00")["id"] for day in (11, 12, 13)}

    first = _view(alice_api, "2027-01-10T00:00:00Z", "2027-01-20T00:00:00Z", **{"$top": "2"}).json()
    second = alice_api.get(first["@odata.nextLink"]).json()

    assert len(first["value"]) == 2
    assert "@odata.nextLink" not in second
    assert {i["id"] for i in first["value"] + second["value"]} == made


# --- transactionId: api-reference/v1.0/resources/event.md ("A custom identifier specified by a client app for
# the server to avoid redundant POST operations in case of client retries to create the same event") ---


def test_a_repeated_transaction_id_creates_no_second_event(alice_api: httpx.Client) -> None:
    calendar = _create(alice_api, "/me/calendars", {"name": "Retries"})
    body = {
        "subject": "Retried create",
        "transactionId": "7E163156-7762-4BEB-A1C6-729EA81755A7",
        "start": {"dateTime": "2027-01-15T17:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2027-01-15T18:00:00", "timeZone": "UTC"},
    }

    first = alice_api.post(f"/me/calendars/{calendar['id']}/events", json=body)
    again = alice_api.post(f"/me/calendars/{calendar['id']}/events", json=body)

    assert first.status_code == 201
    assert again.status_code < 300
    listed = alice_api.get(f"/me/calendars/{calendar['id']}/events").json()["value"]
    assert [e["id"] for e in listed] == [first.json()["id"]]


# --- errors: concepts/errors.md (the error resource: code, message, innerError) ---


def test_an_error_has_code_message_and_inner_error(alice_api: httpx.Client) -> None:
    response = alice_api.get("/me/events/AAMkAGI2NGVhZTVlLWI1NzAtNDUAAA=")

    assert response.status_code == 404
    error = _error(response)
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["innerError"], dict)


# --- batching: concepts/json-batching.md (the id "Not case-sensitive. Must be unique in the batch, otherwise,
# the batch request fails with a 400 error code") ---


def test_batch_ids_differing_only_in_case_fail_the_whole_batch(alice_api: httpx.Client) -> None:
    response = alice_api.post(
        "/$batch",
        json={
            "requests": [
                {"id": "a", "method": "GET", "url": "/me/calendars"},
                {"id": "A", "method": "GET", "url": "/me/contactFolders"},
            ]
        },
    )

    assert response.status_code == 400
    assert _error(response)["code"]


# --- photos: api-reference/v1.0/api/profilephoto-get.md ("If no photo exists, the operation returns
# 404 Not Found") ---


def test_a_contact_without_a_photo_answers_404_item_not_found(alice_api: httpx.Client) -> None:
    contact = _create(alice_api, "/me/contacts", {"givenName": "Pavel", "surname": "Bansky"})

    response = alice_api.get(f"/me/contacts/{contact['id']}/photo/$value")

    assert response.status_code == 404
    assert _error(response)["code"] == "ErrorItemNotFound"
