"""Fixtures shared by every test live in tests/fixtures/, one module per part of the stack."""

from hypothesis import HealthCheck, settings

pytest_plugins = [
    "tests.fixtures.azurite",
    "tests.fixtures.graph_emulator",
    "tests.fixtures.recruit_emulator",
    "tests.fixtures.stack",
    "tests.fixtures.webhook_receiver",
]

# Tests assert behaviour, never wall-clock time: Hypothesis's per-example deadline and its "input generation
# is slow" check fail on a loaded 2-core machine (seen in a full run) without saying anything about the code.
settings.register_profile("project", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("project")
