"""Download counts: counted in the cache (atomic), written to the database in batches."""

import pytest
from django.core.cache import caches
from django.core.management import call_command

from documents import services
from tests.factories import attach_pdf

REDIS_URL = "redis://127.0.0.1:6379/7"


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request, settings):
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": "h7-documents-test",
            }
        }
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


@pytest.mark.django_db
def test_downloads_are_counted_without_a_write_each_time(
    client, document, settings, cache_backend, django_assert_num_queries
):
    settings.DOCUMENTS_DOWNLOAD_FLUSH_EVERY = 3
    item = attach_pdf(document)
    with django_assert_num_queries(1):  # reading the file row only
        client.get(item.get_absolute_url())
    client.get(item.get_absolute_url())
    item.refresh_from_db()
    assert item.download_count == 0
    assert services.downloads_pending(file_ids=[item.pk]) == {item.pk: 2}
    client.get(item.get_absolute_url())  # the third: flushed
    item.refresh_from_db()
    assert item.download_count == 3
    assert services.downloads_pending(file_ids=[item.pk]) == {}


@pytest.mark.django_db
def test_flush_command_moves_pending_counts(document, settings, cache_backend):
    settings.DOCUMENTS_DOWNLOAD_FLUSH_EVERY = 1000
    first, second = attach_pdf(document), attach_pdf(document)
    for _ in range(4):
        services.download_record(file_id=first.pk)
    services.download_record(file_id=second.pk)
    call_command("flush_download_counts", stdout=__import__("io").StringIO())
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.download_count, second.download_count) == (4, 1)
    # Nothing counted twice when run again.
    assert services.downloads_flush() == 0


@pytest.mark.django_db
def test_downloads_counted_while_flushing_are_kept(document, settings, cache_backend, monkeypatch):
    settings.DOCUMENTS_DOWNLOAD_FLUSH_EVERY = 1000
    item = attach_pdf(document)
    services.download_record(file_id=item.pk)
    read = services.downloads_pending

    def read_then_a_download_arrives(*, file_ids):
        found = read(file_ids=file_ids)
        services.download_record(file_id=item.pk)
        return found

    monkeypatch.setattr(services, "downloads_pending", read_then_a_download_arrives)
    assert services.downloads_flush(file_ids=[item.pk]) == 1
    monkeypatch.undo()
    item.refresh_from_db()
    assert item.download_count == 1
    assert services.downloads_pending(file_ids=[item.pk]) == {item.pk: 1}
