"""Fixtures shared by the engine's whole-pass tests: Alice, with calendar sync active on in-memory stores."""

from tests.unit.engine.test_pass_in_memory import alice  # noqa: F401  (the fixture, defined with its tests)
