"""Admin CSP only relaxed where the editor is, Permissions-Policy, staff sessions, axes admin."""

import datetime
import os
import subprocess
import sys
from unittest import mock

import pytest
from axes.models import AccessAttempt, AccessLog
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, make_user):
    client.force_login(make_user("csp", superuser=True))
    return client


def script_src(response):
    policy = response["Content-Security-Policy"]
    return next(p.strip() for p in policy.split(";") if p.strip().startswith("script-src"))


def test_inline_script_only_on_pages_whose_form_carries_the_editor(superuser_client, article):
    client = superuser_client
    with_editor = [
        "/admin/articles/article/add/",
        f"/admin/articles/article/{article.pk}/change/",
    ]
    without_editor = [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/category/add/",
        f"/admin/articles/category/{article.category_id}/change/",
        "/admin/auth/user/add/",
        "/admin/articles/image/add/",
        "/admin/elections/election/add/",
        f"/admin/articles/article/{article.pk}/delete/",
        f"/admin/articles/article/{article.pk}/history/",
    ]
    for url in with_editor:
        response = client.get(url)
        assert response.status_code == 200, url
        assert script_src(response) == "script-src 'self' 'unsafe-inline'", url
    for url in without_editor:
        response = client.get(url)
        assert response.status_code == 200, url
        assert script_src(response) == "script-src 'self'", url


def test_a_rejected_save_of_an_editor_page_keeps_the_editor_working(superuser_client):
    response = superuser_client.post("/admin/articles/article/add/", {"title": ""})
    assert response.status_code == 200  # the form comes back with errors
    assert script_src(response) == "script-src 'self' 'unsafe-inline'"


@pytest.mark.parametrize("url", ["/", "/tim-kiem/?q=a", "/en/", "/admin/login/", "/rss/"])
def test_permissions_policy_switches_unused_features_off(client, url):
    policy = client.get(url)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in policy
    assert "unsafe-inline" not in client.get("/")["Content-Security-Policy"]


def test_staff_sessions_end_at_browser_close_and_after_a_working_day(client, settings):
    user = factories.user("phien", staff=True, superuser=True)
    user.set_password("Mat-khau-2021!")
    user.save()
    client.post("/admin/login/", {"username": "phien", "password": "Mat-khau-2021!"})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()
    assert settings.SESSION_COOKIE_AGE == 9 * 3600
    assert client.get("/admin/").status_code == 200
    # A working day later the server no longer knows the session, whatever the browser keeps.
    later = timezone.now() + datetime.timedelta(hours=9, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def settings_value(name, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(DJANGO_DEBUG="1", **env)
    code = f"import portal.settings as s; print(s.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_session_lifetime_is_configurable():
    assert settings_value("SESSION_COOKIE_AGE", DJANGO_SESSION_HOURS="4") == str(4 * 3600)
    assert (
        settings_value(
            "SESSION_EXPIRE_AT_BROWSER_CLOSE", DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE="0"
        )
        == "False"
    )
    assert settings_value("PORTAL_TRUSTED_PROXIES", PORTAL_TRUSTED_PROXIES="1") == "1"


@pytest.fixture
def attempt():
    return AccessAttempt.objects.create(
        username="quantri",
        ip_address="198.51.100.66",
        user_agent="curl",
        http_accept="*/*",
        path_info="/admin/login/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )


def test_axes_records_are_read_only_in_the_admin(superuser_client, attempt):
    client = superuser_client
    AccessLog.objects.create(
        username="quantri", ip_address="198.51.100.66", user_agent="curl", path_info="/"
    )
    for model in ("accessattempt", "accesslog", "accessfailurelog"):
        assert client.get(f"/admin/axes/{model}/").status_code == 200
        assert client.get(f"/admin/axes/{model}/add/").status_code == 403
    page = client.get(f"/admin/axes/accessattempt/{attempt.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert (
        client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    response = client.post(
        f"/admin/axes/accessattempt/{attempt.pk}/change/", {"username": "someone-else"}
    )
    assert response.status_code == 403
    bulk = client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    attempt.refresh_from_db()
    assert attempt.username == "quantri"
    assert AccessAttempt.objects.count() == 1


def test_axes_admin_permission_ladder(client, make_user, attempt):
    url = "/admin/axes/accessattempt/"
    assert client.get(url).status_code == 302  # anonymous: to the log-in page
    client.force_login(make_user("bientap", groups=["Biên tập viên"]))
    assert client.get(url).status_code == 403
    client.force_login(make_user("kiemtra", superuser=True))
    assert client.get(url).status_code == 200


def test_failed_attempts_never_store_the_code_typed(client, settings, make_user):
    settings.ADMIN_REQUIRE_OTP = True
    client.post("/admin/login/", {"username": "khongco", "password": "x", "otp_token": "424242"})
    attempt = AccessAttempt.objects.get(username="khongco")
    assert "424242" not in attempt.post_data
