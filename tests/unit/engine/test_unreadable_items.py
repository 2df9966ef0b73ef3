"""An Outlook item the kind cannot read faithfully is left out of the pass and noted for the sync log."""

from __future__ import annotations

from types import SimpleNamespace

from sync_core.config import Settings
from sync_core.engine.sync_kinds.calendar_kind import CalendarKind
from sync_core.engine.sync_pass.gather import GraphSide, _read
from tests.unit.calendar.conftest import as_graph_item, context


def scope() -> SimpleNamespace:
    """The two things reading an item needs from a pass: the kind and the connection's context."""
    return SimpleNamespace(kind=CalendarKind(Settings()), kind_ctx=context())


def test_an_outlook_event_in_an_unknown_zone_is_left_out_and_noted_for_the_sync_log() -> None:
    item = as_graph_item({"subject": "Call"})
    item.update(
        start={"dateTime": "2026-01-10T10:00:00.0000000", "timeZone": "Mars Standard Time"},
        end={"dateTime": "2026-01-10T11:00:00.0000000", "timeZone": "Mars Standard Time"},
    )
    side = GraphSide()
    _read(scope(), side, item, None)
    assert side.changes == []
    assert side.unreadable == [("Call", "unknown time zone 'Mars Standard Time' in the Outlook event")]


def test_a_readable_outlook_event_is_a_change() -> None:
    side = GraphSide()
    _read(scope(), side, as_graph_item({"subject": "Call"}), None)
    assert [change.graph_id for change in side.changes] == ["AAMk1"]
    assert side.unreadable == []


def test_an_outlook_series_no_rule_repeats_the_same_way_in_the_users_zone_is_left_out_and_noted() -> None:
    # The first Monday of the month at 23:30 in Los Angeles is the Tuesday after it in Kolkata: no position.
    item = as_graph_item(
        {
            "subject": "Board prep",
            "start": {"dateTime": "2026-12-07T23:30:00.0000000", "timeZone": "Pacific Standard Time"},
            "end": {"dateTime": "2026-12-08T00:00:00.0000000", "timeZone": "Pacific Standard Time"},
            "recurrence": {
                "pattern": {
                    "type": "relativeMonthly",
                    "interval": 1,
                    "daysOfWeek": ["monday"],
                    "index": "first",
                },
                "range": {"type": "noEnd", "startDate": "2026-12-07"},
            },
        }
    )
    side = GraphSide()
    _read(scope(), side, item, None)
    assert side.changes == []
    [(title, why)] = side.unreadable
    assert title == "Board prep" and "other dates in Asia/Kolkata" in why
