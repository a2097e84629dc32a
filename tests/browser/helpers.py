"""Real-browser helpers: axe-core for WCAG 2.1 AA, layout checks.

The ``browser`` and ``page`` fixtures live in ``tests/conftest.py`` so every test folder shares
one Chromium (Playwright's sync API can be started only once per process).
"""

import json
from pathlib import Path

import axe_playwright_python

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


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
