import atexit
import os
import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation

from portal import pagecache
from tests import factories


@pytest.fixture(autouse=True)
def _isolate(settings, tmp_path):
    """Each test writes uploads to its own folder and starts with an empty cache, in
    Vietnamese: a request to an English page leaves English active in the thread (Django's
    LocaleMiddleware activates a language and leaves it), and the next test's ``reverse()``
    would build ``/en/`` addresses."""
    settings.MEDIA_ROOT = tmp_path / "media"
    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()
    pagecache.LOCAL_PAGES.clear()
    yield
    cache.clear()
    pagecache.LOCAL_PAGES.clear()


class _Clock:
    """A settable ``time.time`` for the rate limiter."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


@pytest.fixture(autouse=True)
def ratelimit_clock(monkeypatch):
    """The rate limiter counts in windows aligned to the wall clock (``portal.ratelimit``): a
    test whose requests straddled a minute's end would see its count start again. Its clock
    stands 30 s into a minute, an hour and a day's window; a test moves it with ``.now``."""
    from portal import ratelimit

    clock = _Clock(1_800_000_030.0)
    monkeypatch.setattr(ratelimit, "time", clock)
    return clock


@pytest.fixture(scope="session", autouse=True)
def _page_generation_listener(django_db_setup):
    """The page cache's listening connection (PostgreSQL) is the process's own: closed before
    the test database is dropped, which it would otherwise keep busy."""
    yield
    pagecache.generation_listener.close()


@pytest.fixture
def make_user(db):
    """``make_user("writer", groups=["Biên tập viên"])``: a staff user in those groups."""

    def make(username="user", *, groups=(), staff=True, superuser=False):
        return factories.user(username, groups=groups, staff=staff, superuser=superuser)

    return make


@pytest.fixture
def category(db):
    return factories.category("Bầu cử")


@pytest.fixture
def article(category):
    return factories.article(category=category)


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail(
            "Browser tests need Debian's chromium on PATH: `make browser` installs it "
            "(.ci/install-browser, which `make test` runs first), or apt-get install -y "
            "chromium fonts-dejavu-core."
        )
    return path


_BROWSER = {}


def _shared_browser(executable_path):
    """One Playwright and one Chromium per test process, stopped at exit."""
    if "browser" not in _BROWSER:
        from playwright.sync_api import sync_playwright

        # Playwright's sync API runs an event loop in the test thread; Django would refuse the
        # (synchronous) ORM calls made there by fixtures and tests.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        _BROWSER["playwright"] = playwright
        _BROWSER["browser"] = playwright.chromium.launch(
            executable_path=executable_path, args=["--no-sandbox", "--disable-gpu"]
        )

        def stop():
            _BROWSER["browser"].close()
            playwright.stop()

        atexit.register(stop)
    return _BROWSER["browser"]


@pytest.fixture(scope="session")
def browser(chromium_path):
    return _shared_browser(chromium_path)


@pytest.fixture
def page(browser):
    """A fresh browser context; ``page.console_errors`` collects the console's errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    new_page = context.new_page()
    errors = []
    new_page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    new_page.console_errors = errors
    yield new_page
    context.close()


def group_names():
    return list(Group.objects.values_list("name", flat=True))


__all__ = ["settings"]
