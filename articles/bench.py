"""Public page speed: median and 95th-percentile response times over a realistic archive.

Run by ``make bench`` (``manage.py bench``) in a throw-away database; numbers are printed,
never asserted.
"""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticlePhoto, Category
from articles.services import image_create
from portal.demo import placeholder_image
from portal.images import process_upload

N_ARTICLES = 5_000
N_CATEGORIES = 12
REPEAT = 40


def _build_archive():
    parent = Category.objects.create(name="Tin tức - Sự kiện", slug="bench-tin-tuc")
    categories = [
        Category.objects.create(name=f"Chuyên mục {i}", slug=f"bench-{i}", parent=parent)
        for i in range(N_CATEGORIES)
    ]
    image = image_create(
        upload=process_upload(placeholder_image("Ảnh đo hiệu năng")), alt_text="Ảnh đo hiệu năng"
    )
    now = timezone.now()
    articles = []
    for i in range(N_ARTICLES):
        article = Article(
            title=f"Bài viết đo hiệu năng số {i} về bầu cử và kinh tế",
            slug=f"bench-{i}",
            summary="Tóm tắt bài viết dùng để đo tốc độ trang công khai của cổng.",
            body="<p>" + "Nội dung bài viết về bầu cử đại biểu Quốc hội. " * 60 + "</p>",
            category=categories[i % N_CATEGORIES],
            cover=image if i % 3 == 0 else None,
            status=Article.Status.PUBLISHED,
            publish_at=now - timezone.timedelta(minutes=i),
            is_featured=i == 0,
        )
        article.refresh_search_text()
        articles.append(article)
    Article.objects.bulk_create(articles, batch_size=1000)
    first = Article.objects.get(slug="bench-0")
    ArticlePhoto.objects.bulk_create(
        ArticlePhoto(article=first, image=image, caption=f"Ảnh {i}", order=i) for i in range(6)
    )
    return categories


def _measure(client, url):
    timings = []
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)  # warm-up (templates, connection)
    queries = len(ctx.captured_queries)
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    return statistics.median(timings), p95, queries, len(response.content)


def run(stdout):
    started = time.perf_counter()
    _build_archive()
    stdout.write(
        f"archive: {N_ARTICLES:,} articles in {N_CATEGORIES} categories, "
        f"built in {time.perf_counter() - started:.1f} s"
    )
    client = Client(HTTP_HOST="localhost")
    pages = [
        ("home", "/"),
        ("news list", "/tin-tuc/"),
        ("news list, page 200", "/tin-tuc/?page=200"),
        ("category", "/chuyen-muc/bench-3/"),
        ("article with 6 photos", "/tin-tuc/bench-0/"),
        ("search 'bau cu'", "/tim-kiem/?q=bau+cu"),
        ("search, no hit", "/tim-kiem/?q=khongcoketqua"),
        ("rss (cached)", "/rss/"),
        ("sitemap (cached)", "/sitemap.xml"),
    ]
    stdout.write(f"{'page':<24}{'median ms':>10}{'p95 ms':>10}{'queries':>9}{'KB':>8}")
    for name, url in pages:
        median, p95, queries, size = _measure(client, url)
        stdout.write(f"{name:<24}{median:>10.1f}{p95:>10.1f}{queries:>9}{size / 1024:>8.1f}")
    if connection.vendor == "postgresql":
        _load_test(stdout, [url for _name, url in pages[:6]])


LOAD_SECONDS = 8
LOAD_CLIENTS = 8


def _load_test(stdout, urls):
    """Requests per second through gunicorn on 127.0.0.1 (bounded in time), same database."""
    import os
    import socket
    import subprocess
    import sys
    import threading
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1"}
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4", "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310
                break
            except OSError:
                if time.time() > deadline:
                    stdout.write("gunicorn did not start; load test skipped")
                    return
                time.sleep(0.3)
        stdout.write(
            f"\nload: {LOAD_CLIENTS} clients for {LOAD_SECONDS} s against gunicorn "
            "(2 workers x 4 threads) on 127.0.0.1, the pages above in turn"
        )
        counts = {"ok": 0, "error": 0}
        lock = threading.Lock()
        stop = time.time() + LOAD_SECONDS

        def client(offset):
            i = offset
            while time.time() < stop:
                try:
                    urllib.request.urlopen(base + urls[i % len(urls)], timeout=10).read()  # noqa: S310
                    key = "ok"
                except OSError:
                    key = "error"
                with lock:
                    counts[key] += 1
                i += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(LOAD_CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stdout.write(
            f"{counts['ok'] / LOAD_SECONDS:.0f} requests/s, {counts['error']} errors "
            f"({counts['ok']} responses)"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
