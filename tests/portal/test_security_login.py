"""Who the client is (direct and behind nginx), and the log-in lockout keyed on it."""

import pytest
from django.test import RequestFactory

from portal.ratelimit import client_ip
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-2021!"


def request_from(remote="127.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # Direct: X-Forwarded-For is whatever the client wrote, never read.
        (0, "203.0.113.5", None, "203.0.113.5"),
        (0, "203.0.113.5", "198.51.100.1", "203.0.113.5"),
        # nginx (1 proxy): the right-most entry is the address nginx saw.
        (1, "127.0.0.1", "203.0.113.5", "203.0.113.5"),
        (1, "127.0.0.1", "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # spoofed entry ignored
        (1, "127.0.0.1", "10.0.0.1,  2001:DB8::1", "2001:db8::1"),
        (1, "127.0.0.1", "203.0.113.5:5123", "203.0.113.5"),
        (1, "127.0.0.1", "[2001:db8::7]:443", "2001:db8::7"),
        # A load balancer in front of nginx (2 proxies): the second entry from the right.
        (2, "127.0.0.1", "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        # A shorter header than the set-up promises, or garbage: the connecting address.
        (2, "127.0.0.1", "203.0.113.5", "127.0.0.1"),
        (1, "127.0.0.1", "", "127.0.0.1"),
        (1, "127.0.0.1", "not-an-address", "127.0.0.1"),
        (0, "", None, "0.0.0.0"),  # noqa: S104 - an address, not a bind
    ],
)
def test_client_ip(settings, proxies, remote, forwarded, expected):
    settings.PORTAL_TRUSTED_PROXIES = proxies
    assert client_ip(request_from(remote, forwarded)) == expected


def test_axes_and_the_rate_limiter_use_the_same_function(settings):
    from axes.helpers import get_client_ip_address

    settings.PORTAL_TRUSTED_PROXIES = 1
    request = request_from("127.0.0.1", "6.6.6.6, 203.0.113.5")
    assert get_client_ip_address(request) == "203.0.113.5"


@pytest.fixture
def admin_user(make_user, settings):
    settings.ADMIN_REQUIRE_OTP = False
    user = make_user("quantri", superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def login(client, username, password, **extra):
    return client.post("/admin/login/", {"username": username, "password": password}, **extra)


def fail_until_locked(client, settings, username, **extra):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, username, "sai-mat-khau", **extra)
    response = login(client, username, PASSWORD, **extra)
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()


def test_behind_nginx_an_attacker_does_not_lock_out_the_administrator(client, settings, admin_user):
    settings.PORTAL_TRUSTED_PROXIES = 1
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    fail_until_locked(client, settings, admin_user.username, **attacker)
    # Forging the left part of X-Forwarded-For does not get the attacker out of the lockout...
    spoofed = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.66"}
    assert login(client, admin_user.username, PASSWORD, **spoofed).status_code == 429
    # ...nor lets them lock out the administrator's own address by naming it.
    framing = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.10, 198.51.100.66"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, admin_user.username, "sai-mat-khau", **framing)
    office = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    response = login(client, admin_user.username, PASSWORD, **office)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_behind_nginx_without_the_setting_everyone_shares_one_address(client, settings, admin_user):
    # The bug this setting fixes: with 0 trusted proxies, every client is 127.0.0.1.
    settings.PORTAL_TRUSTED_PROXIES = 0
    fail_until_locked(
        client,
        settings,
        admin_user.username,
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    office = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    assert login(client, admin_user.username, PASSWORD, **office).status_code == 429


def test_direct_the_lock_is_per_username_and_address(client, settings, admin_user, make_user):
    settings.PORTAL_TRUSTED_PROXIES = 0
    fail_until_locked(
        client,
        settings,
        admin_user.username,
        REMOTE_ADDR="198.51.100.66",
        HTTP_X_FORWARDED_FOR="203.0.113.10",  # a direct client cannot pose as another address
    )
    other = make_user("bientap")
    other.set_password(PASSWORD)
    other.save()
    # The same address may still log in as someone else, and the administrator from elsewhere.
    assert login(client, "bientap", PASSWORD, REMOTE_ADDR="198.51.100.66").status_code == 302
    client.logout()
    response = login(client, admin_user.username, PASSWORD, REMOTE_ADDR="203.0.113.10")
    assert response.status_code == 302


def test_one_address_trying_many_usernames_is_rate_limited(client, settings, admin_user):
    settings.PORTAL_RATELIMITS = {"admin-login": "8/h"}
    sprayer = {"REMOTE_ADDR": "198.51.100.66"}
    statuses = [login(client, f"user{i}", "sai", **sprayer).status_code for i in range(9)]
    assert statuses == [200] * 8 + [429]
    assert (
        login(client, admin_user.username, PASSWORD, REMOTE_ADDR="203.0.113.10").status_code == 302
    )


def current_code(device):
    device.refresh_from_db()
    return factories.totp_code(device)


@pytest.fixture
def otp_admin(admin_user, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.ADMIN_REQUIRE_OTP = True
    device = TOTPDevice.objects.create(user=admin_user, name="Điện thoại", confirmed=True)
    return admin_user, device


def otp_login(client, username, password, token, **params):
    data = {"username": username, "password": password, "otp_token": token, **params}
    return client.post("/admin/login/", data)


def wrong_code(device):
    device.refresh_from_db()
    return factories.wrong_totp_code(device)


def test_two_factor_page_is_vietnamese_and_asks_for_everything_at_once(client, otp_admin):
    html = client.get("/admin/login/").content.decode()
    for text in ("Tên đăng nhập:", "Mật khẩu:", "Mã xác thực:", "Đăng nhập"):
        assert text in html
    for english in ("OTP Device", "OTP Token", "Get OTP Challenge", "Log in", "Password"):
        assert english not in html
    assert 'autocomplete="one-time-code"' in html


def test_any_failed_log_in_looks_the_same_and_never_echoes_the_password(client, otp_admin):
    user, device = otp_admin
    inactive = type(user).objects.create_user("nghiviec", password=PASSWORD, is_staff=True)
    inactive.is_active = False
    inactive.save()
    attempts = {
        "wrong password": otp_login(client, user.username, "Sai-mat-khau-99", current_code(device)),
        "wrong code": otp_login(client, user.username, PASSWORD, wrong_code(device)),
        "missing code": otp_login(client, user.username, PASSWORD, ""),
        "unknown user": otp_login(client, "khongco", PASSWORD, "123456"),
        "inactive": otp_login(client, "nghiviec", PASSWORD, "123456"),
    }
    bodies = {}
    for name, response in attempts.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        assert PASSWORD not in html and "Sai-mat-khau-99" not in html, name
        assert "Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng" in html, name
        errors = response.context["form"].errors
        bodies[name] = {k: [str(e) for e in v] for k, v in errors.items() if k != "otp_token"}
    assert len({repr(sorted(b.items())) for b in bodies.values()}) == 1, bodies
    assert client.get("/admin/").status_code == 302


def test_a_wrong_code_counts_towards_the_lockout(client, settings, otp_admin):
    user, device = otp_admin
    for _ in range(settings.AXES_FAILURE_LIMIT):
        otp_login(client, user.username, PASSWORD, wrong_code(device))
    device.throttle_reset()
    response = otp_login(client, user.username, PASSWORD, current_code(device))
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("next_url", "landing"),
    [
        ("", "/admin/"),
        ("//evil.com/", "/admin/"),
        ("https://evil.com/admin/", "/admin/"),
        ("/%2F%2Fevil.com/", "/%2F%2Fevil.com/"),  # a path on this site (it 404s), not evil.com
        ("/admin/articles/article/", "/admin/articles/article/"),
    ],
)
def test_after_log_in_staff_land_on_the_admin_unless_next_is_safe(
    client, otp_admin, next_url, landing
):
    user, device = otp_admin
    response = otp_login(client, user.username, PASSWORD, current_code(device), next=next_url)
    assert response.status_code == 302
    assert response["Location"] == landing
    assert client.get("/admin/").status_code == 200


def test_password_only_log_in_when_two_factor_is_off(client, admin_user):
    html = client.get("/admin/login/").content.decode()
    assert "Mã xác thực" not in html
    response = login(client, admin_user.username, "sai")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    response = client.post(
        "/admin/login/?next=//evil.com/",
        {"username": admin_user.username, "password": PASSWORD, "next": "//evil.com/"},
    )
    assert response["Location"] == "/admin/"
