"""Headless Chromium through Playwright, for tests that look at pages as a user would.

Debian's /usr/bin/chromium is used (never `playwright install`). Every page fails its test on a
console error; screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
# are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("QC_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make test` as root or apt-get install chromium"
        )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Chromium logs every 4xx document as a console error; refused input is answered 400 (or 409,
# 422) on purpose (docs/architecture.md, "Refused input is a 400"), so those are not errors.
REFUSAL_STATUS = re.compile(
    r"Failed to load resource: the server responded with a status of (400|409|422) \(.*\)"
)


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors  # type: ignore[attr-defined]
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()
    errors = [e for e in errors if not REFUSAL_STATUS.fullmatch(e)]
    assert errors == [], f"console errors: {errors}"


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # caret="initial": hiding the caret injects a style element, which the CSP blocks (console error)
    page.screenshot(path=str(path), full_page=False, caret="initial")
    return path
