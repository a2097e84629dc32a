"""One definition of "counts as an award": the query rule and the Python rule never disagree."""

import itertools

import pytest
from django.db.models import Value

from awards.models import Decision, Recipient, award_q, counts_as_award
from tests.factories import make_decision, make_recipients

pytestmark = pytest.mark.django_db

NUMBERS = ["", "1436/QĐ-UBND"]


def test_award_q_and_counts_as_award_agree_on_every_status_and_number():
    # Every combination, even one the database refuses to store (decided without a number).
    for status, number in itertools.product(Decision.Status.values, NUMBERS):
        values = {"status": Value(status), "number": Value(number)}
        assert award_q().check(values) == counts_as_award(status, number), (status, number)


def test_querysets_and_instances_agree_on_every_stored_decision_and_recipient_kind():
    decisions = [
        make_decision(status=Decision.Status.DECIDED),
        make_decision(status=Decision.Status.PROPOSED),
        make_decision(status=Decision.Status.PROPOSED, number="15/QĐ-UBND"),  # not yet decided
    ]
    for decision in decisions:
        make_recipients(decision, collectives=1, individuals=1)
    awards = set(Decision.objects.awards())
    assert awards == {d for d in decisions if counts_as_award(d.status, d.number)}
    assert awards == {d for d in decisions if d.is_award} == {decisions[0]}
    assert set(Decision.objects.proposals()) == {d for d in decisions if d.is_proposal}
    awarded = set(Recipient.objects.awarded())
    recipients = Recipient.objects.select_related("decision")
    assert {r.kind for r in recipients} == set(Recipient.Kind.values)
    assert awarded == {r for r in recipients if r.decision.is_award}
    assert {r.kind for r in awarded} == set(Recipient.Kind.values)
