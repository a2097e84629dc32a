import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from documents.models import (
    Document,
    DocumentFile,
    DocumentType,
    Draft,
    DraftComment,
    Issuer,
)
from documents.roles import CLERKS, MODERATORS
from tests.factories import make_comment, make_document, make_draft
from tests.samples import pdf_upload

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/documents/document/add/"
COMMENTS_URL = "/admin/documents/draftcomment/"


@pytest.fixture
def clerk(make_user):
    return make_user("vanthu", groups=[CLERKS])


@pytest.fixture
def moderator(make_user):
    return make_user("duyetgopy", groups=[MODERATORS])


@pytest.fixture
def plain_staff(make_user):
    return make_user("nhanvien")


def _document_post(**overrides):
    kind = DocumentType.objects.get_or_create(name="Quyết định")[0]
    issuer = Issuer.objects.get_or_create(name="Ủy ban nhân dân tỉnh")[0]
    data = {
        "doc_type": kind.pk, "number": "1436/QĐ-UBND", "issuer": issuer.pk,
        "summary": "Về việc thử", "issued_on": "22/06/2021", "effective_on": "",
        "expires_on": "", "status": "in_force", "signer_name": "", "signer_title": "",
        "body": "", "is_published": "on", "published_at_0": "22/06/2021",
        "published_at_1": "09:00:00", "slug": "",
        "files-TOTAL_FORMS": "0", "files-INITIAL_FORMS": "0",
        "relations_out-TOTAL_FORMS": "0", "relations_out-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("url", "moderator_may"),
    [
        ("/admin/documents/document/", False),
        (ADD_URL, False),
        ("/admin/documents/draft/", True),  # moderators read the draft they moderate
        ("/admin/documents/draft/add/", False),
        ("/admin/documents/documenttype/add/", False),
    ],
)
def test_registry_permission_ladder(client, clerk, plain_staff, moderator, url, moderator_may):
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(plain_staff)
    assert client.get(url).status_code == 403
    client.force_login(moderator)
    assert client.get(url).status_code == (200 if moderator_may else 403)
    client.force_login(clerk)
    assert client.get(url).status_code == 200


def test_clerk_adds_a_document_with_a_checked_file(client, clerk):
    client.force_login(clerk)
    data = _document_post(**{
        "files-TOTAL_FORMS": "1", "files-0-display_name": "", "files-0-title": "",
        "files-0-order": "0",
    })  # fmt: skip
    data["files-0-file"] = pdf_upload("Quyết định 1436.pdf")
    response = client.post(ADD_URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    doc = Document.objects.get()
    item = DocumentFile.objects.get()
    assert (item.document, item.kind, item.display_name) == (doc, "pdf", "Quyết định 1436.pdf")
    assert doc.history.count() == 1


def test_a_fake_file_gets_a_vietnamese_error_not_a_500(client, clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(clerk)
    data = _document_post(**{"files-TOTAL_FORMS": "1", "files-0-order": "0"})
    data["files-0-file"] = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "không đúng định dạng" in response.content.decode()
    assert Document.objects.count() == 0 and DocumentFile.objects.count() == 0


def test_duplicate_number_from_the_same_issuer_warns_but_saves(client, clerk):
    make_document(doc_type="Quyết định", issuer="Ủy ban nhân dân tỉnh", number="1436/QĐ-UBND",
                  issued_on=datetime.date(2020, 3, 1))  # fmt: skip
    client.force_login(clerk)
    response = client.post(ADD_URL, _document_post(number="1436/QD-UBND"))
    assert response.status_code == 302
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings and "1436/QĐ-UBND (01/03/2020)" in warnings[0]
    assert Document.objects.count() == 2


def test_a_different_number_gives_no_warning(client, clerk):
    make_document(doc_type="Quyết định", issuer="Ủy ban nhân dân tỉnh", number="1437/QĐ-UBND")
    client.force_login(clerk)
    response = client.post(ADD_URL, _document_post())
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_same_number_same_day_is_a_form_error_not_a_500(client, clerk):
    make_document(doc_type="Quyết định", issuer="Ủy ban nhân dân tỉnh", number="1436/QĐ-UBND",
                  issued_on=datetime.date(2021, 6, 22))  # fmt: skip
    client.force_login(clerk)
    response = client.post(ADD_URL, _document_post())
    assert response.status_code == 200
    assert "cùng số, ký hiệu và cùng ngày ban hành" in response.content.decode()
    assert Document.objects.count() == 1


def _action(client, action, comments):
    return client.post(
        COMMENTS_URL,
        {"action": action, "_selected_action": [c.pk for c in comments]},
    )


def test_moderation_permission_ladder(client, clerk, moderator, plain_staff):
    draft = make_draft()
    first, second = make_comment(draft), make_comment(draft, body="Trùng ý trên")
    assert client.get(COMMENTS_URL).status_code == 302
    client.force_login(plain_staff)
    assert client.get(COMMENTS_URL).status_code == 403
    client.force_login(clerk)  # may read comments, not moderate them
    response = client.get(COMMENTS_URL)
    assert response.status_code == 200 and 'value="publish"' not in response.content.decode()
    _action(client, "publish", [first])
    first.refresh_from_db()
    assert first.status == DraftComment.Status.PENDING
    change = client.get(f"{COMMENTS_URL}{first.pk}/change/").content.decode()
    assert 'name="status"' not in change
    client.force_login(moderator)
    assert 'value="publish"' in client.get(COMMENTS_URL).content.decode()
    _action(client, "publish", [first])
    first.refresh_from_db()
    assert first.status == DraftComment.Status.PUBLISHED and first.moderated_by == moderator
    _action(client, "merge", [first, second])
    second.refresh_from_db()
    assert second.status == DraftComment.Status.MERGED and second.merged_into == first


def test_rejecting_needs_an_internal_reason(client, moderator):
    comment = make_comment(make_draft())
    client.force_login(moderator)
    url = f"{COMMENTS_URL}{comment.pk}/change/"
    response = client.post(url, {"status": "rejected", "reject_reason": "", "merged_into": ""})
    assert response.status_code == 200 and "lý do" in response.content.decode()
    response = client.post(
        url, {"status": "rejected", "reject_reason": "Quảng cáo", "merged_into": ""}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "rejected" and comment.moderated_by == moderator
    assert comment.name == "Nguyễn Thị Lan"  # the citizen's text is read-only


def test_nobody_adds_comments_in_the_admin(client, moderator, make_user):
    client.force_login(make_user("root", superuser=True))
    assert client.get(f"{COMMENTS_URL}add/").status_code == 403


def test_history_pages_are_readable_by_clerks(client, clerk, document):
    client.force_login(clerk)
    url = f"/admin/documents/document/{document.pk}/history/"
    assert client.get(url).status_code == 200
    comment = make_comment(make_draft())
    url = f"/admin/documents/draftcomment/{comment.pk}/history/"
    assert client.get(url).status_code == 200
    assert "Nguyễn Thị Lan" in client.get(url).content.decode()


def test_clerk_posts_a_draft_with_its_file_and_later_the_report(client, clerk):
    client.force_login(clerk)
    kind = DocumentType.objects.get_or_create(name="Quyết định")[0]
    data = {
        "title": "Dự thảo Quy chế thử", "doc_type": kind.pk, "drafting_unit": "Sở Tư pháp",
        "contact": "", "explanation": "<p>Xin ý kiến Điều 3.</p><script>x()</script>",
        "opens_at_0": "01/11/2026", "opens_at_1": "08:00:00",
        "closes_at_0": "01/12/2026", "closes_at_1": "17:00:00",
        "is_published": "on", "report": "", "document": "", "slug": "",
        "files-TOTAL_FORMS": "1", "files-INITIAL_FORMS": "0", "files-0-order": "0",
    }  # fmt: skip
    data["files-0-file"] = pdf_upload("Dự thảo.pdf")
    response = client.post("/admin/documents/draft/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = Draft.objects.get()
    assert draft.files.get().display_name == "Dự thảo.pdf"
    assert "<script>" not in draft.explanation  # sanitised like article bodies
    data["closes_at_0"] = "01/10/2026"  # before it opens
    response = client.post(f"/admin/documents/draft/{draft.pk}/change/", data)
    assert response.status_code == 200 and "phải sau thời điểm bắt đầu" in response.content.decode()
    # The report sums up every comment: refused while comments may still come, then shown.
    change = f"/admin/documents/draft/{draft.pk}/change/"
    data.pop("files-0-file")
    data.update({"files-INITIAL_FORMS": "1", "files-0-id": draft.files.get().pk,
                 "files-0-draft": draft.pk})  # fmt: skip
    data["closes_at_0"] = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    data["report"] = "<p>Đã nhận 12 ý kiến; tiếp thu Điều 3.</p>"
    response = client.post(change, data)
    assert "Chỉ đăng báo cáo tổng hợp sau khi hết thời hạn" in response.content.decode()
    assert Draft.objects.get().report == ""
    assert "Đã nhận 12 ý kiến" not in client.get(draft.get_absolute_url()).content.decode()
    data["opens_at_0"] = "01/01/2026"
    data["closes_at_0"] = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(change, data)
    assert response.status_code == 302
    client.logout()
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Báo cáo tổng hợp, tiếp thu, giải trình" in html and "Đã nhận 12 ý kiến" in html
