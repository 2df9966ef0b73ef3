"""Recruit error bodies become specific exceptions; OAuth URLs and data-centre hosts are checked."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from sync_core.config import Settings
from sync_core.recruit.errors import (
    InvalidToken,
    LimitExceeded,
    NotFound,
    RateLimited,
    RecruitError,
    error_from_body,
    record_results,
)
from sync_core.recruit.oauth import (
    UntrustedAccountsServer,
    api_base_for,
    authorize_url,
    trusted_accounts_server,
)

LOCAL = Settings(
    zoho_accounts_url="http://127.0.0.1:7082", zoho_api_base_url="http://127.0.0.1:7082/recruit/v2"
)


def test_the_standard_error_shape_keeps_code_message_details_and_status() -> None:
    body = {"code": "INVALID_DATA", "details": {"api_name": "Email"}, "message": "bad", "status": "error"}
    error = error_from_body(body, 400)
    assert type(error) is RecruitError
    assert (error.code, error.message, error.details, error.http_status) == (
        "INVALID_DATA",
        "bad",
        {"api_name": "Email"},
        400,
    )


def test_an_error_object_inside_an_http_200_body_is_still_an_error() -> None:
    error = error_from_body({"error": {"code": "INVALID_TOKEN", "message": "expired"}}, 200)
    assert isinstance(error, InvalidToken)
    assert error.http_status == 200


def test_accounts_server_string_errors_are_read() -> None:
    error = error_from_body({"error": "invalid_code"}, 200)
    assert error is not None and error.code == "invalid_code"


@pytest.mark.parametrize(
    ("code", "status", "kind"),
    [
        ("TOO_MANY_REQUESTS", 429, RateLimited),
        ("INVALID_URL_PATTERN", 404, NotFound),
        ("LIMIT_EXCEEDED", 400, LimitExceeded),
        ("AUTHENTICATION_FAILURE", 401, InvalidToken),
    ],
)
def test_error_codes_map_to_specific_exceptions(code: str, status: int, kind: type[RecruitError]) -> None:
    assert isinstance(error_from_body({"code": code, "status": "error"}, status), kind)


def test_a_successful_body_is_no_error() -> None:
    assert error_from_body({"data": [{"id": "1"}]}, 200) is None


def test_bulk_answers_give_one_result_per_record_with_offset_indexes() -> None:
    items = [
        {"code": "SUCCESS", "details": {"id": "11"}, "message": "record added", "status": "success"},
        {
            "code": "MANDATORY_NOT_FOUND",
            "details": {"api_name": "Last_Name"},
            "message": "x",
            "status": "error",
        },
    ]
    first, second = record_results(items, offset=100)
    assert (first.index, first.ok, first.id) == (100, True, "11")
    assert (second.index, second.ok, second.id, second.code) == (101, False, None, "MANDATORY_NOT_FOUND")


def test_the_authorize_url_asks_for_offline_access_and_fresh_consent() -> None:
    url = authorize_url(
        "https://accounts.zoho.eu/", "cid", "https://app/cb", "st", ["A.READ", "B.ALL"], "a@b"
    )
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert parts.netloc == "accounts.zoho.eu" and parts.path == "/oauth/v2/auth"
    assert query == {
        "scope": "A.READ,B.ALL",
        "client_id": "cid",
        "response_type": "code",
        "access_type": "offline",
        "prompt": "consent",
        "redirect_uri": "https://app/cb",
        "state": "st",
        "login_hint": "a@b",
    }


@pytest.mark.parametrize(
    ("accounts_server", "api_base"),
    [
        ("https://accounts.zoho.com", "https://recruit.zoho.com/recruit/v2"),
        ("https://accounts.zoho.eu/", "https://recruit.zoho.eu/recruit/v2"),
        ("https://accounts.zoho.com.au", "https://recruit.zoho.com.au/recruit/v2"),
        ("https://accounts.zohocloud.ca", "https://recruit.zohocloud.ca/recruit/v2"),
        ("https://accounts.zoho.uk", "https://recruit.zoho.uk/recruit/v2"),
        ("https://accounts.zoho.sg", "https://recruit.zoho.sg/recruit/v2"),
        ("https://accounts.zoho.ae", "https://recruit.zoho.ae/recruit/v2"),
        ("http://127.0.0.1:7082", "http://127.0.0.1:7082/recruit/v2"),
    ],
)
def test_each_data_centre_has_its_recruit_api_base(accounts_server: str, api_base: str) -> None:
    assert api_base_for(accounts_server, LOCAL) == api_base


@pytest.mark.parametrize(
    "accounts_server",
    [
        "https://accounts.zoho.com.evil.example",
        "http://accounts.zoho.com",
        "https://accounts.zoho.com:8443",
        "https://evil.example",
        "http://127.0.0.1:9999",
        "accounts.zoho.com",
    ],
)
def test_unknown_accounts_servers_are_refused(accounts_server: str) -> None:
    with pytest.raises(UntrustedAccountsServer):
        trusted_accounts_server(accounts_server, LOCAL)
