import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache

from tests import factories


@pytest.fixture(autouse=True)
def _isolate(settings, tmp_path):
    """Each test writes uploads to its own folder and starts with an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


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
            "Browser tests need Debian's chromium on PATH: apt-get install -y chromium "
            "(.ci/run installs it)."
        )
    return path


def group_names():
    return list(Group.objects.values_list("name", flat=True))


__all__ = ["settings"]
