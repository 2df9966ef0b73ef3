"""The security suite (issue 15): one test per finding, through the dev host of the shared session stack.

It reuses the product API fixtures (signed-out users, empty storage rows, two independent browsers), and
leaves the stack's storage empty behind it, as `fresh_stack` gives it, so the suites after it start clean.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fixtures.stack import Stack, _wipe_product_storage
from tests.integration.product_api.conftest import browser, product, second_browser

__all__ = ["browser", "product", "second_browser"]


@pytest.fixture(autouse=True)
def leave_storage_empty(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "stack" not in request.fixturenames:
        return
    stack: Stack = request.getfixturevalue("stack")
    _wipe_product_storage(
        stack.env["AzureWebJobsStorage"],
        stack.env["TABLE_PREFIX"],
        [
            stack.env.get("QUEUE_SYNC_REQUESTS", "sync-requests"),
            stack.env.get("QUEUE_LIFECYCLE", "lifecycle"),
        ],
    )
