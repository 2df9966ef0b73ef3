"""The Recruit watermark: newest change read minus a second, never past a record whose write failed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sync_core.domain.items import RecruitChange, RecruitRef
from sync_core.engine.sync_pass.cursors import next_watermark
from sync_core.engine.sync_pass.gather import RecruitSide

T0 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def change(record_id: str, seconds: int) -> RecruitChange:
    return RecruitChange(
        RecruitRef("Events", record_id), {"title": record_id}, T0 + timedelta(seconds=seconds)
    )


def test_the_watermark_is_the_newest_change_less_a_second() -> None:
    side = RecruitSide([change("a", 5), change("b", 9)], newest=T0 + timedelta(seconds=9))
    assert next_watermark(T0, side, set()) == T0 + timedelta(seconds=8)


def test_the_watermark_stays_below_a_record_whose_write_failed() -> None:
    side = RecruitSide([change("a", 5), change("b", 9)], newest=T0 + timedelta(seconds=9))
    assert next_watermark(T0, side, {"Events:a"}) == T0 + timedelta(seconds=4)


def test_nothing_read_keeps_the_watermark() -> None:
    assert next_watermark(T0, RecruitSide(), set()) == T0


def test_an_old_record_fetched_by_id_never_moves_the_watermark_back() -> None:
    side = RecruitSide([change("a", -60)], newest=T0 - timedelta(seconds=60))
    assert next_watermark(T0, side, set()) == T0
