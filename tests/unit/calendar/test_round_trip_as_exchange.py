"""No echo: any Recruit event, written to Outlook and read back as Exchange answers it, plans nothing.

Exchange's answer (pure, no I/O): start/end in UTC (no `Prefer: outlook.timezone`), the original zone as
the Windows name we wrote, and the HTML body we wrote as a whole document. The wrapper follows the Graph v1.0
examples (api/event-get.md: `<html>`, `<head>` with its `<meta>` lines, `<body>`); how Exchange re-serialises
the markup inside is not documented, so the answer comes in two spellings: our markup as written, and the
same with each `&nbsp;` as the no-break space character and a line end after each `<br>`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sync_core.config import Settings
from sync_core.domain.actions import WRITES, CreateInGraph
from sync_core.domain.items import LinkIndex
from sync_core.domain.planner import plan
from sync_core.domain.timezones import recruit_datetime
from sync_core.engine.sync_kinds.calendar_kind import CalendarKind
from tests.unit.calendar.conftest import as_graph_item, as_recruit_record, context

KIND = CalendarKind(Settings())
ZONES = ["Asia/Kolkata", "America/New_York", "Europe/Oslo", "Asia/Jakarta", "Australia/Lord_Howe", "UTC"]
_HEAD = (
    '<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n'
    '<meta content="text/html; charset=us-ascii">\r\n</head>\r\n<body>\r\n'
)
SPELLINGS = ("as written", "re-serialised")


def exchange_html(fragment: str, spelling: str) -> str:
    """The HTML body we wrote as Exchange hands it back (see the module docstring)."""
    if spelling == "re-serialised":
        fragment = fragment.replace("&nbsp;", "\xa0").replace("<br>", "<br>\r\n")
    return f"{_HEAD}{fragment}\r\n</body>\r\n</html>\r\n"


def exchange_answer(body: dict[str, Any], spelling: str) -> dict[str, Any]:
    item = as_graph_item(body, reply_zone="UTC")
    written = item["body"]
    assert written["contentType"] == "html"
    item["body"] = {"contentType": "html", "content": exchange_html(str(written["content"]), spelling)}
    return item


# What a recruiter types: indentation, tabs, blank lines, links, markup characters, any script.
line_text = st.lists(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"), blacklist_characters="\r"
        ),
        max_size=8,
    )
    | st.sampled_from(
        [" ", "  ", "\t", "\u3000", "\xa0", "https://teams.microsoft.com/l/meetup-join/19%3a", "<b>", "&amp;"]
    ),
    max_size=5,
).map("".join)
descriptions = st.lists(line_text, max_size=6).map("\n".join)
rules = st.sampled_from(
    [
        None,
        "FREQ=DAILY;INTERVAL=2;UNTIL=20270131T020000Z",
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,MO",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=12",
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",  # unmappable: kept in the body
        "FREQ=MONTHLY;BYDAY=1MO,1TU\nEXDATE:20270104T090000Z",  # unmappable, with a line break
    ]
)
alarms = st.sampled_from(
    [None, "FREQ=NONE;ACTION=POPUP;TRIGGER=-PT15M", "FREQ=NONE;ACTION=POPUP;TRIGGER=PT15M", "TRIGGER=-P1D"]
)


@st.composite
def recruit_events(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    zone = draw(st.sampled_from(ZONES))
    start = draw(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 1, 1)))
    start = start.replace(second=0, microsecond=0, tzinfo=UTC)
    all_day = draw(st.booleans())
    end = start + timedelta(minutes=draw(st.integers(15, 600)))
    record: dict[str, Any] = {
        "Event_Title": draw(line_text.filter(str.strip)),
        "Start_DateTime": recruit_datetime(start, zone),
        "End_DateTime": recruit_datetime(end, zone),
        "All_day": all_day,
        "Venue": draw(line_text),
        "Description": draw(descriptions),
        "Participants": draw(
            st.sampled_from([[], [{"type": "email", "participant": "pat@clients.example", "name": "Pat"}]])
        ),
    }
    if all_day:
        record["Start_DateTime"] = start.astimezone(UTC).date().isoformat()
        record["End_DateTime"] = end.astimezone(UTC).date().isoformat()
    alarm = draw(alarms)
    if alarm:
        record["Remind_At"] = {"ALARM": alarm}
    rule = draw(rules)
    if rule:
        record["Recurring_Activity"] = {"RRULE": rule}
    return as_recruit_record("Events", record), zone


@settings(max_examples=300, deadline=None)
@given(event=recruit_events(), spelling=st.sampled_from(SPELLINGS))
def test_a_recruit_event_read_back_from_exchange_plans_nothing(
    event: tuple[dict[str, Any], str], spelling: str
) -> None:
    record, zone = event
    ctx = context(zone)
    policy = KIND.policy(ctx)
    recruit = KIND.recruit_change("Events", record, ctx)
    [create] = plan(LinkIndex(), [recruit], [], policy)
    assert isinstance(create, CreateInGraph)
    item = exchange_answer(KIND.to_graph(dict(create.fields), ctx), spelling)
    graph = KIND.graph_change(item, create.ref.key, ctx)
    assert graph is not None
    link = create.link_after.with_graph_id(str(item["id"]))
    again = plan(LinkIndex.of([link]), [recruit], [graph], policy)
    assert [action for action in again if isinstance(action, WRITES)] == [], (graph.fields, recruit.fields)
