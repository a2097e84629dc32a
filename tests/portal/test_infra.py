"""Failing infrastructure: the site against a Redis and a database that go away.

The Redis tests run the app against the real Redis on this machine through a TCP proxy that
the test cuts (tests/portal/tcpproxy.py). The database tests make the database unreachable
with a connection wrapper on any database, and on PostgreSQL also by cutting a proxy between
Django and the real server.
"""

import io
import logging
import time
import uuid
from wsgiref.util import setup_testing_defaults

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, ProgrammingError, connection
from django.test import Client, RequestFactory

from portal import middleware, pagecache, views
from portal.cache import ResilientRedisCache
from portal.settings import REDIS_OPTIONS
from tests import factories
from tests.portal.tcpproxy import TCPProxy

REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 5


@pytest.fixture
def redis_proxy(settings):
    """The portal's Redis cache and cached_db sessions, reached through a proxy."""
    proxy = TCPProxy(REDIS_HOST, REDIS_PORT)
    prefix = f"test-infra-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{proxy.port}/{REDIS_DB}",
            "KEY_PREFIX": prefix,
            "OPTIONS": REDIS_OPTIONS,
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    proxy.prefix = prefix
    yield proxy
    proxy.stop()
    direct = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    for key in direct.scan_iter(f"{prefix}:*"):
        direct.delete(key)


def redis_keys(prefix):
    direct = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    return [key.decode() for key in direct.scan_iter(f"{prefix}:*")]


@pytest.fixture
def content(db):
    category = factories.category("Bầu cử")
    article = factories.article(category=category, title="Hội nghị tổng kết công tác bầu cử")
    return article


@pytest.fixture
def staff(make_user):
    return make_user("quantri", superuser=True)


# -- Redis down --------------------------------------------------------------------------


def test_the_proxy_really_carries_the_cache(redis_proxy, content, settings):
    settings.PORTAL_PAGE_CACHE = True
    client = Client()
    assert client.get("/").status_code == 200
    assert any(":pagecache:page:" in key for key in redis_keys(redis_proxy.prefix))


def test_public_pages_and_admin_are_served_while_redis_is_down(
    redis_proxy, content, staff, monkeypatch, settings
):
    settings.PORTAL_PAGE_CACHE = True
    monkeypatch.setattr(ResilientRedisCache, "RETRY_SECONDS", 0)  # see the next tests
    client = Client()
    staff_client = Client()
    staff_client.force_login(staff)
    redis_proxy.cut()

    for path in ["/", "/tin-tuc/", content.get_absolute_url(), "/rss/", "/en/", "/sitemap.xml"]:
        response = client.get(path)
        assert response.status_code == 200, path
    assert "Hội nghị tổng kết" in client.get("/").content.decode()

    # The session written before the outage is read from the database (cached_db).
    for path in [
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{content.pk}/change/",
    ]:
        response = staff_client.get(path)
        assert response.status_code == 200, path
        assert b"quantri" in response.content

    # Logging in while Redis is down works too: the session is stored in the database.
    late = Client()
    late.force_login(staff)
    assert late.get("/admin/").status_code == 200

    redis_proxy.restore()
    pagecache.LOCAL_PAGES.clear()  # as another process: not served from this one's own copy
    assert client.get("/").status_code == 200
    assert any(":pagecache:page:" in key for key in redis_keys(redis_proxy.prefix))
    assert staff_client.get("/admin/").status_code == 200


def test_a_hung_redis_costs_one_short_timeout_not_a_hung_worker(redis_proxy, content, monkeypatch):
    # A pause longer than the pages below take on a slow machine (5 s in production).
    monkeypatch.setattr(ResilientRedisCache, "RETRY_SECONDS", 60)
    redis_proxy.cut(blackhole=True)
    for path in ["/", "/tin-tuc/", content.get_absolute_url(), "/rss/"]:
        started = time.monotonic()
        assert Client().get(path).status_code == 200
        # Bounded by REDIS_TIMEOUT_SECONDS (0.5 s), not by the hung server (loose: shared CI).
        assert time.monotonic() - started < 5, path
    # After that first timeout Redis is left alone for RETRY_SECONDS: twenty cache calls
    # cost nothing, where each would otherwise wait its 0.5 s.
    started = time.monotonic()
    for n in range(20):
        assert cache.get(f"cle-{n}") is None
        cache.set(f"cle-{n}", n)
    assert time.monotonic() - started < 0.5


def test_redis_is_tried_again_after_the_pause(redis_proxy, db, monkeypatch):
    redis_proxy.cut()
    assert cache.get("cle") is None
    redis_proxy.restore()
    cache.set("cle", "gia-tri")  # still within the pause: not sent
    assert not any(key.endswith(":cle") for key in redis_keys(redis_proxy.prefix))
    later = time.monotonic() + ResilientRedisCache.RETRY_SECONDS + 1
    monkeypatch.setattr("portal.cache.time.monotonic", lambda: later)
    cache.set("cle", "gia-tri")
    assert cache.get("cle") == "gia-tri"
    assert any(key.endswith(":cle") for key in redis_keys(redis_proxy.prefix))


@pytest.mark.parametrize(
    "invalidate",
    [
        lambda: cache.delete("trang-chu"),  # an edited article's page
        lambda: cache.set("the-he", "moi", None),  # a new page-cache generation
        lambda: cache.delete_many(["trang-chu", "khac"]),
    ],
    ids=["delete", "set", "delete_many"],
)
def test_an_invalidation_missed_during_the_outage_clears_the_site_keys(
    redis_proxy, db, monkeypatch, invalidate
):
    monkeypatch.setattr(ResilientRedisCache, "RETRY_SECONDS", 0)
    direct = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    other_site = f"other-{redis_proxy.prefix}:1:trang"
    direct.set(other_site, "khong-dong-vao", ex=60)
    cache.set("the-he", "cu", None)
    cache.set("trang-chu", "ban-cu")
    cache.set("khac", "ban-cu")
    redis_proxy.cut()
    invalidate()
    redis_proxy.restore()
    assert cache.get("the-he") is None
    assert cache.get("trang-chu") is None
    assert cache.get("khac") is None  # anything else of this site could be stale too
    assert direct.get(other_site) == b"khong-dong-vao"  # another site's keys are left alone
    direct.delete(other_site)
    cache.set("khac", "moi")
    assert cache.get("khac") == "moi"


def test_cache_errors_are_one_warning_line_per_minute(redis_proxy, content, caplog):
    redis_proxy.cut()
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        for _ in range(3):
            assert Client().get("/").status_code == 200
    records = [r for r in caplog.records if r.name == "portal.cache"]
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert records[0].exc_info is None
    assert "\n" not in records[0].getMessage()
    assert "Cache unavailable" in records[0].getMessage()


# -- /healthz ----------------------------------------------------------------------------


def test_healthz_ok_when_everything_answers(redis_proxy, db, settings):
    settings.MEDIA_ROOT.mkdir(parents=True)
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "cache": {"status": "ok"},
            "storage": {"status": "ok"},
        },
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_degraded_with_redis_down_but_still_200(redis_proxy, db, settings):
    settings.MEDIA_ROOT.mkdir(parents=True)
    redis_proxy.cut()
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["status"] == "degraded"
    assert body["checks"]["database"] == {"status": "ok"}
    redis_proxy.restore()
    assert Client().get("/healthz").json()["status"] == "ok"


def test_healthz_degraded_without_media_storage(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "missing"
    body = Client().get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["storage"]["status"] == "degraded"


def test_healthz_down_and_503_without_the_database(db):
    with connection.execute_wrapper(_refuse):
        response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["database"]["status"] == "down"


# -- Database down -----------------------------------------------------------------------


def _refuse(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


def _assert_outage_page(response, *, english=False):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    if english:
        assert "Service temporarily unavailable" in html
    else:
        assert "Hệ thống tạm thời gián đoạn" in html
        assert "Vui lòng thử lại sau một phút." in html
    for leak in ("Traceback", "OperationalError", "Connection refused", "File &quot;"):
        assert leak not in html


def test_public_pages_answer_the_vietnamese_503_without_the_database(content, client):
    with connection.execute_wrapper(_refuse):
        for path in ["/tin-tuc/", content.get_absolute_url(), "/tim-kiem/?q=bau+cu", "/bau-cu/"]:
            _assert_outage_page(client.get(path))
        _assert_outage_page(client.get("/en/tin-tuc/"), english=True)
    assert client.get("/tin-tuc/").status_code == 200


def test_admin_answers_503_without_the_database(content, staff):
    client = Client()
    client.force_login(staff)
    with connection.execute_wrapper(_refuse):
        _assert_outage_page(client.get("/admin/articles/article/"))
    assert client.get("/admin/articles/article/").status_code == 200


def test_pages_in_the_cache_are_still_served_without_the_database(content, client, settings):
    settings.PORTAL_PAGE_CACHE = True
    first = client.get("/")
    assert first.status_code == 200
    with connection.execute_wrapper(_refuse):
        cached = client.get("/")
    assert cached.status_code == 200
    assert cached.content == first.content


def test_the_outage_page_runs_no_query(db, django_assert_num_queries):
    request = RequestFactory().get("/tin-tuc/")
    with django_assert_num_queries(0):
        response = middleware.database_unavailable_response(request, OperationalError("down"))
    _assert_outage_page(response)


def test_errors_outside_views_get_the_same_503(db):
    """handler500: a database error raised by middleware (after the view) is a 503 too."""
    request = RequestFactory().get("/tin-tuc/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = views.server_error(request)
    _assert_outage_page(response)
    try:
        raise ProgrammingError("relation does not exist")
    except ProgrammingError:
        response = views.server_error(request)
    # A bug stays a 500, so it is not mistaken for an outage.
    assert response.status_code == 500
    assert "Retry-After" not in response


class FailingMiddleware:
    """Stands for any middleware that reaches the database outside a view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("server closed the connection unexpectedly")


def test_middleware_errors_reach_handler500_as_503(db, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.FailingMiddleware"]
    response = Client(raise_request_exception=False).get("/tin-tuc/")
    _assert_outage_page(response)


def test_a_database_outage_is_logged_as_one_line(content, client, caplog, monkeypatch):
    from portal.cache import RateLimitedWarning

    fresh = RateLimitedWarning(logging.getLogger("portal.database"), "Database unavailable")
    monkeypatch.setattr(middleware, "_db_warning", fresh)
    with (
        caplog.at_level(logging.WARNING, logger="portal.database"),
        connection.execute_wrapper(_refuse),
    ):
        for _ in range(3):
            assert client.get("/tin-tuc/").status_code == 503
    records = [r for r in caplog.records if r.name == "portal.database"]
    assert len(records) == 1
    assert records[0].exc_info is None
    assert "OperationalError" in records[0].getMessage()


def wsgi_get(path, cookies=None):
    """One request through Django's WSGI handler, as gunicorn makes it.

    Unlike the test client, this sends request_started/request_finished with the connection
    handling of a long-lived worker (CONN_MAX_AGE, CONN_HEALTH_CHECKS).
    """
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_HOST": "testserver"}
    if cookies:
        environ["HTTP_COOKIE"] = cookies
    setup_testing_defaults(environ)
    environ["wsgi.errors"] = io.StringIO()
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = int(status.split()[0])
        captured["headers"] = dict(headers)

    response = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        response.close()
    return captured["status"], captured["headers"], body.decode()


_POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

if _POSTGRES:
    # Defined only when the suite runs on PostgreSQL, so it is never skipped there.

    @pytest.fixture
    def postgres_proxy(transactional_db):
        """Django's connection to the test database, through a proxy the test cuts."""
        settings_dict = connection.settings_dict
        host, port = settings_dict["HOST"], settings_dict["PORT"]
        proxy = TCPProxy(host or "127.0.0.1", int(port or 5432))
        connection.close()
        # The page cache's listening connection too: it goes the way Django's goes.
        pagecache.generation_listener.close()
        settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(proxy.port)
        yield proxy
        proxy.restore()
        connection.close()
        pagecache.generation_listener.close()
        settings_dict["HOST"], settings_dict["PORT"] = host, port
        proxy.stop()

    def test_postgresql_outage_answers_503_and_recovers_without_restart(postgres_proxy, staff):
        assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
        assert connection.settings_dict["CONN_MAX_AGE"] > 0
        article = factories.article(category=factories.category("Tin tức"))
        client = Client()
        client.force_login(staff)
        session = f"sessionid={client.cookies['sessionid'].value}"

        status, _, body = wsgi_get("/tin-tuc/")
        assert status == 200
        assert article.title in body
        # The worker keeps its connection between requests (CONN_MAX_AGE).
        kept = connection.connection
        assert kept is not None
        assert wsgi_get("/tin-tuc/")[0] == 200
        assert connection.connection is kept

        postgres_proxy.cut()
        for path in ["/tin-tuc/", article.get_absolute_url(), "/en/tin-tuc/"]:
            status, headers, body = wsgi_get(path)
            assert status == 503, path
            assert headers["Retry-After"] == "60"
            assert "Traceback" not in body
            assert "psycopg2" not in body
        status, _, body = wsgi_get("/admin/", cookies=session)
        assert status == 503
        assert "Hệ thống tạm thời gián đoạn" in body
        status, _, body = wsgi_get("/healthz")
        assert status == 503
        assert '"database": {"status": "down"' in body

        postgres_proxy.restore()
        status, _, body = wsgi_get("/tin-tuc/")
        assert status == 200
        assert article.title in body
        assert wsgi_get("/admin/", cookies=session)[0] == 200
        assert wsgi_get("/healthz")[0] == 200

        # A restart between two requests (the kept connection dies while idle): the health
        # check at the start of the next request reconnects, so not even one 503.
        kept = connection.connection
        postgres_proxy.cut()
        postgres_proxy.restore()
        status, _, body = wsgi_get("/tin-tuc/")
        assert status == 200
        assert article.title in body
        # That page may have needed no query (its fragments are kept, the generation heard);
        # the next request that does reconnects as well.
        assert wsgi_get("/admin/", cookies=session)[0] == 200
        assert connection.connection is not kept

    def test_postgresql_outage_still_serves_the_pages_in_the_cache(postgres_proxy, settings):
        settings.PORTAL_PAGE_CACHE = True
        article = factories.article(category=factories.category("Tin tức"))
        status, _, cached = wsgi_get("/tin-tuc/")
        assert status == 200 and article.title in cached
        postgres_proxy.cut()
        # The listener's connection breaks with Django's: the page is still served...
        for _ in range(3):
            status, _, body = wsgi_get("/tin-tuc/")
            assert status == 200
            assert body == cached
        # ...while a page that was never cached needs the database.
        assert wsgi_get(article.get_absolute_url())[0] == 503
        postgres_proxy.restore()
        assert wsgi_get(article.get_absolute_url())[0] == 200


def test_a_form_sent_during_the_outage_is_said_to_be_unsaved(content, staff):
    client = Client()
    client.force_login(staff)
    with connection.execute_wrapper(_refuse):
        response = client.post(f"/admin/articles/article/{content.pk}/change/", {"title": "Mới"})
        plain = client.get("/tin-tuc/")
    _assert_outage_page(response)
    assert "chưa được lưu" in response.content.decode()
    assert "chưa được lưu" not in plain.content.decode()
