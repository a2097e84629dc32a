import io

import pytest
from django.contrib.auth.models import Group

from articles.demo import SEED_SLUG
from awards import demo
from awards.models import Decision, Recipient
from awards.services import decision_reconcile
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_loads_the_three_batches_idempotently():
    article = factories.article(slug=SEED_SLUG)
    out = io.StringIO()
    demo.load(stdout=out)
    snapshot = (
        Decision.objects.count(),
        Recipient.objects.count(),
        Decision.history.count(),
        Recipient.history.count(),
    )
    demo.load(stdout=out)
    assert snapshot == (
        Decision.objects.count(),
        Recipient.objects.count(),
        Decision.history.count(),
        Recipient.history.count(),
    )
    assert "(0 mới)" in out.getvalue()

    decisions = {d.authority.slug: d for d in Decision.objects.with_recorded_counts()}
    party = decisions["ban-thuong-vu-tinh-uy"]
    state = decisions["chu-tich-ubnd-tinh"]
    pm = decisions["thu-tuong-chinh-phu"]
    assert (party.recorded_collectives, party.recorded_individuals) == (20, 12)
    assert decision_reconcile(decision=party).matches
    assert (state.declared_collectives, state.declared_individuals) == (53, 71)
    assert not decision_reconcile(decision=state).matches  # left short on purpose
    assert pm.is_proposal and (pm.recorded_collectives, pm.recorded_individuals) == (3, 3)
    assert all(d.is_demo and d.article == article for d in decisions.values())
    assert not Recipient.objects.filter(is_demo=False).exists()
    assert all("minh họa" in d.title for d in decisions.values())


def test_demo_accounts_name_existing_groups():
    names = set(Group.objects.values_list("name", flat=True))
    for _username, groups, _superuser, _full_name in demo.DEMO_ACCOUNTS:
        assert set(groups) <= names
