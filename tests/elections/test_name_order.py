"""Vietnamese name order in admin lists, and counts printed the Vietnamese way."""

import pytest
from django.urls import reverse

from awards.models import Recipient
from elections.models import Candidate, Person
from elections.roles import ELECTION_STAFF
from tests import factories as h
from tests.factories import make_decision

pytestmark = pytest.mark.django_db

NAMES = ["Lê Thị Thủy", "Trương Quốc Huy", "Đinh Thị Lụa"]
VIETNAMESE_ORDER = ["Trương Quốc Huy", "Đinh Thị Lụa", "Lê Thị Thủy"]


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user("baucu", groups=[ELECTION_STAFF]))
    return client


def _names(response):
    return [str(row) for row in response.context["cl"].result_list]


def test_people_list_is_in_vietnamese_name_order_by_default_and_by_the_name_column(staff_client):
    for name in NAMES:
        Person.objects.create(full_name=name)
    url = reverse("admin:elections_person_changelist")
    assert _names(staff_client.get(url)) == VIETNAMESE_ORDER
    assert _names(staff_client.get(url, {"o": "1"})) == VIETNAMESE_ORDER
    assert _names(staff_client.get(url, {"o": "-1"})) == VIETNAMESE_ORDER[::-1]


def test_candidates_sort_by_vietnamese_name_order(staff_client):
    unit = h.unit()
    for name in NAMES:
        h.candidate(unit, 10, name=name)
    url = reverse("admin:elections_candidate_changelist")
    assert _names(staff_client.get(url, {"o": "1"})) == VIETNAMESE_ORDER
    assert [c.full_name for c in Candidate.objects.all()] == VIETNAMESE_ORDER


def test_recipients_name_column_sorts_in_vietnamese_name_order(client, make_user):
    decision = make_decision()
    for i, name in enumerate(NAMES):
        Recipient.objects.create(decision=decision, kind="individual", name=name, order=i)
    client.force_login(make_user("canbo", groups=["Cán bộ thi đua khen thưởng"]))
    response = client.get(reverse("admin:awards_recipient_changelist"), {"o": "1"})
    assert _names(response) == VIETNAMESE_ORDER


def test_sort_key_migration_fills_existing_rows():
    from importlib import import_module

    from django.apps import apps

    person = Person.objects.create(full_name="Đinh Thị Lụa")
    Person.objects.filter(pk=person.pk).update(sort_key="")
    migration = import_module("elections.migrations.0004_person_candidate_sort_key")
    migration.fill_sort_keys(apps, None)
    person.refresh_from_db()
    from portal.text import name_sort_key

    assert person.sort_key == name_sort_key("Đinh Thị Lụa") != ""


def test_admin_prints_counts_with_vietnamese_grouping(staff_client):
    unit = h.unit(seats=1)
    h.result(unit, valid=1980, registered=2500, voted=2000, invalid=20)
    html = staff_client.get(reverse("admin:elections_unitresult_changelist")).content.decode()
    assert "1.980" in html and "2.500" in html
    assert ">1980<" not in html


def test_admin_outcome_of_a_unit_prints_counts_with_vietnamese_grouping(staff_client):
    unit = h.unit(seats=1)
    h.candidate(unit, 1500, name="Nguyễn Văn An")
    h.result(unit, valid=1980, registered=2500, voted=2000, invalid=20)
    url = reverse("admin:elections_electoralunit_change", args=[unit.pk])
    html = staff_client.get(url).content.decode()
    assert "1.500" in html and "1.980" in html
    assert ">1500<" not in html and ": 1980<" not in html
