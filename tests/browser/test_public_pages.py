import pytest
from django.core.management import call_command

from articles.demo import SEED_SLUG
from tests import factories
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
    "/so-do-cong/",
    "/bau-cu/",
    "/khen-thuong/",
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


@pytest.mark.parametrize("path", [*PAGES[:6], *PAGES[-3:]])
def test_readable_at_320px_without_horizontal_scroll(page, demo_site, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(demo_site.url + path)
    assert_no_horizontal_scroll(page)


def detail_paths():
    from awards.models import Decision
    from elections.models import Election

    return [
        Election.objects.order_by("pk").first().get_absolute_url(),
        Decision.objects.order_by("pk").first().get_absolute_url(),
    ]


def test_detail_pages_are_accessible_and_fit_320px(page, demo_site):
    for path in detail_paths():
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(demo_site.url + path)
        assert_accessible(page)
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(demo_site.url + path)
        assert_no_horizontal_scroll(page)
    assert page.console_errors == []


CLS_SCRIPT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 800);
})"""


@pytest.mark.parametrize("width", [360, 1280])
def test_no_layout_shift_while_the_page_loads(page, demo_site, width):
    page.set_viewport_size({"width": width, "height": 740})
    page.goto(demo_site.url + f"/tin-tuc/{SEED_SLUG}/")
    page.wait_for_load_state("load")
    assert page.evaluate(CLS_SCRIPT) < 0.01


def test_phone_header_is_compact(page, demo_site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo_site.url + "/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 120
    assert page.locator(".brand-emblem").is_visible()
    assert page.locator("#site-search").is_visible()


def open_phone_menu(page):
    menu = page.locator("#main-menu")
    assert not menu.is_visible()
    toggle = page.locator("summary.menu-toggle")
    assert toggle.inner_text().strip().endswith("Trình đơn")
    return menu, toggle


def test_skip_link_and_mobile_menu_by_keyboard(page, demo_site):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(demo_site.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    menu, toggle = open_phone_menu(page)
    page.keyboard.press("Tab")  # the banner's link
    while not toggle.evaluate("el => el === document.activeElement"):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert menu.is_visible()
    assert page.locator("details.nav-drawer").get_attribute("open") is not None
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent")
    assert focused == "Trang chủ"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent") == "Tin tức – Sự kiện":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/tin-tuc/")


def test_menu_works_without_javascript(browser, demo_site):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="vi-VN"
    )
    page = context.new_page()
    try:
        page.goto(demo_site.url + "/")
        menu, toggle = open_phone_menu(page)
        toggle.click()
        assert menu.is_visible()
        page.get_by_role("link", name="Bầu cử", exact=True).click()
        page.wait_for_url("**/bau-cu/")
        # Wide screens: the menu is shown without a toggle.
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(demo_site.url + "/")
        assert page.locator("#main-menu").is_visible()
        assert not page.locator("summary.menu-toggle").is_visible()
    finally:
        context.close()


def test_desktop_submenu_opens_on_keyboard_focus(page, demo_site):
    page.goto(demo_site.url + "/")
    news = page.locator("#main-menu > li.has-children").first
    submenu = news.locator("> ul.submenu")
    assert not submenu.is_visible()
    news.locator("> a").focus()
    assert submenu.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.submenu') !== null")


def test_site_map_page_lists_menu_sections(page, demo_site):
    page.goto(demo_site.url + "/")
    page.locator(".site-footer").get_by_role("link", name="Sơ đồ cổng").click()
    page.wait_for_url("**/so-do-cong/")
    links = page.locator(".site-map a")
    texts = links.all_inner_texts()
    for text in ["Trang chủ", "Tin tức – Sự kiện", "Bầu cử", "Thi đua – Khen thưởng", "Kinh tế"]:
        assert text in texts


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


def test_categories_with_few_articles_share_a_row_instead_of_leaving_it_empty(page, live_server):
    factories.article(category=factories.category("Tiêu điểm", order=0), is_featured=True)
    sizes = {"Nhiều bài": 5, "Một bài": 1, "Hai bài": 2}
    for order, (name, count) in enumerate(sizes.items(), 1):
        category = factories.category(name, order=order)
        for _ in range(count):
            factories.article(category=category)

    def boxes():
        return {
            name: page.locator(".category-section")
            .filter(has=page.get_by_role("heading", name=name, exact=True))
            .bounding_box()
            for name in sizes
        }

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    wide = boxes()
    row = page.locator(".category-sections").bounding_box()
    assert wide["Nhiều bài"]["width"] > 0.95 * row["width"]  # four articles: a whole row
    assert wide["Một bài"]["y"] == wide["Hai bài"]["y"]  # one and two articles: side by side
    assert wide["Một bài"]["width"] < wide["Hai bài"]["width"] < 0.75 * row["width"]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    narrow = boxes()
    assert narrow["Hai bài"]["y"] > narrow["Một bài"]["y"] + narrow["Một bài"]["height"] - 1
