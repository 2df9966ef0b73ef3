"""Real-world event data through the whole product (issue 14): Exchange's HTML bodies, links, recurrence rules
that Outlook and RFC 5545 read differently, and a reminder after the start. Each is made as a user makes it,
in Outlook or in Recruit, and checked as the other side shows it; the stack must then stay quiet, with
nothing rewritten on either side.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from dateutil.rrule import rrulestr

from tests.e2e.calendar.conftest import Outlook, enable_calendar, until_active
from tests.e2e.calendar.helpers import (
    outlook_events,
    quiet_after,  # noqa: F401 - a fixture, used below
    recruit_events,
    request_counts,
    until_quiet,
    writes,
)
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("quiet_after")]

ALICE = "alice@contoso.example"  # SSO, Recruit time zone Asia/Kolkata
KOLKATA = ZoneInfo("Asia/Kolkata")
EVENT_WRITES = "/events/{item_id}"  # route templates, as the emulators' stats name them
RECORD_WRITES = "/recruit/v2/{module}"
TEAMS_LINK = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0"
# Rules Outlook can repeat exactly: the series must hold RFC 5545's occurrences, no more, no fewer.
MAPPABLE = {
    "Every other week, Sundays and Mondays (no WKST: weeks start Monday)": (
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,MO;COUNT=8",
        datetime(2027, 2, 1, 9, 0),
    ),
    "Daily until a moment earlier in the day than the start": (
        "FREQ=DAILY;UNTIL=20270205T010000Z",  # 06:30 in Kolkata on the 5th, before 09:00
        datetime(2027, 2, 1, 9, 0),
    ),
    "Last weekday of the month": (
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=6",
        datetime(2027, 2, 26, 9, 0),
    ),
    "Last day of the month": ("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=6", datetime(2027, 1, 31, 9, 0)),
}
# Rules Outlook would repeat on other days: one event in Outlook, the rule kept in Recruit.
UNMAPPABLE = {
    "First Monday and first Tuesday": ("FREQ=MONTHLY;BYDAY=1MO,1TU;COUNT=6", datetime(2027, 2, 1, 9, 0)),
    "The 31st, where a month has one": ("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=6", datetime(2027, 1, 31, 9, 0)),
}


def synced(browser: httpx.Client, graph: GraphEmulatorHandle) -> Outlook:
    enable_calendar(browser, ALICE)
    until_active(browser)
    return Outlook(graph, ALICE)


def create_in_recruit(recruit: RecruitEmulator, records: list[dict[str, Any]]) -> None:
    with recruit.client_for(ALICE) as client:
        client.post("/Events", json={"data": records}).raise_for_status()


def kolkata(moment: datetime) -> str:
    return moment.replace(tzinfo=KOLKATA).isoformat()


def occurrences_in_outlook(outlook: Outlook, event_id: str, first: datetime) -> list[datetime]:
    """The series' occurrence starts over the year from `first`, as Kolkata wall times."""
    window = {
        "startDateTime": (first - timedelta(days=1)).replace(tzinfo=KOLKATA).astimezone(UTC).isoformat(),
        "endDateTime": (first + timedelta(days=400)).replace(tzinfo=KOLKATA).astimezone(UTC).isoformat(),
    }
    response = outlook.client.get(f"/events/{event_id}/instances", params=window)
    response.raise_for_status()
    starts = []
    for instance in response.json()["value"]:
        assert instance["start"]["timeZone"] == "UTC", instance["start"]
        utc = datetime.fromisoformat(instance["start"]["dateTime"][:19]).replace(tzinfo=UTC)
        starts.append(utc.astimezone(KOLKATA).replace(tzinfo=None))
    return sorted(starts)


def rewrites_while_settling(
    stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> tuple[int, int]:
    """(Outlook event PATCHes, Recruit record PUTs) made from now until the stack is quiet."""
    before = request_counts(graph), request_counts(recruit)
    until_quiet(stack, graph, recruit)
    after = request_counts(graph), request_counts(recruit)
    return writes(before[0], after[0], "PATCH", EVENT_WRITES), writes(
        before[1], after[1], "PUT", RECORD_WRITES
    )


# Exchange's text form of a link is not documented (local/README.md): the emulator plays both ways, and the
# product, which reads the HTML, keeps the link's URL in either.
@pytest.mark.parametrize("text_links", ["kept", "dropped"])
def test_an_outlook_html_body_reaches_recruit_as_text_and_nothing_is_rewritten(
    text_links: str,
    browser: httpx.Client,
    fresh_stack: Stack,
    graph: GraphEmulatorHandle,
    recruit: RecruitEmulator,
) -> None:
    settings = {"text_links": text_links}
    httpx.post(f"{graph.base_url}/_emulator/settings", json=settings, trust_env=False).raise_for_status()
    outlook = synced(browser, graph)
    until_quiet(fresh_stack, graph, recruit)
    html = (
        "<html><body><p>Agenda for the <b>panel</b>:</p><ul><li>Introductions</li><li>Case study</li></ul>"
        f'<p><a href="{TEAMS_LINK}">Click here to join the meeting</a></p></body></html>'
    )
    event = {
        "subject": "Panel interview prep",
        "start": {"dateTime": "2027-03-02T10:00:00", "timeZone": "India Standard Time"},
        "end": {"dateTime": "2027-03-02T11:00:00", "timeZone": "India Standard Time"},
        "body": {"contentType": "html", "content": html},
    }
    outlook.client.post(f"/calendars/{outlook.calendar_id()}/events", json=event).raise_for_status()

    record = poll(
        lambda: recruit_events(recruit, ALICE).get("Panel interview prep"),
        lambda found: found is not None,
        "the Outlook event in Recruit",
    )
    description = str(record["Description"])
    assert f"Click here to join the meeting <{TEAMS_LINK}>" in description, description
    assert "<" not in description.replace(f"<{TEAMS_LINK}>", ""), description  # text, not markup
    assert "Introductions" in description and "Case study" in description
    # Outlook's body is left as the user wrote it, and Recruit is written once, not again.
    assert rewrites_while_settling(fresh_stack, graph, recruit) == (0, 0)
    assert recruit_events(recruit, ALICE)["Panel interview prep"]["Description"] == description


def test_a_recruit_description_with_tabs_indents_and_blank_lines_survives_exchanges_html(
    browser: httpx.Client, fresh_stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    outlook = synced(browser, graph)
    description = "Agenda\n\tIntroductions\n\n    Deep dive: pricing < 5% & churn\n\n\nWrap-up"
    create_in_recruit(
        recruit,
        [
            {
                "Event_Title": "Quarterly client review",
                "Start_DateTime": "2027-03-03T15:00:00+05:30",
                "End_DateTime": "2027-03-03T16:00:00+05:30",
                "Description": description,
            }
        ],
    )

    poll(lambda: outlook_events(outlook), lambda e: "Quarterly client review" in e, "the event in Outlook")
    # Exchange's HTML read back is no edit on either side.
    assert rewrites_while_settling(fresh_stack, graph, recruit) == (0, 0)
    assert recruit_events(recruit, ALICE)["Quarterly client review"]["Description"] == description


def series_record(title: str, rule: str, first: datetime) -> dict[str, Any]:
    return {
        "Event_Title": title,
        "Start_DateTime": kolkata(first),
        "End_DateTime": kolkata(first + timedelta(minutes=30)),
        "Recurring_Activity": {"RRULE": rule},
    }


def series_in_outlook(
    outlook: Outlook, recruit: RecruitEmulator, rules: dict[str, tuple[str, datetime]]
) -> dict[str, dict[str, Any]]:
    """Makes one Recruit Event per rule and waits until each is in Outlook; returns the Outlook events."""
    create_in_recruit(recruit, [series_record(title, *rules[title]) for title in rules])
    return poll(
        lambda: outlook_events(outlook), lambda e: set(rules) <= set(e), "the rules' events in Outlook"
    )


def rules_in_recruit(recruit: RecruitEmulator, rules: dict[str, tuple[str, datetime]]) -> dict[str, str]:
    records = recruit_events(recruit, ALICE)
    return {title: records[title]["Recurring_Activity"]["RRULE"] for title in rules}


def test_recruit_rules_outlook_can_repeat_give_the_same_occurrences_in_outlook(
    browser: httpx.Client, fresh_stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    outlook = synced(browser, graph)
    events = series_in_outlook(outlook, recruit, MAPPABLE)
    for title, (rule, first) in MAPPABLE.items():
        assert events[title]["type"] == "seriesMaster", title
        expected = [
            moment.astimezone(KOLKATA).replace(tzinfo=None)
            for moment in rrulestr(rule, dtstart=first.replace(tzinfo=KOLKATA))
        ]
        assert occurrences_in_outlook(outlook, events[title]["id"], first) == expected, title
    until_quiet(fresh_stack, graph, recruit)
    assert rules_in_recruit(recruit, MAPPABLE) == {t: rule for t, (rule, _) in MAPPABLE.items()}  # as written


def test_recruit_rules_outlook_would_repeat_on_other_days_stay_one_event_with_the_rule_kept(
    browser: httpx.Client, fresh_stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    events = series_in_outlook(synced(browser, graph), recruit, UNMAPPABLE)
    assert {title: (events[title]["type"], events[title].get("recurrence")) for title in UNMAPPABLE} == {
        title: ("singleInstance", None) for title in UNMAPPABLE
    }
    until_quiet(fresh_stack, graph, recruit)
    assert rules_in_recruit(recruit, UNMAPPABLE) == {t: rule for t, (rule, _) in UNMAPPABLE.items()}


def test_a_recruit_reminder_after_the_start_is_an_outlook_reminder_at_the_start(
    browser: httpx.Client, fresh_stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    outlook = synced(browser, graph)
    alarm = {"ALARM": "FREQ=NONE;ACTION=POPUP;TRIGGER=PT15M"}  # RFC 5545: fires 15 minutes after the start
    create_in_recruit(
        recruit,
        [
            {
                "Event_Title": "Offer call",
                "Start_DateTime": "2027-03-04T12:00:00+05:30",
                "End_DateTime": "2027-03-04T12:30:00+05:30",
                "Remind_At": alarm,
            }
        ],
    )

    event = poll(
        lambda: outlook_events(outlook).get("Offer call"), lambda e: e is not None, "the event in Outlook"
    )
    assert (event["isReminderOn"], event["reminderMinutesBeforeStart"]) == (True, 0)
    until_quiet(fresh_stack, graph, recruit)
    assert recruit_events(recruit, ALICE)["Offer call"]["Remind_At"] == alarm
