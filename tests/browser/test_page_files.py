"""The Manage page's files as the app serves them: types, caching, security headers, nothing outside web/."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest

from sync_core.functions.ui import WEB_ROOT, resolve_asset
from tests.fixtures.stack import Stack


@pytest.mark.parametrize(
    "request_path",
    [
        "../functions/ui.py",
        "js/../../config.py",
        "/etc/passwd",
        ".hidden",
        "js\\main.js",
        "",
        "nothing.txt",
        "a" * 600,  # longer than a file name may be: the fuzz suite found it answered 500
        "js/" + "x" * 40_000,
    ],
)
def test_paths_outside_web_or_of_unknown_type_are_not_served(request_path: str) -> None:
    assert resolve_asset(request_path) is None


def test_page_and_modules_resolve_inside_web() -> None:
    assert resolve_asset("index.html") == WEB_ROOT / "index.html"
    assert resolve_asset("js/main.js") == WEB_ROOT / "js" / "main.js"


class _InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style attributes, inline handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.blocked.append("inline <script>")
        if tag == "style":
            self.blocked.append("<style> element")
        self.blocked += [f"{name}= on <{tag}>" for name in names if name == "style" or name.startswith("on")]


def test_html_has_nothing_a_strict_csp_blocks() -> None:
    for html_file in WEB_ROOT.rglob("*.html"):
        parser = _InlineCode()
        parser.feed(html_file.read_text())
        assert parser.blocked == [], html_file


def test_scripts_never_write_html_or_style_attributes() -> None:
    # textContent and DOM nodes only: API text (titles from Recruit, error messages) can never become markup.
    for script in WEB_ROOT.rglob("*.js"):
        source = script.read_text()
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", source), script
        assert not re.search(r"setAttribute\(\s*[\"']style", source), script


@pytest.mark.e2e
def test_page_is_html_with_security_headers(stack: Stack) -> None:
    response = httpx.get(stack.url("/api/ui"), trust_env=False)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("path", "content_type"),
    [("js/main.js", "text/javascript"), ("app.css", "text/css"), ("icon.svg", "image/svg+xml")],
)
def test_assets_have_their_content_type(stack: Stack, path: str, content_type: str) -> None:
    response = httpx.get(stack.url(f"/api/ui/{path}"), trust_env=False)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.e2e
def test_unchanged_asset_revalidates_with_304(stack: Stack) -> None:
    first = httpx.get(stack.url("/api/ui/app.css"), trust_env=False)
    again = httpx.get(
        stack.url("/api/ui/app.css"), headers={"If-None-Match": first.headers["etag"]}, trust_env=False
    )

    assert first.headers["cache-control"] == "no-cache"
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.e2e
@pytest.mark.parametrize(
    "path", ["/api/ui/%2e%2e/functions/ui.py", "/api/ui/js/..%2F..%2Fconfig.py", "/api/ui/nope.js"]
)
def test_traversal_and_missing_files_are_404(stack: Stack, path: str) -> None:
    response = httpx.get(stack.url(path), trust_env=False)

    assert response.status_code == 404
    assert b"import" not in response.content
