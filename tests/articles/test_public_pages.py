import itertools
import unicodedata

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests import factories
from tests.budgets import PUBLIC_PAGE_QUERIES

pytestmark = pytest.mark.django_db


def make_site(n_articles=1, n_photos=0, n_categories=1):
    categories = [factories.category(f"Chuyên mục {i}") for i in range(n_categories)]
    parent = categories[0]
    if n_categories > 1:
        for child in categories[1:]:
            child.parent = parent
            child.save()
    articles = []
    shared_image = factories.image()
    for i in range(n_articles):
        article = factories.article(
            category=categories[i % n_categories],
            cover=shared_image if i % 2 == 0 else None,
            is_featured=i == 0,
        )
        for j in range(n_photos):
            factories.photo(article, caption=f"Ảnh {j}", order=j, image=shared_image)
        articles.append(article)
    return categories, articles


def count_queries(client, url, django_assert_max_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # measure the page itself, not a cached copy
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name",
    ["home", "list", "category", "detail", "print", "search", "rss", "rss-category"],
)
def test_query_count_does_not_grow_with_content(client, url_name, django_assert_max_num_queries):
    def url_for(categories, articles):
        return {
            "home": "/",
            "list": "/tin-tuc/",
            "category": categories[0].get_absolute_url(),
            "detail": articles[0].get_absolute_url(),
            "print": reverse("articles:print", args=[articles[0].slug]),
            "search": "/tim-kiem/?q=bai",
            "rss": "/rss/",
            "rss-category": f"/rss/{categories[0].slug}/",
        }[url_name]

    small = make_site(n_articles=1, n_photos=1, n_categories=1)
    few = count_queries(client, url_for(*small), django_assert_max_num_queries)
    Article.objects.all().delete()
    large = make_site(n_articles=25, n_photos=4, n_categories=5)
    many = count_queries(client, url_for(*large), django_assert_max_num_queries)
    assert few == many, f"{url_name}: {few} queries with little content, {many} with more"
    assert many <= PUBLIC_PAGE_QUERIES


def test_home_shows_featured_and_sections(client):
    categories, articles = make_site(n_articles=6, n_categories=3)
    response = client.get("/")
    content = response.content.decode()
    assert articles[0].title in content
    assert 'lang="vi"' in content
    assert categories[1].name in content


def test_a_home_category_block_leads_with_one_picture_and_summary_then_titles(client):
    import re

    category = factories.category("Tin địa phương")
    cover = factories.image()
    for n in range(5):
        factories.article(category=category, title=f"Tin địa phương số {n}", cover=cover,
                          summary=f"Tóm tắt tin số {n}.")  # fmt: skip
    # The newest is featured at the top; the block shows the next four.
    html = client.get("/").content.decode()
    block = re.search(r'<section class="category-section span-4".*?</section>', html, re.S)
    assert block, "the category block"
    cards = re.findall(r'<article class="card[^"]*">.*?</article>', block.group(0), re.S)
    assert len(cards) == 4
    lead, *others = cards
    n = re.search(r"Tin địa phương số (\d)", lead).group(1)
    assert "<picture>" in lead and f"Tóm tắt tin số {n}." in lead
    assert lead.startswith('<article class="card has-picture">')  # picture beside text when wide
    for card in others:
        assert card.startswith('<article class="card">')  # no picture, no picture column
        assert "<picture>" not in card and 'class="summary"' not in card
    # WebP candidates in srcset; one JPEG in <img> for a browser without WebP.
    assert lead.count("<source") == 1 and 'type="image/webp"' in lead
    assert re.search(r'<img src="[^"]+\.jpg"', lead)


def test_article_page(client):
    category = factories.category("Bầu cử")
    article = factories.article(category=category, title="Tổng kết bầu cử")
    factories.photo(article, caption="Đại biểu dự hội nghị tại điểm cầu UBND tỉnh")
    related = factories.article(category=category, title="Tin liên quan")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<figure" in html and "<figcaption>Đại biểu dự hội nghị tại điểm cầu UBND tỉnh" in html
    assert 'alt="Ảnh thử nghiệm"' in html
    assert article.publish_at.astimezone().strftime("%d/%m/%Y")[:2] in html
    assert "Thứ" in html or "Chủ nhật" in html  # weekday
    assert 'property="og:title"' in html
    assert related.title in html
    assert reverse("articles:print", args=[article.slug]) in html
    assert 'aria-label="Đường dẫn"' in html


def test_article_date_is_day_first(client, category):
    import datetime
    from zoneinfo import ZoneInfo

    when = datetime.datetime(2021, 6, 5, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    article = factories.article(category=category, publish_at=when)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "05/06/2021" in html


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.REVIEW])
def test_unpublished_article_is_404_for_citizens_and_preview_for_staff(client, make_user, status):
    article = factories.article(published=False, status=status)
    assert client.get(article.get_absolute_url()).status_code == 404
    writer = make_user("writer", groups=["Biên tập viên"])
    client.force_login(writer)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Bản xem trước" in response.content.decode()


def test_staff_without_article_permission_gets_404_for_drafts(client, make_user):
    article = factories.article(published=False)
    client.force_login(make_user("nobody"))
    assert client.get(article.get_absolute_url()).status_code == 404


def test_unknown_slugs_are_404_in_vietnamese(client):
    for url in ["/tin-tuc/khong-ton-tai/", "/chuyen-muc/khong-ton-tai/", "/rss/khong-ton-tai/"]:
        response = client.get(url)
        assert response.status_code == 404, url
    assert "Không tìm thấy trang" in client.get("/khong-co-trang-nay/").content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1.5", "", "9" * 40, "%00"])
def test_bad_page_parameters_never_error(client, page, category):
    factories.article(category=category)
    for url in ["/tin-tuc/", category.get_absolute_url(), "/tim-kiem/?q=bai"]:
        sep = "&" if "?" in url else "?"
        response = client.get(f"{url}{sep}page={page}")
        assert response.status_code == 200, (url, page)


def test_pagination_keeps_the_query(client, category):
    for _ in range(13):
        factories.article(category=category, title="Bầu cử địa phương")
    html = client.get("/tim-kiem/?q=bau+cu").content.decode()
    assert "page=2" in html and "q=bau+cu" in html


@pytest.mark.parametrize(
    "query", ["bau cu", "BẦU CỬ", "Bầu Cử", unicodedata.normalize("NFD", "bầu cử"), "bầu   cử"]
)
def test_search_ignores_accents_case_and_form(client, category, query):
    hit = factories.article(category=category, title="Kết quả bầu cử đại biểu")
    factories.article(category=category, title="Kinh tế tăng trưởng")
    response = client.get("/tim-kiem/", {"q": query})
    assert list(response.context["page"].object_list) == [hit]


def test_search_covers_summary_and_body_and_skips_unpublished(client, category):
    in_summary = factories.article(category=category, summary="Đồng Văn đón cử tri")
    in_body = factories.article(category=category, body="<p>Điểm cầu <b>Đồng Văn</b></p>")
    factories.article(category=category, published=False, summary="Đồng Văn nháp")
    results = set(client.get("/tim-kiem/", {"q": "dong van"}).context["page"].object_list)
    assert results == {in_summary, in_body}


def test_search_handles_huge_and_odd_queries(client, category):
    factories.article(category=category)
    for q in ["x" * 10_000, "%", "_", "'; DROP TABLE x; --", "\x00", "<script>alert(1)</script>"]:
        response = client.get("/tim-kiem/", {"q": q})
        assert response.status_code == 200
        assert b"<script>alert(1)</script>" not in response.content


def test_empty_search_shows_the_form(client):
    response = client.get("/tim-kiem/")
    assert response.status_code == 200
    assert response.context["page"] is None


def test_english_pages_and_language_switch(client, category):
    article = factories.article(category=category)
    url = article.get_absolute_url()
    response = client.get("/en/")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    assert "Skip to main content" in response.content.decode()
    assert client.get(f"/en{url}").status_code == 200
    html = client.get(url).content.decode()
    assert 'lang="vi"' in html
    assert "Bỏ qua, đến nội dung chính" in html
    assert f'href="/en{url}"' in html


def test_feeds(client, category):
    article = factories.article(category=category, title="Tin RSS")
    factories.article(published=False, title="Nháp RSS")
    rss = client.get("/rss/").content.decode()
    assert "Tin RSS" in rss and "Nháp RSS" not in rss
    assert "Tin RSS" in client.get(f"/rss/{category.slug}/").content.decode()
    assert article.get_absolute_url() in rss


def test_sitemap_and_robots(client, category):
    article = factories.article(category=category)
    draft = factories.article(category=category, published=False)
    sitemap = client.get("/sitemap.xml").content.decode()
    assert article.get_absolute_url() in sitemap
    assert draft.get_absolute_url() not in sitemap
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()


def test_no_inline_scripts_on_public_pages(client, category):
    import re

    article = factories.article(category=category)
    for url in ["/", "/tin-tuc/", article.get_absolute_url(), "/tim-kiem/?q=a"]:
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, (url, tag)
        assert " style=" not in html, url
        assert " onclick=" not in html, url


def test_demo_banner_only_with_demo_content(client, category):
    factories.article(category=category)
    assert "Bản trình diễn" not in client.get("/tin-tuc/").content.decode()
    factories.article(category=category, is_demo=True)
    assert "Bản trình diễn" in client.get("/tin-tuc/").content.decode()


def test_roles_exist():
    assert {"Biên tập viên", "Người duyệt tin", "Quản trị cổng"} <= set(
        Group.objects.values_list("name", flat=True)
    )


def test_server_error_page_needs_no_database(rf, django_assert_num_queries):
    from django.views.defaults import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.content.decode()


def test_vietnamese_content_is_marked_on_english_pages(client, category):
    article = factories.article(category=category, title="Hội nghị tổng kết")
    html = client.get(f"/en{article.get_absolute_url()}").content.decode()
    assert '<html lang="en">' in html
    assert '<h1 lang="vi">Hội nghị tổng kết</h1>' in html
    assert '<div class="article-body" lang="vi">' in html


def test_demo_banner_for_demo_elections_or_commendations_too(client):
    from elections.models import Election
    from tests import factories as helpers
    from tests.factories import make_decision

    assert "Bản trình diễn" not in client.get("/tin-tuc/").content.decode()
    helpers.election(is_demo=True)
    assert "Bản trình diễn" in client.get("/tin-tuc/").content.decode()
    Election.objects.all().delete()
    make_decision(is_demo=True)
    assert "Bản trình diễn" in client.get("/tin-tuc/").content.decode()


def test_headings_never_skip_a_level(client, category):
    import re

    cover = factories.image()
    article = factories.article(category=category, title="Bầu cử", cover=cover, is_featured=True)
    factories.article(category=category, title="Bầu cử bổ sung")
    factories.photo(article)
    for url in [
        "/",
        "/tin-tuc/",
        category.get_absolute_url(),
        article.get_absolute_url(),
        "/tim-kiem/?q=bau+cu",
        "/en/tin-tuc/",
    ]:
        html = client.get(url).content.decode()
        html = html.split('class="article-body"')[0] + html.split("</article>")[-1]
        levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", html)]
        assert levels and levels[0] == 1, (url, levels)
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (url, levels)


def test_home_page_without_any_article(client, django_assert_max_num_queries):
    factories.category("Tin tức - Sự kiện")
    with django_assert_max_num_queries(PUBLIC_PAGE_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    assert "Chưa có tin bài nào được xuất bản." in response.content.decode()


def test_article_without_cover_or_photos_and_its_print_view(client, category):
    article = factories.article(category=category, title="Thông báo", source="Văn phòng UBND")
    for url in [article.get_absolute_url(), reverse("articles:print", args=[article.slug])]:
        html = client.get(url).content.decode()
        assert "Thông báo" in html and "Văn phòng UBND" in html
        assert "og:image" not in html and "<figure" not in html
    html = client.get(f"/en{reverse('articles:print', args=[article.slug])}").content.decode()
    assert '<html lang="en">' in html and '<article lang="vi">' in html


def test_robots_keeps_english_search_out_too(client):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /tim-kiem/" in robots and "Disallow: /en/tim-kiem/" in robots


def test_feed_escapes_markup_typed_in_a_summary(client, category):
    factories.article(category=category, summary="Tóm tắt <b>đậm</b> <script>x</script>")
    rss = client.get("/rss/").content.decode()
    # Readers render <description> as HTML: markup is stripped, not passed on entity-encoded.
    assert "script>" not in rss and "&lt;b&gt;" not in rss and "Tóm tắt đậm" in rss


@pytest.mark.parametrize(
    "query", ["45-CT/TW", "45/CT-TW", "45 CT/TW", "45/ct-tw", "chi thi 45", "chỉ thị 45/CT-TW"]
)
def test_search_finds_a_document_number_in_its_usual_variants(client, category, query):
    hit = factories.article(
        category=category,
        # Written as the demo article writes it; search matches syllables as a phrase, so
        # "chi thi 45" finds "Chỉ thị 45-CT/TW" (and "chi thi so 45" would find "Chỉ thị số 45").
        title="Tổng kết việc thực hiện Chỉ thị 45-CT/TW của Bộ Chính trị",
    )
    factories.article(category=category, title="Chỉ thị 46-CT/TW về công tác khác")
    response = client.get("/tim-kiem/", {"q": query})
    assert list(response.context["page"].object_list) == [hit]


def test_admin_search_finds_a_document_number_in_its_variants(client, make_user, category):
    hit = factories.article(category=category, summary="Theo Nghị định 42/2022/NĐ-CP.")
    factories.article(category=category, summary="Nghị định 43/2011/NĐ-CP.")
    client.force_login(make_user("duyettin", groups=["Người duyệt tin"]))
    response = client.get("/admin/articles/article/", {"q": "42-2022/ND-CP"})
    assert list(response.context["cl"].result_list) == [hit]


def test_article_page_follows_every_change_though_its_row_is_kept(client, category):
    """The article row behind its page is kept per generation (page cache off here): an edit,
    a take-down and a change without signals all show on the next request."""
    from portal import pagecache

    article = factories.article(category=category, title="Tiêu đề đầu tiên")
    url = article.get_absolute_url()
    assert "Tiêu đề đầu tiên" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert not [q for q in warm.captured_queries if 'FROM "articles_article"' in q["sql"]]
    article.title = "Tiêu đề đã sửa"
    article.save()
    assert "Tiêu đề đã sửa" in client.get(url).content.decode()
    Article.objects.filter(pk=article.pk).update(unpublish_at=timezone.now())
    pagecache.bump()
    assert client.get(url).status_code == 404
