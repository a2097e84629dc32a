"""Two server processes sharing one database: a change through the admin of one is seen at
once by the other, with the default per-process cache and with Redis, on SQLite and on
PostgreSQL (where each process hears the generation change instead of reading it), without
and with Redis (two instances of a production deployment)."""

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
# A server where the test may create (and then drop) a database of its own.
POSTGRES_URL = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)


def _postgres(statement, url=POSTGRES_URL):
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


SETUP = """
from django.contrib.auth import get_user_model
from articles.models import Article, Category
get_user_model().objects.create_superuser("quantri", password="pw-Test-123")
category = Category.objects.create(name="Tin tức")
article = Article.objects.create(
    title="Tin dùng chung hai máy", summary="Tóm tắt.", category=category, status="published"
)
print(article.pk)
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(opener, url, data=None):
    """``(status, text)``; a refused connection (server still starting) is status 0."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(url)
    request = urllib.request.Request(url, data=data)  # noqa: S310 - local http only (above)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except urllib.error.URLError:
        return 0, ""


def _form(opener, url, fields):
    _status, html = _get(opener, url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}, doseq=True)
    return _get(opener, url, data.encode())


@pytest.fixture
def servers(tmp_path, request):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.test_settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        PORTAL_PAGE_CACHE="1",
    )
    database = None
    if request.param in ("redis", "postgresql-redis"):
        env.update(REDIS_URL=REDIS_URL, DJANGO_CACHE_PREFIX=f"test-{uuid.uuid4().hex}")
    if request.param == "one-machine-file":
        env.update(PORTAL_PAGE_GENERATION_FILE=str(tmp_path / "page-generation"))
    if request.param.startswith("postgresql"):
        database = f"portal_two_instances_{uuid.uuid4().hex[:12]}"
        _postgres(f'CREATE DATABASE "{database}"')
        env.update(DATABASE_URL=POSTGRES_URL.rsplit("/", 1)[0] + f"/{database}")
    manage = [sys.executable, "manage.py"]
    processes, bases = [], []
    try:
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        done = subprocess.run(
            [*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True
        )
        article_pk = int(done.stdout.split()[-1])
        for _ in range(2):
            port = _free_port()
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "portal.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT,
                    env=env,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base in bases:
            deadline = time.time() + 30
            while _get(urllib.request.build_opener(), base + "/healthz")[0] != 200:
                assert time.time() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        if database:
            url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{database}"

            def behind_the_cache(statement):
                _postgres(statement, url)
        else:

            def behind_the_cache(statement):
                with sqlite3.connect(tmp_path / "shared.sqlite3") as connection:
                    connection.execute(statement)

        yield bases, article_pk, behind_the_cache
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        if database:
            _postgres(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.mark.parametrize(
    "servers",
    ["database", "postgresql", "redis", "postgresql-redis", "one-machine-file"],
    indirect=True,
)
def test_a_change_through_the_admin_of_one_server_is_seen_by_the_other(servers):
    (first, second), article_pk, behind_the_cache = servers
    visitor = urllib.request.build_opener()
    title = "Tin dùng chung hai máy"
    assert title in _get(visitor, second + "/")[1]
    assert title in _get(visitor, first + "/tin-tuc/")[1]
    # A change no signal sees (straight into the database): both pages are still served
    # from the cache, which shows they are cached.
    behind_the_cache("UPDATE articles_article SET title = 'Đổi ngầm' WHERE status = 'published'")
    assert title in _get(visitor, second + "/?fbclid=abc")[1]
    assert title in _get(visitor, first + "/tin-tuc/")[1]

    staff = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    status, html = _form(
        staff,
        first + "/admin/login/?next=/admin/",
        {"username": "quantri", "password": "pw-Test-123"},
    )
    assert status == 200 and "/admin/logout/" in html  # logged in
    status, _html = _form(
        staff,
        first + "/admin/articles/article/",
        {"action": "unpublish_selected", "_selected_action": [article_pk], "index": 0},
    )
    assert status == 200  # redirected back to the list

    for base in (second, first):
        assert "Đổi ngầm" not in _get(visitor, base + "/")[1], base  # unpublished
        assert title not in _get(visitor, base + "/")[1], base
        assert title not in _get(visitor, base + "/?fbclid=abc")[1], base
        assert title not in _get(visitor, base + "/tin-tuc/")[1], base
