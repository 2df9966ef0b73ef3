"""Transport policies against scripted answers the emulator never gives: errors inside HTTP 200 bodies,
rate-limit headers in their different forms.
"""

from __future__ import annotations

import httpx
import pytest

from sync_core.recruit import RecruitClient, RecruitError
from sync_core.recruit.transport import _reset_delay


class CountingTokens:
    def __init__(self) -> None:
        self.refreshes = 0

    async def access_token(self) -> str:
        return f"token-{self.refreshes}"

    async def refreshed(self) -> str:
        self.refreshes += 1
        return f"token-{self.refreshes}"


def scripted(*answers: httpx.Response) -> tuple[httpx.AsyncClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(answers)

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0)

    return httpx.AsyncClient(transport=httpx.MockTransport(answer)), seen


async def test_an_invalid_token_error_inside_an_http_200_body_triggers_one_refresh() -> None:
    http, seen = scripted(
        httpx.Response(200, json={"error": {"code": "INVALID_TOKEN", "message": "expired"}}),
        httpx.Response(200, json={"org": [{"id": "1", "company_name": "Acme"}]}),
    )
    tokens = CountingTokens()
    async with http, RecruitClient("https://recruit.example/recruit/v2", tokens, http=http) as client:
        org = await client.org()
    assert org.company_name == "Acme"
    assert tokens.refreshes == 1
    assert [request.headers["Authorization"] for request in seen] == [
        "Zoho-oauthtoken token-0",
        "Zoho-oauthtoken token-1",
    ]


async def test_any_other_error_inside_an_http_200_body_is_raised_with_its_code() -> None:
    http, _ = scripted(httpx.Response(200, json={"error": {"code": "NO_PERMISSION", "message": "denied"}}))
    async with (
        http,
        RecruitClient("https://recruit.example/recruit/v2", CountingTokens(), http=http) as client,
    ):
        with pytest.raises(RecruitError) as raised:
            await client.org()
    assert (raised.value.code, raised.value.message, raised.value.http_status) == (
        "NO_PERMISSION",
        "denied",
        200,
    )


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X-RATELIMIT-RESET": "1700000030000"}, 30.0),  # epoch milliseconds
        ({"X-RATELIMIT-RESET": "1700000012"}, 12.0),  # epoch seconds
        ({"Retry-After": "7"}, 7.0),  # seconds from now
        ({"X-RATELIMIT-RESET": "0", "Retry-After": "2"}, 2.0),  # the later of both
        ({"X-RATELIMIT-RESET": "soon"}, None),
        ({}, None),
    ],
)
def test_the_rate_limit_reset_is_read_from_either_header_form(
    headers: dict[str, str], expected: float | None
) -> None:
    assert _reset_delay(httpx.Headers(headers), now=1_700_000_000.0) == expected
