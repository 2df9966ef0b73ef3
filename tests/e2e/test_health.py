"""The dev host serves the product app, and the product reaches its storage."""

import httpx

from tests.fixtures.stack import Stack


def test_health_answers_200_when_storage_is_reachable(stack: Stack) -> None:
    response = httpx.get(stack.url("/api/health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
