"""The demo loader: the seed's facts, illustrative rows marked, idempotent."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from articles.demo import SEED_SLUG
from elections import demo, services
from elections.models import (
    Body,
    Candidate,
    Election,
    ElectoralUnit,
    Membership,
    PollingArea,
    TurnoutSummary,
    UnitResult,
)
from tests import factories

pytestmark = pytest.mark.django_db

MODELS = [Election, Body, Membership, ElectoralUnit, Candidate, UnitResult, TurnoutSummary]


def counts():
    totals = {model.__name__: model.objects.count() for model in MODELS}
    for model in (Candidate, UnitResult, TurnoutSummary, ElectoralUnit):
        totals[f"history-{model.__name__}"] = model.history.count()
    return totals


def test_demo_loads_the_seed_facts_once(client):
    seed = factories.article(slug=SEED_SLUG, title="Hội nghị tổng kết")
    election = demo.load()
    before = counts()
    demo.load()
    assert counts() == before

    assert election.election_day.isoformat() == "2021-05-23"
    assert "45-CT/TW" in election.directive
    assert list(election.articles.all()) == [seed]
    assert {c.get_kind_display() for c in election.contests.all()} >= {
        "Đại biểu Quốc hội",
        "Đại biểu HĐND tỉnh",
    }
    summary = TurnoutSummary.objects.get(election=election)
    assert (summary.percentage, summary.areas_full, summary.areas_total) == (
        Decimal("99.47"),
        604,
        777,
    )
    # No invented per-area numbers: the official summary stays the turnout.
    assert not PollingArea.objects.exists()
    assert services.election_turnout(election=election).source == "summary"

    head = Membership.objects.get(body__type=Body.Type.STEERING_BOARD, role="truong-ban")
    assert head.person.full_name == "Lê Thị Thủy"
    assert head.titles_display == (
        "Ủy viên Trung ương Đảng - Bí thư Tỉnh ủy - Trưởng đoàn ĐBQH tỉnh Hà Nam khóa XIV - "
        "Trưởng Ban Chỉ đạo bầu cử tỉnh"
    )
    chair = Membership.objects.get(body__type=Body.Type.COMMITTEE, role="chu-tich")
    assert chair.person.full_name == "Trương Quốc Huy"
    assert Membership.objects.filter(person__full_name="Đinh Thị Lụa").exists()
    assert all(c.is_demo and "minh họa" in c.full_name for c in Candidate.objects.all())
    assert all(u.is_demo and "minh họa" in u.area_description for u in ElectoralUnit.objects.all())

    html = client.get(election.get_absolute_url()).content.decode()
    assert "99,47%" in html and "604/777" in html
    assert seed.title in html
    # Made-up units are labelled wherever they appear, also beside the real turnout figure.
    assert "Đơn vị bầu cử số 1 – Đại biểu HĐND tỉnh (minh họa)" in html


def test_demo_account_role_exists():
    for _username, groups, _superuser, _name in demo.DEMO_ACCOUNTS:
        for group in groups:
            assert Group.objects.filter(name=group).exists()


def test_load_demo_command_twice_changes_no_election_row():
    import io

    from django.core.management import call_command

    def dump():
        out = io.StringIO()
        call_command("dumpdata", "elections", stdout=out)
        return out.getvalue()

    call_command("load_demo", "--no-accounts", "--allow-production", stdout=io.StringIO())
    first = dump()
    call_command("load_demo", "--no-accounts", "--allow-production", stdout=io.StringIO())
    assert dump() == first
    election = Election.objects.get(slug=demo.ELECTION_SLUG)
    assert election.articles.filter(slug=SEED_SLUG).exists()
