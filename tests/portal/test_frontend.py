"""The site shell: menu, site map page, header, hreflang, compression and media caching."""

import gzip
import re

import pytest
from django.urls import reverse

from portal import menu
from portal.context_processors import banner_lines
from tests import factories

pytestmark = pytest.mark.django_db


def menu_labels(links):
    return [link.label for link in links]


@pytest.fixture
def fresh_menu():
    menu._static_menu.cache_clear()
    yield
    menu._static_menu.cache_clear()


def test_menu_leaves_out_entries_whose_url_names_do_not_resolve(monkeypatch, fresh_menu):
    monkeypatch.setattr(
        menu,
        "MENU",
        (
            menu.Entry("Có", "articles:list"),
            menu.Entry("Chưa có", "documents-not-built:list"),
            menu.Entry("Cha", "elections:list", children=(menu.Entry("Con chưa có", "x:y"),)),
        ),
    )
    links = menu.main_menu()
    assert [(link.label, link.url) for link in links] == [
        ("Có", "/tin-tuc/"),
        ("Cha", "/bau-cu/"),
    ]
    assert links[1].children == []


def test_menu_has_every_section_of_a_provincial_portal_in_order():
    assert menu_labels(menu.main_menu()) == [
        "Giới thiệu", "Tin tức – Sự kiện", "Văn bản", "Lịch công tác", "Hỏi đáp", "Dịch vụ công",
        "Bầu cử", "Thi đua – Khen thưởng", "Liên hệ",
    ]  # fmt: skip
    assert menu_labels(menu.main_menu()) == [str(e.label) for e in menu.MENU]


def test_news_entry_lists_menu_categories_with_their_children():
    parent = factories.category("Tin địa phương", order=1)
    child = factories.category("Huyện Bình Lục", parent=parent)
    hidden = factories.category("Lưu trữ", show_in_menu=False, order=2)
    news = next(link for link in menu.main_menu() if link.url == reverse("articles:list"))
    assert [c.label for c in news.children] == ["Tin địa phương"]
    assert news.children[0].children[0].label == "Huyện Bình Lục"
    assert news.children[0].children[0].url == child.get_absolute_url()
    assert news.children[0].lang == "vi"
    # The site map lists every category, the hidden one too.
    site_news = next(link for link in menu.site_map() if link.url == reverse("articles:list"))
    assert hidden.name in [c.label for c in site_news.children]


def test_category_changes_reach_the_cached_menu(django_assert_num_queries):
    category = factories.category("Tin cũ")
    menu.main_menu()
    with django_assert_num_queries(0):
        menu.main_menu()  # cached
    category.name = "Tin mới đổi tên"
    category.save()
    news = next(link for link in menu.main_menu() if link.url == reverse("articles:list"))
    assert [c.label for c in news.children] == ["Tin mới đổi tên"]
    category.delete()
    news = next(link for link in menu.main_menu() if link.url == reverse("articles:list"))
    assert news.children == []


def test_public_service_links_come_from_settings(settings, client):
    settings.PORTAL_NATIONAL_SERVICES_URL = "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html"
    settings.PORTAL_PROVINCE_SERVICES_URL = "https://dichvucong.example.gov.vn/"
    html = client.get("/").content.decode()
    block = html[html.index('class="home-block services-home"') :]
    block = block[: block.index("</section>")]
    for where in (html, block):  # the menu, and the home page's block
        assert 'href="https://dichvucong.gov.vn/p/home/dvc-trang-chu.html"' in where
        assert 'href="https://dichvucong.example.gov.vn/"' in where
    settings.PORTAL_NATIONAL_SERVICES_URL = ""  # the province's portal alone still has its entry
    services = next(link for link in menu.main_menu() if link.label == "Dịch vụ công")
    assert services.url == "https://dichvucong.example.gov.vn/"
    assert [c.url for c in services.children] == ["https://dichvucong.example.gov.vn/"]
    assert "dichvucong.gov.vn" not in client.get("/").content.decode()
    settings.PORTAL_PROVINCE_SERVICES_URL = ""
    labels = menu_labels(menu.main_menu())
    assert "Dịch vụ công" not in labels


def test_menu_is_translated_per_language(client):
    html = client.get("/en/").content.decode()
    assert 'href="/en/tin-tuc/"' in html
    assert "News and events" in html
    assert 'href="/en/bau-cu/"' in html


def test_menu_queries_are_fixed(client, django_assert_num_queries):
    factories.category("Một")
    client.get("/so-do-cong/")
    for n in range(10):
        factories.category(f"Chuyên mục thêm {n}")
    # The categories' query and the demo-content check run again once (their caches follow
    # changes), whatever the number of categories.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as cold:
        client.get("/so-do-cong/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/so-do-cong/")
    assert len(cold.captured_queries) == len(warm.captured_queries) + 2
    # The content generation (the demo banner's key), the introduction pages and the question
    # topics (the page cache, off in tests, keeps the whole page in production).
    assert len(warm.captured_queries) <= 3


def test_site_map_page_lists_sections_and_every_category(client):
    parent = factories.category("Tin địa phương")
    factories.category("Huyện Kim Bảng", parent=parent)
    factories.category("Ẩn khỏi trình đơn", show_in_menu=False)
    response = client.get("/so-do-cong/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Sơ đồ cổng</h1>" in html
    for text in ["Tin địa phương", "Huyện Kim Bảng", "Ẩn khỏi trình đơn", "Bầu cử"]:
        assert text in html
    assert client.get("/en/so-do-cong/").status_code == 200


def _site_map_content(n):
    """``n`` introduction pages under one, three levels deep, and ``n`` answered topics."""
    from organisation.models import IntroPage
    from questions.models import Topic
    from tests.factories import make_question

    top = IntroPage.objects.create(title_vi="Giới thiệu chung", title_en="Overview")
    for i in range(n):
        page = IntroPage.objects.create(title_vi=f"Trang con {i}", parent=top)
        IntroPage.objects.create(title_vi=f"Trang cháu {i}", parent=page)
        topic = Topic.objects.create(name=f"Lĩnh vực {i}")
        make_question(topic, status="published", answer="<p>Đáp</p>", title=f"Câu hỏi {i}")
    IntroPage.objects.create(title_vi="Trang ẩn", parent=top, is_published=False)
    Topic.objects.create(name="Lĩnh vực chưa có câu trả lời")
    return top


def test_site_map_page_lists_introduction_pages_and_question_topics(client):
    top = _site_map_content(2)
    top_url = top.get_absolute_url()
    child_url = top.children.get(title_vi="Trang con 0").get_absolute_url()
    html = client.get("/so-do-cong/").content.decode()
    site_map = html[html.index('<ul class="site-map">') :]
    intro = site_map.index('href="/gioi-thieu/">Giới thiệu chung</a><ul')
    # Every level, under the section's first entry, in the tree's order.
    assert intro < site_map.index(f'href="{top_url}" lang="vi">Giới thiệu chung')
    assert f'href="{child_url}" lang="vi">Trang con 0</a>' in site_map
    assert site_map.index("Trang con 0") < site_map.index("Trang cháu 0")
    assert "Trang ẩn" not in site_map
    answered = site_map.index('href="/hoi-dap/">Câu hỏi đã trả lời</a><ul')
    topic = site_map.index('href="/hoi-dap/?linh-vuc=linh-vuc-0" lang="vi">Lĩnh vực 0</a>')
    assert answered < topic < site_map.index("Gửi câu hỏi")
    assert "Lĩnh vực chưa có câu trả lời" not in site_map  # its list would be empty
    html = client.get("/en/so-do-cong/").content.decode()
    assert f'href="/en{top_url}" lang="en">Overview</a>' in html
    assert f'href="/en{child_url}" lang="vi">Trang con 0</a>' in html
    assert 'href="/en/hoi-dap/?linh-vuc=linh-vuc-1" lang="vi">Lĩnh vực 1</a>' in html


def test_site_map_page_runs_a_fixed_number_of_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from organisation.models import IntroPage
    from questions.models import Question, Topic
    from tests.budgets import PUBLIC_PAGE_QUERIES

    counts = []
    for n in (1, 10):
        IntroPage.objects.filter(parent__parent__isnull=False).delete()
        IntroPage.objects.filter(parent__isnull=False).delete()
        IntroPage.objects.all().delete()
        Question.objects.all().delete()
        Topic.objects.all().delete()
        _site_map_content(n)
        client.get("/so-do-cong/")  # the menu's categories and the footer, cached
        with CaptureQueriesContext(connection) as ctx:
            assert "Trang cháu 0" in client.get("/so-do-cong/").content.decode()
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= PUBLIC_PAGE_QUERIES, counts


def test_footer_links_to_the_site_map_page_and_rss(client):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="{reverse("sitemap-page")}"' in footer
    assert 'href="/rss/"' in footer
    assert "/sitemap.xml" not in footer


def test_footer_shows_site_contact_when_the_context_has_it(rf):
    from django.template.loader import render_to_string

    class Contact:
        agency_name = "Ủy ban nhân dân tỉnh Thử Nghiệm"
        responsible_person = "Nguyễn Văn A"
        address = "Số 1 đường Trần Phú"
        phone = "0226 385 2701"
        email = "ubnd@example.gov.vn"
        licence = "Giấy phép số 01/GP-TTĐT"

    class AgencyLink:
        name = "Cổng thông tin Chính phủ"
        url = "https://chinhphu.vn/"

    request = rf.get("/")
    html = render_to_string(
        "base.html", {"site_contact": Contact(), "agency_links": [AgencyLink()]}, request=request
    )
    footer = html[html.index('<footer class="site-footer">') :]
    for text in [Contact.agency_name, Contact.responsible_person, Contact.address, Contact.licence]:
        assert text in footer
    assert 'href="tel:02263852701"' in footer
    assert 'href="mailto:ubnd@example.gov.vn"' in footer
    assert 'href="https://chinhphu.vn/"' in footer
    plain = render_to_string("base.html", {}, request=request)
    assert "Cơ quan chủ quản" in plain[plain.index('<footer class="site-footer">') :]


def test_header_banner_emblem_and_name_on_two_lines(client, settings):
    html = client.get("/").content.decode()
    assert '<img class="brand-emblem" src="/static/img/emblem-placeholder.svg"' in html
    assert re.search(
        r'<span class="brand-line">Cổng thông tin điện tử</span> '
        r'<span class="brand-line">tỉnh Hà Nam</span>',
        html,
    )
    settings.PORTAL_EMBLEM = "https://cdn.example.gov.vn/quoc-huy.svg"
    settings.PORTAL_BANNER = "Cổng thông tin điện tử|Thành phố Thử Nghiệm"
    settings.PORTAL_NAME_EN = ""  # English pages show the Vietnamese banner too
    html = client.get("/en/").content.decode()
    assert 'src="https://cdn.example.gov.vn/quoc-huy.svg"' in html
    assert '<span class="brand-line">Thành phố Thử Nghiệm</span>' in html


def test_english_pages_carry_the_english_name_or_the_vietnamese_one_marked(client, settings):
    settings.PORTAL_NAME_EN = "Thu Nghiem Provincial Portal"
    settings.PORTAL_BANNER_EN = "Provincial Portal|Thu Nghiem Province"
    html = client.get("/en/").content.decode()
    assert '<a class="brand" href="/en/" lang="en">' in html
    assert '<span class="brand-line">Thu Nghiem Province</span>' in html
    assert "<title>Thu Nghiem Provincial Portal</title>" in html
    assert "<title>Cổng thông tin điện tử tỉnh Hà Nam</title>" in client.get("/").content.decode()

    settings.PORTAL_BANNER_EN = ""  # the English name on one line
    assert '<span class="brand-line">Thu Nghiem Provincial Portal</span></span>' in (
        client.get("/en/").content.decode()
    )
    settings.PORTAL_NAME_EN = ""  # no English name: the Vietnamese one, marked as such
    html = client.get("/en/").content.decode()
    assert '<a class="brand" href="/en/" lang="vi">' in html
    assert '<span class="brand-line">tỉnh Hà Nam</span>' in html


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("Cổng thông tin điện tử tỉnh Hà Nam", ("Cổng thông tin điện tử", "tỉnh Hà Nam")),
        ("Cổng TTĐT Thành phố Huế", ("Cổng TTĐT", "Thành phố Huế")),
        ("Cổng thông tin", ("Cổng thông tin",)),
    ],
)
def test_banner_lines(name, lines):
    assert banner_lines(name) == lines


def test_no_inline_script_and_menu_needs_no_script(client):
    html = client.get("/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    # The menu is a details/summary disclosure, closed in the HTML itself.
    assert '<details class="nav-drawer">' in html
    assert '<summary class="menu-toggle">' in html


def test_hreflang_alternates_are_absolute_from_an_allowed_host(client, settings):
    factories.category("Bầu cử", slug="bau-cu")
    html = client.get("/chuyen-muc/bau-cu/?page=1").content.decode()
    assert (
        '<link rel="alternate" hreflang="vi" href="http://testserver/chuyen-muc/bau-cu/?page=1">'
        in html
    )
    assert 'hreflang="en" href="http://testserver/en/chuyen-muc/bau-cu/?page=1"' in html
    # A Host outside ALLOWED_HOSTS never reaches the page.
    settings.ALLOWED_HOSTS = ["portal.example.gov.vn"]
    assert client.get("/", HTTP_HOST="evil.example.com").status_code == 400
    html = client.get("/", HTTP_HOST="portal.example.gov.vn").content.decode()
    assert 'hreflang="en" href="http://portal.example.gov.vn/en/"' in html


def test_search_forms_point_at_search_and_have_names(client):
    html = client.get("/tim-kiem/?q=bau").content.decode()
    forms = re.findall(r"<form[^>]*>", html)
    search_forms = [f for f in forms if 'role="search"' in f]
    assert len(search_forms) == 2
    for form in search_forms:
        assert f'action="{reverse("articles:search")}"' in form
        assert "aria-label=" in form
    assert 'action=""' not in html


def test_demo_banner_is_inside_a_landmark(client):
    factories.article(is_demo=True)
    html = client.get("/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert 'class="demo-banner"' in main


def test_public_html_is_compressed(client):
    factories.article()
    response = client.get("/tin-tuc/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"<!doctype html>" in gzip.decompress(response.content)


def test_no_compression_with_a_session_or_a_csrf_cookie(client, make_user, settings):
    # A staff member's session: pages may carry what only they may see.
    client.force_login(make_user("staff"))
    response = client.get("/tin-tuc/", HTTP_ACCEPT_ENCODING="gzip")
    assert not response.has_header("Content-Encoding")
    client.logout()
    # The admin login form hands out a CSRF token (set as a cookie): never compressed.
    response = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert not response.has_header("Content-Encoding")


def test_no_compression_when_a_public_response_sets_a_cookie(rf):
    from django.http import HttpResponse

    from portal.middleware import PublicGZipMiddleware

    def view(request):
        response = HttpResponse("<p>" + "x" * 500 + "</p>")
        response.set_cookie("csrftoken", "secret-token")
        return response

    request = rf.get("/hoi-dap/gui-cau-hoi/", HTTP_ACCEPT_ENCODING="gzip")
    response = PublicGZipMiddleware(view)(request)
    assert not response.has_header("Content-Encoding")


def test_featured_cover_has_high_fetch_priority_and_no_lazy_loading(client):
    article = factories.article(cover=factories.image(), is_featured=True)
    html = client.get("/").content.decode()
    featured = html[html.index('class="featured"') : html.index("featured-body")]
    assert 'fetchpriority="high"' in featured
    assert 'loading="lazy"' not in featured
    detail = client.get(article.get_absolute_url()).content.decode()
    cover = detail[detail.index('class="cover"') :]
    cover = cover[: cover.index("</figure>")]
    assert 'fetchpriority="high"' in cover
    assert "loading=" not in cover


def test_uploaded_images_are_cached_for_a_year(client, settings):
    image = factories.image()
    rendition = image.renditions[0]["webp"]
    response = client.get(f"/media/{rendition}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    # Files without a random, never-reused name are not marked immutable.
    (settings.MEDIA_ROOT / "khac.txt").write_text("x")
    response = client.get("/media/khac.txt")
    assert response.status_code == 200
    assert "immutable" not in response.get("Cache-Control", "")
    assert client.get("/media/images/00/khong-co.webp").status_code == 404


def test_only_the_first_card_of_a_list_loads_eagerly(client):
    cover = factories.image()
    for _ in range(3):
        factories.article(cover=cover)
    html = client.get("/tin-tuc/").content.decode()
    images = re.findall(r"<img [^>]*>", html[html.index('class="article-list') :])
    assert len(images) == 3
    assert 'fetchpriority="high"' in images[0] and "loading=" not in images[0]
    assert all('loading="lazy"' in img and "fetchpriority" not in img for img in images[1:])


def test_public_pages_load_no_script(client):
    factories.article()
    for url in ["/", "/tin-tuc/", "/so-do-cong/", "/bau-cu/", "/khen-thuong/"]:
        assert "<script" not in client.get(url).content.decode(), url


def test_a_missing_emblem_file_falls_back_to_the_placeholder(settings, client, tmp_path):
    from django.contrib.staticfiles.storage import staticfiles_storage

    (tmp_path / "static").mkdir()
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    # As after collectstatic: the placeholder is in the manifest, the operator's file is not
    # (ManifestStaticFilesStorage raises ValueError for it).
    staticfiles_storage.hashed_files = {
        "img/emblem-placeholder.svg": "img/emblem-placeholder.abc123.svg",
        "css/site.css": "css/site.abc123.css",
        "css/print.css": "css/print.abc123.css",
        "img/favicon.svg": "img/favicon.abc123.svg",
    }
    settings.PORTAL_EMBLEM = "img/khong-co.svg"
    response = client.get("/")
    assert response.status_code == 200
    assert 'src="/static/img/emblem-placeholder.abc123.svg"' in response.content.decode()


def test_the_rendered_menu_follows_categories_and_settings(client, settings):
    category = factories.category("Chuyên mục trước")
    assert "Chuyên mục trước" in client.get("/").content.decode()
    category.name = "Chuyên mục sau khi đổi"
    category.save()
    html = client.get("/lien-he/").content.decode()
    assert "Chuyên mục sau khi đổi" in html and "Chuyên mục trước" not in html
    settings.PORTAL_NATIONAL_SERVICES_URL = "https://dichvucong.example.vn/"
    assert "https://dichvucong.example.vn/" in client.get("/lien-he/").content.decode()
    english = client.get("/en/").content.decode()
    assert "General information" in english and "Giới thiệu chung" not in english


@pytest.mark.parametrize("url", ["/hoi-dap/", "/van-ban/", "/khen-thuong/", "/tim-kiem/?q=bau"])
def test_every_search_form_of_a_section_has_a_name(client, url):
    forms = re.findall(r"<form[^>]*>", client.get(url).content.decode())
    search_forms = [f for f in forms if 'role="search"' in f]
    assert search_forms
    for form in search_forms:
        assert re.search(r'aria-label="[^"]+"', form), form
