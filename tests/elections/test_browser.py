"""Election pages in a real Chromium: WCAG 2.1 AA (axe-core), CSP-clean, readable at 320 px."""

import pytest

from articles.demo import SEED_SLUG
from elections import demo
from tests import factories
from tests.browser.helpers import (
    assert_accessible,
    assert_no_horizontal_scroll,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DETAIL = f"/bau-cu/{demo.ELECTION_SLUG}/"
PAGES = ["/bau-cu/", DETAIL, f"/en{DETAIL}"]


@pytest.fixture
def election_site(live_server):
    factories.article(slug=SEED_SLUG, title="Hội nghị tổng kết công tác bầu cử")
    demo.load()
    return live_server


@pytest.mark.parametrize("path", PAGES)
def test_election_pages_are_accessible_without_console_errors(page, election_site, path):
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    response = page.goto(election_site.url + path)
    assert response.status == 200
    assert_accessible(page)
    # Every resource loads (the browser's own favicon probe aside); an inline script or
    # style would be blocked by the CSP and logged as an error.
    assert [url for url in failed if not url.endswith("/favicon.ico")] == []
    errors = [e for e in page.console_errors if "status of 404" not in e]
    assert errors == []
    assert page.evaluate(
        "() => [...document.styleSheets].some(s => (s.href || '').endsWith('elections.css'))"
    )


@pytest.mark.parametrize("path", PAGES[:2])
def test_readable_at_320px_without_horizontal_scroll(page, election_site, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(election_site.url + path)
    assert_no_horizontal_scroll(page)


def test_turnout_chart_draws_the_official_figure(page, election_site):
    page.goto(election_site.url + DETAIL)
    assert page.locator(".chart-fill").first.get_attribute("width") == "99.47%"
    box = page.locator(".chart-fill").first.bounding_box()
    track = page.locator(".chart-track").first.bounding_box()
    assert box["width"] == pytest.approx(track["width"] * 0.9947, rel=0.01)
    table = page.get_by_role("table", name="Số liệu cử tri đi bầu")
    assert "99,47%" in table.inner_text()
    # The share of areas where everyone voted is not a turnout rate: outside chart and table.
    assert "604/777" not in table.inner_text()
    assert page.locator(".chart-row").count() == page.locator(".chart-fill").count()
    assert "604/777" in page.locator(".turnout-areas").inner_text()
    assert all(
        "khu vực" not in label.lower() for label in page.locator(".chart-label").all_inner_texts()
    )


def test_a_unit_page_is_reached_from_the_election_page_and_is_accessible(page, election_site):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(election_site.url + DETAIL)
    link = page.locator(".units-table tbody th a").first
    label = link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert "/don-vi/" in page.url
    assert page.locator("h1").inner_text().startswith(label)
    assert page.get_by_role("table").count() == 1
    assert page.locator(".unit-minutes").count() == 1
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
