"""Key escaping: any id round-trips and never puts a character Azure Tables forbids into a key."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync_core.store import keys
from sync_core.store.errors import InvalidKey

FORBIDDEN = set("/\\#?") | {chr(c) for c in range(0x20)} | {chr(c) for c in range(0x7F, 0xA0)}


@given(st.text(max_size=200))
def test_escaped_key_round_trips(value: str) -> None:
    assert keys.unescape(keys.escape(value)) == value


@given(st.text(max_size=200))
def test_escaped_key_never_holds_a_forbidden_character(value: str) -> None:
    assert not set(keys.escape(value)) & FORBIDDEN


@given(st.text(), st.text())
def test_distinct_ids_never_share_an_escaped_key(first: str, second: str) -> None:
    if first != second:
        assert keys.escape(first) != keys.escape(second)


def test_odd_characters_are_percent_encoded_and_unicode_kept() -> None:
    assert keys.escape("a/b\\c#d?e%f\x01g\x7fé") == "a%2Fb%5Cc%23d%3Fe%25f%01g%7Fé"


def test_key_over_one_kib_is_rejected_with_its_size() -> None:
    with pytest.raises(InvalidKey, match="1024"):
        keys.escape("x" * 513)


def test_key_of_exactly_one_kib_is_accepted() -> None:
    assert keys.escape("x" * 512) == "x" * 512


@given(st.lists(st.text(max_size=30), min_size=1, max_size=4))
def test_composed_ids_split_back_whatever_they_contain(parts: list[str]) -> None:
    assert keys.decompose(keys.compose(*parts), len(parts)) == parts


def test_decompose_rejects_a_wrong_number_of_parts() -> None:
    with pytest.raises(InvalidKey):
        keys.decompose("a:b:c", 2)
