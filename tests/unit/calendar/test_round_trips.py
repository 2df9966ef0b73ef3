"""Canonical fields survive a write to Recruit or Graph and a read back, in any zone and across DST edges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sync_core.config import Settings
from sync_core.domain.canonical import canonical_fields
from sync_core.domain.html_text import trim_text
from sync_core.domain.items import JsonValue
from sync_core.domain.timezones import zone as time_zone
from sync_core.engine.sync_kinds.calendar_kind import CalendarKind
from tests.unit.calendar.conftest import as_graph_item, as_recruit_record, context

ZONES = [
    "Asia/Kolkata",
    "America/New_York",
    "Europe/London",
    "America/Los_Angeles",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "UTC",
]
# Instants next to DST changes (2026): US spring/fall, EU spring/fall, NZ/Lord Howe spring.
DST_EDGES = [
    datetime(2026, 3, 8, 10, 0, tzinfo=UTC),
    datetime(2026, 11, 1, 6, 0, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
    datetime(2026, 9, 26, 14, 0, tzinfo=UTC),
    datetime(2026, 10, 3, 15, 0, tzinfo=UTC),
]
KIND = CalendarKind(Settings())

instants = st.one_of(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1)).map(
        lambda moment: moment.replace(microsecond=0, tzinfo=UTC)
    ),
    st.tuples(st.sampled_from(DST_EDGES), st.integers(-180, 180)).map(
        lambda pair: pair[0] + timedelta(minutes=pair[1])
    ),
)
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(str.strip)


@st.composite
def timed_events(draw: st.DrawFn) -> dict[str, JsonValue]:
    start = draw(instants)
    return {
        "title": draw(texts.filter(bool)),
        "start": start,
        "end": start + timedelta(minutes=draw(st.integers(0, 60 * 24 * 3))),
        "all_day": False,
        "location": draw(texts),
        "description": draw(texts),
        "participants": draw(st.sampled_from([None, "Participants: Pat <pat@clients.example>"])),
        "reminder_minutes": draw(st.sampled_from([None, 0, 5, 15, 60, 1440])),
        "recurrence": None,
    }


@st.composite
def all_day_events(draw: st.DrawFn) -> dict[str, JsonValue]:
    first = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1)))
    return {
        "title": draw(texts.filter(bool)),
        "start": first,
        "end": first + timedelta(days=draw(st.integers(1, 10))),
        "all_day": True,
        "location": draw(texts),
        "description": draw(texts),
        "participants": None,
        "reminder_minutes": None,
        "recurrence": None,
    }


def as_read(fields: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """`fields` with the description in the form both sides read it in (a no-break space is a space:
    Exchange's HTML spells typed spaces that way; no leading blank lines)."""
    return {**fields, "description": trim_text(str(fields["description"] or ""))}


def names(module: str) -> tuple[str, ...]:
    return KIND.policy(context()).names(module)


def through_recruit(kind: CalendarKind, fields: dict[str, JsonValue], zone: str) -> dict[str, JsonValue]:
    ctx = context(zone)
    payload = kind.to_recruit("Events", fields, ctx)
    change = kind.recruit_change("Events", as_recruit_record("Events", payload), ctx)
    assert change.fields is not None
    return dict(change.fields)


def through_graph(
    kind: CalendarKind, fields: dict[str, JsonValue], zone: str, reply_zone: str | None
) -> dict[str, JsonValue]:
    ctx = context(zone)
    change = kind.graph_change(as_graph_item(kind.to_graph(fields, ctx), reply_zone), None, ctx)
    assert change is not None and change.fields is not None
    return dict(change.fields)


@settings(max_examples=150)
@given(fields=st.one_of(timed_events(), all_day_events()), zone=st.sampled_from(ZONES))
def test_event_fields_survive_a_recruit_write_and_read(fields: dict[str, JsonValue], zone: str) -> None:
    editable = [name for name in names("Events") if name != "participants"]  # never written to Recruit
    read_back = through_recruit(KIND, fields, zone)
    assert canonical_fields(read_back, editable) == canonical_fields(as_read(fields), editable)


@settings(max_examples=150)
@given(
    fields=st.one_of(timed_events(), all_day_events()),
    zone=st.sampled_from(ZONES),
    reply_zone=st.sampled_from([None, "UTC", "Pacific Standard Time", "Asia/Tokyo"]),
)
def test_event_fields_survive_a_graph_write_and_read(
    fields: dict[str, JsonValue], zone: str, reply_zone: str | None
) -> None:
    # A wall time in the hour a zone repeats is ambiguous in any answer given in that zone, Graph's included;
    # the product reads in UTC (no Prefer: outlook.timezone), so only unambiguous replies are compared.
    assume(reply_zone is None or not any(_repeated_hour(fields[end], reply_zone) for end in ("start", "end")))
    read_back = through_graph(KIND, fields, zone, reply_zone)
    assert canonical_fields(read_back, names("Events")) == canonical_fields(as_read(fields), names("Events"))


@given(fields=timed_events(), zone=st.sampled_from(ZONES))
def test_interview_fields_survive_a_recruit_write_and_read(fields: dict[str, JsonValue], zone: str) -> None:
    ctx = context(zone)
    payload = KIND.to_recruit("Interviews", fields, ctx)
    change = KIND.recruit_change("Interviews", as_recruit_record("Interviews", payload), ctx)
    assert change.fields is not None
    kept = ["title", "start", "end", "location", "description"]
    assert canonical_fields(change.fields, kept) == canonical_fields(as_read(fields), kept)


@given(
    rule=st.sampled_from(
        [
            "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=4",
            "RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=2027-01-31",
            "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=15",
            "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE,FR;UNTIL=20270131T235959Z",
            "FREQ=YEARLY;INTERVAL=1;BYMONTH=3;BYDAY=-1SU",
        ]
    ),
    start=instants,
    zone=st.sampled_from(ZONES),
)
def test_a_recruit_rule_reads_the_same_from_recruit_and_from_its_outlook_copy(
    rule: str, start: datetime, zone: str
) -> None:
    ctx = context(zone)
    record = as_recruit_record(
        "Events",
        {
            "Event_Title": "Stand-up",
            "Start_DateTime": start.isoformat(),
            "End_DateTime": (start + timedelta(minutes=30)).isoformat(),
            "Recurring_Activity": {"RRULE": rule},
        },
    )
    from_recruit = KIND.recruit_change("Events", record, ctx).fields
    assert from_recruit is not None and from_recruit["recurrence"]
    from_graph = through_graph(KIND, dict(from_recruit), zone, None)
    assert from_graph["recurrence"] == from_recruit["recurrence"]
    assert through_recruit(KIND, dict(from_recruit), zone)["recurrence"] == from_recruit["recurrence"]


def _repeated_hour(moment: JsonValue, zone_name: str) -> bool:
    if not isinstance(moment, datetime):
        return False
    wall = moment.astimezone(time_zone(zone_name)).replace(tzinfo=None)
    first, second = (wall.replace(fold=fold, tzinfo=time_zone(zone_name)) for fold in (0, 1))
    return first.utcoffset() != second.utcoffset()
