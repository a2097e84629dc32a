import io

import pytest
from django.core.management import call_command

from articles.demo import SEED_SLUG
from awards import demo as awards_demo
from documents import demo
from documents.models import Document, DocumentFile, DocumentRelation, Draft, DraftComment
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_loads_idempotently_with_its_links(client):
    article = factories.article(slug=SEED_SLUG, status="published")
    awards_demo.load()
    demo.load(stdout=io.StringIO())
    snapshot = (
        Document.objects.count(),
        DocumentFile.objects.count(),
        DraftComment.objects.count(),
        Document.history.count(),
        DocumentRelation.objects.count(),
    )
    demo.load(stdout=io.StringIO())
    assert snapshot == (
        Document.objects.count(),
        DocumentFile.objects.count(),
        DraftComment.objects.count(),
        Document.history.count(),
        DocumentRelation.objects.count(),
    )
    assert not Document.objects.filter(is_demo=False).exists()

    decree = Document.objects.get(number="42/2022/NĐ-CP")
    assert (decree.issued_on.isoformat(), decree.effective_on.isoformat()) == (
        "2022-06-24",
        "2022-08-15",
    )
    old = Document.objects.get(number="43/2011/NĐ-CP")
    assert DocumentRelation.objects.filter(source=decree, target=old, kind="replaces").exists()
    assert old.effective_status() == Document.Status.EXPIRED
    directive = Document.objects.get(number="45-CT/TW")
    assert directive.issued_on.isoformat() == "2020-06-20"
    assert list(directive.articles.all()) == [article]
    assert directive.award_decisions.count() == 2  # the decided ones; a proposal is no award
    assert Document.objects.filter(number="85/2015/QH13").exists()

    draft = Draft.objects.get(slug=demo.DRAFT_SLUG)
    assert draft.is_open()
    assert draft.comments.filter(status="published").count() == 3
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "example.invalid" not in html and "Đề nghị quy định rõ thời hạn" in html
    for item in DocumentFile.objects.all():
        assert item.kind == "pdf" and item.is_demo
        with item.file.open("rb") as fh:
            data = fh.read()
        assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert "45-CT/TW" in client.get(directive.get_absolute_url()).content.decode()


def test_load_demo_command_includes_documents(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", "--no-accounts", stdout=out)
    assert "Văn bản: 10 văn bản minh họa, 2 dự thảo, 5 góp ý." in out.getvalue()
