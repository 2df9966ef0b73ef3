"""HTTP functions reached through real requests to the dev host."""

from __future__ import annotations

import httpx

from tests.fixtures.polling import poll
from tests.integration.devhost.conftest import DevHost


def test_request_reaches_function_with_route_params_query_headers_and_body(devhost: DevHost) -> None:
    response = httpx.post(
        f"{devhost.base_url}/api/echo/calendar/42?a=1&a=2&b=x",
        headers={"X-Sample": "from-test"},
        content=b"the body",
    )

    assert response.status_code == 201
    assert response.json() == {
        "method": "POST",
        "url": f"{devhost.base_url}/api/echo/calendar/42?a=1&a=2&b=x",
        "route_params": {"kind": "calendar", "item_id": "42"},
        "params": {"a": "1,2", "b": "x"},
        "header": "from-test",
        "body": "the body",
    }


def test_response_keeps_every_header_and_both_cookies(devhost: DevHost) -> None:
    response = httpx.get(f"{devhost.base_url}/api/echo/contacts/1")

    assert response.headers["x-echo"] == "yes"
    assert response.headers["content-type"] == "application/json"
    assert response.headers.get_list("set-cookie") == ["session=abc; Path=/; HttpOnly", "csrf=xyz; Path=/"]
    assert response.cookies["session"] == "abc"
    assert response.cookies["csrf"] == "xyz"


def test_optional_route_parameter_is_passed_when_present(devhost: DevHost) -> None:
    response = httpx.get(f"{devhost.base_url}/api/echo/calendar/7/more")

    assert response.json()["route_params"] == {"kind": "calendar", "item_id": "7", "extra": "more"}


def test_route_constraints_reject_values_that_do_not_fit(devhost: DevHost) -> None:
    assert httpx.get(f"{devhost.base_url}/api/echo/calendar2/7").status_code == 404
    assert httpx.get(f"{devhost.base_url}/api/echo/calendar/seven").status_code == 404


def test_text_response_carries_mimetype_and_charset(devhost: DevHost) -> None:
    response = httpx.get(f"{devhost.base_url}/api/text")

    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "héllo"


def test_method_not_declared_gives_405(devhost: DevHost) -> None:
    response = httpx.delete(f"{devhost.base_url}/api/text")

    assert response.status_code == 405
    assert response.headers["allow"] == "GET"


def test_unknown_route_and_missing_prefix_give_404(devhost: DevHost) -> None:
    assert httpx.get(f"{devhost.base_url}/api/nothing-here").status_code == 404
    assert httpx.get(f"{devhost.base_url}/text").status_code == 404


def test_raising_function_gives_500_without_its_traceback(devhost: DevHost) -> None:
    response = httpx.get(f"{devhost.base_url}/api/boom")

    assert response.status_code == 500
    assert "secret detail" not in response.text
    assert "Traceback" not in response.text
    # The operator still sees what went wrong, in the host's log.
    poll(lambda: "secret detail that must not reach the client" in devhost.log(), what="the logged error")


def test_each_invocation_is_logged_with_function_trigger_duration_and_status(devhost: DevHost) -> None:
    httpx.get(f"{devhost.base_url}/api/text")

    poll(
        lambda: any(
            line.startswith("devhost: invoked plain_text (httpTrigger) in ") and line.endswith("ms: ok 200")
            for line in devhost.log().splitlines()
        ),
        what="the invocation log line",
    )
