"""Validation in clean() and the matching database constraints; title snapshots."""

import unicodedata
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from elections.forms import MembershipForm, TurnoutSummaryForm
from elections.models import Body, Contest, ElectoralUnit, Membership, PollingArea, TurnoutSummary
from tests import factories as h

pytestmark = pytest.mark.django_db


def test_election_slug_is_vietnamese_aware_and_nfc():
    name = unicodedata.normalize("NFD", "Bầu cử đại biểu Quốc hội khóa XV")
    election = h.election(name=name)
    assert election.slug == "bau-cu-dai-bieu-quoc-hoi-khoa-xv"
    assert election.name == unicodedata.normalize("NFC", name)
    assert election.get_absolute_url() == f"/bau-cu/{election.slug}/"


def test_titles_are_joined_the_vietnamese_way_and_kept_as_a_snapshot():
    election = h.election()
    board = h.body(election)
    titles = [
        "Ủy viên Trung ương Đảng",
        "Bí thư Tỉnh ủy",
        "Trưởng đoàn ĐBQH tỉnh Hà Nam khóa XIV",
        "Trưởng Ban Chỉ đạo bầu cử tỉnh",
    ]
    membership = h.member(board, "Lê Thị Thủy", Membership.Role.HEAD, titles)
    assert membership.titles_display == (
        "Ủy viên Trung ương Đảng - Bí thư Tỉnh ủy - Trưởng đoàn ĐBQH tỉnh Hà Nam khóa XIV - "
        "Trưởng Ban Chỉ đạo bầu cử tỉnh"
    )
    # A later post in another election does not rewrite 2021.
    later = h.body(h.election(), name="Ban Chỉ đạo bầu cử 2026")
    Membership.objects.create(
        body=later, person=membership.person, role=Membership.Role.MEMBER, titles=["Chức vụ mới"]
    )
    membership.refresh_from_db()
    assert membership.titles == titles


def test_members_are_ordered_by_role_rank_then_order():
    board = h.body(h.election())
    h.member(board, "Thành viên B", Membership.Role.MEMBER, order=2)
    h.member(board, "Phó ban", Membership.Role.DEPUTY_HEAD)
    h.member(board, "Thành viên A", Membership.Role.COMMISSIONER, order=1)
    h.member(board, "Trưởng ban", Membership.Role.HEAD)
    names = [m.person.full_name for m in board.memberships.select_related("person")]
    assert names == ["Trưởng ban", "Phó ban", "Thành viên A", "Thành viên B"]


def test_membership_form_takes_one_title_per_line_in_nfc():
    board = h.body(h.election())
    person = h.member(board, "Người khác").person
    other = h.body(board.election, name="Ủy ban Bầu cử tỉnh", type=Body.Type.COMMITTEE)
    typed = unicodedata.normalize("NFD", "Phó Bí thư Tỉnh ủy\r\n\r\n - Chủ tịch UBND tỉnh \n")
    form = MembershipForm(
        data={"person": person.pk, "role": Membership.Role.CHAIR, "titles": typed, "order": 0},
        instance=Membership(body=other),
    )
    assert form.is_valid(), form.errors
    membership = form.save()
    assert membership.titles == ["Phó Bí thư Tỉnh ủy", "Chủ tịch UBND tỉnh"]
    assert "Phó Bí thư Tỉnh ủy\nChủ tịch UBND tỉnh" in str(MembershipForm(instance=membership))


def test_decision_number_is_normalised_for_search():
    board = h.body(h.election(), decision_number="522-QĐ/TU")
    other = h.body(board.election, name="Khác", decision_number="522/QĐ-TU")
    assert board.decision_number_normalized == other.decision_number_normalized == "522QDTU"


def test_polling_area_voted_cannot_exceed_registered():
    election = h.election()
    area = PollingArea(election=election, code="01", name="KV 1", registered=100, voted=101)
    with pytest.raises(ValidationError) as exc:
        area.full_clean()
    assert "không được lớn hơn tổng số cử tri" in str(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        area.save()


def test_valid_plus_invalid_must_equal_received():
    unit = h.unit()
    from elections.models import UnitResult

    result = UnitResult(
        unit=unit, ballots_issued=100, ballots_received=100, valid_ballots=90, invalid_ballots=5
    )
    with pytest.raises(ValidationError) as exc:
        result.full_clean()
    assert "phải bằng số phiếu thu vào" in str(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        result.save()


def test_unit_seats_limit_depends_on_the_kind():
    election = h.election()
    na = h.contest(election, kind=Contest.Kind.NATIONAL_ASSEMBLY, term="khóa XV")
    unit = ElectoralUnit(contest=na, number=1, seats=4)
    with pytest.raises(ValidationError) as exc:
        unit.full_clean()
    assert "tối đa 3" in str(exc.value)
    council = h.contest(election)
    ElectoralUnit(contest=council, number=1, seats=5).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        ElectoralUnit.objects.create(contest=council, number=2, seats=6)


def test_summary_needs_percentage_or_counts_within_range():
    election = h.election()
    with pytest.raises(ValidationError):
        TurnoutSummary(election=election, source="x").full_clean()
    with pytest.raises(ValidationError) as exc:
        TurnoutSummary(election=election, percentage=Decimal("100.5"), source="x").full_clean()
    assert "từ 0 đến 100" in str(exc.value)
    with pytest.raises(ValidationError):
        TurnoutSummary(
            election=election, percentage=Decimal(99), areas_total=10, areas_full=11, source="x"
        ).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        TurnoutSummary.objects.create(election=election, registered=10, voted=11, source="x")


@pytest.mark.parametrize(
    ("typed", "ok", "stored"),
    [
        ("99,47", True, Decimal("99.47")),
        ("100", True, Decimal("100.00")),
        ("0", True, Decimal("0.00")),
        ("-1", False, None),
        ("abc", False, None),
    ],
)
def test_summary_form_percentage(typed, ok, stored):
    form = TurnoutSummaryForm(data={"percentage": typed, "source": "Báo cáo"})
    assert form.is_valid() is ok, form.errors
    if ok:
        assert form.cleaned_data["percentage"] == stored
    else:
        assert "percentage" in form.errors


@pytest.mark.parametrize("thousand_separator", [True, False])
@pytest.mark.parametrize("typed", ["99.470", "99.47"])
def test_summary_form_never_guesses_a_dot(settings, thousand_separator, typed):
    # "99.470" is 99,47 in English and 99 470 in Vietnamese: the one number rule refuses it
    # whatever the format settings, instead of storing a guess.
    settings.USE_THOUSAND_SEPARATOR = thousand_separator
    form = TurnoutSummaryForm(data={"percentage": typed, "source": "Báo cáo"})
    assert not form.is_valid()
    message = form.errors["percentage"][0]
    assert "không rõ nghĩa" in message and "dấu phẩy" in message and "99,47" in message


def test_summary_form_reads_grouped_counts():
    form = TurnoutSummaryForm(
        data={"registered": "642.235", "voted": "633 273", "percentage": "", "source": "x"}
    )
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["registered"], form.cleaned_data["voted"]) == (642235, 633273)
    form = TurnoutSummaryForm(data={"registered": "642,235", "voted": "1", "source": "x"})
    assert "dấu phẩy là dấu thập phân" in form.errors["registered"][0]


def test_str_and_ordering_exist_for_every_model():
    from django.apps import apps

    for model in apps.get_app_config("elections").get_models():
        if model.__name__.startswith("Historical"):
            continue
        assert model._meta.ordering, model
        assert "__str__" in model.__dict__, model


def test_summary_percentage_must_agree_with_its_counts():
    election = h.election()
    wrong = TurnoutSummary(
        election=election, registered=642235, voted=633273, percentage=Decimal("99.47"), source="x"
    )
    with pytest.raises(ValidationError) as exc:
        wrong.full_clean()
    message = str(exc.value)
    assert "633.273/642.235" in message and "98,60%" in message
    TurnoutSummary(
        election=election, registered=642235, voted=633273, percentage=Decimal("98.60"), source="x"
    ).full_clean()
    form = TurnoutSummaryForm(
        data={"registered": "642235", "voted": "633273", "percentage": "99,47", "source": "x"},
        instance=TurnoutSummary(election=election),
    )
    assert not form.is_valid()
    assert "không khớp" in form.errors["percentage"][0]
