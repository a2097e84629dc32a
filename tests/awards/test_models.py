import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from awards.models import Authority, Decision, Recipient, validate_pdf
from awards.services import awards_totals, decision_reconcile
from awards.text import name_sort_key
from portal.text import person_sort_key
from tests.factories import make_decision, make_recipients

pytestmark = pytest.mark.django_db


def test_decided_decision_needs_number_and_date_in_clean_and_database():
    authority = Authority.objects.create(name="Ủy ban nhân dân tỉnh")
    decision = Decision(title="Thiếu số", authority=authority, form_id=None, status="decided")
    with pytest.raises(ValidationError) as err:
        decision.clean()
    assert "Quyết định đã ban hành phải có số quyết định." in err.value.message_dict["number"]
    assert "date" in err.value.message_dict
    ok = make_decision()
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=ok.pk).update(number="")


def test_proposal_needs_proposal_number_and_date():
    decision = make_decision(status=Decision.Status.PROPOSED)
    decision.proposal_number = ""
    with pytest.raises(ValidationError) as err:
        decision.full_clean()
    assert "Đề nghị khen thưởng phải có số tờ trình." in err.value.message_dict["proposal_number"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(proposal_date=None)


def test_number_is_normalised_and_unique_per_authority_in_its_variants():
    decision = make_decision(number="1234/QĐ-UBND")
    assert decision.number_normalized == "1234QDUBND"
    from portal.text import normalize_document_number

    for variant in ("1234/QD-UBND", "1234 QĐ UBND", "1234/qđ-ubnd"):
        found = Decision.objects.filter(number_normalized=normalize_document_number(variant))
        assert list(found) == [decision]
    clash = Decision(
        title="Trùng số", authority=decision.authority, form=decision.form, status="decided",
        number="1234 QD UBND", date=datetime.date(2021, 1, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as err:
        clash.full_clean()
    assert "đã có quyết định số" in err.value.message_dict["number"][0]


def test_slug_made_from_number_and_title_without_losing_d():
    decision = make_decision(number="522-QĐ/TU", title="Đề nghị khen thưởng Đảng bộ")
    assert decision.slug.startswith("522-qdtu-de-nghi-khen-thuong-dang-bo")
    assert decision.get_absolute_url() == f"/khen-thuong/{decision.slug}/"


def test_text_is_stored_nfc():
    decision = make_decision(title="Ve\u0302\u0300 việc khen thưởng")  # NFD "Về"
    decision.refresh_from_db()
    assert decision.title == "Về việc khen thưởng"


def test_reconciliation_reports_each_gap():
    decision = make_decision(declared_collectives=20, declared_individuals=12)
    make_recipients(decision, collectives=20, individuals=10)
    rec = decision_reconcile(decision=decision)
    assert not rec.matches
    assert rec.collective_gap == 0 and rec.individual_gap == -2
    assert rec.messages() == ["Quyết định ghi 12 cá nhân, mới nhập 10 (thiếu 2)."]
    annotated = Decision.objects.with_recorded_counts().get(pk=decision.pk)
    assert decision_reconcile(decision=annotated) == rec
    make_recipients(decision, individuals=3)
    assert "thừa 1" in decision_reconcile(decision=decision).messages()[0]


def test_proposals_never_count_as_awards():
    decided = make_decision()
    make_recipients(decided, collectives=2, individuals=3)
    proposal = make_decision(status=Decision.Status.PROPOSED, number="")
    make_recipients(proposal, collectives=3, individuals=3)
    # Even a proposal that carries a number is not an award until it is decided.
    numbered = make_decision(status=Decision.Status.PROPOSED, number="77/QĐ-TTg")
    make_recipients(numbered, individuals=4)
    assert not numbered.is_award and numbered.is_proposal
    assert set(Decision.objects.awards()) == {decided}
    assert set(Decision.objects.proposals()) == {proposal, numbered}
    assert Recipient.objects.awarded().count() == 5
    totals = awards_totals()
    assert totals == {
        "award_collectives": 2,
        "award_individuals": 3,
        "proposed_collectives": 3,
        "proposed_individuals": 7,
    }


def test_recipient_needs_a_name():
    decision = make_decision()
    with pytest.raises(ValidationError):
        Recipient(decision=decision, kind="individual", name="  ").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Recipient.objects.bulk_create([Recipient(decision=decision, kind="individual", name="")])


def test_history_records_changes_with_user(make_user):
    user = make_user("sua")
    decision = make_decision()
    decision._history_user = user
    decision.signer_name = "Người ký mới"
    decision.save()
    record = decision.history.first()
    assert record.history_type == "~"
    assert record.history_user == user
    delta = record.diff_against(record.prev_record)
    assert [c.field for c in delta.changes] == ["signer_name"]


@pytest.mark.parametrize(
    "names",
    [
        [
            "Đỗ Văn An",
            "Lê Thị Ánh",
            "Vũ Thị Ăn",
            "Phạm Văn Ân",
            "Nguyễn Văn Chiến (Nguyễn Chiến)",
            "Trần Văn Chiến",
        ],
        ["Lê Văn Dũng", "Ông Đinh Văn Đức", "Bà Trần Thị Duyên", "Hà Văn Zung", "Lý Thị Ư"],
    ],
)
def test_database_sort_key_gives_vietnamese_name_order(names):
    expected = sorted(names, key=person_sort_key)
    shuffled = names[2:] + names[:2]
    assert sorted(shuffled, key=name_sort_key) == expected
    decision = make_decision()
    make_recipients(decision, individuals=len(names), names=list(reversed(names)))
    from_db = list(decision.recipients.order_by("sort_key").values_list("name", flat=True))
    assert from_db == expected


def test_domain_example_order():
    # domain.md section 5.3, the verified order.
    expected = ["Đỗ Văn An", "Lê Thị Ánh", "Vũ Thị Ăn", "Phạm Văn Ân",
                "Nguyễn Văn Chiến (Nguyễn Chiến)", "Trần Văn Chiến"]  # fmt: skip
    shuffled = [expected[i] for i in (3, 5, 0, 4, 1, 2)]
    assert sorted(shuffled, key=name_sort_key) == expected


def test_vietnamese_order_puts_d_bar_after_d_and_breve_after_a():
    assert sorted(["Đỗ Văn Đức", "Lê Dung"], key=name_sort_key) == ["Lê Dung", "Đỗ Văn Đức"]
    assert sorted(["X Ăn", "X Âu", "X Bình", "X Anh"], key=name_sort_key) == [
        "X Anh", "X Ăn", "X Âu", "X Bình"
    ]  # fmt: skip


def _file(data, name="qd.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_pdf_validation_checks_magic_bytes_and_size(settings):
    validate_pdf(_file(b"%PDF-1.7\n..."))
    with pytest.raises(ValidationError, match="PDF thật"):
        validate_pdf(_file(b"<html><script>alert(1)</script>", name="qd.pdf"))
    settings.AWARDS_SCAN_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="quá lớn"):
        validate_pdf(_file(b"%PDF-1.7 " + b"x" * 20))


def test_scan_stored_under_random_name():
    decision = make_decision()
    decision.scan = _file(b"%PDF-1.4 scan", name="Quyết định của ông A.pdf")
    decision.full_clean()
    decision.save()
    assert decision.scan.name.startswith("awards/quyet-dinh/")
    assert "ông" not in decision.scan.name and decision.scan.name.endswith(".pdf")
    assert len(decision.scan.name.rsplit("/", 1)[1]) == 36


@pytest.mark.parametrize("typed", ["1134/TTr-UBND", "1134 TTr UBND", "1134/ttr-ubnd"])
def test_proposal_number_found_in_its_variants(typed):
    from awards.exports import decision_search_q

    proposal = make_decision(
        status=Decision.Status.PROPOSED,
        proposal_number="1134/TTr-UBND",
        proposal_date=datetime.date(2021, 6, 24),
    )
    assert list(Decision.objects.filter(decision_search_q(typed))) == [proposal]
