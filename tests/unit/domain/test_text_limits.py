"""Length limits cut text on a grapheme boundary and keep within the limit in UTF-16 units (issue 14)."""

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from sync_core.domain.text_limits import truncate, utf16_length

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl: one grapheme, 8 UTF-16 units
FLAG_NO = "\U0001f1f3\U0001f1f4"  # regional indicators N + O: one grapheme, 4 UTF-16 units
E_ACUTE = "e\u0301"  # e + combining acute: one grapheme, 2 code points


def test_text_within_the_limit_is_unchanged() -> None:
    assert truncate("Interview", 9) == "Interview"


def test_plain_text_is_cut_at_the_limit() -> None:
    assert truncate("Interview with Ada", 9) == "Interview"


def test_an_emoji_that_would_straddle_the_limit_is_dropped_whole() -> None:
    # "ab" + U+1F600 is 4 UTF-16 units; a limit of 3 would split its surrogate pair.
    assert truncate("ab\U0001f600", 3) == "ab"


def test_a_zwj_family_is_never_cut_into_its_members() -> None:
    assert truncate("Hi " + FAMILY, 7) == "Hi "
    assert truncate("Hi " + FAMILY, 11) == "Hi " + FAMILY


def test_a_flag_is_never_cut_into_one_regional_indicator() -> None:
    assert truncate("x" + FLAG_NO, 3) == "x"


def test_a_combining_accent_stays_with_its_letter() -> None:
    assert truncate("Ren" + E_ACUTE, 4) == "Ren"


def test_limit_counts_utf16_units_not_code_points() -> None:
    # Two code points, four UTF-16 units: within 2 code points but not within 2 UTF-16 units.
    assert truncate("\U0001f600\U0001f600", 2) == "\U0001f600"


def test_zero_limit_gives_empty_text() -> None:
    assert truncate("abc", 0) == ""


def graphemes(text: str) -> list[str]:
    return regex.findall(r"\X", text)


@given(st.text(), st.integers(min_value=0, max_value=60))
def test_any_cut_is_a_whole_grapheme_prefix_within_the_limit(text: str, limit: int) -> None:
    cut = truncate(text, limit)
    assert utf16_length(cut) <= limit
    assert len(cut) <= limit  # so also within the limit if Zoho counts code points
    clusters = graphemes(text)
    prefixes = {"".join(clusters[:n]) for n in range(len(clusters) + 1)}
    assert cut in prefixes
    # Nothing more could have fit: the next whole cluster would pass the limit.
    if cut != text:
        assert utf16_length(cut + clusters[len(graphemes(cut))]) > limit


@given(st.text(), st.integers(min_value=0, max_value=60))
def test_truncating_twice_changes_nothing(text: str, limit: int) -> None:
    once = truncate(text, limit)
    assert truncate(once, limit) == once


def test_a_negative_limit_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="limit must be >= 0"):
        truncate("abc", -1)
