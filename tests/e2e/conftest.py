"""Fixtures for the whole-stack tests of both kinds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.unheard import LostNotifications


@pytest.fixture
def lost() -> Iterator[LostNotifications]:
    """A black hole for the notifications and callbacks a test keeps from the product."""
    hole = LostNotifications()
    with hole.running():
        yield hole
