"""Browser tests: one headless Chromium per module, a fresh context per test, a screenshot when a test fails.

Each test starts from nothing (`fresh_stack`: emulators reset, product storage emptied) and without cookies.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from tests.fixtures.stack import Stack

ARTIFACTS = Path(__file__).parent / "artifacts"
# An installed Chromium or Chrome (CHROMIUM_PATH, else the first on PATH); without one, Playwright's own build
# (`playwright install chromium`, which `make chromium` runs when nothing is installed).
INSTALLED_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def installed_chromium() -> str | None:
    """The Chromium to drive: CHROMIUM_PATH, an installed one, else None for Playwright's own."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit
    return next((found for name in INSTALLED_NAMES if (found := shutil.which(name))), None)


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}

expect.set_options(timeout=15_000)


# Module scope, not session: while sync_playwright is open, asyncio sees its loop as running in this thread,
# which would break every async test collected after the browser tests.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=installed_chromium(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@dataclass
class ConsoleWatch:
    """Console errors and uncaught page errors of our own pages (not the emulators' sign-in pages)."""

    origin: str
    errors: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        # Every error counts, failed resource loads (a 401 or a 404) included: a normal visit shows none.
        ours = message.location.get("url", "").startswith(self.origin)
        if message.type == "error" and ours:
            self.errors.append(f"{message.text} at {message.location.get('url', '')}")


@pytest.fixture
def console(fresh_stack: Stack) -> ConsoleWatch:
    return ConsoleWatch(fresh_stack.base_url)


def open_page(
    browser: Browser, request: pytest.FixtureRequest, console: ConsoleWatch, stack: Stack, **options: Any
) -> Iterator[Page]:
    context = browser.new_context(**options)
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", lambda error: console.errors.append(f"uncaught: {error}"))
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::")[-1])
            page.screenshot(path=str(ARTIFACTS / f"failed-{name}.png"), full_page=True)
            # The dev host's log says what the server side did while the page waited.
            shutil.copyfile(stack.log_path, ARTIFACTS / f"failed-{name}-devhost.log")
        context.close()


@pytest.fixture
def page(
    browser: Browser, request: pytest.FixtureRequest, console: ConsoleWatch, fresh_stack: Stack
) -> Iterator[Page]:
    """A desktop-sized page in a context of its own (no cookies); screenshot under artifacts/ on failure."""
    yield from open_page(browser, request, console, fresh_stack, viewport=DESKTOP)


@pytest.fixture
def narrow_page(
    browser: Browser, request: pytest.FixtureRequest, console: ConsoleWatch, fresh_stack: Stack
) -> Iterator[Page]:
    """A phone-sized page, 320 px wide."""
    yield from open_page(
        browser, request, console, fresh_stack, viewport={"width": 320, "height": 640}, is_mobile=True
    )
