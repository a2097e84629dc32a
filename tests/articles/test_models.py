import unicodedata
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Category
from tests import factories

pytestmark = pytest.mark.django_db


def test_published_hides_drafts_reviews_future_and_expired(category):
    now = timezone.now()
    live = factories.article(category=category, title="Đang hiện")
    factories.article(category=category, published=False, title="Nháp")
    factories.article(
        category=category, published=False, status=Article.Status.REVIEW, title="Chờ duyệt"
    )
    factories.article(category=category, title="Hẹn giờ", publish_at=now + timedelta(hours=1))
    factories.article(
        category=category,
        title="Đã gỡ",
        publish_at=now - timedelta(days=2),
        unpublish_at=now - timedelta(minutes=1),
    )
    assert list(Article.objects.published()) == [live]


def test_scheduled_article_appears_when_its_time_comes(category):
    now = timezone.now()
    scheduled = factories.article(category=category, publish_at=now + timedelta(hours=1))
    assert scheduled not in Article.objects.published(now=now)
    assert scheduled in Article.objects.published(now=now + timedelta(hours=2))


def test_article_disappears_at_unpublish_time(category):
    now = timezone.now()
    article = factories.article(
        category=category, publish_at=now - timedelta(days=1), unpublish_at=now + timedelta(hours=1)
    )
    assert article in Article.objects.published(now=now)
    assert article not in Article.objects.published(now=now + timedelta(hours=2))


def test_publishing_without_a_date_means_now(category):
    article = factories.article(category=category, published=False)
    article.status = Article.Status.PUBLISHED
    article.save()
    assert article.publish_at is not None
    assert article.publish_at <= timezone.now()


def test_slug_is_vietnamese_aware_and_unique(category):
    first = factories.article(category=category, title="Điểm cầu Đồng Văn")
    second = factories.article(category=category, title="Điểm cầu Đồng Văn")
    assert first.slug == "diem-cau-dong-van"
    assert second.slug == "diem-cau-dong-van-2"


def test_text_is_stored_in_nfc(category):
    title = unicodedata.normalize("NFD", "Bầu cử đại biểu Quốc hội")
    article = factories.article(category=category, title=title)
    article.refresh_from_db()
    assert article.title == unicodedata.normalize("NFC", title)
    assert unicodedata.is_normalized("NFC", article.title)


def test_search_text_is_folded(category):
    article = factories.article(
        category=category, title="Hội nghị", summary="Tổng kết", body="<p>Bầu <b>cử</b> ĐBQH</p>"
    )
    assert article.search_text == " hoi nghi tong ket bau cu dbqh "
    assert article.search_title == " hoi nghi "


def test_unpublish_must_follow_publish(category):
    now = timezone.now()
    article = Article(
        title="x",
        summary="y",
        category=category,
        publish_at=now,
        unpublish_at=now - timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "unpublish_at" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=factories.article(category=category).pk).update(
            unpublish_at=timezone.now() - timedelta(days=400)
        )


def test_category_two_levels_only():
    top = Category.objects.create(name="Tin tức - Sự kiện")
    child = Category.objects.create(name="Bầu cử", parent=top)
    grandchild = Category(name="Kết quả", parent=child)
    with pytest.raises(ValidationError) as error:
        grandchild.full_clean()
    assert "parent" in error.value.message_dict


def test_str_and_urls(article):
    assert str(article) == article.title
    assert article.get_absolute_url() == f"/tin-tuc/{article.slug}/"
    assert article.category.get_absolute_url() == f"/chuyen-muc/{article.category.slug}/"


def test_latest_per_category_in_two_bounded_queries(django_assert_num_queries):
    first, second = factories.category("Một"), factories.category("Hai")
    factories.category("Trống")
    for _ in range(6):
        factories.article(category=first)
        factories.article(category=second)
    from django.db import connection

    # Two queries on both databases: the categories (on PostgreSQL each with an array of its
    # newest ids, from one bounded subquery), then the rows.
    with django_assert_num_queries(2) as ctx:
        rows = list(Article.objects.published().latest_per_category(4))
    assert len(rows) == 8
    assert {r.category_id for r in rows} == {first.pk, second.pk}
    if connection.vendor == "postgresql":
        first_sql = ctx.captured_queries[0]["sql"]
        assert "ARRAY(" in first_sql and first_sql.count("LIMIT 4") == 1
    else:
        assert ctx.captured_queries[1]["sql"].count("LIMIT 4") == 3  # one bounded read each


def test_latest_per_category_matches_sorting_everything(category):
    now = timezone.now()
    other = factories.category("Khác")
    for i in range(7):
        factories.article(category=category, publish_at=now - timedelta(hours=i))
        factories.article(category=other, publish_at=now - timedelta(hours=i, minutes=30))
    factories.article(category=category, publish_at=now + timedelta(hours=1))  # scheduled
    factories.article(category=category, published=False)
    featured = factories.article(category=other, publish_at=now, is_featured=True)
    live = Article.objects.published().exclude(pk=featured.pk)
    rows = list(live.latest_per_category(3))
    expected = []
    for cat in (category, other):
        expected += list(live.filter(category=cat).order_by("-publish_at", "-id")[:3])
    assert sorted(r.pk for r in rows) == sorted(a.pk for a in expected)
    assert all(1 <= r.rank <= 3 for r in rows)


def test_publish_and_unpublish_boundaries(category):
    now = timezone.now()
    due = factories.article(category=category, publish_at=now)
    ends = factories.article(
        category=category, publish_at=now - timedelta(days=1), unpublish_at=now
    )
    live = Article.objects.published(now=now)
    assert due in live  # publish_at exactly now: shown
    assert ends not in live  # unpublish_at exactly now: gone
    assert due.is_live


def test_slug_race_retries_instead_of_failing(category, monkeypatch):
    """Another editor saved the same title between the slug check and the INSERT."""
    import portal.text

    winner = factories.article(category=category, title="Hội nghị trực tuyến")
    real = portal.text.unique_slug
    calls = []

    def stale_check(model, value, **kwargs):
        calls.append(value)
        return winner.slug if len(calls) == 1 else real(model, value, **kwargs)

    monkeypatch.setattr(portal.text, "unique_slug", stale_check)
    loser = factories.article(category=category, title="Hội nghị trực tuyến")
    assert loser.slug == "hoi-nghi-truc-tuyen-2"
    assert len(calls) == 2


def test_explicit_duplicate_slug_still_fails(category):
    factories.article(category=category, slug="trung-lap")
    with pytest.raises(IntegrityError):
        factories.article(category=category, slug="trung-lap")


def test_slug_urls_match_reverse_in_every_language(article):
    from django.urls import reverse
    from django.utils import translation

    for language in ("vi", "en"):
        with translation.override(language):
            assert article.get_absolute_url() == reverse(
                "articles:detail", kwargs={"slug": article.slug}
            )
            assert article.category.get_absolute_url() == reverse(
                "articles:category", kwargs={"slug": article.category.slug}
            )
    with translation.override("en"):
        assert article.get_absolute_url().startswith("/en/tin-tuc/")
