"""Fixtures for the pure-domain tests: a fresh simulated world per test."""

import pytest

from tests.unit.domain.world import World


@pytest.fixture
def world() -> World:
    return World()
