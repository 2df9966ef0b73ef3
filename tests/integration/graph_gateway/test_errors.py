"""Graph failures map to the exception a caller decides on, whether they come raw or as an SDK ODataError."""

from __future__ import annotations

import pytest
from msgraph.generated.models.o_data_errors.main_error import MainError
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

from sync_core.graph.errors import (
    AuthRequired,
    Conflict,
    ContainerGone,
    DeltaExpired,
    GraphError,
    ItemNotFound,
    PreconditionFailed,
    Throttled,
    error_from_odata,
    error_from_response,
)


def _body(code: str) -> dict[str, object]:
    return {"error": {"code": code, "message": "m"}}


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (404, "ErrorItemNotFound", ItemNotFound),
        (410, "SyncStateNotFound", DeltaExpired),
        (410, "resyncRequired", DeltaExpired),
        (401, "InvalidAuthenticationToken", AuthRequired),
        (400, "invalid_grant", AuthRequired),
        (409, "ErrorFolderExists", Conflict),
        (412, "ErrorIrresolvableConflict", PreconditionFailed),
        (500, "generalException", GraphError),
    ],
)
def test_status_and_code_choose_the_exception(status: int, code: str, expected: type[GraphError]) -> None:
    error = error_from_response(status, _body(code))
    assert type(error) is expected
    assert (error.status, error.code) == (status, code)


def test_a_404_on_the_container_means_it_is_gone() -> None:
    assert isinstance(error_from_response(404, _body("ErrorItemNotFound"), container=True), ContainerGone)


def test_throttled_carries_retry_after() -> None:
    error = error_from_response(429, _body("TooManyRequests"), {"retry-after": "7"})
    assert isinstance(error, Throttled) and error.retry_after == 7.0


def test_an_sdk_odata_error_maps_the_same_way() -> None:
    odata = ODataError(error=MainError(code="SyncStateNotFound", message="gone"))
    odata.response_status_code = 410
    error = error_from_odata(odata)
    assert isinstance(error, DeltaExpired) and error.code == "SyncStateNotFound"
