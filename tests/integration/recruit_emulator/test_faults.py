"""Injected faults and request counters through the shared control API, in Recruit's error shape."""

from __future__ import annotations

import httpx

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
