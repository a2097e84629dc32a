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
    assert response["Retry-After"] == "30"  # the clock stands 30 s into the minute
    html = response.content.decode()
    assert "Quá nhiều yêu cầu" in html
    assert f"thử lại sau {response['Retry-After']} giây" in html
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_a_new_window_counts_again(ratelimit_clock):
    assert [call(limited_view).status_code for _ in range(4)] == [200, 200, 200, 429]
    ratelimit_clock.now += 29
    response = call(limited_view)
    assert (response.status_code, response["Retry-After"]) == (429, "1")
    ratelimit_clock.now += 1  # the next minute
    assert [call(limited_view).status_code for _ in range(4)] == [200, 200, 200, 429]


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


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_search_is_limited_and_the_429_page_sets_no_cookie(client, settings, prefix):
    settings.PORTAL_RATELIMITS = {"search": "2/m"}
    assert client.get(f"{prefix}/tim-kiem/", {"q": "a"}).status_code == 200
    assert client.get(f"{prefix}/tim-kiem/", {"q": "b"}).status_code == 200
    response = client.get(f"{prefix}/tim-kiem/", {"q": "c"})
    assert response.status_code == 429
    assert "Retry-After" in response
    assert not response.cookies
    expected = "Too many requests" if prefix else "Quá nhiều yêu cầu"
    assert expected in response.content.decode()
    # The default is generous enough for a person.
    settings.PORTAL_RATELIMITS = {}
    assert client.get(f"{prefix}/tim-kiem/", {"q": "d"}).status_code == 200


def test_operator_rates_come_from_the_environment_and_typos_stop_start_up():
    import os
    import subprocess
    import sys

    def run(value):
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.update(DJANGO_DEBUG="1", PORTAL_RATELIMITS=value)
        code = "import portal.settings as s; print(sorted(s.PORTAL_RATELIMITS.items()))"
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)

    result = run("search=120/m, questions-ask=5/h")
    assert result.stdout.strip() == "[('questions-ask', '5/h'), ('search', '120/m')]"
    result = run("search=120 per minute")
    assert result.returncode != 0
    assert "is not like 'search=60/m'" in result.stderr
