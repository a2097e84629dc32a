"""Search: phrase matching of folded syllables, document numbers, ranking, the index."""

import unicodedata
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests import factories

pytestmark = pytest.mark.django_db


def titles(query):
    return [a.title for a in Article.objects.published().search(query)]


@pytest.fixture
def archive(category):
    now = timezone.now()
    factories.article(
        category=category, title="Bầu cử đại biểu Quốc hội", publish_at=now - timedelta(days=3)
    )
    factories.article(
        category=category,
        title="Hội nghị tổng kết",
        body="<p>Tổng kết công tác <b>bầu cử</b> năm 2021.</p>",
        publish_at=now - timedelta(days=1),
    )
    factories.article(category=category, title="Cuộc họp giao ban", publish_at=now)
    factories.article(
        category=category,
        title="Học tập chỉ thị",
        body="<p>Triển khai Chỉ thị số 45-CT/TW của Ban Bí thư.</p>",
        publish_at=now - timedelta(days=2),
    )
    factories.article(
        category=category,
        title="Văn bản viết liền",
        summary="Theo 45CT/TW, các cấp ủy...",
        publish_at=now - timedelta(days=4),
    )


def test_syllables_match_as_a_phrase_ignoring_accents_case_and_form(archive):
    expected = ["Bầu cử đại biểu Quốc hội", "Hội nghị tổng kết"]  # title match first
    assert titles("bau cu") == expected
    assert titles("BẦU CỬ") == expected
    assert titles(unicodedata.normalize("NFD", "bầu cử")) == expected
    assert titles("  bầu,   cử! ") == expected


def test_a_syllable_never_matches_inside_another_or_out_of_order(archive):
    assert titles("cu") == ["Bầu cử đại biểu Quốc hội", "Hội nghị tổng kết"]  # not "cuộc"
    assert titles("cuoc hop") == ["Cuộc họp giao ban"]
    assert titles("cu bau") == []
    assert titles("bau dai") == []  # both words present, not as a phrase
    assert titles("!!!") == []


def test_document_numbers_in_any_usual_spelling(archive):
    both = {"Học tập chỉ thị", "Văn bản viết liền"}
    for query in ["45-CT/TW", "45/CT-TW", "45 CT TW", "45ct/tw", "45 ct-tw", "45CTTW"]:
        assert set(titles(query)) == both, query


def test_newest_first_among_equal_relevance(category):
    now = timezone.now()
    for days in (5, 1, 3):
        factories.article(
            category=category,
            title=f"Tin {days} ngày trước",
            body="<p>Ứng cử viên bầu cử.</p>",
            publish_at=now - timedelta(days=days),
        )
    assert titles("ung cu vien") == [
        "Tin 1 ngày trước",
        "Tin 3 ngày trước",
        "Tin 5 ngày trước",
    ]


def test_search_uses_the_full_text_index_on_postgresql_and_like_elsewhere(archive):
    queryset = Article.objects.search("bau cu")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A tiny table is cheaper to scan: take that choice away to see what serves it.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            sql, params = queryset.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "article_search_vector_idx" in plan
        assert "phraseto_tsquery" in sql
    else:
        sql = str(queryset.query)
        assert "LIKE" in sql and "% bau cu %" in sql


def test_search_page_shows_the_phrase_results(client, archive, django_assert_num_queries):
    html = client.get("/tim-kiem/?q=bau+cu").content.decode()
    assert "Có 2 kết quả cho “bau cu”." in html
    assert "Cuộc họp giao ban" not in html


@pytest.fixture
def mixed_archive(category):
    """Matches in titles and in bodies interleaved in time, non-matches between them."""
    now = timezone.now()
    for n in range(30):
        in_title = n % 3 == 0
        factories.article(
            category=category,
            title=f"Bầu cử đợt {n}" if in_title else f"Tin số {n}",
            body="<p>Ngày hội bầu cử của toàn dân.</p>" if n % 5 else "<p>Giao ban.</p>",
            publish_at=now - timedelta(hours=n),
        )


@pytest.mark.parametrize("counted_up_to", [1000, 5])  # every match known / more than counted
def test_search_pages_read_the_same_rows_as_one_ranked_query(mixed_archive, counted_up_to):
    """Title matches first, newest first within each: page by page, whether counting found
    every match (the page is read among their ids) or stopped first (read by date)."""
    ranked = [a.pk for a in Article.objects.published().search("bau cu")]
    assert len(ranked) > 20
    pages = Article.objects.published().search_pages("bau cu")
    counted = pages.count_up_to(counted_up_to)
    assert counted == min(len(ranked), counted_up_to)
    assert (pages.known_ids is None) == (counted_up_to <= len(ranked))
    read = []
    for start in range(0, len(ranked) + 7, 7):
        read += [a.pk for a in pages[start : start + 7]]
    assert read == ranked
    assert [a.pk for a in pages[3:3]] == []


def test_search_page_runs_the_same_queries_for_few_and_many_matches(client, category):
    now = timezone.now()
    factories.article(category=category, title="Bầu cử", publish_at=now)
    cache.clear()  # both requests start cold: menus and flags kept per generation recomputed
    with CaptureQueriesContext(connection) as few:
        assert client.get("/tim-kiem/?q=bau+cu").status_code == 200
    for n in range(40):
        factories.article(
            category=category,
            title=f"Tin {n}" if n % 2 else f"Bầu cử {n}",
            body="<p>Bầu cử.</p>",
            publish_at=now - timedelta(hours=n + 1),
        )
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get("/tim-kiem/?q=bau+cu&page=2").status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)


def test_title_matches_are_read_through_their_own_index_on_postgresql(mixed_archive):
    pages = Article.objects.published().search_pages("bau cu dot 27")  # one title of 30
    titled = pages.base.filter(pages.prefer)
    assert [a.title for a in titled] == ["Bầu cử đợt 27"]
    # The title condition alone: its expression must be the index's for the index to serve it.
    sql, params = Article.objects.filter(pages.prefer).values("pk").query.sql_with_params()
    if connection.vendor != "postgresql":
        assert "search_title" in sql and "LIKE" in sql  # SQLite: the same words with LIKE
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "article_search_title_idx" in plan
