"""The whole-page cache (portal/pagecache.py): hits, keys, invalidation, schedules, headers."""

import gzip
import os
import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from organisation.models import IntroPage
from portal import pagecache
from questions.models import Question, Topic
from tests import factories

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


@pytest.fixture
def page_cache(settings):
    settings.PORTAL_PAGE_CACHE = True
    pagecache.declared_params.cache_clear()
    yield settings
    pagecache.declared_params.cache_clear()


def _other_postgres_connection():
    import psycopg2

    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"],
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
    )  # fmt: skip
    other.autocommit = True
    return other


def _wait_for(condition, seconds=5):
    deadline = time.time() + seconds
    while not condition():
        assert time.time() < deadline, "not within the time"
        time.sleep(0.01)


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="LISTEN/NOTIFY: runs in the PostgreSQL CI run (SQLite reads the row per request)",
)


@pytest.fixture
def test_views(page_cache):
    page_cache.ROOT_URLCONF = "tests.portal.pagecache_urls"
    pagecache.declared_params.cache_clear()
    return page_cache


def _public_urls(category, article):

    election = factories.election()
    decision = factories.make_decision()
    return [
        "/",
        "/en/",
        "/tin-tuc/",
        category.get_absolute_url(),
        article.get_absolute_url(),
        reverse("articles:print", args=[article.slug]),
        "/tim-kiem/?q=bau+cu",
        "/rss/",
        f"/rss/{category.slug}/",
        "/sitemap.xml",
        "/bau-cu/",
        election.get_absolute_url(),
        reverse("elections:results-json", args=[election.slug]),
        "/khen-thuong/",
        decision.get_absolute_url(),
        *_new_section_urls(),
    ]


def _new_section_urls():
    """The registry, Hỏi đáp, the schedule, the organisation and the site map."""
    document = factories.make_document(number="42/2022/NĐ-CP")
    factories.attach_pdf(document)
    closed = factories.make_draft(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(days=1)
    )
    topic = Topic.objects.create(name="Đất đai")
    question = factories.make_question(
        topic, status=Question.Status.PUBLISHED, answer="<p>Trả lời</p>"
    )
    factories.make_entry(content="Họp giao ban")
    intro = IntroPage.objects.create(title_vi="Lịch sử hình thành", body_vi="<p>Nội dung</p>")
    return [
        "/van-ban/",
        "/van-ban/?q=42/2022",
        document.get_absolute_url(),
        "/van-ban/rss/",
        "/van-ban/du-lieu-mo.json",  # (the CSV is streamed row by row, never held or cached)
        "/van-ban/du-thao/",
        closed.get_absolute_url(),  # a closed draft has no form, so it may be cached
        "/hoi-dap/",
        question.get_absolute_url(),
        "/lich-cong-tac/",
        "/lich-cong-tac/ban-in/",
        "/lich-cong-tac/lich.ics",
        "/gioi-thieu/",
        intro.get_absolute_url(),
        "/co-cau-to-chuc/",
        "/lien-he/",
        "/so-do-cong/",
        "/en/van-ban/",
        "/en/lien-he/",
    ]


def test_every_public_page_is_served_from_the_cache_with_one_query(
    client, page_cache, category, django_assert_num_queries, monkeypatch
):
    # A page expires at the next local midnight at the latest (tested below): run this in
    # the last minutes of a day and the lifetimes would be shorter than the ones checked here.
    monkeypatch.setattr(pagecache, "_next_midnight", lambda now: now + 86400)
    article = factories.article(category=category, title="Bầu cử đại biểu")
    for url in _public_urls(category, article):
        first = client.get(url)
        assert first.status_code == 200, url
        assert b"{#" not in first.content and b"{%" not in first.content, url  # template text
        with django_assert_num_queries(1):  # the generation, nothing else
            second = client.get(url)
        assert second.status_code == 200, url
        assert second.content == first.content, url
        assert second["Cache-Control"] == "public, max-age=30, s-maxage=300", url
        assert second["ETag"] == first["ETag"], url


def test_tracking_and_unknown_parameters_share_the_page(
    client, page_cache, category, django_assert_num_queries
):
    factories.article(category=category)
    client.get("/")
    client.get("/tin-tuc/")
    for url in [
        "/?fbclid=IwAR3x&utm_source=zalo&utm_medium=social",
        "/tin-tuc/?gclid=1&anything=else",
        "/tin-tuc/?page=1",  # the same page as no parameter
        "/tin-tuc/?page=abc",  # shown as the first page, so the same entry
    ]:
        with django_assert_num_queries(1):  # the generation only: a hit
            client.get(url)


def test_declared_parameters_make_variants_and_are_normalised(
    client, page_cache, category, django_assert_num_queries
):
    for i in range(14):
        factories.article(category=category, title=f"Bài số {i}")
    first_page = client.get("/tin-tuc/").content
    second_page = client.get("/tin-tuc/?page=2").content
    assert first_page != second_page
    client.get("/tim-kiem/?q=bai+so")
    with django_assert_num_queries(1):
        assert client.get("/tin-tuc/?page=2&utm_campaign=x").content == second_page
    with django_assert_num_queries(1):
        client.get("/tim-kiem/?q=++bai%20%20so+")  # the same query once spaces are collapsed
    with django_assert_num_queries(10, exact=False) as other_query:
        client.get("/tim-kiem/?q=bau")
    assert len(other_query) > 1  # another query: rendered


def test_undeclared_views_are_keyed_by_every_parameter_but_tracking(client, test_views):
    first = client.get("/plain/?x=1").content
    assert client.get("/plain/?x=1&utm_source=a&fbclid=b").content == first
    assert client.get("/plain/?x=2").content != first
    declared = client.get("/declared/?a=1").content
    assert client.get("/declared/?a=1&b=2").content == declared
    assert client.get("/declared/?a=2").content != declared


@pytest.mark.parametrize("url", ["/cookie/", "/csrf/", "/message/", "/never/", "/missing/"])
def test_responses_with_cookies_tokens_messages_or_errors_are_never_cached(client, test_views, url):
    first = client.get(url)
    second = client.get(url)
    assert first.content != second.content
    assert "public" not in second.get("Cache-Control", "")
    assert client.get("/plain/").content == client.get("/plain/").content  # the control case


def test_post_is_never_answered_from_the_cache(client, test_views):
    cached = client.get("/plain/").content
    assert client.post("/plain/").content != cached


def test_saving_deleting_and_m2m_changes_show_at_once(client, page_cache, category):

    article = factories.article(category=category, title="Tin cũ")
    election = factories.election()
    pages = ["/", "/tin-tuc/", category.get_absolute_url(), "/rss/", "/sitemap.xml"]
    for url in pages:
        assert "Tin cũ" in client.get(url).content.decode() or url == "/sitemap.xml"

    article.title = "Tin đã sửa"
    article.save()
    for url in pages[:-1]:
        html = client.get(url).content.decode()
        assert "Tin đã sửa" in html and "Tin cũ" not in html, url

    assert "Tin đã sửa" not in client.get(election.get_absolute_url()).content.decode()
    article.elections.add(election)
    assert "Tin đã sửa" in client.get(election.get_absolute_url()).content.decode()

    category.name = "Chuyên mục mới"
    category.save()
    assert "Chuyên mục mới" in client.get(article.get_absolute_url()).content.decode()

    slug = article.slug
    assert client.get("/sitemap.xml").content.decode().count(slug) == 1
    article.delete()
    assert slug not in client.get("/sitemap.xml").content.decode()
    assert client.get(f"/tin-tuc/{slug}/").status_code == 404


def test_changes_in_the_new_sections_show_at_once(client, page_cache):
    document = factories.make_document(summary="Quy định cũ về cổng thông tin")
    entry = factories.make_entry(content="Họp giao ban cũ")
    pages = ["/", "/van-ban/", document.get_absolute_url(), "/lich-cong-tac/"]
    for url in pages:
        client.get(url)
    document.summary = "Quy định mới về cổng thông tin"
    document.save()
    entry.content = "Họp giao ban mới"
    entry.save()
    for url in pages[:3]:
        html = client.get(url).content.decode()
        assert "Quy định mới" in html and "Quy định cũ" not in html, url
    html = client.get("/lich-cong-tac/").content.decode()
    assert "Họp giao ban mới" in html and "Họp giao ban cũ" not in html

    topic = Topic.objects.create(name="Giáo dục")
    question = factories.make_question(topic, title="Tuyển sinh lớp 10")
    assert "Tuyển sinh lớp 10" not in client.get("/hoi-dap/").content.decode()
    question.status = Question.Status.PUBLISHED
    question.answer = "<p>Trả lời</p>"
    question.save()
    assert "Tuyển sinh lớp 10" in client.get("/hoi-dap/").content.decode()


def test_bulk_imports_bump_the_generation(client, page_cache):
    from awards.services import recipients_import

    decision = factories.make_decision()
    assert "Nguyễn Văn Bình" not in client.get(decision.get_absolute_url()).content.decode()
    recipients_import(
        decision=decision, rows=[{"kind": "individual", "name": "Nguyễn Văn Bình", "order": 1}]
    )
    assert "Nguyễn Văn Bình" in client.get(decision.get_absolute_url()).content.decode()


def test_queryset_update_needs_the_explicit_bump(client, page_cache, category):
    article = factories.article(category=category, title="Trước khi sửa hàng loạt")
    client.get("/")
    Article.objects.filter(pk=article.pk).update(title="Sau khi sửa hàng loạt")
    assert "Trước khi sửa hàng loạt" in client.get("/").content.decode()  # no signal: stale
    pagecache.bump()
    assert "Sau khi sửa hàng loạt" in client.get("/").content.decode()


def test_a_successful_staff_post_in_the_admin_bumps(client, page_cache, category, make_user):
    article = factories.article(category=category, title="Bài sẽ gỡ")
    assert "Bài sẽ gỡ" in client.get("/").content.decode()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)  # as an action might
    staff = make_user("bientap", superuser=True)
    staff_client = type(client)()
    staff_client.force_login(staff)
    response = staff_client.post(
        "/admin/articles/article/",
        {"action": "unpublish_selected", "_selected_action": [article.pk], "index": 0},
    )
    assert response.status_code == 302
    assert "Bài sẽ gỡ" not in client.get("/").content.decode()


@pytest.mark.parametrize("whole_pages", [True, False], ids=["page-cache", "fragments-only"])
def test_a_scheduled_article_appears_and_disappears_on_time(
    client, page_cache, category, whole_pages
):
    # Without the page cache, the home page's cached news fragments must keep time too.
    page_cache.PORTAL_PAGE_CACHE = whole_pages
    factories.article(category=category, title="Tin thường")
    start = timezone.now()
    factories.article(
        category=category, title="Tin hẹn giờ", publish_at=start + timedelta(seconds=4)
    )
    factories.article(
        category=category,
        title="Tin sắp gỡ",
        publish_at=start - timedelta(days=1),
        unpublish_at=start + timedelta(seconds=4),
    )
    pages = ["/", "/tin-tuc/", category.get_absolute_url(), "/rss/"]
    for url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert "Tin hẹn giờ" not in html and "Tin sắp gỡ" in html, url
        if whole_pages:
            max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
            assert max_age <= 4, url  # proxies must not keep it past the change either
    remaining = (start + timedelta(seconds=4.05) - timezone.now()).total_seconds()
    time.sleep(max(0, remaining))
    for url in pages:
        html = client.get(url).content.decode()
        assert "Tin hẹn giờ" in html and "Tin sắp gỡ" not in html, url


def test_a_scheduled_document_and_draft_keep_time_and_no_page_outlives_midnight(client, page_cache):
    """Other apps' schedules count too (documents add theirs), and what is shown relative to
    today (a document's effective status, today's schedule) changes at midnight."""
    from tests.factories import make_document, make_draft

    start = timezone.now()
    make_document(number="7/2026/QĐ-UBND", published_at=start + timedelta(seconds=3))
    make_draft(title="Dự thảo sắp mở", opens_at=start + timedelta(seconds=3))
    pages = {"/van-ban/": "7/2026/QĐ-UBND", "/van-ban/du-thao/": "Dự thảo sắp mở"}
    for url, text in pages.items():
        response = client.get(url)
        assert text not in response.content.decode(), url
        max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
        assert max_age <= 3, url
    time.sleep(max(0, (start + timedelta(seconds=3.05) - timezone.now()).total_seconds()))
    for url, text in pages.items():
        assert text in client.get(url).content.decode(), url
    late = timezone.localtime().replace(hour=23, minute=59, second=58, microsecond=0)
    assert pagecache._compute_next_change(late.timestamp()) == late.timestamp() + 2


def test_a_consultation_closes_on_the_cached_list_on_time(client, page_cache):
    from tests.factories import make_draft

    start = timezone.now()
    make_draft(title="Dự thảo sắp đóng", closes_at=start + timedelta(seconds=2))
    response = client.get("/van-ban/du-thao/?trang-thai=open")
    assert "Dự thảo sắp đóng" in response.content.decode()
    assert int(response["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 2
    time.sleep(max(0, (start + timedelta(seconds=2.05) - timezone.now()).total_seconds()))
    assert (
        "Dự thảo sắp đóng" not in client.get("/van-ban/du-thao/?trang-thai=open").content.decode()
    )
    closed = client.get("/van-ban/du-thao/?trang-thai=closed").content.decode()
    assert "Dự thảo sắp đóng" in closed


def test_staff_never_get_cached_pages_and_never_fill_the_cache(
    client, page_cache, category, make_user
):
    draft = factories.article(category=category, title="Bản nháp riêng", published=False)
    staff_client = type(client)()
    staff_client.force_login(make_user("bientap", superuser=True))
    preview = staff_client.get(draft.get_absolute_url())
    assert preview.status_code == 200 and "Bản nháp riêng" in preview.content.decode()
    assert preview["Cache-Control"] == "private, no-store"
    assert client.get(draft.get_absolute_url()).status_code == 404

    client.get("/")  # cached for visitors
    Article.objects.filter(pk=draft.pk).update(
        status=Article.Status.PUBLISHED, publish_at=timezone.now()
    )
    home = staff_client.get("/")
    assert "Bản nháp riêng" in home.content.decode()  # rendered for staff, not the cached copy
    assert home["Cache-Control"] == "private, no-store"


def test_repeat_visit_gets_304(client, page_cache, category):
    factories.article(category=category)
    first = client.get("/")
    etag = first["ETag"]
    again = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert client.get("/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_pages_do_not_vary_on_language_header_or_cookies(client, page_cache, category):
    factories.article(category=category)
    first = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="vi">' in first.content.decode()  # the language comes from the URL

    def varies_on(response):
        # Vary: Accept-Encoding (compression) is fine; language and cookies must not split.
        return {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}

    assert varies_on(first) <= {"accept-encoding"}
    client.cookies["csrftoken"] = "x" * 32
    second = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert varies_on(second) <= {"accept-encoding"}
    assert second.content == first.content
    assert '<html lang="en">' in client.get("/en/").content.decode()


def test_election_tallies_are_computed_once_per_generation(
    client, settings, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    election = factories.election()
    contest = factories.contest(election)
    unit = factories.unit(contest)
    factories.candidate(unit, 500, name="Lê Văn An")
    factories.result(unit, valid=800)
    with CaptureQueriesContext(connection) as cold:
        client.get(election.get_absolute_url())
    with CaptureQueriesContext(connection) as warm:
        page = client.get(election.get_absolute_url())  # page cache off: tallies, fragment kept
    assert len(warm.captured_queries) < len(cold.captured_queries)
    assert "Lê Văn An" in page.content.decode()
    candidate = unit.candidates.get()
    candidate.full_name = "Lê Văn Ân"
    candidate.save()
    assert "Lê Văn Ân" in client.get(election.get_absolute_url()).content.decode()


@pytest.fixture
def redis_cache(settings):
    settings.PORTAL_PAGE_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    pagecache.declared_params.cache_clear()
    return settings


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_with_redis_on_postgresql_a_hit_touches_neither_the_database_nor_redis(
    client, redis_cache, category, monkeypatch
):
    """The generation is still the row, heard by each process; Redis holds the pages for
    every instance and each process keeps a copy of those it served in front of it."""
    from django.core.cache import cache, caches

    article = factories.article(category=category, title="Tin trên Redis")
    assert "Tin trên Redis" in client.get("/").content.decode()
    calls = []
    for name in ("get", "get_many"):
        backend = caches["default"]  # the object itself: put back after the settings are
        real = getattr(backend, name)
        monkeypatch.setattr(
            backend, name, lambda *a, real=real, name=name, **k: calls.append(name) or real(*a, **k)
        )
    with CaptureQueriesContext(connection) as ctx:
        assert "Tin trên Redis" in client.get("/?utm_source=x").content.decode()
    assert len(ctx.captured_queries) == 0 and calls == []
    pagecache.LOCAL_PAGES.clear()  # as in another process or instance: Redis has it
    with CaptureQueriesContext(connection) as ctx:
        assert "Tin trên Redis" in client.get("/").content.decode()
    assert len(ctx.captured_queries) == 0 and calls == ["get"]
    before = pagecache._read_database_generation()
    article.title = "Tin đã sửa trên Redis"
    article.save()
    _wait_for(lambda: "Tin đã sửa trên Redis" in client.get("/").content.decode(), seconds=2)
    # Both kept: processes reading the Redis token (listening off, an older release) see it too.
    assert pagecache._read_database_generation() != before
    assert cache.get(pagecache.GENERATION_KEY)


@pytest.mark.django_db(transaction=True)
def test_with_redis_on_sqlite_the_generation_lives_in_the_shared_cache(
    client, redis_cache, category
):
    """Where no process can hear the row (SQLite, or listening off), the generation is a
    token in Redis, read in the same round trip as the page."""
    redis_cache.PORTAL_PAGE_GENERATION_LISTEN = False  # on PostgreSQL: as behind PgBouncer
    article = factories.article(category=category, title="Tin trên Redis")
    assert "Tin trên Redis" in client.get("/").content.decode()
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert cache.get(pagecache.GENERATION_KEY)
    with CaptureQueriesContext(connection) as ctx:
        assert "Tin trên Redis" in client.get("/?utm_source=x").content.decode()
    assert len(ctx.captured_queries) == 0  # generation and page in one Redis round trip
    article.title = "Tin đã sửa trên Redis"
    article.save()
    assert "Tin đã sửa trên Redis" in client.get("/").content.decode()
    cache.delete(pagecache.GENERATION_KEY)  # evicted: a new generation, never an old page
    Article.objects.filter(pk=article.pk).update(title="Sau khi mất khóa")
    assert "Sau khi mất khóa" in client.get("/").content.decode()


def test_commendation_totals_follow_a_new_recipient(client):

    decision = factories.make_decision()
    factories.make_recipients(decision, collectives=1, individuals=2)
    assert client.get("/khen-thuong/").context["totals"]["award_individuals"] == 2
    assert client.get("/khen-thuong/").context["totals"]["award_individuals"] == 2  # kept
    factories.make_recipients(decision, individuals=5)
    assert client.get("/khen-thuong/").context["totals"]["award_individuals"] == 7


def test_cached_fragments_follow_every_change(client, category):
    """With the page cache off, the home page's news and the election results are template
    fragments kept per generation: a change shows on the next request."""
    article = factories.article(category=category, title="Tin đầu tiên")
    assert "Tin đầu tiên" in client.get("/").content.decode()
    article.title = "Tin đã sửa tiêu đề"
    article.save()
    html = client.get("/").content.decode()
    assert "Tin đã sửa tiêu đề" in html and "Tin đầu tiên" not in html
    Article.objects.filter(pk=article.pk).update(title="Tin sửa không qua tín hiệu")
    pagecache.bump()
    assert "Tin sửa không qua tín hiệu" in client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert 'lang="en"' in english and "Tin sửa không qua tín hiệu" in english


def test_cached_pages_keep_their_compressed_form(client, page_cache, category, monkeypatch):
    factories.article(category=category, title="Tin nén một lần")
    plain = client.get("/")
    assert "Tin nén một lần" in plain.content.decode()
    assert "Content-Encoding" not in plain
    # Compressed when the page is stored, never again while it is served from the cache.
    from portal import pagecache as module

    monkeypatch.setattr(module, "compress_string", lambda _content: pytest.fail("compressed"))
    monkeypatch.setattr(
        "django.middleware.gzip.compress_string", lambda _c: pytest.fail("compressed per hit")
    )
    packed = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
    assert (
        "accept-encoding" in packed["Vary"].lower() and "accept-encoding" in plain["Vary"].lower()
    )
    assert packed["ETag"] == "W/" + plain["ETag"]
    again = client.get("/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])
    assert again.status_code == 304
    # Tiny answers and files are never compressed.
    assert "Content-Encoding" not in client.get("/robots.txt", HTTP_ACCEPT_ENCODING="gzip")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_hit_runs_no_query_and_a_bump_from_anywhere_is_heard(
    client, page_cache, category, monkeypatch
):
    """Each process listens for the generation row's trigger: a cached page costs no round
    trip, and a bump committed by another process (even by plain SQL) makes the next request
    render."""
    factories.article(category=category, title="Tin nghe thông báo")
    assert client.get("/").status_code == 200  # stored
    with CaptureQueriesContext(connection) as queries:
        assert "Tin nghe thông báo" in client.get("/").content.decode()
    assert len(queries) == 0
    reads = []
    real_read = pagecache.GenerationListener._read
    monkeypatch.setattr(
        pagecache.GenerationListener,
        "_read",
        lambda self, now: reads.append(now) or real_read(self, now),
    )
    for _ in range(20):
        assert client.get("/").status_code == 200
    assert reads == []  # heard nothing, read nothing
    other = _other_postgres_connection()
    with other.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET title = 'Tin đổi bằng lệnh SQL'")
        cursor.execute("UPDATE portal_pagegeneration SET value = value + 1 WHERE id = 1")
    other.close()
    # The only wait is PostgreSQL passing the message on: the next request after it renders.
    _wait_for(lambda: "Tin đổi bằng lệnh SQL" in client.get("/").content.decode(), seconds=2)
    assert len(reads) == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_dead_or_deaf_listener_never_serves_a_stale_page(client, page_cache, category):
    """The listening connection killed: that request reads the row itself and the connection
    is opened again; notifications lost (a pooler, a cut network): the row is read again after
    ``LISTEN_RECHECK_SECONDS`` at the latest; a forked child opens its own."""
    listener = pagecache.generation_listener
    factories.article(category=category, title="Tin trước")
    assert client.get("/").status_code == 200
    now = time.time()
    seen = listener.value(now)
    assert seen == pagecache._read_database_generation()
    other = _other_postgres_connection()
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [listener._conn.info.backend_pid])
        cursor.execute("UPDATE articles_article SET title = 'Tin sau khi mất kết nối'")
        cursor.execute("UPDATE portal_pagegeneration SET value = value + 1 WHERE id = 1")
    _wait_for(lambda: "Tin sau khi mất kết nối" in client.get("/").content.decode())
    assert listener._conn is None  # closed on the error: requests read the row meanwhile
    assert listener.value(now + pagecache.LISTEN_RETRY_SECONDS + 10) == seen + 1  # reopened
    assert listener._conn is not None
    # Deaf: the connection stops listening; a bump is not heard, but the recheck reads it.
    with listener._conn.cursor() as cursor:
        cursor.execute(f"UNLISTEN {pagecache.NOTIFY_CHANNEL}")
    later = now + pagecache.LISTEN_RETRY_SECONDS + 10
    with other.cursor() as cursor:
        cursor.execute("UPDATE portal_pagegeneration SET value = value + 1 WHERE id = 1")
    time.sleep(0.2)
    assert listener.value(later) == seen + 1  # within the recheck: the value heard last
    assert listener.value(later + pagecache.LISTEN_RECHECK_SECONDS) == seen + 2
    other.close()
    # A child process after fork: never the parent's socket.
    parents = listener._conn
    listener._pid = -1
    assert listener.value(later + 100) == seen + 2
    assert listener._conn is not parents and listener._conn is not None
    parents.close()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_without_the_trigger_the_listener_stands_aside_and_retries_less_often(caplog):
    """A database that cannot announce bumps (migrate not run, a restored older database):
    nothing would ever be heard, so requests read the row; failures in a row wait longer."""
    listener = pagecache.generation_listener
    listener.close()
    listener._retry_at = 0
    table, trigger = "portal_pagegeneration", pagecache.NOTIFY_TRIGGER
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    try:
        now = time.time()
        assert listener.value(now) is None
        assert "missing: run migrate" in caplog.text
        assert listener.value(now + 0.5) is None  # waiting: not even tried
        assert listener.value(now + 1) is None  # tried again: 2 s to the next try
        assert listener._retry_at == now + 3
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
    assert listener.value(now + 3) == pagecache._read_database_generation()
    assert listener._failures == 0


@pytest.mark.django_db(transaction=True)
def test_a_hit_reads_the_generation_in_one_round_trip_and_survives_a_dead_connection(
    client, page_cache, category, monkeypatch
):
    """Without the listener (SQLite, or turned off): the generation read is the hit's only
    query and doubles as the connection's health check (Django's would be a second round
    trip); a connection the database dropped is replaced within the same request."""
    from django.db import connections

    page_cache.PORTAL_PAGE_GENERATION_LISTEN = False
    connection = connections["default"]  # the wrapper itself, not the proxy
    factories.article(category=category, title="Tin giữ qua lần khởi động lại")
    assert client.get("/").status_code == 200  # stored
    checks = []
    monkeypatch.setattr(type(connection), "is_usable", lambda self: checks.append(1) or True)
    connection.health_check_enabled, connection.health_check_done = True, False
    assert "Tin giữ qua lần khởi động lại" in client.get("/").content.decode()
    assert checks == []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        other = _other_postgres_connection()
        with other.cursor() as cursor:
            # Another instance changes the article (and bumps), then our connection dies.
            cursor.execute("UPDATE articles_article SET title = 'Tin đổi từ máy khác'")
            cursor.execute("UPDATE portal_pagegeneration SET value = value + 1 WHERE id = 1")
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        other.close()
        time.sleep(0.2)
        response = client.get("/")
        # Read on a new connection: fresh, not the copy kept for when the database is down.
        assert response.status_code == 200
        assert "Tin đổi từ máy khác" in response.content.decode()


def test_an_articles_cached_body_and_related_news_follow_changes(client, category):
    first = factories.article(category=category, title="Bài đang đọc", body="<p>Nội dung cũ.</p>")
    other = factories.article(category=category, title="Tin liên quan cũ")
    html = client.get(first.get_absolute_url()).content.decode()
    assert "Nội dung cũ." in html and "Tin liên quan cũ" in html
    other.title = "Tin liên quan mới"
    other.save()
    first.body = "<p>Nội dung đã sửa.</p>"
    first.save()
    html = client.get(first.get_absolute_url()).content.decode()
    assert "Nội dung đã sửa." in html and "Tin liên quan mới" in html
    assert "Nội dung cũ." not in html and "Tin liên quan cũ" not in html


@pytest.mark.parametrize(
    "path", ["/tin-tuc/", "/chuyen-muc/{slug}/", "/tim-kiem/?q=tin+ve"], ids=["news", "cat", "q"]
)
def test_list_and_search_cards_are_a_fragment_that_follows_every_change(client, category, path):
    """Page cache off: the cards and the pager of a list or a search are kept per page and
    content, so a warm one reads no article; a change shows on the next request."""
    path = path.format(slug=category.slug)
    for n in range(14):  # two pages of 12
        factories.article(category=category, title=f"Tin về số {n}")
    first = client.get(path).content.decode()
    assert "Tin về số 0" in first and "Tin về số 12" not in first
    with CaptureQueriesContext(connection) as warm:
        again = client.get(path).content.decode()
    assert again == first
    assert not [q for q in warm.captured_queries if "articles_article" in q["sql"]]
    second = client.get(path + ("&" if "?" in path else "?") + "page=2").content.decode()
    assert "Tin về số 12" in second and "Tin về số 0<" not in second
    factories.article(category=category, title="Tin về mới nhất", publish_at=timezone.now())
    assert "Tin về mới nhất" in client.get(path).content.decode()


def test_page_links_keep_only_the_parameters_the_page_reads(client, category):
    """A tracking parameter of the visitor who rendered a list never ends up in its links."""
    for n in range(14):
        factories.article(category=category, title=f"Tin {n}")
    html = client.get("/tin-tuc/?fbclid=IwAR0abc&utm_source=zalo&x=1").content.decode()
    assert 'href="?page=2"' in html
    assert "fbclid" not in html and "utm_source" not in html
    html = client.get("/tim-kiem/?q=tin&utm_medium=social").content.decode()
    assert 'href="?page=2&amp;q=tin"' in html and "utm_medium" not in html


def test_on_one_machine_the_generation_file_spares_a_hit_its_database_round_trip(
    client, page_cache, category, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "page-generation"
    page_cache.PORTAL_PAGE_GENERATION_FILE = str(path)
    article = factories.article(category=category, title="Tin một máy")
    assert "Tin một máy" in client.get("/").content.decode()
    with CaptureQueriesContext(connection) as ctx:
        assert "Tin một máy" in client.get("/?fbclid=x").content.decode()
    assert len(ctx.captured_queries) == 0  # a hit reads the file, not the database

    token = path.read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Tin đã sửa một máy"
        article.save()
        assert path.read_bytes() == token  # replaced after commit, not before
    assert path.read_bytes() != token
    html = client.get("/").content.decode()
    assert "Tin đã sửa một máy" in html and "Tin một máy" not in html

    path.unlink()  # removed by a cleaner: a new token, never an old page
    Article.objects.filter(pk=article.pk).update(title="Sau khi mất tệp")
    assert "Sau khi mất tệp" in client.get("/").content.decode()
    assert len(path.read_bytes()) == 16


def test_a_generation_file_that_cannot_be_written_is_reported_and_never_serves_a_stale_page(
    client, page_cache, category, tmp_path
):
    from django.core.cache import cache

    page_cache.PORTAL_PAGE_GENERATION_FILE = str(tmp_path / "missing-folder" / "generation")
    [error] = pagecache.check_generation_file()
    assert error.id == "portal.E010" and "missing-folder" in error.msg
    factories.article(category=category, title="Tin không có tệp")
    cache.clear()
    for _ in range(2):  # no token to match: every request renders, and nothing is kept
        with CaptureQueriesContext(connection) as ctx:
            assert "Tin không có tệp" in client.get("/").content.decode()
        assert len(ctx.captured_queries) > 0
    # No page, fragment, data or next change kept under a throw-away generation.
    assert not [key for key in cache._cache if "pagecache:" in key]

    folder = tmp_path / "is-a-folder"
    folder.mkdir()
    page_cache.PORTAL_PAGE_GENERATION_FILE = str(folder)  # read fails after open: no 500
    assert client.get("/").status_code == 200
    assert "cannot be read" in pagecache.check_generation_file()[0].msg

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: another user's file could not be replaced
    page_cache.PORTAL_PAGE_GENERATION_FILE = str(shared / "generation")
    assert "sticky" in pagecache.check_generation_file()[0].msg
    path = tmp_path / "generation"
    page_cache.PORTAL_PAGE_GENERATION_FILE = str(path)
    assert pagecache.check_generation_file() == []
    assert len(path.read_bytes()) == 16  # a token, so the first requests can be cached
    path.write_bytes(b"")  # emptied by someone: a new token, not "unreadable" for ever
    assert pagecache.generation().startswith("f")
    assert len(path.read_bytes()) == 16
    page_cache.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                     "LOCATION": REDIS_URL}}  # fmt: skip
    assert pagecache.generation_file() == ""  # with Redis the shared cache keeps it
