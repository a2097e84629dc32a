import pytest
from django.core.management import call_command

from articles.demo import SEED_SLUG
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/tin-tuc/",
    "/chuyen-muc/bau-cu/",
    f"/tin-tuc/{SEED_SLUG}/",
    f"/tin-tuc/{SEED_SLUG}/ban-in/",
    "/tim-kiem/?q=bau+cu",
    "/en/",
    "/khong-co-trang/",
]


@pytest.fixture
def demo_site(settings, live_server):
    settings.DEBUG = True
    call_command("load_demo", "--no-accounts")
    settings.DEBUG = False
    return live_server


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_accessible_without_console_errors(page, demo_site, path):
    response = page.goto(demo_site.url + path)
    assert response.status in (200, 404)
    assert_accessible(page)
    # CSP violations (an inline script or style) show up as console errors; the 404 page
    # itself logs its own status.
    errors = [e for e in page.console_errors if "status of 404" not in e]
    assert errors == []


@pytest.mark.parametrize("path", PAGES[:6])
def test_readable_at_320px_without_horizontal_scroll(page, demo_site, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(demo_site.url + path)
    assert_no_horizontal_scroll(page)


def test_skip_link_and_mobile_menu(page, demo_site):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(demo_site.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    menu = page.locator("#main-menu")
    assert not menu.is_visible()
    page.get_by_role("button", name="Trình đơn").click()
    assert menu.is_visible()
    assert page.get_by_role("button", name="Trình đơn").get_attribute("aria-expanded") == "true"


def test_search_from_the_header(page, demo_site):
    page.goto(demo_site.url + "/")
    page.fill("#site-search", "BAU CU")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/tim-kiem/**")
    assert page.locator(".article-list li").count() >= 1
    assert "Tổng kết thực hiện Chỉ thị 45-CT/TW" in page.content()


def test_article_photos_have_captions_and_alt(page, demo_site):
    page.set_viewport_size({"width": 1280, "height": 6000})  # every lazy image in view
    page.goto(demo_site.url + f"/tin-tuc/{SEED_SLUG}/")
    figures = page.locator(".photos figure")
    assert figures.count() == 3
    for i in range(3):
        assert figures.nth(i).locator("img").get_attribute("alt")
        assert figures.nth(i).locator("figcaption").inner_text()
    # Images actually load (renditions are served).
    page.wait_for_load_state("networkidle")
    loaded = page.evaluate(
        "() => [...document.querySelectorAll('.photos img')].every(i => i.naturalWidth > 0)"
    )
    assert loaded
