"""The dev host serves the product app, and the product reaches its storage."""

import httpx
import pytest

from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e


def test_health_answers_200_when_storage_is_reachable(stack: Stack) -> None:
    response = httpx.get(stack.url("/api/health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
