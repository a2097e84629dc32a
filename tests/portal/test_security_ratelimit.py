"""Rate limits per client address (portal/ratelimit.py), in memory and shared through Redis."""

import logging
import threading

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from portal import ratelimit

REDIS_URL = "redis://127.0.0.1:6379/4"  # this work's own Redis database


@ratelimit.ratelimit("3/m", scope="test-view")
def limited_view(request):
    return HttpResponse("ok")


@ratelimit.ratelimit("2/m", scope="test-form", methods=("POST",))
def limited_form(request):
    return HttpResponse("ok")


def call(view, address="203.0.113.5", method="get"):
    request = getattr(RequestFactory(), method)("/", REMOTE_ADDR=address)
    return view(request)


def test_parse_rate():
    assert ratelimit.parse_rate("10/m") == (10, 60)
    assert ratelimit.parse_rate("100/h") == (100, 3600)
    with pytest.raises(ValueError, match="10/m"):
        ratelimit.parse_rate("10 per minute")


def test_a_typo_in_the_rate_fails_at_import_time():
    with pytest.raises(ValueError):
        ratelimit.ratelimit("5/minute", scope="typo")


@pytest.mark.django_db
def test_over_the_limit_answers_429_in_vietnamese_with_retry_after():
    assert [call(limited_view).status_code for _ in range(3)] == [200, 200, 200]
    response = call(limited_view)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    html = response.content.decode()
    assert "Quá nhiều yêu cầu" in html
    assert f"thử lại sau {response['Retry-After']} giây" in html
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_limits_are_per_client_address():
    for _ in range(3):
        call(limited_view, "203.0.113.5")
    assert call(limited_view, "203.0.113.5").status_code == 429
    assert call(limited_view, "198.51.100.7").status_code == 200


@pytest.mark.django_db
def test_ipv6_clients_are_counted_per_64_network():
    for suffix in range(3):
        call(limited_view, f"2001:db8:1:2::{suffix + 1}")
    assert call(limited_view, "2001:db8:1:2:ffff::9").status_code == 429
    assert call(limited_view, "2001:db8:1:3::1").status_code == 200


@pytest.mark.django_db
def test_only_the_named_methods_count():
    for _ in range(5):
        assert call(limited_form, method="get").status_code == 200
    assert [call(limited_form, method="post").status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_operator_can_change_a_scope_rate_or_switch_limits_off(settings):
    settings.PORTAL_RATELIMITS = {"test-view": "1/m"}
    assert [call(limited_view).status_code for _ in range(2)] == [200, 429]
    settings.PORTAL_RATELIMIT_ENABLED = False
    assert call(limited_view).status_code == 200


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "h4-ratelimit-test",
        }
    }
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


@pytest.mark.django_db
def test_counts_are_shared_through_redis_and_exact_under_concurrency(redis_cache):
    # 40 requests at once from one address on 8 threads (each thread its own Redis connection,
    # like separate app instances): exactly the limit gets through.
    results = []
    lock = threading.Lock()

    @ratelimit.ratelimit("25/m", scope="test-concurrent")
    def view(request):
        return HttpResponse("ok")

    def worker():
        for _ in range(5):
            status = call(view).status_code
            with lock:
                results.append(status)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(200) == 25
    assert results.count(429) == 15
    keys = redis_cache._cache.get_client().keys("h4-ratelimit-test:*test-concurrent*")
    assert len(keys) == 1


@pytest.mark.django_db
def test_a_failing_cache_lets_requests_through_and_logs_one_line(caplog):
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:8149/4",  # nothing listens here
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    with override_settings(CACHES=broken), caplog.at_level(logging.WARNING, "portal.ratelimit"):
        assert [call(limited_view).status_code for _ in range(5)] == [200] * 5
    records = [r for r in caplog.records if r.name == "portal.ratelimit"]
    assert len(records) == 5
    assert all("not applied" in r.getMessage() and r.exc_info is None for r in records)
