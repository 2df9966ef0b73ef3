"""The per-user, per-minute request budget: 429 TOO_MANY_REQUESTS, by default without rate-limit headers (as a
live probe of Recruit saw), with X-RATELIMIT-* headers when the `ratelimit_headers` feature is on."""

from __future__ import annotations

import httpx

from tests.fixtures.recruit_emulator import RecruitEmulator


def test_budget_exhausted_answers_429_without_headers_by_default(
    recruit: RecruitEmulator, alice: httpx.Client
) -> None:
    recruit.control("ratelimit", {"per_minute": 1})
    allowed = alice.get("/org")
    refused = alice.get("/org")
    assert allowed.status_code == 200 and refused.status_code == 429
    assert refused.json()["code"] == "TOO_MANY_REQUESTS"
    for response in (allowed, refused):
        assert not [
            name for name in response.headers if name.lower().startswith(("x-ratelimit", "retry-after"))
        ]


def test_budget_exhausted_answers_429_with_headers_when_switched_on(
    recruit: RecruitEmulator, alice: httpx.Client
) -> None:
    recruit.control("features", {"ratelimit_headers": True})
    recruit.control("ratelimit", {"per_minute": 3})
    remaining = [alice.get("/org").headers["X-RATELIMIT-REMAINING"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    refused = alice.get("/org")
    assert refused.status_code == 429
    assert refused.json()["code"] == "TOO_MANY_REQUESTS"
    assert refused.headers["X-RATELIMIT-LIMIT"] == "3"
    assert refused.headers["X-RATELIMIT-REMAINING"] == "0"
    assert int(refused.headers["X-RATELIMIT-RESET"]) > 0
    stats = httpx.get(f"{recruit.base_url}/_emulator/stats", trust_env=False).json()
    assert stats["throttled"] == 1


def test_budget_is_per_user(recruit: RecruitEmulator, alice: httpx.Client, carol: httpx.Client) -> None:
    recruit.control("ratelimit", {"per_minute": 1})
    assert alice.get("/org").status_code == 200
    assert alice.get("/org").status_code == 429
    assert carol.get("/org").status_code == 200


def test_budget_refills_in_the_next_emulator_minute(recruit: RecruitEmulator, alice: httpx.Client) -> None:
    recruit.control("ratelimit", {"per_minute": 1})
    alice.get("/org")
    assert alice.get("/org").status_code == 429
    recruit.control("clock", {"advance_seconds": 60})
    assert alice.get("/org").status_code == 200


def test_empty_settings_turn_the_limit_off(recruit: RecruitEmulator, alice: httpx.Client) -> None:
    recruit.control("ratelimit", {"per_minute": 1})
    recruit.control("ratelimit", {})
    assert all(alice.get("/org").status_code == 200 for _ in range(3))
