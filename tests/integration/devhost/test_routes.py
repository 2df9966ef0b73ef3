"""Route templates: parameters, constraints, optional and catch-all segments, precedence."""

from __future__ import annotations

import pytest

from local.devhost.routes import compile_route


def test_literal_route_matches_case_insensitively_and_ignores_trailing_slash() -> None:
    route = compile_route("health")

    assert route.match("Health/") == {}
    assert route.match("healthz") is None


def test_parameters_are_returned_by_name() -> None:
    assert compile_route("sync/{kind}/enable").match("sync/calendar/enable") == {"kind": "calendar"}


def test_alpha_constraint_rejects_digits() -> None:
    route = compile_route("sync/{kind:alpha}/log")

    assert route.match("sync/contacts/log") == {"kind": "contacts"}
    assert route.match("sync/c0ntacts/log") is None


def test_optional_parameter_may_be_left_out() -> None:
    route = compile_route("items/{id:int?}")

    assert route.match("items") == {}
    assert route.match("items/12") == {"id": "12"}
    assert route.match("items/twelve") is None


def test_default_value_fills_a_missing_parameter() -> None:
    assert compile_route("page/{number=1}").match("page") == {"number": "1"}


def test_catch_all_takes_the_rest_of_the_path() -> None:
    assert compile_route("ui/{*path}").match("ui/assets/app.js") == {"path": "assets/app.js"}


def test_parameter_within_a_segment() -> None:
    assert compile_route("files/{name}.{ext}").match("files/report.pdf") == {"name": "report", "ext": "pdf"}


@pytest.mark.parametrize(
    ("template", "good", "bad"),
    [
        ("{v:guid}", "0f8fad5b-d9cb-469f-a165-70867728950e", "not-a-guid"),
        ("{v:bool}", "True", "yes"),
        ("{v:minlength(3)}", "abc", "ab"),
        ("{v:range(1,10)}", "10", "11"),
        ("{v:regex(^a+$)}", "aaa", "aab"),
    ],
)
def test_constraints(template: str, good: str, bad: str) -> None:
    route = compile_route(template)

    assert route.match(good) == {"v": good}
    assert route.match(bad) is None


def test_unknown_constraint_is_an_error_when_compiling() -> None:
    with pytest.raises(ValueError, match="unknown constraint"):
        compile_route("{v:colour}")


def test_literal_segments_take_precedence_over_parameters() -> None:
    literal, parameter = compile_route("sync/contacts/mapping"), compile_route("sync/{kind}/mapping")

    assert literal.precedence < parameter.precedence
