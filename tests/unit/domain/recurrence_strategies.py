"""Hypothesis strategies for Graph `patternedRecurrence` patterns, shared by the recurrence tests: every
pattern type of resources/recurrencepattern.md, with the properties its type uses."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from sync_core.domain.rrule import DAYS

INDEXES = st.sampled_from(["first", "second", "third", "fourth", "last"])
DAY_LISTS = st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True)


def graph_patterns(yearly_last_day: int = 31) -> st.SearchStrategy[dict[str, Any]]:
    """Patterns of every type; an absoluteYearly dayOfMonth goes up to `yearly_last_day`."""
    return st.one_of(
        st.fixed_dictionaries({"type": st.just("daily")}),
        st.fixed_dictionaries(
            {"type": st.just("weekly"), "daysOfWeek": DAY_LISTS, "firstDayOfWeek": st.sampled_from(DAYS)}
        ),
        st.fixed_dictionaries({"type": st.just("absoluteMonthly"), "dayOfMonth": st.integers(1, 31)}),
        st.fixed_dictionaries(
            {"type": st.just("relativeMonthly"), "daysOfWeek": DAY_LISTS, "index": INDEXES}
        ),
        st.fixed_dictionaries(
            {
                "type": st.just("absoluteYearly"),
                "month": st.integers(1, 12),
                "dayOfMonth": st.integers(1, yearly_last_day),
            }
        ),
        st.fixed_dictionaries(
            {
                "type": st.just("relativeYearly"),
                "month": st.integers(1, 12),
                "daysOfWeek": DAY_LISTS,
                "index": INDEXES,
            }
        ),
    )
