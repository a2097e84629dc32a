"""Feeds carry plain text as text: a summary's markup never becomes an element in a reader."""

import html
import xml.etree.ElementTree as ET

import pytest

from tests import factories
from tests.factories import make_document

pytestmark = pytest.mark.django_db

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>Giá <b>xăng</b> & "dầu" 5 < 6'


def descriptions(client, url):
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own output, well-formed XML
    return [item.findtext("description") for item in root.iter("item")]


@pytest.mark.parametrize("url", ["/rss/", "/rss/{slug}/"])
def test_summary_markup_is_text_in_every_feed(client, category, url):
    factories.article(category=category, summary=HOSTILE)
    (description,) = descriptions(client, url.format(slug=category.slug))
    # What a reader gets after XML decoding, and then renders as HTML:
    assert "<" not in description and ">" not in description
    assert "onerror" not in description and "alert" not in description
    assert html.unescape(description) == 'Giá xăng & "dầu" 5 < 6'


def test_plain_summaries_are_unchanged(client, category):
    factories.article(category=category, summary="Tin mới về bầu cử đại biểu Quốc hội.")
    assert descriptions(client, "/rss/") == ["Tin mới về bầu cử đại biểu Quốc hội."]


def test_document_summaries_are_text_in_the_documents_feed(client):
    make_document(summary=HOSTILE)
    (description,) = descriptions(client, "/van-ban/rss/")
    assert "<" not in description and "onerror" not in description
    assert html.unescape(description) == 'Giá xăng & "dầu" 5 < 6'
