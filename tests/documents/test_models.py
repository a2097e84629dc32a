import datetime
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from documents.models import Document, DocumentRelation, DraftComment, Issuer
from documents.services import document_duplicates
from tests.factories import make_comment, make_document, make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    decree = make_document(
        number="42/2022/NĐ-CP", summary="Quy định về cung cấp thông tin trên môi trường mạng"
    )
    directive = make_document(
        doc_type="Chỉ thị", issuer="Bộ Chính trị", number="45-CT/TW",
        summary="Về lãnh đạo cuộc bầu cử đại biểu Quốc hội", issued_on=datetime.date(2020, 6, 20),
    )  # fmt: skip
    other = make_document(number="142/2022/NĐ-CP", summary="Một nghị định khác về đất đai")
    return decree, directive, other


@pytest.mark.parametrize(
    "query", ["42/2022/NĐ-CP", "42/2022", "42-2022-ND-CP", "42/2022/nđ-cp", "nghi dinh 42"]
)
def test_number_variants_find_the_decree(registry, query):
    decree = registry[0]
    found = set(Document.objects.search(query))
    assert found == {decree}  # not 142/2022/NĐ-CP, not the directive


@pytest.mark.parametrize("query", ["45-CT/TW", "45/CT-TW", "45 CT TW", "chi thi 45"])
def test_party_style_numbers(registry, query):
    assert registry[1] in Document.objects.search(query)


def test_summary_words_without_accents_or_in_nfd(registry):
    _decree, directive, other = registry
    assert list(Document.objects.search("bau cu")) == [directive]
    assert list(Document.objects.search(unicodedata.normalize("NFD", "bầu cử"))) == [directive]
    assert list(Document.objects.search("đất đai")) == [other]
    assert list(Document.objects.search("không có từ này")) == []


def test_status_is_computed_from_dates():
    today = datetime.date(2024, 1, 1)
    not_yet = make_document(
        effective_on=datetime.date(2024, 6, 1), issued_on=datetime.date(2023, 12, 1)
    )
    expired = make_document(
        effective_on=datetime.date(2020, 1, 1),
        expires_on=datetime.date(2023, 1, 1),
        issued_on=datetime.date(2019, 12, 1),
    )
    partly = make_document(status=Document.Status.PARTLY_EXPIRED)
    in_force = make_document()
    assert not_yet.effective_status(today) == Document.NOT_YET
    assert expired.effective_status(today) == Document.Status.EXPIRED
    assert set(Document.objects.with_status(Document.NOT_YET, today)) == {not_yet}
    assert set(Document.objects.with_status(Document.Status.EXPIRED, today)) == {expired}
    assert set(Document.objects.with_status(Document.Status.IN_FORCE, today)) == {in_force}
    assert set(Document.objects.with_status(Document.Status.PARTLY_EXPIRED, today)) == {partly}


def test_dates_must_be_in_order():
    with pytest.raises(ValidationError) as exc:
        make_document(issued_on=datetime.date(2022, 6, 24), effective_on=datetime.date(2022, 1, 1))
    assert "effective_on" in exc.value.message_dict


def test_same_number_same_issuer_same_day_is_refused_by_the_database(document):
    clone = Document(
        doc_type=document.doc_type, issuer=document.issuer, number="42-2022-ND-CP",
        issued_on=document.issued_on, summary="Bản trùng",
    )  # fmt: skip
    with pytest.raises(IntegrityError):
        clone.save()


def test_reserved_slugs_and_nfc(document):
    document.slug = "du-thao"
    with pytest.raises(ValidationError):
        document.full_clean()
    doc = make_document(summary=unicodedata.normalize("NFD", "Quy định về bầu cử"))
    assert doc.summary == unicodedata.normalize("NFC", "Quy định về bầu cử")
    assert doc.slug.startswith("nghi-dinh-")


def test_relation_cannot_point_to_itself(document):
    with pytest.raises(ValidationError):
        DocumentRelation(source=document, target=document, kind="related").full_clean()


def test_history_is_kept_for_documents_and_comments(document, article):
    document.summary = "Trích yếu đã sửa"
    document.save()
    assert document.history.count() == 2
    document.articles.add(article)  # links are part of the history too
    assert document.history.count() == 3
    assert list(document.history.first().articles.values_list("article_id", flat=True)) == [
        article.pk
    ]
    comment = make_comment(make_draft())
    comment.status = DraftComment.Status.REJECTED
    comment.reject_reason = "Quảng cáo"
    comment.save()
    assert comment.history.count() == 2


def test_rejected_comment_needs_a_reason():
    comment = make_comment(make_draft(), status=DraftComment.Status.PUBLISHED)
    comment.status = DraftComment.Status.REJECTED
    with pytest.raises(ValidationError) as exc:
        comment.full_clean()
    assert "reject_reason" in exc.value.message_dict
    with pytest.raises(IntegrityError):
        comment.save()


def test_consultation_opens_and_closes_by_time():
    draft = make_draft(open_for=datetime.timedelta(days=3))
    assert draft.is_open() and draft.closing_soon()
    later = draft.closes_at + datetime.timedelta(seconds=1)
    assert not draft.is_open(later)


def test_a_number_shared_with_a_joint_document_is_a_duplicate_for_each_authority():
    joint = make_document(issuer="Bộ Nội vụ", number="01/2024/TTLT",
                          issued_on=datetime.date(2024, 1, 2))  # fmt: skip
    partner = Issuer.objects.create(name="Bộ Tài chính")
    joint.co_issuers.add(partner)
    again = make_document(issuer="Bộ Tài chính", number="01-2024-TTLT",
                          issued_on=datetime.date(2025, 1, 2))  # fmt: skip
    assert [d.pk for d in document_duplicates(document=again)] == [joint.pk]
    elsewhere = make_document(issuer="Bộ Y tế", number="01/2024/TTLT",
                              issued_on=datetime.date(2025, 1, 3))  # fmt: skip
    assert document_duplicates(document=elsewhere) == []
