"""The import rule: records imported or migrated into Recruit never sync; ones made or edited singly do."""

from __future__ import annotations

from typing import Any

from sync_core.recruit.eligibility import bulk_originated

ALICE = {"name": "Alice", "id": "u1"}
BOB = {"name": "Bob", "id": "u2"}
IMPORT_SECOND = "2026-11-24T10:00:00+05:30"


def record(
    record_id: str,
    created: str = IMPORT_SECOND,
    modified: str | None = None,
    creator: dict[str, str] = ALICE,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": record_id,
        "Created_Time": created,
        "Modified_Time": modified or created,
        "Created_By": creator,
        **extra,
    }


def batch(count: int, prefix: str = "r", **kwargs: Any) -> list[dict[str, Any]]:
    return [record(f"{prefix}{index}", **kwargs) for index in range(count)]


def test_records_created_in_one_second_by_one_creator_with_enough_others_are_bulk() -> None:
    records = batch(21)
    assert bulk_originated(records, min_batch=20, sources=[]) == {f"r{index}" for index in range(21)}


def test_a_batch_one_short_of_the_threshold_is_not_bulk() -> None:
    # 20 records: each has only 19 others, and the rule needs at least 20 others.
    assert bulk_originated(batch(20), min_batch=20, sources=[]) == set()


def test_a_modified_record_of_an_import_becomes_eligible_while_its_siblings_stay_excluded() -> None:
    records = batch(25)
    records[3] = record("r3", modified="2026-11-24T11:00:00+05:30")
    excluded = bulk_originated(records, min_batch=20, sources=[])
    assert "r3" not in excluded
    assert len(excluded) == 24


def test_same_second_written_with_different_offsets_counts_as_one_batch() -> None:
    records = batch(11, created="2026-11-24T10:00:00+05:30") + batch(
        11, prefix="u", created="2026-11-24T04:30:00+00:00"
    )
    assert len(bulk_originated(records, min_batch=20, sources=[])) == 22


def test_records_of_different_creators_or_seconds_do_not_form_a_batch() -> None:
    records = (
        batch(15)
        + batch(15, prefix="b", creator=BOB)
        + batch(15, prefix="l", created="2026-11-24T10:00:01+05:30")
    )
    assert bulk_originated(records, min_batch=20, sources=[]) == set()


def test_a_listed_source_marks_a_record_imported_even_alone_and_edited() -> None:
    records = [
        record("m1", modified="2026-11-25T09:00:00+05:30", Source="Migration"),
        record("w1", Source="Website"),
        record("n1", Source=None),
    ]
    assert bulk_originated(records, min_batch=20, sources=["Import", " migration "]) == {"m1"}


def test_records_without_timestamps_or_creator_are_never_counted_as_a_batch() -> None:
    records = [{"id": f"x{index}"} for index in range(30)]
    assert bulk_originated(records, min_batch=20, sources=["Import"]) == set()
