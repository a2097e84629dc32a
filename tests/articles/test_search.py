"""Search: phrase matching of folded syllables, document numbers, ranking, the index."""

import unicodedata
from datetime import timedelta

import pytest
from django.db import connection
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
