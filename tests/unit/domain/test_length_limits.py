"""Recruit keeps a cut of a text Outlook holds whole: reading that cut back plans nothing on either side, and
any other Recruit value is an edit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sync_core.domain.actions import CreateInRecruit, StoreLink, UpdateGraph
from sync_core.domain.fingerprint import fingerprint
from sync_core.domain.items import GraphChange, Link, LinkIndex, RecruitChange, RecruitRef
from sync_core.domain.length_limits import widen_cut_values
from sync_core.domain.planner import plan
from sync_core.domain.policy import FieldRule, SyncPolicy
from sync_core.domain.text_limits import truncate

T0 = datetime(2026, 12, 1, 10, tzinfo=UTC)
REF = RecruitRef("Events", "1")
NAMES = ("title", "description")


def policy(title_length: int = 255, description_length: int = 32000) -> SyncPolicy:
    return SyncPolicy(
        fields=tuple(FieldRule(name) for name in NAMES),
        create_module="Events",
        recruit_lengths={"Events": {"title": title_length, "description": description_length}},
    )


def linked(title: str, description: str = "") -> Link:
    snapshot = {"title": title, "description": description or None}
    return Link(REF, "g1", fingerprint(snapshot, NAMES), snapshot, T0, T0)


def recruit_reads(title: str, description: str | None = None) -> RecruitChange:
    return RecruitChange(REF, {"title": title, "description": description}, T0 + timedelta(seconds=5))


def test_recruits_cut_of_a_long_outlook_title_is_no_edit() -> None:
    long_title = "Quarterly review " + "x" * 283
    link = linked(long_title)
    assert plan(LinkIndex.of([link]), [recruit_reads(long_title[:255])], [], policy()) == []


def test_recruits_cut_of_a_long_body_is_no_edit() -> None:
    body = "line\n" * 8000  # 40,000 characters
    link = linked("Call", body)
    changes = [recruit_reads("Call", truncate(body, 32000))]
    assert plan(LinkIndex.of([link]), changes, [], policy()) == []


def test_outlook_still_holding_the_long_title_is_no_edit() -> None:
    long_title = "T" * 300
    link = linked(long_title)
    outlook = GraphChange("g1", {"title": long_title, "description": None}, T0 + timedelta(seconds=5))
    recruit = recruit_reads("T" * 255)
    assert plan(LinkIndex.of([link]), [recruit], [outlook], policy()) == []


def test_another_title_in_recruit_is_an_edit_that_reaches_outlook() -> None:
    link = linked("T" * 300)
    [action] = plan(LinkIndex.of([link]), [recruit_reads("Renamed in Recruit")], [], policy())
    assert isinstance(action, UpdateGraph) and action.fields == {"title": "Renamed in Recruit"}


def test_a_cut_counts_only_for_a_field_with_a_length() -> None:
    link = linked("T" * 300)
    no_limits = SyncPolicy(fields=tuple(FieldRule(n) for n in NAMES), create_module="Events")
    [action] = plan(LinkIndex.of([link]), [recruit_reads("T" * 255)], [], no_limits)
    assert isinstance(action, UpdateGraph)


def test_a_crashed_create_of_a_long_title_is_adopted_not_made_twice() -> None:
    long_title = "T" * 300
    snapshot = {"title": long_title, "description": None}
    intent = Link(None, "g1", fingerprint(snapshot, NAMES), snapshot, None, T0, "intent")
    outlook = GraphChange("g1", snapshot, T0)
    actions = plan(LinkIndex.of([intent]), [recruit_reads("T" * 255)], [outlook], policy())
    assert not any(isinstance(action, CreateInRecruit) for action in actions)
    assert [type(action) for action in actions] == [StoreLink]


@given(
    text=st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=80),
    limit=st.integers(min_value=1, max_value=60),
)
def test_any_cut_read_back_plans_nothing(text: str, limit: int) -> None:
    link = linked(text)
    cut = truncate(text, limit)
    changes = [recruit_reads(cut)]
    assert plan(LinkIndex.of([link]), changes, [], policy(title_length=limit)) == []


def test_widening_leaves_values_of_fields_without_a_cut_alone() -> None:
    fields = {"title": "Short", "description": "Other"}
    assert widen_cut_values(fields, {"title": "Short", "description": "Agreed"}, {"description": 3}) == fields
