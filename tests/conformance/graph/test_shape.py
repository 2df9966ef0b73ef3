"""The comparison the doc examples are judged by finds what it must (so a passing example means something)."""

from __future__ import annotations

from .shape import ShapeCheck, header_problems


def _problems(example: object, ours: object, selected: list[str] | None = None) -> list[str]:
    check = ShapeCheck(selected)
    check.compare(example, ours)
    return check.problems


def test_a_missing_property_and_a_wrong_type_are_reported() -> None:
    example = {"subject": "s", "start": {"dateTime": "d", "timeZone": "UTC"}, "isAllDay": False}
    ours = {"subject": 3, "start": {"dateTime": "d"}, "isAllDay": False}

    assert _problems(example, ours) == [
        "$.subject: the example has a string, ours is number",
        "$.start.timeZone: missing",
    ]


def test_every_element_of_an_array_is_held_to_the_first_example_element() -> None:
    example = {"value": [{"id": "x", "type": "occurrence"}]}

    assert _problems(example, {"value": [{"id": "a", "type": "occurrence"}, {"id": "b"}]}) == [
        "$.value[].type: missing"
    ]
    assert _problems(example, {"value": []}) == ["$.value: the example shows items, ours is empty"]


def test_null_in_the_example_and_unselected_properties_are_not_required() -> None:
    example = {"value": [{"id": "x", "birthday": None, "displayName": "d", "givenName": "g"}]}

    assert (
        _problems(example, {"value": [{"id": "a", "birthday": "1974", "displayName": "d"}]}, ["displayName"])
        == []
    )


def test_optional_control_information_is_skipped_but_the_context_is_required() -> None:
    example = {"@odata.context": "c", "@odata.id": "i", "calendar@odata.navigationLink": "n", "id": "x"}

    assert _problems(example, {"id": "a"}) == ["$.@odata.context: missing"]


def test_headers_the_example_shows_must_be_answered() -> None:
    shown = {"Content-type": "application/json", "Preference-Applied": 'outlook.timezone="UTC"'}

    assert header_problems(shown, {"content-type": "application/json"}) == [
        "header Preference-Applied: missing"
    ]
    assert header_problems(shown, {"preference-applied": "x"}) == []


def test_a_contradicted_path_is_not_compared_but_its_siblings_are() -> None:
    check = ShapeCheck(skipped=["$.userPurpose"])
    check.compare({"userPurpose": {"value": "user"}, "timeZone": "UTC"}, {"userPurpose": "user"})

    assert check.problems == ["$.timeZone: missing"]
