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
