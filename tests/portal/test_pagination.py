import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from portal import pagination
from portal.pagination import paginate
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def thirty(category):
    for i in range(30):
        factories.article(category=category, title=f"Bài {i}")
    return Article.objects.published()


def test_count_stops_at_the_cap_and_next_page_still_works(rf, thirty, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 20)
    with CaptureQueriesContext(connection) as ctx:
        page = paginate(rf.get("/tin-tuc/"), thirty, per_page=12)
    assert page.paginator.capped
    assert page.paginator.count == 24  # 25 rows read, not 30
    assert page.has_next()
    assert "LIMIT 25" in ctx.captured_queries[0]["sql"]


def test_a_later_page_counts_far_enough_to_exist(rf, thirty, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 20)
    page = paginate(rf.get("/tin-tuc/?page=3"), thirty, per_page=12)
    assert not page.paginator.capped
    assert page.number == 3 and page.paginator.num_pages == 3
    assert len(page.object_list) == 6


def test_small_lists_count_exactly(rf, thirty):
    page = paginate(rf.get("/tin-tuc/?page=abc"), thirty, per_page=12)
    assert not page.paginator.capped
    assert page.paginator.count == 30
    assert page.number == 1


def test_capped_search_says_more_than(client, thirty, monkeypatch):
    from articles import views

    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 20)
    html = client.get("/tim-kiem/?q=bai").content.decode()
    assert "Có hơn 24 kết quả cho “bai”." in html
    assert "Trang 1</span>" in html
    html = client.get("/en/tim-kiem/?q=bai").content.decode()
    assert "More than 24 results for “bai”." in html
