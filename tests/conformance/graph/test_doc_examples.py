"""Every vendored example of the Graph v1.0 reference, replayed against the emulator.

The example's items are made first (world.py), its request is sent with a real user token, and the answer is
held to the example: status, property names, JSON types and nested shapes (shape.py lists what may differ).
"""

from __future__ import annotations

import httpx
import pytest

from tests.fixtures.webhook_receiver import Receiver

from .cases import DocCase, bind_request, load_cases
from .shape import ShapeCheck, header_problems
from .world import DocWorld

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.test_id for c in CASES])
def test_the_emulator_answers_the_documented_example(
    case: DocCase, alice_api: httpx.Client, receiver: Receiver
) -> None:
    world = DocWorld(alice_api, receiver.url, case.anchor)
    request = bind_request(case, world)
    response = alice_api.request(
        request.method, request.path, headers=request.headers, json=request.json_body, content=request.content
    )
    expected = case.response
    assert response.status_code == expected["status"], response.text
    problems = header_problems(expected.get("headers", {}), response.headers)
    if expected.get("body") is not None:
        check = ShapeCheck(case.selected(), case.opaque, case.contradicted)
        check.compare(expected["body"], response.json())
        problems += check.problems
    elif expected["status"] == 204:
        assert response.content == b""
    assert not problems, f"{case.test_id} ({case.source['path']}):\n" + "\n".join(problems)
