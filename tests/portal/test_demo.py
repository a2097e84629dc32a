import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.demo import SEED_SLUG
from articles.models import Article, ArticlePhoto, Category, Image

pytestmark = pytest.mark.django_db


def snapshot():
    User = get_user_model()
    return {
        "articles": list(Article.objects.order_by("pk").values_list("pk", "updated_at", "body")),
        "categories": Category.objects.count(),
        "images": Image.objects.count(),
        "photos": list(ArticlePhoto.objects.order_by("pk").values_list("pk", "caption")),
        "users": list(User.objects.order_by("pk").values_list("pk", "password")),
    }


def test_load_demo_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first
    out = capsys.readouterr().out
    assert "bientap" in out and "bientap-demo-2021" in out


def test_seed_article_content(settings):
    settings.DEBUG = True
    call_command("load_demo", "--no-accounts")
    seed = Article.objects.get(slug=SEED_SLUG)
    assert seed.is_live and seed.is_demo and seed.is_featured
    assert seed.category.slug == "bau-cu"
    for fact in ["99,47%", "604", "777", "Lê Thị Thủy", "Trương Quốc Huy", "20 tập thể"]:
        assert fact in seed.body or fact in seed.summary, fact
    captions = list(seed.photos.values_list("caption", flat=True))
    assert captions[0] == "Đại biểu dự hội nghị tại điểm cầu UBND tỉnh"
    assert len(captions) == 3
    assert all(not p.alt.lower().endswith(".jpg") for p in seed.photos.all())


def test_load_demo_refuses_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")


def test_demo_links_articles_elections_and_awards(settings, client):
    from awards.models import Decision
    from elections.demo import ELECTION_SLUG
    from elections.models import Election

    settings.DEBUG = True
    call_command("load_demo", "--no-accounts")
    election = Election.objects.get(slug=ELECTION_SLUG)
    seed = Article.objects.get(slug=SEED_SLUG)
    decisions = Decision.objects.filter(is_demo=True)
    assert decisions.count() == 3
    assert set(decisions.values_list("election", flat=True)) == {election.pk}
    assert set(decisions.values_list("article", flat=True)) == {seed.pk}
    assert seed in election.articles.all()
    html = client.get(election.get_absolute_url()).content.decode()
    for decision in decisions:
        assert decision.get_absolute_url() in html
    assert (
        election.get_absolute_url() in client.get(decisions[0].get_absolute_url()).content.decode()
    )


def test_demo_records_are_coherent(settings, client):
    """Slugs say what titles say; decisions sit under the authority their title names; the
    deliberately short list says on the page that it is demo data."""
    from awards.models import Decision

    settings.DEBUG = True
    call_command("load_demo", "--no-accounts")
    article = Article.objects.get(title__contains="6 tháng cuối năm")
    assert article.slug.endswith("6-thang-cuoi-nam")
    for decision in Decision.objects.filter(is_demo=True, title__contains="Chủ tịch UBND tỉnh"):
        assert decision.authority.name == "Chủ tịch Ủy ban nhân dân tỉnh"
    short = [
        d
        for d in Decision.objects.filter(is_demo=True).with_recorded_counts()
        if (d.recorded_collectives, d.recorded_individuals)
        != (d.declared_collectives, d.declared_individuals)
    ]
    assert short, "the demo keeps one list short to show the reconciliation"
    for decision in short:
        html = client.get(f"/khen-thuong/{decision.slug}/").content.decode()
        assert "Đây là dữ liệu minh họa: danh sách được cố ý để thiếu" in html


def test_demo_fixes_an_article_loaded_with_the_old_slug(settings):
    from articles.demo import RENAMED_SLUGS

    settings.DEBUG = True
    call_command("load_demo", "--no-accounts")
    old, new = next(iter(RENAMED_SLUGS.items()))
    Article.objects.filter(slug=new).update(slug=old)
    call_command("load_demo", "--no-accounts")
    assert Article.objects.filter(slug=new).count() == 1
    assert not Article.objects.filter(slug=old).exists()


def test_decision_slug_keeps_the_parts_of_its_number():
    from awards.models import Decision
    from tests.factories import make_decision

    decision = make_decision(number="15/QĐ-UBND", title="Về việc khen thưởng")
    assert decision.slug == "15-qd-ubnd-ve-viec-khen-thuong"
    assert Decision.objects.get(slug="15-qd-ubnd-ve-viec-khen-thuong") == decision
