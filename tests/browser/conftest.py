"""Real-browser fixtures: Debian's Chromium driven by Playwright, with axe-core for WCAG."""

import json
import os
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import sync_playwright

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
# Playwright's sync API runs an event loop in the test thread; Django would refuse its ORM
# calls there although they are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser(chromium_path):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


def axe_violations(page):
    """Run axe-core in the page; return the WCAG 2.1 A/AA violations (id, help, targets)."""
    # Evaluated through the DevTools protocol: the page's CSP (no inline scripts) stays on.
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return [
        {
            "id": v["id"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=2)


def assert_no_horizontal_scroll(page):
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"page scrolls horizontally by {overflow}px"
