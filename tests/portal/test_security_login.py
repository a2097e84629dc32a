"""Who the client is (direct and behind nginx), and the log-in lockout keyed on it."""

import pytest
from django.test import RequestFactory

from portal.ratelimit import client_ip

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
