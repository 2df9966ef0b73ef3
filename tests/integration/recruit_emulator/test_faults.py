"""Injected faults and request counters through the shared control API, in Recruit's error shape."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator

RATE_HEADERS = ("X-RATELIMIT-LIMIT", "X-RATELIMIT-REMAINING", "X-RATELIMIT-RESET", "Retry-After")


def test_injected_429_looks_like_recruits_throttle_without_headers(
    recruit: RecruitEmulator, alice: httpx.Client
) -> None:
    recruit.control("faults", {"rules": [{"prefix": "/recruit/v2/", "rate": 1.0, "statuses": [429]}]})
    response = alice.get("/Events")
    assert response.status_code == 429
    assert response.json()["code"] == "TOO_MANY_REQUESTS"
    assert [header for header in RATE_HEADERS if header in response.headers] == []


def test_injected_429_carries_rate_limit_headers_when_switched_on(
    recruit: RecruitEmulator, alice: httpx.Client
) -> None:
    recruit.control("features", {"ratelimit_headers": True})
    recruit.control("faults", {"rules": [{"prefix": "/recruit/v2/", "rate": 1.0, "statuses": [429]}]})
    response = alice.get("/Events")
    assert response.status_code == 429
    for header in RATE_HEADERS:
        assert header in response.headers


def test_injected_500_uses_the_error_envelope(recruit: RecruitEmulator, alice: httpx.Client) -> None:
    recruit.control("faults", {"rules": [{"prefix": "/recruit/v2/Contacts", "rate": 1.0, "statuses": [500]}]})
    response = alice.get("/Contacts")
    assert response.status_code == 500
    assert response.json()["status"] == "error"
    assert alice.get("/Events").status_code == 200


def test_stats_count_requests_by_route_template(recruit: RecruitEmulator, alice: httpx.Client) -> None:
    alice.get("/Events")
    alice.get("/Contacts")
    alice.get("/org")
    stats = httpx.get(f"{recruit.base_url}/_emulator/stats", trust_env=False).json()
    assert stats["requests"]["GET /recruit/v2/{module}"] == 2
    assert stats["requests"]["GET /recruit/v2/org"] == 1


def test_a_held_write_waits_unanswered_and_unapplied_until_the_rules_change(
    recruit: RecruitEmulator, alice: httpx.Client
) -> None:
    hold = {"prefix": "/recruit/v2/Contacts", "methods": ["post"], "hold": True}
    recruit.control("faults", {"rules": [hold]})
    with ThreadPoolExecutor(1) as pool:
        create = pool.submit(alice.post, "/Contacts", json={"data": [{"Last_Name": "Held"}]})
        poll(held_requests(recruit), lambda held: held == 1, "the create to be held")
        # Other methods on the same path are answered, and the held create has not been applied.
        assert "Held" not in last_names(alice)
        assert not create.done()

        recruit.control("faults", {"rules": []})
        answer = create.result(timeout=30)
    assert answer.status_code == 201
    assert "Held" in last_names(alice)
    assert held_requests(recruit)() == 0


def test_a_held_write_whose_client_gave_up_is_still_applied_once_released(
    recruit: RecruitEmulator, alice: httpx.Client
) -> None:
    """As a server applies a write whose client died before the answer came."""
    hold = {"prefix": "/recruit/v2/Contacts", "methods": ["POST"], "hold": True}
    recruit.control("faults", {"rules": [hold]})
    impatient = httpx.Client(base_url=alice.base_url, headers=alice.headers, timeout=0.5, trust_env=False)
    with ThreadPoolExecutor(1) as pool, impatient:
        create = pool.submit(impatient.post, "/Contacts", json={"data": [{"Last_Name": "Orphan"}]})
        poll(held_requests(recruit), lambda held: held == 1, "the create to be held")
        with pytest.raises(httpx.ReadTimeout):
            create.result(timeout=30)
    recruit.control("faults", {"rules": []})
    poll(lambda: last_names(alice), lambda names: "Orphan" in names, "the orphaned create to be applied")


def last_names(client: httpx.Client) -> list[str]:
    response = client.get("/Contacts")
    response.raise_for_status()
    return [] if response.status_code == 204 else [r["Last_Name"] for r in response.json()["data"]]


def held_requests(recruit: RecruitEmulator) -> Callable[[], int]:
    def read() -> int:
        return int(httpx.get(f"{recruit.base_url}/_emulator/stats", trust_env=False).json()["held"])

    return read
