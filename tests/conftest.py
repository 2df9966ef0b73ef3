"""Fixtures shared by every test live in tests/fixtures/, one module per part of the stack."""

pytest_plugins = [
    "tests.fixtures.azurite",
    "tests.fixtures.graph_emulator",
    "tests.fixtures.recruit_emulator",
    "tests.fixtures.stack",
]
