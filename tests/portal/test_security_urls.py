"""No link, redirect or ``next`` built from the request leads off the site."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db

HOSTILE_PATHS = [
    "//evil.com/",
    "/%2F%2Fevil.com/",
    "//evil.com",
    "/%2F%2Fevil.com",
    "/%5C%5Cevil.com/",
    "/\\\\evil.com/",
    "/\\/evil.com/",
    "/%09/evil.com/",
    "/en//evil.com/",
    "/en/%2F%2Fevil.com/",
    "///evil.com/",
    "/https://evil.com/",
    "/tin-tuc//evil.com/",
]


CONFIGURED_HOSTS = {urlsplit(django_settings.PORTAL_NATIONAL_SERVICES_URL).netloc}


def links(html):
    return re.findall(r'(?:href|src|action)="([^"]*)"', html)


def stays_on_site(url, base="http://testserver/"):
    target = urlsplit(urljoin(base, url.replace("&amp;", "&")))
    return target.scheme in ("http", "https", "") and target.netloc == "testserver"


@pytest.mark.parametrize("path", HOSTILE_PATHS)
@pytest.mark.parametrize("accept_language", ["vi", "en"])
def test_hostile_paths_never_produce_an_off_site_link_or_redirect(client, path, accept_language):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code < 500
    if "Location" in response:
        assert stays_on_site(response["Location"]), response["Location"]
    html = response.content.decode()
    # The only links that leave the site are the portal's own, configured ones (public
    # services, other agencies), never anything taken from the request.
    off_site = [u for u in links(html) if not stays_on_site(u)]
    assert all(urlsplit(u).netloc in CONFIGURED_HOSTS for u in off_site), off_site
    assert "evil.com" not in "".join(links(html))


def test_the_404_page_links_to_each_language_home(client):
    html = client.get("//evil.com/").content.decode()
    assert 'hreflang="vi" href="/"' in html or 'href="/" lang="vi"' in html
    assert 'href="/en/" lang="en"' in html


def test_language_links_keep_the_page_and_its_query(client, article):
    html = client.get(f"/tin-tuc/{article.slug}/").content.decode()
    assert f'href="/en/tin-tuc/{article.slug}/" lang="en"' in html
    html = client.get("/en/tim-kiem/", {"q": "//evil.com/"}).content.decode()
    assert 'href="/tim-kiem/?q=%2F%2Fevil.com%2F" lang="vi"' in html  # a query, not a host


@pytest.mark.parametrize(
    "next_url",
    ["//evil.com/", "https://evil.com/", "/\\evil.com", "\\\\evil.com", "javascript:alert(1)"],
)
def test_admin_log_in_never_follows_an_off_site_next(client, make_user, next_url):
    user = make_user("next-test", superuser=True)
    user.set_password("Mat-khau-2021!")
    user.save()
    page = client.get("/admin/login/", {"next": next_url}).content.decode()
    off_site = [u for u in links(page) if not stays_on_site(u)]
    assert off_site == []
    response = client.post(
        f"/admin/login/?next={next_url}",
        {"username": "next-test", "password": "Mat-khau-2021!", "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_pagination_links_are_relative_queries(client, article):
    html = client.get("/tin-tuc/", {"page": "1", "x": "//evil.com/"}).content.decode()
    assert all(stays_on_site(u) or urlsplit(u).netloc in CONFIGURED_HOSTS for u in links(html))
