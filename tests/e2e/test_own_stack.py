"""A test's own dev host: its own settings and storage, and a crash it comes back from."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.fixtures.stack import OwnStack

pytestmark = pytest.mark.e2e


def test_an_own_stack_serves_with_its_settings_and_restarts_after_a_crash(
    own_stack: Callable[[dict[str, str]], OwnStack],
) -> None:
    own = own_stack({"INITIAL_EVENTS_CAP": "5"})
    assert own.env["INITIAL_EVENTS_CAP"] == "5" and own.env["TABLE_PREFIX"].startswith("own")
    assert httpx.get(own.url("/api/health"), trust_env=False).status_code == 200

    own.crash()
    with pytest.raises(httpx.ConnectError):
        httpx.get(own.url("/api/health"), trust_env=False)

    own.start()
    assert httpx.get(own.url("/api/health"), trust_env=False).status_code == 200
