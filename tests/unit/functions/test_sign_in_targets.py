"""Where sign-in may land and which error codes our page is given: never a foreign site or echoed text."""

from __future__ import annotations

import pytest

from sync_core.engine.accounts.accounts import HOME_PATH, consent_error_code, safe_next_path


@pytest.mark.parametrize("target", ["/api/ui", "/api/ui/", "/api/ui/#calendar", "/api/ui?tab=contacts"])
def test_our_own_manage_pages_are_kept(target: str) -> None:
    assert safe_next_path(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/api/ui",
        "//evil.example/api/ui",
        "/\\evil.example",
        "javascript:alert(1)",
        "/api/me",
        "/api/uix",
        "/api/ui/../auth/logout",
        "/api/ui\r\nSet-Cookie: x=y",
        "api/ui",
    ],
)
def test_anything_else_lands_on_the_manage_page(target: str | None) -> None:
    assert safe_next_path(target) == HOME_PATH


def test_known_provider_errors_pass_as_codes() -> None:
    assert consent_error_code("microsoft", "access_denied") == "microsoft_access_denied"


def test_unknown_provider_error_text_is_never_reflected() -> None:
    assert consent_error_code("zoho", "<script>alert(1)</script>") == "zoho_sign_in_failed"
