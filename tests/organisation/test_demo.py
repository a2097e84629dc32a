"""The three sections' demo content: present, marked demo, visible and idempotent."""

import pytest
from django.core import mail
from django.core.management import call_command

from organisation.models import AgencyLink, IntroPage, Official, SiteContact, Unit
from questions.models import Question
from schedule.models import Entry

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", *fields))
        for model, fields in [
            (IntroPage, ("updated_at", "body_vi")),
            (Unit, ("updated_at",)),
            (Official, ("position_vi",)),
            (SiteContact, ("updated_at",)),
            (AgencyLink, ("name_vi",)),
            (Question, ("updated_at", "status")),
            (Entry, ("updated_at", "sequence")),
        ]
    } | {
        "history": [
            model.history.count()
            for model in (Question, Entry, IntroPage, Unit, Official, SiteContact, AgencyLink)
        ]
    }


def test_demo_sections_are_loaded_marked_and_idempotent(settings, client):
    settings.DEBUG = True
    call_command("load_demo", "--no-accounts")
    first = snapshot()
    call_command("load_demo", "--no-accounts")
    assert snapshot() == first
    for model in (IntroPage, Unit, Official, SiteContact, Question, Entry):
        assert model.objects.exists() and not model.objects.filter(is_demo=False).exists()
    assert len(mail.outbox) == 0  # demo askers are never emailed
    pages = {
        "/gioi-thieu/": "Giới thiệu chung",
        "/co-cau-to-chuc/": "Sở Nội vụ",
        "/lien-he/": "1900 0000",
        "/hoi-dap/": "Nộp hồ sơ trực tuyến",
        "/lich-cong-tac/": "Giao ban lãnh đạo",
        "/": 'id="home-schedule"',  # "this week" or, at the weekend, "coming up"
        "/en/co-cau-to-chuc/": "Department of Home Affairs",
    }
    for url, text in pages.items():
        html = client.get(url).content.decode()
        assert text in html, url
        assert "minh họa" in html or "demo" in html, url
    assert "Đang xử lý" in client.get("/hoi-dap/tra-cuu/?ma=DEMQ4C9N6S").content.decode()
